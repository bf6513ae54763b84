// The mcu-aot-pgo configuration: the program's mcu-aot firmware is profiled in the host
// simulator (driver/profile.ts profileFirmware, what `mcu-aot profile` does: the same build
// inputs, the whole run), then the module is built again with that profile (`--profile`).
// The harness runs the result on QEMU and verifies it like every other configuration.
//
// The profile gain table compares simulator cycles of the whole run (boot to exit): the
// profiling run gives the plain firmware's (the profile map it adds is an unloaded ELF
// section, so the code is the plain build's), one more simulator run the profiled one's.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../src/driver/build.js';
import type { Board } from '../src/driver/board.js';
import { profileFirmware } from '../src/driver/profile.js';
import { buildRuntime } from '../src/driver/runtime.js';
import { describeStop, simulateElf } from '../src/sim/simulate.js';
import type { WasmModule } from './wasm-build.js';

/** Simulator figures of one whole run. */
export interface SimRunFigures {
  readonly cycles: number;
  readonly instructions: number;
}

/** What the profile did for one program, in the simulator. */
export interface ProfileGain {
  readonly plain: SimRunFigures;
  readonly profiled: SimRunFigures;
}

export interface McuAotPgoBuild {
  readonly elf: string;
  readonly profile: string;
  readonly gain: ProfileGain;
}

/** Cycles a benchmark may run in the simulator (profiling or measuring) before it gives up. */
const SIM_CYCLE_LIMIT = 20_000_000_000;

/** `keepOutOfLine`: the timed-region markers (as for the mcu-aot configuration). */
export async function buildMcuAotPgo(module: WasmModule, name: string, board: Board, dir: string, keepOutOfLine: readonly string[]): Promise<McuAotPgoBuild> {
  await buildRuntime(board);
  const profile = join(dir, `${name}.profile`);
  const quiet = (): void => {};
  const run = await profileFirmware({
    input: module.wasm, board, keepOutOfLine, output: profile, maxCycles: SIM_CYCLE_LIMIT, log: quiet, onOutput: quiet, onSemihosting: quiet,
  });
  if (run.profile.run.exitCode === null) throw new Error('the profiling run reached the simulator\'s cycle limit');
  const elf = join(dir, `${name}.elf`);
  await build({ input: module.wasm, board, emit: 'elf', output: elf, profile, keepOutOfLine, log: quiet });
  const result = simulateElf(readFileSync(elf), elf, board, { maxCycles: SIM_CYCLE_LIMIT });
  if (result.stop.kind !== 'exit' || result.stop.code !== run.profile.run.exitCode) {
    throw new Error(`the profiled firmware ended otherwise in the simulator: ${describeStop(result.stop, SIM_CYCLE_LIMIT)}`);
  }
  return {
    elf,
    profile,
    gain: {
      plain: { cycles: run.profile.run.cycles, instructions: run.profile.run.instructions },
      profiled: { cycles: result.cycles, instructions: result.instructions },
    },
  };
}
