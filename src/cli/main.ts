// The `mcu-aot` command: parses arguments and calls the driver. No compiler logic here.

import { BOUNDS_MODES, type BoundsMode } from '../driver/bounds-mode.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { UserError } from '../diagnostics/errors.js';
import { formatError, formatLogLine, style, useColour } from '../diagnostics/format.js';
import { statusLine } from './progress.js';
import { listBoards, loadBoard } from '../driver/board.js';
import { build, EMIT_EXTENSIONS, type EmitKind } from '../driver/build.js';
import { buildWithProfiling } from '../driver/pgo-build.js';
import { parseGrantFlag } from '../driver/peripherals.js';
import { boardRecordedInFile } from '../driver/firmware-board.js';
import { findProjectConfig, parseSizeText, projectFirmware, resolveProjectSettings, type PeripheralGrant } from '../driver/project.js';
import { formatSizeReport, sizeOfFirmware } from '../driver/size.js';
import { disasmFirmware, formatListing } from '../driver/disasm.js';
import { parseOptLevel, type OptLevel } from '../frontend/source-options.js';
import { EXIT_INTERRUPTED, run } from '../driver/run.js';
import { sim } from '../driver/sim.js';
import { formatProfileSummary, profileFirmware } from '../driver/profile.js';
import { EXIT_CYCLE_LIMIT, exitCodeOf, formatSimStats } from '../sim/simulate.js';
import { DEFAULT_INIT_BOARD, initProject, parseInitLanguage } from '../driver/init.js';
import { flash, type FlashMethod } from '../flash/flash.js';
import { formatTestResult, formatTestSummary, runTests } from '../driver/test.js';
import { junitXml } from '../driver/junit.js';
import { writeFileAtomic } from '../driver/output.js';
import { basename } from 'node:path';

const EXIT_USER_ERROR = 1;
const EXIT_INTERNAL_ERROR = 70;

/** stderr's style (colour on a terminal only) and its status line (long work's progress):
 *  everything printed clears the status line first (src/cli/progress.ts). */
const stderrStyle = style(useColour({ isTTY: process.stderr.isTTY, env: process.env }));
const status = statusLine(process.stderr, process.env);
const log = (line: string): void => {
  status.clear();
  process.stderr.write(`${formatLogLine(line, stderrStyle)}\n`);
};
const out = (text: string): void => {
  status.clear();
  process.stdout.write(text);
};
const err = (text: string): void => {
  status.clear();
  process.stderr.write(text);
};

function parseSize(text: string): number {
  const bytes = parseSizeText(text);
  if (bytes === undefined) throw new InvalidArgumentError(`'${text}' is not a size (e.g. 40960, 40K, 1M)`);
  return bytes;
}

function parseOpt(text: string): OptLevel {
  const level = parseOptLevel(text);
  if (level === undefined) throw new InvalidArgumentError(`'${text}' is not an optimisation level (0, 1, 2, 3 or s)`);
  return level;
}

function parseSeconds(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`'${text}' is not a positive number of seconds`);
  return n;
}

function parseCount(text: string): number {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`'${text}' is not a positive whole number`);
  return n;
}

const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',')];

function grant(value: string, previous: PeripheralGrant[] = []): PeripheralGrant[] {
  const parsed = parseGrantFlag(value);
  if (parsed === undefined) throw new InvalidArgumentError(`'${value}' is not name=base:size[:access] (e.g. timer0=0x40030000:0x1000:rw)`);
  return [...previous, parsed];
}

function parseBounds(value: string): BoundsMode {
  if (!(BOUNDS_MODES as readonly string[]).includes(value)) throw new InvalidArgumentError(`'${value}' is not trap or mask`);
  return value as BoundsMode;
}

/** Options shared by every command that compiles. */
function compileOptions(cmd: Command): Command {
  return cmd
    .option('-b, --board <name>', 'target board (see `mcu-aot boards`; default: the project config\'s)')
    .option('--memory <size>', 'physical linear memory size, e.g. 32K (default: fit to the board)', parseSize)
    .option('--stack-size <size>', 'machine stack size, e.g. 4K (default: the board\'s)', parseSize)
    .option('-O, --opt-level <level>', 'optimisation level 0, 1, 2, 3 or s (-O2, -Os): the IR pipeline (default 2), and C and AssemblyScript compilers', parseOpt)
    .option('--profile <file>', 'profile for a profile-guided build (from `mcu-aot profile`)')
    .option('--strict-memory', 'fail instead of fitting a declared memory larger than the board can give')
    .option('--bounds <mode>', 'out-of-bounds memory accesses: trap (default, exact Wasm) or mask (wrap inside a power-of-two memory, no checks)', parseBounds)
    .option('--grant <name=base:size[:access]>', 'grant the HAL a peripheral range, e.g. timer0=0x40030000:0x1000 (repeatable; adds to the board\'s and the project\'s)', grant)
    .option('--disable <passes>', 'IR passes to skip (comma-separated)', list)
    .option('--dump-after <passes>', 'print the IR after these passes (comma-separated) to stderr', list)
    .option('--verify-each-pass', 'run the IR verifier after every pass, naming the pass that breaks a function');
}

