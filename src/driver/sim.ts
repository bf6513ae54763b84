// `mcu-aot sim`: run firmware in the host simulator. An .elf runs as it is; a .wasm/.wat
// is built first (into a temporary folder), exactly as `mcu-aot build` would.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { userError } from '../diagnostics/errors.js';
import { DEFAULT_MAX_INSTRUCTIONS, simulateElf, type SimulateResult } from '../sim/simulate.js';
import { build, type BuildOptions } from './build.js';

export interface SimOptions extends Omit<BuildOptions, 'emit' | 'output'> {
  readonly maxCycles?: number;
  readonly onOutput: (chunk: string) => void;
  /** Semihosting console output (QEMU prints it on stderr). */
  readonly onSemihosting?: (chunk: string) => void;
}

export interface SimRun {
  readonly result: SimulateResult;
  /** The cycle limit the run had (for describing a stop). */
  readonly limit: number;
}

export async function sim(opts: SimOptions): Promise<SimRun> {
  const limit = opts.maxCycles ?? DEFAULT_MAX_INSTRUCTIONS;
  const run = (elfPath: string): SimRun => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(elfPath);
    } catch (e) {
      throw userError('input', `cannot read '${elfPath}': ${(e as Error).message}`);
    }
    const result = simulateElf(bytes, opts.input, opts.board, {
      maxCycles: limit,
      onConsole: opts.onOutput,
      ...(opts.onSemihosting !== undefined ? { onSemihosting: opts.onSemihosting } : {}),
    });
    return { result, limit };
  };
  if (extname(opts.input) === '.elf') return run(opts.input);
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-sim-'));
  try {
    const { outputs } = await build({ ...opts, emit: 'elf', output: join(dir, 'app.elf') });
    return run(outputs[0]!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
