// Soft-float: f32 and f64 on a core without an FPU. A float lives in core registers as its
// bits (f32 in one, f64 in a lo/hi pair like i64). Sign operations are inline bit
// operations; arithmetic, comparisons and conversions with an AEABI run-time helper call
// libgcc's __aeabi_* (IEEE round-to-nearest-even); what libgcc lacks or does otherwise than
// Wasm (sqrt, rounding to integers, min/max, range-checked truncation) calls runtime-c's
// float.c. Every helper takes and returns bits in r0-r3 (the AAPCS base standard).

import { InternalError } from '../../diagnostics/errors.js';
import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { FloatCC, Type } from '../../ir/types.js';
import type { DataOp } from '../mir.js';
import { emitHelperCall } from './calls.js';
import type { Rule, SelectionContext } from './context.js';

const SIGN_BIT = 0x80000000;

type FloatType = 'f32' | 'f64';

function floatTypeOf(ctx: SelectionContext, inst: Inst): FloatType {
  const t = ctx.typeOf(inst.args[0]!);
  if (t !== 'f32' && t !== 'f64') throw new InternalError('thumb2 isel', `${inst.op} of ${t} in ${ctx.func.name}`);
  return t;
}

/** A helper call whose arguments are the IR args' words in order and whose result is
 *  the IR result's words from r0 (r0:r1). */
function callForResult(ctx: SelectionContext, inst: Inst, symbol: string): void {
  const args = inst.args.flatMap((v) => ctx.useRegs(v));
  const out = ctx.defRegs(inst.results[0]!);
  emitHelperCall(ctx, symbol, args, out.map((rd, i) => [i, rd] as const));
}

/** A helper per operand type: `<op> f32` -> helpers.f32, `<op> f64` -> helpers.f64. */
function helperRule(helpers: Readonly<Record<FloatType, string>>): Rule {
  return (ctx, inst) => callForResult(ctx, inst, helpers[floatTypeOf(ctx, inst)]);
}

const aeabi = (f32: string, f64: string) => helperRule({ f32: `__aeabi_${f32}`, f64: `__aeabi_${f64}` });
const runtime = (name: string) => helperRule({ f32: `__mcu_f32_${name}`, f64: `__mcu_f64_${name}` });

// ---------------------------------------------------------------- sign bit operations

/** The high word of a float (the one with the sign bit): f32's only word, f64's second. */
const signWordIndex = (type: FloatType): number => (type === 'f64' ? 1 : 0);

/** fabs/fneg x -> bic/eor of the sign bit in the high word; other words copied. NaN
 *  payloads stay as they are, as Wasm requires. */
function signOp(op: DataOp): Rule {
  return (ctx, inst) => {
    const type = floatTypeOf(ctx, inst);
    const src = ctx.useRegs(inst.args[0]!);
    const out = ctx.defRegs(inst.results[0]!);
    const hi = signWordIndex(type);
    out.forEach((rd, i) => {
      if (i === hi) ctx.emit({ op, rd, rn: src[i]!, src: { kind: 'imm', value: SIGN_BIT }, s: 'any' });
      else ctx.copy(rd, src[i]!);
    });
  };
}

/** fcopysign x, y -> (x.hi & ~SIGN) | (y.hi & SIGN); x's other word copied. */
const selectCopysign: Rule = (ctx, inst) => {
  const type = floatTypeOf(ctx, inst);
  const x = ctx.useRegs(inst.args[0]!);
  const y = ctx.useRegs(inst.args[1]!);
  const out = ctx.defRegs(inst.results[0]!);
  const hi = signWordIndex(type);
  const magnitude = ctx.newVreg();
  const sign = ctx.newVreg();
  ctx.emit({ op: 'bic', rd: magnitude, rn: x[hi]!, src: { kind: 'imm', value: SIGN_BIT }, s: 'any' });
  ctx.emit({ op: 'and', rd: sign, rn: y[hi]!, src: { kind: 'imm', value: SIGN_BIT }, s: 'any' });
  out.forEach((rd, i) => {
    if (i === hi) ctx.emit({ op: 'orr', rd, rn: magnitude, src: { kind: 'reg', rm: sign }, s: 'any' });
    else ctx.copy(rd, x[i]!);
  });
};

/** bitcast -> register copies: the bits already are the value. */
const selectBitcast: Rule = (ctx, inst) => {
  const src = ctx.useRegs(inst.args[0]!);
  ctx.defRegs(inst.results[0]!).forEach((rd, i) => ctx.copy(rd, src[i]!));
};

// ---------------------------------------------------------------- comparisons

/** AEABI comparison helpers: 1 when the relation holds, 0 otherwise and on NaN. */
const COMPARE_HELPERS: Record<Exclude<FloatCC, 'ne'>, string> = {
  eq: 'cmpeq', lt: 'cmplt', le: 'cmple', gt: 'cmpgt', ge: 'cmpge',
};

/** fcmp.cc a, b -> bl __aeabi_[fd]cmp<cc> (0/1 in r0); ne is eq's result xor 1, so that a
 *  NaN operand makes it true. */
