// Integer numeric instructions (i32 and i64): constants, arithmetic, bit operations,
// comparisons, width conversions and in-place sign extensions. Float instructions are in
// float.ts.

import type { Opcode } from '../../ir/opcodes.js';
import type { IntCC } from '../../ir/types.js';
import type { LowerRule } from './context.js';
import type { IntType } from './signatures.js';

/** Two-operand operators, the same for i32 and i64: Wasm `<t>.<name>` -> IR opcode. */
const BINARY: Readonly<Record<string, Opcode>> = {
  add: 'iadd', // x + y, wrapping
  sub: 'isub', // x - y, wrapping
  mul: 'imul', // x * y, wrapping
  div_s: 'sdiv', // traps on y = 0 and on MIN / -1
  div_u: 'udiv', // traps on y = 0
  rem_s: 'srem', // traps on y = 0; MIN % -1 = 0
  rem_u: 'urem', // traps on y = 0
  and: 'band',
  or: 'bor',
  xor: 'bxor',
  shl: 'shl', // count modulo the width, in IR as in Wasm
  shr_s: 'sshr',
  shr_u: 'ushr',
  rotl: 'rotl',
  rotr: 'rotr',
};

/** One-operand bit counts: Wasm `<t>.<name>` -> IR opcode. */
const UNARY: Readonly<Record<string, Opcode>> = {
  clz: 'clz',
  ctz: 'ctz',
  popcnt: 'popcnt',
};

/** Comparisons: Wasm `<t>.<name>` -> icmp condition; the result is i32 0 or 1. */
const COMPARE: Readonly<Record<string, IntCC>> = {
  eq: 'eq',
  ne: 'ne',
  lt_s: 'slt',
  lt_u: 'ult',
  gt_s: 'sgt',
  gt_u: 'ugt',
  le_s: 'sle',
  le_u: 'ule',
  ge_s: 'sge',
  ge_u: 'uge',
};

/** In-place sign extensions: Wasm mnemonic -> sextend_low of that many low bits. */
const SIGN_EXTEND_LOW: Readonly<Record<string, number>> = {
  'i32.extend8_s': 8,
  'i32.extend16_s': 16,
  'i64.extend8_s': 8,
  'i64.extend16_s': 16,
  'i64.extend32_s': 32,
};

const binaryRule = (type: IntType, op: Opcode): LowerRule => (ctx) => {
  const [x, y] = ctx.popN(2);
  ctx.push(ctx.b.value(op, type, { args: [x!, y!] }));
};

const unaryRule = (type: IntType, op: Opcode): LowerRule => (ctx) => {
  ctx.push(ctx.b.value(op, type, { args: [ctx.pop()] }));
};

const compareRule = (cc: IntCC): LowerRule => (ctx) => {
  const [x, y] = ctx.popN(2);
  ctx.push(ctx.b.value('icmp', 'i32', { args: [x!, y!], cc }));
};

const sextendLowRule = (type: IntType, bits: number): LowerRule => (ctx) => {
  ctx.push(ctx.b.value('sextend_low', type, { args: [ctx.pop()], imm: bits }));
};

function rulesForWidth(type: IntType): Record<string, LowerRule> {
  const rules: Record<string, LowerRule> = {
    // <t>.const -> iconst
    [`${type}.const`]: (ctx, ins) => ctx.push(ctx.b.iconst(type, ins.value!)),
    // <t>.eqz x -> icmp eq x, iconst 0
    [`${type}.eqz`]: (ctx) => {
      const x = ctx.pop();
      ctx.push(ctx.b.value('icmp', 'i32', { args: [x, ctx.b.iconst(type, 0)], cc: 'eq' }));
    },
  };
  for (const [name, op] of Object.entries(BINARY)) rules[`${type}.${name}`] = binaryRule(type, op);
  for (const [name, op] of Object.entries(UNARY)) rules[`${type}.${name}`] = unaryRule(type, op);
  for (const [name, cc] of Object.entries(COMPARE)) rules[`${type}.${name}`] = compareRule(cc);
  return rules;
}

export const numericRules: Readonly<Record<string, LowerRule>> = {
  ...rulesForWidth('i32'),
  ...rulesForWidth('i64'),
  ...Object.fromEntries(
    Object.entries(SIGN_EXTEND_LOW).map(([name, bits]) => [name, sextendLowRule(name.startsWith('i64') ? 'i64' : 'i32', bits)]),
  ),
  // i32.wrap_i64 -> ireduce to i32
  'i32.wrap_i64': (ctx) => ctx.push(ctx.b.value('ireduce', 'i32', { args: [ctx.pop()] })),
  // i64.extend_i32_s -> sextend to i64
  'i64.extend_i32_s': (ctx) => ctx.push(ctx.b.value('sextend', 'i64', { args: [ctx.pop()] })),
  // i64.extend_i32_u -> uextend to i64
  'i64.extend_i32_u': (ctx) => ctx.push(ctx.b.value('uextend', 'i64', { args: [ctx.pop()] })),
};
