// pgo-indirect-call: a call_indirect whose profile shows one target taking at least
// DOMINANT_SHARE of its calls becomes a test of the element index and a direct call of that
// target, with the checked indirect call kept for every other index:
//
//   block0: v5 = call_indirect sig1, table0 v1, v2      (f7 90% of the time; table0[3] = f7)
// ->
//   block0: v6 = icmp eq v2, 3; brif v6, block8, block9
//   block8: v7 = call f7 v1; jump block10(v7)
//   block10(v5): ...                                     (the rest of block0)
//   block9: v8 = call_indirect sig1, table0 v1, v2; jump block10(v8)
//
// The direct call then goes through inline like any other. Exact semantics: only a table
// whose contents never change (it lives in flash: not imported, not shared, never written;
// TableDecl without capacity) is used, so the element at those indices is that function for
// the whole run, and only when that function's signature is the call's (otherwise the
// indirect call would trap, and still does). Indices that hold the target are tested as one
// index or one run of consecutive indices; other layouts are left alone. The indirect call
// goes to the end of the function (it is the uncommon case).
//
// Needs ctx.profile and ctx.module. Adds blocks: invalidates the CFG and the dominators.

import type { Block, Inst, IrFunction } from '../function.js';
import type { IrModule } from '../module.js';
import type { PassContext } from '../pass.js';
import { freshBlockId } from '../rewrite.js';
import { asBlock, asValue, type Value } from '../types.js';
import { derivedBlock, GuardBuilder } from './pgo-guards.js';
import type { FunctionProfileView } from './pgo-profile.js';

export const name = 'pgo-indirect-call';

/** The target must take at least this share of the site's calls. */
const DOMINANT_SHARE = 0.8;

interface Promotion {
  readonly callee: number;
  /** Element indices holding the callee: lo..hi inclusive. */
  readonly lo: number;
  readonly hi: number;
}

export function run(func: IrFunction, ctx: PassContext): void {
  const { profile, module } = ctx;
  if (profile === undefined || module === undefined) return;
  const created = new Set<Block>(); // the kept call_indirects are not promoted again
  for (let bi = 0; bi < func.blocks.length; bi++) {
    const block = func.blocks[bi]!;
    if (created.has(block)) continue;
    let promotion: Promotion | undefined;
    const at = block.insts.findIndex((inst) => inst.op === 'call_indirect' && (promotion = dominantTarget(module, profile, inst)) !== undefined);
    if (at < 0 || promotion === undefined) continue; // the rest of a split block is its continuation, scanned later
    created.add(promote(func, bi, at, promotion));
    profile.decisions.callsPromoted++;
  }
}

function dominantTarget(module: IrModule, profile: FunctionProfileView, call: Inst): Promotion | undefined {
  const targets = profile.indirectTargets(call.srcOffset);
  const total = targets.reduce((sum, t) => sum + t.count, 0);
  const top = targets[0];
  return top !== undefined && total > 0 && top.count >= total * DOMINANT_SHARE ? promotionOf(module, call, top.funcIndex) : undefined;
}

/** Where `callee` sits in the call's table, when the promotion is exact (see the header). */
function promotionOf(module: IrModule, call: Inst, callee: number): Promotion | undefined {
  const table = module.tables[call.table ?? 0];
  const decl = module.functions[callee];
  if (table === undefined || decl === undefined || table.capacity !== undefined || table.import !== undefined) return undefined;
  if (module.canonicalSig[decl.sigIndex] !== module.canonicalSig[call.index!]) return undefined;
  const indices = table.elements.flatMap((e, i) => (e === callee ? [i] : []));
  if (indices.length === 0) return undefined;
  const lo = indices[0]!;
  const hi = indices[indices.length - 1]!;
  return hi - lo + 1 === indices.length ? { callee, lo, hi } : undefined;
}

/** Split func.blocks[blockIndex] at its call_indirect insts[callIndex] into the guarded pair;
 *  returns the block that keeps the call_indirect. */
function promote(func: IrFunction, blockIndex: number, callIndex: number, p: Promotion): Block {
  const block = func.blocks[blockIndex]!;
  const call = block.insts[callIndex]!;
  let nextId = freshBlockId(func);
  const newBlock = (): Block => {
    const b = derivedBlock(block, nextId);
    nextId = asBlock(nextId + 1);
    return b;
  };
  const direct = newBlock();
  const indirect = newBlock();
  const continuation: Block = { ...newBlock(), params: call.results, insts: block.insts.slice(callIndex + 1) };
  call.results.forEach((r, index) => (func.values[r]!.def = { kind: 'param', block: continuation.id, index }));

  const guards = new GuardBuilder(func, call.srcOffset);
  block.insts = block.insts.slice(0, callIndex);
  const element = call.args[call.args.length - 1]!;
  guards.brif(block, elementTest(guards, block, element, p), { block: direct.id, args: [] }, { block: indirect.id, args: [] });

  const directCall: Inst = { op: 'call', index: p.callee, args: call.args.slice(0, -1), results: [], targets: [], srcOffset: call.srcOffset };
  direct.insts.push(directCall);
  guards.jump(direct, { block: continuation.id, args: freshResults(func, directCall, call) });
  const indirectCall: Inst = { ...call, args: [...call.args], results: [], targets: [] };
  indirect.insts.push(indirectCall);
  guards.jump(indirect, { block: continuation.id, args: freshResults(func, indirectCall, call) });

  func.blocks.splice(blockIndex + 1, 0, direct, continuation);
  func.blocks.push(indirect);
  return indirect;
}

/** New result values of `inst`, typed like `like`'s results. */
function freshResults(func: IrFunction, inst: Inst, like: Inst): Value[] {
  for (const r of like.results) {
    const v = asValue(func.values.length);
    func.values.push({ type: func.values[r]!.type, def: { kind: 'inst', inst, index: inst.results.length } });
    inst.results.push(v);
  }
  return [...inst.results];
}

function elementTest(guards: GuardBuilder, block: Block, element: Value, p: Promotion): Value {
  if (p.lo === p.hi) return guards.compare(block, 'eq', element, p.lo);
  const offset = p.lo === 0 ? element : guards.value(block, 'isub', 'i32', { args: [element, guards.iconst(block, p.lo)] });
  return guards.compare(block, 'ule', offset, p.hi - p.lo);
}
