// The built command on a real terminal: util-linux `script` runs it on a pseudo-terminal,
// so stderr is a TTY as in an interactive shell. There, errors are coloured and a build and
// `mcu-aot test` show a status line that is erased before anything else is printed; through
// pipes (every other CLI test, CI) the same commands print no escape sequence at all.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/mcu-aot.js', import.meta.url).pathname;
const HELLO = new URL('../../examples/hello.wat', import.meta.url).pathname;
const TESTS = new URL('./fixtures/firmware-tests.wat', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ESCAPE = '\x1b[';
const ERASE_LINE = '\r\x1b[2K';

/** The environment of an interactive shell: no NO_COLOR, FORCE_COLOR or CI from the test run. */
function interactiveEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !['NO_COLOR', 'FORCE_COLOR', 'CI'].includes(k)) env[k] = v;
  return { ...env, TERM: 'xterm', ...extra };
}

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/** Run the command on a pseudo-terminal: what the terminal received (stdout and stderr together). */
async function onTerminal(args: string[], extra: Record<string, string> = {}): Promise<{ text: string; exitCode: number }> {
  const command = ['node', BIN, ...args].map(quote).join(' ');
  const result = await execa('script', ['-qec', command, '/dev/null'], { reject: false, stripFinalNewline: false, extendEnv: false, env: interactiveEnv(extra), stdin: 'ignore' });
  return { text: String(result.stdout), exitCode: result.exitCode ?? -1 };
}

/** Run the command with pipes, in the same environment. */
async function throughPipes(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const result = await execa('node', [BIN, ...args], { reject: false, extendEnv: false, env: interactiveEnv() });
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
}

describe('on a terminal', () => {
  it('an error is one line: error[code]: bold red, the location bold', async () => {
    const { text, exitCode } = await onTerminal(['build', join(dir, 'missing.wat'), '--board', 'lm3s6965']);
    expect(exitCode).toBe(1);
    expect(text).toMatch(/^\x1b\[1m\x1b\[31merror\[input\]:\x1b\[39m\x1b\[22m cannot read input: [^\r\n]* \x1b\[1min \S+missing\.wat\x1b\[22m\r\n$/);
  });

  it('NO_COLOR keeps it plain', async () => {
    const { text } = await onTerminal(['build', HELLO, '--board', 'nope'], { NO_COLOR: '1' });
    expect(text).not.toContain(ESCAPE);
    expect(text).toMatch(/^error\[board\]: board error: unknown board 'nope'\r\n/);
  });

  it('a build shows its stages on one status line, erased before the next message', async () => {
    const { text, exitCode } = await onTerminal(['build', HELLO, '--board', 'lm3s6965', '-o', join(dir, 'hello.elf')]);
    expect(exitCode).toBe(0);
    expect(text).toContain(`${ERASE_LINE}optimising`);
    expect(text).toContain(`${ERASE_LINE}compiling`);
    expect(text).toContain(`${ERASE_LINE}linking`);
    // whatever is printed after the status starts at column 0 of an erased line
    const afterStatus = text.slice(text.lastIndexOf(ERASE_LINE) + ERASE_LINE.length);
    expect(afterStatus).toMatch(/^(linear memory fitted: .*\r\n)?wrote .*hello\.elf/);
  });

  it('mcu-aot test shows each test as it starts', async () => {
    const { text, exitCode } = await onTerminal(['test', TESTS, '--board', 'mps2-an385', '--timeout', '1']);
    expect(exitCode).toBe(1);
    expect(text).toContain(`${ERASE_LINE}testing 0/6 test_pass`);
    // the hang is shown while it lasts (however soon it started after the test before)...
    expect(text).toMatch(/\r\x1b\[2Ktesting 4\/6 test_hangs(\r\x1b\[2K)?TIMEOUT\s+test_hangs/);
    // ...and a result replaces the status line
    expect(text).toContain(`${ERASE_LINE}PASS    test_pass`);
  }, 60_000);

  it('CI=true keeps it free of status lines', async () => {
    const { text } = await onTerminal(['build', HELLO, '--board', 'lm3s6965', '-o', join(dir, 'ci.elf')], { CI: 'true' });
    expect(text).not.toContain(ERASE_LINE);
    expect(text).toMatch(/wrote .*ci\.elf/);
  });
});

describe('through pipes', () => {
  it('the same build and error print no escape sequence', async () => {
    const built = await throughPipes(['build', HELLO, '--board', 'lm3s6965', '-o', join(dir, 'piped.elf')]);
    expect(built.exitCode).toBe(0);
    expect(built.stderr).not.toContain(ESCAPE);
    expect(built.stderr).not.toContain('\r');
    const failed = await throughPipes(['build', HELLO, '--board', 'nope']);
    expect(failed.stderr).toMatch(/^error\[board\]: board error: unknown board 'nope'\n  hint: known boards: /);
    expect(failed.stderr).not.toContain(ESCAPE);
  });
});
