// Runs one benchmark program through every configuration on one board: build, boot on
// QEMU with the instruction-counting plugin, verify, measure. A configuration that cannot
// build, crashes, does not reach its timed region or does not verify is an outcome with a
// reason, never a number; mcu-aot's "not supported yet" errors are their own outcome.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Board } from '../src/driver/board.js';
import { UserError } from '../src/diagnostics/errors.js';
import { baseFunctionName, definedFunctionNames, readFunctionSymbols, type FunctionSymbol } from './elf-symbols.js';
import { runCounted } from './insn-count.js';
import { buildMcuAot, functionIndex, mcuAotFunctionSymbol } from './mcu-aot-build.js';
import { buildMcuAotPgo, type ProfileGain } from './mcu-aot-pgo-build.js';
import { buildNative, compileArm, type NativeOpt } from './native-build.js';
import type { BenchProgram } from './programs.js';
import { measureSimSpeed, type SimSpeed } from './sim-speed.js';
import { buildWasm2c, wasm2cFunctionName } from './wasm2c-build.js';
import { buildWasmModule, type WasmModule } from './wasm-build.js';

export type ConfigId = 'native-O2' | 'native-Os' | 'wasm2c-O2' | 'mcu-aot' | 'mcu-aot-pgo';

export const CONFIGURATIONS: readonly { readonly id: ConfigId; readonly description: string }[] = [
  { id: 'native-O2', description: 'arm-none-eabi-gcc -O2, bare metal' },
  { id: 'native-Os', description: 'arm-none-eabi-gcc -Os, bare metal' },
  { id: 'wasm2c-O2', description: 'clang -O2 -> Wasm -> wasm2c -> arm-none-eabi-gcc -O2 (explicit bounds checks)' },
  { id: 'mcu-aot', description: 'clang -O2 -> Wasm -> mcu-aot' },
  { id: 'mcu-aot-pgo', description: 'clang -O2 -> Wasm -> mcu-aot with a profile: the mcu-aot firmware profiled in the host simulator (mcu-aot profile, whole run), the module rebuilt with it (--profile)' },
];

export interface Measurement {
  readonly status: 'ok';
  /** Instructions executed in the timed region (QEMU plugin). */
  readonly instructions: number;
  /** Bytes of the program's own functions in the firmware. */
  readonly codeBytes: number;
  /** Milliseconds from .wasm to ELF (Wasm configurations only). */
  readonly compileMs?: number;
  /** Instructions of the whole run (QEMU plugin). */
  readonly totalInstructions?: number;
  /** The host simulator on the same firmware: counts and speed beside QEMU's (mcu-aot builds, unless --no-sim). */
  readonly simSpeed?: SimSpeed;
  /** Why the simulator runs gave no figures (the QEMU measurement above still stands). */
  readonly simFailure?: string;
  /** mcu-aot-pgo: simulator cycles of the whole run without and with the profile. */
  readonly profileGain?: ProfileGain;
}

export type Outcome =
  | Measurement
  | { readonly status: 'failed'; readonly reason: string }
  | { readonly status: 'unsupported'; readonly reason: string };

export interface ProgramResult {
  readonly program: string;
  readonly board: string;
  readonly outcomes: Readonly<Record<ConfigId, Outcome>>;
}

export interface HarnessOptions {
  /** Where builds go; a folder per board and program is made under it. */
  readonly workDir: string;
  /** Path of the built instruction-count plugin. */
  readonly plugin: string;
  readonly configs?: readonly ConfigId[];
  readonly log?: (line: string) => void;
  /** Run mcu-aot's firmware in the host simulator too (bench/sim-speed.ts). */
  readonly simulate?: boolean;
}

interface Firmware {
  readonly elf: string;
  /** Symbols of the timed region's start and stop functions in this firmware. */
  readonly startSymbol: string;
  readonly stopSymbol: string;
  /** Whether a function symbol is part of the program's own code. */
  readonly isOwnCode: (symbol: string) => boolean;
  readonly compileMs?: number;
}

const oneLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 160);

/** Runs a firmware and measures it; `checksum` is the verified result, for comparing configurations. */
async function measure(
  program: BenchProgram, board: Board, firmware: Firmware, plugin: string, reference?: string,
): Promise<{ outcome: Outcome; checksum?: string }> {
  const failed = (reason: string): { outcome: Outcome } => ({ outcome: { status: 'failed', reason } });
  const symbols = await readFunctionSymbols(firmware.elf);
  const find = (name: string): FunctionSymbol | undefined => symbols.get(name);
  const start = find(firmware.startSymbol);
  const stop = find(firmware.stopSymbol);
  if (start === undefined || stop === undefined) {
    return failed(`marker '${start === undefined ? firmware.startSymbol : firmware.stopSymbol}' not in the ELF`);
  }
  const run = await runCounted(firmware.elf, board, { start: start.address, stop: stop.address }, plugin);
  if (run.timedOut) return failed('timed out on QEMU');
  const verdict = program.verify(run);
  if (!verdict.ok) {
    const trap = /^(trap|fault|wasm2c trap): .*$/m.exec(run.output)?.[0];
    return failed(trap ?? verdict.reason);
  }
  if (reference !== undefined && verdict.checksum !== reference) {
    return failed(`result differs from native -O2: ${verdict.checksum}`);
  }
  if (run.regions.length !== 1) return failed(`timed region seen ${run.regions.length} times, expected once`);
  let codeBytes = 0;
  for (const s of symbols.values()) if (firmware.isOwnCode(s.name)) codeBytes += s.size;
  const outcome: Measurement = {
    status: 'ok',
    instructions: run.regions[0]!,
    codeBytes,
    ...(firmware.compileMs !== undefined ? { compileMs: firmware.compileMs } : {}),
    ...(run.total !== undefined ? { totalInstructions: run.total } : {}),
  };
  return { outcome, checksum: verdict.checksum };
}

/** The ELF symbol of a timed-region marker function in an mcu-aot firmware of `module`. */
function mcuAotMarker(module: WasmModule, name: string): string {
  const index = functionIndex(module, name);
  if (index === undefined) throw new Error(`no function '${name}' in the module's name section`);
  return mcuAotFunctionSymbol(index);
}

function isUnsupported(e: unknown): boolean {
  return e instanceof UserError && (e.code === 'unsupported' || e.code === 'unsupported-feature');
}

