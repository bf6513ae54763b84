// One spec module as firmware: compiled by the real driver (compileToObject), its module
// descriptor's entry pointed at the C harness (harness-source.ts), linked with runtime-c
// and libgcc as `mcu-aot build` links, and booted on the board's QEMU machine, in the
// simulator, or on both (boot-engine.ts). The harness
// firmware itself is the driver's, shared with `mcu-aot test` (src/driver/harness-firmware.ts,
// link-firmware.ts); what is spec-only is that an exported global's local symbol
// `<prefix>$g<i>` gets a global alias, so the harness can read it for `get` actions.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ObjectFile, ObjSymbol } from '../../src/elf/object.js';
import type { Board } from '../../src/driver/board.js';
import { compileToObject } from '../../src/driver/build.js';
import { compileHarnessC, withEntryRelocated } from '../../src/driver/harness-firmware.js';
import { linkWithRuntime, loadFirmwareRuntime, type FirmwareRuntime } from '../../src/driver/link-firmware.js';
import type { IrModule } from '../../src/ir/module.js';
import { buildInstanceList } from '../../src/backend-thumb2/module-instance.js';
import { compileFirmwareModules, type FirmwareModuleInput } from '../../src/driver/multi-module.js';
import type { LinkedModule } from './plan.js';
import { spectestHostObject, spectestModule } from './spectest.js';
import { bootFirmware, type Engine, type EngineDifference } from './boot-engine.js';
import { HARNESS_ENTRY, harnessSource, type HarnessCall } from './harness-source.js';

/** runtime-c and libgcc for one board, read once per run of the suite, and what every boot shares. */
export interface FirmwareContext extends FirmwareRuntime {
  /** QEMU wall-clock limit per boot (and the simulator's budget, boot-engine.ts). */
  readonly timeoutMs: number;
  /** Where each firmware boots. */
  readonly engine: Engine;
  /** The spectest provider: its module and the C object implementing its printers. */
  readonly spectest: { readonly module: FirmwareModuleInput; readonly host: ObjectFile };
}

export async function firmwareContext(board: Board, timeoutMs: number, engine: Engine = 'qemu'): Promise<FirmwareContext> {
  const spectest = { module: spectestModule(), host: spectestHostObject(board) };
  return { ...(await loadFirmwareRuntime(board)), timeoutMs, engine, spectest };
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
  /** Multi-module firmware: a linked module's memory got fewer bytes than it declares (this many). */
  readonly cappedModuleMemory?: { readonly declaredBytes: number; readonly physicalBytes: number };
}

/**
 * Bytes reserved for a memory a linked module defines (the spectest provider's page, a
 * registered module's): all of it where RAM is plenty, a quarter of RAM on a small board,
 * so that the entry's own memory and the stack still fit beside it.
 */
function moduleMemoryBytes(board: Board): number | undefined {
  const SMALL_RAM = 1024 * 1024;
  return board.ram.size < SMALL_RAM ? board.ram.size / 4 : undefined;
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
  const moduleMemory = moduleMemoryBytes(ctx.board);
  const { objects, prefixes, irs, primary } = compileFirmwareModules(inputs, { target: { fpu: ctx.board.cpu.fpu }, ...(moduleMemory !== undefined && { moduleMemory }) });
  const largest = Math.max(0, ...irs.filter((ir) => ir.memory !== undefined && ir.memory !== primary && ir.memory.import === undefined).map((ir) => ir.memory!.minPages * 65536));
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
    ...(moduleMemory !== undefined && largest > moduleMemory && { cappedModuleMemory: { declaredBytes: largest, physicalBytes: moduleMemory } }),
  };
}

/** The global alias the harness reads exported global `index` through. */
export const globalAlias = (index: number): string => `spec_global_${index}`;

/** `object` with its descriptor's entry relocated to the harness and aliases for `globals`. */
export function withHarnessEntry(object: ObjectFile, globalSymbols: ReadonlyMap<number, string>): ObjectFile {
  const aliases: ObjSymbol[] = [];
  for (const [index, symbolName] of globalSymbols) {
    const target = object.symbols.find((s) => s.name === symbolName && s.section !== null);
    if (target === undefined) throw new Error(`${object.name}: no global symbol ${symbolName}`);
    aliases.push({ ...target, name: globalAlias(index), binding: 'global', type: 'object' });
  }
  return withEntryRelocated(object, HARNESS_ENTRY, aliases);
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
  /** Bytes of RAM the primary linear memory may use (its size and growth), when it has one. */
  readonly physicalMemoryBytes?: number;
  /** Per call index: the page count a memory.grow in it asked for and the board could not give. */
  readonly refusedGrowth: ReadonlyMap<number, number>;
  /** Engine `both`: the simulator's boot differed from QEMU's (which this run is parsed from). */
  readonly difference?: EngineDifference;
}

export type CallOutcome = { readonly kind: 'return'; readonly values: readonly bigint[] } | { readonly kind: 'trap'; readonly trap: number };

export function parseHarnessOutput(output: string): Pick<HarnessRun, 'ready' | 'ended' | 'outcomes' | 'otherLines' | 'refusedGrowth'> {
  const outcomes = new Map<number, CallOutcome>();
  const refusedGrowth = new Map<number, number>();
  const otherLines: string[] = [];
  let ready = false;
  let ended = false;
  for (const line of output.split(/\r?\n/)) {
    const m = /^spec:(\d+) ([=!~])((?: [0-9a-f]+)*)$/.exec(line);
    if (m !== null) {
      const index = Number(m[1]);
      const words = m[3]!.split(' ').filter((w) => w !== '');
      if (m[2] === '~') refusedGrowth.set(index, Number(words[0]));
      else if (m[2] === '!') outcomes.set(index, { kind: 'trap', trap: Number(words[0]) });
      else outcomes.set(index, { kind: 'return', values: words.map((w) => BigInt(`0x${w}`)) });
    } else if (line === 'spec:ready') {
      ready = true;
    } else if (line === 'spec:end') {
      ended = true;
    } else if (line.trim() !== '') {
      otherLines.push(line);
    }
  }
  return { ready, ended, outcomes, otherLines, refusedGrowth };
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
    const harness = await compileHarnessC(ctx.board, harnessSource(calls, firstCall), dir, 'spec harness');
    const memory = module.extraObjects !== undefined ? module.primaryMemory : module.ir.memory;
    const linked = linkWithRuntime(ctx, [patched, harness, ...(module.extraObjects ?? [])], { memory });
    const boot = await bootFirmware(linked.elf, join(dir, 'spec.elf'), ctx.board, ctx.engine, ctx.timeoutMs);
    const parsed = parseHarnessOutput(boot.output);
    const mem = linked.linearMemory;
    return {
      ...parsed,
      ...(boot.stopNote !== undefined && { otherLines: [...parsed.otherLines, `sim: ${boot.stopNote}`] }),
      exitCode: boot.exitCode,
      timedOut: boot.timedOut,
      ...(boot.difference !== undefined && { difference: boot.difference }),
      ...(mem !== undefined && mem.fitted ? { fittedMemory: { declaredBytes: mem.declaredBytes, physicalBytes: mem.physicalBytes } }
        : module.cappedModuleMemory !== undefined ? { fittedMemory: module.cappedModuleMemory } : {}),
      ...(mem !== undefined && { physicalMemoryBytes: mem.physicalBytes }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
