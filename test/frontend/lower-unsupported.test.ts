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

describe('constant expressions', () => {
  test('a global.get of an import whose value the build does not know names the expression', () => {
    expect(unsupported('(module (import "env" "g" (global i32)) (global i32 (global.get 0)))').detail).toMatch(/^global\.get in the initializer of global 1/);
  });
});