export async function benchmarkProgram(program: BenchProgram, board: Board, opts: HarnessOptions): Promise<ProgramResult> {
  const configs = new Set(opts.configs ?? CONFIGURATIONS.map((c) => c.id));
  const log = opts.log ?? ((): void => {});
  const dir = join(opts.workDir, board.name, program.name);
  rmSync(dir, { recursive: true, force: true });
  const folder = (name: string): string => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const outcomes: Partial<Record<ConfigId, Outcome>> = {};
  const attempt = async (id: ConfigId, run: () => Promise<Outcome>): Promise<void> => {
    if (!configs.has(id)) return;
    try {
      outcomes[id] = await run();
    } catch (e) {
      outcomes[id] = isUnsupported(e) ? { status: 'unsupported', reason: oneLine(e) } : { status: 'failed', reason: oneLine(e) };
    }
    const o = outcomes[id]!;
    log(`${board.name} ${program.name} ${id}: ${o.status === 'ok' ? `${o.instructions} instructions, ${o.codeBytes} bytes` : `${o.status}: ${o.reason}`}`);
  };

  // The program's own functions, by C name, from its native objects (clones included).
  const ownNames = new Set<string>();
  let reference: string | undefined;
  const native = (opt: NativeOpt) => async (): Promise<Outcome> => {
    const built = await buildNative(program, board, opt, folder(`native${opt}`));
    for (const n of await definedFunctionNames(built.ownObjects)) ownNames.add(n);
    const { outcome, checksum } = await measure(program, board, {
      elf: built.elf, startSymbol: program.markers.start, stopSymbol: program.markers.stop,
      isOwnCode: (s) => ownNames.has(baseFunctionName(s)),
    }, opts.plugin, reference);
    reference ??= checksum;
    return outcome;
  };
  await attempt('native-O2', native('-O2'));
  await attempt('native-Os', native('-Os'));

  if (ownNames.size === 0) {
    // No native build ran (or none compiled): name the program's functions from its objects alone.
    try {
      const objects = await compileArm(board, {
        tag: 'own', sources: program.ownSources, includeDirs: program.includeDirs, defines: program.defines, opt: '-O2',
      }, folder('own-names'));
      for (const n of await definedFunctionNames(objects)) ownNames.add(n);
    } catch {
      // The configurations below report the build problem themselves.
    }
  }

  let module: WasmModule | undefined;
  let moduleError: string | undefined;
  if (configs.has('wasm2c-O2') || configs.has('mcu-aot') || configs.has('mcu-aot-pgo')) {
    try {
      module = await buildWasmModule(program, folder('wasm'));
    } catch (e) {
      moduleError = `Wasm build: ${oneLine(e)}`;
    }
  }
  const needModule = (): WasmModule => {
    if (module === undefined) throw new Error(moduleError ?? 'no Wasm module');
    return module;
  };
  const ownWasmIndexes = (): Set<number> =>
    new Set([...needModule().functionNames].filter(([, n]) => ownNames.has(n)).map(([i]) => i));

  await attempt('wasm2c-O2', async () => {
    const m = needModule();
    const built = await buildWasm2c(program, m, board, folder('wasm2c'));
    const prefix = wasm2cFunctionName('');
    return (await measure(program, board, {
      elf: built.elf,
      startSymbol: wasm2cFunctionName(program.markers.start),
      stopSymbol: wasm2cFunctionName(program.markers.stop),
      isOwnCode: (s) => s.startsWith(prefix) && ownNames.has(baseFunctionName(s.slice(prefix.length))),
      compileMs: built.compileMs,
    }, opts.plugin, reference)).outcome;
  });

  await attempt('mcu-aot', async () => {
    const m = needModule();
    const built = await buildMcuAot(m, program.name, board, folder('mcu-aot'), [program.markers.start, program.markers.stop]);
    const own = new Set([...ownWasmIndexes()].map(mcuAotFunctionSymbol));
    const { outcome } = await measure(program, board, {
      elf: built.elf, startSymbol: mcuAotMarker(m, program.markers.start), stopSymbol: mcuAotMarker(m, program.markers.stop),
      isOwnCode: (s) => own.has(s), compileMs: built.compileMs,
    }, opts.plugin, reference);
    if (opts.simulate !== true || outcome.status !== 'ok' || outcome.totalInstructions === undefined) return outcome;
    try {
      return { ...outcome, simSpeed: await measureSimSpeed(built.elf, board, outcome.totalInstructions) };
    } catch (e) {
      return { ...outcome, simFailure: oneLine(e) };
    }
  });

  await attempt('mcu-aot-pgo', async () => {
    const m = needModule();
    const built = await buildMcuAotPgo(m, program.name, board, folder('mcu-aot-pgo'), [program.markers.start, program.markers.stop]);
    const own = new Set([...ownWasmIndexes()].map(mcuAotFunctionSymbol));
    const { outcome } = await measure(program, board, {
      elf: built.elf, startSymbol: mcuAotMarker(m, program.markers.start), stopSymbol: mcuAotMarker(m, program.markers.stop), isOwnCode: (s) => own.has(s),
    }, opts.plugin, reference);
    return outcome.status === 'ok' ? { ...outcome, profileGain: built.gain } : outcome;
  });

  const result = {} as Record<ConfigId, Outcome>;
  for (const c of CONFIGURATIONS) if (outcomes[c.id] !== undefined) result[c.id] = outcomes[c.id]!;
  return { program: program.name, board: board.name, outcomes: result };
}
