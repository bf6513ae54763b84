// buildRuntime: per-board compilation of runtime-c, its cache, and the toolchain error.
// Oracles: arm-none-eabi-readelf/nm/size on what gcc produced.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { buildRuntime, runtimeCompileFlags } from '../../src/driver/runtime.js';

/** The runtime must stay small: "a few KiB of flash" (ARCHITECTURE.md). */
const FLASH_BUDGET_BYTES = 4096;

const WASI_IMPORTS = [
  'fd_write', 'proc_exit', 'fd_close', 'fd_seek', 'fd_fdstat_get', 'args_sizes_get', 'args_get',
  'environ_sizes_get', 'environ_get', 'clock_time_get', 'clock_res_get', 'random_get',
].map((name) => `wasi_snapshot_preview1__${name}`);

async function definedSymbols(objects: string[]): Promise<Set<string>> {
  const { stdout } = await execa('arm-none-eabi-nm', ['--defined-only', '-g', ...objects]);
  return new Set(stdout.split('\n').map((line) => line.trim().split(/\s+/)[2]).filter((s): s is string => s !== undefined));
}

describe.each([
  ['lm3s6965', 'console_pl011.o', 'console_cmsdk_uart.o', '0x4000c000u'],
  ['mps2-an385', 'console_cmsdk_uart.o', 'console_pl011.o', '0x40004000u'],
])('buildRuntime(%s)', (boardName, ownDriver, otherDriver, uartBase) => {
  const board = loadBoard(boardName);

  test('compiles Cortex-M3 Thumb objects with the board UART driver only', async () => {
    const { objects, libgcc } = await buildRuntime(board);
    const names = objects.map((o) => basename(o));
    expect(names).toContain(ownDriver);
    expect(names).not.toContain(otherDriver);
    expect(names).toEqual(expect.arrayContaining(['startup.o', 'trap.o', 'wasi.o', 'semihosting.o', 'memory.o']));
    const { stdout } = await execa('arm-none-eabi-readelf', ['-h', '-A', objects[0]!]);
    expect(stdout).toContain('REL (Relocatable file)');
    expect(stdout).toContain('Machine:                           ARM');
    expect(stdout).toContain('Tag_CPU_arch: v7');
    expect(stdout).toContain('Tag_CPU_arch_profile: Microcontroller');
    expect(stdout).toContain('Tag_THUMB_ISA_use: Thumb-2');
    expect(libgcc).toMatch(/thumb\/v7-m\/nofp\/libgcc\.a$/);
    expect(runtimeCompileFlags(board)).toContain(`-DMCU_CONSOLE_BASE=${uartBase}`);
  });

  test('defines the entry points the linker and compiled modules need', async () => {
    const symbols = await definedSymbols((await buildRuntime(board)).objects);
    for (const name of ['Reset_Handler', 'mcu_fault_entry', 'SysTick_Handler', ...WASI_IMPORTS]) {
      expect(symbols, name).toContain(name);
    }
  });

  test('keeps the vector table in .vectors: initial SP, then 15 system and 48 IRQ vectors', async () => {
    const startup = (await buildRuntime(board)).objects.find((o) => o.endsWith('startup.o'))!;
    const { stdout } = await execa('arm-none-eabi-readelf', ['-S', '-W', startup]);
    // [Nr] Name Type Addr Off Size ...
    const match = /\s\.vectors\s+\S+\s+\S+\s+\S+\s+([0-9a-f]+)\s/.exec(stdout);
    expect(match).not.toBeNull();
    const size = parseInt(match![1]!, 16);
    expect(size).toBe((16 + 48) * 4);
  });

  test('reuses the cached build', async () => {
    const first = await buildRuntime(board);
    const mtimes = first.objects.map((o) => statSync(o).mtimeMs);
    const second = await buildRuntime(board);
    expect(second.objects).toEqual(first.objects);
    expect(second.objects.map((o) => statSync(o).mtimeMs)).toEqual(mtimes);
  });

  // Unused runtime functions (float helpers, bulk memory...) are dropped by the linker's
  // section GC, so the budget is what a real firmware carries: hello world, linked.
  test(`hello world, runtime included, fits in ${FLASH_BUDGET_BYTES} bytes of flash`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-budget-'));
    try {
      const hello = new URL('../../examples/hello.wat', import.meta.url).pathname;
      const { link } = await build({ input: hello, board, emit: 'elf', output: join(dir, 'hello.elf'), log: () => {} });
      expect(link!.flashUsed).toBeLessThan(FLASH_BUDGET_BYTES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a missing arm-none-eabi-gcc is a toolchain UserError with the install hint', async () => {
  const savedPath = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    const error = await buildRuntime(loadBoard('lm3s6965')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('toolchain');
    expect((error as UserError).hint).toBe('sudo apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi');
  } finally {
    process.env.PATH = savedPath;
  }
});

test('a board without clock_hz is a board UserError', () => {
  const { clockHz: _ignored, ...board } = loadBoard('lm3s6965');
  expect(() => runtimeCompileFlags(board)).toThrow(/does not give its processor clock/);
});
