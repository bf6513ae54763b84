// Copy coalescing before colouring (Briggs' conservative test): the two virtual registers
// of a copy that do not interfere become one node, so both get the same register and the
// copy vanishes. Block arguments are parallel copies on every edge, so without this a loop
// pays a `mov` per loop-carried value per iteration whenever biased colouring happens to
// pick differently.
//
// Conservative: a merge happens only when the merged node has fewer than K neighbours of
// significant degree (>= K) (Briggs), or when every significant neighbour of one node
// already interferes with the other (George), so the merged node stays colourable
// whenever its parts were; coalescing never causes a spill. Physical registers are never merged (biased colour choice in
// regalloc.ts handles copies to and from argument registers).

import { isVirtual, type Reg } from './mir.js';
import type { InterferenceGraph } from './interference.js';

export interface CoalescedGraph extends InterferenceGraph {
  /** The node each virtual register was merged into (itself when it was not merged). */
  readonly representative: ReadonlyMap<Reg, Reg>;
}

/**
 * Merge the copies of `graph` (heaviest first) that pass the conservative test. Nodes in
 * `unspillable` are merged only with each other (a spill temporary must stay short-lived).
 */
export function coalesceCopies(graph: InterferenceGraph, k: number, unspillable: ReadonlySet<Reg>): CoalescedGraph {
  const adjacency = new Map<Reg, Set<Reg>>();
  for (const [r, adj] of graph.adjacency) adjacency.set(r, new Set(adj));
  const moves = new Map<Reg, Set<Reg>>();
  for (const [r, m] of graph.moves) moves.set(r, new Set(m));
  const cost = new Map(graph.cost);
  const representative = new Map<Reg, Reg>();
  const find = (r: Reg): Reg => {
    let current = r;
    for (let next = representative.get(current); next !== undefined && next !== current; next = representative.get(current)) current = next;
    return current;
  };
  const significant = (n: Reg): boolean => !isVirtual(n) || (adjacency.get(n)?.size ?? 0) >= k;

  for (const copy of [...graph.copies].sort((x, y) => y.weight - x.weight)) {
    const a = find(copy.a);
    const b = find(copy.b);
    if (a === b || !isVirtual(a) || !isVirtual(b)) continue;
    if (unspillable.has(a) !== unspillable.has(b)) continue;
    const adjA = adjacency.get(a);
    const adjB = adjacency.get(b);
    if (adjA === undefined || adjB === undefined || adjA.has(b)) continue;
    const briggs = (): boolean => {
      let heavy = 0;
      for (const n of new Set([...adjA, ...adjB])) if (significant(n)) heavy++;
      return heavy < k;
    };
    // George: every neighbour of `from` that could constrain `into` already does.
    const george = (from: Set<Reg>, into: Set<Reg>): boolean => [...from].every((n) => into.has(n) || !significant(n));
    if (!briggs() && !george(adjB, adjA) && !george(adjA, adjB)) continue;
    mergeInto(a, b, adjacency, moves);
    cost.set(a, (cost.get(a) ?? 0) + (cost.get(b) ?? 0));
    cost.delete(b);
    representative.set(b, a);
  }

  const flattened = new Map<Reg, Reg>();
  for (const r of graph.adjacency.keys()) flattened.set(r, find(r));
  return { adjacency, moves, cost, copies: [], representative: flattened };
}

/** Node `b` joins node `a`: its neighbours and move partners become a's. */
function mergeInto(a: Reg, b: Reg, adjacency: Map<Reg, Set<Reg>>, moves: Map<Reg, Set<Reg>>): void {
  const adjA = adjacency.get(a)!;
  for (const n of adjacency.get(b)!) {
    adjA.add(n);
    const back = adjacency.get(n);
    if (back !== undefined) {
      back.delete(b);
      back.add(a);
    }
  }
  adjacency.delete(b);
  const movesA = moves.get(a) ?? new Set<Reg>();
  for (const m of moves.get(b) ?? []) {
    const partner = moves.get(m);
    if (partner !== undefined) {
      partner.delete(b);
      if (m !== a) partner.add(a);
    }
    if (m !== a) movesA.add(m);
  }
  movesA.delete(b);
  moves.set(a, movesA);
  moves.delete(b);
}
