// Hard-float f32: on a core with a single-precision FPU (FPv4-SP, the Cortex-M4F of
// mps2-an386), f32 arithmetic, square root, comparisons and the conversions between f32
// and i32 run on the FPU; everything else keeps the soft-float rules of float.ts.
//
// Register model (first version): an f32 value still lives in a core register as its bits,
// exactly as with soft-float, and each FPU operation moves its operands into fixed scratch
// registers s0-s2, operates there, and moves the result back (VMOV core<->S is one cycle
// each way). So the allocator needs no second register class, calls and the AAPCS base
// standard are unchanged (f32 arguments and results in r0-r3, as libgcc's softfp multilib
// and runtime-c expect), nothing lives in an S register across an instruction, and the
// callee-saved s16-s31 are never touched, so prologues stay as they are.
//
// Wasm semantics, with FPSCR as runtime-c's reset handler leaves it (round to nearest even,
// flush-to-zero off, default NaN off):
// - add/sub/mul/div/sqrt are IEEE 754 correctly rounded, subnormals included; a NaN result
//   is the default NaN or a quieted input NaN, both of which Wasm allows for arithmetic.
// - abs/neg/copysign must keep NaN payloads bit for bit (VABS/VNEG would too, but the
//   integer bit operations of float.ts cost no moves), min/max/ceil/floor/trunc/nearest
//   have no FPv4 instruction (no VMINNM, no VRINT): all stay in float.ts.
// - Comparisons: after VCMP an unordered result sets NZCV to 0011, so each Wasm relation
//   takes the one ARM condition that is false on it (lt is mi, le is ls, not lt/le).
// - VCVT to an integer rounds toward zero, saturates and gives 0 for NaN: exactly Wasm's
//   trunc_sat for i32. The trapping truncations compare with the bounds first, as the
//   soft path's range check does.

import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { FloatCC, Value } from '../../ir/types.js';
import { sReg, type Cond, type Reg, type VfpBinaryOp, type VfpConvertOp } from '../mir.js';
import { hasSinglePrecisionFpu } from '../target.js';
import type { Rule, SelectionContext } from './context.js';

/** A hard-float lowering; false (having emitted nothing) when the instruction is not one it
 *  handles (an f64 operand, an i64 side), so that the soft rule runs instead. */
type HardRule = (ctx: SelectionContext, inst: Inst) => boolean;

const S0 = sReg(0);
const S1 = sReg(1);

/** f32 bit patterns of the truncation bounds. */
const TWO_POW_31 = 0x4f000000;
const MINUS_TWO_POW_31 = 0xcf000000;
const TWO_POW_32 = 0x4f800000;
const MINUS_ONE = 0xbf800000;

const isF32 = (ctx: SelectionContext, v: Value | undefined): boolean => v !== undefined && ctx.typeOf(v) === 'f32';

/** vmov s, r: a core register's 32 bits into an S register. */
function toS(ctx: SelectionContext, s: Reg, core: Reg): void {
  ctx.emit({ op: 'vmov', rd: s, rm: core });
}

/** The f32 value `v` into S register `s`. */
function valueToS(ctx: SelectionContext, s: Reg, v: Value): void {
  toS(ctx, s, ctx.useReg(v));
}

/** The single-word result of `inst` from S register `s`. */
function resultFromS(ctx: SelectionContext, inst: Inst, s: Reg): void {
  ctx.emit({ op: 'vmov', rd: ctx.defReg(inst.results[0]!), rm: s });
}

/** f<op> a, b (f32) -> vmov s0, a; vmov s1, b; v<op>.f32 s0, s0, s1; vmov d, s0. */
function binary(op: VfpBinaryOp): HardRule {
  return (ctx, inst) => {
    if (!isF32(ctx, inst.args[0])) return false;
    valueToS(ctx, S0, inst.args[0]!);
    valueToS(ctx, S1, inst.args[1]!);
    ctx.emit({ op, rd: S0, rn: S0, rm: S1 });
    resultFromS(ctx, inst, S0);
    return true;
  };
}

/** fsqrt x (f32) -> vmov s0, x; vsqrt.f32 s0, s0; vmov d, s0 (correctly rounded; sqrt(-0) = -0). */
const selectSqrt: HardRule = (ctx, inst) => {
  if (!isF32(ctx, inst.args[0])) return false;
  valueToS(ctx, S0, inst.args[0]!);
  ctx.emit({ op: 'vsqrt.f32', rd: S0, rm: S0 });
  resultFromS(ctx, inst, S0);
  return true;
};

/** The ARM condition, after VCMP + VMRS, that holds exactly when the Wasm relation does
 *  (false on unordered, NZCV = 0011, except ne, which is true there). */
const FCMP_CONDS: Record<FloatCC, Cond> = { eq: 'eq', ne: 'ne', lt: 'mi', le: 'ls', gt: 'gt', ge: 'ge' };

/** Whether `v` is the constant +0.0 or -0.0 (they compare equal: VCMP with #0.0 serves both). */
function isZeroConstant(ctx: SelectionContext, v: Value): boolean {
  const c = ctx.constant32(v);
  return c !== undefined && (c & 0x7fffffff) === 0;
}

/** Compare f32 a with b (or with #0.0) and copy the FPU flags to APSR. */
function emitFloatCompare(ctx: SelectionContext, a: Value, b: Value): void {
  valueToS(ctx, S0, a);
  if (isZeroConstant(ctx, b)) {
    ctx.emit({ op: 'vcmp.f32', rd: S0 });
  } else {
    valueToS(ctx, S1, b);
    ctx.emit({ op: 'vcmp.f32', rd: S0, rm: S1 });
  }
  ctx.emit({ op: 'vmrs' });
}

