// What the profile-guided passes may know about one function's execution, and where they
// note what they changed. The IR does not read profile files: src/pgo turns a profile into
// this view (per function, only when the profile is valid for that function's body) and
// the driver hands it to the pipeline in the PassContext. Every pass that reads it does
// nothing when it is absent, so a build without a profile is unchanged.
//
// Blocks are named by their source key (srcOffset, ordinal): the key the frontend gave the
// block when lowering it, which blocks that passes create copy from the block they derive
// from. The profiled build ran the same pipeline, so keys of its machine blocks match.

import { buildCfg } from '../analysis/cfg.js';
import type { Block, IrFunction } from '../function.js';
import type { BlockId } from '../types.js';

/** A block's source key as the profile names it. */
export interface SourceKey {
  readonly srcOffset: number;
  readonly ordinal: number;
}

export interface IndirectTargetCount {
  /** Callee by Wasm function index. */
  readonly funcIndex: number;
  readonly count: number;
}

export interface FunctionProfileView {
  /** How often the function was entered. */
  readonly entryCount: number;
  /** How often the block with this key started executing; undefined when the profile has no
   *  block with this key (a block the profiled build did not have, e.g. an inlined copy). */
  blockCount(key: SourceKey): number | undefined;
  /** How often control went from one block to the other, when the profile recorded it. */
  edgeCount(from: SourceKey, to: SourceKey): number | undefined;
  /** The functions the call_indirect at `srcOffset` reached, most frequent first (empty when unknown). */
  indirectTargets(srcOffset: number): readonly IndirectTargetCount[];
  /** How often the direct call at `srcOffset` ran, when the profile recorded it. */
  callSiteCount(srcOffset: number): number | undefined;
  /** Whether a count is hot for the whole module (a share of the hottest block's count). */
  isHot(count: number): boolean;
  /** What the profile-guided passes changed in this function (for --pgo-report). */
  readonly decisions: PgoDecisions;
}

/** Changes profile data caused in one function; passes add to it, the driver reports it. */
export interface PgoDecisions {
  blocksMoved: number;
  sitesInlined: number;
  callsPromoted: number;
  switchesReordered: number;
}

export function emptyDecisions(): PgoDecisions {
  return { blocksMoved: 0, sitesInlined: 0, callsPromoted: 0, switchesReordered: 0 };
}

/** The source key of an IR block: its offset and its ordinal (absent means 0). */
export function sourceKeyOf(block: Block): SourceKey {
  return { srcOffset: block.srcOffset, ordinal: block.ordinal ?? 0 };
}

/**
 * The count of every block of `func`: the profile's count where it has the block's key,
 * otherwise inferred from the block's predecessors (the largest of their counts, visited in
 * reverse postorder, so along forward edges): a block the profiled build did not have (an
 * inlined copy, a split edge) runs about as often as the blocks that lead into it.
 * Unreachable blocks count 0.
 */
export function blockFrequencies(func: IrFunction, profile: FunctionProfileView): Map<BlockId, number> {
  const cfg = buildCfg(func);
  const counts = new Map<BlockId, number>(func.blocks.map((b) => [b.id, 0]));
  const byId = new Map(func.blocks.map((b) => [b.id, b]));
  for (const id of cfg.reversePostorder) {
    const known = profile.blockCount(sourceKeyOf(byId.get(id)!));
    if (known !== undefined) counts.set(id, known);
    else if (id === cfg.entry) counts.set(id, profile.entryCount);
    else counts.set(id, Math.max(0, ...cfg.predecessors(id).map((p) => counts.get(p) ?? 0)));
  }
  return counts;
}
