// Instruction semantics against the ARMv7-M ARM pseudo-code, written out here with BigInt
// (AddWithCarry A2.2.1, Shift_C A2.2.2, ThumbExpandImm_C A5.3.2), over operands at the
// edges and pseudo-random ones; IT blocks, SSAT/USAT and bit fields on small programs.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeThumb } from '../../src/backend-thumb2/decoder.js';
import { encode } from '../../src/backend-thumb2/encoder.js';
import type { MInst } from '../../src/backend-thumb2/mir.js';
import { loadBoard } from '../../src/driver/board.js';
import { Cpu, type CpuHost } from '../../src/sim/cpu.js';
import { compileInstruction } from '../../src/sim/execute/compile.js';
import { readLoadImage } from '../../src/elf/read-executable.js';
import { Machine } from '../../src/sim/machine.js';
import { Memory } from '../../src/sim/memory.js';

const EDGES = [0, 1, 2, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0xfffffffe, 0x12345678, 0x0000ffff, 0xffff0000];

function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
}
const random = lcg(7);
const OPERANDS = [...EDGES, ...Array.from({ length: 12 }, () => random())];

const host: CpuHost = {
  loadWritePc: (cpu, v) => { cpu.pc = v & ~1; }, readSpecial: () => 0, writeSpecial: () => {}, changeProcessorState: () => {},
  bkpt: () => {}, svc: () => {}, waitForInterrupt: () => {}, ccr: 0,
};

/** Execute one instruction (encoded by our encoder, decoded by our decoder) on a fresh core. */
function execute(inst: MInst, regs: Readonly<Record<number, number>>, carry = 0): Cpu {
  const { halfwords } = encode(inst, { inIT: false });
  const decoded = decodeThumb(halfwords[0]!, halfwords[1] ?? 0);
  if (decoded === undefined) throw new Error(`undecodable ${JSON.stringify(inst)}`);
  const cpu = new Cpu(new Memory(0, 1024, 0x20000000, 1024, []), host);
  for (const [r, v] of Object.entries(regs)) cpu.r[Number(r)] = v;
  cpu.c = carry;
  compileInstruction(decoded, 0)(cpu);
  return cpu;
}

const u32 = (v: number | bigint): bigint => BigInt.asUintN(32, BigInt(v));
const s32 = (v: number | bigint): bigint => BigInt.asIntN(32, BigInt(v));

/** AddWithCarry(x, y, carry_in) -> (result, C, V). */
function addWithCarry(x: number, y: number, c: number): { result: number; c: number; v: number } {
  const unsignedSum = u32(x) + u32(y) + BigInt(c);
  const signedSum = s32(x) + s32(y) + BigInt(c);
  const result = u32(unsignedSum);
  return { result: Number(s32(result)), c: result === unsignedSum ? 0 : 1, v: s32(result) === signedSum ? 0 : 1 };
}

function flagsOf(cpu: Cpu): string {
  return `${cpu.n}${cpu.z}${cpu.c}${cpu.v}`;
}
const expectedFlags = (result: number, c: number, v: number): string => `${result < 0 ? 1 : 0}${result === 0 ? 1 : 0}${c}${v}`;

describe('arithmetic flags (AddWithCarry)', () => {
  const cases: Array<[string, (x: number, y: number, c: number) => { result: number; c: number; v: number }]> = [
    ['add', (x, y) => addWithCarry(x, y, 0)],
    ['adc', (x, y, c) => addWithCarry(x, y, c)],
    ['sub', (x, y) => addWithCarry(x, ~y, 1)],
    ['sbc', (x, y, c) => addWithCarry(x, ~y, c)],
    ['rsb', (x, y) => addWithCarry(~x, y, 1)],
  ];
  it.each(cases)('%s with S sets NZCV as the pseudo-code', (op, reference) => {
    for (const x of OPERANDS) {
      for (const y of OPERANDS) {
        for (const c of [0, 1]) {
          const cpu = execute({ op: op as 'add', rd: 8, rn: 9, src: { kind: 'reg', rm: 10 }, s: 'set' }, { 9: x | 0, 10: y | 0 }, c);
          const want = reference(x | 0, y | 0, c);
          expect([cpu.r[8], flagsOf(cpu)], `${op} ${x} ${y} ${c}`).toEqual([want.result, expectedFlags(want.result, want.c, want.v)]);
        }
      }
    }
  });

  it('CMP and CMN set the flags of SUB and ADD and write nothing', () => {
    for (const x of OPERANDS) {
      for (const y of OPERANDS) {
        const cmp = execute({ op: 'cmp', rn: 9, src: { kind: 'reg', rm: 10 } }, { 9: x | 0, 10: y | 0 });
        const sub = addWithCarry(x | 0, ~(y | 0), 1);
        expect(flagsOf(cmp)).toBe(expectedFlags(sub.result, sub.c, sub.v));
        const cmn = execute({ op: 'cmn', rn: 9, src: { kind: 'reg', rm: 10 } }, { 9: x | 0, 10: y | 0 });
        const add = addWithCarry(x | 0, y | 0, 0);
        expect(flagsOf(cmn)).toBe(expectedFlags(add.result, add.c, add.v));
      }
    }
  });
});

