// simplify-block-params: remove block parameters that do not merge anything. A parameter
// whose incoming args, over every edge into its block, are one value x or the parameter
// itself (a loop passing it around unchanged) always holds x, so every use of it becomes
// x and the parameter goes, with its arg on every edge. Removing one can make another
// trivial (x may itself be such a parameter), so the pass repeats until nothing changes.
//
// The Wasm lowering gives every local a parameter at every merge point and loop header;
// most of them are trivial, and this pass is what turns that into compact SSA.
//
// Why x may replace the parameter: the first time any path from the entry reaches the
// block it comes along an edge that passes x, not the parameter (which is not defined yet),
// and x dominates that edge's branch; so x is defined on every path into the block, and x
// dominates it. Unreachable blocks have no such path and are left alone.
//
// Keeps the CFG and the dominator tree; removed parameters stay as stale value table
// entries.

import { buildCfg } from '../analysis/cfg.js';
import type { Block, BlockCall, IrFunction } from '../function.js';
import type { PassContext } from '../pass.js';
import type { BlockId, Value } from '../types.js';

export const name = 'simplify-block-params';

export function run(func: IrFunction, _ctx: PassContext): void {
  const cfg = buildCfg(func);
  const candidates = func.blocks.slice(1).filter((b) => cfg.isReachable(b.id));
  while (simplifyOnce(func, candidates)) {
    // Each round may expose new trivial parameters: repeat until a round changes nothing.
  }
}

/** One round: find every trivial parameter given what is known so far, then rewrite. */
function simplifyOnce(func: IrFunction, candidates: readonly Block[]): boolean {
  const edges = incomingEdges(func);
  const replacement = new Map<Value, Value>();
  // Follow replacements decided earlier this round, so chains resolve to a surviving value.
  const resolve = (v: Value): Value => {
    let current = v;
    for (let next = replacement.get(current); next !== undefined; next = replacement.get(current)) current = next;
    return current;
  };
  const removed = new Map<BlockId, Set<number>>();
  for (const block of candidates) {
    const incoming = edges.get(block.id) ?? [];
    block.params.forEach((param, index) => {
      const value = soleIncomingValue(param, index, incoming, resolve);
      if (value === undefined) return;
      replacement.set(param, value);
      if (!removed.has(block.id)) removed.set(block.id, new Set());
      removed.get(block.id)!.add(index);
    });
  }
  if (replacement.size === 0) return false;
  rewriteUses(func, resolve);
  removeParams(func, edges, removed);
  return true;
}

/** The one value other than `param` that every edge passes for it, if there is exactly one. */
function soleIncomingValue(
  param: Value,
  index: number,
  incoming: readonly BlockCall[],
  resolve: (v: Value) => Value,
): Value | undefined {
  let sole: Value | undefined;
  for (const edge of incoming) {
    const arg = edge.args[index];
    if (arg === undefined) return undefined; // arg count mismatch: leave it to the verifier
    const value = resolve(arg);
    if (value === param) continue;
    if (sole !== undefined && sole !== value) return undefined;
    sole = value;
  }
  return sole;
}

/** Every branch target, grouped by the block it enters (one entry per edge). */
function incomingEdges(func: IrFunction): Map<BlockId, BlockCall[]> {
  const edges = new Map<BlockId, BlockCall[]>();
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      for (const target of inst.targets) {
        if (!edges.has(target.block)) edges.set(target.block, []);
        edges.get(target.block)!.push(target);
      }
    }
  }
  return edges;
}

function rewriteUses(func: IrFunction, resolve: (v: Value) => Value): void {
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      inst.args = inst.args.map(resolve);
      for (const target of inst.targets) target.args = target.args.map(resolve);
    }
  }
}

function removeParams(func: IrFunction, edges: ReadonlyMap<BlockId, BlockCall[]>, removed: ReadonlyMap<BlockId, Set<number>>): void {
  for (const block of func.blocks) {
    const gone = removed.get(block.id);
    if (gone === undefined) continue;
    const keep = (_: Value, i: number): boolean => !gone.has(i);
    block.params = block.params.filter(keep);
    for (const edge of edges.get(block.id) ?? []) edge.args = edge.args.filter(keep);
    // The surviving parameters moved down: keep their value table entries pointing at them.
    block.params.forEach((p, index) => {
      const info = func.values[p];
      if (info !== undefined) info.def = { kind: 'param', block: block.id, index };
    });
  }
}
