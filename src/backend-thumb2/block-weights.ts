// How much a use or definition in each block weighs in a register's spill cost (the
// colourer's choice of what to spill, interference.ts, and the pressure relief before it,
// pressure.ts): roughly, how often the block runs per call of the function.
//
// - A profile-guided build knows it: VBlock.frequency, the profile's runs per entry
//   (pgo-block-weights). A block that never ran still weighs a little, more inside loops,
//   so that among cold values the allocator keeps preferring the ones in loops.
// - Otherwise it is estimated as 10^loop depth. The depth comes from the control-flow graph,
//   not from the layout: profile-guided layout moves a loop's latch after code outside the
//   loop (its back edge then branches forward), and the hottest loop must still count as one.
//
// Loop nesting (after Havlak, simplified): the strongly connected components of the graph
// are the outermost loops; each block in one is one level deeper. Removing a loop's entry
// blocks (those with a predecessor outside it) breaks its own cycle and leaves the loops
// nested in it as components of what remains, which are found the same way. An irreducible
// loop (several entries) is one loop; that only makes the estimate coarser.

import { blockSuccessors } from './liveness.js';
import type { VFunction } from './vcode.js';

/** The weight of a block that never ran in the profile, per 10^loop depth. */
const NEVER_RAN_WEIGHT = 1e-3;
/** Beyond this depth the estimate stops growing (10^6 is already "always in registers"). */
const MAX_DEPTH = 6;

/** Spill-cost weight of each block of `f`, by layout position. */
export function blockWeights(f: VFunction): number[] {
  const depths = loopDepths(f);
  const byDepth = depths.map((d) => 10 ** Math.min(d, MAX_DEPTH));
  if (!f.blocks.some((b) => b.frequency !== undefined)) return byDepth;
  // Blocks added after selection (none today) run about as often as the block before them.
  let previous = 1;
  return f.blocks.map((b, i) => {
    const frequency = b.frequency ?? previous;
    previous = frequency;
    return frequency > 0 ? frequency : NEVER_RAN_WEIGHT * byDepth[i]!;
  });
}

/** Loop nesting depth of each block of `f` (0: in no loop), independent of the block order. */
export function loopDepths(f: VFunction): number[] {
  const n = f.blocks.length;
  const succs = f.blocks.map((_, b) => blockSuccessors(f, b));
  const preds = Array.from({ length: n }, () => [] as number[]);
  succs.forEach((targets, b) => targets.forEach((t) => preds[t]!.push(b)));
  const depths = new Array<number>(n).fill(0);
  const work: number[][] = [[...Array(n).keys()]];
  while (work.length > 0) {
    const region = work.pop()!;
    for (const component of stronglyConnected(region, succs)) {
      const members = new Set(component);
      if (component.length === 1 && !succs[component[0]!]!.includes(component[0]!)) continue;
      for (const b of component) depths[b]!++;
      const entries = component.filter((b) => preds[b]!.some((p) => !members.has(p)));
      const removed = new Set(entries.length > 0 ? entries : [Math.min(...component)]);
      const inner = component.filter((b) => !removed.has(b));
      if (inner.length > 0) work.push(inner);
    }
  }
  return depths;
}

/** Tarjan's strongly connected components of the subgraph on `nodes`, iteratively (deep
 *  graphs would overflow the call stack). */
function stronglyConnected(nodes: readonly number[], succs: readonly (readonly number[])[]): number[][] {
  const inRegion = new Set(nodes);
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const frames: { node: number; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const targets = succs[frame.node]!;
      if (frame.next < targets.length) {
        const t = targets[frame.next++]!;
        if (!inRegion.has(t)) continue;
        if (!index.has(t)) {
          index.set(t, counter);
          low.set(t, counter++);
          stack.push(t);
          onStack.add(t);
          frames.push({ node: t, next: 0 });
        } else if (onStack.has(t)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(t)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}
