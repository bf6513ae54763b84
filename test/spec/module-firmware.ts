// One spec module as firmware: compiled by the real driver (compileToObject), its module
// descriptor's entry pointed at the C harness (harness-source.ts), linked with runtime-c
// and libgcc as `mcu-aot build` links (same memory request), and booted on the board's QEMU machine.
//
// Two patches to our own copy of the module object, both test-only:
//   - the descriptor's `entry` word (offset 8 of __mcu_module, docs/abi.md) gets an
//     R_ARM_ABS32 relocation to spec_harness_main, so runtime-c calls the harness after
//     instantiating the module (memory, data segments, start function) as it always does;
//   - an exported global's local symbol `<prefix>$g<i>` gets a global alias, so the
//     harness can read it for `get` actions.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { MODULE_DESCRIPTOR_SYMBOL } from '../../src/backend-thumb2/symbols.js';
import { InternalError } from '../../src/diagnostics/errors.js';
import { readArchive } from '../../src/elf/archive.js';
import type { ObjectFile, ObjSymbol } from '../../src/elf/object.js';
import { readObject } from '../../src/elf/read-object.js';
import type { Board } from '../../src/driver/board.js';
import { compileToObject, linearMemoryRequest } from '../../src/driver/build.js';
import { buildRuntime, runtimeSourceDir, targetFlags } from '../../src/driver/runtime.js';
import type { IrModule } from '../../src/ir/module.js';
import { link } from '../../src/linker/link.js';
import { buildInstanceList } from '../../src/backend-thumb2/module-instance.js';
import { compileFirmwareModules, type FirmwareModuleInput } from '../../src/driver/multi-module.js';
import type { LinkedModule } from './plan.js';
import { spectestHostObject, spectestModule } from './spectest.js';
import { runOnQemu } from '../../qemu/runner.js';
import { HARNESS_ENTRY, harnessSource, type HarnessCall } from './harness-source.js';

const run = promisify(execFile);

/** Offset of `entry` in struct mcu_module (runtime-c/mcu_module.h): abi_version, start, entry. */
const DESCRIPTOR_ENTRY_OFFSET = 8;

/** runtime-c and libgcc for one board, read once per run of the suite. */
export interface FirmwareContext {
  readonly board: Board;
  readonly runtimeObjects: readonly ObjectFile[];
  readonly libgcc: { name: string; members: ObjectFile[] };
  /** QEMU wall-clock limit per boot. */
  readonly timeoutMs: number;
  /** The spectest provider: its module and the C object implementing its printers. */
  readonly spectest: { readonly module: FirmwareModuleInput; readonly host: ObjectFile };
}

export async function firmwareContext(board: Board, timeoutMs: number): Promise<FirmwareContext> {
  const runtime = await buildRuntime(board);
  const runtimeObjects = runtime.objects.map((path) => readObject(readFileSync(path), path));
  const libgcc = readArchive(readFileSync(runtime.libgcc), runtime.libgcc);
  const spectest = { module: spectestModule(), host: spectestHostObject(board) };
  return { board, runtimeObjects, libgcc: { name: runtime.libgcc, members: libgcc.members }, timeoutMs, spectest };
}

export interface CompiledModule {
  /** The module the harness is the entry of. */
  readonly object: ObjectFile;
  readonly ir: IrModule;
  /** Multi-module firmware: the linked modules' objects, the instance list, the spectest host. */
  readonly extraObjects?: readonly ObjectFile[];
  /** Multi-module firmware: the primary memory (it may belong to a linked module). */
  readonly primaryMemory?: IrModule['memory'];
  /** Multi-module firmware: the IR of each linked module that has a script `$name`. */
  readonly linkedByLabel?: ReadonlyMap<string, IrModule>;
}

/** The driver's own pipeline (decode, validate, lower, passes, Thumb-2 object). */
export async function compileSpecModule(wasmPath: string, board: Board): Promise<CompiledModule> {
  return compileToObject({ input: wasmPath, board, emit: 'obj', log: () => {} });
}

