// i64 arithmetic on register pairs: every i64 value is two vregs [lo, hi].

import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { DataOp, Operand2, Reg, ShiftKind, ShiftOp } from '../mir.js';
import { emitCtz, emitPopcnt, shiftByConstant } from './arith32.js';
import type { Rule, SelectionContext } from './context.js';

type Pair = readonly [Reg, Reg];

const reg = (rm: Reg, shift?: { kind: ShiftKind; amount: number }): Operand2 =>
  (shift === undefined ? { kind: 'reg', rm } : { kind: 'reg', rm, shift });
const imm = (value: number) => ({ kind: 'imm', value } as const);

function operands(ctx: SelectionContext, inst: Inst): [Pair, Pair] {
  const a = ctx.useRegs(inst.args[0]!);
  const b = ctx.useRegs(inst.args[1]!);
  return [[a[0]!, a[1]!], [b[0]!, b[1]!]];
}

const result = (ctx: SelectionContext, inst: Inst): Pair => {
  const r = ctx.defRegs(inst.results[0]!);
  return [r[0]!, r[1]!];
};

/** iadd/isub -> adds lo + adc hi | subs lo + sbc hi. */
function carryChain(low: DataOp, high: DataOp): Rule {
  return (ctx, inst) => {
    const [a, b] = operands(ctx, inst);
    const [lo, hi] = result(ctx, inst);
    ctx.emit({ op: low, rd: lo, rn: a[0], src: reg(b[0]), s: 'set' });
    ctx.emit({ op: high, rd: hi, rn: a[1], src: reg(b[1]), s: 'any' });
  };
}

/** band/bor/bxor -> the same op on each half. */
function pairwise(op: DataOp): Rule {
  return (ctx, inst) => {
    const [a, b] = operands(ctx, inst);
    const [lo, hi] = result(ctx, inst);
    ctx.emit({ op, rd: lo, rn: a[0], src: reg(b[0]), s: 'any' });
    ctx.emit({ op, rd: hi, rn: a[1], src: reg(b[1]), s: 'any' });
  };
}

/** imul -> umull lo, t, alo, blo; mla t2, alo, bhi, t; mla hi, ahi, blo, t2. */
const selectMul64: Rule = (ctx, inst) => {
  const [a, b] = operands(ctx, inst);
  const [lo, hi] = result(ctx, inst);
  const [t, t2] = [ctx.newVreg(), ctx.newVreg()];
  ctx.emit({ op: 'umull', rdLo: lo, rdHi: t, rn: a[0], rm: b[0] });
  ctx.emit({ op: 'mla', rd: t2, rn: a[0], rm: b[1], ra: t });
  ctx.emit({ op: 'mla', rd: hi, rn: a[1], rm: b[0], ra: t2 });
};

// ---------------------------------------------------------------- shifts by a constant

/** rd = (x <op> n) | (y <op2> (32 - n)): the two-register funnel used by every 64-bit shift, 0 < n < 32. */
function funnel(ctx: SelectionContext, rd: Reg, x: Reg, op: ShiftOp, y: Reg, op2: ShiftKind, n: number): void {
  const t = ctx.newVreg();
  ctx.emit({ op, rd: t, rm: x, src: imm(n), s: 'any' });
  ctx.emit({ op: 'orr', rd, rn: t, src: reg(y, { kind: op2, amount: 32 - n }), s: 'any' });
}

function zero(ctx: SelectionContext, rd: Reg): void {
  ctx.emit({ op: 'mov', rd, src: imm(0), s: 'any' });
}

function shiftLeftConst(ctx: SelectionContext, [lo, hi]: Pair, x: Pair, n: number): void {
  if (n === 0) {
    ctx.copy(lo, x[0]);
    ctx.copy(hi, x[1]);
  } else if (n < 32) {
    funnel(ctx, hi, x[1], 'lsl', x[0], 'lsr', n);
    ctx.emit({ op: 'lsl', rd: lo, rm: x[0], src: imm(n), s: 'any' });
  } else {
    shiftByConstant(ctx, 'lsl', hi, x[0], n - 32);
    zero(ctx, lo);
  }
}

