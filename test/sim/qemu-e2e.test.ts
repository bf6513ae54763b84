// The simulator against QEMU: every end-to-end program, built once per board, must print
// the same console output and exit with the same code in both.

import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { describeStop, simulateElf } from '../../src/sim/simulate.js';
import { listPrograms, loadProgram } from '../support/programs.js';

const BOARDS = ['lm3s6965', 'mps2-an385'];
const LIMIT = 2_000_000_000;
const work = mkdtempSync(join(tmpdir(), 'mcu-aot-sim-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(listPrograms())('%s', (file) => {
  it.each(BOARDS)('gives the same output and exit code as QEMU on %s', async (boardName) => {
    const program = loadProgram(file, work);
    const board = loadBoard(boardName);
    const elf = join(work, `${program.name}-${boardName}.elf`);
    await build({ input: program.wasmPath, board, emit: 'elf', output: elf, log: () => {} });
    const [qemu, sim] = [await runOnQemu(elf, board, { timeoutMs: 30_000 }), simulateElf(readFileSync(elf), elf, board, { maxInstructions: LIMIT })];
    expect(qemu.timedOut).toBe(false);
    expect(describeStop(sim.stop, LIMIT)).toBe(`exited with code ${qemu.exitCode}`);
    expect(sim.output).toBe(qemu.output);
  }, 60_000);
});
