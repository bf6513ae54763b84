// pgo-block-layout: order the blocks by the profile so that the hot path falls through and
// cold code sits out of line at the end of the function. The backend lays blocks out in IR
// order and turns `brif` into one conditional branch to the target that does not come next
// (inverting the condition when it must), so the order of func.blocks is the machine order.
//
// Layout (a greedy chain, after Pettis and Hansen): start at the entry, follow each placed
// block with its hottest successor that is neither placed nor cold; when the chain ends,
// continue with the first unplaced hot block in the original order. Cold blocks (never run,
// or run less than COLD_SHARE of the function's entries) come last, in their original order.
//
// A brif edge that carries block arguments gets its copies in a block the backend puts right
// after the branching block, which would then be the fall-through instead of the hot
// successor. So when the hot successor comes next, the edge to the other successor, when it
// has arguments, is split here into a block of its own placed just before that successor
// (or at the end when the successor is cold).
//
// Needs ctx.profile; does nothing without it or for a function that never ran. Semantics
// are untouched: only the order of blocks changes, plus jump-only edge blocks. Adds blocks:
// invalidates the CFG and the dominators.

import type { Block, Inst, IrFunction } from '../function.js';
import { successors } from '../function.js';
import type { PassContext } from '../pass.js';
import { freshBlockId } from '../rewrite.js';
import type { BlockId } from '../types.js';
import { blockFrequencies, sourceKeyOf, type FunctionProfileView } from './pgo-profile.js';

export const name = 'pgo-block-layout';

/** A block run less often than this share of the function's entries is cold. */
const COLD_SHARE = 0.01;

export function run(func: IrFunction, ctx: PassContext): void {
  const profile = ctx.profile;
  if (profile === undefined || profile.entryCount === 0 || func.blocks.length < 2) return;
  const counts = blockFrequencies(func, profile);
  const isCold = (b: Block): boolean => b !== func.blocks[0] && counts.get(b.id)! < Math.max(1, profile.entryCount * COLD_SHARE);
  const hot = hotChain(func, profile, counts, isCold);
  const placed = new Set(hot);
  const order = [...hot, ...func.blocks.filter((b) => !placed.has(b))];
  const split = splitArgumentEdges(func, order, isCold);
  const moved = order.filter((b, i) => func.blocks[i] !== b).length;
  if (moved === 0 && split === 0) return;
  func.blocks = order;
  profile.decisions.blocksMoved += moved;
}

/** The hot blocks in chain order, the entry first. */
function hotChain(func: IrFunction, profile: FunctionProfileView, counts: ReadonlyMap<BlockId, number>, isCold: (b: Block) => boolean): Block[] {
  const byId = new Map(func.blocks.map((b) => [b.id, b]));
  const placed = new Set<Block>();
  const chain: Block[] = [];
  const edgeWeight = (from: Block, to: Block): number =>
    profile.edgeCount(sourceKeyOf(from), sourceKeyOf(to)) ?? unrecordedEdgeWeight(from, to, profile, counts, byId);
  const candidates = func.blocks.filter((b) => !isCold(b));
  let next: Block | undefined = func.blocks[0];
  while (next !== undefined) {
    const block: Block = next;
    placed.add(block);
    chain.push(block);
    const followers = [...new Set(successors(block))]
      .map((id) => byId.get(id))
      .filter((s): s is Block => s !== undefined && !placed.has(s) && !isCold(s));
    followers.sort((a, b) => edgeWeight(block, b) - edgeWeight(block, a)); // stable: ties keep target order
    next = followers[0] ?? candidates.find((b) => !placed.has(b));
  }
  return chain;
}

/**
 * An edge the profile has no count for: either it never ran (the profile only records edges
 * that did) or the profiled build did not have it (inlined code, split edges). Flow is
 * conserved: it carries at most what leaves `from` through none of its recorded edges, and
 * at most what enters `to`. So the never-taken side of a branch whose other side the
 * profile recorded weighs 0, instead of tying with the taken side.
 */
function unrecordedEdgeWeight(from: Block, to: Block, profile: FunctionProfileView, counts: ReadonlyMap<BlockId, number>, byId: ReadonlyMap<BlockId, Block>): number {
  const fromKey = sourceKeyOf(from);
  let recorded = 0;
  for (const id of new Set(successors(from))) {
    const s = byId.get(id);
    if (s !== undefined) recorded += profile.edgeCount(fromKey, sourceKeyOf(s)) ?? 0;
  }
  return Math.max(0, Math.min(counts.get(from.id)! - recorded, counts.get(to.id)!));
}

/**
 * For each brif whose next block in `order` is one of its targets, move the other target's
 * argument copies into a block of their own (see the header). Edits `order` and the
 * terminators in place; returns how many edges it split.
 */
function splitArgumentEdges(func: IrFunction, order: Block[], isCold: (b: Block) => boolean): number {
  let split = 0;
  let nextId = freshBlockId(func);
  for (let i = 0; i < order.length - 1; i++) {
    const block = order[i]!;
    const last = block.insts[block.insts.length - 1];
    if (last?.op !== 'brif' || last.targets[0]!.block === last.targets[1]!.block) continue;
    const fallthrough = last.targets.findIndex((t) => t.block === order[i + 1]!.id);
    if (fallthrough < 0) continue;
    const other = last.targets[1 - fallthrough]!;
    if (other.args.length === 0) continue;
    const target = order.find((b) => b.id === other.block);
    if (target === undefined) continue;
    const jump: Inst = { op: 'jump', args: [], results: [], targets: [{ block: other.block, args: other.args }], srcOffset: last.srcOffset };
    const edge: Block = { ...sourceKeyOf(target), id: nextId, params: [], insts: [jump] };
    nextId = (nextId + 1) as BlockId;
    last.targets[1 - fallthrough] = { block: edge.id, args: [] };
    order.splice(edgePosition(order, target, isCold), 0, edge);
    split++;
  }
  return split;
}

/** Where a split edge block goes: just before its target, so that it falls into it, unless
 *  the block there already falls into the target (then at the end of the hot blocks). */
function edgePosition(order: readonly Block[], target: Block, isCold: (b: Block) => boolean): number {
  const at = order.indexOf(target);
  const before = order[at - 1];
  if (isCold(target) || before === undefined || !successors(before).includes(target.id)) return at;
  const firstCold = order.findIndex((b, i) => i > 0 && isCold(b));
  return firstCold < 0 ? order.length : firstCold;
}
