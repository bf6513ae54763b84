// `npm run bench [-- --board <name>...] [programs...]`: builds every benchmark program in
// every configuration, runs each on QEMU with the instruction-counting plugin, prints
// the tables and writes them to bench/RESULTS.md (or --output).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { BENCH_BOARDS, selectBoards } from './boards.js';
import { benchmarkProgram, CONFIGURATIONS, type ConfigId, type ProgramResult } from './harness.js';
import { BENCH_CACHE_DIR, buildInsnCountPlugin } from './insn-count.js';
import { BENCH_DIR, COREMARK_ITERATIONS, selectPrograms } from './programs.js';
import { renderReport } from './report.js';
import { toolVersions } from './toolchain.js';
import { WASM_STACK_BYTES } from './wasm-build.js';

/** How the numbers were made, stated once in the report. */
const METHOD_NOTES: readonly string[] = [
  'Sources: CoreMark and Embench-IoT read unmodified from `../shared/bench-suites`; board ports in `bench/ports/`.',
  `Embench: GLOBAL_SCALE_FACTOR=1, WARMUP_HEAT=1; timed region start_trigger -> stop_trigger; a run verifies when main() returns 0 (verify_benchmark passed).`,
  `CoreMark: ITERATIONS=${COREMARK_ITERATIONS}, 2K performance run (seeds 0,0,0x66), integer only (HAS_FLOAT 0), data on the stack; timed region start_time -> stop_time; a run verifies when CoreMark prints "Correct operation validated" and its CRCs equal native -O2's. The port's clock is virtual (a counter advanced 10 s per read) because only instruction counts matter here: the times CoreMark prints are meaningless and no CoreMark score is reported.`,
  `Wasm module: clang-14 --target=wasm32-wasi -O2 -c per file, wasm-ld-14 directly (so binaryen's wasm-opt, which the clang driver runs when it is on PATH, is not applied), wasi-libc for memcpy/strcmp, no start files (entry: bench/ports/wasm/entry.c exports main), -z stack-size=${WASM_STACK_BYTES}, initial memory as small as data + stack need.`,
  'wasm2c: wabt wasm2c -n bench, compiled with arm-none-eabi-gcc -O2 and the bare-metal runtime in bench/wasm2c-runtime/ (explicit bounds checks, WASM_RT_MEMCHECK_SIGNAL_HANDLER=0; wasm2c\'s call-depth counter on; memory from a static buffer; traps exit through semihosting).',
  'A cell marked FAILURE did not build, did not run to completion or did not verify: it is not a measurement. "unsupported" is mcu-aot reporting a feature it does not support yet.',
];

interface Args {
  readonly boards: string[];
  readonly configs: ConfigId[];
  readonly programs: string[];
  readonly output: string;
  readonly simulate: boolean;
}

function parseArgs(argv: string[]): Args {
  const program = new Command('bench')
    .description('Benchmark mcu-aot against native gcc and wasm2c on QEMU (deterministic instruction counts)')
    .option('--board <name...>', `boards to run on (default: ${BENCH_BOARDS.join(', ')})`)
    .option('--config <id...>', `configurations (default: all of ${CONFIGURATIONS.map((c) => c.id).join(', ')})`)
    .option('--output <file>', 'where to write the report', join(BENCH_DIR, 'RESULTS.md'))
    .option('--no-sim', 'skip the host simulator runs (its speed table)')
    .argument('[programs...]', 'benchmark programs (default: all)')
    .parse(argv, { from: 'user' });
  const opts = program.opts<{ board?: string[]; config?: string[]; output: string; sim: boolean }>();
  const known = CONFIGURATIONS.map((c) => c.id as string);
  const badConfig = (opts.config ?? []).find((c) => !known.includes(c));
  if (badConfig !== undefined) throw new Error(`unknown configuration '${badConfig}'; known: ${known.join(', ')}`);
  return {
    boards: opts.board ?? [...BENCH_BOARDS],
    configs: (opts.config ?? known) as ConfigId[],
    programs: program.args,
    output: opts.output,
    simulate: opts.sim,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const programs = selectPrograms(args.programs);
  const { boards, notes } = selectBoards(args.boards);
  for (const note of notes) console.error(`note: ${note}`);
  const plugin = await buildInsnCountPlugin();
  const workDir = join(BENCH_CACHE_DIR, 'work');
  mkdirSync(workDir, { recursive: true });

  const results: ProgramResult[] = [];
  for (const board of boards) {
    for (const program of programs) {
      results.push(await benchmarkProgram(program, board, { workDir, plugin, configs: args.configs, simulate: args.simulate, log: (l) => console.error(l) }));
    }
  }
  const report = renderReport({
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    tools: await toolVersions(),
    notes: [...notes, ...METHOD_NOTES],
    results,
  });
  console.log(report);
  writeFileSync(args.output, report);
  console.error(`written to ${args.output}`);
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
