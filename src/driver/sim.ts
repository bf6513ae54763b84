// `mcu-aot sim`: run firmware in the host simulator. An .elf runs as it is; a .wasm/.wat
// is built first (into a temporary folder), exactly as `mcu-aot build` would. An .elf for
// another board is refused (firmware-board.ts).
//
// `uartInput` is typed into the console UART, as `mcu-aot run` does for QEMU: a pipe's
// bytes as they come, a terminal's keys as they are pressed (raw mode: the firmware
// echoes; Ctrl-C ends the run). A firmware sleeping until input arrives waits for it.

import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { ELF_MAGIC } from '../elf/constants.js';
import type { Board } from './board.js';
import { DEFAULT_MAX_INSTRUCTIONS, simulateElf, simulateElfInteractive, type SimulateOptions, type SimulateResult } from '../sim/simulate.js';
import { UartInputQueue } from '../sim/uart-input.js';
import { build, type BuildOptions } from './build.js';
import { readFirmwareForBoard } from './firmware-board.js';

export interface SimOptions extends Omit<BuildOptions, 'emit' | 'output'> {
  readonly maxCycles?: number;
  readonly onOutput: (chunk: string) => void;
  /** Semihosting console output (QEMU prints it on stderr). */
  readonly onSemihosting?: (chunk: string) => void;
  /** Typed into the console UART: all of it at once, or a stream (a terminal in raw mode) as it arrives. */
  readonly uartInput?: string | Uint8Array | NodeJS.ReadableStream | NodeJS.ReadStream;
}

export interface SimRun {
  readonly result: SimulateResult;
  /** Ctrl-C at the terminal ended the run (its result stops as an 'error' saying so). */
  readonly interrupted: boolean;
  /** The cycle limit the run had (for describing a stop). */
  readonly limit: number;
}

export async function sim(opts: SimOptions): Promise<SimRun> {
  const limit = opts.maxCycles ?? DEFAULT_MAX_INSTRUCTIONS;
  const run = async (elfPath: string): Promise<SimRun> => {
    const bytes = readFirmwareForBoard(elfPath, opts.board);
    const { result, interrupted } = await simulateWithInput(bytes, opts.input, opts.board, {
      maxCycles: limit,
      onConsole: opts.onOutput,
      ...(opts.onSemihosting !== undefined ? { onSemihosting: opts.onSemihosting } : {}),
    }, opts.uartInput);
    return { result, limit, interrupted };
  };
  if (extname(opts.input) === '.elf' || startsWithElfMagic(opts.input)) return run(opts.input);
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-sim-'));
  try {
    const { outputs } = await build({ ...opts, emit: 'elf', output: join(dir, 'app.elf') });
    return await run(outputs[0]!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** simulateElf with `uartInput` typed into the console UART (none: the UART receives nothing). */
export async function simulateWithInput(elf: Uint8Array, file: string, board: Board, options: SimulateOptions, uartInput?: SimOptions['uartInput']): Promise<{ result: SimulateResult; interrupted: boolean }> {
  if (uartInput === undefined) return { result: simulateElf(elf, file, board, options), interrupted: false };
  const typing = connectUartInput(uartInput);
  try {
    const result = await simulateElfInteractive(elf, file, board, { ...options, uartInput: typing.queue, signal: typing.interrupted });
    return { result, interrupted: typing.interrupted.aborted };
  } finally {
    typing.restore();
  }
}

const CTRL_C = 0x03;

interface ConnectedInput {
  readonly queue: UartInputQueue;
  /** Aborted by Ctrl-C typed at a terminal (raw mode turns it into a byte). */
  readonly interrupted: AbortSignal;
  /** Stops reading and puts a terminal back as it was. */
  readonly restore: () => void;
}

function connectUartInput(input: NonNullable<SimOptions['uartInput']>): ConnectedInput {
  const interrupt = new AbortController();
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
    return { queue: UartInputQueue.of(bytes), interrupted: interrupt.signal, restore: () => {} };
  }
  const queue = new UartInputQueue();
  const terminal = 'isTTY' in input && input.isTTY === true ? (input as NodeJS.ReadStream) : undefined;
  const onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    if (terminal !== undefined && bytes.includes(CTRL_C)) interrupt.abort();
    else queue.push(bytes);
  };
  const onEnd = (): void => queue.end();
  terminal?.setRawMode(true);
  input.on('data', onData);
  input.on('end', onEnd);
  input.on('error', onEnd);
  return {
    queue,
    interrupted: interrupt.signal,
    restore: () => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onEnd);
      terminal?.setRawMode(false);
      input.pause(); // a paused stdin no longer keeps the process alive
    },
  };
}

/**
 * Whether the file starts like an ELF file whatever its name (`mcu-aot sim /bin/true` must
 * be read as the ELF it is and rejected for its machine, not compiled as a module).
 */
function startsWithElfMagic(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false; // the build reports a missing file as it always does
  }
  try {
    const head = Buffer.alloc(ELF_MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && ELF_MAGIC.every((b, i) => head[i] === b);
  } finally {
    closeSync(fd);
  }
}