/** fcmp.cc a, b (f32) -> mov d, #0; vmov s0, a; vmov s1, b; vcmp.f32 s0, s1; vmrs; it c; mov<c> d, #1. */
const selectFcmp: HardRule = (ctx, inst) => {
  if (!isF32(ctx, inst.args[0])) return false;
  const rd = ctx.defReg(inst.results[0]!);
  const cond = FCMP_CONDS[inst.fcc ?? 'eq'];
  ctx.emit({ op: 'mov', rd, src: { kind: 'imm', value: 0 }, s: 'any' });
  emitFloatCompare(ctx, inst.args[0]!, inst.args[1]!);
  ctx.emit({ op: 'it', firstCond: cond, mask: '' });
  ctx.emit({ op: 'mov', rd, src: { kind: 'imm', value: 1 }, s: 'keep', cond });
  return true;
};

/** Compare s0 with the f32 whose bits are `bits` (through s1) and copy the flags to APSR. */
function compareWithBound(ctx: SelectionContext, bits: number): void {
  toS(ctx, S1, ctx.materialize(bits | 0));
  ctx.emit({ op: 'vcmp.f32', rd: S0, rm: S1 });
  ctx.emit({ op: 'vmrs' });
}

/** VCVT of s0 to an i32 (round toward zero, saturating, NaN -> 0) into the result. */
function convertToInt(ctx: SelectionContext, inst: Inst, signed: boolean): void {
  const op: VfpConvertOp = signed ? 'vcvt.s32.f32' : 'vcvt.u32.f32';
  ctx.emit({ op, rd: S0, rm: S0 });
  resultFromS(ctx, inst, S0);
}

/** Applies to f32 -> i32 only (i64 results have no FPv4 instruction). */
const isF32ToI32 = (ctx: SelectionContext, inst: Inst): boolean => isF32(ctx, inst.args[0]) && inst.type === 'i32';

/** fcvt_to_[su]int_sat.i32 x (f32) -> vmov s0, x; vcvt.[su]32.f32 s0, s0; vmov d, s0. */
function selectTruncSat(signed: boolean): HardRule {
  return (ctx, inst) => {
    if (!isF32ToI32(ctx, inst)) return false;
    valueToS(ctx, S0, inst.args[0]!);
    convertToInt(ctx, inst, signed);
    return true;
  };
}

/**
 * fcvt_to_[su]int.i32 x (f32) -> compare with the upper bound (2^31 or 2^32): unordered
 * traps 'invalid conversion to integer', x >= bound 'integer overflow'; compare with the
 * lower bound: x < -2^31 (signed) or x <= -1 (unsigned) 'integer overflow'; then VCVT,
 * exact for every value that passed.
 */
function selectTrunc(signed: boolean): HardRule {
  return (ctx, inst) => {
    if (!isF32ToI32(ctx, inst)) return false;
    valueToS(ctx, S0, inst.args[0]!);
    compareWithBound(ctx, signed ? TWO_POW_31 : TWO_POW_32);
    ctx.trapIf('vs', 'invalid conversion to integer', inst);
    ctx.trapIf('ge', 'integer overflow', inst);
    compareWithBound(ctx, signed ? MINUS_TWO_POW_31 : MINUS_ONE);
    ctx.trapIf(signed ? 'mi' : 'ls', 'integer overflow', inst);
    convertToInt(ctx, inst, signed);
    return true;
  };
}

/** fcvt_from_[su]int.f32 x (i32) -> vmov s0, x; vcvt.f32.[su]32 s0, s0; vmov d, s0 (round to nearest even). */
function selectConvertFromInt(signed: boolean): HardRule {
  return (ctx, inst) => {
    if (inst.type !== 'f32' || ctx.typeOf(inst.args[0]!) !== 'i32') return false;
    valueToS(ctx, S0, inst.args[0]!);
    ctx.emit({ op: signed ? 'vcvt.f32.s32' : 'vcvt.f32.u32', rd: S0, rm: S0 });
    resultFromS(ctx, inst, S0);
    return true;
  };
}

const HARD_FLOAT_RULES = {
  fadd: binary('vadd.f32'),
  fsub: binary('vsub.f32'),
  fmul: binary('vmul.f32'),
  fdiv: binary('vdiv.f32'),
  fsqrt: selectSqrt,
  fcmp: selectFcmp,
  fcvt_to_sint: selectTrunc(true),
  fcvt_to_uint: selectTrunc(false),
  fcvt_to_sint_sat: selectTruncSat(true),
  fcvt_to_uint_sat: selectTruncSat(false),
  fcvt_from_sint: selectConvertFromInt(true),
  fcvt_from_uint: selectConvertFromInt(false),
} satisfies Partial<Record<Opcode, HardRule>>;

/**
 * The float rules with the hard-float lowering in front where there is one: it runs when
 * the target has a single-precision FPU and the instruction is an f32 (or f32/i32
 * conversion) one; otherwise the soft rule does.
 */
export function withHardFloat<K extends Opcode>(soft: Readonly<Record<K, Rule>>): Record<K, Rule> {
  const rules: Record<K, Rule> = { ...soft };
  for (const op of Object.keys(soft) as K[]) {
    const hard: HardRule | undefined = (HARD_FLOAT_RULES as Partial<Record<Opcode, HardRule>>)[op];
    if (hard === undefined) continue;
    const softRule = soft[op];
    rules[op] = (ctx, inst) => {
      if (hasSinglePrecisionFpu(ctx.target) && hard(ctx, inst)) return;
      softRule(ctx, inst);
    };
  }
  return rules;
}
