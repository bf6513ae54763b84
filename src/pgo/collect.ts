// Execution counts + profile map -> profile: per-address counters from the simulator become
// per-block, per-edge and per-call counts keyed by Wasm source keys (docs/profile.md).
//
// Block counts are the execution counts of each block's first instruction. Edges come from
// the branch sites (the taken count of the instruction that jumps to the target) plus the
// fall-through into each block, which is what remains of the block's count after the branches
// into it: conservation needs no knowledge of how the previous block ends (a conditional
// branch, a call whose return lands on the block, or a `b<!c>` skipping a `b.w`).
//
// Blocks the backend adds (argument setup, edge moves, switch trees, trap stubs) have no key:
// their instructions belong to the keyed block laid out before them, so a branch from an
// edge-move block counts as an edge of the IR block that owns it. Two machine blocks with
// the same key are one IR block that a pass split (a loop preheader takes its header's key):
// the flow between them is internal, not an edge, and is not counted twice.

import type { ExecutionCounts } from '../sim/execution-counts.js';
import type { PlacedMapFunction, PlacedProfileMap } from './map.js';
import {
  PROFILE_FORMAT,
  PROFILE_VERSION,
  blockKeyString,
  type BlockCount,
  type BlockKey,
  type CallSiteCount,
  type EdgeCount,
  type FunctionProfile,
  type IndirectCallSite,
  type Profile,
} from './profile.js';

export interface CollectInfo {
  readonly board: string;
  /** profile.ts moduleHash of the Wasm binary. */
  readonly moduleHash: string;
  /** functionBodyHash per defined function index. */
  readonly bodyHashes: ReadonlyMap<number, string>;
  /** Each defined function's body as a Wasm code offset range [start, end): a block whose key
   *  lies in another function's body is an inlined copy of that function's block. */
  readonly bodyRanges: readonly { readonly index: number; readonly start: number; readonly end: number }[];
  readonly run: Profile['run'];
}

/** Read counters at an address (0 outside the profiled flash). */
interface Counters {
  executed(address: number): number;
  taken(address: number): number;
}

function countersOf(counts: ExecutionCounts): Counters {
  const at = (array: Float64Array, address: number): number => {
    const i = counts.indexOf(address);
    return i < 0 ? 0 : array[i]!;
  };
  return { executed: (a) => at(counts.executed, a), taken: (a) => at(counts.taken, a) };
}

export function collectProfile(counts: ExecutionCounts, map: PlacedProfileMap, info: CollectInfo): Profile {
  const counters = countersOf(counts);
  const functionAt = new Map(map.functions.map((f) => [f.address, f.index]));
  const ownerOf = (srcOffset: number, fallback: number): number =>
    info.bodyRanges.find((r) => r.start <= srcOffset && srcOffset < r.end)?.index ?? fallback;
  const parts = map.functions.map((f) => functionProfile(f, counters, counts, functionAt, info.bodyHashes.get(f.index) ?? ''));
  const functions = mergeInlinedCopies(parts, ownerOf)
    .filter((f) => f.calls > 0 || f.instructions > 0)
    .sort((a, b) => a.index - b.index);
  return { format: PROFILE_FORMAT, version: PROFILE_VERSION, board: info.board, module: { hash: info.moduleHash }, run: info.run, functions };
}

/**
 * Give each block and edge to the function whose Wasm body holds its key: code inlined into a
 * caller still counts for the callee, so a consumer that reads the profile before inlining
 * finds it. A flow from the caller's blocks into an inlined copy is a call of the callee.
 */
