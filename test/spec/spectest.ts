// The spec testsuite's `spectest` provider for multi-module firmware (src/driver/multi-module.ts):
// spectest.wat as the module named "spectest", and spectest-host.c compiled for the board
// as the extra object that implements its printers.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Board } from '../../src/driver/board.js';
import type { FirmwareModuleInput } from '../../src/driver/multi-module.js';
import { runtimeCompileFlags, runtimeSourceDir } from '../../src/driver/runtime.js';
import type { ObjectFile } from '../../src/elf/object.js';
import { readObject } from '../../src/elf/read-object.js';

const HERE = import.meta.dirname;

/** spectest.wat as a firmware module named "spectest" (list it before the modules importing it). */
export function spectestModule(): FirmwareModuleInput {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-spectest-'));
  try {
    const wasm = join(dir, 'spectest.wasm');
    execFileSync('wat2wasm', [join(HERE, 'spectest.wat'), '-o', wasm]);
    return { name: 'spectest', wasm: new Uint8Array(readFileSync(wasm)), file: 'spectest.wat' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** spectest-host.c compiled like runtime-c for `board`: pass it as FirmwareOptions.extraObjects. */
export function spectestHostObject(board: Board): ObjectFile {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-spectest-'));
  try {
    const out = join(dir, 'spectest-host.o');
    execFileSync('arm-none-eabi-gcc', [...runtimeCompileFlags(board), `-I${runtimeSourceDir()}`, '-c', join(HERE, 'spectest-host.c'), '-o', out]);
    return readObject(readFileSync(out), 'spectest-host.o');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
