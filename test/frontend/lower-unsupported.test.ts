// Features the lowering does not handle yet: each is a UserError 'unsupported' naming the
// instruction (or type), the function and the byte offset, raised only where the feature
// is actually used.

import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { lowerBinary, thrown, watToWasm } from './lower-support.js';

/** The error lowering `wat` raises, which must be an 'unsupported' UserError. */
function unsupported(wat: string): UserError {
  const e = thrown(() => lowerBinary(watToWasm(wat)));
  expect(e).toBeInstanceOf(UserError);
  expect((e as UserError).code).toBe('unsupported');
  return e as UserError;
}

describe('instructions', () => {
  test('memory.grow, bulk memory, table and ref instructions', () => {
    const cases: [string, string][] = [
      ['(memory 1) (func (drop (memory.grow (i32.const 1))))', 'memory.grow'],
      ['(memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)))', 'memory.fill'],
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

describe('constant expressions', () => {
  test('a global.get of an import whose value the build does not know names the expression', () => {
    expect(unsupported('(module (import "env" "g" (global i32)) (global i32 (global.get 0)))').detail).toMatch(/^global\.get in the initializer of global 1/);
  });
});
