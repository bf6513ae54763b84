// Module-level lowering: signatures and canonical ids, the function index space with
// names and exports, globals, memory, tables filled by element segments, data segments
// and the start function.

import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { lowerBinary, lowerWat, thrown, watToWasm } from './lower-support.js';

describe('functions', () => {
  const ir = lowerWat(`(module
    (type $a (func (param i32) (result i32)))
    (type $b (func))
    (type $c (func (param i32) (result i32)))
    (type $d (func (param i64) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (func $named (type $a) (local.get 0))
    (func (export "first") (export "second") (type $b))
    (func (type $d) (i32.const 0))
    (export "alias" (func $named))
    (start 2))`);

  test('signatures map Wasm types; equal types share a canonical id', () => {
    expect(ir.signatures).toHaveLength(5); // $exit's type is added by wabt
    expect(ir.signatures[3]).toEqual({ params: ['i64'], results: ['i32'] });
    expect(ir.canonicalSig[0]).toBe(0);
    expect(ir.canonicalSig[2]).toBe(0);
    expect(new Set(ir.canonicalSig).size).toBe(4);
  });

  test('imports come first, then defined functions, with names and exports', () => {
    expect(ir.functions.map((f) => [f.index, f.name, f.exports])).toEqual([
      [0, 'exit', []],
      [1, 'named', ['alias']],
      [2, 'first', ['first', 'second']],
      [3, 'f3', []],
    ]);
    expect(ir.functions[0]!.import).toEqual({ module: 'wasi_snapshot_preview1', name: 'proc_exit' });
    expect(ir.functions.map((f) => f.sigIndex)).toEqual([4, 0, 1, 3]);
    expect(ir.bodies.map((b) => [b.index, b.name])).toEqual([[1, 'named'], [2, 'first'], [3, 'f3']]);
  });

  test('start', () => {
    expect(ir.start).toBe(2);
  });
});

describe('globals, memory and data', () => {
  const ir = lowerWat(`(module
    (memory (export "memory") 2 16)
    (global $sp (mut i32) (i32.const 65536))
    (global (export "big") i64 (i64.const -9223372036854775808))
    (global f32 (f32.const 1.5))
    (data (i32.const 1024) "hello")
    (data "passive")
    (data (i32.const -1) ""))`);

  test('globals keep type, mutability, constant init and exports', () => {
    expect(ir.globals).toEqual([
      { type: 'i32', mutable: true, init: 65536, exports: [] },
      { type: 'i64', mutable: false, init: -9223372036854775808n, exports: ['big'] },
      { type: 'f32', mutable: false, init: 0x3fc00000, exports: [] },
    ]);
  });

  test('memory limits and exports', () => {
    expect(ir.memory).toEqual({ minPages: 2, maxPages: 16, exports: ['memory'] });
  });

  test('active data segments only, offsets unsigned', () => {
    expect(ir.data.map((d) => [d.offset, new TextDecoder().decode(d.bytes)])).toEqual([[1024, 'hello'], [0xffffffff, '']]);
  });

  test('no memory, no start', () => {
    const bare = lowerWat('(module)');
    expect(bare.memory).toBeUndefined();
    expect(bare.start).toBeUndefined();
  });
});

describe('tables', () => {
  test('active element segments fill the table; the rest stays null', () => {
    const ir = lowerWat(`(module
      (table $t0 4 funcref) (table $t1 2 8 funcref)
      (func $a) (func $b)
      (elem (table $t0) (i32.const 1) func $b $a)
      (elem (table $t0) (i32.const 2) func $b)
      (elem (table $t1) (i32.const 0) funcref (ref.null func) (ref.func $a))
      (elem func $a)
      (elem declare func $b))`);
    expect(ir.tables).toEqual([
      { minSize: 4, elements: [null, 1, 1, null], elemType: 'funcref', exports: [] },
      { minSize: 2, maxSize: 8, elements: [null, 0], elemType: 'funcref', exports: [] },
    ]);
    // Every segment stays addressable for table.init/elem.drop; only the passive one has items to give.
    expect(ir.elemSegments?.map((s) => s.passive)).toEqual([false, false, false, true, false]);
    expect(ir.elemSegments?.[3]?.items).toEqual([0]);
  });

  test('a table the module changes or exports lives in RAM, room to grow bounded by its maximum', () => {
    const ir = lowerWat(`(module
      (table $ro 2 funcref) (table $rw 1 3 funcref) (table (export "t") 5 externref) (table $big 1 funcref)
      (func (table.set $rw (i32.const 0) (ref.null func)) (drop (table.grow $big (ref.null func) (i32.const 1)))))`);
    expect(ir.tables.map((t) => t.capacity)).toEqual([undefined, 3, 5 + 1024, 1 + 1024]);
    expect(ir.tables[2]?.elemType).toBe('externref');
    expect(ir.tables[2]?.exports).toEqual(['t']);
  });

  test('imported memory, globals and tables keep their import; constant expressions read imported globals', () => {
    const ir = lowerWat(
      `(module
        (import "env" "memory" (memory 1 2)) (import "env" "g" (global $g i32)) (import "env" "t" (table 3 funcref))
        (global $h i32 (global.get $g)) (global $f funcref (ref.func 0))
        (func) (elem (table 0) (global.get $g) func 0))`,
      { importedGlobal: (m, n) => (m === 'env' && n === 'g' ? 7 : undefined) },
    );
    expect(ir.memory).toEqual({ minPages: 1, maxPages: 2, exports: [], import: { module: 'env', name: 'memory' } });
    expect(ir.globals[0]).toMatchObject({ type: 'i32', import: { module: 'env', name: 'g' } });
    expect(ir.globals[1]).toMatchObject({ type: 'i32', init: 7 });
    expect(ir.globals[2]).toMatchObject({ type: 'i32', init: 0, initFunc: 0 });
    expect(ir.tables[0]?.import).toEqual({ module: 'env', name: 't' });
    expect(ir.tableInits).toEqual([{ table: 0, offset: 7, items: [0] }]);
  });

  test('a segment that does not fit its table is uninstantiable', () => {
    const e = thrown(() => lowerBinary(watToWasm(`(module (table 2 funcref) (func) (elem (i32.const 1) func 0 0))`)));
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('uninstantiable');
    expect((e as UserError).detail).toMatch(/^out of bounds table access: element segment 0 \(2 elements at 1\) does not fit table 0 of 2 elements/);
  });
});