function mergeInlinedCopies(parts: readonly FunctionProfile[], ownerOf: (srcOffset: number, fallback: number) => number): FunctionProfile[] {
  const byIndex = new Map<number, { base: FunctionProfile; calls: number; blocks: Map<string, BlockCount>; edges: Map<string, EdgeCount> }>();
  const entry = (index: number): NonNullable<ReturnType<typeof byIndex.get>> => {
    let e = byIndex.get(index);
    if (e === undefined) {
      const base: FunctionProfile = parts.find((p) => p.index === index)
        ?? { index, name: `f${index}`, bodyHash: '', calls: 0, instructions: 0, blocks: [], edges: [], callSites: [], indirectCalls: [] };
      byIndex.set(index, (e = { base, calls: 0, blocks: new Map(), edges: new Map() }));
    }
    return e;
  };
  for (const p of parts) {
    entry(p.index).calls += p.calls;
    for (const b of p.blocks) {
      const e = entry(ownerOf(b.srcOffset, p.index));
      const id = blockKeyString(b);
      e.blocks.set(id, { ...b, count: (e.blocks.get(id)?.count ?? 0) + b.count });
    }
    for (const edge of p.edges) {
      const from = ownerOf(edge.from.srcOffset, p.index);
      const to = ownerOf(edge.to.srcOffset, p.index);
      if (from !== to) {
        if (to !== p.index) entry(to).calls += edge.count; // into an inlined copy (a return goes back to the caller's own block)
        continue;
      }
      const e = entry(to);
      const id = `${blockKeyString(edge.from)}>${blockKeyString(edge.to)}`;
      e.edges.set(id, { ...edge, count: (e.edges.get(id)?.count ?? 0) + edge.count });
    }
  }
  const byKey = (a: BlockKey, b: BlockKey): number => a.srcOffset - b.srcOffset || a.ordinal - b.ordinal;
  return [...byIndex.values()].map(({ base, calls, blocks, edges }) => ({
    ...base,
    calls,
    blocks: [...blocks.values()].sort(byKey),
    edges: [...edges.values()].sort((a, b) => byKey(a.from, b.from) || byKey(a.to, b.to)),
  }));
}

