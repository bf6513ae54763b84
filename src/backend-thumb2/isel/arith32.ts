// i32 arithmetic, bitwise operations, shifts, rotates and bit counting.

import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { DataOp, Reg, ShiftOp } from '../mir.js';
import { tryThumbExpandImm } from '../operands.js';
import type { Rule, SelectionContext } from './context.js';
import { unlessFolded, withFoldedOperands } from './operand-folding.js';

const args2 = (inst: Inst) => [inst.args[0]!, inst.args[1]!] as const;

/** a op b -> op d, a, b|#imm (commutative ops take a constant on either side). */
function dataOp(op: DataOp, commutative: boolean): Rule {
  return (ctx, inst) => {
    let [a, b] = args2(inst);
    if (commutative && ctx.constant32(a) !== undefined && ctx.constant32(b) === undefined) [a, b] = [b, a];
    const rn = ctx.useReg(a);
    ctx.emit({ op, rd: ctx.defReg(inst.results[0]!), rn, src: ctx.operand2(b), s: 'any' });
  };
}

/** isub(#c, b) -> rsb d, b, #c; isub(a, b) -> sub d, a, b|#imm. */
const selectSub: Rule = (ctx, inst) => {
  const [a, b] = args2(inst);
  const c = ctx.constant32(a);
  if (c !== undefined && ctx.constant32(b) === undefined && tryThumbExpandImm(c) !== undefined) {
    ctx.emit({ op: 'rsb', rd: ctx.defReg(inst.results[0]!), rn: ctx.useReg(b), src: { kind: 'imm', value: c >>> 0 }, s: 'any' });
    return;
  }
  dataOp('sub', false)(ctx, inst);
};

/** band(a, #c) with ~c encodable -> bic d, a, #~c. */
const selectAnd: Rule = (ctx, inst) => {
  const [a, b] = args2(inst);
  const c = ctx.constant32(b);
  if (c !== undefined && tryThumbExpandImm(c) === undefined && tryThumbExpandImm(~c) !== undefined) {
    ctx.emit({ op: 'bic', rd: ctx.defReg(inst.results[0]!), rn: ctx.useReg(a), src: { kind: 'imm', value: ~c >>> 0 }, s: 'any' });
    return;
  }
  dataOp('and', true)(ctx, inst);
};

/** imul(a, b) -> mul d, a, b. */
const selectMul: Rule = (ctx, inst) => {
  const [a, b] = args2(inst);
  const rn = ctx.useReg(a);
  const rm = ctx.useReg(b);
  ctx.emit({ op: 'mul', rd: ctx.defReg(inst.results[0]!), rn, rm, s: 'any' });
};

/** Emit `rd = rm <op> (amount mod 32)` for a constant amount; a zero shift is a copy. */
export function shiftByConstant(ctx: SelectionContext, op: ShiftOp, rd: Reg, rm: Reg, amount: number): void {
  const n = amount & 31;
  if (n === 0) ctx.copy(rd, rm);
  else ctx.emit({ op, rd, rm, src: { kind: 'imm', value: n }, s: 'any' });
}

/** shl/sshr/ushr(a, #c) -> op d, a, #(c & 31); (a, n) -> and t, n, #31; op d, a, t. */
function shift(op: ShiftOp): Rule {
  return (ctx, inst) => {
    const [a, b] = args2(inst);
    const rm = ctx.useReg(a);
    const rd = ctx.defReg(inst.results[0]!);
    const c = ctx.constant32(b);
    if (c !== undefined) {
      shiftByConstant(ctx, op, rd, rm, c);
      return;
    }
    const count = ctx.newVreg();
    ctx.emit({ op: 'and', rd: count, rn: ctx.useReg(b), src: { kind: 'imm', value: 31 }, s: 'any' });
    ctx.emit({ op, rd, rm, src: { kind: 'reg', rs: count }, s: 'any' });
  };
}

/** rotr(a, n) -> ror d, a, n (ROR by register already works modulo 32). */
const selectRotr: Rule = (ctx, inst) => {
  const [a, b] = args2(inst);
  const rm = ctx.useReg(a);
  const rd = ctx.defReg(inst.results[0]!);
  const c = ctx.constant32(b);
  if (c !== undefined) shiftByConstant(ctx, 'ror', rd, rm, c);
  else ctx.emit({ op: 'ror', rd, rm, src: { kind: 'reg', rs: ctx.useReg(b) }, s: 'any' });
};

/** rotl(a, n) -> rsb t, n, #0; ror d, a, t (rotate left by n = right by -n). */
const selectRotl: Rule = (ctx, inst) => {
  const [a, b] = args2(inst);
  const rm = ctx.useReg(a);
  const rd = ctx.defReg(inst.results[0]!);
  const c = ctx.constant32(b);
  if (c !== undefined) {
    shiftByConstant(ctx, 'ror', rd, rm, -c);
    return;
  }
  const negated = ctx.newVreg();
  ctx.emit({ op: 'rsb', rd: negated, rn: ctx.useReg(b), src: { kind: 'imm', value: 0 }, s: 'any' });
  ctx.emit({ op: 'ror', rd, rm, src: { kind: 'reg', rs: negated }, s: 'any' });
};

