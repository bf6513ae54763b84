// Profile-guided builds end to end: profile a branchy program on the simulator and rebuild it
// with the profile (`build --pgo`); the firmware must print what Node's engine prints and take
// fewer simulated cycles. A profile of an older version of the module, or of another board,
// costs one warning line and the build still works.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { buildWithProfiling } from '../../src/driver/pgo-build.js';
import { sim } from '../../src/driver/sim.js';
import { watToBinary } from '../../src/frontend/load.js';
import { simulateElf } from '../../src/sim/simulate.js';
import { runInNode } from '../support/node-oracle.js';

const PROGRAM = new URL('./consumers/branchy.wat', import.meta.url).pathname;
const board = loadBoard('lm3s6965');
const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-pgo-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function oracle(path: string): Promise<{ output: string; exitCode: number }> {
  const wasm = await watToBinary(readFileSync(path, 'utf8'), path);
  return runInNode(new Uint8Array(wasm));
}

async function simulate(input: string, profile?: string): Promise<{ output: string; exitCode: number | undefined; cycles: number; log: string[] }> {
  const log: string[] = [];
  let output = '';
  const run = await sim({ input, board, log: (l) => log.push(l), onOutput: (c) => (output += c), ...(profile !== undefined && { profile }) });
  if (run === undefined) throw new Error('the simulation was interrupted');
  const { result } = run;
  return { output, exitCode: result.stop.kind === 'exit' ? result.stop.code : undefined, cycles: result.cycles, log };
}

const warnings = (log: readonly string[]): string[] => log.filter((l) => l.startsWith('warning:'));

describe('profile-guided build', () => {
  const profilePath = join(dir, 'branchy.profile');

  it('build --pgo: same output as Node, fewer cycles, and a report of what changed', async () => {
    const expected = await oracle(PROGRAM);
    const plain = await simulate(PROGRAM);
    expect({ output: plain.output, exitCode: plain.exitCode }).toEqual(expected);

    const log: string[] = [];
    const elfPath = join(dir, 'branchy.elf');
    await buildWithProfiling({ input: PROGRAM, board, emit: 'elf', output: elfPath, profile: profilePath, pgoReport: true, log: (l) => log.push(l) });
    let output = '';
    const pgo = simulateElf(readFileSync(elfPath), PROGRAM, board, { onConsole: (c) => (output += c) });
    expect({ output, exitCode: pgo.stop.kind === 'exit' ? pgo.stop.code : undefined }).toEqual(expected);
    expect(pgo.cycles).toBeLessThan(plain.cycles);

    expect(warnings(log)).toEqual([]);
    expect(log.some((l) => /^pgo: profiled on the simulator: \d+ cycles \(exit \d+\)$/.test(l))).toBe(true);
    const report = log.join('\n');
    expect(report).toMatch(/blocks? moved/);
    expect(report).toContain('1 call_indirect promoted');
    expect(report).toContain('br_table reordered');
    expect(report).toContain('compiled for size (never ran)');
  }, 120_000);

  it('a stale profile: one warning line, the changed function keeps no profile, the build still works', async () => {
    const changed = join(dir, 'changed.wat');
    const source = readFileSync(PROGRAM, 'utf8');
    writeChanged(changed, source.replace('(return (i32.const 31)))', '(return (i32.const 32)))'));
    const run = await simulate(changed, profilePath);
    expect({ output: run.output, exitCode: run.exitCode }).toEqual(await oracle(changed));
    expect(warnings(run.log)).toEqual([`warning: ${profilePath}: 1 of 9 functions changed since profiling; their profile is ignored`]);
  }, 120_000);

  it('a profile of another board is ignored with one line', async () => {
    const other = loadBoard('mps2-an385');
    const log: string[] = [];
    let output = '';
    await sim({ input: PROGRAM, board: other, profile: profilePath, log: (l) => log.push(l), onOutput: (c) => (output += c) });
    expect(warnings(log)).toEqual([`warning: ${profilePath}: taken on board 'lm3s6965', not 'mps2-an385'; the profile is ignored`]);
    expect(output).toBe((await oracle(PROGRAM)).output);
  }, 120_000);
});

function writeChanged(path: string, text: string): void {
  if (!text.includes('(i32.const 32)')) throw new Error('the test program no longer has the line the stale test changes');
  writeFileSync(path, text);
}
