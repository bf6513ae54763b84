import { describe, expect, it } from 'vitest';
import { buildCfg } from '../../src/ir/analysis/cfg.js';
import { computeDominators } from '../../src/ir/analysis/dominators.js';
import type { IrFunction } from '../../src/ir/function.js';
import { parseFunction } from '../../src/ir/parser.js';
import { asBlock, type BlockId } from '../../src/ir/types.js';
import { randomLoweredFunction } from './random-ir.js';

const b = asBlock;

/** The definition itself: a dominates x iff x cannot be reached from the entry without a. */
function dominatesByDefinition(f: IrFunction, a: BlockId, x: BlockId): boolean {
  const cfg = buildCfg(f);
  if (!cfg.isReachable(a) || !cfg.isReachable(x)) return false;
  if (a === x) return true;
  const seen = new Set<BlockId>([a]);
  const stack = [cfg.entry!];
  if (cfg.entry === a) return true;
  seen.add(cfg.entry!);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === x) return false;
    for (const s of cfg.successors(n)) if (!seen.has(s)) { seen.add(s); stack.push(s); }
  }
  return true;
}

// The irreducible graph of Cooper, Harvey and Kennedy's figure 4 (entry 6 = block0 here):
// every block's immediate dominator is the entry.
const IRREDUCIBLE = `function f0 "chk" (i32) {
block0(v0: i32):
    brif v0, block5, block4
block5:
    jump block1
block4:
    brif v0, block2, block3
block1:
    jump block2
block2:
    brif v0, block1, block3
block3:
    brif v0, block2, block9
block9:
    return
block7:
    jump block2
}
`;

describe('CFG', () => {
  it('finds successors, predecessors, reverse postorder and reachability', () => {
    const cfg = buildCfg(parseFunction(IRREDUCIBLE));
    expect(cfg.entry).toBe(b(0));
    expect(cfg.successors(b(2))).toEqual([b(1), b(3)]);
    expect(cfg.predecessors(b(2))).toEqual([b(4), b(1), b(3), b(7)]);
    expect(cfg.isReachable(b(7))).toBe(false);
    expect(cfg.reversePostorder).not.toContain(b(7));
    const rpo = cfg.reversePostorder;
    expect(rpo[0]).toBe(b(0));
    expect(new Set(rpo).size).toBe(7);
    // Every forward edge goes later in reverse postorder; back edges go to a dominator.
    expect(rpo.indexOf(b(4))).toBeLessThan(rpo.indexOf(b(3)));
  });

  it('merges repeated targets into one edge', () => {
    const f = parseFunction('function f0 "t" (i32) {\nblock0(v0: i32):\n    br_table v0, block1, block1, block2\nblock1:\n    return\nblock2:\n    return\n}\n');
    const cfg = buildCfg(f);
    expect(cfg.successors(b(0))).toEqual([b(1), b(2)]);
    expect(cfg.predecessors(b(1))).toEqual([b(0)]);
  });
});

describe('dominator tree', () => {
  it('gives every block of the irreducible example the entry as idom', () => {
    const dom = computeDominators(parseFunction(IRREDUCIBLE));
    for (const x of [5, 4, 1, 2, 3]) expect(dom.idom(b(x)), `block${x}`).toBe(b(0));
    expect(dom.idom(b(9))).toBe(b(3));
    expect(dom.idom(b(0))).toBeUndefined();
    expect(dom.idom(b(7))).toBeUndefined();
    expect(dom.dominates(b(7), b(7))).toBe(false);
    expect(dom.children(b(0))).toHaveLength(5);
  });

  it('agrees with the definition of dominance on random CFGs', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const f = randomLoweredFunction(seed, 2 + (seed % 12), 1);
      const dom = computeDominators(f);
      for (const x of f.blocks) {
        for (const y of f.blocks) {
          expect(dom.dominates(x.id, y.id), `seed ${seed}: block${x.id} dom block${y.id}`).toBe(dominatesByDefinition(f, x.id, y.id));
        }
      }
    }
  });
});
