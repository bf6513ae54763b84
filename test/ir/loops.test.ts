import { describe, expect, it } from 'vitest';
import { buildCfg } from '../../src/ir/analysis/cfg.js';
import { computeDominators } from '../../src/ir/analysis/dominators.js';
import { computeLoops } from '../../src/ir/analysis/loops.js';
import { parseFunction } from '../../src/ir/parser.js';
import { asBlock } from '../../src/ir/types.js';
import { randomLoweredFunction } from './random-ir.js';

const b = asBlock;

// block1 is the outer loop's header (latch block4), block2 the inner one's (latch block3);
// block5 leaves both; block6 is unreachable and jumps into the inner loop.
const NESTED = `function f0 "nested" (i32) {
block0(v0: i32):
    jump block1
block1:
    brif v0, block2, block5
block2:
    brif v0, block3, block4
block3:
    jump block2
block4:
    jump block1
block5:
    return
block6:
    jump block3
}
`;

describe('natural loops', () => {
  it('finds nested loops, their blocks, latches and depths, inner loops first', () => {
    const info = computeLoops(parseFunction(NESTED));
    expect(info.loops.map((l) => l.header)).toEqual([b(2), b(1)]);
    const [inner, outer] = info.loops;
    expect([...inner!.blocks].sort()).toEqual([b(2), b(3)]);
    expect([...outer!.blocks].sort()).toEqual([b(1), b(2), b(3), b(4)]);
    expect(inner!.latches).toEqual([b(3)]);
    expect(inner!.parent).toBe(outer);
    expect(outer!.parent).toBeUndefined();
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => info.depth(b(n)))).toEqual([0, 1, 2, 2, 1, 0, 0]);
    expect(info.innermost(b(3))).toBe(inner);
  });

  it('on random functions: every loop block is dominated by its header and reaches a latch inside the loop', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const f = randomLoweredFunction(seed, 3 + (seed % 9), 2);
      const cfg = buildCfg(f);
      const dom = computeDominators(f, cfg);
      for (const loop of computeLoops(f, cfg, dom).loops) {
        for (const latch of loop.latches) expect(cfg.successors(latch)).toContain(loop.header);
        for (const block of loop.blocks) {
          expect(dom.dominates(loop.header, block)).toBe(true);
          // Walk forward inside the loop: the header is reachable again.
          const seen = new Set([block]);
          const work = [block];
          let back = false;
          while (work.length > 0) {
            for (const s of cfg.successors(work.pop()!)) {
              if (s === loop.header) back = true;
              else if (loop.blocks.has(s) && !seen.has(s)) { seen.add(s); work.push(s); }
            }
          }
          expect(back, `seed ${seed}, block${block} in the loop of block${loop.header}`).toBe(true);
        }
      }
    }
  });
});
