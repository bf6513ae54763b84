// A mismatch kept for a human: the module, its seed, the oracle's and every executor's
// transcript and what differed, in `<findings>/seed-<S>/`; and, on request, the module
// minimised by binaryen's wasm-reduce while the same executor keeps disagreeing with V8 in
// the same way (the `check` command of main.ts is the test wasm-reduce runs).

import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ExecutorName, ModuleReport } from './fuzz-module.js';
import { binaryenTool, FUZZ_FEATURES } from './generate.js';

const run = promisify(execFile);

/** The module's text form, for reading the finding (binaryen prints every feature we enable). */
function watOf(wasmPath: string): string {
  try {
    return execFileSync(binaryenTool('wasm-opt'), [wasmPath, ...FUZZ_FEATURES, '--print'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    return `;; wasm-opt --print failed: ${e instanceof Error ? e.message : String(e)}\n`;
  }
}

/** One line per disagreeing executor (or the build error). */
export function findingSummary(report: ModuleReport): string[] {
  const lines = report.buildError !== undefined ? [`build -O${report.buildError.optLevel}: ${report.buildError.message.split('\n')[0]}`] : [];
  for (const r of report.results) {
    if (r.mismatch !== undefined) lines.push(`${r.executor}: ${r.mismatch.kind}${r.mismatch.call !== undefined ? ` in ${r.mismatch.call}` : ''}: ${r.mismatch.detail}`);
  }
  return lines;
}

/** Worth a human's time: a build error or a disagreement Wasm does not permit. */
export const isFinding = (report: ModuleReport): boolean =>
  report.buildError !== undefined || report.results.some((r) => r.mismatch !== undefined && r.mismatch.kind !== 'nan-bits');

/** Save `report`'s module (from `moduleDir`) and transcripts under `findingsDir`; returns the folder. */
export function saveFinding(findingsDir: string, report: ModuleReport, moduleDir: string, board: string): string {
  const dir = resolve(findingsDir, `seed-${report.seed}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(moduleDir, 'module.wasm'), join(dir, 'module.wasm'));
  writeFileSync(join(dir, 'module.wat'), watOf(join(dir, 'module.wasm')));
  writeFileSync(join(dir, 'node.txt'), report.oracle);
  for (const r of report.results) writeFileSync(join(dir, `${r.executor}.txt`), r.transcript);
  const summary = [
    `seed ${report.seed} on ${board}`,
    `reproduce: npm run fuzz:diff -- --seed ${report.seed} --runs 1 --board ${board}`,
    ...findingSummary(report),
    ...(report.buildError !== undefined ? ['', report.buildError.message] : []),
  ];
  writeFileSync(join(dir, 'mismatch.txt'), `${summary.join('\n')}\n`);
  return dir;
}

/** The first executor that disagrees, which the reduction keeps disagreeing. */
export function reductionTarget(report: ModuleReport): ExecutorName | undefined {
  return report.results.find((r) => r.mismatch !== undefined && r.mismatch.kind !== 'nan-bits')?.executor;
}

/**
 * Minimise `<dir>/module.wasm` into `<dir>/reduced.wasm`: wasm-reduce keeps a candidate
 * when `checkCommand` (run on its test file) prints what it printed on the original.
 */
export async function reduceFinding(dir: string, checkCommand: (testFile: string) => string, timeoutSeconds: number): Promise<string> {
  const test = join(dir, 'reduce-test.wasm');
  const reduced = join(dir, 'reduced.wasm');
  await run(binaryenTool('wasm-reduce'), [
    join(dir, 'module.wasm'), `--command=${checkCommand(test)}`, '-t', test, '-w', reduced,
    `--timeout=${timeoutSeconds}`, `--binaries=${dirname(binaryenTool('wasm-opt'))}`, `--extra-flags=${FUZZ_FEATURES.join(' ')}`, ...FUZZ_FEATURES,
  ], { maxBuffer: 256 << 20 });
  writeFileSync(join(dir, 'reduced.wat'), watOf(reduced));
  return reduced;
}
