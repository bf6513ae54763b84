// `mcu-aot run`: build the firmware into a temporary folder and boot it on the board's QEMU
// machine, streaming the console; the result is the firmware's own exit code. An .elf boots
// as it is, once it is known to be for the board (firmware-board.ts).
//
// The console works both ways: `uartInput` is typed into the UART. From a terminal, every key
// goes to the firmware as it is pressed (raw mode: the firmware echoes, not the terminal),
// and Ctrl-C ends the run like the signal does when the input is a pipe. Either way QEMU,
// which runs in its own process group, is killed rather than left running.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { userError } from '../diagnostics/errors.js';
import { runOnQemu, type QemuRunOptions } from '../../qemu/runner.js';
import { build, type BuildOptions } from './build.js';
import { readFirmwareForBoard } from './firmware-board.js';

export interface RunOptions extends Omit<BuildOptions, 'emit' | 'output'> {
  readonly timeoutMs: number;
  readonly onOutput: (chunk: string) => void;
  /**
   * Typed into the console UART: text or bytes once the firmware has first printed, or a
   * stream as it arrives (qemu/runner.ts). A terminal's stdin is put in raw mode for the run.
   */
  readonly uartInput?: string | Uint8Array | NodeJS.ReadableStream | NodeJS.ReadStream;
}

/** A shell's exit status for a program ended by SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

const CTRL_C = 0x03;

export async function run(opts: RunOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-run-'));
  const interrupted = new AbortController();
  const interrupt = (): void => interrupted.abort();
  try {
    const elf = extname(opts.input) === '.elf' ? checkedElf(opts) : (await build({ ...opts, emit: 'elf', output: join(dir, 'app.elf') })).outputs[0]!;
    process.once('SIGINT', interrupt);
    const typing = connectUartInput(opts.uartInput, interrupt);
    try {
      const result = await runOnQemu(elf, opts.board, {
        timeoutMs: opts.timeoutMs,
        onOutput: opts.onOutput,
        signal: interrupted.signal,
        ...(typing.input !== undefined ? { input: typing.input } : {}),
      });
      if (interrupted.signal.aborted) return EXIT_INTERRUPTED;
      if (result.timedOut) {
        throw userError('timeout', `no exit after ${opts.timeoutMs / 1000} s on ${opts.board.name} (QEMU ${opts.board.qemuMachine})`, { file: opts.input }, 'raise --timeout if the program needs longer');
      }
      return result.exitCode;
    } finally {
      typing.restore();
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A firmware ELF given to run, refused when it is for another board. */
function checkedElf(opts: RunOptions): string {
  readFirmwareForBoard(opts.input, opts.board);
  return opts.input;
}

function isTerminal(input: RunOptions['uartInput']): input is NodeJS.ReadStream {
  return typeof input === 'object' && !(input instanceof Uint8Array) && 'isTTY' in input && input.isTTY === true;
}

/**
 * What QEMU's stdin gets, and what puts the terminal back afterwards. In raw mode Ctrl-C
 * arrives as a byte instead of a signal: it interrupts the run rather than reaching the UART.
 */
function connectUartInput(input: RunOptions['uartInput'], interrupt: () => void): { input?: QemuRunOptions['input']; restore: () => void } {
  if (!isTerminal(input)) return { ...(input !== undefined ? { input } : {}), restore: () => {} };
  const keys = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (chunk.includes(CTRL_C)) {
        interrupt();
        done();
        return;
      }
      done(null, chunk);
    },
  });
  input.setRawMode(true);
  input.pipe(keys);
  return {
    input: keys,
    restore: () => {
      input.unpipe(keys);
      input.setRawMode(false);
      input.pause();
    },
  };
}
