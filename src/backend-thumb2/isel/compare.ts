// Integer comparisons: flags from i32 or i64 operands, icmp as 0/1, and select.

import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { IntCC, Value } from '../../ir/types.js';
import type { Cond, Reg } from '../mir.js';
import { tryThumbExpandImm } from '../operands.js';
import type { Rule, SelectionContext } from './context.js';

const I32_CONDS: Record<IntCC, Cond> = {
  eq: 'eq', ne: 'ne', slt: 'lt', sle: 'le', sgt: 'gt', sge: 'ge', ult: 'cc', ule: 'ls', ugt: 'hi', uge: 'cs',
};
/** The condition with the operands swapped: a < b is b > a. */
const SWAPPED: Record<IntCC, IntCC> = {
  eq: 'eq', ne: 'ne', slt: 'sgt', sle: 'sge', sgt: 'slt', sge: 'sle', ult: 'ugt', ule: 'uge', ugt: 'ult', uge: 'ule',
};
const INVERSE: Record<Cond, Cond> = {
  eq: 'ne', ne: 'eq', cs: 'cc', cc: 'cs', mi: 'pl', pl: 'mi', vs: 'vc', vc: 'vs',
  hi: 'ls', ls: 'hi', ge: 'lt', lt: 'ge', gt: 'le', le: 'gt', al: 'al',
};
export const invertCond = (c: Cond): Cond => INVERSE[c];

/** cmp a, b|#imm (or cmn a, #-imm); a constant on the left swaps the operands. */
function compare32(ctx: SelectionContext, a: Value, b: Value, cc: IntCC): Cond {
  if (ctx.constant32(a) !== undefined && ctx.constant32(b) === undefined) return compare32(ctx, b, a, SWAPPED[cc]);
  const rn = ctx.useReg(a);
  const c = ctx.constant32(b);
  if (c !== undefined && tryThumbExpandImm(c) === undefined && tryThumbExpandImm(-c) !== undefined) {
    ctx.emit({ op: 'cmn', rn, src: { kind: 'imm', value: -c >>> 0 } });
  } else {
    const src = ctx.operand2(b);
    ctx.emit({ op: 'cmp', rn, src });
  }
  return I32_CONDS[cc];
}

/**
 * i64: eq/ne -> cmp hi; it eq; cmpeq lo. Orderings -> cmp lo; sbcs t, hi (a - b as one
 * 64-bit subtraction: C is "no borrow", N^V the signed sign), with the operands swapped for
 * gt/le so that only cs/cc/ge/lt are needed.
 */
function compare64(ctx: SelectionContext, a: Value, b: Value, cc: IntCC): Cond {
  if (cc === 'ugt' || cc === 'ule' || cc === 'sgt' || cc === 'sle') return compare64(ctx, b, a, SWAPPED[cc]);
  const [alo, ahi] = ctx.useRegs(a) as [Reg, Reg];
  const [blo, bhi] = ctx.useRegs(b) as [Reg, Reg];
  if (cc === 'eq' || cc === 'ne') {
    ctx.emit({ op: 'cmp', rn: ahi, src: { kind: 'reg', rm: bhi } });
    ctx.emit({ op: 'it', firstCond: 'eq', mask: '' });
    ctx.emit({ op: 'cmp', rn: alo, src: { kind: 'reg', rm: blo }, cond: 'eq' });
    return cc;
  }
  ctx.emit({ op: 'cmp', rn: alo, src: { kind: 'reg', rm: blo } });
  ctx.emit({ op: 'sbc', rd: ctx.newVreg(), rn: ahi, src: { kind: 'reg', rm: bhi }, s: 'set' });
  return cc === 'ult' ? 'cc' : cc === 'uge' ? 'cs' : cc === 'slt' ? 'lt' : 'ge';
}

/** Set the flags for icmp `inst`; the returned condition holds when the comparison is true. */
export function emitCompare(ctx: SelectionContext, inst: Inst): Cond {
  const [a, b] = [inst.args[0]!, inst.args[1]!];
  const cc = inst.cc ?? 'eq';
  return ctx.typeOf(a) === 'i64' ? compare64(ctx, a, b, cc) : compare32(ctx, a, b, cc);
}

/** Flags for a branch or select on `cond`: the fused icmp, or cond != 0. */
export function emitCondition(ctx: SelectionContext, cond: Value): Cond {
  const fused = ctx.fusedCompare(cond);
  if (fused !== undefined) return emitCompare(ctx, fused);
  ctx.emit({ op: 'cmp', rn: ctx.useReg(cond), src: { kind: 'imm', value: 0 } });
  return 'ne';
}

/** icmp -> mov d, #0; cmp a, b; it cond; mov<cond> d, #1 (fused icmps emit nothing here). */
const selectIcmp: Rule = (ctx, inst) => {
  const v = inst.results[0]!;
  if (ctx.fusedCompares.has(v)) return;
  const rd = ctx.defReg(v);
  ctx.emit({ op: 'mov', rd, src: { kind: 'imm', value: 0 }, s: 'any' });
  const cond = emitCompare(ctx, inst);
  ctx.emit({ op: 'it', firstCond: cond, mask: '' });
  ctx.emit({ op: 'mov', rd, src: { kind: 'imm', value: 1 }, s: 'keep', cond });
};

/** select(c, t, f) -> copy d, f; <flags of c>; it cond; mov<cond> d, t (one mov per word). */
const selectSelect: Rule = (ctx, inst) => {
  const [c, t, f] = [inst.args[0]!, inst.args[1]!, inst.args[2]!];
  const fRegs = ctx.useRegs(f);
  const tRegs = ctx.useRegs(t);
  const out = ctx.defRegs(inst.results[0]!);
  out.forEach((rd, i) => ctx.copy(rd, fRegs[i]!));
  const cond = emitCondition(ctx, c);
  ctx.emit({ op: 'it', firstCond: cond, mask: 't'.repeat(out.length - 1) });
  out.forEach((rd, i) => ctx.emit({ op: 'mov', rd, src: { kind: 'reg', rm: tRegs[i]! }, s: 'keep', cond }));
};

export const COMPARE_RULES = {
  icmp: selectIcmp,
  select: selectSelect,
} satisfies Partial<Record<Opcode, Rule>>;
