// Lowering of float instructions: each Wasm f32/f64 instruction becomes its one IR
// instruction with the right condition and stated type, constants keep their exact bits
// (NaN payloads, -0), floats flow through locals, globals, blocks and calls, and the
// result verifies.

import { describe, expect, test } from 'vitest';
import type { Inst } from '../../src/ir/function.js';
import type { IrModule } from '../../src/ir/module.js';
import { printFunction } from '../../src/ir/printer.js';
import { verifyContextFor, verifyFunction } from '../../src/ir/verifier.js';
import { lowerWat } from './lower-support.js';

function insts(m: IrModule): Inst[] {
  return m.bodies.flatMap((f) => f.blocks.flatMap((b) => b.insts));
}

function expectValid(m: IrModule): void {
  for (const f of m.bodies) expect(verifyFunction(f, verifyContextFor(m)), printFunction(f)).toEqual([]);
}

/** The single non-return instruction `(func (param ...) (result ...) body)` lowers to. */
function loweredOp(params: string, result: string, body: string): Inst {
  const m = lowerWat(`(module (func (param ${params}) (result ${result}) ${body}))`);
  expectValid(m);
  const ops = insts(m).filter((i) => i.op !== 'return');
  expect(ops, body).toHaveLength(1);
  return ops[0]!;
}

describe('float instructions', () => {
  test.each(['f32', 'f64'])('%s arithmetic, sign, rounding and sqrt map one to one', (t) => {
    const binary = { add: 'fadd', sub: 'fsub', mul: 'fmul', div: 'fdiv', min: 'fmin', max: 'fmax', copysign: 'fcopysign' };
    for (const [name, op] of Object.entries(binary)) {
      expect(loweredOp(`${t} ${t}`, t, `(${t}.${name} (local.get 0) (local.get 1))`).op).toBe(op);
    }
    const unary = { abs: 'fabs', neg: 'fneg', sqrt: 'fsqrt', ceil: 'fceil', floor: 'ffloor', trunc: 'ftrunc', nearest: 'fnearest' };
    for (const [name, op] of Object.entries(unary)) expect(loweredOp(t, t, `(${t}.${name} (local.get 0))`).op).toBe(op);
  });

  test.each(['f32', 'f64'])('%s comparisons are fcmp with the float condition', (t) => {
    for (const cc of ['eq', 'ne', 'lt', 'le', 'gt', 'ge']) {
      const inst = loweredOp(`${t} ${t}`, 'i32', `(${t}.${cc} (local.get 0) (local.get 1))`);
      expect([inst.op, inst.fcc, inst.cc]).toEqual(['fcmp', cc, undefined]);
    }
  });

  test('conversions state their target type', () => {
    const cases: [string, string, string, string, string][] = [
      ['f32', 'i32', 'i32.trunc_f32_s', 'fcvt_to_sint', 'i32'],
      ['f64', 'i32', 'i32.trunc_f64_u', 'fcvt_to_uint', 'i32'],
      ['f32', 'i64', 'i64.trunc_sat_f32_s', 'fcvt_to_sint_sat', 'i64'],
      ['f64', 'i64', 'i64.trunc_sat_f64_u', 'fcvt_to_uint_sat', 'i64'],
      ['i32', 'f64', 'f64.convert_i32_u', 'fcvt_from_uint', 'f64'],
      ['i64', 'f32', 'f32.convert_i64_s', 'fcvt_from_sint', 'f32'],
      ['f32', 'f64', 'f64.promote_f32', 'fpromote', 'f64'],
      ['f64', 'f32', 'f32.demote_f64', 'fdemote', 'f32'],
      ['f32', 'i32', 'i32.reinterpret_f32', 'bitcast', 'i32'],
      ['i64', 'f64', 'f64.reinterpret_i64', 'bitcast', 'f64'],
    ];
    for (const [from, to, mnemonic, op, type] of cases) {
      const inst = loweredOp(from, to, `(${mnemonic} (local.get 0))`);
      expect([inst.op, inst.type], mnemonic).toEqual([op, type]);
    }
  });

  test('constants keep their bits: NaN payloads and negative zero', () => {
    const m = lowerWat(`(module
      (func (result f32) (f32.add (f32.const -nan:0x200001) (f32.const -0)))
      (func (result f64) (f64.add (f64.const nan:0x4000000000001) (f64.const -0))))`);
    expectValid(m);
    const consts = insts(m).filter((i) => i.op === 'fconst').map((i) => [i.type, i.imm]);
    expect(consts).toEqual([
      ['f32', 0xffa00001 | 0], ['f32', 0x80000000 | 0],
      ['f64', 0x7ff4000000000001n], ['f64', -0x8000000000000000n],
    ]);
  });

  test('floats flow through locals (starting at +0), globals, block params, select, memory and calls', () => {
    const m = lowerWat(`(module (memory 1) (global $g (mut f64) (f64.const 1.5))
      (func $id (param f32) (result f32) (local.get 0))
      (func (param $c i32) (result f64) (local $x f32) (local $y f64)
        (f32.store (i32.const 8) (call $id (local.get $x)))
        (global.set $g (f64.load (i32.const 16)))
        (f64.const 2)
        (block (param f64) (result f64) (f64.add (local.get $y)))
        (select (global.get $g) (local.get $c))))`);
    expectValid(m);
    const body = m.bodies[1]!;
    expect(body.blocks[0]!.insts.filter((i) => i.op === 'fconst').map((i) => [i.type, i.imm])).toContainEqual(['f32', 0]);
    const ops = new Set(insts(m).map((i) => i.op));
    for (const op of ['call', 'store', 'load', 'global_set', 'global_get', 'fadd', 'select']) expect(ops).toContain(op);
  });
});
