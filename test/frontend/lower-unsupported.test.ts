// Features the lowering does not handle yet: each is a UserError 'unsupported' naming the
// instruction (or type), the function and the byte offset, raised only where the feature
// is actually used.

import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { lowerBinary, lowerWat, thrown, watToWasm } from './lower-support.js';

/** The error lowering `wat` raises, which must be an 'unsupported' UserError. */
function unsupported(wat: string): UserError {
  const e = thrown(() => lowerBinary(watToWasm(wat)));
  expect(e).toBeInstanceOf(UserError);
  expect((e as UserError).code).toBe('unsupported');
  return e as UserError;
}

/** Absolute offset of the first occurrence of the byte sequence `pattern`. */
function offsetOf(bytes: Uint8Array, pattern: number[]): number {
  for (let i = 0; i < bytes.length; i++) {
    if (pattern.every((b, k) => bytes[i + k] === b)) return i;
  }
  throw new Error('pattern not found');
}

describe('instructions', () => {
  test('memory.grow, bulk memory, table and ref instructions', () => {
    const cases: [string, string][] = [
      ['(memory 1) (func (drop (memory.grow (i32.const 1))))', 'memory.grow'],
      ['(memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)))', 'memory.fill'],
      ['(table 1 funcref) (func (result i32) (table.size 0))', 'table.size'],
      ['(func (result i32) (ref.is_null (ref.null func)))', 'ref.null'],
    ];
    for (const [fields, op] of cases) {
      expect(unsupported(`(module ${fields})`).detail).toMatch(new RegExp(`^${op.replace('.', '\\.')} in function 0 at offset 0x`));
    }
  });
});

describe('signatures', () => {
  test('multi-result functions fail, and so do calls of them', () => {
    expect(unsupported('(module (func (result i32 i32) (i32.const 1) (i32.const 2)))').detail).toMatch(/^2 results in function 0/);
    const e = unsupported(`(module (import "m" "pair" (func $pair (result i32 i32)))
      (func (call $pair) (drop) (drop)))`);
    expect(e.detail).toMatch(/^call of a function with 2 results in function 1/);
  });
});

describe('imports of other kinds', () => {
  test('imported memory, global and table name the import', () => {
    expect(unsupported('(module (import "env" "memory" (memory 1)))').detail).toMatch(/^imported memory 'env\.memory' at offset 0x/);
    expect(unsupported('(module (import "env" "g" (global i32)))').detail).toMatch(/^imported global 'env\.g'/);
    expect(unsupported('(module (import "env" "t" (table 1 funcref)))').detail).toMatch(/^imported table 'env\.t'/);
  });
});
