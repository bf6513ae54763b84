// C and AssemblyScript input through the CLI: compiler errors as the compiler prints them,
// a missing clang, and AssemblyScript's abort() on QEMU.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BIN = new URL('../../bin/mcu-aot.js', import.meta.url).pathname;

const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** The console binding of the AssemblyScript scaffold, trimmed to what a test needs. */
const AS_PRINT = `
@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: i32, iovs: usize, iovsLen: i32, nwritten: usize): i32;
const buf = memory.data(64);
const iov = memory.data(12);
function print(s: string): void {
  for (let i = 0; i < s.length; i++) store<u8>(buf + i, s.charCodeAt(i));
  store<u32>(iov, buf);
  store<u32>(iov, s.length, 4);
  fd_write(1, iov, 1, iov + 8);
}
`;

describe('C input', () => {
  it('runs a C program built with clang and wasi-libc', async () => {
    const app = write('hello.c', '#include <stdio.h>\nint main(void) { printf("sum %d\\n", 40 + 2); return 7; }\n');
    const result = await runCli(['run', app, '--board', 'mps2-an385']);
    expect(result.stdout).toBe('sum 42\n');
    expect(result.exitCode).toBe(7);
  }, 30_000);

  it("shows clang's errors with file:line and exits 1", async () => {
    const bad = write('bad.c', 'int main(void) {\n  return missing;\n}\n');
    const result = await runCli(['build', bad, '--board', 'lm3s6965']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/bad\.c:2:10: error: use of undeclared identifier 'missing'/);
    expect(result.stderr).toMatch(/^error\[compile\]: source does not compile: .*clang.* exited with code 1/m);
  });

  it('names the install command when clang is not on PATH', async () => {
    const app = write('hello2.c', 'int main(void) { return 0; }\n');
    const result = await execa(process.execPath, [BIN, 'build', app, '--board', 'lm3s6965'], { reject: false, env: { PATH: join(dir, 'no-such-bin') }, extendEnv: false });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error\[toolchain\]: missing tool: clang is not installed/m);
    expect(result.stderr).toContain('hint: sudo apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32');
  });
});

describe('AssemblyScript input', () => {
  it('prints over WASI fd_write and exits 0', async () => {
    const app = write('hello.ts', `${AS_PRINT}\nexport function _start(): void { print("hi from AS\\n"); }\n`);
    const result = await runCli(['run', app, '--board', 'lm3s6965']);
    expect(result.stdout).toBe('hi from AS\n');
    expect(result.exitCode).toBe(0);
  }, 30_000);

  it('reports a failed assert as an abort with its message and location, exit 97', async () => {
    const source = `${AS_PRINT}\nexport function _start(): void {\n  print("before\\n");\n  assert(load<u8>(0) == 1, "boom: ünïcode ✓");\n}\n`;
    const app = write('abort.ts', source);
    const line = source.split('\n').findIndex((l) => l.includes('assert(')) + 1;
    const result = await runCli(['run', app, '--board', 'mps2-an385']);
    expect(result.stdout).toBe(`before\nabort: boom: ünïcode ✓ at abort.ts:${line}:3\n`);
    expect(result.exitCode).toBe(97);
  }, 30_000);

  it("shows the AssemblyScript compiler's errors with file:line and exits 1", async () => {
    const bad = write('bad.ts', 'export function _start(): void {\n  let x: i32 = "text";\n}\n');
    const result = await runCli(['build', bad, '--board', 'lm3s6965']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/ERROR TS2322: Type '~lib\/string\/String' is not assignable to type 'i32'/);
    expect(result.stderr).toMatch(/in bad\.ts\(2,16\)/);
    expect(result.stderr).toMatch(/^error\[compile\]: source does not compile: the AssemblyScript compiler reported errors/m);
  });
});
