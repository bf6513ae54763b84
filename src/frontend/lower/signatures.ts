// Wasm types in IR terms: which Wasm value types the lowering handles today, the IR
// signature of each type-section entry, and the canonical signature ids that make
// structurally equal types interchangeable for call_indirect.

import type { Signature } from '../../ir/function.js';
import type { Type } from '../../ir/types.js';
import type { FuncType, ValType } from '../module.js';

/** The integer types the lowering supports; anything else (floats, references) is not yet. */
export type IntType = 'i32' | 'i64';

export function asIntType(t: ValType): IntType | undefined {
  if (t === 'funcref' || t === 'externref') return 'i32'; // a reference is an i32 (docs/abi.md)
  return t === 'i32' || t === 'i64' ? t : undefined;
}

/** The value types the lowering supports (numbers: integers and floats), as IR types. */
export function asIrType(t: ValType): Type | undefined {
  if (t === 'funcref' || t === 'externref') return 'i32'; // a reference is an i32 (docs/abi.md)
  return t === 'i32' || t === 'i64' || t === 'f32' || t === 'f64' ? t : undefined;
}

/** The first value type in `types` that the lowering cannot handle yet, if any. */
export function firstUnsupported(types: readonly ValType[]): ValType | undefined {
  return types.find((t) => asIrType(t) === undefined);
}

/**
 * The IR signature of a type-section entry. Floats map to the IR's float types (an unused
 * float signature must not fail the build). A reference type has no IR type yet: it maps
 * to i32, the width of a table slot on this target. That keeps the type index space whole;
 * every function or call that actually uses such a type is rejected as unsupported.
 */
export function irSignature(t: FuncType): Signature {
  return { params: t.params.map(irTypeOf), results: t.results.map(irTypeOf) };
}

function irTypeOf(t: ValType): Type {
  return t === 'funcref' || t === 'externref' ? 'i32' : t;
}

/**
 * Canonical signature id per type index: the index of the first type that is structurally
 * equal (same Wasm params and results). Wasm's call_indirect compares types structurally,
 * so the runtime check compares these ids.
 */
export function canonicalSignatures(types: readonly FuncType[]): number[] {
  const firstByShape = new Map<string, number>();
  return types.map((t, index) => {
    const shape = `${t.params.join(',')}->${t.results.join(',')}`;
    const existing = firstByShape.get(shape);
    if (existing !== undefined) return existing;
    firstByShape.set(shape, index);
    return index;
  });
}
