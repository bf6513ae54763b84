// Division and remainder with Wasm's explicit traps: divide by zero, and INT_MIN / -1 for
// signed division. i32 uses sdiv/udiv (+ mls for the remainder); i64 calls libgcc's
// __aeabi_ldivmod / __aeabi_uldivmod (quotient in r0:r1, remainder in r2:r3).

import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { Reg } from '../mir.js';
import { emitHelperCall } from './calls.js';
import type { Rule, SelectionContext } from './context.js';

const INT_MIN_BITS = 0x80000000;

/** cmp b, #0; beq trap — unless b is a nonzero constant. */
function checkZero32(ctx: SelectionContext, inst: Inst, b: Reg): void {
  const c = ctx.constant32(inst.args[1]!);
  if (c !== undefined && c !== 0) return;
  ctx.emit({ op: 'cmp', rn: b, src: { kind: 'imm', value: 0 } });
  ctx.trapIf('eq', 'integer divide by zero', inst);
}

/** cmn b, #1; it eq; cmpeq a, #INT_MIN; beq trap — unless a constant rules it out. */
function checkOverflow32(ctx: SelectionContext, inst: Inst, a: Reg, b: Reg): void {
  const ca = ctx.constant32(inst.args[0]!);
  const cb = ctx.constant32(inst.args[1]!);
  if ((cb !== undefined && cb !== -1) || (ca !== undefined && ca !== -(2 ** 31))) return;
  ctx.emit({ op: 'cmn', rn: b, src: { kind: 'imm', value: 1 } });
  ctx.emit({ op: 'it', firstCond: 'eq', mask: '' });
  ctx.emit({ op: 'cmp', rn: a, src: { kind: 'imm', value: INT_MIN_BITS }, cond: 'eq' });
  ctx.trapIf('eq', 'integer overflow', inst);
}

/** sdiv/udiv/srem/urem i32 -> checks; [su]div q, a, b; (rem: mls d, q, b, a). INT_MIN % -1 = 0 falls out of mls. */
function divide32(signed: boolean, remainder: boolean): Rule {
  return (ctx, inst) => {
    const a = ctx.useReg(inst.args[0]!);
    const b = ctx.useReg(inst.args[1]!);
    checkZero32(ctx, inst, b);
    if (signed && !remainder) checkOverflow32(ctx, inst, a, b);
    const rd = ctx.defReg(inst.results[0]!);
    const op = signed ? 'sdiv' : 'udiv';
    if (!remainder) {
      ctx.emit({ op, rd, rn: a, rm: b });
      return;
    }
    const q = ctx.newVreg();
    ctx.emit({ op, rd: q, rn: a, rm: b });
    ctx.emit({ op: 'mls', rd, rn: q, rm: b, ra: a });
  };
}

/** i64 checks: orrs t, blo, bhi; beq trap; signed division also tests INT64_MIN / -1. */
function checks64(ctx: SelectionContext, inst: Inst, a: readonly Reg[], b: readonly Reg[], overflow: boolean): void {
  const cb = ctx.constantOf(inst.args[1]!);
  if (cb === undefined || cb === 0n) {
    ctx.emit({ op: 'orr', rd: ctx.newVreg(), rn: b[0]!, src: { kind: 'reg', rm: b[1]! }, s: 'set' });
    ctx.trapIf('eq', 'integer divide by zero', inst);
  }
  if (!overflow || (cb !== undefined && cb !== -1n)) return;
  const both = ctx.newVreg();
  ctx.emit({ op: 'and', rd: both, rn: b[0]!, src: { kind: 'reg', rm: b[1]! }, s: 'any' });
  ctx.emit({ op: 'cmn', rn: both, src: { kind: 'imm', value: 1 } });
  ctx.emit({ op: 'it', firstCond: 'eq', mask: 't' });
  ctx.emit({ op: 'cmp', rn: a[0]!, src: { kind: 'imm', value: 0 }, cond: 'eq' });
  ctx.emit({ op: 'cmp', rn: a[1]!, src: { kind: 'imm', value: INT_MIN_BITS }, cond: 'eq' });
  ctx.trapIf('eq', 'integer overflow', inst);
}

/** i64 div/rem -> checks; a in r0:r1, b in r2:r3; bl __aeabi_[u]ldivmod; result from r0:r1 or r2:r3. */
function divide64(signed: boolean, remainder: boolean): Rule {
  return (ctx, inst) => {
    const a = ctx.useRegs(inst.args[0]!);
    const b = ctx.useRegs(inst.args[1]!);
    checks64(ctx, inst, a, b, signed && !remainder);
    const out = ctx.defRegs(inst.results[0]!);
    const helper = signed ? '__aeabi_ldivmod' : '__aeabi_uldivmod';
    const [resultLo, resultHi] = remainder ? [2, 3] : [0, 1];
    emitHelperCall(ctx, helper, [...a, ...b], [[resultLo, out[0]!], [resultHi, out[1]!]]);
  };
}

export const DIVIDE32_RULES = {
  sdiv: divide32(true, false),
  udiv: divide32(false, false),
  srem: divide32(true, true),
  urem: divide32(false, true),
} satisfies Partial<Record<Opcode, Rule>>;

export const DIVIDE64_RULES = {
  sdiv: divide64(true, false),
  udiv: divide64(false, false),
  srem: divide64(true, true),
  urem: divide64(false, true),
} satisfies Partial<Record<Opcode, Rule>>;
