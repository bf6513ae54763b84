// One random module through all three executors: generated (generate.ts), run in V8 (the
// oracle), built at each -O level and run on QEMU and in the simulator, every transcript
// compared with V8's. The result is plain data (a worker process sends it to the parent
// as JSON), bigints as hex text.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InternalError, UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import type { OptLevel } from '../../src/frontend/source-options.js';
import { planCalls } from './call-plan.js';
import { buildFuzzFirmware, runFuzzInSim, runFuzzOnQemu, type FuzzFirmwareContext } from './firmware-run.js';
import { denanModule, generateModule } from './generate.js';
import { runInV8 } from './node-run.js';
import { firstMismatch, formatTranscript, type Mismatch, type Transcript } from './transcript.js';

export const OPT_LEVELS_FUZZED: readonly OptLevel[] = ['0', '2'];

/** Executor names as they appear in reports: `qemu-O2`, `sim-O0`. */
export type ExecutorName = `${'qemu' | 'sim'}-O${OptLevel}`;

export interface ExecutorResult {
  readonly executor: ExecutorName;
  /** The transcript as text (transcript.ts formatTranscript), or why there is none. */
  readonly transcript: string;
  readonly mismatch?: Mismatch;
}

export interface ModuleReport {
  readonly seed: number;
  readonly exports: number;
  readonly oracle: string;
  readonly results: readonly ExecutorResult[];
  /** The module did not compile: a compiler bug (valid input) named by its error. */
  readonly buildError?: { readonly optLevel: OptLevel; readonly message: string };
  readonly seconds: number;
  /** Wall-clock seconds per phase (the CI budget is set from these). */
  readonly phases: Readonly<Record<Phase, number>>;
}

export type Phase = 'generate' | 'v8' | 'build' | 'qemu' | 'sim' | 'denan';

/** Adds the wall-clock time of each awaited step to its phase. */
function phaseClock(): { phases: Record<Phase, number>; time: <T>(phase: Phase, step: () => Promise<T> | T) => Promise<T> } {
  const phases: Record<Phase, number> = { generate: 0, v8: 0, build: 0, qemu: 0, sim: 0, denan: 0 };
  return {
    phases,
    time: async (phase, step) => {
      const started = process.hrtime.bigint();
      try {
        return await step();
      } finally {
        phases[phase] += Number(process.hrtime.bigint() - started) / 1e9;
      }
    },
  };
}

