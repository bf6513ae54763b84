// Differential test of every optimisation pass: random functions (test/ir/random-rich-ir.ts)
// run in an independent interpreter before and after the pass, on several inputs; the
// result or trap kind and the final memory contents must not change, and the verifier must
// accept the output.

import { describe, expect, it } from 'vitest';
import type { IrFunction } from '../../src/ir/function.js';
import type { IrModule } from '../../src/ir/module.js';
import { PASS_NAMES, PIPELINE, PIPELINES, runPipeline } from '../../src/ir/pipeline.js';
import type { PassContext } from '../../src/ir/pass.js';
import { parseFunction } from '../../src/ir/parser.js';
import { printFunction } from '../../src/ir/printer.js';
import { assertValid } from '../../src/ir/verifier.js';
import { interpretRich, randomRichFunction, type Outcome } from './random-rich-ir.js';

const INPUTS: [number, number][] = [[0, 0], [1, 2], [-1, 7], [100, -3], [0x7fffffff, 1], [-0x80000000, -1], [40, 60], [5, 0]];
const SEEDS = 120;

/** Outcomes after `transform`, where the original finished (a timeout may end elsewhere). */
function checkKeepsBehaviour(seed: number, transform: (f: IrFunction) => void): { changed: boolean } {
  const f = randomRichFunction(seed, 2 + (seed % 8), 2 + (seed % 4));
  assertValid(f, 'random input');
  const finished = INPUTS.map(([x, y]) => ({ x, y, before: interpretRich(f, x, y, 300) })).filter((r) => r.before.result !== 'timeout');
  const text = printFunction(f);
  transform(f);
  assertValid(f, 'the pass');
  for (const { x, y, before } of finished) {
    const after = interpretRich(f, x, y, 3000);
    if (after.result !== before.result || after.memory !== before.memory) {
      expect(after, `seed ${seed}, input ${x}, ${y}\n${text}\n--- after ---\n${printFunction(f)}`).toEqual(before);
    }
  }
  return { changed: printFunction(f) !== text };
}

describe('optimiser passes on random functions', () => {
  // The pgo- passes need a profile: test/pgo/random-profile.test.ts runs them with random ones.
  it.each(PASS_NAMES.filter((n) => n !== 'inline' && !n.startsWith('pgo-')))('%s keeps the behaviour', (passName) => {
    const pass = PIPELINE.find((p) => p.name === passName)!;
    let changed = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      if (checkKeepsBehaviour(seed, (f) => pass.run(f, {})).changed) changed++;
    }
    expect(changed, 'the pass changed some functions').toBeGreaterThan(5);
  });

  it.each(['0', '1', '2', 's'] as const)('the -O%s pipeline keeps the behaviour', (level) => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      checkKeepsBehaviour(seed, (f) => runPipeline(f, { verify: true, dump: () => {}, optLevel: level }));
    }
    expect(PIPELINES[level].length).toBeGreaterThan(1);
  });

  it('inline keeps the behaviour of calls to random callees', () => {
    let inlined = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const callee = { ...randomRichFunction(seed + 1000, 1 + (seed % 3), 2), index: 1 };
      const module = moduleOf([callee]);
      const ctx: PassContext = { module };
      const caller = callerOf(callee);
      const plain = (f: IrFunction): Outcome[] => INPUTS.map(([x, y]) => interpretRich(f, x, y, 1000, [callee]));
      const before = plain(caller);
      runPipeline(caller, { verify: true, dump: () => {}, context: ctx });
      if (!caller.blocks.some((b) => b.insts.some((i) => i.op === 'call'))) inlined++;
      expect(plain(caller), `seed ${seed}\n${printFunction(callee)}\n${printFunction(caller)}`).toEqual(before);
    }
    expect(inlined).toBeGreaterThan(10);
  });
});

function moduleOf(bodies: IrFunction[]): IrModule {
  return {
    prefix: 'wasm', signatures: [{ params: ['i32', 'i32'], results: ['i32'] }], canonicalSig: [0],
    functions: [{ index: 0, name: 'caller', sigIndex: 0, exports: [] }, ...bodies.map((b) => ({ index: b.index, name: b.name, sigIndex: 0, exports: [] }))],
    bodies, globals: [], tables: [], data: [],
  };
}

/** f(x, y) = callee(x, y) + callee(y, x). */
function callerOf(callee: IrFunction): IrFunction {
  const text = `function f0 "caller" (i32, i32) -> i32 {
block0(v0: i32, v1: i32):  ; @0x0
    v2: i32 = call f${callee.index} v0, v1
    v3: i32 = call f${callee.index} v1, v0  ; @0x4
    v4 = iadd v2, v3
    return v4
}
`;
  return parseFunction(text);
}
