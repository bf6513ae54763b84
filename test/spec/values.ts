// Values between a spec command and the firmware: arguments as raw 64-bit patterns for the
// C harness, results back as raw bits, compared with the spec's rules. Floats are compared
// bit for bit except for the two NaN classes of the spec (test/core/README of the spec):
//   nan:canonical   sign either way, quiet bit set, every other payload bit clear
//   nan:arithmetic  sign either way, quiet bit set, any payload

import type { WastValue } from './wast-script.js';

/** The value types whose calls the C harness can make (AAPCS: one or two core registers). */
export type ScalarType = 'i32' | 'i64' | 'f32' | 'f64';

const SCALAR_TYPES: ReadonlySet<string> = new Set(['i32', 'i64', 'f32', 'f64']);

export const isScalarType = (t: string): t is ScalarType => SCALAR_TYPES.has(t);

const REFERENCE_TYPES: ReadonlySet<string> = new Set(['externref', 'funcref']);

/**
 * The type a value of Wasm type `t` crosses the harness as: references are i32 (docs/abi.md:
 * null is 0, a funcref the address of a descriptor, an externref any nonzero word).
 */
export function harnessType(t: string): ScalarType | undefined {
  if (isScalarType(t)) return t;
  return REFERENCE_TYPES.has(t) ? 'i32' : undefined;
}

/** The spec's `ref.extern N` is the word N+1, so that no host reference is null. */
const externBits = (v: WastValue): bigint => (v.value === 'null' ? 0n : BigInt.asUintN(32, BigInt(v.value) + 1n));

export const bitWidth = (t: ScalarType): 32 | 64 => (t === 'i32' || t === 'f32' ? 32 : 64);

/** The raw bits of an argument (integers and float bits are unsigned decimal in wast2json). */
export function argumentBits(v: WastValue): bigint {
  if (v.type === 'externref') return externBits(v);
  if (v.type === 'funcref' && v.value === 'null') return 0n;
  if (!isScalarType(v.type)) throw new Error(`no raw bits for a ${v.type} argument`);
  return BigInt.asUintN(bitWidth(v.type), BigInt(v.value));
}

const F32_QUIET_NAN = 0x7fc00000n;
const F32_SIGN = 0x80000000n;
const F64_QUIET_NAN = 0x7ff8000000000000n;
const F64_SIGN = 0x8000000000000000n;

/** Does `bits` (a result of type `expected.type`) satisfy `expected`? */
export function matchesExpected(expected: WastValue, bits: bigint): boolean {
  if (REFERENCE_TYPES.has(expected.type)) {
    const got = BigInt.asUintN(32, bits);
    // `(ref.extern)` / `(ref.func)` without a value: any non-null reference.
    if (expected.value === undefined) return got !== 0n;
    if (expected.value === 'null') return got === 0n;
    return expected.type === 'externref' && got === externBits(expected);
  }
  if (!isScalarType(expected.type)) return false;
  const width = bitWidth(expected.type);
  const got = BigInt.asUintN(width, bits);
  const isFloat = expected.type === 'f32' || expected.type === 'f64';
  if (isFloat && expected.value.startsWith('nan:')) {
    const quiet = width === 32 ? F32_QUIET_NAN : F64_QUIET_NAN;
    const sign = width === 32 ? F32_SIGN : F64_SIGN;
    if (expected.value === 'nan:canonical') return (got & ~sign) === quiet;
    return (got & quiet) === quiet;
  }
  return got === BigInt.asUintN(width, BigInt(expected.value));
}

/** How a value reads in a failure message: the spec's text, plus hex bits for numbers. */
export function describeValue(v: WastValue): string {
  if (!isScalarType(v.type) || v.value === undefined || v.value.startsWith('nan:')) return `${v.type}:${v.value}`;
  return `${v.type}:0x${BigInt.asUintN(bitWidth(v.type), BigInt(v.value)).toString(16)}`;
}

export function describeBits(type: string, bits: bigint): string {
  if (!isScalarType(type)) return `${type}:0x${bits.toString(16)}`;
  return `${type}:0x${BigInt.asUintN(bitWidth(type), bits).toString(16)}`;
}