interface CompileFlags {
  board?: string;
  memory?: number;
  stackSize?: number;
  optLevel?: OptLevel;
  profile?: string;
  strictMemory?: boolean;
  bounds?: BoundsMode;
  grant?: PeripheralGrant[];
  disable?: string[];
  dumpAfter?: string[];
  verifyEachPass?: boolean;
}

/** Flags over the project config of the current folder (mcu-aot.toml), flags winning. */
function commonBuildOptions(input: string | undefined, flags: CompileFlags & { output?: string }, outputExtension: string) {
  const config = findProjectConfig(process.cwd());
  // Without --board or a project's board, a firmware ELF says which board it was built for.
  const recorded = flags.board === undefined && config?.board === undefined && input !== undefined ? boardRecordedInFile(input) : undefined;
  const { memory, stackSize, optLevel, profile, output, bounds, ...settings } = resolveProjectSettings(
    { ...flags, ...(input !== undefined ? { input } : {}), ...(recorded !== undefined ? { board: recorded } : {}) },
    config,
    outputExtension,
  );
  return {
    input: settings.input,
    board: loadBoard(settings.board),
    log,
    onProgress: status.update,
    ...(memory !== undefined ? { memory } : {}),
    ...(stackSize !== undefined ? { stackSize } : {}),
    ...(optLevel !== undefined ? { optLevel } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(output !== undefined ? { output } : {}),
    ...(flags.strictMemory === true ? { strictMemory: true } : {}),
    ...(bounds !== undefined ? { bounds } : {}),
    grants: [...(settings.config?.peripherals ?? []), ...(flags.grant ?? [])],
    interrupts: settings.config?.interrupts ?? [],
    disablePasses: flags.disable ?? [],
    dumpAfter: flags.dumpAfter ?? [],
    verify: flags.verifyEachPass === true,
  };
}

const program = new Command('mcu-aot')
  .description('Compile WebAssembly ahead of time to ARM Cortex-M firmware')
  .version('0.1.0')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(formatLogLine(text, stderrStyle)) });

compileOptions(
  program
    .command('build')
    .description('compile a module (.wasm, .wat, C or AssemblyScript) to firmware (ELF + .bin + map, or an object)')
    .argument('[inputs...]', 'module: .wasm, .wat, .c or .ts (default: the project config\'s); more modules ([name=]path) link into the same firmware, the first is the entry')
    .option('-o, --output <file>', 'output file (default: the input name with the emit extension)')
    .addOption(new Option('--emit <kind>', 'what to write').choices(['obj', 'elf', 'bin', 'hex']).default('elf'))
    .option('--pgo', 'profile-guided build in one step: profile on the host simulator, then build with that profile')
    .option('--pgo-report [file]', 'with a profile: print (or write to file) what it changed in each function'),
).action(async (inputs: string[], flags: CompileFlags & { output?: string; emit: EmitKind; pgo?: boolean; pgoReport?: true | string }) => {
  const options = {
    ...commonBuildOptions(inputs[0], flags, EMIT_EXTENSIONS[flags.emit]),
    libraries: inputs.slice(1),
    emit: flags.emit,
    ...(flags.pgoReport !== undefined ? { pgoReport: flags.pgoReport } : {}),
  };
  const result = flags.pgo === true ? await buildWithProfiling(options) : await build(options);
  const sizes = result.link !== undefined ? ` (flash ${result.link.flashUsed} bytes, RAM ${result.link.ramUsed} bytes)` : '';
  log(`wrote ${result.outputs.join(', ')}${sizes}`);
});

compileOptions(
  program
    .command('run')
    .description('build and boot the firmware in QEMU, streaming its console; exits with its exit code')
    .argument('[inputs...]', 'firmware .elf, or module: .wasm, .wat, .c or .ts (default: the project config\'s); more modules link into the same firmware')
    .option('--timeout <seconds>', 'fail when the firmware has not exited after this long', parseSeconds, 10),
).action(async (inputs: string[], flags: CompileFlags & { timeout: number }) => {
  const code = await run({
    ...commonBuildOptions(inputs[0], flags, '.elf'), // run builds into a temporary folder: any output path is ignored
    libraries: inputs.slice(1),
    timeoutMs: flags.timeout * 1000,
    onOutput: out,
    uartInput: process.stdin, // what the user types (or pipes in) reaches the console UART
  });
  process.exitCode = code;
});