function shiftRightConst(ctx: SelectionContext, [lo, hi]: Pair, x: Pair, n: number, signed: boolean): void {
  const op: ShiftOp = signed ? 'asr' : 'lsr';
  if (n === 0) {
    ctx.copy(lo, x[0]);
    ctx.copy(hi, x[1]);
  } else if (n < 32) {
    funnel(ctx, lo, x[0], 'lsr', x[1], 'lsl', n);
    ctx.emit({ op, rd: hi, rm: x[1], src: imm(n), s: 'any' });
  } else {
    shiftByConstant(ctx, op, lo, x[1], n - 32);
    if (signed) ctx.emit({ op: 'asr', rd: hi, rm: x[1], src: imm(31), s: 'any' });
    else zero(ctx, hi);
  }
}

function rotateLeftConst(ctx: SelectionContext, [lo, hi]: Pair, x: Pair, n: number): void {
  // Rotating by 32 or more swaps the halves first.
  const [a, b] = n >= 32 ? [x[1], x[0]] : [x[0], x[1]];
  const k = n & 31;
  if (k === 0) {
    ctx.copy(lo, a);
    ctx.copy(hi, b);
    return;
  }
  funnel(ctx, hi, b, 'lsl', a, 'lsr', k);
  funnel(ctx, lo, a, 'lsl', b, 'lsr', k);
}

// ---------------------------------------------------------------- shifts by a register

/**
 * Register-specified shifts use the bottom byte of the count, and LSL/LSR by 32..255 give
 * 0; so for n in 0..63 the out-of-range terms (32 - n or n - 32 negative) vanish by
 * themselves and no branch is needed.
 */
function shiftLeftVar(ctx: SelectionContext, [lo, hi]: Pair, x: Pair, n: Reg): void {
  const [inv, carried, shiftedHi, part, over, spilled] = Array.from({ length: 6 }, () => ctx.newVreg()) as Reg[];
  ctx.emit({ op: 'rsb', rd: inv!, rn: n, src: imm(32), s: 'any' });
  ctx.emit({ op: 'lsr', rd: carried!, rm: x[0], src: { kind: 'reg', rs: inv! }, s: 'any' });
  ctx.emit({ op: 'lsl', rd: shiftedHi!, rm: x[1], src: { kind: 'reg', rs: n }, s: 'any' });
  ctx.emit({ op: 'orr', rd: part!, rn: shiftedHi!, src: reg(carried!), s: 'any' });
  ctx.emit({ op: 'sub', rd: over!, rn: n, src: imm(32), s: 'any' });
  ctx.emit({ op: 'lsl', rd: spilled!, rm: x[0], src: { kind: 'reg', rs: over! }, s: 'any' });
  ctx.emit({ op: 'orr', rd: hi, rn: part!, src: reg(spilled!), s: 'any' });
  ctx.emit({ op: 'lsl', rd: lo, rm: x[0], src: { kind: 'reg', rs: n }, s: 'any' });
}

