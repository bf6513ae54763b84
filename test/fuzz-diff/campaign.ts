// A differential fuzzing campaign: seeds `seed .. seed+runs-1`, each module through
// fuzz-module.ts, spread over worker processes (the simulator and the compiler are
// synchronous JavaScript, so parallelism means processes). A worker runs every seed
// congruent to its index and writes one JSON line per module on stdout; the parent reads
// them, prints progress and the summary. Findings are saved by the worker that found them
// (it has the module's files).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FuzzFirmwareContext } from './firmware-run.js';
import { findingSummary, isFinding, saveFinding } from './findings.js';
import { ALL_EXECUTORS, fuzzModule, type ModuleReport } from './fuzz-module.js';

export interface ShardOptions {
  readonly firstSeed: number;
  readonly runs: number;
  readonly shard: number;
  readonly shards: number;
  readonly findingsDir: string;
  readonly board: string;
}

export interface ModuleLine {
  readonly report: ModuleReport;
  /** Where the finding was saved, when there is one. */
  readonly findingDir?: string;
}

/** The seeds of one shard. */
export function shardSeeds(o: Pick<ShardOptions, 'firstSeed' | 'runs' | 'shard' | 'shards'>): number[] {
  const seeds: number[] = [];
  for (let i = o.shard; i < o.runs; i += o.shards) seeds.push(o.firstSeed + i);
  return seeds;
}

/** Run one shard in this process, handing each module's line to `emit`. */
export async function runShard(ctx: FuzzFirmwareContext, o: ShardOptions, emit: (line: ModuleLine) => void): Promise<void> {
  for (const seed of shardSeeds(o)) {
    const dir = mkdtempSync(join(tmpdir(), `mcu-aot-fuzz-diff-${seed}-`));
    try {
      let report: ModuleReport;
      try {
        report = await fuzzModule(ctx, seed, dir);
      } catch (e) {
        // The harness's own failure (wasm-opt, gcc, QEMU missing): a finding to look at too.
        const message = `harness error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
        const phases = { generate: 0, v8: 0, build: 0, qemu: 0, sim: 0, denan: 0 };
        report = { seed, exports: 0, oracle: '', results: [], buildError: { optLevel: '0', message }, seconds: 0, phases };
      }
      const findingDir = isFinding(report) ? saveFinding(o.findingsDir, report, dir, o.board) : undefined;
      emit({ report, ...(findingDir !== undefined ? { findingDir } : {}) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Run `shards` copies of this program (`workerArgs(i)` are the arguments of worker i),
 * collecting their module lines. A worker's stderr passes through.
 */
export async function runWorkers(shards: number, command: readonly string[], workerArgs: (i: number) => string[],
  onLine: (line: ModuleLine) => void): Promise<void> {
  const workers = Array.from({ length: shards }, (_, i) => new Promise<void>((resolvePromise, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), ...workerArgs(i)], { stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (text.startsWith('{')) onLine(JSON.parse(text) as ModuleLine);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`fuzz worker ${i} exited with ${code}`))));
  }));
  await Promise.all(workers);
}

/** Counts for the summary: per mismatch kind, per executor. */
export interface CampaignSummary {
  modules: number;
  exports: number;
  clean: number;
  buildErrors: number;
  readonly byKind: Map<string, Map<string, number>>;
  readonly findings: string[];
  /** Summed wall-clock seconds per phase, over every module. */
  readonly phases: Map<string, number>;
}

export function emptySummary(): CampaignSummary {
  return { modules: 0, exports: 0, clean: 0, buildErrors: 0, byKind: new Map(), findings: [], phases: new Map() };
}

export function addToSummary(s: CampaignSummary, line: ModuleLine): void {
  const r = line.report;
  s.modules++;
  s.exports += r.exports;
  if (r.buildError !== undefined) s.buildErrors++;
  if (!isFinding(r)) s.clean++;
  for (const result of r.results) {
    if (result.mismatch === undefined) continue;
    const row = s.byKind.get(result.mismatch.kind) ?? new Map<string, number>();
    row.set(result.executor, (row.get(result.executor) ?? 0) + 1);
    s.byKind.set(result.mismatch.kind, row);
  }
  for (const [phase, seconds] of Object.entries(r.phases)) s.phases.set(phase, (s.phases.get(phase) ?? 0) + seconds);
  if (line.findingDir !== undefined) s.findings.push(`${line.findingDir}: ${findingSummary(r)[0] ?? ''}`);
}

export function formatSummary(s: CampaignSummary, header: string): string {
  const pad = (text: string, n: number): string => text.padEnd(n);
  const perModule = [...s.phases].map(([phase, seconds]) => `${phase} ${(seconds / Math.max(1, s.modules)).toFixed(2)}`).join(', ');
  const lines = [
    header,
    `  modules ${s.modules}, exports called ${s.exports}, clean ${s.clean}, build errors ${s.buildErrors}`,
    `  seconds per module: ${perModule}`,
  ];
  if (s.byKind.size > 0) {
    lines.push(`  mismatches (first per module and executor):`, `    ${pad('kind', 16)}${ALL_EXECUTORS.map((e) => pad(e, 9)).join('')}`);
    for (const [kind, row] of [...s.byKind].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`    ${pad(kind, 16)}${ALL_EXECUTORS.map((e) => pad(String(row.get(e) ?? 0), 9)).join('')}`);
    }
  } else {
    lines.push('  no mismatches');
  }
  if (s.findings.length > 0) lines.push('  findings:', ...s.findings.map((f) => `    ${f}`));
  return lines.join('\n');
}
