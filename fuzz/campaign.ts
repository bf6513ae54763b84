// A fuzzing run: input i of a run with seed S is seed module pick(S, i) with mutations
// drawn from the same generator, so any input is reproduced from (S, i) alone. Inputs go to
// the worker pool; most are compiled to an object in memory, every `linkEvery`-th is also
// linked with runtime-c and every `buildEvery`-th goes through the driver's build to files.
// Findings are grouped by signature; the first input of each is minimised.

import type { CheckMode, FindingKind, Verdict } from './check-input.js';
import type { Seed } from './corpus.js';
import { minimise } from './minimise.js';
import { mutate } from './mutate.js';
import { WorkerPool } from './pool.js';
import { Prng } from './prng.js';

export interface CampaignOptions {
  readonly runs: number;
  readonly seed: number;
  readonly corpus: readonly Seed[];
  readonly board: string;
  readonly workers: number;
  readonly timeoutMs: number;
  readonly heapMb: number;
  readonly linkEvery: number;
  readonly buildEvery: number;
  readonly scratchDir: string;
  /** Tests spent minimising each finding (0: keep the input as found). */
  readonly minimiseBudget: number;
  readonly onProgress?: (done: number, report: CampaignReport) => void;
}

export interface Finding {
  readonly signature: string;
  readonly kind: FindingKind;
  readonly message: string;
  readonly stack?: string;
  /** The input number in the run and what it was made of. */
  readonly input: number;
  readonly seedName: string;
  readonly mutations: readonly string[];
  readonly mode: CheckMode;
  readonly bytes: Uint8Array;
  readonly minimised: Uint8Array;
  /** How many inputs of the run showed this signature. */
  count: number;
}

export interface CampaignReport {
  runs: number;
  compiled: number;
  refused: number;
  readonly refusedByCode: Map<string, number>;
  readonly findings: Finding[];
  elapsedMs: number;
}

export interface FuzzInput {
  readonly bytes: Uint8Array;
  readonly seedName: string;
  readonly mutations: string[];
  readonly mode: CheckMode;
}

/** Input `index` of the run with `seed`: deterministic. */
export function makeInput(opts: Pick<CampaignOptions, 'seed' | 'corpus' | 'linkEvery' | 'buildEvery'>, index: number): FuzzInput {
  const rng = Prng.forInput(opts.seed, index);
  const seed = rng.pick(opts.corpus);
  const donor = rng.pick(opts.corpus).bytes;
  const { bytes, applied } = mutate(seed.bytes, { rng, donor });
  const mode: CheckMode = index % opts.buildEvery === opts.buildEvery - 1 ? 'build' : index % opts.linkEvery === opts.linkEvery - 1 ? 'link' : 'compile';
  return { bytes, seedName: seed.name, mutations: applied, mode };
}

/** Kind plus message with numbers blurred: one bug found through many inputs is one signature. */
export function signatureOf(verdict: Extract<Verdict, { outcome: 'finding' }>): string {
  const frame = verdict.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim().replace(/:\d+:\d+\)?$/, '') ?? '';
  return `${verdict.kind}: ${verdict.message.split('\n')[0]!.replace(/\d+/g, '#')} ${frame}`.trim();
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  if (opts.corpus.length === 0) throw new Error('fuzz: the corpus is empty');
  const started = Date.now();
  const report: CampaignReport = { runs: 0, compiled: 0, refused: 0, refusedByCode: new Map(), findings: [], elapsedMs: 0 };
  const pool = new WorkerPool({
    workers: opts.workers, timeoutMs: opts.timeoutMs, heapMb: opts.heapMb,
    board: opts.board, withRuntime: true, scratchDir: opts.scratchDir,
  });
  const found: { verdict: Extract<Verdict, { outcome: 'finding' }>; input: FuzzInput; index: number }[] = [];
  try {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < opts.runs) {
        const index = next++;
        const input = makeInput(opts, index);
        const verdict = await pool.check(input.bytes, input.mode);
        tally(report, verdict);
        if (verdict.outcome === 'finding') found.push({ verdict, input, index });
        report.elapsedMs = Date.now() - started;
        opts.onProgress?.(report.runs, report);
      }
    };
    // Two inputs in flight per worker, so no worker waits for the main thread's mutations.
    await Promise.all(Array.from({ length: opts.workers * 2 }, lane));
    for (const f of found.sort((a, b) => a.index - b.index)) await record(report, pool, f, opts.minimiseBudget);
  } finally {
    await pool.close();
  }
  report.elapsedMs = Date.now() - started;
  return report;
}

function tally(report: CampaignReport, verdict: Verdict): void {
  report.runs++;
  if (verdict.outcome === 'compiled') report.compiled++;
  if (verdict.outcome === 'refused') {
    report.refused++;
    report.refusedByCode.set(verdict.code, (report.refusedByCode.get(verdict.code) ?? 0) + 1);
  }
}

async function record(
  report: CampaignReport,
  pool: WorkerPool,
  f: { verdict: Extract<Verdict, { outcome: 'finding' }>; input: FuzzInput; index: number },
  budget: number,
): Promise<void> {
  const signature = signatureOf(f.verdict);
  const known = report.findings.find((x) => x.signature === signature);
  if (known !== undefined) {
    known.count++;
    return;
  }
  const stillFails = async (bytes: Uint8Array): Promise<boolean> => {
    const v = await pool.check(bytes, f.input.mode);
    return v.outcome === 'finding' && signatureOf(v) === signature;
  };
  const minimised = budget > 0 ? await minimise(f.input.bytes, { stillFails, budget }) : f.input.bytes;
  report.findings.push({
    signature, kind: f.verdict.kind, message: f.verdict.message, ...(f.verdict.stack !== undefined && { stack: f.verdict.stack }),
    input: f.index, seedName: f.input.seedName, mutations: f.input.mutations, mode: f.input.mode,
    bytes: f.input.bytes, minimised, count: 1,
  });
}
