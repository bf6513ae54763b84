// Evaluation of IR instructions on constant operands, with Wasm's exact semantics, for
// const-fold. A constant is held as iconst/fconst hold their immediate: i32 and f32 bits as
// a signed number, i64 and f64 bits as a signed bigint.
//
// `evaluate` answers undefined when it cannot give the exact Wasm result: the operation
// would trap (division by zero, MIN / -1, an invalid float-to-int conversion: the trap must
// stay), or JS arithmetic would not round as Wasm does (i64 -> f32 goes through a double,
// which can round twice). Float results are what IEEE round-to-nearest gives: f64 is JS
// arithmetic, f32 is the double result rounded by Math.fround, exact for + - * / sqrt
// because a double holds more than twice f32's precision. A NaN result is always the
// canonical NaN (positive, quiet, no payload), which Wasm allows for every arithmetic NaN
// and which keeps builds deterministic; sign and bit operations (neg, abs, copysign,
// bitcast) keep their operands' bits, as Wasm requires.

import type { Inst } from './function.js';
import type { FloatCC, IntCC, Type } from './types.js';

export interface Constant {
  readonly type: Type;
  readonly bits: number | bigint;
}

const CANONICAL_NAN_F32 = 0x7fc00000;
const CANONICAL_NAN_F64 = 0x7ff8000000000000n;
const scratch = (): DataView => new DataView(new ArrayBuffer(8));

export function f32FromBits(bits: number): number {
  const view = scratch();
  view.setInt32(0, bits);
  return view.getFloat32(0);
}

export function f64FromBits(bits: bigint): number {
  const view = scratch();
  view.setBigInt64(0, bits);
  return view.getFloat64(0);
}

function f32Bits(x: number): number {
  if (Number.isNaN(x)) return CANONICAL_NAN_F32;
  const view = scratch();
  view.setFloat32(0, x);
  return view.getInt32(0);
}

function f64Bits(x: number): bigint {
  if (Number.isNaN(x)) return CANONICAL_NAN_F64;
  const view = scratch();
  view.setFloat64(0, x);
  return view.getBigInt64(0);
}

const int = (type: Type, value: number | bigint): Constant =>
  type === 'i64' ? { type, bits: BigInt.asIntN(64, BigInt(value)) } : { type, bits: Number(BigInt.asIntN(32, BigInt(value))) };

/** A float constant's value (a NaN's payload is lost: only for arithmetic). */
export function floatValue(c: Constant): number {
  return c.type === 'f32' ? f32FromBits(c.bits as number) : f64FromBits(c.bits as bigint);
}

/** The float constant of `type` nearest `x` (x already rounded to f32 for f32). */
export function floatConstant(type: Type, x: number): Constant {
  return type === 'f32' ? { type, bits: f32Bits(Math.fround(x)) } : { type, bits: f64Bits(x) };
}

const isFloat = (t: Type): boolean => t === 'f32' || t === 'f64';
const widthOf = (t: Type): bigint => (t === 'i64' || t === 'f64' ? 64n : 32n);
const unsigned = (c: Constant): bigint => BigInt.asUintN(Number(widthOf(c.type)), BigInt(c.bits));
const signed = (c: Constant): bigint => BigInt(c.bits);

/** The result of `inst` on constant `args`, or undefined when it cannot be folded exactly. */
export function evaluate(inst: Inst, args: readonly Constant[], resultType: Type): Constant | undefined {
  const [a, b, c] = args;
  switch (inst.op) {
    case 'select':
      return Number(a!.bits) !== 0 ? b : c;
    case 'icmp':
      return { type: 'i32', bits: compareInt(inst.cc!, a!, b!) ? 1 : 0 };
    case 'fcmp':
      return { type: 'i32', bits: compareFloat(inst.fcc!, floatValue(a!), floatValue(b!)) ? 1 : 0 };
    case 'sextend':
      return int('i64', signed(a!));
    case 'uextend':
      return int('i64', unsigned(a!));
    case 'ireduce':
      return int('i32', signed(a!));
    case 'sextend_low': {
      const bits = Number(inst.imm);
      return int(a!.type, BigInt.asIntN(bits, signed(a!)));
    }
    case 'bitcast':
      return { type: resultType, bits: a!.bits };
    default:
      break;
  }
  if (args.length === 2 && !isFloat(a!.type)) return integerBinary(inst.op, a!, b!);
  if (args.length === 1 && !isFloat(a!.type) && !isFloat(resultType)) return integerUnary(inst.op, a!);
  return floatOperation(inst.op, args, resultType);
}