/** Shift_C(value, type, amount, carry_in) for register-controlled amounts 0..255. */
function shiftC(value: number, kind: string, amount: number, carry: number): { result: number; c: number } {
  if (amount === 0) return { result: value | 0, c: carry };
  const x = u32(value);
  switch (kind) {
    case 'lsl': {
      const extended = x << BigInt(amount);
      return { result: Number(s32(extended)), c: Number((extended >> 32n) & 1n) };
    }
    case 'lsr': {
      const result = amount >= 64 ? 0n : x >> BigInt(amount);
      return { result: Number(s32(result)), c: amount > 32 ? 0 : Number((x >> BigInt(amount - 1)) & 1n) };
    }
    case 'asr': {
      const sx = s32(value);
      const n = BigInt(Math.min(amount, 40));
      return { result: Number(s32(sx >> n)), c: Number((sx >> (n - 1n)) & 1n) };
    }
    default: {
      const m = BigInt(amount % 32);
      const result = u32((x >> m) | (x << ((32n - m) % 32n)));
      return { result: Number(s32(result)), c: Number(result >> 31n) };
    }
  }
}

describe('shifts with carry out (Shift_C)', () => {
  it.each(['lsl', 'lsr', 'asr', 'ror'])('%s by register (amounts 0-40, 255) sets the result and C', (kind) => {
    for (const value of OPERANDS.slice(0, 14)) {
      for (const amount of [...Array.from({ length: 41 }, (_, i) => i), 255, 256 + 3]) {
        for (const carry of [0, 1]) {
          const cpu = execute({ op: kind as 'lsl', rd: 8, rm: 9, src: { kind: 'reg', rs: 10 }, s: 'set' }, { 9: value | 0, 10: amount }, carry);
          const want = shiftC(value, kind, amount & 0xff, carry);
          expect([cpu.r[8], cpu.c, cpu.z, cpu.n], `${kind} ${value} ${amount} ${carry}`).toEqual([want.result, want.c, want.result === 0 ? 1 : 0, want.result < 0 ? 1 : 0]);
        }
      }
    }
  });

  it('shifted register operands give ANDS the shifter carry', () => {
    for (const value of OPERANDS) {
      for (const [kind, amount] of [['lsl', 1], ['lsr', 32], ['asr', 32], ['ror', 5], ['lsr', 1]] as const) {
        const cpu = execute({ op: 'and', rd: 8, rn: 9, src: { kind: 'reg', rm: 10, shift: { kind, amount } }, s: 'set' }, { 9: -1, 10: value | 0 }, 0);
        const want = shiftC(value, kind, amount, 0);
        expect([cpu.r[8], cpu.c]).toEqual([want.result, want.c]);
      }
    }
  });

  it('a modified immediate sets C from bit 31 only when it is rotated (ThumbExpandImm_C)', () => {
    for (const carry of [0, 1]) {
      expect(execute({ op: 'and', rd: 8, rn: 9, src: { kind: 'imm', value: 0xff000000 }, s: 'set' }, { 9: -1 }, carry).c).toBe(1);
      expect(execute({ op: 'and', rd: 8, rn: 9, src: { kind: 'imm', value: 0x3fc00 }, s: 'set' }, { 9: -1 }, carry).c).toBe(0);
      expect(execute({ op: 'and', rd: 8, rn: 9, src: { kind: 'imm', value: 0x00ab00ab }, s: 'set' }, { 9: -1 }, carry).c).toBe(carry);
    }
  });
});

describe('multiply and divide', () => {
  it('UMULL/SMULL/UMLAL/SMLAL give the 64-bit product (plus accumulator); UDIV/SDIV truncate, divide by zero gives 0', () => {
    for (const x of OPERANDS) {
      for (const y of OPERANDS) {
        const um = execute({ op: 'umull', rdLo: 0, rdHi: 1, rn: 2, rm: 3 }, { 2: x | 0, 3: y | 0 });
        const product = u32(x) * u32(y);
        expect([um.r[0], um.r[1]]).toEqual([Number(s32(product)), Number(s32(product >> 32n))]);
        const sm = execute({ op: 'smull', rdLo: 0, rdHi: 1, rn: 2, rm: 3 }, { 2: x | 0, 3: y | 0 });
        const sproduct = s32(x) * s32(y);
        expect([sm.r[0], sm.r[1]]).toEqual([Number(s32(sproduct)), Number(s32(sproduct >> 32n))]);
        const acc = (u32(y) << 32n) | u32(x ^ 0x5a5a5a5a);
        const ul = execute({ op: 'umlal', rdLo: 0, rdHi: 1, rn: 2, rm: 3 }, { 0: Number(s32(acc)), 1: Number(s32(acc >> 32n)), 2: x | 0, 3: y | 0 });
        const usum = BigInt.asUintN(64, product + acc);
        expect([ul.r[0], ul.r[1]]).toEqual([Number(s32(usum)), Number(s32(usum >> 32n))]);
        const sl = execute({ op: 'smlal', rdLo: 0, rdHi: 1, rn: 2, rm: 3 }, { 0: Number(s32(acc)), 1: Number(s32(acc >> 32n)), 2: x | 0, 3: y | 0 });
        const ssum = BigInt.asUintN(64, sproduct + acc);
        expect([sl.r[0], sl.r[1]]).toEqual([Number(s32(ssum)), Number(s32(ssum >> 32n))]);
        const ud = execute({ op: 'udiv', rd: 0, rn: 2, rm: 3 }, { 2: x | 0, 3: y | 0 });
        expect(ud.r[0]).toBe(y === 0 ? 0 : Number(s32(u32(x) / u32(y))));
        const sd = execute({ op: 'sdiv', rd: 0, rn: 2, rm: 3 }, { 2: x | 0, 3: y | 0 });
        expect(sd.r[0]).toBe((y | 0) === 0 ? 0 : Number(s32(s32(x) / s32(y))));
      }
    }
  });
});

