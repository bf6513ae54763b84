// `mcu-aot run`: build the firmware into a temporary folder and boot it on the board's QEMU
// machine, streaming the console; the result is the firmware's own exit code.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userError } from '../diagnostics/errors.js';
import { runOnQemu } from '../../qemu/runner.js';
import { build, type BuildOptions } from './build.js';

export interface RunOptions extends Omit<BuildOptions, 'emit' | 'output'> {
  readonly timeoutMs: number;
  readonly onOutput: (chunk: string) => void;
}

export async function run(opts: RunOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-run-'));
  try {
    const { outputs } = await build({ ...opts, emit: 'elf', output: join(dir, 'app.elf') });
    const result = await runOnQemu(outputs[0]!, opts.board, { timeoutMs: opts.timeoutMs, onOutput: opts.onOutput });
    if (result.timedOut) {
      throw userError('timeout', `no exit after ${opts.timeoutMs / 1000} s on ${opts.board.name} (QEMU ${opts.board.qemuMachine})`, { file: opts.input }, 'raise --timeout if the program needs longer');
    }
    return result.exitCode;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
