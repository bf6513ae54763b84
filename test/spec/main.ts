// `npm run spec -- [--board b[,b2]] [--engine qemu|sim|both] [-j N] [--verbose] [files...]`:
// the spec testsuite on QEMU, in the simulator, or on both with every difference between
// them a failure (boot-engine.ts). Prints a table per board, the reasons grouped, and the closing line
// `N passed, N failed, N skipped` over every board; exits 1 when anything failed.

import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { loadBoard } from '../../src/driver/board.js';
import { ENGINES, type Engine } from './boot-engine.js';
import { formatReport, totalLine, totals } from './report.js';
import { runSpec, type FileReport } from './runner.js';
import { suiteFiles } from './wast-script.js';

interface CliOptions {
  board: string;
  jobs: string;
  verbose: boolean;
  timeout: string;
  engine: Engine;
}

/** "i32", "i32.wast" or a path to it: the script's name in the suite. */
function scriptName(arg: string): string {
  const name = basename(arg);
  return name.endsWith('.wast') ? name : `${name}.wast`;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('spec')
    .description('run the WebAssembly spec testsuite on QEMU or in the simulator')
    .argument('[files...]', 'scripts of the suite (default: all)')
    .option('--board <names>', 'board, or several separated by commas', 'lm3s6965')
    .option('-j, --jobs <n>', 'firmware units in flight', String(availableParallelism()))
    .option('--timeout <seconds>', 'limit of one QEMU boot (the simulator gets 50M instructions a second of it)', '20')
    .addOption(new Option('--engine <engine>', 'where firmware boots; both: any difference from QEMU fails').choices(ENGINES).default('qemu'))
    .option('--verbose', 'print every failure: command, expected, got', false);
  program.parse(argv, { from: 'user' });
  const opts = program.opts<CliOptions>();
  const known = suiteFiles();
  const files = program.args.length > 0 ? program.args.map(scriptName) : known;
  const unknown = files.filter((f) => !known.includes(f));
  if (unknown.length > 0) {
    process.stderr.write(`spec: not in the suite: ${unknown.join(', ')}\n`);
    return 2;
  }
  const all: FileReport[] = [];
  for (const boardName of opts.board.split(',')) {
    const board = loadBoard(boardName.trim());
    const started = Date.now();
    const reports = await runSpec({
      board,
      files,
      jobs: Math.max(1, Number(opts.jobs)),
      timeoutMs: Number(opts.timeout) * 1000,
      engine: opts.engine,
      onFileDone: (r) => process.stderr.write(`${board.name} ${r.file}: ${totalLine(totals(r.results))}\n`),
    });
    process.stdout.write(`${formatReport(board.name, reports, (Date.now() - started) / 1000, opts.verbose)}\n\n`);
    all.push(...reports);
  }
  const t = totals(all.flatMap((r) => r.results));
  process.stdout.write(`${totalLine(t)}\n`);
  return t.failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`spec: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(2);
  },
);
