// `mcu-aot sim`: run firmware in the host simulator. An .elf runs as it is; a .wasm/.wat
// is built first (into a temporary folder), exactly as `mcu-aot build` would. An .elf for
// another board is refused (firmware-board.ts).

import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { ELF_MAGIC } from '../elf/constants.js';
import { DEFAULT_MAX_INSTRUCTIONS, simulateElf, type SimulateResult } from '../sim/simulate.js';
import { build, type BuildOptions } from './build.js';
import { readFirmwareForBoard } from './firmware-board.js';

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
    const bytes = readFirmwareForBoard(elfPath, opts.board);
    const result = simulateElf(bytes, opts.input, opts.board, {
      maxCycles: limit,
      onConsole: opts.onOutput,
      ...(opts.onSemihosting !== undefined ? { onSemihosting: opts.onSemihosting } : {}),
    });
    return { result, limit };
  };
  if (extname(opts.input) === '.elf' || startsWithElfMagic(opts.input)) return run(opts.input);
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-sim-'));
  try {
    const { outputs } = await build({ ...opts, emit: 'elf', output: join(dir, 'app.elf') });
    return run(outputs[0]!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
