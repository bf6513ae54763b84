// Lowering of non-control instructions: every integer operator, loads and stores with
// their widths and signs, locals, globals, select, and calls. Every function also passes
// the IR verifier (with the module context, so call and global types are checked too).

import { describe, expect, test } from 'vitest';
import type { Inst } from '../../src/ir/function.js';
import { allInsts, body, lowerWat, ops } from './lower-support.js';

/** The one instruction of `op` in the function, which must exist. */
function only(insts: Inst[], op: string): Inst {
  const found = insts.filter((i) => i.op === op);
  expect(found, op).toHaveLength(1);
  return found[0]!;
}

describe('integer operators', () => {
  const binary: [string, string][] = [
    ['add', 'iadd'], ['sub', 'isub'], ['mul', 'imul'], ['div_s', 'sdiv'], ['div_u', 'udiv'],
    ['rem_s', 'srem'], ['rem_u', 'urem'], ['and', 'band'], ['or', 'bor'], ['xor', 'bxor'],
    ['shl', 'shl'], ['shr_s', 'sshr'], ['shr_u', 'ushr'], ['rotl', 'rotl'], ['rotr', 'rotr'],
  ];
  const compare: [string, string][] = [
    ['eq', 'eq'], ['ne', 'ne'], ['lt_s', 'slt'], ['lt_u', 'ult'], ['gt_s', 'sgt'], ['gt_u', 'ugt'],
    ['le_s', 'sle'], ['le_u', 'ule'], ['ge_s', 'sge'], ['ge_u', 'uge'],
  ];
  const unary: [string, string][] = [['clz', 'clz'], ['ctz', 'ctz'], ['popcnt', 'popcnt']];

  for (const t of ['i32', 'i64'] as const) {
    const funcs = [
      ...binary.map(([w]) => `(func $${w} (param ${t} ${t}) (result ${t}) (${t}.${w} (local.get 0) (local.get 1)))`),
      ...compare.map(([w]) => `(func $${w} (param ${t} ${t}) (result i32) (${t}.${w} (local.get 0) (local.get 1)))`),
      ...unary.map(([w]) => `(func $${w} (param ${t}) (result ${t}) (${t}.${w} (local.get 0)))`),
      `(func $eqz (param ${t}) (result i32) (${t}.eqz (local.get 0)))`,
      `(func $const (result ${t}) (${t}.const -5))`,
    ];
    const ir = lowerWat(`(module ${funcs.join('\n')})`);

    test(`${t} binary operators map to their IR opcode on the params, in order`, () => {
      for (const [wasm, irOp] of binary) {
        const f = body(ir, wasm);
        const inst = only(allInsts(f), irOp);
        expect(inst.args).toEqual(f.blocks[0]!.params);
        expect(f.values[inst.results[0]!]!.type).toBe(t);
      }
    });

    test(`${t} comparisons are icmp with the right condition and an i32 result`, () => {
      for (const [wasm, cc] of compare) {
        const inst = only(allInsts(body(ir, wasm)), 'icmp');
        expect(inst.cc).toBe(cc);
      }
      const eqz = only(allInsts(body(ir, 'eqz')), 'icmp');
      expect(eqz.cc).toBe('eq');
    });

    test(`${t} bit counts and constants`, () => {
      for (const [wasm, irOp] of unary) only(allInsts(body(ir, wasm)), irOp);
      expect(only(allInsts(body(ir, 'const')), 'iconst').imm).toBe(t === 'i64' ? -5n : -5);
    });
  }

  test('conversions and sign extensions', () => {
    const ir = lowerWat(`(module
      (func $wrap (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
      (func $sext (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
      (func $uext (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
      (func $e8 (param i32) (result i32) (i32.extend8_s (local.get 0)))
      (func $e16 (param i32) (result i32) (i32.extend16_s (local.get 0)))
      (func $e64_32 (param i64) (result i64) (i64.extend32_s (local.get 0))))`);
    expect(ops(body(ir, 'wrap'))).toEqual(['ireduce', 'return']);
    expect(ops(body(ir, 'sext'))).toEqual(['sextend', 'return']);
    expect(ops(body(ir, 'uext'))).toEqual(['uextend', 'return']);
    expect(only(allInsts(body(ir, 'e8')), 'sextend_low').imm).toBe(8);
    expect(only(allInsts(body(ir, 'e16')), 'sextend_low').imm).toBe(16);
    expect(only(allInsts(body(ir, 'e64_32')), 'sextend_low').imm).toBe(32);
  });
});

