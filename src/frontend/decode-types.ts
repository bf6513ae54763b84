// Decoding of the binary format's type grammar: value types, reference types, function
// types, limits, table/memory/global types and block types. Encodings that belong to a
// proposal mcu-aot rejects (v128, typed references, GC, memory64, shared memory) are
// reported as 'unsupported-feature' with the feature's name.

import { UserError } from '../diagnostics/errors.js';
import type { BlockType, FuncType, GlobalType, Limits, RefType, TableType, ValType } from './module.js';
import type { Reader } from './reader.js';

const VALTYPES: ReadonlyMap<number, ValType> = new Map<number, ValType>([
  [0x7f, 'i32'],
  [0x7e, 'i64'],
  [0x7d, 'f32'],
  [0x7c, 'f64'],
  [0x70, 'funcref'],
  [0x6f, 'externref'],
]);

/** Type-constructor bytes of rejected proposals. */
const UNSUPPORTED_TYPES: ReadonlyMap<number, string> = new Map([
  [0x7b, 'SIMD (v128 type)'],
  [0x64, 'typed function references (ref type)'],
  [0x63, 'typed function references (ref null type)'],
  [0x6e, 'GC (anyref)'],
  [0x6d, 'GC (eqref)'],
  [0x6c, 'GC (i31ref)'],
  [0x6b, 'GC (structref)'],
  [0x6a, 'GC (arrayref)'],
  [0x71, 'GC (nullref)'],
  [0x72, 'GC (nullexternref)'],
  [0x73, 'GC (nullfuncref)'],
  [0x69, 'exception handling (exnref)'],
]);

export function unsupportedFeature(r: Reader, feature: string, offset: number): UserError {
  return new UserError('unsupported-feature', feature, r.where(offset));
}

/** Throws the right error for a byte that is not a value type. */
function badType(r: Reader, byte: number, offset: number, what: string): never {
  const feature = UNSUPPORTED_TYPES.get(byte);
  if (feature !== undefined) throw unsupportedFeature(r, `${feature} (type 0x${hex(byte)})`, offset);
  throw r.fail(`malformed ${what} 0x${hex(byte)}`, offset);
}

export function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

export function decodeValType(r: Reader): ValType {
  const offset = r.pos;
  const byte = r.u8();
  return VALTYPES.get(byte) ?? badType(r, byte, offset, 'value type');
}

export function decodeRefType(r: Reader): RefType {
  const offset = r.pos;
  const byte = r.u8();
  if (byte === 0x70) return 'funcref';
  if (byte === 0x6f) return 'externref';
  return badType(r, byte, offset, 'reference type');
}

export function decodeFuncType(r: Reader): FuncType {
  const offset = r.pos;
  const form = r.u8();
  if (form !== 0x60) {
    if (form === 0x4e || form === 0x4f || form === 0x50 || form === 0x5e || form === 0x5f) {
      throw unsupportedFeature(r, `GC (type form 0x${hex(form)})`, offset);
    }
    throw r.fail(`malformed function type: expected 0x60, found 0x${hex(form)}`, offset);
  }
  const params = r.vec(() => decodeValType(r));
  const results = r.vec(() => decodeValType(r));
  return { params, results };
}

/** Limits of a table (`isMemory` false) or a memory. */
export function decodeLimits(r: Reader, isMemory: boolean): Limits {
  const offset = r.pos;
  const flags = r.u8();
  if (isMemory && (flags === 0x02 || flags === 0x03)) {
    throw unsupportedFeature(r, `threads (shared memory, limits flags 0x${hex(flags)})`, offset);
  }
  if (isMemory && flags >= 0x04 && flags <= 0x07) {
    throw unsupportedFeature(r, `memory64 (limits flags 0x${hex(flags)})`, offset);
  }
  if (flags > 0x01) throw r.fail(`malformed limits flags 0x${hex(flags)}`, offset);
  const min = r.u32();
  if (flags === 0x00) return { min };
  const max = r.u32();
  return { min, max };
}

export function decodeTableType(r: Reader): TableType {
  const elem = decodeRefType(r);
  const limits = decodeLimits(r, false);
  return { elem, limits };
}

export function decodeGlobalType(r: Reader): GlobalType {
  const type = decodeValType(r);
  const offset = r.pos;
  const mut = r.u8();
  if (mut > 1) throw r.fail(`malformed mutability 0x${hex(mut)}`, offset);
  return { type, mutable: mut === 1 };
}

/**
 * A block type: 0x40 (no values), one value type, or a type index as a signed 33-bit
 * integer. `types` resolves a type index; for an unknown one this returns undefined and
 * the caller reports a validation error once decoding is complete.
 */
export function decodeBlockType(r: Reader, types: readonly FuncType[]): BlockType | undefined {
  const offset = r.pos;
  const byte = r.peek();
  if (byte === 0x40) {
    r.pos++;
    return { params: [], results: [] };
  }
  const single = VALTYPES.get(byte);
  if (single !== undefined) {
    r.pos++;
    return { params: [], results: [single] };
  }
  if (byte & 0x40 && byte < 0x80) {
    // A one-byte negative s33: a type constructor we do not know.
    r.pos++;
    return badType(r, byte, offset, 'block type');
  }
  const index = r.s33();
  if (index < 0) throw r.fail(`malformed block type ${index}`, offset);
  return types[index];
}
