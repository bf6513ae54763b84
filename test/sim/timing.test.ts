// The cycle model against the Cortex-M3/M4 TRMs' Table 3-1 (instruction set summary) and
// the Cortex-M4 TRM's Table 7-1 (FPU instructions):
// each case assembles a short sequence (arm-none-eabi-as) and checks the cycles it adds
// over an empty program, interpreted and with every block JIT-compiled (threshold 0).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Board, loadBoard } from '../../src/driver/board.js';
import { readLoadImage } from '../../src/elf/read-executable.js';
import { Machine } from '../../src/sim/machine.js';
import { divideCycles, longMultiplyCycles } from '../../src/sim/timing.js';

const work = mkdtempSync(join(tmpdir(), 'mcu-aot-sim-timing-'));
const m3 = loadBoard('lm3s6965');
const m4 = loadBoard('mps2-an386');

/** Vectors: SP, reset, and SVCall (11) -> a handler that returns at once. */
function assemble(body: string): Uint8Array {
  const vectors = ['0x20001000', 'reset + 1', ...Array.from({ length: 9 }, () => '0'), 'svc_handler + 1'];
  const source = `.syntax unified\n.thumb\n.section .vectors\n${vectors.map((v) => `.word ${v}`).join('\n')}\n.text\n.thumb_func\nreset:\n${body}\n  movs r0, #0x18\n  ldr r1, =0x20026\n  bkpt 0xab\n.ltorg\n.thumb_func\nsvc_handler:\n  bx lr\n`;
  writeFileSync(join(work, 'p.s'), source);
  writeFileSync(join(work, 'p.ld'), 'SECTIONS { .text 0 : { KEEP(*(.vectors)) *(.text*) } }');
  execFileSync('arm-none-eabi-as', ['-mthumb', '-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', join(work, 'p.s'), '-o', join(work, 'p.o')]);
  execFileSync('arm-none-eabi-ld', ['-T', join(work, 'p.ld'), join(work, 'p.o'), '-o', join(work, 'p.elf')]);
  return readFileSync(join(work, 'p.elf'));
}

function cyclesOf(elf: Uint8Array, board: Board, jitThreshold: number): number {
  const machine = new Machine(board, readLoadImage(elf, 'p.elf'), { onConsole: () => {}, jitThreshold });
  expect(machine.run(10_000)).toEqual({ kind: 'exit', code: 0 });
  return machine.cycles;
}

/** Cycles `body` adds to the empty program; the same with and without the JIT. */
function bodyCycles(body: string, board: Board = m3): number {
  const base = cyclesOf(assemble(''), board, Infinity);
  const elf = assemble(body);
  const interpreted = cyclesOf(elf, board, Infinity);
  expect(cyclesOf(elf, board, 0)).toBe(interpreted);
  return interpreted - base;
}

