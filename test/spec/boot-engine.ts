// Where a spec firmware boots: on the board's QEMU machine, in our simulator (src/sim), or
// on both. With both, QEMU's boot is the one the runner judges (QEMU is the oracle we did
// not write) and the simulator's is compared with it: any difference in console output or
// exit code is carried along, for the runner to report as a failure of the command whose
// result differs. The simulator runs in this process, so its budget is instructions rather
// than wall-clock time: the QEMU timeout at a speed the simulator always reaches.

import { writeFileSync } from 'node:fs';
import { runOnQemu } from '../../qemu/runner.js';
import type { Board } from '../../src/driver/board.js';
import { describeStop, simulateElf } from '../../src/sim/simulate.js';

export type Engine = 'qemu' | 'sim' | 'both';
export const ENGINES: readonly Engine[] = ['qemu', 'sim', 'both'];

/** What one boot of a firmware gave. */
export interface Boot {
  /** The console UART output, as the firmware printed it. */
  readonly output: string;
  /** The firmware's exit code; -1 when it did not exit (timeout, simulator stop). */
  readonly exitCode: number;
  readonly timedOut: boolean;
  /** Why the simulator stopped without an exit or a limit (lockup, sleep...): not console output. */
  readonly stopNote?: string;
}

/** The two boots of one firmware when they disagree. */
export interface EngineDifference {
  readonly qemu: Boot;
  readonly sim: Boot;
}

/** The boot the runner judges, and with `both`, how the simulator differed from it. */
export interface EngineBoot extends Boot {
  readonly difference?: EngineDifference;
}

/** Simulated instructions per millisecond of the QEMU timeout: well below what the JIT runs. */
const SIM_INSTRUCTIONS_PER_MS = 50_000;

async function bootOnQemu(elfPath: string, board: Board, timeoutMs: number): Promise<Boot> {
  const r = await runOnQemu(elfPath, board, { timeoutMs });
  return { output: r.output, exitCode: r.exitCode, timedOut: r.timedOut };
}

export function bootInSimulator(elf: Uint8Array, elfPath: string, board: Board, timeoutMs: number): Boot {
  const maxInstructions = timeoutMs * SIM_INSTRUCTIONS_PER_MS;
  const r = simulateElf(elf, elfPath, board, { maxInstructions });
  if (r.stop.kind === 'exit') return { output: r.output, exitCode: r.stop.code, timedOut: false };
  if (r.stop.kind === 'limit') return { output: r.output, exitCode: -1, timedOut: true };
  return { output: r.output, exitCode: -1, timedOut: false, stopNote: describeStop(r.stop, maxInstructions) };
}

/**
 * The two boots when the simulator differs from QEMU: another console output, exit code or
 * stop. A QEMU boot that timed out is no reference (a loaded machine cuts it anywhere): the
 * runner retries it.
 */
export function engineDifference(qemu: Boot, sim: Boot): EngineDifference | undefined {
  if (qemu.timedOut) return undefined;
  const same = qemu.output === sim.output && qemu.exitCode === sim.exitCode && !sim.timedOut && sim.stopNote === undefined;
  return same ? undefined : { qemu, sim };
}

/** Boot the linked firmware `elf` (written to `elfPath` for QEMU) on `engine`. */
export async function bootFirmware(elf: Uint8Array, elfPath: string, board: Board, engine: Engine, timeoutMs: number): Promise<EngineBoot> {
  if (engine === 'sim') return bootInSimulator(elf, elfPath, board, timeoutMs);
  writeFileSync(elfPath, elf);
  const qemu = await bootOnQemu(elfPath, board, timeoutMs);
  if (engine === 'qemu') return qemu;
  const sim = bootInSimulator(elf, elfPath, board, timeoutMs);
  const difference = engineDifference(qemu, sim);
  return difference === undefined ? qemu : { ...qemu, difference };
}

/** One boot in a line: exit code, the simulator's stop, and `lines` of console output. */
function describeBoot(boot: Boot, lines: readonly string[]): string {
  const how = boot.timedOut ? 'timed out' : boot.stopNote ?? `exit ${boot.exitCode}`;
  const shown = lines.length === 0 ? '(no more output)' : lines.map((l) => JSON.stringify(l)).join(' ');
  return `${how}: ${shown}`;
}

/** Up to this many console lines of each boot from where they first differ. */
const SHOWN_LINES = 3;

/** The two boots from the first console line where they part: what a failure detail shows. */
export function describeDifference(diff: EngineDifference): string {
  const q = diff.qemu.output.split(/\r?\n/);
  const s = diff.sim.output.split(/\r?\n/);
  let at = 0;
  while (at < q.length && at < s.length && q[at] === s[at]) at++;
  const from = at < q.length || at < s.length ? `from console line ${at + 1}` : 'same console output';
  return `${from}: qemu ${describeBoot(diff.qemu, q.slice(at, at + SHOWN_LINES))} | sim ${describeBoot(diff.sim, s.slice(at, at + SHOWN_LINES))}`;
}