const selectFcmp: Rule = (ctx, inst) => {
  const type = floatTypeOf(ctx, inst);
  const fcc = inst.fcc ?? 'eq';
  const prefix = type === 'f32' ? 'f' : 'd';
  const args = [...ctx.useRegs(inst.args[0]!), ...ctx.useRegs(inst.args[1]!)];
  const rd = ctx.defReg(inst.results[0]!);
  if (fcc !== 'ne') {
    emitHelperCall(ctx, `__aeabi_${prefix}${COMPARE_HELPERS[fcc]}`, args, [[0, rd]]);
    return;
  }
  const equal = ctx.newVreg();
  emitHelperCall(ctx, `__aeabi_${prefix}cmpeq`, args, [[0, equal]]);
  ctx.emit({ op: 'eor', rd, rn: equal, src: { kind: 'imm', value: 1 }, s: 'any' });
};

// ---------------------------------------------------------------- conversions

/** The helper suffix of an integer conversion target or source: s32 u32 s64 u64. */
function intSuffix(signed: boolean, type: Type | undefined): string {
  if (type !== 'i32' && type !== 'i64') throw new InternalError('thumb2 isel', `integer conversion with type ${type}`);
  return `${signed ? 's' : 'u'}${type === 'i64' ? 64 : 32}`;
}

/** fcvt_to_[su]int_sat.iN x -> bl __mcu_<f>_trunc_sat_<[su]N> (runtime-c: NaN -> 0, clamps). */
function selectTruncSat(signed: boolean): Rule {
  return (ctx, inst) => {
    const suffix = intSuffix(signed, inst.type);
    callForResult(ctx, inst, `__mcu_${floatTypeOf(ctx, inst)}_trunc_sat_${suffix}`);
  };
}

/** Status codes of runtime-c's __mcu_<f>_trunc_check_<i> (keep in step with float.c). */
const CHECK_NAN = 1;
const CHECK_OUT_OF_RANGE = 2;

/**
 * fcvt_to_[su]int.iN x -> bl __mcu_<f>_trunc_check_<i> (0 fits, 1 NaN, 2 out of range);
 * cmp #1 -> trap 'invalid conversion to integer'; cmp #2 -> trap 'integer overflow';
 * then the saturating conversion, exact for every value that fits.
 */
function selectTrunc(signed: boolean): Rule {
  return (ctx, inst) => {
    const type = floatTypeOf(ctx, inst);
    const suffix = intSuffix(signed, inst.type);
    const x = ctx.useRegs(inst.args[0]!);
    const status = ctx.newVreg();
    emitHelperCall(ctx, `__mcu_${type}_trunc_check_${suffix}`, x, [[0, status]]);
    ctx.emit({ op: 'cmp', rn: status, src: { kind: 'imm', value: CHECK_NAN } });
    ctx.trapIf('eq', 'invalid conversion to integer', inst);
    ctx.emit({ op: 'cmp', rn: status, src: { kind: 'imm', value: CHECK_OUT_OF_RANGE } });
    ctx.trapIf('eq', 'integer overflow', inst);
    const out = ctx.defRegs(inst.results[0]!);
    emitHelperCall(ctx, `__mcu_${type}_trunc_sat_${suffix}`, x, out.map((rd, i) => [i, rd] as const));
  };
}

/** libgcc's int -> float helpers, by source: s32 i2f, u32 ui2f, s64 l2f, u64 ul2f. */
const FROM_INT: Record<string, string> = { s32: 'i2', u32: 'ui2', s64: 'l2', u64: 'ul2' };

/** fcvt_from_[su]int.<f> x -> bl __aeabi_{i,ui,l,ul}2{f,d} (round to nearest even). */
function selectConvertFromInt(signed: boolean): Rule {
  return (ctx, inst) => {
    const from = intSuffix(signed, ctx.typeOf(inst.args[0]!));
    const to = inst.type === 'f64' ? 'd' : 'f';
    callForResult(ctx, inst, `__aeabi_${FROM_INT[from]!}${to}`);
  };
}

/** fconst emits nothing: its bits are materialised at each use, like iconst's. */
const selectFconst: Rule = () => {};

export const FLOAT_RULES = {
  fconst: selectFconst,
  fadd: aeabi('fadd', 'dadd'),
  fsub: aeabi('fsub', 'dsub'),
  fmul: aeabi('fmul', 'dmul'),
  fdiv: aeabi('fdiv', 'ddiv'),
  fmin: runtime('min'),
  fmax: runtime('max'),
  fsqrt: runtime('sqrt'),
  fceil: runtime('ceil'),
  ffloor: runtime('floor'),
  ftrunc: runtime('trunc'),
  fnearest: runtime('nearest'),
  fabs: signOp('bic'),
  fneg: signOp('eor'),
  fcopysign: selectCopysign,
  fcmp: selectFcmp,
  // f32 -> f64 is exact; f64 -> f32 rounds to nearest even. A NaN stays a quiet NaN.
  fpromote: aeabi('f2d', 'f2d'),
  fdemote: aeabi('d2f', 'd2f'),
  fcvt_to_sint: selectTrunc(true),
  fcvt_to_uint: selectTrunc(false),
  fcvt_to_sint_sat: selectTruncSat(true),
  fcvt_to_uint_sat: selectTruncSat(false),
  fcvt_from_sint: selectConvertFromInt(true),
  fcvt_from_uint: selectConvertFromInt(false),
  bitcast: selectBitcast,
} satisfies Partial<Record<Opcode, Rule>>;
