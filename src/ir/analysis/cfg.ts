// Control-flow graph of one function: successors, predecessors and a reverse postorder of
// the blocks reachable from the entry. An analysis: it reads the function and changes
// nothing. Any pass that adds, removes or retargets a branch makes a computed Cfg stale.

import { successors, type IrFunction } from '../function.js';
import type { BlockId } from '../types.js';

export interface Cfg {
  /** The entry block (blocks[0]), undefined for a function without blocks. */
  readonly entry: BlockId | undefined;
  /** Distinct successors in the order the terminator first names them. Targets that name a
   *  block the function does not have are left out (the verifier reports them). */
  successors(block: BlockId): readonly BlockId[];
  /** Distinct predecessors in layout order. */
  predecessors(block: BlockId): readonly BlockId[];
  /** Blocks reachable from the entry, each before its successors except along back edges. */
  readonly reversePostorder: readonly BlockId[];
  isReachable(block: BlockId): boolean;
}

export function buildCfg(f: IrFunction): Cfg {
  const known = new Set(f.blocks.map((b) => b.id));
  const succs = new Map<BlockId, BlockId[]>();
  const preds = new Map<BlockId, BlockId[]>();
  for (const b of f.blocks) preds.set(b.id, []);
  for (const b of f.blocks) {
    const distinct = [...new Set(successors(b))].filter((s) => known.has(s));
    succs.set(b.id, distinct);
    for (const s of distinct) preds.get(s)!.push(b.id);
  }
  const entry = f.blocks[0]?.id;
  const reversePostorder = entry === undefined ? [] : postorder(entry, succs).reverse();
  const reachable = new Set(reversePostorder);
  return {
    entry,
    successors: (b) => succs.get(b) ?? [],
    predecessors: (b) => preds.get(b) ?? [],
    reversePostorder,
    isReachable: (b) => reachable.has(b),
  };
}

/** Iterative depth-first postorder (functions can nest thousands of blocks deep). */
function postorder(entry: BlockId, succs: ReadonlyMap<BlockId, readonly BlockId[]>): BlockId[] {
  const order: BlockId[] = [];
  const visited = new Set<BlockId>([entry]);
  const stack: { block: BlockId; next: number }[] = [{ block: entry, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const out = succs.get(top.block) ?? [];
    if (top.next < out.length) {
      const s = out[top.next++]!;
      if (!visited.has(s)) {
        visited.add(s);
        stack.push({ block: s, next: 0 });
      }
    } else {
      order.push(top.block);
      stack.pop();
    }
  }
  return order;
}
