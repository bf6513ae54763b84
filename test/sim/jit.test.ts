// The JIT changes nothing but speed: every end-to-end program, run with every block
// compiled on first entry (threshold 0) and with the JIT off, prints the same output,
// exits with the same code, and counts the same instructions, cycles and profile
// counters; a fault in the middle of a compiled block leaves the same state.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { readLoadImage } from '../../src/elf/read-executable.js';
import { Machine } from '../../src/sim/machine.js';
import { simulateElf } from '../../src/sim/simulate.js';
import { listPrograms, loadProgram } from '../support/programs.js';

const LIMIT = 2_000_000_000;
const work = mkdtempSync(join(tmpdir(), 'mcu-aot-sim-jit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(elf: string, boardName: string, jitThreshold: number) {
  const result = simulateElf(readFileSync(elf), elf, loadBoard(boardName), { maxInstructions: LIMIT, profile: true, jitThreshold });
  const counts = result.counts!;
  return {
    stop: result.stop,
    output: result.output,
    instructions: result.instructions,
    cycles: result.cycles,
    executed: Array.from(counts.executed),
    taken: Array.from(counts.taken),
    indirect: [...counts.indirectCalls].map(([site, targets]) => [site, [...targets]]),
  };
}

describe.each(listPrograms())('%s', (file) => {
  it.each(['lm3s6965'])('runs the same with the JIT forced on and off on %s', async (boardName) => {
    const program = loadProgram(file, work);
    const elf = join(work, `${program.name}-${boardName}.elf`);
    await build({ input: program.wasmPath, board: loadBoard(boardName), emit: 'elf', output: elf, log: () => {} });
    const interpreted = run(elf, boardName, Infinity);
    const jitted = run(elf, boardName, 0);
    expect(interpreted.stop.kind).toBe('exit');
    // Compare the scalars first for a readable failure, then everything.
    expect([jitted.stop, jitted.output, jitted.instructions, jitted.cycles]).toEqual([interpreted.stop, interpreted.output, interpreted.instructions, interpreted.cycles]);
    expect(jitted).toEqual(interpreted);
  }, 120_000);
});

describe('a fault inside a compiled block', () => {
  it('leaves registers, frame, counts and cycles as the interpreter does', () => {
    // The load from unmapped 0x30000000 faults (BusFault escalated to HardFault) after three
    // completed instructions of the block; the handler exits at once.
    const vectors = ['0x20001000', 'reset + 1', '0', 'hard + 1'];
    const source = `.syntax unified\n.thumb\n.section .vectors\n${vectors.map((v) => `.word ${v}`).join('\n')}\n.text\n.thumb_func\nreset:\n  movs r5, #7\n  b 1f\n1:\n  adds r0, r5, #1\n  mov.w r3, #0x30000000\n  str r0, [sp, #-4]\n  ldr r2, [r3]\n  adds r4, #1\n  b 1b\n.thumb_func\nhard:\n  movs r0, #0x18\n  ldr r1, =0x20026\n  bkpt 0xab\n.ltorg\n`;
    writeFileSync(join(work, 'f.s'), source);
    writeFileSync(join(work, 'f.ld'), 'SECTIONS { .text 0 : { KEEP(*(.vectors)) *(.text*) } }');
    execFileSync('arm-none-eabi-as', ['-mthumb', '-mcpu=cortex-m3', join(work, 'f.s'), '-o', join(work, 'f.o')]);
    execFileSync('arm-none-eabi-ld', ['-T', join(work, 'f.ld'), join(work, 'f.o'), '-o', join(work, 'f.elf')]);
    const state = (jitThreshold: number) => {
      const m = new Machine(loadBoard('lm3s6965'), readLoadImage(readFileSync(join(work, 'f.elf')), 'f.elf'), { onConsole: () => {}, jitThreshold, profile: true });
      expect(m.run(10_000)).toEqual({ kind: 'exit', code: 0 });
      const sp = m.cpu.r[13]!;
      const frame = Array.from({ length: 8 }, (_, i) => m.mem.read32(sp + 4 * i));
      return { r: Array.from(m.cpu.r), frame, cycles: m.cycles, instructions: m.instructions, executed: Array.from(m.counts!.executed.slice(0, 64)) };
    };
    const interpreted = state(Infinity);
    // The stacked PC is the faulting load's address; r2 was not written.
    expect(interpreted.frame[6]).toBe(0x1e); // 0x10 vectors, then 2 + 2 + 2 + 4 + 4 (str.w with a negative offset)
    expect(state(0)).toEqual(interpreted);
  });
});