/** A control transfer between machine blocks (labels); from -1 is the function's entry. */
interface MachineEdge {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

function functionProfile(
  f: PlacedMapFunction, counters: Counters, counts: ExecutionCounts, functionAt: ReadonlyMap<number, number>, bodyHash: string,
): FunctionProfile {
  const { blockCounts, edges } = machineFlow(f, counters);
  const { blocks, keyedEdges } = keyedFlow(f, blockCounts, edges);
  let instructions = 0;
  for (let a = f.address; a < f.address + f.size; a += 2) instructions += counters.executed(a);
  return {
    index: f.index,
    name: f.name,
    bodyHash,
    calls: counters.executed(f.address),
    instructions,
    blocks,
    edges: keyedEdges,
    callSites: directCalls(f, counters),
    indirectCalls: indirectCalls(f, counts, functionAt),
  };
}

/** Counts of every machine block and the measured edges between them. */
function machineFlow(f: PlacedMapFunction, counters: Counters): { blockCounts: number[]; edges: MachineEdge[] } {
  const blocks = f.blocks;
  const edges: MachineEdge[] = [];
  const branchInflow = new Array<number>(blocks.length).fill(0);
  for (const b of f.branches) {
    const count = counters.taken(b.at);
    branchInflow[b.to] = branchInflow[b.to]! + count;
    if (count > 0) edges.push({ from: blockContaining(f, b.at), to: b.to, count });
  }
  const blockCounts = new Array<number>(blocks.length).fill(0);
  // A run of blocks starting at the same address (empty blocks, then the one with code) shares
  // one execution counter: what the branches into the run do not explain fell through into it.
  let label = 0;
  while (label < blocks.length) {
    const start = blocks[label]!.start;
    let last = label;
    while (last < blocks.length - 1 && blocks[last]!.end === blocks[last]!.start && blocks[last + 1]!.start === start) last++;
    const run = Array.from({ length: last - label + 1 }, (_, k) => label + k);
    const explained = run.reduce((sum, l) => sum + branchInflow[l]!, 0);
    const hasCode = blocks[last]!.end > start;
    let flow = hasCode ? Math.max(0, counters.executed(start) - explained) : 0;
    let from = label === 0 ? -1 : blockContaining(f, start - 2);
    for (const l of run) {
      if (flow > 0) edges.push({ from, to: l, count: flow });
      flow += branchInflow[l]!;
      blockCounts[l] = flow;
      from = l;
    }
    label = last + 1;
  }
  return { blockCounts, edges };
}

/** The label of the block whose code holds `address`. */
function blockContaining(f: PlacedMapFunction, address: number): number {
  for (let l = f.blocks.length - 1; l >= 0; l--) {
    const b = f.blocks[l]!;
    if (b.start <= address && address < b.end) return l;
  }
  return -1;
}

/** Machine counts folded onto IR block keys (see the header comment). */
function keyedFlow(f: PlacedMapFunction, blockCounts: readonly number[], edges: readonly MachineEdge[]): { blocks: BlockCount[]; keyedEdges: EdgeCount[] } {
  const owner: number[] = [];
  f.blocks.forEach((b, l) => owner.push(b.key !== undefined ? l : l > 0 ? owner[l - 1]! : -1));
  const keyOf = (l: number): BlockKey | undefined => (l < 0 ? undefined : f.blocks[l]!.key);

  const blockTotals = new Map<string, BlockCount>();
  f.blocks.forEach((b, l) => {
    if (b.key === undefined) return;
    const id = blockKeyString(b.key);
    blockTotals.set(id, { ...b.key, count: (blockTotals.get(id)?.count ?? 0) + blockCounts[l]! });
  });
  const edgeTotals = new Map<string, EdgeCount>();
  for (const e of edges) {
    const to = keyOf(e.to);
    const fromLabel = e.from < 0 ? -1 : owner[e.from]!;
    const from = keyOf(fromLabel);
    if (to === undefined || from === undefined) continue;
    if (fromLabel !== e.to && blockKeyString(from) === blockKeyString(to)) {
      // One IR block in two machine blocks: its count is the first one's, not the sum.
      const total = blockTotals.get(blockKeyString(to))!;
      blockTotals.set(blockKeyString(to), { ...total, count: total.count - e.count });
      continue;
    }
    const id = `${blockKeyString(from)}>${blockKeyString(to)}`;
    edgeTotals.set(id, { from, to, count: (edgeTotals.get(id)?.count ?? 0) + e.count });
  }
  const byKey = (a: BlockKey, b: BlockKey): number => a.srcOffset - b.srcOffset || a.ordinal - b.ordinal;
  return {
    blocks: [...blockTotals.values()].sort(byKey),
    keyedEdges: [...edgeTotals.values()].sort((a, b) => byKey(a.from, b.from) || byKey(a.to, b.to)),
  };
}

function directCalls(f: PlacedMapFunction, counters: Counters): CallSiteCount[] {
  return f.calls
    .flatMap((c) => (c.callee !== undefined ? [{ srcOffset: c.srcOffset, callee: c.callee, count: counters.executed(c.at) }] : []))
    .filter((c) => c.count > 0)
    .sort((a, b) => a.srcOffset - b.srcOffset);
}

/** Each call_indirect's BLX target histogram, targets named by function index. */
function indirectCalls(f: PlacedMapFunction, counts: ExecutionCounts, functionAt: ReadonlyMap<number, number>): IndirectCallSite[] {
  const sites: IndirectCallSite[] = [];
  for (const c of f.calls) {
    if (c.indirect !== true) continue;
    const histogram = counts.indirectCalls.get(c.at);
    if (histogram === undefined) continue;
    const byIndex = new Map<number, number>();
    for (const [target, count] of histogram) {
      const index = functionAt.get(target & ~1);
      if (index !== undefined) byIndex.set(index, (byIndex.get(index) ?? 0) + count);
    }
    const targets = [...byIndex].map(([funcIndex, count]) => ({ funcIndex, count })).sort((a, b) => b.count - a.count || a.funcIndex - b.funcIndex);
    if (targets.length > 0) sites.push({ srcOffset: c.srcOffset, targets });
  }
  return sites.sort((a, b) => a.srcOffset - b.srcOffset);
}
