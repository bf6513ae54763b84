// C input keeps its function names: clang-14's driver runs wasm-opt (which drops the name
// section) when it optimises a link and finds wasm-opt on PATH, so from-c.ts links without
// -O. A trap inside a C function must name it, in the simulator as on the board.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { findOnPath } from '../../src/frontend/from-c.js';
import { simulateElf } from '../../src/sim/simulate.js';

const work = mkdtempSync(join(tmpdir(), 'mcu-aot-c-names-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PROGRAM = `
__attribute__((noinline)) int divide_widgets(int total, int count) { return total / count; }
int main(int argc, char **argv) { (void)argv; return divide_widgets(100, argc - 1); }
`;

it('names the C function a trap happens in, with wasm-opt on PATH', async () => {
  // The oracle for "wasm-opt would run": it is installed here (binaryen), so a driver link with -O2 would strip names.
  expect(findOnPath('wasm-opt')).toBeDefined();
  const source = join(work, 'divide.c');
  writeFileSync(source, PROGRAM);
  const board = loadBoard('mps2-an385');
  const { outputs } = await build({ input: source, board, emit: 'elf', output: join(work, 'divide.elf'), log: () => {}, optLevel: '2' });
  const result = simulateElf(readFileSync(outputs[0]!), outputs[0]!, board, { maxInstructions: 50_000_000 });
  expect(result.output).toMatch(/^trap: integer divide by zero in divide_widgets at wasm offset 0x[0-9a-f]+\n/);
  expect(result.stop).toEqual({ kind: 'exit', code: 102 });
}, 120_000);
