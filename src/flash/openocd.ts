// The `openocd` flash method: hand the ELF to OpenOCD's own `program` command, which knows
// every vendor's flash controller. mcu-aot only builds the command line from the board
// (`[flash] target`, `interface`) and turns OpenOCD's failure into one error line.

import { execa } from 'execa';
import { userError } from '../diagnostics/errors.js';
import type { Board } from '../driver/board.js';

export interface OpenOcdOptions {
  /** Debug adapter config, e.g. `ftdi/luminary.cfg` or `interface/cmsis-dap.cfg`; default: the board's. */
  readonly interface?: string;
  readonly verify: boolean;
}

const OPENOCD = 'openocd';
const INSTALL_HINT = 'sudo apt-get install openocd';
/** How much of OpenOCD's stderr a failure shows: its last lines say what went wrong. */
const STDERR_TAIL_LINES = 6;

/** The arguments after `openocd` that program, verify, reset and run `elf` on `board`. */
export function openOcdArgs(elf: string, board: Board, opts: OpenOcdOptions): string[] {
  const target = board.flashMethod.target;
  if (target === undefined) {
    throw userError('board', `board '${board.name}' names no OpenOCD target config ([flash] target = "target/....cfg")`, {}, 'use --method gdb with a running gdbserver instead');
  }
  const adapter = opts.interface ?? board.flashMethod.interface;
  if (adapter === undefined) {
    throw userError('usage', `board '${board.name}' names no debug adapter for OpenOCD`, {}, 'pass --interface <cfg>, e.g. cmsis-dap.cfg, stlink.cfg, jlink.cfg, ftdi/luminary.cfg');
  }
  const program = ['program', tclWord(elf), ...(opts.verify ? ['verify'] : []), 'reset', 'exit'].join(' ');
  return ['-f', configPath(adapter, 'interface'), '-f', configPath(target, 'target'), '-c', program];
}

/** The command line as a shell would take it (for --dry-run). */
export function formatCommandLine(args: readonly string[]): string {
  return [OPENOCD, ...args].map(shellWord).join(' ');
}

export async function flashWithOpenOcd(elf: string, board: Board, opts: OpenOcdOptions & { log: (line: string) => void }): Promise<void> {
  const args = openOcdArgs(elf, board, opts);
  opts.log(formatCommandLine(args));
  const result = await execa(OPENOCD, args, { reject: false });
  if ((result as { code?: string }).code === 'ENOENT') {
    throw userError('toolchain', `'${OPENOCD}' not found on PATH`, {}, INSTALL_HINT);
  }
  if (result.exitCode !== 0) {
    const tail = String(result.stderr).trim().split('\n').slice(-STDERR_TAIL_LINES).join(' | ');
    throw userError('flash', `${OPENOCD} exited with status ${result.exitCode ?? 'unknown'}${tail !== '' ? `: ${tail}` : ''}`, { file: elf });
  }
}

/** `ftdi/luminary.cfg` → `interface/ftdi/luminary.cfg`; paths to real files stay as given. */
function configPath(name: string, folder: 'interface' | 'target'): string {
  if (name.startsWith(`${folder}/`) || name.startsWith('/') || name.startsWith('./') || name.startsWith('board/')) return name;
  return `${folder}/${name}`;
}

/** A file name as one Tcl word: braces keep spaces and `$`/`[` from Tcl substitution. */
function tclWord(text: string): string {
  return /^[\w./+-]+$/.test(text) ? text : `{${text}}`;
}

function shellWord(text: string): string {
  return /^[\w./:=+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