compileOptions(
  program
    .command('flash')
    .description('write firmware to a board through a debug probe (a gdbserver or OpenOCD), verify it, reset and run it')
    .argument('[app]', 'firmware .elf, or module (.wasm, .wat, .c, .ts) built first (default: the project\'s)')
    .addOption(new Option('--method <method>', 'how to reach the board (default: the board\'s [flash] method; gdb when --port is given)').choices(['gdb', 'openocd']))
    .option('--port <host:port>', 'gdbserver to talk to (gdb method; default localhost:3333)')
    .option('--interface <cfg>', 'OpenOCD debug adapter config, e.g. cmsis-dap.cfg (default: the board\'s)')
    .option('--dry-run', 'print what would be done (the OpenOCD command line, or the gdb steps) and touch nothing')
    .option('--no-verify', 'skip reading the written memory back')
    .option('--timeout <seconds>', 'deadline of each gdbserver request', parseSeconds, 5),
).action(async (app: string | undefined, flags: CompileFlags & { method?: FlashMethod; port?: string; interface?: string; dryRun?: boolean; verify: boolean; timeout: number }) => {
  await flash({
    ...commonBuildOptions(app, flags, '.elf'), // a module builds into a temporary folder
    ...(flags.method !== undefined ? { method: flags.method } : {}),
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.interface !== undefined ? { interface: flags.interface } : {}),
    dryRun: flags.dryRun === true,
    verify: flags.verify,
    timeoutMs: flags.timeout * 1000,
    print: (line) => out(`${line}\n`),
  });
});

compileOptions(
  program
    .command('test')
    .description('build ONE test firmware calling every `test_*` export (() -> () or () -> i32, nonzero = failure) in turn on QEMU; exits 1 on any failure')
    .argument('[input]', 'module: .wasm, .wat, .c or .ts (default: the project config\'s)')
    .option('--junit <file>', 'also write the results as JUnit XML (for CI)')
    .option('--timeout <seconds>', 'time limit of each test', parseSeconds, 10),
).action(async (input: string | undefined, flags: CompileFlags & { junit?: string; timeout: number }) => {
  const options = commonBuildOptions(input, flags, '.elf'); // the test firmware lives in a temporary folder
  const report = await runTests({
    ...options,
    timeoutMs: flags.timeout * 1000,
    onResult: (result) => {
      out(`${formatTestResult(result)}\n`);
      for (const line of result.status === 'pass' ? [] : result.output) out(`        | ${line}\n`);
    },
  });
  out(`${formatTestSummary(report)}\n`);
  if (flags.junit !== undefined) writeFileAtomic(flags.junit, junitXml(report, basename(options.input)));
  process.exitCode = report.failed > 0 ? 1 : 0;
});

program
  .command('init')
  .description('create a project that prints a greeting: mcu-aot.toml, a source file, .gitignore')
  .argument('[dir]', 'project folder (created if missing)', '.')
  .addOption(new Option('--lang <language>', 'source language').choices(['c', 'assemblyscript', 'wat']).default('c'))
  .option('-b, --board <name>', 'target board (see `mcu-aot boards`)', DEFAULT_INIT_BOARD)
  .action((dir: string, flags: { lang: string; board: string }) => {
    const written = initProject({ dir, language: parseInitLanguage(flags.lang), board: flags.board });
    log(`created ${written.join(', ')} in ${dir}`);
    log(`next: cd ${dir} && mcu-aot run`);
  });

program
  .command('size')
  .description('flash and RAM use of a firmware ELF, by section and by function (totals as arm-none-eabi-size)')
  .argument('[elf]', 'firmware (default: the project\'s build output)')
  .option('--module <file>', 'the module it was built from, for Wasm function names (default: the project\'s input)')
  .option('-n, --functions <count>', 'how many functions to list', (v) => Math.max(0, Math.floor(Number(v)) || 0), 20)
  .action(async (elf: string | undefined, flags: { module?: string; functions: number }) => {
    const config = findProjectConfig(process.cwd());
    const firmware = elf ?? (config !== undefined ? projectFirmware(config) : undefined);
    if (firmware === undefined) throw new UserError('usage', 'no firmware given and no mcu-aot.toml with an input here', {}, 'mcu-aot size <app.elf>');
    const module = flags.module ?? (elf === undefined ? config?.input : undefined);
    const source = { log, ...(config?.optLevel !== undefined ? { optLevel: config.optLevel } : {}) };
    const report = await sizeOfFirmware(firmware, module, source);
    process.stdout.write(formatSizeReport(firmware, report, flags.functions));
  });