/**
 * `wasmPath` as the entry of a multi-module firmware with `linked` instantiated before it
 * (src/driver/multi-module.ts), as `mcu-aot build entry.wasm lib.wasm...` would compile them.
 */
export function compileLinkedModules(ctx: FirmwareContext, wasmPath: string, linked: readonly LinkedModule[]): CompiledModule {
  const input = (path: string, name: string): FirmwareModuleInput => ({ name, wasm: new Uint8Array(readFileSync(path)), file: basename(path) });
  const inputs = [...linked.map((l) => (l.wasmPath === undefined ? ctx.spectest.module : input(l.wasmPath, l.as))), input(wasmPath, 'spec_entry')];
  const { objects, prefixes, irs, primary } = compileFirmwareModules(inputs, { target: { fpu: ctx.board.cpu.fpu } });
  const linkedByLabel = new Map<string, IrModule>();
  linked.forEach((l, i) => {
    if (l.label !== undefined) linkedByLabel.set(l.label, irs[i]!);
  });
  const usesSpectest = linked.some((l) => l.wasmPath === undefined);
  return {
    object: objects[objects.length - 1]!,
    ir: irs[irs.length - 1]!,
    extraObjects: [...objects.slice(0, -1), buildInstanceList(prefixes), ...(usesSpectest ? [ctx.spectest.host] : [])],
    ...(primary !== undefined && { primaryMemory: primary }),
    linkedByLabel,
  };
}

/** The global alias the harness reads exported global `index` through. */
export const globalAlias = (index: number): string => `spec_global_${index}`;

/** `object` with its descriptor's entry relocated to the harness and aliases for `globals`. */
export function withHarnessEntry(object: ObjectFile, globalSymbols: ReadonlyMap<number, string>): ObjectFile {
  const descriptor = object.symbols.find((s) => s.name === MODULE_DESCRIPTOR_SYMBOL && s.section !== null);
  if (descriptor === undefined) throw new Error(`${object.name}: no ${MODULE_DESCRIPTOR_SYMBOL}`);
  const entryOffset = descriptor.value + DESCRIPTOR_ENTRY_OFFSET;
  const sections = object.sections.map((section) => {
    if (section.name !== descriptor.section) return section;
    const bytes = section.bytes.slice();
    bytes.fill(0, entryOffset, entryOffset + 4); // REL addend lives in the field: make it 0
    const relocs = section.relocs.filter((r) => r.offset !== entryOffset);
    return { ...section, bytes, relocs: [...relocs, { offset: entryOffset, type: 'R_ARM_ABS32' as const, symbol: HARNESS_ENTRY, addend: 0 }] };
  });
  const aliases: ObjSymbol[] = [];
  for (const [index, symbolName] of globalSymbols) {
    const target = object.symbols.find((s) => s.name === symbolName && s.section !== null);
    if (target === undefined) throw new Error(`${object.name}: no global symbol ${symbolName}`);
    aliases.push({ ...target, name: globalAlias(index), binding: 'global', type: 'object' });
  }
  const harnessEntry: ObjSymbol = { name: HARNESS_ENTRY, section: null, value: 0, size: 0, binding: 'global', type: 'notype' };
  // ELF wants local symbols first: the additions are all global, so they go last.
  return { ...object, sections, symbols: [...object.symbols, ...aliases, harnessEntry] };
}

/** What a harness firmware printed, parsed (harness-source.ts describes the protocol). */
export interface HarnessRun {
  /** The module was instantiated: the harness started. */
  readonly ready: boolean;
  /** Every call ran and the harness finished. */
  readonly ended: boolean;
  /** Per call index: returned (with raw result bits, if any) or trapped (kind). */
  readonly outcomes: ReadonlyMap<number, CallOutcome>;
  readonly exitCode: number;
  readonly timedOut: boolean;
  /** Console lines that are not harness protocol (runtime reports: trap, fault, notes). */
  readonly otherLines: readonly string[];
  /** The linker's fitting of linear memory, when it gave less than declared. */
  readonly fittedMemory?: { readonly declaredBytes: number; readonly physicalBytes: number };
}

