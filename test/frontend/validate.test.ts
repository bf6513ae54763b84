// The validator on small modules written in text (assembled by wabt without validation).
// Node's own WebAssembly engine is the second oracle: every module we reject it rejects,
// every module we accept it accepts. Our errors must point at the function and at the
// offending instruction's byte.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { watToBinary } from '../../src/frontend/load.js';
import { validateModule } from '../../src/frontend/validate.js';

async function check(text: string): Promise<{ bytes: Uint8Array; error?: UserError }> {
  const bytes = await watToBinary(text, 'test.wat');
  try {
    validateModule(decodeModule(bytes, 'test.wasm'), 'test.wasm');
    return { bytes };
  } catch (error) {
    if (error instanceof UserError) return { bytes, error };
    throw error;
  }
}

async function expectInvalid(text: string, detail: RegExp): Promise<{ bytes: Uint8Array; error: UserError }> {
  const { bytes, error } = await check(text);
  expect(WebAssembly.validate(new Uint8Array(bytes))).toBe(false);
  expect(error?.code).toBe('invalid');
  expect(error!.detail).toMatch(detail);
  return { bytes, error: error! };
}

async function expectValid(text: string): Promise<void> {
  const { bytes, error } = await check(text);
  expect(WebAssembly.validate(new Uint8Array(bytes))).toBe(true);
  expect(error).toBeUndefined();
}

describe('function bodies', () => {
  it('reports a type mismatch at the offending instruction of the right function', async () => {
    const { bytes, error } = await expectInvalid(
      `(module (func) (func (result i32) (i32.add (i32.const 1) (f32.const 2))))`,
      /type mismatch: 'i32.add' expects i32, found f32/,
    );
    expect(error.where).toMatchObject({ section: 'code', func: 1, file: 'test.wasm' });
    expect(bytes[error.where.offset!]).toBe(0x6a); // i32.add
    expect(error.message).toMatch(/section 'code', function 1, offset 0x[0-9a-f]+\) in test.wasm$/);
  });

  it.each([
    ['a missing operand', `(module (func (drop)))`, /stack is empty/],
    ['a value left over', `(module (func (i32.const 1)))`, /left on the stack/],
    ['a wrong result', `(module (func (result i64) (i32.const 1)))`, /expects i64, found i32/],
    ['an unknown label', `(module (func (br 1)))`, /unknown label 1/],
    ['an unknown local', `(module (func (local.get 3) (drop)))`, /unknown local 3/],
    ['an unknown function', `(module (func (call 7)))`, /unknown function 7/],
    ['global.set on an immutable global', `(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))`, /immutable/],
    ['an over-aligned load', `(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))`, /alignment must not be larger than natural/],
    ['a load without memory', `(module (func (drop (i32.load (i32.const 0)))))`, /unknown memory 0/],
    ['memory.size without memory', `(module (func (drop (memory.size))))`, /unknown memory 0/],
    ['br_table targets of different arity', `(module (func (block (result i32) (block (br_table 0 1 (i32.const 0) (i32.const 0)))) (drop)))`, /different arities/],
    ['an if without else whose types differ', `(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)))))`, /if without else/],
    ['select on references without a type', `(module (func (drop (select (ref.null func) (ref.null func) (i32.const 1)))))`, /numeric operands/],
    ['select with two types', `(module (func (drop (select (result i32 i32) (i32.const 0) (i32.const 0) (i32.const 0)))))`, /invalid result arity/],
    ['ref.func of an undeclared function', `(module (func $f) (func (drop (ref.func $f))))`, /undeclared function reference 0/],
    ['call_indirect through an externref table', `(module (table 1 externref) (func (call_indirect (i32.const 0))))`, /table of externref/],
    ['table.init of mismatched types', `(module (table 1 externref) (elem funcref (ref.null func)) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0))))`, /type mismatch/],
    ['a block whose inner block leaves the wrong type', `(module (func (block (result f32) (block (result i32) (unreachable) (br_table 0 1 0))) (drop)))`, /'end' expects f32, found i32/],
    ['an unknown elem segment', `(module (func (elem.drop 2)))`, /unknown elem segment 2/],
  ])('rejects %s', async (_what, text, detail) => {
    await expectInvalid(text, detail);
  });

  it.each([
    ['code after unreachable (polymorphic stack)', `(module (func (result i32) (unreachable) (i32.add) (f32.const 0) (drop)))`],
    ['br_table in unreachable code with differently typed labels', `(module (func (block (result f64) (block (result f32) (unreachable) (br_table 0 1 1 (i32.const 1))) (drop) (f64.const 0)) (drop)))`],
    ['select over unknown operands', `(module (func (result i32) (unreachable) (select)))`],
    ['multi-value blocks with parameters', `(module (func (result i32) (i32.const 1) (i32.const 2) (block (param i32 i32) (result i32) (i32.add))))`],
    ['a loop whose label takes its parameters', `(module (func (i32.const 0) (loop (param i32) (br_if 0 (i32.const 0)) (drop))))`],
    ['ref.func of a function declared in an element segment', `(module (func $f) (elem declare func $f) (func (drop (ref.func $f))))`],
    ['ref.func of an exported function', `(module (func $f (export "f")) (func (drop (ref.func $f))))`],
    ['typed select on references', `(module (func (drop (select (result externref) (ref.null extern) (ref.null extern) (i32.const 1)))))`],
    ['bulk memory with a data count', `(module (memory 1) (data "x") (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop 0)))`],
  ])('accepts %s', async (_what, text) => {
    await expectValid(text);
  });
});

