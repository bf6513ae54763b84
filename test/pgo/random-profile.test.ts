// The profile-guided passes on random functions (test/ir/random-rich-ir.ts) with random
// profiles: whatever the counts say, the rewritten function must compute the same results,
// traps and memory contents as before, and pass the verifier.

import { describe, expect, it } from 'vitest';
import type { IrFunction } from '../../src/ir/function.js';
import type { PassContext } from '../../src/ir/pass.js';
import * as pgoBlockLayout from '../../src/ir/passes/pgo-block-layout.js';
import * as pgoSwitchOrder from '../../src/ir/passes/pgo-switch-order.js';
import { sourceKeyOf } from '../../src/ir/passes/pgo-profile.js';
import { printFunction } from '../../src/ir/printer.js';
import { assertValid } from '../../src/ir/verifier.js';
import { functionProfileView } from '../../src/pgo/function-view.js';
import { interpretRich, randomRichFunction } from '../ir/random-rich-ir.js';

const INPUTS: [number, number][] = [[0, 0], [1, 2], [-1, 7], [100, -3], [0x7fffffff, 1], [40, 60], [5, 0]];
const SEEDS = 120;

/** A deterministic random profile: each block never runs (1 in 3) or up to 1000 times. */
function randomProfile(f: IrFunction, seed: number): PassContext['profile'] {
  let state = seed * 2654435761;
  const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8;
  const blocks = f.blocks.map((b) => ({ ...sourceKeyOf(b), count: next() % 3 === 0 ? 0 : next() % 1000 }));
  return functionProfileView({ index: f.index, name: f.name, bodyHash: '', calls: 100, instructions: 0, blocks, edges: [], callSites: [], indirectCalls: [] }, 50);
}

describe.each([pgoBlockLayout, pgoSwitchOrder])('$name on random functions with random profiles', (pass) => {
  it('keeps the behaviour', () => {
    let changed = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const f = randomRichFunction(seed, 2 + (seed % 8), 2 + (seed % 4));
      // distinct keys per block, as the frontend gives them
      f.blocks.forEach((b, i) => (b.srcOffset = 0x100 + i * 8));
      const before = INPUTS.map(([x, y]) => interpretRich(f, x, y, 300));
      const text = printFunction(f);
      pass.run(f, { profile: randomProfile(f, seed) });
      assertValid(f, pass.name);
      INPUTS.forEach(([x, y], i) => {
        if (before[i]!.result === 'timeout') return;
        expect(interpretRich(f, x, y, 3000), `seed ${seed}, input ${x}, ${y}\n${text}\n--- after ---\n${printFunction(f)}`).toEqual(before[i]);
      });
      if (printFunction(f) !== text) changed++;
    }
    if (pass === pgoBlockLayout) expect(changed).toBeGreaterThan(20);
  });
});
