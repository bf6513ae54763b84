// The commands a user reaches first: boards, help, build outputs, run.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HELLO = new URL('../../examples/hello.wat', import.meta.url).pathname;

describe('mcu-aot', () => {
  it('boards lists every board with its QEMU machine', async () => {
    const result = await runCli(['boards']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^lm3s6965\s+cortex-m3\s+flash 256 KiB\s+RAM 64 KiB\s+QEMU lm3s6965evb$/m);
    expect(result.stdout).toMatch(/^mps2-an385\s+cortex-m3\s+flash 4 MiB\s+RAM 4 MiB\s+QEMU mps2-an385$/m);
    expect(result.stdout).toMatch(/^mps2-an386\s+cortex-m4\s+flash 4 MiB\s+RAM 4 MiB\s+QEMU mps2-an386$/m);
  });

  it.each(['build', 'run', 'boards'])('%s --help describes the command', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: mcu-aot /m);
  });

  it('build writes an ELF, a .bin and a map file', async () => {
    const out = join(dir, 'hello.elf');
    const result = await runCli(['build', HELLO, '--board', 'lm3s6965', '-o', out]);
    expect(result.stderr).toMatch(/wrote .*hello\.elf/);
    expect(result.exitCode).toBe(0);
    expect(readFileSync(out).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    expect(existsSync(join(dir, 'hello.bin'))).toBe(true);
    expect(readFileSync(join(dir, 'hello.map'), 'utf8')).toMatch(/__mcu_module/);
  });

  it('build --emit obj writes a relocatable object, --emit hex an Intel HEX file', async () => {
    const obj = join(dir, 'hello.o');
    expect((await runCli(['build', HELLO, '--board', 'lm3s6965', '--emit', 'obj', '-o', obj])).exitCode).toBe(0);
    expect(readFileSync(obj)[16]).toBe(1); // e_type ET_REL
    const hex = join(dir, 'hello.hex');
    expect((await runCli(['build', HELLO, '--board', 'mps2-an385', '--emit', 'hex', '-o', hex])).exitCode).toBe(0);
    expect(readFileSync(hex, 'utf8')).toMatch(/^:[0-9A-F]+\r?\n[\s\S]*:00000001FF\r?\n?$/);
  });

  it.each(['lm3s6965', 'mps2-an385'])('run boots hello on %s and exits 0', async (board) => {
    const result = await runCli(['run', HELLO, '--board', board]);
    expect(result.stdout).toBe('Hello from WebAssembly on an MCU!\n');
    expect(result.exitCode).toBe(0);
  });

  it('compiling twice gives identical firmware', async () => {
    const first = join(dir, 'first.elf');
    const second = join(dir, 'second.elf');
    expect((await runCli(['build', HELLO, '--board', 'lm3s6965', '-o', first])).exitCode).toBe(0);
    expect((await runCli(['build', HELLO, '--board', 'lm3s6965', '-o', second])).exitCode).toBe(0);
    expect(readFileSync(first).equals(readFileSync(second))).toBe(true);
  });

  it('run stops a firmware that never exits and says so', async () => {
    const spin = join(dir, 'spin.wat');
    writeFileSync(spin, '(module (func (export "_start") (loop $forever (br $forever))))');
    const started = Date.now();
    const result = await runCli(['run', spin, '--board', 'lm3s6965', '--timeout', '1']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/firmware timed out: no exit after 1 s on lm3s6965/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