/** ctz(x) = clz(rbit(x)). */
export function emitCtz(ctx: SelectionContext, rd: Reg, rm: Reg): void {
  const reversed = ctx.newVreg();
  ctx.emit({ op: 'rbit', rd: reversed, rm });
  ctx.emit({ op: 'clz', rd, rm: reversed });
}

/**
 * popcnt by SWAR: x - ((x >> 1) & 0x55555555); pairs summed under 0x33333333; nibbles under
 * 0x0f0f0f0f; the byte sums gathered in the top byte by a multiply with 0x01010101.
 */
export function emitPopcnt(ctx: SelectionContext, rd: Reg, x: Reg): void {
  const t = (): Reg => ctx.newVreg();
  const imm = (value: number) => ({ kind: 'imm', value } as const);
  const reg = (rm: Reg) => ({ kind: 'reg', rm } as const);
  const [h1, m1, s1, h2, m2, l2, s2, h4, s4, m4, k, prod] = [t(), t(), t(), t(), t(), t(), t(), t(), t(), t(), t(), t()];
  ctx.emit({ op: 'lsr', rd: h1, rm: x, src: imm(1), s: 'any' });
  ctx.emit({ op: 'and', rd: m1, rn: h1, src: imm(0x55555555), s: 'any' });
  ctx.emit({ op: 'sub', rd: s1, rn: x, src: reg(m1), s: 'any' });
  ctx.emit({ op: 'lsr', rd: h2, rm: s1, src: imm(2), s: 'any' });
  ctx.emit({ op: 'and', rd: m2, rn: h2, src: imm(0x33333333), s: 'any' });
  ctx.emit({ op: 'and', rd: l2, rn: s1, src: imm(0x33333333), s: 'any' });
  ctx.emit({ op: 'add', rd: s2, rn: l2, src: reg(m2), s: 'any' });
  ctx.emit({ op: 'lsr', rd: h4, rm: s2, src: imm(4), s: 'any' });
  ctx.emit({ op: 'add', rd: s4, rn: s2, src: reg(h4), s: 'any' });
  ctx.emit({ op: 'and', rd: m4, rn: s4, src: imm(0x0f0f0f0f), s: 'any' });
  ctx.emit({ op: 'mov', rd: k, src: imm(0x01010101), s: 'any' });
  ctx.emit({ op: 'mul', rd: prod, rn: m4, rm: k, s: 'any' });
  ctx.emit({ op: 'lsr', rd, rm: prod, src: imm(24), s: 'any' });
}

/** clz(x) -> clz; ctz(x) -> rbit + clz; popcnt(x) -> SWAR sequence. */
const selectClz: Rule = (ctx, inst) => ctx.emit({ op: 'clz', rd: ctx.defReg(inst.results[0]!), rm: ctx.useReg(inst.args[0]!) });
const selectCtz: Rule = (ctx, inst) => emitCtz(ctx, ctx.defReg(inst.results[0]!), ctx.useReg(inst.args[0]!));
const selectPopcnt: Rule = (ctx, inst) => emitPopcnt(ctx, ctx.defReg(inst.results[0]!), ctx.useReg(inst.args[0]!));

/** sextend_low(x, 8|16) -> sxtb|sxth; 32 -> copy. */
const selectSextendLow: Rule = (ctx, inst) => {
  const rm = ctx.useReg(inst.args[0]!);
  const rd = ctx.defReg(inst.results[0]!);
  if (inst.imm === 8) ctx.emit({ op: 'sxtb', rd, rm });
  else if (inst.imm === 16) ctx.emit({ op: 'sxth', rd, rm });
  else ctx.copy(rd, rm);
};

export const ARITH32_RULES = {
  iadd: withFoldedOperands('add', dataOp('add', true)),
  isub: withFoldedOperands('sub', selectSub),
  imul: unlessFolded(selectMul),
  band: withFoldedOperands('and', selectAnd),
  bor: withFoldedOperands('orr', dataOp('orr', true)),
  bxor: withFoldedOperands('eor', dataOp('eor', true)),
  shl: unlessFolded(shift('lsl')),
  sshr: unlessFolded(shift('asr')),
  ushr: unlessFolded(shift('lsr')),
  rotl: selectRotl,
  rotr: unlessFolded(selectRotr),
  clz: selectClz,
  ctz: selectCtz,
  popcnt: selectPopcnt,
  sextend_low: selectSextendLow,
} satisfies Partial<Record<Opcode, Rule>>;
