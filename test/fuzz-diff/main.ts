// `npm run fuzz:diff -- [--runs N] [--seed S] [--board b] [--jobs J] [--findings dir] [--reduce]`
//
// Differential fuzzing: binaryen's random modules run in V8, and built by mcu-aot at -O0
// and -O2 on QEMU and in the simulator; every disagreement with V8 is saved (module, seed,
// transcripts) and, with --reduce, minimised by wasm-reduce. Exits 1 when anything
// disagreed. `fuzz:diff -- check <file.wasm> --executor qemu-O2` prints one executor's
// verdict on one module: the test wasm-reduce runs.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { loadBoard } from '../../src/driver/board.js';
import { addToSummary, emptySummary, formatSummary, runShard, runWorkers, type ModuleLine } from './campaign.js';
import { fuzzFirmwareContext, type FirmwareBudget } from './firmware-run.js';
import { reduceFinding, reductionTarget } from './findings.js';
import { ALL_EXECUTORS, verdictOf, type ExecutorName } from './fuzz-module.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** This program as a command line: how workers and wasm-reduce's test run it. */
const SELF = [join(ROOT, 'node_modules', '.bin', 'vite-node'), join(import.meta.dirname, 'main.ts'), '--'];

interface CampaignOptions {
  runs: string;
  seed: string;
  board: string;
  jobs: string;
  findings: string;
  reduce: boolean;
  qemuTimeout: string;
  simLimit: string;
  shard?: string;
}

function budgetOf(o: Pick<CampaignOptions, 'qemuTimeout' | 'simLimit'>): FirmwareBudget {
  return { qemuTimeoutMs: Number(o.qemuTimeout) * 1000, simMaxInstructions: Number(o.simLimit) };
}

/** The options a worker or the reduction test is started with, so it runs what we run. */
const sharedArgs = (o: CampaignOptions): string[] => ['--board', o.board, '--qemu-timeout', o.qemuTimeout, '--sim-limit', o.simLimit];

async function campaign(o: CampaignOptions): Promise<number> {
  const board = loadBoard(o.board);
  const runs = Number(o.runs);
  const firstSeed = Number(o.seed);
  const findingsDir = resolve(o.findings);
  if (o.shard !== undefined) {
    const [shard, shards] = o.shard.split('/').map(Number) as [number, number];
    const ctx = await fuzzFirmwareContext(board, budgetOf(o));
    await runShard(ctx, { firstSeed, runs, shard, shards, findingsDir, board: board.name }, (line) => process.stdout.write(`${JSON.stringify(line)}\n`));
    return 0;
  }
  const jobs = Math.max(1, Math.min(Number(o.jobs), runs));
  const started = Date.now();
  const summary = emptySummary();
  const lines: ModuleLine[] = [];
  await runWorkers(jobs, SELF, (i) => [...sharedArgs(o), '--runs', String(runs), '--seed', String(firstSeed), '--findings', findingsDir, '--shard', `${i}/${jobs}`], (line) => {
    addToSummary(summary, line);
    lines.push(line);
    const verdict = line.findingDir !== undefined ? `FINDING ${line.findingDir}` : 'ok';
    process.stderr.write(`[${summary.modules}/${runs}] seed ${line.report.seed}: ${line.report.exports} exports, ${line.report.seconds.toFixed(1)} s, ${verdict}\n`);
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  process.stdout.write(`${formatSummary(summary, `fuzz:diff on ${board.name}: seeds ${firstSeed}..${firstSeed + runs - 1}, ${jobs} workers, ${seconds} s`)}\n`);
  if (o.reduce) await reduceAll(o, lines);
  return summary.clean === summary.modules ? 0 : 1;
}

async function reduceAll(o: CampaignOptions, lines: readonly ModuleLine[]): Promise<void> {
  for (const line of lines) {
    const executor = reductionTarget(line.report);
    if (line.findingDir === undefined || executor === undefined) continue;
    const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = (test: string): string => [...SELF, 'check', test, '--executor', executor, ...sharedArgs(o)].map(quote).join(' ');
    process.stderr.write(`reducing ${line.findingDir} (${executor})...\n`);
    try {
      const reduced = await reduceFinding(line.findingDir, command, Number(o.qemuTimeout) + 60);
      process.stdout.write(`reduced: ${reduced}\n`);
    } catch (e) {
      process.stdout.write(`reduction of ${line.findingDir} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
    }
  }
}

async function check(file: string, o: CampaignOptions & { executor: string }): Promise<number> {
  if (!(ALL_EXECUTORS as readonly string[]).includes(o.executor)) throw new Error(`--executor: one of ${ALL_EXECUTORS.join(', ')}`);
  const ctx = await fuzzFirmwareContext(loadBoard(o.board), budgetOf(o));
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-fuzz-check-'));
  try {
    process.stdout.write(`${await verdictOf(ctx, resolve(file), o.executor as ExecutorName, dir)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

function withBudgetOptions(cmd: Command): Command {
  return cmd
    .option('--board <name>', 'board to build for and boot', 'mps2-an385')
    .option('--qemu-timeout <seconds>', 'wall-clock limit of one QEMU boot', '10')
    .option('--sim-limit <n>', 'instruction limit of one simulator run', '200000000');
}

async function main(argv: string[]): Promise<number> {
  let result = 0;
  const program = withBudgetOptions(new Command('fuzz:diff'))
    .description('differential fuzzing: binaryen -ttf modules in V8 vs mcu-aot on QEMU and the simulator')
    .option('--runs <n>', 'modules to generate', '20')
    .option('--seed <s>', 'first seed', '1')
    .option('-j, --jobs <n>', 'worker processes', '2')
    .option('--findings <dir>', 'where mismatches are saved', 'fuzz-diff-findings')
    .option('--reduce', 'minimise each finding with wasm-reduce', false)
    .option('--shard <i/n>', '(internal) run as worker i of n')
    .action(async (o: CampaignOptions) => {
      result = await campaign(o);
    });
  withBudgetOptions(program.command('check <file>'))
    .description("print one executor's verdict on one module (agree, or the mismatch kind)")
    .requiredOption('--executor <name>', `one of ${ALL_EXECUTORS.join(', ')}`)
    .action(async (file: string, o: CampaignOptions & { executor: string }) => {
      result = await check(file, o);
    });
  await program.parseAsync(argv, { from: 'user' });
  return result;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`fuzz:diff: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(2);
  },
);
