// Builds test firmware from runtime-c and test/runtime/fixtures/fake_module.c (a C stand-in
// for a compiled Wasm module), linked by arm-none-eabi-ld with fixtures/board.ld, which
// defines the same symbols as the mcu-aot linker.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Board } from '../../src/driver/board.js';
import { buildRuntime, targetFlags } from '../../src/driver/runtime.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export type FakeVariant =
  | 'HELLO' | 'PROC_EXIT' | 'MAIN' | 'NO_MEMORY' | 'SEGMENT_TOO_BIG' | 'SMALL_MEMORY'
  | 'UNLISTED_TRAP' | 'UDF_FAULT' | 'EXEC_FAULT' | 'LOOP';

export interface FakeFirmwareOptions {
  /** Physical linear-memory size in bytes (default: the rest of RAM). */
  memorySize?: number;
  /** The UDF immediate of the UNLISTED_TRAP variant (default 1). */
  trapKind?: number;
}

/** Compiles the fake module for `variant`, links it with runtime-c for `board`, returns the ELF path. */
export async function buildFakeFirmware(board: Board, variant: FakeVariant, outDir: string, opts: FakeFirmwareOptions = {}): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const runtime = await buildRuntime(board);
  const name = `${board.name}-${variant}${opts.trapKind !== undefined ? `-${opts.trapKind}` : ''}`;
  const object = join(outDir, `${name}.o`);
  const elf = join(outDir, `${name}.elf`);
  await execa('arm-none-eabi-gcc', [
    ...targetFlags(board), '-ffixed-r9', '-Os', '-ffreestanding', '-fno-builtin', '-nostdlib',
    '-ffunction-sections', '-fdata-sections', '-Wall', '-Wextra', '-Werror',
    `-DFAKE_${variant}`, ...(opts.trapKind !== undefined ? [`-DFAKE_TRAP_KIND=${opts.trapKind}`] : []), '-c', join(FIXTURES, 'fake_module.c'), '-o', object,
  ]);
  await execa('arm-none-eabi-ld', [
    // --defsym before -T: the script's DEFINED() only sees symbols defined before it.
    ...(opts.memorySize !== undefined ? ['--defsym', `MCU_TEST_MEMORY_SIZE=${opts.memorySize}`] : []),
    '-T', join(FIXTURES, 'board.ld'), '--gc-sections',
    '-o', elf, ...runtime.objects, object, runtime.libgcc,
  ]);
  return elf;
}
