// The interference graph of a function's virtual registers: two registers interfere when
// one is written while the other is live. Physical registers appear as precoloured
// neighbours (a vreg live across a call interferes with every register the call clobbers).
// Copies are recorded as move pairs, and a copy's destination does not interfere with its
// source, so that the colouring can give both the same register.

import { isVirtual, type Reg } from './mir.js';
import { blockWeights } from './block-weights.js';
import { computeLiveness, instEffects } from './liveness.js';
import type { VFunction } from './vcode.js';

export interface InterferenceGraph {
  /** Neighbours of each virtual register (virtual and physical). */
  readonly adjacency: Map<Reg, Set<Reg>>;
  /** Registers each virtual register is copied to or from. */
  readonly moves: Map<Reg, Set<Reg>>;
  /** Spill cost: uses and defs weighted by how often their block runs (block-weights.ts). */
  readonly cost: Map<Reg, number>;
  /** Every copy between two registers, weighted like the spill cost (coalesce.ts). */
  readonly copies: readonly CopyPair[];
}

export interface CopyPair {
  readonly a: Reg;
  readonly b: Reg;
  readonly weight: number;
}

/**
 * The graph, or undefined as soon as more than `liveLimit` registers are live at one point
 * (the caller relieves the pressure first: such a graph would be quadratic in size).
 */
export function buildInterference(f: VFunction, liveLimit = Infinity): InterferenceGraph | undefined {
  // Each instruction's effects are computed once, for the liveness analysis and the scan below.
  const effects = f.blocks.map((block) => block.insts.map(instEffects));
  const { liveOut } = computeLiveness(f, effects);
  const weights = blockWeights(f);
  const adjacency = new Map<Reg, Set<Reg>>();
  const moves = new Map<Reg, Set<Reg>>();
  const cost = new Map<Reg, number>();
  const copies: CopyPair[] = [];
  const node = (r: Reg): Set<Reg> => {
    let s = adjacency.get(r);
    if (s === undefined) adjacency.set(r, (s = new Set()));
    return s;
  };
  const addEdge = (a: Reg, b: Reg): void => {
    if (a === b) return;
    if (isVirtual(a)) node(a).add(b);
    if (isVirtual(b)) node(b).add(a);
  };
  const addMove = (a: Reg, b: Reg): void => {
    for (const [x, y] of [[a, b], [b, a]] as const) {
      if (!isVirtual(x)) continue;
      let s = moves.get(x);
      if (s === undefined) moves.set(x, (s = new Set()));
      s.add(y);
    }
  };
  const count = (r: Reg, weight: number): void => {
    if (!isVirtual(r)) return;
    node(r);
    cost.set(r, (cost.get(r) ?? 0) + weight);
  };

  for (const [b, block] of f.blocks.entries()) {
    const weight = weights[b]!;
    const live = new Set(liveOut[b]);
    if (live.size > liveLimit) return undefined;
    for (let i = block.insts.length - 1; i >= 0; i--) {
      const vi = block.insts[i]!;
      const { uses, defs } = effects[b]![i]!;
      for (const r of uses) count(r, weight);
      for (const r of defs) count(r, weight);
      const copySource = vi.inst.op === 'copy' ? vi.inst.rm : undefined;
      if (vi.inst.op === 'copy') {
        addMove(vi.inst.rd, vi.inst.rm);
        copies.push({ a: vi.inst.rd, b: vi.inst.rm, weight });
      }
      for (const d of defs) {
        // The hot loop of the allocator: the def's own neighbour set is looked up once.
        const own = isVirtual(d) ? node(d) : undefined;
        for (const l of live) {
          if (l === copySource || l === d) continue;
          own?.add(l);
          if (isVirtual(l)) node(l).add(d);
        }
        for (const other of defs) addEdge(d, other);
      }
      for (const d of defs) live.delete(d);
      for (const u of uses) live.add(u);
      if (live.size > liveLimit) return undefined;
    }
  }
  return { adjacency, moves, cost, copies };
}
