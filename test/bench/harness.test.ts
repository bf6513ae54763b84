// The benchmark harness end to end on one small program (crc32), and the instruction
// counter against a hand-counted loop. Boots QEMU: about 20 s.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBoards } from '../../bench/boards.js';
import { benchmarkProgram, CONFIGURATIONS, type ProgramResult } from '../../bench/harness.js';
import { buildInsnCountPlugin, runCounted } from '../../bench/insn-count.js';
import { linkerScript } from '../../bench/native-build.js';
import { selectPrograms } from '../../bench/programs.js';
import { renderReport } from '../../bench/report.js';
import { loadBoard } from '../../src/driver/board.js';

const board = loadBoard('mps2-an385');
let workDir: string;
let plugin: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'mcu-aot-bench-'));
  plugin = await buildInsnCountPlugin();
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/* Ten iterations of a two-instruction loop after one set-up instruction: 21 instructions
 * from `begin` to `end`, by hand. Exits 0 through semihosting SYS_EXIT. */
const COUNTED_LOOP = `
  .syntax unified
  .thumb
  .section .vectors, "a"
  .word 0x20001000
  .word begin
  .text
  .thumb_func
  .global begin
begin:
  movs r0, #10
loop:
  subs r0, #1
  bne loop
  .thumb_func
  .global end
end:
  movs r0, #0x18
  ldr r1, =0x20026
  bkpt 0xab
`;

describe('instruction-count plugin', () => {
  it('counts a hand-counted loop exactly, the same on every run', async () => {
    const dir = join(workDir, 'loop');
    mkdirSync(dir);
    writeFileSync(join(dir, 'loop.S'), COUNTED_LOOP);
    writeFileSync(join(dir, 'link.ld'), linkerScript(board));
    const elf = join(dir, 'loop.elf');
    execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m3', '-mthumb', '-nostdlib', '-T', join(dir, 'link.ld'), join(dir, 'loop.S'), '-o', elf]);
    const nm = execFileSync('arm-none-eabi-nm', [elf], { encoding: 'utf8' });
    const address = (name: string): number => parseInt(new RegExp(`^([0-9a-f]+) T ${name}$`, 'm').exec(nm)![1]!, 16);
    const markers = { start: address('begin'), stop: address('end') };
    const first = await runCounted(elf, board, markers, plugin);
    const second = await runCounted(elf, board, markers, plugin);
    expect(first.exitCode).toBe(0);
    expect(first.regions).toEqual([21]);
    expect(second.regions).toEqual([21]);
    expect(first.total).toBeGreaterThanOrEqual(21 + 3);
  });
});

describe('benchmark harness', () => {
  let result: ProgramResult;
  beforeAll(async () => {
    const [crc32] = selectPrograms(['crc32']);
    result = await benchmarkProgram(crc32!, board, { workDir, plugin });
  }, 120_000);

  it.each(CONFIGURATIONS.map((c) => c.id))('%s verifies and yields a positive instruction count and code size', (id) => {
    const outcome = result.outcomes[id];
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'ok' });
    if (outcome?.status !== 'ok') return;
    expect(outcome.instructions).toBeGreaterThan(0);
    expect(outcome.codeBytes).toBeGreaterThan(0);
  });

  it('times both Wasm compilers', () => {
    for (const id of ['wasm2c-O2', 'mcu-aot'] as const) {
      const outcome = result.outcomes[id];
      expect(outcome?.status === 'ok' ? outcome.compileMs : undefined).toBeGreaterThan(0);
    }
  });

  it('profiles mcu-aot in the simulator and reports the plain and profiled cycles', () => {
    const outcome = result.outcomes['mcu-aot-pgo'];
    const gain = outcome?.status === 'ok' ? outcome.profileGain : undefined;
    expect(gain?.plain.cycles).toBeGreaterThan(0);
    expect(gain?.profiled.cycles).toBeGreaterThan(0);
    const text = renderReport({ command: 'npm run bench -- crc32', date: 'today', tools: [], notes: [], results: [result] });
    const ratio = (gain!.profiled.cycles / gain!.plain.cycles).toFixed(3);
    expect(text).toContain('## Profile gain (mcu-aot without and with a profile): mps2-an385');
    expect(text).toMatch(new RegExp(`\\| crc32 \\| [\\d,]+ \\| [\\d,]+ \\| ${ratio.replace('.', '\\.')}x \\|`));
    expect(text).toMatch(new RegExp(`\\| geometric mean \\| \\| \\| \\*\\*${ratio.replace('.', '\\.')}x\\*\\* \\(1 programs\\)`));
  });

  it('renders the tables with ratios against native -O2 and a failure as a reason, not a number', () => {
    const failing: ProgramResult = {
      program: 'broken', board: board.name,
      outcomes: { ...result.outcomes, 'mcu-aot': { status: 'failed', reason: 'verify_benchmark failed (exit code 1)' } },
    };
    const text = renderReport({ command: 'npm run bench -- crc32', date: 'today', tools: [], notes: [], results: [result, failing] });
    expect(text).toContain('| crc32 |');
    expect(text).toMatch(/\| broken \|.*\*\*FAILURE\*\*: verify_benchmark failed \(exit code 1\) \|/);
    expect(text).toMatch(/geometric mean of ratios \| 1\.00x \|/);
  });
});

describe('board selection', () => {
  it('skips a board that has no TOML file yet, with a note', () => {
    const selection = selectBoards(['mps2-an385', 'no-such-board']);
    expect(selection.boards.map((b) => b.name)).toEqual(['mps2-an385']);
    expect(selection.notes).toEqual(["board 'no-such-board' skipped: boards/no-such-board.toml does not exist yet"]);
  });
});