describe('small programs', () => {
  const work = mkdtempSync(join(tmpdir(), 'mcu-aot-sim-insn-'));
  const board = loadBoard('lm3s6965');

  /** Assemble `body` after a vector table, run until its `bkpt 0xab` exit (which uses r0, r1), return the core. */
  function runProgram(body: string): Machine {
    const source = `.syntax unified\n.thumb\n.section .vectors\n.word 0x20001000\n.word reset + 1\n.text\n.thumb_func\nreset:\n${body}\n  movs r0, #0x18\n  ldr r1, =0x20026\n  bkpt 0xab\n.ltorg\n`;
    writeFileSync(join(work, 'p.s'), source);
    writeFileSync(join(work, 'p.ld'), 'SECTIONS { .text 0 : { KEEP(*(.vectors)) *(.text*) } }');
    execFileSync('arm-none-eabi-as', ['-mthumb', '-mcpu=cortex-m3', join(work, 'p.s'), '-o', join(work, 'p.o')]);
    execFileSync('arm-none-eabi-ld', ['-T', join(work, 'p.ld'), join(work, 'p.o'), '-o', join(work, 'p.elf')]);
    const machine = new Machine(board, readLoadImage(readFileSync(join(work, 'p.elf')), 'p.elf'), { onConsole: () => {} });
    expect(machine.run(10_000)).toEqual({ kind: 'exit', code: 0 });
    return machine;
  }

  it('runs IT blocks: then/else by condition, 16-bit forms keep the flags inside', () => {
    const m = runProgram(`
  movs r0, #5
  cmp r0, #5
  ite eq
  moveq r2, #1
  movne r2, #2
  cmp r0, #6
  itte ne
  addne r3, r0, #10
  subne r4, r0, #1
  moveq r5, #99
  movs r6, #0
  cmp r0, #5
  it eq
  addeq r6, r6, #0
  mrs r11, apsr`);
    expect([m.cpu.r[2], m.cpu.r[3], m.cpu.r[4], m.cpu.r[5], m.cpu.r[6]]).toEqual([1, 15, 4, 0, 0]);
    // The last ADD (16-bit, inside IT) left the flags of the CMP (Z=1, C=1).
    expect((m.cpu.r[11]! >>> 28).toString(2)).toBe('110');
    expect(m.cpu.itstate).toBe(0);
  });

  it('saturates (SSAT/USAT set Q) and moves bit fields (BFI, BFC, UBFX, SBFX)', () => {
    const m = runProgram(`
  ldr r0, =300
  ssat r11, #8, r0
  usat r2, #8, r0
  ldr r0, =-300
  usat r3, #8, r0
  ldr r4, =0xffffffff
  mov r5, #0x5
  bfi r4, r5, #8, #4
  ldr r6, =0xffffffff
  bfc r6, #4, #8
  ldr r7, =0x00abc000
  ubfx r8, r7, #12, #8
  sbfx r9, r7, #16, #8
  mrs r10, apsr`);
    expect([m.cpu.r[11], m.cpu.r[2], m.cpu.r[3]]).toEqual([127, 255, 0]);
    expect([m.cpu.r[4]! >>> 0, m.cpu.r[6]! >>> 0, m.cpu.r[8], m.cpu.r[9]]).toEqual([0xfffff5ff, 0xfffff00f, 0xbc, -85]);
    expect((m.cpu.r[10]! >>> 27) & 1).toBe(1); // Q
  });

  it('loads and stores multiple registers and runs a TBB jump table', () => {
    const m = runProgram(`
  ldr r0, =0x20000100
  movs r1, #1
  movs r2, #2
  movs r3, #3
  stmia r0!, {r1, r2, r3}
  ldr r0, =0x20000100
  ldmia r0, {r4, r5, r6}
  movs r7, #2
  tbb [pc, r7]
table:
  .byte (c0 - table) / 2, (c1 - table) / 2, (c2 - table) / 2, 0
c0: movs r8, #10
  b done
c1: movs r8, #11
  b done
c2: movs r0, #12
  mov r8, r0
done:`);
    expect([m.cpu.r[4], m.cpu.r[5], m.cpu.r[6], m.cpu.r[8]]).toEqual([1, 2, 3, 12]);
  });
});
