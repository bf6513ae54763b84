// One function's profile as the IR passes read it (src/ir/passes/pgo-profile.ts): lookups by
// block key, edge, call site and call_indirect site, built once per function from the
// profile file's lists, plus the module-wide "hot" threshold and the function's record of
// what the passes changed.

import { emptyDecisions, type FunctionProfileView, type IndirectTargetCount, type PgoDecisions, type SourceKey } from '../ir/passes/pgo-profile.js';
import { blockKeyString, type FunctionProfile } from './profile.js';

/**
 * The view of `profile`; a count is hot when it reaches `hotCount` (at least 1).
 * `decisions` is where the passes note their changes (the report reads it afterwards).
 */
export function functionProfileView(profile: FunctionProfile, hotCount: number, decisions: PgoDecisions = emptyDecisions()): FunctionProfileView {
  const blocks = new Map(profile.blocks.map((b) => [blockKeyString(b), b.count]));
  const edges = new Map(profile.edges.map((e) => [edgeKey(e.from, e.to), e.count]));
  const callSites = new Map<number, number>();
  for (const site of profile.callSites) callSites.set(site.srcOffset, (callSites.get(site.srcOffset) ?? 0) + site.count);
  const indirect = new Map(profile.indirectCalls.map((site) => [site.srcOffset, [...site.targets].sort((a, b) => b.count - a.count)]));
  const threshold = Math.max(1, hotCount);
  return {
    entryCount: profile.calls,
    blockCount: (key) => blocks.get(blockKeyString(key)),
    edgeCount: (from, to) => edges.get(edgeKey(from, to)),
    indirectTargets: (srcOffset): readonly IndirectTargetCount[] => indirect.get(srcOffset) ?? [],
    callSiteCount: (srcOffset) => callSites.get(srcOffset),
    isHot: (count) => count >= threshold,
    decisions,
  };
}

const edgeKey = (from: SourceKey, to: SourceKey): string => `${blockKeyString(from)}>${blockKeyString(to)}`;