/** Logical right shift as above; the arithmetic one takes hi asr (n - 32) when n >= 32. */
function shiftRightVar(ctx: SelectionContext, [lo, hi]: Pair, x: Pair, n: Reg, signed: boolean): void {
  const [inv, carried, shiftedLo, part, over, spilled] = Array.from({ length: 6 }, () => ctx.newVreg()) as Reg[];
  ctx.emit({ op: 'rsb', rd: inv!, rn: n, src: imm(32), s: 'any' });
  ctx.emit({ op: 'lsl', rd: carried!, rm: x[1], src: { kind: 'reg', rs: inv! }, s: 'any' });
  ctx.emit({ op: 'lsr', rd: shiftedLo!, rm: x[0], src: { kind: 'reg', rs: n }, s: 'any' });
  ctx.emit({ op: 'orr', rd: part!, rn: shiftedLo!, src: reg(carried!), s: 'any' });
  if (signed) {
    ctx.copy(lo, part!);
    ctx.emit({ op: 'sub', rd: over!, rn: n, src: imm(32), s: 'set' });
    ctx.emit({ op: 'it', firstCond: 'pl', mask: '' });
    ctx.emit({ op: 'asr', rd: lo, rm: x[1], src: { kind: 'reg', rs: over! }, s: 'keep', cond: 'pl' });
    ctx.emit({ op: 'asr', rd: hi, rm: x[1], src: { kind: 'reg', rs: n }, s: 'any' });
    return;
  }
  ctx.emit({ op: 'sub', rd: over!, rn: n, src: imm(32), s: 'any' });
  ctx.emit({ op: 'lsr', rd: spilled!, rm: x[1], src: { kind: 'reg', rs: over! }, s: 'any' });
  ctx.emit({ op: 'orr', rd: lo, rn: part!, src: reg(spilled!), s: 'any' });
  ctx.emit({ op: 'lsr', rd: hi, rm: x[1], src: { kind: 'reg', rs: n }, s: 'any' });
}

/** The shift count modulo 64 in a fresh register. */
function countMod64(ctx: SelectionContext, countLo: Reg, negate: boolean): Reg {
  let source = countLo;
  if (negate) {
    source = ctx.newVreg();
    ctx.emit({ op: 'rsb', rd: source, rn: countLo, src: imm(0), s: 'any' });
  }
  const n = ctx.newVreg();
  ctx.emit({ op: 'and', rd: n, rn: source, src: imm(63), s: 'any' });
  return n;
}

type ShiftKind64 = 'shl' | 'ushr' | 'sshr';

function emitShift64(ctx: SelectionContext, kind: ShiftKind64, out: Pair, x: Pair, n: Reg): void {
  if (kind === 'shl') shiftLeftVar(ctx, out, x, n);
  else shiftRightVar(ctx, out, x, n, kind === 'sshr');
}

/** shl/ushr/sshr i64 by a constant (funnel shifts) or a register (branchless sequence). */
function shift64(kind: ShiftKind64): Rule {
  return (ctx, inst) => {
    const x = ctx.useRegs(inst.args[0]!) as unknown as Pair;
    const out = result(ctx, inst);
    const c = ctx.constantOf(inst.args[1]!);
    if (c !== undefined) {
      const n = Number(c & 63n);
      if (kind === 'shl') shiftLeftConst(ctx, out, x, n);
      else shiftRightConst(ctx, out, x, n, kind === 'sshr');
      return;
    }
    emitShift64(ctx, kind, out, x, countMod64(ctx, ctx.useRegs(inst.args[1]!)[0]!, false));
  };
}

/** rotl/rotr i64: funnels for a constant; (x shl n) | (x ushr -n) for a register. */
function rotate64(left: boolean): Rule {
  return (ctx, inst) => {
    const x = ctx.useRegs(inst.args[0]!) as unknown as Pair;
    const out = result(ctx, inst);
    const c = ctx.constantOf(inst.args[1]!);
    if (c !== undefined) {
      rotateLeftConst(ctx, out, x, Number((left ? c : -c) & 63n));
      return;
    }
    const count = ctx.useRegs(inst.args[1]!)[0]!;
    const leftCount = countMod64(ctx, count, !left);
    const rightCount = countMod64(ctx, count, left);
    const l: Pair = [ctx.newVreg(), ctx.newVreg()];
    const r: Pair = [ctx.newVreg(), ctx.newVreg()];
    emitShift64(ctx, 'shl', l, x, leftCount);
    emitShift64(ctx, 'ushr', r, x, rightCount);
    ctx.emit({ op: 'orr', rd: out[0], rn: l[0], src: reg(r[0]), s: 'any' });
    ctx.emit({ op: 'orr', rd: out[1], rn: l[1], src: reg(r[1]), s: 'any' });
  };
}

// ---------------------------------------------------------------- bit counting

