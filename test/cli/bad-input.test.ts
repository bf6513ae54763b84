// Bad input through the real command: one clear error line naming what and where, exit
// code 1, no stack trace, and no output file left behind.

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// (module (func (export "f") (result i32) (i32.const 42)))
const VALID = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: () -> i32
  0x03, 0x02, 0x01, 0x00, // function section
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f"
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b, // code: i32.const 42; end
];

const CASES: { name: string; bytes: number[]; message: RegExp }[] = [
  { name: 'truncated file', bytes: VALID.slice(0, 30), message: /malformed module: .*offset 0x/ },
  { name: 'wrong magic', bytes: [0x00, 0x61, 0x73, 0x6e, ...VALID.slice(4)], message: /malformed module: .*magic.*offset 0x0/ },
  {
    name: 'bad section size',
    bytes: [...VALID.slice(0, 9), 0x09, ...VALID.slice(10)],
    message: /malformed module: .*section 'type'.*offset 0x/,
  },
  {
    name: 'body that does not validate',
    // i64.const 42 where the result must be i32
    bytes: [...VALID.slice(0, 31), 0x42, 0x2a, 0x0b],
    message: /invalid module: type mismatch.*function 0, offset 0x21/,
  },
  {
    name: 'SIMD opcode',
    // v128.const in place of i32.const: fd 0c + 16 bytes
    bytes: [...VALID.slice(0, 27), 0x19, 0x01, 0x17, 0x00, 0xfd, 0x0c, ...new Array(16).fill(0), 0x1a, 0x41, 0x2a, 0x0b],
    message: /unsupported WebAssembly feature: SIMD.*function 0.*offset 0x1f/,
  },
];

describe('bad input', () => {
  it.each(CASES)('$name: one error line, exit 1, no output', async ({ name, bytes, message }) => {
    const input = join(dir, `${name.replace(/ /g, '-')}.wasm`);
    writeFileSync(input, Uint8Array.from(bytes));
    const before = readdirSync(dir).length;
    const result = await runCli(['build', input, '--board', 'lm3s6965']);
    expect(result.exitCode).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\bat .*\.(js|ts):\d+/);
    expect(readdirSync(dir).length).toBe(before);
    expect(existsSync(input.replace(/\.wasm$/, '.elf'))).toBe(false);
  });

  it('an unknown board is a user error listing the known ones', async () => {
    const input = join(dir, 'ok.wasm');
    writeFileSync(input, Uint8Array.from(VALID));
    const result = await runCli(['build', input, '--board', 'no-such-board']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/board error: unknown board 'no-such-board'/);
    expect(result.stderr).toMatch(/lm3s6965, mps2-an385/);
  });

  it('a missing input file is a user error', async () => {
    const result = await runCli(['build', join(dir, 'missing.wasm'), '--board', 'lm3s6965']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/cannot read input/);
  });
});
