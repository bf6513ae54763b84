import { describe, expect, it } from 'vitest';
import type { IrModule } from '../../src/ir/module.js';
import { parseFunction } from '../../src/ir/parser.js';
import { verifyContextFor, verifyFunction } from '../../src/ir/verifier.js';

const CALLS = `function f1 "calls" (i32) -> i32 {
block0(v0: i32):  ; @0x10
    v1: i32, v2: i64 = call f0 v0
    v3: i32 = call f0 v0, v0
    v4: f32 = call_indirect sig1 table0 v0, v0
    v5: i32 = call_indirect sig0 table3 v0
    global_set g0 v1
    global_set g1 v2
    v6 = global_get.i32 g1
    v7 = global_get.i32 g5
    v8: i32 = call f9
    return v1
}
`;

const MODULE: IrModule = {
  prefix: 'wasm',
  signatures: [{ params: ['i32'], results: ['i32', 'i64'] }, { params: ['i32'], results: ['f32'] }],
  canonicalSig: [0, 1],
  functions: [{ index: 0, name: 'callee', sigIndex: 0, exports: [] }, { index: 1, name: 'calls', sigIndex: 1, exports: [] }],
  bodies: [],
  globals: [{ type: 'i32', mutable: false, init: 0, exports: [] }, { type: 'i64', mutable: true, init: 0n, exports: [] }],
  tables: [{ minSize: 1, elements: [null] }],
  data: [],
};

describe('verifier with a module context', () => {
  it('checks calls and globals against the module', () => {
    const errors = verifyFunction(parseFunction(CALLS), verifyContextFor(MODULE));
    expect(errors).toEqual([
      'block0, inst 1 (v3: i32 = call f0 v0, v0): callee takes 1 args, given 2',
      'block0, inst 1 (v3: i32 = call f0 v0, v0): callee returns 2 values, call defines 1',
      'block0, inst 3 (v5: i32 = call_indirect sig0 table3 v0): no table3',
      'block0, inst 3 (v5: i32 = call_indirect sig0 table3 v0): callee takes 1 args, given 0',
      'block0, inst 3 (v5: i32 = call_indirect sig0 table3 v0): callee returns 2 values, call_indirect defines 1',
      'block0, inst 4 (global_set g0 v1): global_set of immutable global g0',
      'block0, inst 6 (v6 = global_get.i32 g1): global_get.i32 of g1, which is i64',
      'block0, inst 7 (v7 = global_get.i32 g5): no global g5',
      'block0, inst 8 (v8: i32 = call f9): no function f9',
    ]);
  });

  it('checks that an origin names a function of the module', () => {
    const f = parseFunction('function f1 "calls" (i32) -> i32 {\nblock0(v0: i32):  ; @0x10\n    v1 = udiv v0, v0  ; @0x4 in f0\n    v2 = udiv v1, v0  ; @0x8 in f7\n    return v2\n}\n');
    expect(verifyFunction(f, verifyContextFor(MODULE))).toEqual(['block0, inst 1 (v2 = udiv v1, v0): origin f7 is not a function of the module']);
    f.blocks[0]!.insts[0]!.origin = -1;
    expect(verifyFunction(f)).toEqual(['block0, inst 0 (v1 = udiv v0, v0): origin -1 is not a non-negative integer']);
  });

  it('skips what it cannot know without a context', () => {
    expect(verifyFunction(parseFunction(CALLS))).toEqual([]);
  });

  it('reports a function without blocks', () => {
    expect(verifyFunction({ index: 0, name: 'empty', sig: { params: [], results: [] }, blocks: [], values: [] })).toEqual(['function has no blocks']);
  });

  it('reports value table entries that point elsewhere', () => {
    const f = parseFunction('function f0 "t" (i32) {\nblock0(v0: i32):  ; @0x0\n    v1 = iadd v0, v0\n    return\n}\n');
    f.values[1] = { type: 'i32', def: { kind: 'param', block: f.blocks[0]!.id, index: 0 } };
    expect(verifyFunction(f)).toEqual(['block0, inst 0: the value table entry of v1 points at another definition']);
  });
});
