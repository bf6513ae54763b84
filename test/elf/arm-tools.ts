// Test helpers: run the ARM GNU toolchain and QEMU, the oracles for the ELF and linker tests.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GCC_FLAGS = ['-mcpu=cortex-m3', '-mthumb', '-O2', '-ffunction-sections', '-fdata-sections', '-ffixed-r9'];

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mcu-aot-elf-'));
}

/** Run a tool; returns stdout and stderr (throws when it exits non-zero). */
export function tool(cmd: string, args: string[]): { stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Compile C source with arm-none-eabi-gcc; returns the object's bytes. */
export function compileC(dir: string, name: string, source: string, extra: string[] = []): Uint8Array {
  const c = join(dir, `${name}.c`);
  const o = join(dir, `${name}.o`);
  writeFileSync(c, source);
  tool('arm-none-eabi-gcc', [...GCC_FLAGS, '-ffreestanding', '-fno-tree-loop-distribute-patterns', ...extra, '-c', c, '-o', o]);
  return new Uint8Array(readFileSync(o));
}

/** Assemble Thumb assembly with arm-none-eabi-as; returns the object's path. */
export function assemble(dir: string, name: string, source: string): string {
  const s = join(dir, `${name}.s`);
  const o = join(dir, `${name}.o`);
  writeFileSync(s, source);
  tool('arm-none-eabi-as', ['-mcpu=cortex-m3', '-mthumb', s, '-o', o]);
  return o;
}

export function libgccPath(): string {
  return execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m3', '-mthumb', '-print-libgcc-file-name'], { encoding: 'utf8' }).trim();
}

/** Boot an ELF in QEMU with semihosting; returns what it printed and its exit code. */
export function runQemu(machine: string, elfPath: string, timeoutMs = 10000): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(
    'qemu-system-arm',
    ['-M', machine, '-nographic', '-monitor', 'none', '-serial', 'null', '-semihosting-config', 'enable=on,target=native', '-kernel', elfPath],
    { encoding: 'utf8', timeout: timeoutMs },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
