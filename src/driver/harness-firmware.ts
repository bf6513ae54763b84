// Firmware whose entry is a generated C harness instead of the module's `_start`: the
// `mcu-aot test` runner (test-harness.ts) and the spec testsuite runner (test/spec/) both
// build one. The module is compiled as always (compileToObject); our copy of its object gets
// its descriptor's `entry` word (offset 8 of __mcu_module, docs/abi.md) relocated to the
// harness's entry symbol, so runtime-c instantiates the module (memory, data segments, start
// function) exactly as in production and then calls the harness. The harness is compiled by
// gcc for the board's core and linked with runtime-c and libgcc as `mcu-aot build` links.

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MODULE_DESCRIPTOR_SYMBOL } from '../backend-thumb2/symbols.js';
import { InternalError } from '../diagnostics/errors.js';
import { readArchive } from '../elf/archive.js';
import type { ObjectFile, ObjSymbol } from '../elf/object.js';
import { readObject } from '../elf/read-object.js';
import type { IrModule } from '../ir/module.js';
import { link, type LinkResult } from '../linker/link.js';
import type { Board } from './board.js';
import { linearMemoryRequest } from './build.js';
import { buildRuntime, runtimeSourceDir, targetFlags } from './runtime.js';

const run = promisify(execFile);

/** Offset of `entry` in struct mcu_module (runtime-c/mcu_module.h): abi_version, start, entry. */
const DESCRIPTOR_ENTRY_OFFSET = 8;

/** runtime-c and libgcc for one board, read once and shared by every harness link. */
export interface HarnessRuntime {
  readonly board: Board;
  readonly objects: readonly ObjectFile[];
  readonly libgcc: { name: string; members: ObjectFile[] };
}

export async function harnessRuntime(board: Board): Promise<HarnessRuntime> {
  const runtime = await buildRuntime(board);
  const objects = runtime.objects.map((path) => readObject(readFileSync(path), path));
  const libgcc = readArchive(readFileSync(runtime.libgcc), runtime.libgcc);
  return { board, objects, libgcc: { name: runtime.libgcc, members: libgcc.members } };
}

/**
 * `object` with its descriptor's entry relocated to `entrySymbol` (left undefined: the
 * harness defines it) and `extraSymbols` appended (global aliases the harness reads).
 */
export function withEntryRelocated(object: ObjectFile, entrySymbol: string, extraSymbols: readonly ObjSymbol[] = []): ObjectFile {
  const descriptor = object.symbols.find((s) => s.name === MODULE_DESCRIPTOR_SYMBOL && s.section !== null);
  if (descriptor === undefined) throw new InternalError('harness firmware', `${object.name}: no ${MODULE_DESCRIPTOR_SYMBOL}`);
  const entryOffset = descriptor.value + DESCRIPTOR_ENTRY_OFFSET;
  const sections = object.sections.map((section) => {
    if (section.name !== descriptor.section) return section;
    const bytes = section.bytes.slice();
    bytes.fill(0, entryOffset, entryOffset + 4); // REL addend lives in the field: make it 0
    const relocs = section.relocs.filter((r) => r.offset !== entryOffset);
    return { ...section, bytes, relocs: [...relocs, { offset: entryOffset, type: 'R_ARM_ABS32' as const, symbol: entrySymbol, addend: 0 }] };
  });
  const entry: ObjSymbol = { name: entrySymbol, section: null, value: 0, size: 0, binding: 'global', type: 'notype' };
  // ELF wants local symbols first: the additions are all global, so they go last.
  return { ...object, sections, symbols: [...object.symbols, ...extraSymbols, entry] };
}

/** gcc -Wall -Werror on a generated harness, for the board's core, in `dir`. */
export async function compileHarnessC(board: Board, source: string, dir: string, what: string): Promise<ObjectFile> {
  const c = join(dir, 'harness.c');
  const o = join(dir, 'harness.o');
  writeFileSync(c, source);
  const flags = [...targetFlags(board), '-ffixed-r9', '-Os', '-ffreestanding', '-fno-builtin', '-nostdlib', '-Wall', '-Werror'];
  try {
    await run('arm-none-eabi-gcc', [...flags, `-I${runtimeSourceDir()}`, '-c', c, '-o', o]);
  } catch (e) {
    // The generator's bug, not the module's: keep gcc's own words.
    throw new InternalError(what, 'the generated C harness does not compile', (e as { stderr?: string }).stderr ?? String(e));
  }
  return readObject(readFileSync(o), 'harness.o');
}

/** Link the patched module, the harness and runtime-c into firmware for the runtime's board. */
export function linkHarnessFirmware(runtime: HarnessRuntime, patched: ObjectFile, harness: ObjectFile,
  memory: IrModule['memory'], stackSize?: number): LinkResult {
  const { board } = runtime;
  return link(
    { objects: [patched, harness, ...runtime.objects], archives: [runtime.libgcc] },
    {
      flash: board.flash,
      ram: board.ram,
      stackSize: stackSize ?? board.stackSize,
      entry: 'Reset_Handler',
      vectorSection: '.vectors',
      gcSections: true,
      ...(memory !== undefined ? { linearMemory: linearMemoryRequest(memory) } : {}),
    },
  );
}