function integerBinary(op: string, a: Constant, b: Constant): Constant | undefined {
  const w = widthOf(a.type);
  const type = a.type;
  const sa = signed(a);
  const sb = signed(b);
  const ua = unsigned(a);
  const ub = unsigned(b);
  const shift = ub % w;
  switch (op) {
    case 'iadd': return int(type, sa + sb);
    case 'isub': return int(type, sa - sb);
    case 'imul': return int(type, sa * sb);
    case 'band': return int(type, sa & sb);
    case 'bor': return int(type, sa | sb);
    case 'bxor': return int(type, sa ^ sb);
    case 'shl': return int(type, sa << shift);
    case 'sshr': return int(type, sa >> shift);
    case 'ushr': return int(type, ua >> shift);
    case 'rotl': return int(type, (ua << shift) | (ua >> ((w - shift) % w)));
    case 'rotr': return int(type, (ua >> shift) | (ua << ((w - shift) % w)));
    // Division traps on a zero divisor, sdiv also on MIN / -1: those stay for the backend.
    case 'sdiv': return sb === 0n || (sb === -1n && sa === -(1n << (w - 1n))) ? undefined : int(type, sa / sb);
    case 'udiv': return ub === 0n ? undefined : int(type, ua / ub);
    case 'srem': return sb === 0n ? undefined : int(type, sa % sb); // bigint % truncates, as Wasm; MIN % -1 = 0
    case 'urem': return ub === 0n ? undefined : int(type, ua % ub);
    default: return undefined;
  }
}

function integerUnary(op: string, a: Constant): Constant | undefined {
  const w = Number(widthOf(a.type));
  const bits = unsigned(a).toString(2).padStart(w, '0');
  switch (op) {
    case 'clz': return int(a.type, bits.indexOf('1') < 0 ? w : bits.indexOf('1'));
    case 'ctz': return int(a.type, bits.lastIndexOf('1') < 0 ? w : w - 1 - bits.lastIndexOf('1'));
    case 'popcnt': return int(a.type, [...bits].filter((ch) => ch === '1').length);
    default: return undefined;
  }
}

function compareInt(cc: IntCC, a: Constant, b: Constant): boolean {
  const [x, y] = cc.startsWith('u') ? [unsigned(a), unsigned(b)] : [signed(a), signed(b)];
  switch (cc) {
    case 'eq': return x === y;
    case 'ne': return x !== y;
    case 'slt': case 'ult': return x < y;
    case 'sle': case 'ule': return x <= y;
    case 'sgt': case 'ugt': return x > y;
    case 'sge': case 'uge': return x >= y;
  }
}

/** JS comparisons are IEEE's: false on NaN except !==, and -0 == +0. */
function compareFloat(cc: FloatCC, x: number, y: number): boolean {
  switch (cc) {
    case 'eq': return x === y;
    case 'ne': return x !== y;
    case 'lt': return x < y;
    case 'le': return x <= y;
    case 'gt': return x > y;
    case 'ge': return x >= y;
  }
}

