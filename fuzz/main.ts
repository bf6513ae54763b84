// `npm run fuzz -- [--runs N] [--seed S] [--workers W] ...`: mutate real modules, compile
// every mutant in worker threads, report findings, minimise them and save them as
// regression inputs (test/fuzz/regressions/*.wasm, run by test/fuzz/regressions.test.ts).

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { runCampaign, type CampaignReport, type Finding } from './campaign.js';
import { loadCorpus } from './corpus.js';

const SPEC_SUITE_DIR = '/work/shared/wasm-testsuite';

function wholeNumber(text: string): number {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`'${text}' is not a whole number`);
  return n;
}

interface Flags {
  runs: number;
  seed: number;
  workers: number;
  timeout: number;
  heap: number;
  board: string;
  spec: string;
  c: boolean;
  save: boolean;
  regressions: string;
  linkEvery: number;
  buildEvery: number;
}

function packageRoot(): string {
  // dist/fuzz/main.js -> the package root two folders up
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

function formatReport(r: CampaignReport, seed: number): string[] {
  const perSecond = r.elapsedMs > 0 ? Math.round((r.runs * 1000) / r.elapsedMs) : 0;
  const codes = [...r.refusedByCode].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
  return [
    `fuzz: seed ${seed}: ${r.runs} inputs in ${(r.elapsedMs / 1000).toFixed(1)} s (${perSecond}/s): ${r.compiled} compiled, ${r.refused} refused (${codes}), ${r.findings.length} finding(s)`,
    ...r.findings.map((f) => `  ${f.signature}\n    input ${f.input} (${f.seedName} + ${f.mutations.join(', ')}, ${f.mode}), seen ${f.count}x, minimised ${f.bytes.length} -> ${f.minimised.length} bytes`),
  ];
}

function saveFinding(dir: string, f: Finding): string {
  const hash = createHash('sha256').update(f.minimised).digest('hex').slice(0, 10);
  const path = join(dir, `${f.kind}-${hash}.wasm`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, f.minimised);
  return path;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('fuzz')
    .option('--runs <n>', 'inputs to try', wholeNumber, 10_000)
    .option('--seed <s>', 'seed of the run (inputs are reproducible from seed and number)', wholeNumber, Date.now() % 1_000_000)
    .option('--workers <n>', 'worker threads', wholeNumber, 2)
    .option('--timeout <ms>', 'time limit per input', wholeNumber, 10_000)
    .option('--heap <mb>', 'heap limit per worker', wholeNumber, 1024)
    .option('--board <name>', 'board to compile for', 'lm3s6965')
    .option('--spec <scripts>', 'spec scripts to take seeds from (comma-separated; default all)', '')
    .option('--no-c', 'skip the C seed programs (they need clang)')
    .option('--no-save', 'do not write findings to the regressions folder')
    .option('--regressions <dir>', 'where findings are saved', join(packageRoot(), 'test', 'fuzz', 'regressions'))
    .option('--link-every <n>', 'link every n-th input with runtime-c', wholeNumber, 25)
    .option('--build-every <n>', 'build every n-th input to files through the driver', wholeNumber, 100)
    .parse(argv, { from: 'user' });
  const flags = program.opts<Flags>();
  const corpus = await loadCorpus({
    root: packageRoot(), specDir: SPEC_SUITE_DIR, withC: flags.c, maxSeedBytes: 64 * 1024,
    ...(flags.spec !== '' && { specScripts: flags.spec.split(',').map((s) => (s.endsWith('.wast') ? s : `${s}.wast`)) }),
  });
  process.stderr.write(`fuzz: ${corpus.length} seed modules, seed ${flags.seed}, ${flags.runs} inputs, ${flags.workers} workers\n`);
  const scratchDir = mkdtempSync(join(tmpdir(), 'mcu-aot-fuzz-'));
  let lastProgress = Date.now();
  try {
    const report = await runCampaign({
      runs: flags.runs, seed: flags.seed, corpus, board: flags.board, workers: Math.max(1, flags.workers),
      timeoutMs: flags.timeout, heapMb: flags.heap, linkEvery: Math.max(1, flags.linkEvery), buildEvery: Math.max(1, flags.buildEvery),
      scratchDir, minimiseBudget: 300,
      onProgress: (done, r) => {
        if (Date.now() - lastProgress < 10_000) return;
        lastProgress = Date.now();
        process.stderr.write(`fuzz: ${done} inputs, ${Math.round((done * 1000) / r.elapsedMs)}/s, ${r.compiled} compiled, ${r.findings.length + 0} finding(s) so far\n`);
      },
    });
    for (const line of formatReport(report, flags.seed)) process.stdout.write(`${line}\n`);
    if (flags.save) for (const f of report.findings) process.stdout.write(`saved ${saveFinding(flags.regressions, f)}\n`);
    return report.findings.length === 0 ? 0 : 1;
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
