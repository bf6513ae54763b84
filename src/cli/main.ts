// The `mcu-aot` command: parses arguments and calls the driver. No compiler logic here.

import { Command, InvalidArgumentError, Option } from 'commander';
import { InternalError, UserError } from '../diagnostics/errors.js';
import { listBoards, loadBoard } from '../driver/board.js';
import { build, type EmitKind } from '../driver/build.js';
import { run } from '../driver/run.js';

const EXIT_USER_ERROR = 1;
const EXIT_INTERNAL_ERROR = 70;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function parseSize(text: string): number {
  const m = /^(\d+)\s*([kKmM]i?[bB]?)?$/.exec(text.trim());
  if (m === null) throw new InvalidArgumentError(`'${text}' is not a size (e.g. 40960, 40K, 1M)`);
  const unit = (m[2] ?? '').toLowerCase()[0];
  return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
}

function parseSeconds(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`'${text}' is not a positive number of seconds`);
  return n;
}

const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',')];

/** Options shared by every command that compiles. */
function compileOptions(cmd: Command): Command {
  return cmd
    .requiredOption('-b, --board <name>', 'target board (see `mcu-aot boards`)')
    .option('--memory <size>', 'physical linear memory size, e.g. 32K (default: fit to the board)', parseSize)
    .option('--strict-memory', 'fail instead of fitting a declared memory larger than the board can give')
    .option('--disable <passes>', 'IR passes to skip (comma-separated)', list)
    .option('--dump-after <passes>', 'print the IR after these passes (comma-separated) to stderr', list);
}

interface CompileFlags {
  board: string;
  memory?: number;
  strictMemory?: boolean;
  disable?: string[];
  dumpAfter?: string[];
}

function commonBuildOptions(input: string, flags: CompileFlags) {
  return {
    input,
    board: loadBoard(flags.board),
    log,
    ...(flags.memory !== undefined ? { memory: flags.memory } : {}),
    ...(flags.strictMemory === true ? { strictMemory: true } : {}),
    disablePasses: flags.disable ?? [],
    dumpAfter: flags.dumpAfter ?? [],
  };
}

const program = new Command('mcu-aot')
  .description('Compile WebAssembly ahead of time to ARM Cortex-M firmware')
  .version('0.1.0')
  .showHelpAfterError();

compileOptions(
  program
    .command('build')
    .description('compile a .wasm or .wat module to firmware (ELF + .bin + map, or an object)')
    .argument('<input>', 'module: .wasm or .wat')
    .option('-o, --output <file>', 'output file (default: the input name with the emit extension)')
    .addOption(new Option('--emit <kind>', 'what to write').choices(['obj', 'elf', 'bin', 'hex']).default('elf')),
).action(async (input: string, flags: CompileFlags & { output?: string; emit: EmitKind }) => {
  const result = await build({ ...commonBuildOptions(input, flags), emit: flags.emit, ...(flags.output !== undefined ? { output: flags.output } : {}) });
  const sizes = result.link !== undefined ? ` (flash ${result.link.flashUsed} bytes, RAM ${result.link.ramUsed} bytes)` : '';
  log(`wrote ${result.outputs.join(', ')}${sizes}`);
});

compileOptions(
  program
    .command('run')
    .description('build and boot the firmware in QEMU, streaming its console; exits with its exit code')
    .argument('<input>', 'module: .wasm or .wat')
    .option('--timeout <seconds>', 'fail when the firmware has not exited after this long', parseSeconds, 10),
).action(async (input: string, flags: CompileFlags & { timeout: number }) => {
  const code = await run({
    ...commonBuildOptions(input, flags),
    timeoutMs: flags.timeout * 1000,
    onOutput: (chunk) => void process.stdout.write(chunk),
  });
  process.exitCode = code;
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

function report(e: unknown): number {
  if (e instanceof UserError) {
    log(`error[${e.code}]: ${e.message}`);
    if (e.hint !== undefined) log(`  hint: ${e.hint}`);
    return EXIT_USER_ERROR;
  }
  const debug = process.env['MCU_AOT_DEBUG'] === '1';
  if (e instanceof InternalError) {
    log(`error: ${e.message}`);
    if (debug && e.dump !== undefined) log(e.dump);
  } else {
    log(`error: internal error: ${(e as Error)?.message ?? String(e)}`);
  }
  if (debug) log((e as Error)?.stack ?? '');
  return EXIT_INTERNAL_ERROR;
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
}

