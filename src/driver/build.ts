// The build pipeline, stage by stage: load -> decode -> validate -> IR -> passes -> Thumb-2
// object -> link with runtime-c and libgcc -> ELF, .bin, .hex, map. Each stage hands the next
// one data structure; the driver only sequences them and writes the outputs.

import { basename, dirname, extname, join } from 'node:path';
import { compileModule } from '../backend-thumb2/compile.js';
import { PROFILE_MAP_SECTION } from '../backend-thumb2/profile-map.js';
import { userError } from '../diagnostics/errors.js';
import { decodeModule } from '../frontend/decode.js';
import { loadWasm } from '../frontend/load.js';
import type { OptLevel } from '../frontend/source-options.js';
import { lowerModule } from '../frontend/lower/module.js';
import { validateModule } from '../frontend/validate.js';
import { runPipeline } from '../ir/pipeline.js';
import { loadBuildProfile, profiledPipeline } from '../pgo/build-profile.js';
import { formatPgoReport } from '../pgo/report.js';
import type { IrModule } from '../ir/module.js';
import type { ObjectFile } from '../elf/object.js';
import { writeObject } from '../elf/write-object.js';
import type { LinkResult } from '../linker/link.js';
import type { Board } from './board.js';
import { writeFileAtomic } from './output.js';
import type { ProgressListener } from './progress.js';
import { buildInterruptVeneers } from '../backend-thumb2/interrupt-veneers.js';
import { interruptVeneerSpecs } from './interrupts.js';
import { grantedRanges } from './peripherals.js';
import type { InterruptBinding, PeripheralGrant } from './project.js';
import { linkWithRuntime, loadFirmwareRuntime } from './link-firmware.js';
import { linkModuleFiles } from './build-modules.js';
import { maskBitsFor, physicalMemoryFor, type BoundsMode } from './bounds-mode.js';

const withMask = (maskBits: number | undefined): { maskBits?: number } => (maskBits === undefined ? {} : { maskBits });

export type EmitKind = 'obj' | 'elf' | 'bin' | 'hex';

export interface BuildOptions {
  readonly input: string;
  /** More modules (`path` or `name=path`) linked into the firmware with `input` as the entry (build-modules.ts). */
  readonly libraries?: readonly string[];
  readonly board: Board;
  /** Main output path; defaults to the input's path with the emit kind's extension. */
  readonly output?: string;
  readonly emit: EmitKind;
  /** Physical linear memory size in bytes (--memory). */
  readonly memory?: number;
  /** Refuse to fit a declared memory larger than the board can give (--strict-memory). */
  readonly strictMemory?: boolean;
  /** Out-of-bounds policy (--bounds, bounds-mode.ts): 'trap' (default, exact) or 'mask'. */
  readonly bounds?: BoundsMode;
  readonly disablePasses?: readonly string[];
  readonly dumpAfter?: readonly string[];
  /** Run the IR verifier after every pass. */
  readonly verify?: boolean;
  /** Machine stack in bytes; overrides the board's `stack.size` (project config `stack_size`). */
  readonly stackSize?: number;
  /** -O level: selects the IR pipeline (default -O2); the C and AssemblyScript compilers use it too. */
  readonly optLevel?: OptLevel;
  /** Profile for a profile-guided build (src/pgo/build-profile.ts). */
  readonly profile?: string;
  /** With a profile: what it changed, per function; true prints it to the log, a string is a file to write it to. */
  readonly pgoReport?: true | string;
  /** Peripheral ranges granted beyond the board's (project [peripherals], --grant). */
  readonly grants?: readonly PeripheralGrant[];
  /** IRQ lines bound to exported handlers (project [interrupts]). */
  readonly interrupts?: readonly InterruptBinding[];
  /** Put the profile map into the ELF (`.mcu_aot.pgo_map`, not loaded): `mcu-aot profile` reads it. */
  readonly profileMap?: boolean;
  /** Wasm functions (by name) never inlined, so that their entry addresses see every call
   *  (the benchmarks' timed-region markers). */
  readonly keepOutOfLine?: readonly string[];
  /** Where progress notes and dumps go (stderr in the CLI). */
  readonly log: (line: string) => void;
  /** Told of each function optimised and compiled, and of linking (a terminal's status line). */
  readonly onProgress?: ProgressListener;
}

export interface BuildResult {
  /** Files written, main output first. */
  readonly outputs: readonly string[];
  readonly link?: LinkResult;
}

export const EMIT_EXTENSIONS: Record<EmitKind, string> = { obj: '.o', elf: '.elf', bin: '.bin', hex: '.hex' };

/** Compile a Wasm (or .wat) file to a relocatable object, in memory. */
export async function compileToObject(opts: BuildOptions): Promise<{ object: ObjectFile; ir: IrModule }> {
  const { bytes, file } = await loadWasm(opts.input, { log: opts.log, ...(opts.optLevel !== undefined ? { optLevel: opts.optLevel } : {}) });
  return compileBytesToObject(bytes, file, opts);
}

/** The options of the in-memory compile, from Wasm bytes to an object. */
export type CompileBytesOptions = Pick<BuildOptions, 'bounds' | 'memory' | 'board' | 'disablePasses' | 'dumpAfter' | 'verify' | 'optLevel' | 'grants' | 'log' | 'onProgress' | 'profileMap' | 'profile' | 'pgoReport' | 'keepOutOfLine' | 'interrupts'>;

