// Natural loops and loop depth. A back edge is an edge b -> h whose target h dominates b;
// the natural loop of h is h plus every block that reaches a back edge's source without
// passing through h. Back edges into one header make one loop. Loops nest when one's
// blocks contain the other's header. An analysis: it changes nothing, and becomes stale
// when a pass changes the CFG (see cfg.ts). Irreducible cycles (no dominating header) are
// not loops here; passes that use this leave them alone.

import type { IrFunction } from '../function.js';
import type { BlockId } from '../types.js';
import { buildCfg, type Cfg } from './cfg.js';
import { computeDominators, type DominatorTree } from './dominators.js';

export interface Loop {
  readonly header: BlockId;
  /** Every block of the loop, the header included. */
  readonly blocks: ReadonlySet<BlockId>;
  /** Sources of the back edges into the header. */
  readonly latches: readonly BlockId[];
  /** The innermost loop containing this one, if any. */
  readonly parent: Loop | undefined;
  /** 1 for an outermost loop. */
  readonly depth: number;
}

export interface LoopInfo {
  /** Innermost loops first (every loop after the loops nested in it). */
  readonly loops: readonly Loop[];
  /** The number of loops containing `block`: 0 outside every loop. */
  depth(block: BlockId): number;
  /** The innermost loop containing `block`. */
  innermost(block: BlockId): Loop | undefined;
}

export function computeLoops(f: IrFunction, cfg: Cfg = buildCfg(f), domTree: DominatorTree = computeDominators(f, cfg)): LoopInfo {
  const found: { header: BlockId; blocks: Set<BlockId>; latches: BlockId[] }[] = [];
  for (const header of cfg.reversePostorder) {
    const latches = cfg.predecessors(header).filter((p) => cfg.isReachable(p) && domTree.dominates(header, p));
    if (latches.length > 0) found.push({ header, blocks: loopBody(cfg, header, latches), latches });
  }
  // Larger loops contain smaller ones: sort by size to find parents and to list inner loops first.
  found.sort((a, b) => a.blocks.size - b.blocks.size);
  const parents = found.map((loop, i) => found.slice(i + 1).find((outer) => outer.blocks.has(loop.header)));
  const loops = new Map<(typeof found)[number], Loop>();
  const build = (index: number): Loop => {
    const raw = found[index]!;
    const existing = loops.get(raw);
    if (existing !== undefined) return existing;
    const parentRaw = parents[index];
    const parent = parentRaw === undefined ? undefined : build(found.indexOf(parentRaw));
    const loop: Loop = { header: raw.header, blocks: raw.blocks, latches: raw.latches, parent, depth: (parent?.depth ?? 0) + 1 };
    loops.set(raw, loop);
    return loop;
  };
  const all = found.map((_, i) => build(i));
  const innermost = new Map<BlockId, Loop>();
  for (const loop of all) {
    for (const b of loop.blocks) if (!innermost.has(b)) innermost.set(b, loop);
  }
  return {
    loops: all,
    depth: (b) => innermost.get(b)?.depth ?? 0,
    innermost: (b) => innermost.get(b),
  };
}

/** The header and every block reaching a latch backwards without passing the header. */
function loopBody(cfg: Cfg, header: BlockId, latches: readonly BlockId[]): Set<BlockId> {
  const body = new Set<BlockId>([header]);
  const work = latches.filter((l) => l !== header);
  for (const l of work) body.add(l);
  while (work.length > 0) {
    const b = work.pop()!;
    for (const p of cfg.predecessors(b)) {
      if (!body.has(p) && cfg.isReachable(p)) {
        body.add(p);
        work.push(p);
      }
    }
  }
  return body;
}
