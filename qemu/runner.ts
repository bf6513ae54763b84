// Boots an ELF firmware in QEMU and reports what it printed and how it exited.
//
// The firmware's console UART is UART0 on every board we support, and `-serial stdio` wires
// QEMU's first serial port (serial_hd(0)) to it, so QEMU's stdout is the firmware's console.
// runtime-c ends a program with semihosting SYS_EXIT_EXTENDED, which makes QEMU itself exit
// with the program's code: that status is the result. QEMU runs in its own process group so
// a timeout kills it and anything it started, never leaving an emulator spinning.

import { spawn, type ChildProcess } from 'node:child_process';
import { userError } from '../src/diagnostics/errors.js';
import type { Board } from '../src/driver/board.js';

export interface QemuRunOptions {
  /** Wall-clock limit; QEMU is killed and `timedOut` set when it is reached. */
  timeoutMs: number;
  /** Called with each piece of console output as it arrives. */
  onOutput?: (chunk: string) => void;
  /** Extra QEMU arguments, e.g. ['-d', 'int'] or ['-s', '-S'] for gdb. */
  extraArgs?: string[];
  /** Aborting kills QEMU like the timeout does (`timedOut` set): e.g. a per-test deadline. */
  signal?: AbortSignal;
  /**
   * What is typed into the console UART (QEMU's stdin, which `-serial stdio` connects to the
   * UART's receiver). Text or bytes are written once the firmware has printed something, so
   * that its console is set up before they arrive (a PL011 drops its receive FIFO when the
   * runtime programs it), then the input ends. A stream (a terminal) is passed through as it
   * arrives. Without it QEMU's stdin is empty.
   */
  input?: string | Uint8Array | NodeJS.ReadableStream;
}

export interface QemuRunResult {
  /** QEMU's exit status: the firmware's semihosting exit code (-1 when killed). */
  exitCode: number;
  /** Everything the firmware printed on its console UART. */
  output: string;
  timedOut: boolean;
  /** What QEMU itself printed on stderr (warnings, -d logs). */
  qemuStderr: string;
  /** A one-line explanation when the run did not end by itself (timeout). */
  message?: string;
}

const QEMU = 'qemu-system-arm';
const QEMU_HINT = 'sudo apt-get install qemu-system-arm';

/** The QEMU command line for booting `elfPath` on `board`. */
export function qemuArgs(elfPath: string, board: Board, extraArgs: string[] = []): string[] {
  return [
    '-M', board.qemuMachine,
    '-nographic',
    '-monitor', 'none',
    '-serial', 'stdio',
    '-semihosting-config', 'enable=on,target=native',
    '-kernel', elfPath,
    ...extraArgs,
  ];
}

/** QEMU's own fatal errors (bad machine, unreadable kernel) as opposed to warnings. */
function qemuFatalError(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .find((line) => line.startsWith(`${QEMU}:`) && !line.includes('warning:'));
}

/** Lines QEMU prints on stderr on every healthy boot: they explain nothing about a failure. */
const QEMU_NOISE = /warning:|^Timer with period zero, disabling$/;

/** What QEMU said on stderr beyond its usual noise: its last such line, cut to one screen line. */
function unexplainedStderr(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !QEMU_NOISE.test(l));
  const last = lines.at(-1);
  return last === undefined ? undefined : last.length > 160 ? `${last.slice(0, 157)}...` : last;
}

/** The location of a QEMU failure: the firmware, and the board and machine it ran on. */
const runWhere = (elfPath: string, board: Board) => ({ file: elfPath, context: `board '${board.name}', QEMU machine '${board.qemuMachine}'` });

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Connects `input` to QEMU's stdin (see QemuRunOptions.input); returns what disconnects a
 * stream again when QEMU ends, so that a terminal's stdin stops keeping the process alive.
 */
function feedConsoleInput(child: ChildProcess, input: QemuRunOptions['input']): () => void {
  const stdin = child.stdin;
  if (stdin === null) return () => {};
  // QEMU may exit before it has read everything: a closed pipe is not an error of the run.
  stdin.on('error', () => {});
  if (input === undefined) {
    stdin.end();
    return () => {};
  }
  if (typeof input === 'string' || input instanceof Uint8Array) {
    child.stdout?.once('data', () => stdin.end(input));
    return () => {};
  }
  input.pipe(stdin);
  return () => {
    input.unpipe(stdin);
    input.pause();
  };
}

/**
 * How long to wait, once QEMU has exited, for its output pipes to close. A process it left
 * behind outside its group (none should) could hold them open forever: the run ends anyway.
 */
const PIPE_CLOSE_GRACE_MS = 1000;

export function runOnQemu(elfPath: string, board: Board, opts: QemuRunOptions): Promise<QemuRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU, qemuArgs(elfPath, board, opts.extraArgs), {
      detached: true, // own process group: a timeout kills the whole group
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const detachInput = feedConsoleInput(child, opts.input);
    let output = '';
    let qemuStderr = '';
    let timedOut = false;
    let settled = false;
    const stop = (): void => {
      timedOut = true;
      killGroup(child.pid);
    };
    const timer = setTimeout(stop, opts.timeoutMs);
    opts.signal?.addEventListener('abort', stop);
    let graceTimer: NodeJS.Timeout | undefined;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      opts.signal?.removeEventListener('abort', stop);
      detachInput();
      return true;
    };

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      opts.onOutput?.(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      qemuStderr += chunk;
    });

    child.on('error', (err: NodeJS.ErrnoException) => {
      if (!settle()) return;
      if (err.code === 'ENOENT') reject(userError('toolchain', `'${QEMU}' not found on PATH`, {}, QEMU_HINT));
      else reject(userError('qemu', `cannot start ${QEMU}: ${err.message}`, runWhere(elfPath, board)));
    });

    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (!settle()) return;
      if (timedOut) {
        const seconds = (opts.timeoutMs / 1000).toString();
        resolve({
          exitCode: -1, output, timedOut, qemuStderr,
          message: `${elfPath} did not exit within ${seconds} s on ${board.name} (QEMU ${board.qemuMachine}); QEMU was killed`,
        });
        return;
      }
      const failure = qemuFailure(code, signal, output, qemuStderr, opts.extraArgs);
      if (failure !== undefined) reject(userError('qemu', failure, runWhere(elfPath, board)));
      else resolve({ exitCode: code!, output, timedOut, qemuStderr });
    };
    child.on('close', finish);
    child.on('exit', (code, signal) => {
      graceTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, signal);
      }, PIPE_CLOSE_GRACE_MS);
    });
  });
}

/**
 * Why QEMU itself failed, as opposed to the firmware ending with a code: it died of a
 * signal, it reported a fatal error, or it exited nonzero before the firmware printed
 * anything, saying something on stderr that is not its usual noise. (With extra arguments
 * such as `-d int` stderr is the user's log, so only the first two count.)
 */
function qemuFailure(code: number | null, signal: NodeJS.Signals | null, output: string, stderr: string, extraArgs: readonly string[] = []): string | undefined {
  const said = unexplainedStderr(stderr);
  if (code === null) return `${QEMU} was killed by ${signal ?? 'a signal'}${said !== undefined ? `; it said: ${said}` : ''}`;
  if (code === 0 || output !== '') return undefined;
  const fatal = qemuFatalError(stderr);
  if (fatal !== undefined) return fatal.slice(QEMU.length + 1).trim();
  if (said !== undefined && extraArgs.length === 0) return `${QEMU} exited with status ${code} before the firmware printed anything; it said: ${said}`;
  return undefined;
}