function floatOperation(op: string, args: readonly Constant[], resultType: Type): Constant | undefined {
  const [a, b] = args;
  const type = a!.type;
  const x = isFloat(type) ? floatValue(a!) : NaN; // int -> float conversions read the bits instead
  const signBit = (c: Constant): bigint => (c.type === 'f32' ? 0x80000000n : 0x8000000000000000n);
  const raw = (c: Constant): bigint => unsigned(c);
  const fromRaw = (t: Type, bits: bigint): Constant => (t === 'f32' ? { type: t, bits: Number(BigInt.asIntN(32, bits)) } : { type: t, bits: BigInt.asIntN(64, bits) });
  switch (op) {
    case 'fadd': return floatConstant(type, x + floatValue(b!));
    case 'fsub': return floatConstant(type, x - floatValue(b!));
    case 'fmul': return floatConstant(type, x * floatValue(b!));
    case 'fdiv': return floatConstant(type, x / floatValue(b!));
    case 'fsqrt': return floatConstant(type, Math.sqrt(x));
    case 'fmin': return floatConstant(type, minMax(x, floatValue(b!), 'min'));
    case 'fmax': return floatConstant(type, minMax(x, floatValue(b!), 'max'));
    case 'fceil': return floatConstant(type, Math.ceil(x));
    case 'ffloor': return floatConstant(type, Math.floor(x));
    case 'ftrunc': return floatConstant(type, Math.trunc(x));
    case 'fnearest': return floatConstant(type, nearestEven(x));
    case 'fneg': return fromRaw(type, raw(a!) ^ signBit(a!));
    case 'fabs': return fromRaw(type, raw(a!) & ~signBit(a!));
    case 'fcopysign': return fromRaw(type, (raw(a!) & ~signBit(a!)) | (raw(b!) & signBit(b!)));
    case 'fpromote': return floatConstant('f64', x);
    case 'fdemote': return floatConstant('f32', x);
    case 'fcvt_from_sint':
    case 'fcvt_from_uint': return intToFloat(a!, op === 'fcvt_from_sint', resultType);
    case 'fcvt_to_sint':
    case 'fcvt_to_uint': return floatToInt(x, op === 'fcvt_to_sint', resultType, false);
    case 'fcvt_to_sint_sat':
    case 'fcvt_to_uint_sat': return floatToInt(x, op === 'fcvt_to_sint_sat', resultType, true);
    default: return undefined;
  }
}

/** Wasm's min/max: NaN if either is NaN, and -0 < +0. */
function minMax(x: number, y: number, which: 'min' | 'max'): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0 && y === 0) return which === 'min' ? (Object.is(x, -0) ? x : y) : (Object.is(x, -0) ? y : x);
  return which === 'min' ? Math.min(x, y) : Math.max(x, y);
}

/** Round to the nearest integer, ties to even, keeping the sign of zero. */
function nearestEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const diff = x - floor;
  let r = diff < 0.5 ? floor : diff > 0.5 ? floor + 1 : floor % 2 === 0 ? floor : floor + 1;
  if (r === 0 && (x < 0 || Object.is(x, -0))) r = -0;
  return r;
}

function intToFloat(a: Constant, isSigned: boolean, resultType: Type): Constant | undefined {
  const n = isSigned ? signed(a) : unsigned(a);
  // Number(bigint) rounds to nearest even; to f32 that would round twice unless exact in a double.
  if (resultType === 'f32' && (n > 2n ** 53n || n < -(2n ** 53n))) return undefined;
  return floatConstant(resultType, Number(n));
}

function floatToInt(x: number, isSigned: boolean, resultType: Type, saturating: boolean): Constant | undefined {
  const w = widthOf(resultType);
  const min = isSigned ? -(1n << (w - 1n)) : 0n;
  const max = isSigned ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  if (Number.isNaN(x)) return saturating ? int(resultType, 0) : undefined;
  if (!Number.isFinite(x)) return saturating ? int(resultType, x > 0 ? max : min) : undefined;
  const t = BigInt(Math.trunc(x));
  if (t < min || t > max) return saturating ? int(resultType, t < min ? min : max) : undefined;
  return int(resultType, t);
}