function errorText(e: unknown): string {
  if (e instanceof InternalError) return `internal error: ${e.message}`;
  if (e instanceof UserError) return `${e.code}: ${e.message}`;
  return `crash: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
}

function compared(executor: ExecutorName, oracle: Transcript, got: Transcript): ExecutorResult {
  const mismatch = firstMismatch(oracle, got);
  return { executor, transcript: formatTranscript(got), ...(mismatch !== undefined ? { mismatch } : {}) };
}

export const ALL_EXECUTORS: readonly ExecutorName[] = OPT_LEVELS_FUZZED.flatMap((o): ExecutorName[] => [`qemu-O${o}`, `sim-O${o}`]);

const optLevelOf = (e: ExecutorName): OptLevel => e.slice(e.indexOf('-O') + 2) as OptLevel;

type ModuleRun = Omit<ModuleReport, 'seed' | 'seconds' | 'phases'>;

/** The module at `wasmPath` in V8 and on `executors`, each firmware built and linked in `dir`. */
export async function runModuleFile(ctx: FuzzFirmwareContext, wasmPath: string, dir: string,
  executors: readonly ExecutorName[] = ALL_EXECUTORS, clock = phaseClock()): Promise<ModuleRun> {
  mkdirSync(dir, { recursive: true });
  const bytes = new Uint8Array(readFileSync(wasmPath));
  const wasm = decodeModule(bytes);
  const plan = planCalls(wasm);
  const oracle = await clock.time('v8', () => runInV8(bytes, plan));
  const results: ExecutorResult[] = [];
  let buildError: ModuleReport['buildError'];
  for (const optLevel of OPT_LEVELS_FUZZED) {
    const wanted = executors.filter((e) => optLevelOf(e) === optLevel);
    if (wanted.length === 0) continue;
    let elf: Uint8Array;
    try {
      elf = await clock.time('build', () => buildFuzzFirmware(ctx, wasmPath, wasm, plan, optLevel, dir));
    } catch (e) {
      buildError = { optLevel, message: errorText(e) };
      break;
    }
    const elfPath = join(dir, `O${optLevel}.elf`);
    writeFileSync(elfPath, elf);
    for (const executor of wanted) {
      const got = executor.startsWith('qemu')
        ? await clock.time('qemu', () => runFuzzOnQemu(ctx, elfPath, plan))
        : await clock.time('sim', () => runFuzzInSim(ctx, elf, plan));
      results.push(compared(executor, oracle, got));
    }
  }
  return { exports: plan.calls.length, oracle: formatTranscript(oracle), results, ...(buildError !== undefined ? { buildError } : {}) };
}

/**
 * `results` with each mismatch that disappears from the `--denan` version of the module
 * (NaNs replaced by 0) turned into `nan-bits`: Wasm leaves a NaN's sign and payload open,
 * and V8 on x86 and libgcc on ARM pick differently, which memory (hashMemory) and
 * reinterpretation make visible.
 */
export async function explainNaNs(ctx: FuzzFirmwareContext, wasmPath: string, dir: string, results: readonly ExecutorResult[]): Promise<ExecutorResult[]> {
  const suspects = results.filter((r) => r.mismatch !== undefined && r.mismatch.kind !== 'stack-limit').map((r) => r.executor);
  if (suspects.length === 0) return [...results];
  const denanDir = join(dir, 'denan');
  mkdirSync(denanDir, { recursive: true });
  const denanPath = join(denanDir, 'module.wasm');
  await denanModule(wasmPath, denanPath);
  const rerun = await runModuleFile(ctx, denanPath, denanDir, suspects);
  if (rerun.buildError !== undefined) return [...results];
  return results.map((r) => {
    const again = rerun.results.find((x) => x.executor === r.executor);
    if (r.mismatch === undefined || again === undefined || again.mismatch !== undefined) return r;
    return { ...r, mismatch: { ...r.mismatch, kind: 'nan-bits', detail: `agrees under --denan; was ${r.mismatch.kind}: ${r.mismatch.detail}` } };
  });
}

/** Generate the module of `seed` in `dir` and run it everywhere. */
export async function fuzzModule(ctx: FuzzFirmwareContext, seed: number, dir: string): Promise<ModuleReport> {
  const started = Date.now();
  const clock = phaseClock();
  mkdirSync(dir, { recursive: true });
  const generated = await clock.time('generate', () => generateModule(seed, dir));
  const run = await runModuleFile(ctx, generated.wasmPath, dir, ALL_EXECUTORS, clock);
  const results = await clock.time('denan', () => explainNaNs(ctx, generated.wasmPath, dir, run.results));
  return { seed, ...run, results, seconds: (Date.now() - started) / 1000, phases: clock.phases };
}

/**
 * What `executor` makes of the module at `wasmPath`, as one stable word for wasm-reduce:
 * `agree`, the mismatch kind, or `build-error`. A module V8 cannot even compile (a
 * reduction step gone wrong) is `invalid`.
 */
export async function verdictOf(ctx: FuzzFirmwareContext, wasmPath: string, executor: ExecutorName, dir: string): Promise<string> {
  let run: ModuleRun;
  try {
    run = await runModuleFile(ctx, wasmPath, dir, [executor]);
  } catch {
    return 'invalid';
  }
  if (run.buildError !== undefined) return 'build-error';
  return run.results[0]?.mismatch?.kind ?? 'agree';
}