/** Compile Wasm bytes already in memory (the fuzzer feeds mutated modules here). */
export function compileBytesToObject(bytes: Uint8Array, file: string | undefined, opts: CompileBytesOptions): { object: ObjectFile; ir: IrModule } {
  const module = decodeModule(bytes, file);
  validateModule(module, file);
  const ir = lowerModule(module, { prefix: 'wasm', file, hal: { grants: grantedRanges(opts.board, opts.grants) } });
  const profile = opts.profile === undefined ? undefined : loadBuildProfile({ file: opts.profile, wasm: bytes, module, board: opts.board.name, log: opts.log });
  const keepOutOfLine = functionIndicesByName(ir, opts.keepOutOfLine ?? [], file);
  for (const [i, f] of ir.bodies.entries()) {
    opts.onProgress?.({ stage: 'optimising', done: i, total: ir.bodies.length, item: f.name });
    const profiled = profiledPipeline(profile, f.index, opts.optLevel);
    runPipeline(f, {
      disable: opts.disablePasses ?? [],
      dumpAfter: opts.dumpAfter ?? [],
      verify: opts.verify ?? false,
      dump: (pass, text) => opts.log(`; after ${pass}\n${text}`),
      context: { module: ir, keepOutOfLine, ...(profiled.profile !== undefined && { profile: profiled.profile }) },
      ...(profiled.optLevel !== undefined && { optLevel: profiled.optLevel }),
    });
  }
  if (profile !== undefined && opts.pgoReport !== undefined) {
    const report = formatPgoReport(profile, ir.bodies);
    if (opts.pgoReport === true) report.forEach((line) => opts.log(line));
    else writeFileAtomic(opts.pgoReport, `${report.join('\n')}\n`);
  }
  return { object: compileModule(ir, { target: { fpu: opts.board.cpu.fpu, ...withMask(maskBitsFor(opts, ir.memory)), interruptHandlers: (opts.interrupts ?? []).length > 0 }, onFunction: (done, total, name) => opts.onProgress?.({ stage: 'compiling', done, total, item: name }), profileMap: opts.profileMap === true }), ir };
}

/** The indices of the defined functions named `names` (name section or export names). */
function functionIndicesByName(ir: IrModule, names: readonly string[], file: string | undefined): Set<number> {
  return new Set(names.map((name) => {
    const body = ir.bodies.find((b) => b.name === name || ir.functions[b.index]?.name === name);
    if (body === undefined) throw userError('usage', `no function '${name}' to keep out of line`, { ...(file !== undefined && { file }) });
    return body.index;
  }));
}

export async function build(opts: BuildOptions): Promise<BuildResult> {
  const main = opts.output ?? defaultOutput(opts.input, opts.emit);
  const result = opts.libraries !== undefined && opts.libraries.length > 0
    ? await linkModuleFiles(opts, opts.libraries)
    : await compileAndLink(opts, main);
  if (result === undefined) return { outputs: [main] };
  const stem = join(dirname(main), basename(main, extname(main)));
  const files: [string, Uint8Array | string][] = opts.emit === 'elf'
    ? [[main, result.elf], [`${stem}.bin`, result.bin], [`${stem}.map`, result.map]]
    : [[main, opts.emit === 'bin' ? result.bin : result.hex]];
  // The main output last: once it is there, its .bin and .map are from the same build.
  for (const [path, data] of [...files.slice(1), files[0]!]) writeFileAtomic(path, data);
  return { outputs: files.map(([path]) => path), link: result };
}

/** The single-module build: the object alone (written here) for --emit obj, else linked. */
async function compileAndLink(opts: BuildOptions, main: string): Promise<LinkResult | undefined> {
  const { object, ir } = await compileToObject(opts);
  if (opts.emit === 'obj') {
    writeFileAtomic(main, writeObject(object));
    return undefined;
  }
  return linkFirmware(object, ir, opts);
}

async function linkFirmware(object: ObjectFile, ir: IrModule, opts: BuildOptions): Promise<LinkResult> {
  opts.onProgress?.({ stage: 'linking', done: 0, total: 1 });
  const interrupts = interruptVeneerSpecs(opts.interrupts ?? [], opts.board, ir);
  const veneers = interrupts.length > 0 ? [buildInterruptVeneers(interrupts)] : [];
  // The profile map rides along as an ELF info section, not as a linker input (it is not code or data).
  const map = object.sections.find((s) => s.name === PROFILE_MAP_SECTION);
  const code = map === undefined ? object : { ...object, sections: object.sections.filter((s) => s !== map) };
  const result = linkWithRuntime(await loadFirmwareRuntime(opts.board), [code, ...veneers],
    { memory: ir.memory, physicalMemory: physicalMemoryFor(opts, ir.memory), stackSize: opts.stackSize, ...(map !== undefined ? { infoSections: [{ name: map.name, bytes: map.bytes }] } : {}) });
  const mem = result.linearMemory;
  if (mem !== undefined && mem.fitted) {
    const note = `linear memory fitted: declared ${kib(mem.declaredBytes)}, physical ${kib(mem.physicalBytes)} on ${opts.board.name}`;
    if (opts.strictMemory === true) {
      throw userError('memory-fit', note, { file: opts.input }, 'declare less memory (clang: -Wl,--initial-memory=<bytes> -z stack-size=<bytes>) or drop --strict-memory');
    }
    opts.log(note);
  }
  return result;
}

function defaultOutput(input: string, emit: EmitKind): string {
  const stem = join(dirname(input), basename(input, extname(input)));
  return stem + EMIT_EXTENSIONS[emit];
}

const kib = (bytes: number): string => (bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`);
