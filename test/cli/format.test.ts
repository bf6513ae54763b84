// The one diagnostic formatter: plain text is exactly `error[code]: <message>` and the hint
// line (what scripts and the other CLI tests match), colour adds only SGR sequences around
// the severity and the location, and the colour decision follows NO_COLOR, FORCE_COLOR,
// the TTY flag and TERM=dumb.

import { describe, expect, it } from 'vitest';
import { InternalError, userError } from '../../src/diagnostics/errors.js';
import { formatError, formatLogLine, style, useColour } from '../../src/diagnostics/format.js';

const ESC = /\x1b\[[0-9;]*m/g;
const strip = (text: string): string => text.replace(ESC, '');

describe('useColour', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { TERM: 'dumb' }, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true], // no-color.org: only a non-empty value counts
    [false, { FORCE_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
  ] as const)('isTTY %s with %o -> %s', (isTTY, env, expected) => {
    expect(useColour({ isTTY, env })).toBe(expected);
  });
});

describe('formatError', () => {
  const located = userError('config', "key 'memory': expected a size", { file: '/p/mcu-aot.toml:3' }, 'write 32K');
  const bare = userError('board', "unknown board 'x'");

  it('prints a user error as one plain line and its hint', () => {
    expect(formatError(located, style(false), false)).toEqual([
      `error[config]: ${located.message}`,
      '  hint: write 32K',
    ]);
    expect(formatError(bare, style(false), false)).toEqual([`error[board]: ${bare.message}`]);
    expect(formatError(userError('malformed', 'bad', { section: 'code', func: 2, offset: 0x21, file: 'a.wasm' }), style(false), false))
      .toEqual(["error[malformed]: malformed module: bad (section 'code', function 2, offset 0x21) in a.wasm"]);
  });

  it('colours the severity bold red and the location bold, nothing else', () => {
    const [line, hint] = formatError(located, style(true), false);
    expect(strip(line!)).toBe(`error[config]: ${located.message}`);
    expect(line!.startsWith('\x1b[1m\x1b[31merror[config]:\x1b[39m\x1b[22m ')).toBe(true);
    expect(line!.endsWith('\x1b[1min /p/mcu-aot.toml:3\x1b[22m')).toBe(true);
    expect(strip(hint!)).toBe('  hint: write 32K');
  });

  it('prints internal errors with the dump and stack only when debugging', () => {
    const e = new InternalError('regalloc', 'no register', 'v1 = iconst 1');
    expect(formatError(e, style(false), false)).toEqual(['error: internal error in regalloc: no register']);
    const debug = formatError(e, style(false), true);
    expect(debug.slice(0, 2)).toEqual(['error: internal error in regalloc: no register', 'v1 = iconst 1']);
    expect(debug[2]).toMatch(/InternalError: internal error in regalloc/);
    expect(formatError(new TypeError('x is undefined'), style(false), false)).toEqual(['error: internal error: x is undefined']);
  });
});

describe('formatLogLine', () => {
  it('colours a leading warning: yellow and commander\'s error: red, and leaves other lines alone', () => {
    expect(formatLogLine('warning: profile is stale', style(true))).toBe('\x1b[1m\x1b[33mwarning:\x1b[39m\x1b[22m profile is stale');
    expect(formatLogLine("error: unknown option '--x'\n", style(true))).toBe("\x1b[1m\x1b[31merror:\x1b[39m\x1b[22m unknown option '--x'\n");
    expect(formatLogLine('wrote app.elf (no warning: here)', style(true))).toBe('wrote app.elf (no warning: here)');
    expect(formatLogLine('warning: x', style(false))).toBe('warning: x');
  });
});
