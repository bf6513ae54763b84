// pgo-switch-order: a br_table whose profile shows one to three targets taking most of its
// executions (see dominantShare) gets a compare chain for those targets in front of it, most frequent first:
//
//   block0: ... br_table v0, [T0, T1, T2, T3, D]      (T2 taken 90% of the time)
// ->
//   block0: ... v1 = icmp eq v0, 2; brif v1, T2, block9
//   block9:     br_table v0, [T0, T1, T2, T3, D]      (unchanged: still right for every index)
//
// The backend lowers br_table to a binary search over case ranges, a few compares and
// branches whatever the frequencies; the chain makes the common case one compare. A target
// is tested through the indices that lead to it: one index (`eq`), a run of consecutive
// indices (`idx - lo <=u hi - lo`), or for the default every index from the table's length on
// (`>=u`; indices below that which also name the default still reach it through the table).
// Targets reached through scattered indices are left to the table.
//
// Frequencies: the profile's edge count from the br_table's block to the target, or, when the
// target has no other predecessor, the target's own count. Needs ctx.profile; adds blocks
// (invalidates the CFG and the dominators).

import { buildCfg } from '../analysis/cfg.js';
import type { Block, BlockCall, IrFunction } from '../function.js';
import type { PassContext } from '../pass.js';
import { freshBlockId } from '../rewrite.js';
import { asBlock, type BlockId, type Value } from '../types.js';
import { derivedBlock, GuardBuilder } from './pgo-guards.js';
import { blockFrequencies, sourceKeyOf, type FunctionProfileView } from './pgo-profile.js';

export const name = 'pgo-switch-order';

/** At most this many targets are tested before the table. */
const MAX_CHAIN = 3;
/** k tested targets must together take at least k / (k + 1) of the br_table's executions
 *  (one: half, two: two thirds, three: three quarters): every compare in the chain delays
 *  the cases behind it, so each one added must be worth more. */
const dominantShare = (k: number): number => k / (k + 1);
/** And each of them at least this share. */
const MIN_TARGET_SHARE = 0.15;

interface TargetTest {
  readonly call: BlockCall;
  /** Indices that lead to it: [lo, hi] inclusive; hi = Infinity for the default's tail. */
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
}

export function run(func: IrFunction, ctx: PassContext): void {
  const profile = ctx.profile;
  if (profile === undefined || profile.entryCount === 0) return;
  const counts = blockFrequencies(func, profile);
  const cfg = buildCfg(func);
  let nextId = freshBlockId(func);
  for (const block of [...func.blocks]) {
    const last = block.insts[block.insts.length - 1];
    const total = counts.get(block.id) ?? 0;
    if (last?.op !== 'br_table' || last.targets.length < 3 || total === 0) continue;
    const single = (t: BlockId): boolean => cfg.predecessors(t).length === 1;
    const tests = chosenTests(block, last.targets, total, profile, counts, single, func);
    if (tests.length === 0) continue;
    const guards = new GuardBuilder(func, last.srcOffset);
    const index = last.args[0]!;
    block.insts.pop();
    let current = block;
    const added: Block[] = [];
    for (const test of tests) {
      const rest = derivedBlock(block, nextId);
      nextId = asBlock(nextId + 1);
      guards.brif(current, testIndex(guards, current, index, test, last.targets.length - 1), { block: test.call.block, args: [...test.call.args] }, { block: rest.id, args: [] });
      added.push(rest);
      current = rest;
    }
    current.insts.push(last);
    func.blocks.splice(func.blocks.indexOf(block) + 1, 0, ...added);
    profile.decisions.switchesReordered++;
  }
}

/** The dominant targets worth a compare, most frequent first; none when they are not dominant. */
function chosenTests(
  block: Block, targets: readonly BlockCall[], total: number, profile: FunctionProfileView,
  counts: ReadonlyMap<BlockId, number>, singlePredecessor: (t: BlockId) => boolean, func: IrFunction,
): TargetTest[] {
  const byId = new Map(func.blocks.map((b) => [b.id, b]));
  const tests: TargetTest[] = [];
  for (const range of indexRanges(targets)) {
    const target = byId.get(range.call.block);
    if (target === undefined) continue;
    const count = profile.edgeCount(sourceKeyOf(block), sourceKeyOf(target))
      ?? (singlePredecessor(target.id) ? counts.get(target.id) : undefined);
    if (count !== undefined) tests.push({ ...range, count });
  }
  tests.sort((a, b) => b.count - a.count);
  const chosen: TargetTest[] = [];
  let covered = 0;
  for (const t of tests.slice(0, MAX_CHAIN)) {
    if (t.count < total * MIN_TARGET_SHARE) break;
    chosen.push(t);
    covered += t.count;
    if (covered >= total * dominantShare(chosen.length)) return chosen;
  }
  return [];
}

/** Each distinct target (block and arguments) reached through one run of indices. */
function indexRanges(targets: readonly BlockCall[]): Omit<TargetTest, 'count'>[] {
  const byTarget = new Map<string, { call: BlockCall; indices: number[] }>();
  targets.forEach((call, i) => {
    const key = `${call.block}:${call.args.join(',')}`;
    const entry = byTarget.get(key) ?? { call, indices: [] };
    entry.indices.push(i);
    byTarget.set(key, entry);
  });
  const defaultIndex = targets.length - 1;
  const ranges: Omit<TargetTest, 'count'>[] = [];
  for (const { call, indices } of byTarget.values()) {
    if (indices.includes(defaultIndex)) {
      ranges.push({ call, lo: defaultIndex, hi: Infinity });
      continue;
    }
    const lo = indices[0]!;
    const hi = indices[indices.length - 1]!;
    if (hi - lo + 1 === indices.length) ranges.push({ call, lo, hi });
  }
  return ranges;
}

/** The i32 condition "index leads to this target" (see the header), appended to `block`. */
function testIndex(guards: GuardBuilder, block: Block, index: Value, test: TargetTest, defaultIndex: number): Value {
  if (test.hi === Infinity) return guards.compare(block, 'uge', index, defaultIndex);
  if (test.lo === test.hi) return guards.compare(block, 'eq', index, test.lo);
  const offset = test.lo === 0 ? index : guards.value(block, 'isub', 'i32', { args: [index, guards.iconst(block, test.lo)] });
  return guards.compare(block, 'ule', offset, test.hi - test.lo);
}
