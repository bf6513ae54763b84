// Every program in test/e2e/programs runs in Node's WebAssembly engine and, compiled by
// mcu-aot, on QEMU for every board: the console output and exit code must be the ones the
// program states, in both.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { runInNode } from '../support/node-oracle.js';
import { listPrograms, loadProgram } from '../support/programs.js';

const BOARDS = ['lm3s6965', 'mps2-an385', 'mps2-an386'];
const work = mkdtempSync(join(tmpdir(), 'mcu-aot-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(listPrograms())('%s', (file) => {
  const program = loadProgram(file, work);

  it('runs in Node with the stated output and exit code', () => {
    const result = runInNode(readFileSync(program.wasmPath));
    expect(result.output).toBe(program.expectedOutput);
    expect(result.exitCode).toBe(program.expectedExit);
  });

  it.each(BOARDS.filter((b) => program.boards?.includes(b) ?? true))('runs on QEMU %s with the same output and exit code', async (boardName) => {
    const board = loadBoard(boardName);
    const elf = join(work, `${program.name}-${boardName}.elf`);
    await build({ input: program.wasmPath, board, emit: 'elf', output: elf, log: () => {} });
    const result = await runOnQemu(elf, board, { timeoutMs: 20_000 });
    expect(result.timedOut).toBe(false);
    if (program.expectedTrap !== undefined) {
      const lines = result.output.split('\n');
      const trapLine = lines.findIndex((l) => l.startsWith('trap: '));
      expect(lines[trapLine]).toMatch(new RegExp(`^trap: ${program.expectedTrap} at wasm offset 0x[0-9a-f]+$`));
      expect(lines.slice(0, trapLine).join('\n') + (trapLine > 0 ? '\n' : '')).toBe(program.expectedOutput);
    } else {
      expect(result.output).toBe(program.expectedOutput);
    }
    expect(result.exitCode).toBe(program.expectedExit);
  });
});
