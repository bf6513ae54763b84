// Runs a linked firmware image on the simulated board and reports what it printed, how
// it ended and how fast the simulator went.

import { userError } from '../diagnostics/errors.js';
import type { Board } from '../driver/board.js';
import { readLoadImage } from '../elf/read-executable.js';
import type { ExecutionCounts } from './execution-counts.js';
import { Machine, type StopReason } from './machine.js';
import type { UartInputQueue } from './uart-input.js';

export interface SimulateOptions {
  /** Stop after this many instructions (a runaway firmware). */
  readonly maxInstructions?: number;
  /** Stop after this many cycles (the cycle model's, timing.ts). */
  readonly maxCycles?: number;
  /** Keep execution counts (result.counts) for a profile. */
  readonly profile?: boolean;
  /** JIT threshold (block entries before compiling): 0 compiles everything, Infinity disables the JIT. */
  readonly jitThreshold?: number;
  readonly onConsole?: (text: string) => void;
  readonly onSemihosting?: (text: string) => void;
}

export interface SimulateResult {
  readonly stop: StopReason;
  /** Console UART output. */
  readonly output: string;
  readonly instructions: number;
  /** Cycles by the Cortex-M3/M4 cycle model (src/sim/timing.ts). */
  readonly cycles: number;
  readonly seconds: number;
  /** Execution counts, when `profile` was asked for. */
  readonly counts?: ExecutionCounts;
}

export const DEFAULT_MAX_INSTRUCTIONS = 10_000_000_000;

export function simulateElf(elf: Uint8Array, file: string, board: Board, opts: SimulateOptions = {}): SimulateResult {
  const session = startSimulation(elf, file, board, opts);
  return session.finish(session.machine.run(opts.maxInstructions ?? DEFAULT_MAX_INSTRUCTIONS, opts.maxCycles ?? Infinity));
}

export interface InteractiveOptions extends SimulateOptions {
  /** Typed into the console UART as it arrives; the firmware may sleep until it does. */
  readonly uartInput: UartInputQueue;
  /** Ends the run early (Ctrl-C): it stops as an 'error' saying so. */
  readonly signal?: AbortSignal;
}

/**
 * Cycles run between two looks at the event loop: input typed meanwhile reaches the UART
 * at the next one. Small enough to keep typing responsive, large enough to cost nothing.
 */
const SLICE_CYCLES = 4_000_000;

/**
 * Like simulateElf, with console input: runs in slices, letting input in between them, and
 * waits for input while the firmware sleeps with nothing else to wake it (as a board
 * would). Once the input has ended, such a sleep ends the run as in simulateElf.
 */
export async function simulateElfInteractive(elf: Uint8Array, file: string, board: Board, opts: InteractiveOptions): Promise<SimulateResult> {
  const session = startSimulation(elf, file, board, opts);
  const { machine } = session;
  const maxInstructions = opts.maxInstructions ?? DEFAULT_MAX_INSTRUCTIONS;
  const maxCycles = opts.maxCycles ?? Infinity;
  for (;;) {
    if (opts.signal?.aborted === true) return session.finish({ kind: 'error', pc: machine.cpu.pc, message: 'interrupted (Ctrl-C)' });
    const stop = machine.run(maxInstructions, Math.min(maxCycles, machine.cycles + SLICE_CYCLES));
    if (stop.kind === 'input') {
      await Promise.race([opts.uartInput.arrival(), aborted(opts.signal)]);
      continue;
    }
    if (stop.kind !== 'limit' || machine.cycles >= maxCycles || machine.instructions >= maxInstructions) return session.finish(stop);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const aborted = (signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));

/** A machine loaded with the firmware, its console collected, and what makes the result of a stop. */
function startSimulation(elf: Uint8Array, file: string, board: Board, opts: SimulateOptions & { readonly uartInput?: UartInputQueue }) {
  const image = readLoadImage(elf, file);
  let output = '';
  const decoder = new TextDecoder('latin1');
  const machine = new Machine(board, image, {
    onConsole: (bytes) => {
      const text = decoder.decode(bytes);
      output += text;
      opts.onConsole?.(text);
    },
    onSemihosting: (bytes) => opts.onSemihosting?.(decoder.decode(bytes)),
    ...(opts.profile === true ? { profile: true } : {}),
    ...(opts.jitThreshold !== undefined ? { jitThreshold: opts.jitThreshold } : {}),
    ...(opts.uartInput !== undefined ? { uartInput: opts.uartInput } : {}),
  });
  const started = process.hrtime.bigint();
  const finish = (stop: StopReason): SimulateResult => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const counts = machine.counts;
    return { stop, output, instructions: machine.instructions, cycles: machine.cycles, seconds, ...(counts !== undefined ? { counts } : {}) };
  };
  return { machine, finish };
}

/** A one-line description of a stop that is not an exit, for the user. */
export function describeStop(stop: StopReason, limit: number): string {
  const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
  switch (stop.kind) {
    case 'exit': return `exited with code ${stop.code}`;
    case 'limit': return `no exit after ${limit} cycles (raise --max-cycles if the program needs longer)`;
    case 'lockup': return `lockup at pc=${hex(stop.pc)}: ${stop.message}`;
    case 'sleep': return `the core sleeps (WFI) at pc=${hex(stop.pc)} with no interrupt that could wake it`;
    case 'input': return 'the core sleeps (WFI) waiting for console input';
    case 'error': return `stopped at pc=${hex(stop.pc)}: ${stop.message}`;
  }
}

/**
 * The exit code of `mcu-aot sim` when --max-cycles (or the instruction limit) ends a
 * firmware that has not exited: 124, as GNU `timeout` uses, apart from the user-error 1,
 * the internal-error 70 and runtime-c's own codes (97-99, 101-111).
 */
export const EXIT_CYCLE_LIMIT = 124;

/**
 * The exit code of a finished run, or a UserError saying why there is none: 'cycle-limit'
 * when the limit ended it (the CLI then exits with EXIT_CYCLE_LIMIT), 'sim' for a lockup,
 * a sleep nothing can wake or a simulator error.
 */
export function exitCodeOf(result: SimulateResult, limit: number, file: string): number {
  if (result.stop.kind === 'exit') return result.stop.code;
  throw userError(result.stop.kind === 'limit' ? 'cycle-limit' : 'sim', describeStop(result.stop, limit), { file });
}

/** The --stats lines: instructions, cycles and speed. */
export function formatSimStats(result: SimulateResult): string {
  const mips = result.seconds > 0 ? result.instructions / result.seconds / 1e6 : 0;
  return [
    `instructions: ${result.instructions}`,
    `cycles: ${result.cycles} (CPI ${(result.cycles / Math.max(1, result.instructions)).toFixed(2)})`,
    `simulator speed: ${mips.toFixed(1)} MIPS (${result.seconds.toFixed(3)} s)`,
  ].join('\n');
}
