// The benchmark programs: CoreMark and the Embench-IoT programs, read in place from
// <repo>/../shared/bench-suites (third-party sources, never copied into this repository),
// with our board ports from bench/ports/. A program says which sources are its own (their
// functions are what the code-size table counts), which support and port files go with
// them, where its timed region starts and stops, and how to tell that a run verified.

import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunOutput {
  readonly exitCode: number;
  /** Console output: the UART and the semihosting console together. */
  readonly output: string;
}

export type Verdict = { readonly ok: true; readonly checksum: string } | { readonly ok: false; readonly reason: string };

export interface BenchProgram {
  readonly name: string;
  readonly suite: 'coremark' | 'embench';
  /** The benchmark's own C files (absolute paths). */
  readonly ownSources: readonly string[];
  /** Suite support files and our port, compiled into every build of it (absolute paths). */
  readonly supportSources: readonly string[];
  readonly includeDirs: readonly string[];
  /** -D definitions, without the -D. */
  readonly defines: readonly string[];
  /** C functions whose entries open and close the timed region (instruction count). */
  readonly markers: { readonly start: string; readonly stop: string };
  readonly verify: (run: RunOutput) => Verdict;
}

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url)).replace(/[/\\]dist[/\\]bench$/, '/bench');
export const REPO_ROOT = dirname(BENCH_DIR);
export const SUITES_DIR = resolve(REPO_ROOT, '..', 'shared', 'bench-suites');
export const PORTS_DIR = join(BENCH_DIR, 'ports');

/** Embench programs, in the order of the suite's own listing. */
export const EMBENCH_PROGRAMS: readonly string[] = [
  'aha-mont64', 'crc32', 'depthconv', 'edn', 'matmult-int', 'md5sum', 'nettle-aes',
  'nettle-sha256', 'sglib-combined', 'statemate', 'tarfind', 'ud', 'xgboost',
];

/** CoreMark iterations: small enough for QEMU, enough to exercise every kernel repeatedly. */
export const COREMARK_ITERATIONS = 10;

const cFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.c')).sort().map((f) => join(dir, f));

/** Embench's main() returns 0 exactly when verify_benchmark accepted the result. */
function verifyEmbench(run: RunOutput): Verdict {
  if (run.exitCode === 0) return { ok: true, checksum: 'exit 0' };
  return { ok: false, reason: `verify_benchmark failed (exit code ${run.exitCode})` };
}

const COREMARK_CRC_LINE = /^(seedcrc|\[0\]crc\w+)\s*: (0x[0-9a-f]{4})$/gm;

/** CoreMark checks its CRCs against the known values and says so; we also keep the CRCs. */
function verifyCoremark(run: RunOutput): Verdict {
  const crcs = [...run.output.matchAll(COREMARK_CRC_LINE)].map((m) => `${m[1]}=${m[2]}`);
  if (!run.output.includes('Correct operation validated')) {
    const error = /^.*(ERROR|Errors detected).*$/m.exec(run.output)?.[0];
    return { ok: false, reason: error ?? `no "Correct operation validated" (exit code ${run.exitCode})` };
  }
  if (run.exitCode !== 0) return { ok: false, reason: `exit code ${run.exitCode}` };
  if (crcs.length < 5) return { ok: false, reason: 'CRC lines missing from the report' };
  return { ok: true, checksum: crcs.join(' ') };
}

function embenchProgram(name: string): BenchProgram {
  const root = join(SUITES_DIR, 'embench-iot');
  const support = join(root, 'support');
  return {
    name,
    suite: 'embench',
    ownSources: cFiles(join(root, 'src', name)),
    // board.c includes our boardsupport.c (found through the port's include dir).
    supportSources: [join(support, 'main.c'), join(support, 'beebsc.c'), join(support, 'board.c')],
    includeDirs: [support, join(PORTS_DIR, 'embench')],
    defines: ['GLOBAL_SCALE_FACTOR=1', 'WARMUP_HEAT=1'],
    markers: { start: 'start_trigger', stop: 'stop_trigger' },
    verify: verifyEmbench,
  };
}

function coremarkProgram(): BenchProgram {
  const root = join(SUITES_DIR, 'coremark');
  const port = join(PORTS_DIR, 'coremark');
  return {
    name: 'coremark',
    suite: 'coremark',
    ownSources: ['core_list_join.c', 'core_main.c', 'core_matrix.c', 'core_state.c', 'core_util.c'].map((f) => join(root, f)),
    supportSources: [join(port, 'core_portme.c'), join(port, 'ee_printf.c')],
    includeDirs: [port, root],
    defines: [`ITERATIONS=${COREMARK_ITERATIONS}`],
    markers: { start: 'start_time', stop: 'stop_time' },
    verify: verifyCoremark,
  };
}

export const ALL_PROGRAMS: readonly string[] = ['coremark', ...EMBENCH_PROGRAMS];

/** The named programs (all when none are named); an unknown name is an error listing the known ones. */
export function selectPrograms(names: readonly string[]): BenchProgram[] {
  const wanted = names.length === 0 ? ALL_PROGRAMS : names;
  const unknown = wanted.filter((n) => !ALL_PROGRAMS.includes(n));
  if (unknown.length > 0) throw new Error(`unknown benchmark program(s) ${unknown.join(', ')}; known: ${ALL_PROGRAMS.join(', ')}`);
  return wanted.map((n) => (n === 'coremark' ? coremarkProgram() : embenchProgram(n)));
}
