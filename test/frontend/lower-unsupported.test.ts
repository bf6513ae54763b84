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
  test('a float instruction names itself, the function and its offset', () => {
    const wat = `(module
      (func $ok (result i32) (i32.const 0))
      (func $uses_float (param i32) (result i32)
        (drop (f32.convert_i32_s (local.get 0)))
        (local.get 0)))`;
    const e = unsupported(wat);
    const at = offsetOf(watToWasm(wat), [0x20, 0x00, 0xb2]) + 2; // local.get 0; f32.convert_i32_s
    expect(e.message.startsWith(`not supported yet: f32.convert_i32_s in function 1 at offset 0x${at.toString(16)}`)).toBe(true);
    expect(e.where).toMatchObject({ func: 1, offset: at, file: 'test.wasm' });
  });

  test('the first float source is what fails: a float constant before the f32.add', () => {
    const e = unsupported(`(module (func (drop (f32.add (f32.const 1) (f32.const 2)))))`);
    expect(e.detail).toMatch(/^f32\.const in function 0 at offset 0x[0-9a-f]+$/);
  });

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

  test('reading a float local fails; declaring one that is never read does not', () => {
    expect(unsupported('(module (func (local f32) (drop (local.get 0))))').detail).toMatch(/^local\.get \(f32\) in function 0/);
    const ir = lowerWat('(module (func (result i32) (local f64 i32) (local.set 1 (i32.const 4)) (local.get 1)))');
    expect(ir.bodies).toHaveLength(1);
  });

  test('a float global read and a float block type', () => {
    expect(unsupported('(module (global f32 (f32.const 0)) (func (drop (global.get 0))))').detail).toMatch(/^global\.get \(f32\)/);
    expect(unsupported('(module (func (block (result f64) (unreachable)) (drop)))').detail).toMatch(/^block \(f64\)/);
  });
});

describe('signatures', () => {
  test('a function with a float param or result fails, naming that function', () => {
    expect(unsupported('(module (func (param i32)) (func (param f64)))').detail).toMatch(/^f64 parameter in function 1 at offset 0x/);
    expect(unsupported('(module (func (result f32) (f32.const 0)))').detail).toMatch(/^f32 result in function 0/);
  });

  test('multi-result functions fail, and so do calls of them', () => {
    expect(unsupported('(module (func (result i32 i32) (i32.const 1) (i32.const 2)))').detail).toMatch(/^2 results in function 0/);
    const e = unsupported(`(module (import "m" "pair" (func $pair (result i32 i32)))
      (func (call $pair) (drop) (drop)))`);
    expect(e.detail).toMatch(/^call of a function with 2 results in function 1/);
  });

  test('calling an imported float function fails at the call; declaring it does not', () => {
    expect(unsupported('(module (import "m" "f" (func (param f32))) (func (call 0 (f32.const 1))))').detail).toMatch(/^f32\.const/);
    const ir = lowerWat(`(module (type (func (param f64) (result f32)))
      (import "m" "f" (func (param f32))) (func (result i32) (i32.const 1)))`);
    expect(ir.signatures[0]).toEqual({ params: ['f64'], results: ['f32'] });
    expect(ir.functions[0]!.import).toEqual({ module: 'm', name: 'f' });
  });

  test('call_indirect through a float type fails at the call', () => {
    const e = unsupported(`(module (type $t (func (param f32))) (table 1 funcref)
      (func (call_indirect (type $t) (f32.const 0) (i32.const 0))))`);
    expect(e.detail).toMatch(/^f32\.const in function 0/);
  });
});

describe('imports of other kinds', () => {
  test('imported memory, global and table name the import', () => {
    expect(unsupported('(module (import "env" "memory" (memory 1)))').detail).toMatch(/^imported memory 'env\.memory' at offset 0x/);
    expect(unsupported('(module (import "env" "g" (global i32)))').detail).toMatch(/^imported global 'env\.g'/);
    expect(unsupported('(module (import "env" "t" (table 1 funcref)))').detail).toMatch(/^imported table 'env\.t'/);
  });
});