export type CallOutcome = { readonly kind: 'return'; readonly values: readonly bigint[] } | { readonly kind: 'trap'; readonly trap: number };

export function parseHarnessOutput(output: string): Pick<HarnessRun, 'ready' | 'ended' | 'outcomes' | 'otherLines'> {
  const outcomes = new Map<number, CallOutcome>();
  const otherLines: string[] = [];
  let ready = false;
  let ended = false;
  for (const line of output.split(/\r?\n/)) {
    const m = /^spec:(\d+) ([=!])((?: [0-9a-f]+)*)$/.exec(line);
    if (m !== null) {
      const index = Number(m[1]);
      const words = m[3]!.split(' ').filter((w) => w !== '');
      if (m[2] === '!') outcomes.set(index, { kind: 'trap', trap: Number(words[0]) });
      else outcomes.set(index, { kind: 'return', values: words.map((w) => BigInt(`0x${w}`)) });
    } else if (line === 'spec:ready') {
      ready = true;
    } else if (line === 'spec:end') {
      ended = true;
    } else if (line.trim() !== '') {
      otherLines.push(line);
    }
  }
  return { ready, ended, outcomes, otherLines };
}

/** gcc -Wall -Werror on the generated harness, for the board's core. */
export async function compileHarness(ctx: Pick<FirmwareContext, 'board'>, source: string, dir: string): Promise<ObjectFile> {
  const c = join(dir, 'harness.c');
  const o = join(dir, 'harness.o');
  writeFileSync(c, source);
  const flags = [...targetFlags(ctx.board), '-ffixed-r9', '-Os', '-ffreestanding', '-fno-builtin', '-nostdlib', '-Wall', '-Werror'];
  try {
    await run('arm-none-eabi-gcc', [...flags, `-I${runtimeSourceDir()}`, '-c', c, '-o', o]);
  } catch (e) {
    // The generator's bug, not the module's: keep gcc's own words.
    throw new InternalError('spec harness', 'the generated C harness does not compile', (e as { stderr?: string }).stderr ?? String(e));
  }
  return readObject(readFileSync(o), 'harness.o');
}

/**
 * Link `module` (already patched by withHarnessEntry) with a harness making `calls` from
 * `firstCall` on, boot it and parse what it printed. Throws the driver's UserError when
 * the link fails (undefined imports, memory that cannot be fitted...).
 */
export async function runHarnessFirmware(ctx: FirmwareContext, module: CompiledModule, patched: ObjectFile,
  calls: readonly HarnessCall[], firstCall: number): Promise<HarnessRun> {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-spec-'));
  try {
    const harness = await compileHarness(ctx, harnessSource(calls, firstCall), dir);
    const { board } = ctx;
    const memory = module.extraObjects !== undefined ? module.primaryMemory : module.ir.memory;
    const linked = link(
      { objects: [patched, harness, ...(module.extraObjects ?? []), ...ctx.runtimeObjects], archives: [ctx.libgcc] },
      {
        flash: board.flash,
        ram: board.ram,
        stackSize: board.stackSize,
        entry: 'Reset_Handler',
        vectorSection: '.vectors',
        gcSections: true,
        ...(memory !== undefined ? { linearMemory: linearMemoryRequest(memory) } : {}),
      },
    );
    const elf = join(dir, 'spec.elf');
    writeFileSync(elf, linked.elf);
    const result = await runOnQemu(elf, board, { timeoutMs: ctx.timeoutMs });
    const mem = linked.linearMemory;
    return {
      ...parseHarnessOutput(result.output),
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      ...(mem !== undefined && mem.fitted ? { fittedMemory: { declaredBytes: mem.declaredBytes, physicalBytes: mem.physicalBytes } } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
