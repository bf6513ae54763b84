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
import { generateModule } from './generate.js';
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

type ModuleRun = Omit<ModuleReport, 'seed' | 'seconds'>;

/** The module at `wasmPath` in V8 and on `executors`, each firmware built and linked in `dir`. */
export async function runModuleFile(ctx: FuzzFirmwareContext, wasmPath: string, dir: string,
  executors: readonly ExecutorName[] = ALL_EXECUTORS): Promise<ModuleRun> {
  const bytes = new Uint8Array(readFileSync(wasmPath));
  const wasm = decodeModule(bytes);
  const plan = planCalls(wasm);
  const oracle = runInV8(bytes, plan);
  const results: ExecutorResult[] = [];
  let buildError: ModuleReport['buildError'];
  for (const optLevel of OPT_LEVELS_FUZZED) {
    const wanted = executors.filter((e) => optLevelOf(e) === optLevel);
    if (wanted.length === 0) continue;
    let elf: Uint8Array;
    try {
      elf = await buildFuzzFirmware(ctx, wasmPath, wasm, plan, optLevel, dir);
    } catch (e) {
      buildError = { optLevel, message: errorText(e) };
      break;
    }
    const elfPath = join(dir, `O${optLevel}.elf`);
    writeFileSync(elfPath, elf);
    for (const executor of wanted) {
      const got = executor.startsWith('qemu') ? await runFuzzOnQemu(ctx, elfPath, plan) : runFuzzInSim(ctx, elf, plan);
      results.push(compared(executor, oracle, got));
    }
  }
  return { exports: plan.calls.length, oracle: formatTranscript(oracle), results, ...(buildError !== undefined ? { buildError } : {}) };
}

/** Generate the module of `seed` in `dir` and run it everywhere. */
export async function fuzzModule(ctx: FuzzFirmwareContext, seed: number, dir: string): Promise<ModuleReport> {
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  const generated = await generateModule(seed, dir);
  const run = await runModuleFile(ctx, generated.wasmPath, dir);
  return { seed, ...run, seconds: (Date.now() - started) / 1000 };
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