program
  .command('disasm')
  .description('disassemble a firmware ELF\'s functions, with Wasm names, branch targets and trap sites')
  .argument('[elf]', 'firmware (default: the project\'s build output)')
  .option('--function <name>', 'only this function: a symbol (wasm$f3, wasm_main, a C name) or a Wasm name')
  .option('--module <file>', 'the module it was built from, for Wasm function names (default: the project\'s input)')
  .action(async (elf: string | undefined, flags: { function?: string; module?: string }) => {
    const config = findProjectConfig(process.cwd());
    const firmware = elf ?? (config !== undefined ? projectFirmware(config) : undefined);
    if (firmware === undefined) throw new UserError('usage', 'no firmware given and no mcu-aot.toml with an input here', {}, 'mcu-aot disasm <app.elf>');
    const module = flags.module ?? (elf === undefined ? config?.input : undefined);
    const source = { log, ...(config?.optLevel !== undefined ? { optLevel: config.optLevel } : {}) };
    const listings = await disasmFirmware(firmware, {
      ...(module !== undefined ? { module } : {}),
      ...(flags.function !== undefined ? { function: flags.function } : {}),
      source,
    });
    process.stdout.write(formatListing(listings));
  });

compileOptions(
  program
    .command('sim')
    .description('run the firmware (.elf, or a .wasm/.wat built first) in the host simulator; exits with its exit code')
    .argument('[inputs...]', 'firmware .elf, or module: .wasm, .wat, .c or .ts (default: the project config\'s); more modules link into the same firmware')
    .option('--max-cycles <n>', 'stop a firmware that has not exited after this many cycles', parseCount)
    .option('--stats', 'print instructions, cycles and simulator speed to stderr'),
).action(async (inputs: string[], flags: CompileFlags & { maxCycles?: number; stats?: boolean }) => {
  const options = commonBuildOptions(inputs[0], flags, '.elf'); // no input: the project's; a module builds into a temporary folder
  const simRun = await sim({
    ...options,
    libraries: inputs.slice(1),
    ...(flags.maxCycles !== undefined ? { maxCycles: flags.maxCycles } : {}),
    onOutput: out,
    onSemihosting: err,
    uartInput: process.stdin, // typed or piped input reaches the console UART, as with `run`
  });
  const { result, limit, interrupted } = simRun;
  if (interrupted) {
    process.exitCode = EXIT_INTERRUPTED; // Ctrl-C at the terminal
    return;
  }
  if (flags.stats === true) log(formatSimStats(result));
  try {
    process.exitCode = exitCodeOf(result, limit, options.input);
  } catch (e) {
    if (!(e instanceof UserError && e.code === 'cycle-limit')) throw e;
    report(e);
    process.exitCode = EXIT_CYCLE_LIMIT;
  }
});

compileOptions(
  program
    .command('profile')
    .description('build the module, run it in the host simulator counting executions, and write a profile for profile-guided builds')
    .argument('[input]', 'module: .wasm, .wat, .c or .ts (default: the project config\'s)')
    .option('-o, --output <file>', 'profile file (default: the input name with .profile)')
    .option('--report <file>', 'also write an HTML report of the hot functions and blocks')
    .option('--max-cycles <n>', 'stop after this many cycles and profile the run so far', parseCount),
).action(async (input: string | undefined, flags: CompileFlags & { output?: string; report?: string; maxCycles?: number }) => {
  const run = await profileFirmware({
    ...commonBuildOptions(input, flags, '.profile'),
    ...(flags.report !== undefined ? { report: flags.report } : {}),
    ...(flags.maxCycles !== undefined ? { maxCycles: flags.maxCycles } : {}),
    onOutput: out,
    onSemihosting: err,
    uartInput: process.stdin, // as for `mcu-aot sim`: the run may read the console UART
  });
  log(formatProfileSummary(run));
  process.exitCode = run.profile.run.exitCode ?? 0;
});

program
  .command('boards')
  .description('list the supported boards')
  .action(() => {
    for (const name of listBoards()) {
      const b = loadBoard(name);
      console.log(`${b.name.padEnd(14)} ${b.cpu.core.padEnd(11)} flash ${kib(b.flash.size).padEnd(9)} RAM ${kib(b.ram.size).padEnd(9)} QEMU ${b.qemuMachine}`);
    }
  });

const kib = (n: number): string => (n >= 1 << 20 ? `${n / (1 << 20)} MiB` : `${n / 1024} KiB`);

/** Print a failure (src/diagnostics/format.ts) and give the exit code it means. */
function report(e: unknown): number {
  for (const line of formatError(e, stderrStyle, process.env['MCU_AOT_DEBUG'] === '1')) err(`${line}\n`);
  return e instanceof UserError ? EXIT_USER_ERROR : EXIT_INTERNAL_ERROR;
}

program.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (e) {
  const code = (e as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('commander.')) {
    // commander already printed its message (or the help/version text).
    const helpOrVersion = code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help';
    process.exitCode = helpOrVersion ? 0 : EXIT_USER_ERROR;
  } else {
    process.exitCode = report(e);
  }
} finally {
  status.clear();
}

