// Register-pressure relief before colouring: when far more virtual registers are live at
// one point than there are registers, spill some of them up front.
//
// The interference graph has an edge for every pair of registers live at once, so a point
// where n values are live costs n² edges, and colouring a 1,000-live function builds
// millions of edges only to spill nearly all of them. Spilling the cheapest values live
// across such points first keeps the graph in proportion to the code. The limit is far
// above the register count (13), so ordinary functions never reach it and are allocated
// exactly as before; only pathological ones (thousands of simultaneously live values) are
// pre-spilled, and those spill almost everything anyway.

import { isVirtual, type Reg } from './mir.js';
import { blockWeights } from './block-weights.js';
import { computeLiveness, instEffects } from './liveness.js';
import type { RegOperands } from './inst-registers.js';
import type { VFunction } from './vcode.js';

/** Live virtual registers at one point beyond which some are spilled before colouring. */
export const PRESSURE_LIMIT = 96;

/**
 * The spillable virtual registers to spill so that, at every point of `f`, at most `limit`
 * spillable ones remain live. When a point exceeds the limit, the cheapest live ones (uses
 * and defs weighted by block frequency, as the colourer's spill cost) are spilled until half
 * the limit remains, so that the next few points do not need another choice.
 */
export function pressureSpills(f: VFunction, limit: number, unspillable: ReadonlySet<Reg>): Set<Reg> {
  const spilled = new Set<Reg>();
  const effects = f.blocks.map((block) => block.insts.map(instEffects));
  const { liveOut } = computeLiveness(f, effects);
  const cost = spillCosts(f, effects);
  const spillable = (r: Reg): boolean => isVirtual(r) && !unspillable.has(r) && !spilled.has(r);
  f.blocks.forEach((block, b) => {
    const live = new Set<Reg>();
    for (const r of liveOut[b]!) if (spillable(r)) live.add(r);
    for (let i = block.insts.length - 1; i >= 0; i--) {
      const { uses, defs } = effects[b]![i]!;
      for (const d of defs) live.delete(d);
      for (const u of uses) if (spillable(u)) live.add(u);
      if (live.size <= limit) continue;
      const victims = [...live].sort((x, y) => cost.get(x)! - cost.get(y)! || x - y);
      for (const r of victims.slice(0, live.size - Math.floor(limit / 2))) {
        spilled.add(r);
        live.delete(r);
      }
    }
  });
  return spilled;
}

/** Uses and defs of each virtual register, weighted by how often their block runs (block-weights.ts). */
function spillCosts(f: VFunction, effects: readonly (readonly RegOperands[])[]): Map<Reg, number> {
  const weights = blockWeights(f);
  const cost = new Map<Reg, number>();
  effects.forEach((blockEffects, b) => {
    const weight = weights[b]!;
    for (const { uses, defs } of blockEffects) {
      for (const r of uses) if (isVirtual(r)) cost.set(r, (cost.get(r) ?? 0) + weight);
      for (const r of defs) if (isVirtual(r)) cost.set(r, (cost.get(r) ?? 0) + weight);
    }
  });
  return cost;
}
