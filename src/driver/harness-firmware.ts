// Firmware whose entry is a generated C harness instead of the module's `_start`: the
// `mcu-aot test` runner (test-harness.ts) and the spec testsuite runner (test/spec/) both
// build one. The module is compiled as always (compileToObject); our copy of its object gets
// its descriptor's `entry` word (offset 8 of __mcu_module, docs/abi.md) relocated to the
// harness's entry symbol, so runtime-c instantiates the module (memory, data segments, start
// function) exactly as in production and then calls the harness. The harness is compiled by
// gcc for the board's core and linked with runtime-c and libgcc by linkWithRuntime
// (link-firmware.ts), as `mcu-aot build` links. Both harnesses survive a trap in a call
// the same way: HARNESS_TRAP_RECOVERY_C.

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MODULE_DESCRIPTOR_SYMBOL } from '../backend-thumb2/symbols.js';
import { InternalError } from '../diagnostics/errors.js';
import type { ObjectFile, ObjSymbol } from '../elf/object.js';
import { readObject } from '../elf/read-object.js';
import type { Board } from './board.js';
import { runtimeSourceDir, targetFlags } from './runtime.js';

const run = promisify(execFile);

/** Offset of `entry` in struct mcu_module (runtime-c/mcu_module.h): abi_version, start, entry. */
const DESCRIPTOR_ENTRY_OFFSET = 8;

/**
 * The start of every harness's C source: includes, and recovery from a trap in a call the
 * harness makes. Before each call the harness sets `harness_armed` and takes
 * `harness_setjmp(harness_recover)`; runtime-c's fault handler asks `mcu_trap_hook` first
 * (docs/abi.md, "Trap hook"), which sends the trap back to that setjmp (it returns 1) with
 * the trap's kind in `harness_trap_kind`. Outside a call (start function, data segments) a
 * trap is reported and ends the firmware as usual.
 */
export const HARNESS_TRAP_RECOVERY_C = String.raw`#include <stdint.h>
#include "mcu_runtime.h"
#include "trap.h"

/* setjmp of our own (no libc in the firmware): saves sp, r4-r11, lr. */
typedef uint32_t harness_jmp_buf[10];
__attribute__((naked, returns_twice, noinline)) static int harness_setjmp(harness_jmp_buf buf) {
  (void)buf;
  __asm__ volatile("mov r1, sp\n\tstmia r0, {r1, r4-r11, lr}\n\tmovs r0, #0\n\tbx lr\n");
}

__attribute__((used)) static harness_jmp_buf harness_recover;
static volatile unsigned harness_armed, harness_trap_kind;

/* Where a trapped call resumes: the longjmp to harness_recover, with no stack use of its own
 * (the trapping code's stack may be exhausted). setjmp then returns 1. */
__attribute__((naked, noinline)) static void harness_resume(void) {
  __asm__ volatile(
      "movw r0, #:lower16:harness_recover\n\tmovt r0, #:upper16:harness_recover\n\t"
      "ldmia r0, {r1, r4-r11, lr}\n\tmov sp, r1\n\tmovs r0, #1\n\tbx lr\n");
}

mcu_trap_resume_fn mcu_trap_hook(unsigned kind) {
  if (!harness_armed) return 0;
  harness_armed = 0;
  harness_trap_kind = kind;
  return harness_resume;
}
`;

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
