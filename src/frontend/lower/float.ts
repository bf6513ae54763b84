// Float instructions (f32 and f64): constants, arithmetic, bit operations on the sign,
// rounding, comparisons, conversions to and from integers and between the float widths,
// reinterpretations, and float loads and stores. Each maps to one IR instruction; the IR
// opcodes carry Wasm's semantics (NaN handling, -0 < +0, trapping or saturating
// truncation), so no rule needs more than that one instruction.

import type { FunctionBuilder } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { FloatCC, Type, Value } from '../../ir/types.js';
import type { LowerRule } from './context.js';

type FloatType = 'f32' | 'f64';
const FLOAT_TYPES: readonly FloatType[] = ['f32', 'f64'];
const INT_TYPES = ['i32', 'i64'] as const;

/** Two-operand operators: Wasm `<f>.<name>` -> IR opcode. */
const BINARY: Readonly<Record<string, Opcode>> = {
  add: 'fadd',
  sub: 'fsub',
  mul: 'fmul',
  div: 'fdiv',
  min: 'fmin', // NaN if either is NaN; min(-0, +0) = -0
  max: 'fmax',
  copysign: 'fcopysign', // sign bit of the second, everything else of the first
};

/** One-operand operators: Wasm `<f>.<name>` -> IR opcode. */
const UNARY: Readonly<Record<string, Opcode>> = {
  abs: 'fabs',
  neg: 'fneg',
  sqrt: 'fsqrt',
  ceil: 'fceil',
  floor: 'ffloor',
  trunc: 'ftrunc',
  nearest: 'fnearest', // ties to even
};

/** Comparisons: Wasm `<f>.<name>` -> fcmp condition (false on NaN, except ne). */
const COMPARE: Readonly<Record<string, FloatCC>> = {
  eq: 'eq', ne: 'ne', lt: 'lt', le: 'le', gt: 'gt', ge: 'ge',
};

/** A constant from the raw bits Wasm gives (unsigned), held signed like iconst's imm. */
export function floatConst(b: FunctionBuilder, type: FloatType, bits: number | bigint): Value {
  const imm = type === 'f64' ? BigInt.asIntN(64, BigInt(bits)) : Number(BigInt.asIntN(32, BigInt(bits)));
  return b.value('fconst', type, { imm });
}

/** The zero a declared local of `type` starts with. */
export function zeroOf(b: FunctionBuilder, type: Type): Value {
  return type === 'f32' || type === 'f64' ? floatConst(b, type, 0) : b.iconst(type, 0);
}

const binaryRule = (type: FloatType, op: Opcode): LowerRule => (ctx) => {
  const [x, y] = ctx.popN(2);
  ctx.push(ctx.b.value(op, type, { args: [x!, y!] }));
};

const unaryRule = (type: FloatType, op: Opcode): LowerRule => (ctx) => {
  ctx.push(ctx.b.value(op, type, { args: [ctx.pop()] }));
};

const compareRule = (fcc: FloatCC): LowerRule => (ctx) => {
  const [x, y] = ctx.popN(2);
  ctx.push(ctx.b.value('fcmp', 'i32', { args: [x!, y!], fcc }));
};

/** A one-operand conversion to `to`: the IR opcode states the kind, inst.type the target. */
const convertRule = (op: Opcode, to: Type): LowerRule => (ctx) => {
  ctx.push(ctx.b.value(op, to, { args: [ctx.pop()] }));
};

function rulesForWidth(type: FloatType): Record<string, LowerRule> {
  const rules: Record<string, LowerRule> = {
    // <f>.const -> fconst with the literal's bits
    [`${type}.const`]: (ctx, ins) => ctx.push(floatConst(ctx.b, type, ins.value!)),
  };
  for (const [name, op] of Object.entries(BINARY)) rules[`${type}.${name}`] = binaryRule(type, op);
  for (const [name, op] of Object.entries(UNARY)) rules[`${type}.${name}`] = unaryRule(type, op);
  for (const [name, fcc] of Object.entries(COMPARE)) rules[`${type}.${name}`] = compareRule(fcc);
  for (const int of INT_TYPES) {
    // <i>.trunc_<f>_[su] -> fcvt_to_[su]int (traps); <i>.trunc_sat_<f>_[su] -> ..._sat
    rules[`${int}.trunc_${type}_s`] = convertRule('fcvt_to_sint', int);
    rules[`${int}.trunc_${type}_u`] = convertRule('fcvt_to_uint', int);
    rules[`${int}.trunc_sat_${type}_s`] = convertRule('fcvt_to_sint_sat', int);
    rules[`${int}.trunc_sat_${type}_u`] = convertRule('fcvt_to_uint_sat', int);
    // <f>.convert_<i>_[su] -> fcvt_from_[su]int
    rules[`${type}.convert_${int}_s`] = convertRule('fcvt_from_sint', type);
    rules[`${type}.convert_${int}_u`] = convertRule('fcvt_from_uint', type);
  }
  return rules;
}

export const floatRules: Readonly<Record<string, LowerRule>> = {
  ...Object.assign({}, ...FLOAT_TYPES.map(rulesForWidth)),
  // f64.promote_f32 -> fpromote; f32.demote_f64 -> fdemote
  'f64.promote_f32': convertRule('fpromote', 'f64'),
  'f32.demote_f64': convertRule('fdemote', 'f32'),
  // reinterpretations -> bitcast to the other type of the same width
  'i32.reinterpret_f32': convertRule('bitcast', 'i32'),
  'i64.reinterpret_f64': convertRule('bitcast', 'i64'),
  'f32.reinterpret_i32': convertRule('bitcast', 'f32'),
  'f64.reinterpret_i64': convertRule('bitcast', 'f64'),
};
