// Dominator tree of the reachable blocks, by the iterative algorithm of Cooper, Harvey and
// Kennedy ("A Simple, Fast Dominance Algorithm", 2001): intersect the predecessors'
// dominators in reverse postorder until nothing changes. An analysis: it changes nothing,
// and becomes stale when a pass changes the CFG (see cfg.ts).

import type { IrFunction } from '../function.js';
import type { BlockId } from '../types.js';
import { buildCfg, type Cfg } from './cfg.js';

export interface DominatorTree {
  /** Immediate dominator; undefined for the entry and for unreachable blocks. */
  idom(block: BlockId): BlockId | undefined;
  /** Blocks whose immediate dominator is `block`, in reverse postorder. */
  children(block: BlockId): readonly BlockId[];
  /** Whether every path from the entry to `b` passes through `a` (reflexive). False when
   *  either block is unreachable: dominance means nothing there. */
  dominates(a: BlockId, b: BlockId): boolean;
}

export function computeDominators(f: IrFunction, cfg: Cfg = buildCfg(f)): DominatorTree {
  const rpo = cfg.reversePostorder;
  const rpoIndex = new Map(rpo.map((b, i) => [b, i]));
  const idom = immediateDominators(cfg, rpoIndex);
  const children = new Map<BlockId, BlockId[]>(rpo.map((b) => [b, []]));
  for (const b of rpo.slice(1)) children.get(idom.get(b)!)!.push(b);
  const interval = treeIntervals(rpo[0], children);
  return {
    idom: (b) => (b === rpo[0] ? undefined : idom.get(b)),
    children: (b) => children.get(b) ?? [],
    dominates: (a, b) => {
      const outer = interval.get(a);
      const inner = interval.get(b);
      return outer !== undefined && inner !== undefined && outer.enter <= inner.enter && inner.exit <= outer.exit;
    },
  };
}

function immediateDominators(cfg: Cfg, rpoIndex: ReadonlyMap<BlockId, number>): Map<BlockId, BlockId> {
  const rpo = cfg.reversePostorder;
  const idom = new Map<BlockId, BlockId>();
  if (rpo.length === 0) return idom;
  idom.set(rpo[0]!, rpo[0]!);
  const intersect = (a: BlockId, b: BlockId): BlockId => {
    while (a !== b) {
      while (rpoIndex.get(a)! > rpoIndex.get(b)!) a = idom.get(a)!;
      while (rpoIndex.get(b)! > rpoIndex.get(a)!) b = idom.get(b)!;
    }
    return a;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const b of rpo.slice(1)) {
      // Predecessors not yet processed (or unreachable) have no idom yet: skip them.
      const processed = cfg.predecessors(b).filter((p) => idom.has(p));
      const candidate = processed.slice(1).reduce(intersect, processed[0]!);
      if (idom.get(b) !== candidate) {
        idom.set(b, candidate);
        changed = true;
      }
    }
  }
  return idom;
}

/** Enter/exit numbers of a depth-first walk of the tree: a dominates b iff a's interval
 *  contains b's, which answers `dominates` in constant time. */
function treeIntervals(
  root: BlockId | undefined,
  children: ReadonlyMap<BlockId, readonly BlockId[]>,
): Map<BlockId, { enter: number; exit: number }> {
  const intervals = new Map<BlockId, { enter: number; exit: number }>();
  if (root === undefined) return intervals;
  let clock = 0;
  const stack: { block: BlockId; next: number }[] = [{ block: root, next: 0 }];
  intervals.set(root, { enter: clock++, exit: -1 });
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const kids = children.get(top.block) ?? [];
    if (top.next < kids.length) {
      const child = kids[top.next++]!;
      intervals.set(child, { enter: clock++, exit: -1 });
      stack.push({ block: child, next: 0 });
    } else {
      intervals.get(top.block)!.exit = clock++;
      stack.pop();
    }
  }
  return intervals;
}
