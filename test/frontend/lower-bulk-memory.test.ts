// Lowering of memory.grow, the bulk memory instructions and multi-value signatures: one IR
// instruction each, with the segment index carried as `index`; the module lists every data
// segment for memory.init (passive bytes, null for active ones).

import { describe, expect, test } from 'vitest';
import { allInsts, body, expectVerified, lowerWat } from './lower-support.js';

describe('bulk memory', () => {
  test('memory.grow and the bulk operations become single IR instructions', () => {
    const ir = lowerWat(`(module (memory 1)
      (data $p "abc") (data (i32.const 8) "xy")
      (func (export "f") (result i32)
        (memory.copy (i32.const 1) (i32.const 2) (i32.const 3))
        (memory.fill (i32.const 4) (i32.const 5) (i32.const 6))
        (memory.init $p (i32.const 7) (i32.const 0) (i32.const 2))
        (data.drop $p)
        (memory.grow (i32.const 1))))`);
    expectVerified(ir);
    const insts = allInsts(body(ir, 'f')).filter((i) => i.op !== 'iconst');
    expect(insts.map((i) => i.op)).toEqual(['memory_copy', 'memory_fill', 'memory_init', 'data_drop', 'memory_grow', 'return']);
    expect(insts.map((i) => i.args.length)).toEqual([3, 3, 3, 0, 1, 1]);
    expect(insts[2]!.index).toBe(0);
    expect(insts[3]!.index).toBe(0);
    expect(ir.dataSegments).toEqual([new TextEncoder().encode('abc'), null]);
    expect(ir.data).toHaveLength(1);
  });
});

describe('multi-value', () => {
  test('functions with several results, and calls of them, lower and verify', () => {
    const ir = lowerWat(`(module
      (type $pair (func (result i32 i64)))
      (table funcref (elem $two))
      (func $two (type $pair) (i32.const 1) (i64.const 2))
      (func (export "g") (result i64 i32)
        (call $two) (drop) (drop)
        (call_indirect (type $pair) (i32.const 0))
        (drop) (i64.extend_i32_u) (i32.const 3)))`);
    expectVerified(ir);
    const calls = allInsts(body(ir, 'g')).filter((i) => i.op === 'call' || i.op === 'call_indirect');
    expect(calls.map((c) => c.results.length)).toEqual([2, 2]);
    expect(allInsts(body(ir, 'g')).find((i) => i.op === 'return')!.args).toHaveLength(2);
  });
});