describe('module level', () => {
  it.each([
    ['a memory larger than 4 GiB', `(module (memory 65537))`, /at most 65536 pages/],
    ['memory limits with min > max', `(module (memory 2 1))`, /minimum must not be greater than maximum/],
    ['table limits with min > max', `(module (table 2 1 funcref))`, /minimum must not be greater than maximum/],
    ['duplicate export names', `(module (func) (export "a" (func 0)) (export "a" (func 0)))`, /duplicate export name 'a'/],
    ['an export of an unknown global', `(module (export "g" (global 0)))`, /unknown global 0/],
    ['a start function with parameters', `(module (func (param i32)) (start 0))`, /start function 0 must have type \[\] -> \[\]/],
    ['a global initialised with the wrong type', `(module (global i32 (i64.const 0)))`, /type mismatch/],
    ['a global reading a module-defined global', `(module (global i32 (i32.const 0)) (global i32 (global.get 0)))`, /unknown global 0/],
    ['a global reading a mutable import', `(module (import "m" "g" (global (mut i32))) (global i32 (global.get 0)))`, /mutable/],
    ['a non-constant initialiser', `(module (global i32 (i32.add (i32.const 1) (i32.const 2))))`, /constant expression required/],
    ['a data segment without memory', `(module (data (i32.const 0) "x"))`, /unknown memory 0/],
    ['an element segment for an unknown table', `(module (func $f) (elem (i32.const 0) $f))`, /unknown table 0/],
    ['an element segment of the wrong type', `(module (table 1 externref) (func $f) (elem (table 0) (i32.const 0) func $f))`, /element segment of funcref for a table of externref/],
  ])('rejects %s', async (_what, text, detail) => {
    await expectInvalid(text, detail);
  });

  it('points module-level errors at the section and entry', async () => {
    const { bytes, error } = await expectInvalid(`(module (func) (export "a" (func 0)) (export "a" (func 0)))`, /duplicate/);
    expect(error.where.section).toBe('export');
    expect(bytes[error.where.offset!]).toBe(1); // the name's length byte starts the entry
  });

  it('accepts a global initialised from an imported immutable global', async () => {
    await expectValid(`(module (import "m" "g" (global i32)) (global i32 (global.get 0)) (memory 1) (data (global.get 0) "x"))`);
  });
});
