// Simulator speed beside QEMU's, on the same firmware in the same run: the host simulator
// (src/sim) runs the whole firmware twice, with its JIT and with the interpreter alone
// (jitThreshold Infinity), and QEMU boots it once more without the counting plugin (the
// plugin's callbacks slow QEMU down). Million instructions per second are the whole run's
// instructions over the wall time of the run: the simulator's own count for the
// simulator, the plugin's `total` for QEMU (QEMU's time includes starting the process).
// Wall-clock figures vary with the host and its load; the instruction and cycle counts
// are deterministic.

import { readFileSync } from 'node:fs';
import type { Board } from '../src/driver/board.js';
import { runOnQemu } from '../qemu/runner.js';
import { simulateElf, type SimulateResult } from '../src/sim/simulate.js';

/** What the simulator columns of the report show for one firmware. */
export interface SimSpeed {
  /** Instructions and cycles of the whole run in the simulator (the JIT run; the interpreter's are equal). */
  readonly simInstructions: number;
  readonly simCycles: number;
  readonly jitSeconds: number;
  readonly interpreterSeconds: number;
  /** QEMU: the plugin's whole-run count and the wall time of a run without the plugin. */
  readonly qemuInstructions: number;
  readonly qemuSeconds: number;
}

/** Instructions a firmware may run in the simulator before the benchmark gives up on it. */
const SIM_LIMIT = 20_000_000_000;

/** The simulator's run of the firmware, checked against QEMU's exit code and console. */
function simulate(elf: Uint8Array, file: string, board: Board, jitThreshold: number | undefined, expected: { exitCode: number; output: string }): SimulateResult {
  const result = simulateElf(elf, file, board, { maxInstructions: SIM_LIMIT, ...(jitThreshold !== undefined ? { jitThreshold } : {}) });
  if (result.stop.kind !== 'exit' || result.stop.code !== expected.exitCode) {
    throw new Error(`the simulator ended with ${JSON.stringify(result.stop)}, QEMU with exit code ${expected.exitCode}`);
  }
  if (result.output !== expected.output) throw new Error('the simulator printed something else than QEMU');
  return result;
}

/** Runs `elf` in the simulator (JIT, then interpreter) and plainly in QEMU, and times each. */
export async function measureSimSpeed(elfPath: string, board: Board, qemuInstructions: number): Promise<SimSpeed> {
  const started = performance.now();
  const qemu = await runOnQemu(elfPath, board, { timeoutMs: 120_000 });
  const qemuSeconds = (performance.now() - started) / 1000;
  if (qemu.timedOut) throw new Error('QEMU timed out');
  const elf = readFileSync(elfPath);
  const expected = { exitCode: qemu.exitCode, output: qemu.output };
  const jit = simulate(elf, elfPath, board, undefined, expected);
  const interpreter = simulate(elf, elfPath, board, Infinity, expected);
  return {
    simInstructions: jit.instructions,
    simCycles: jit.cycles,
    jitSeconds: jit.seconds,
    interpreterSeconds: interpreter.seconds,
    qemuInstructions,
    qemuSeconds,
  };
}

/** Million instructions per second. */
export const mips = (instructions: number, seconds: number): number => instructions / Math.max(seconds, 1e-9) / 1e6;