describe('cycle model (TRM Table 3-1)', () => {
  it('data processing: 1 cycle each', () => {
    expect(bodyCycles('  adds r0, r0, #1\n  eor.w r1, r0, r0, lsl #3\n  mov r2, r1\n  cmp r2, #4\n  clz r3, r2\n  ubfx r4, r3, #1, #3')).toBe(6);
  });

  it('branches: 1 + P when taken (P = 1, +1 for a split 32-bit target), 1 when not', () => {
    expect(bodyCycles('  b 1f\n  nop\n1:')).toBe(2);
    expect(bodyCycles('  movs r0, #0\n  cmp r0, #1\n  beq 1f\n  nop\n1:')).toBe(4); // beq not taken, nop runs
    expect(bodyCycles('  movs r0, #0\n  cbz r0, 1f\n  nop\n1:')).toBe(3);
    expect(bodyCycles('  bl 1f\n  b 2f\n1:\n  bx lr\n2:')).toBe(6); // bl, bx, b: each 1 + 1
    // A 32-bit target at an address 2 mod 4 needs a second fetch: P = 2.
    expect(bodyCycles('  b 1f\n  .balign 4\n  nop\n1:\n  add.w r0, r0, #1')).toBe(1 + 2 + 1);
  });

  it('flash wait states are paid by refills and literal loads', () => {
    const slow = { ...m3, flashWaitStates: 2 };
    expect(bodyCycles('  b 1f\n  nop\n1:', slow)).toBe(1 + 1 + 2);
    expect(bodyCycles('  ldr r0, =0x12345678', slow)).toBe(2 + 2);
  });

  it('loads and stores: 2 cycles, neighbours pipeline (N + 1)', () => {
    expect(bodyCycles('  ldr r0, [sp]')).toBe(2);
    expect(bodyCycles('  ldr r0, [sp]\n  ldr r1, [sp, #4]\n  str r1, [sp, #8]')).toBe(4);
    expect(bodyCycles('  ldr r0, [sp]\n  adds r0, #1\n  str r0, [sp]')).toBe(5);
    expect(bodyCycles('  ldrd r0, r1, [sp]')).toBe(3);
  });

  it('LDM/STM/PUSH/POP: 1 + N', () => {
    expect(bodyCycles('  push {r0-r3}\n  pop {r0-r3}')).toBe(10);
    expect(bodyCycles('  mov r4, sp\n  stmia r4!, {r0, r1}')).toBe(1 + 3);
  });

  it('multiplies: MUL 1, MLA 2 on the M3 and 1 on the M4, UMULL 3-5 on the M3 and 1 on the M4', () => {
    expect(bodyCycles('  muls r0, r1, r0')).toBe(1);
    expect(bodyCycles('  mla r0, r1, r2, r3')).toBe(2);
    expect(bodyCycles('  mla r0, r1, r2, r3', m4)).toBe(1);
    expect(bodyCycles('  movs r2, #7\n  movs r3, #9\n  umull r0, r1, r2, r3')).toBe(2 + 3);
    expect(bodyCycles('  mov r2, #-1\n  mov r3, #-3\n  smull r0, r1, r2, r3')).toBe(2 + 3); // |-1|, |-3| are small
    expect(bodyCycles('  mov r2, #0x10000000\n  mov r3, #0x20000000\n  umull r0, r1, r2, r3')).toBe(2 + 5);
    expect(bodyCycles('  mov r2, #0x10000000\n  mov r3, #0x20000000\n  umull r0, r1, r2, r3', m4)).toBe(2 + 1);
    expect(longMultiplyCycles(0x10000, 1, true)).toBe(5);
  });

  it('divides: 2-12 cycles, early termination by the quotient size', () => {
    expect(bodyCycles('  movs r1, #3\n  movs r2, #5\n  udiv r0, r1, r2')).toBe(2 + 2);
    expect(bodyCycles('  mov r1, #-1\n  movs r2, #1\n  udiv r0, r1, r2')).toBe(2 + 12);
    expect(bodyCycles('  movs r1, #0\n  movs r2, #0\n  udiv r0, r1, r2')).toBe(2 + 2);
    expect(divideCycles(-100, 10, true)).toBe(divideCycles(100, 10, false));
    for (let bits = 0; bits < 32; bits++) {
      const c = divideCycles(2 ** bits, 1, false);
      expect(c).toBeGreaterThanOrEqual(3);
      expect(c).toBeLessThanOrEqual(12);
      if (bits > 0) expect(c).toBeGreaterThanOrEqual(divideCycles(2 ** (bits - 1), 1, false));
    }
  });

  it('exceptions: entry 12, return 10 cycles', () => {
    // svc (1) + entry (12) + bx lr (1) + return (10); the return resumes without a refill.
    expect(bodyCycles('  svc 0')).toBe(24);
  });

  /** Cycles of FPU code on the M4F, after CPACR grants CP10/CP11 (not counted). */
  const ENABLE_FPU = '  ldr r0, =0xE000ED88\n  mov r1, #0xf00000\n  str r1, [r0]\n';
  const fpuCycles = (body: string): number => bodyCycles(ENABLE_FPU + body, m4) - bodyCycles(ENABLE_FPU, m4);

  it('FPU (M4 TRM Table 7-1): VDIV/VSQRT 14, multiply-accumulate 3, VLDR 2 (3 for D), lists 1 + N, the rest 1', () => {
    expect(fpuCycles('  vadd.f32 s0, s1, s2\n  vmul.f32 s3, s0, s0\n  vabs.f32 s4, s3\n  vcmp.f32 s4, #0\n  vmrs APSR_nzcv, fpscr')).toBe(5);
    expect(fpuCycles('  vmov.f32 s0, #1.0\n  vmov s1, r1\n  vmov r2, s0\n  vcvt.s32.f32 s2, s0')).toBe(4);
    expect(fpuCycles('  vdiv.f32 s0, s1, s2')).toBe(14);
    expect(fpuCycles('  vsqrt.f32 s0, s1')).toBe(14);
    expect(fpuCycles('  vmla.f32 s0, s1, s2\n  vfma.f32 s0, s1, s2\n  vnmls.f32 s0, s1, s2')).toBe(9);
    expect(fpuCycles('  vldr s0, [sp, #-8]\n  vstr s0, [sp, #-8]\n  vldr d1, [sp, #-8]')).toBe(2 + 2 + 3);
    expect(fpuCycles('  vpush {s16-s19}\n  vpop {d8-d9}\n  vmov r0, r1, d0')).toBe(5 + 5 + 2);
  });

  it('FPU instructions on a core without an FPU (the M3) are a UsageFault (NOCP), not a cost', () => {
    const machine = new Machine(m3, readLoadImage(assemble('  vadd.f32 s0, s0, s0'), 'p.elf'), { onConsole: () => {} });
    expect(machine.run(10_000).kind).toBe('lockup'); // no fault handler in this vector table
    expect(machine.scs.cfsr & (1 << 19)).not.toBe(0);
  });
});