describe('memory', () => {
  const ir = lowerWat(`(module (memory 1 2)
    (func $loads (param $p i32) (result i64)
      (drop (i32.load offset=4 (local.get $p)))
      (drop (i32.load8_s (local.get $p)))
      (drop (i32.load16_u offset=65536 (local.get $p)))
      (drop (i64.load32_s (local.get $p)))
      (i64.load8_u (local.get $p)))
    (func $stores (param $p i32) (param $v i64)
      (i32.store offset=8 (local.get $p) (i32.const 7))
      (i32.store8 (local.get $p) (i32.const 1))
      (i64.store16 (local.get $p) (local.get $v))
      (i64.store (local.get $p) (local.get $v)))
    (func $size (result i32) (memory.size)))`);

  test('loads carry offset, width and sign, and their result type', () => {
    const f = body(ir, 'loads');
    const loads = allInsts(f).filter((i) => i.op === 'load');
    expect(loads.map((l) => [l.type, l.mem])).toEqual([
      ['i32', { offset: 4, bytes: 4, signed: false }],
      ['i32', { offset: 0, bytes: 1, signed: true }],
      ['i32', { offset: 65536, bytes: 2, signed: false }],
      ['i64', { offset: 0, bytes: 4, signed: true }],
      ['i64', { offset: 0, bytes: 1, signed: false }],
    ]);
    expect(loads.every((l) => l.args[0] === f.blocks[0]!.params[0])).toBe(true);
  });

  test('stores take (address, value) and the store width', () => {
    const f = body(ir, 'stores');
    const stores = allInsts(f).filter((i) => i.op === 'store');
    expect(stores.map((s) => s.mem!.bytes)).toEqual([4, 1, 2, 8]);
    expect(stores[0]!.mem!.offset).toBe(8);
    expect(stores[3]!.args).toEqual(f.blocks[0]!.params);
  });

  test('memory.size', () => {
    expect(ops(body(ir, 'size'))).toEqual(['memory_size', 'return']);
  });
});

describe('variables and parametric instructions', () => {
  const ir = lowerWat(`(module
    (global $g (mut i64) (i64.const 1))
    (global $k i32 (i32.const 3))
    (func $locals (param i32) (result i32) (local i32 i64)
      (local.set 1 (local.get 0))
      (local.tee 0 (i32.add (local.get 1) (local.get 0)))
      (drop (local.get 2)))
    (func $globals (result i32)
      (global.set $g (i64.add (global.get $g) (i64.const 1)))
      (global.get $k))
    (func $select (param i32 i64 i64) (result i64)
      (select (local.get 1) (local.get 2) (local.get 0)))
    (func $typed (param i32 i32 i32) (result i32)
      (select (result i32) (local.get 1) (local.get 2) (local.get 0))))`);

  test('locals are values: no IR for local.get/set/tee, declared locals start at zero', () => {
    const f = body(ir, 'locals');
    expect(ops(f)).toEqual(['iconst', 'iconst', 'iadd', 'return']);
    const [zero32, zero64] = allInsts(f);
    expect([zero32!.type, zero32!.imm, zero64!.type, zero64!.imm]).toEqual(['i32', 0, 'i64', 0n]);
    const add = only(allInsts(f), 'iadd');
    expect(add.args).toEqual([f.blocks[0]!.params[0], f.blocks[0]!.params[0]]);
  });

  test('globals keep their index and type', () => {
    const f = body(ir, 'globals');
    const gets = allInsts(f).filter((i) => i.op === 'global_get');
    expect(gets.map((g) => [g.index, g.type])).toEqual([[0, 'i64'], [1, 'i32']]);
    expect(only(allInsts(f), 'global_set').index).toBe(0);
  });

  test('select puts the condition first', () => {
    for (const name of ['select', 'typed']) {
      const f = body(ir, name);
      const [c, a, b] = f.blocks[0]!.params;
      expect(only(allInsts(f), 'select').args).toEqual([c, a, b]);
    }
  });
});

describe('calls', () => {
  const ir = lowerWat(`(module
    (type $binop (func (param i32 i32) (result i32)))
    (type $same (func (param i32 i32) (result i32)))
    (import "env" "log" (func $log (param i64)))
    (table 2 funcref)
    (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
    (func $caller (param i32) (result i32)
      (call $log (i64.const 9))
      (call_indirect (type $same) (call $add (i32.const 1) (i32.const 2)) (i32.const 3) (local.get 0))))`);

  test('call names the callee and takes its args in order', () => {
    const f = body(ir, 'caller');
    const calls = allInsts(f).filter((i) => i.op === 'call');
    expect(calls.map((c) => c.index)).toEqual([0, 1]);
    expect(calls[0]!.results).toEqual([]);
    expect(calls[1]!.results).toHaveLength(1);
  });

  test('call_indirect takes args then the element index, with type and table', () => {
    const f = body(ir, 'caller');
    const ci = only(allInsts(f), 'call_indirect');
    expect(ci.index).toBe(1);
    expect(ci.table).toBe(0);
    expect(ci.args).toHaveLength(3);
    expect(ci.args[2]).toBe(f.blocks[0]!.params[0]);
    expect(ir.canonicalSig[1]).toBe(ir.canonicalSig[0]);
  });
});