/** clz64 -> clz hi; if hi == 0: 32 + clz lo. ctz64 -> the mirror image on lo. */
function countZeros64(trailing: boolean): Rule {
  return (ctx, inst) => {
    const [xlo, xhi] = ctx.useRegs(inst.args[0]!) as [Reg, Reg];
    const [lo, hi] = result(ctx, inst);
    const [first, second] = trailing ? [xlo, xhi] : [xhi, xlo];
    const count = (rd: Reg, rm: Reg) => (trailing ? emitCtz(ctx, rd, rm) : ctx.emit({ op: 'clz', rd, rm }));
    const other = ctx.newVreg();
    count(lo, first);
    count(other, second);
    ctx.emit({ op: 'cmp', rn: first, src: imm(0) });
    ctx.emit({ op: 'it', firstCond: 'eq', mask: '' });
    ctx.emit({ op: 'add', rd: lo, rn: other, src: imm(32), s: 'keep', cond: 'eq' });
    zero(ctx, hi);
  };
}

/** popcnt64 -> popcnt lo + popcnt hi. */
const selectPopcnt64: Rule = (ctx, inst) => {
  const [xlo, xhi] = ctx.useRegs(inst.args[0]!) as [Reg, Reg];
  const [lo, hi] = result(ctx, inst);
  const [a, b] = [ctx.newVreg(), ctx.newVreg()];
  emitPopcnt(ctx, a, xlo);
  emitPopcnt(ctx, b, xhi);
  ctx.emit({ op: 'add', rd: lo, rn: a, src: reg(b), s: 'any' });
  zero(ctx, hi);
};

// ---------------------------------------------------------------- width changes

/** sextend_low i64 (8|16|32) -> sxtb|sxth|copy lo; asr hi, lo, #31. */
const selectSextendLow64: Rule = (ctx, inst) => {
  const [xlo] = ctx.useRegs(inst.args[0]!) as [Reg, Reg];
  const [lo, hi] = result(ctx, inst);
  if (inst.imm === 8) ctx.emit({ op: 'sxtb', rd: lo, rm: xlo });
  else if (inst.imm === 16) ctx.emit({ op: 'sxth', rd: lo, rm: xlo });
  else ctx.copy(lo, xlo);
  ctx.emit({ op: 'asr', rd: hi, rm: lo, src: imm(31), s: 'any' });
};

/** sextend i32 -> i64: copy lo; asr hi, lo, #31. */
const selectSextend: Rule = (ctx, inst) => {
  const x = ctx.useReg(inst.args[0]!);
  const [lo, hi] = result(ctx, inst);
  ctx.copy(lo, x);
  ctx.emit({ op: 'asr', rd: hi, rm: x, src: imm(31), s: 'any' });
};

/** uextend i32 -> i64: copy lo; mov hi, #0. */
const selectUextend: Rule = (ctx, inst) => {
  const x = ctx.useReg(inst.args[0]!);
  const [lo, hi] = result(ctx, inst);
  ctx.copy(lo, x);
  zero(ctx, hi);
};

/** ireduce i64 -> i32: copy lo. */
const selectIreduce: Rule = (ctx, inst) => {
  ctx.copy(ctx.defReg(inst.results[0]!), ctx.useRegs(inst.args[0]!)[0]!);
};

export const ARITH64_RULES = {
  iadd: carryChain('add', 'adc'),
  isub: carryChain('sub', 'sbc'),
  imul: selectMul64,
  band: pairwise('and'),
  bor: pairwise('orr'),
  bxor: pairwise('eor'),
  shl: shift64('shl'),
  sshr: shift64('sshr'),
  ushr: shift64('ushr'),
  rotl: rotate64(true),
  rotr: rotate64(false),
  clz: countZeros64(false),
  ctz: countZeros64(true),
  popcnt: selectPopcnt64,
  sextend_low: selectSextendLow64,
} satisfies Partial<Record<Opcode, Rule>>;

export const WIDTH_RULES = {
  sextend: selectSextend,
  uextend: selectUextend,
  ireduce: selectIreduce,
} satisfies Partial<Record<Opcode, Rule>>;
