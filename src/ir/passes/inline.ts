// inline: direct calls of small functions of the same module are replaced by a copy of the
// callee's body. The calling block is split at the call: the part before jumps to the copy
// of the callee's entry (whose parameters become the call's arguments), every `return`
// of the copy jumps to the continuation block, whose parameters are the call's results.
//
// Cost model: an estimate of the Thumb-2 instructions a body becomes (constants are free,
// they are rematerialised at their uses). The memory bound is in a register, so a checked
// access is adds + bcs + cmp + bhi + the access (five), one at a constant address is cmp +
// bcc + the access (three), one `inbounds` is the access alone (plus an add for a nonzero
// offset). An i32 division is its zero check and the divide (three; sdiv adds the four of
// the INT_MIN / -1 check, a remainder the mls); i64 division is a call to libgcc behind its
// checks. i64 arithmetic two per operation; a call one per argument and result plus the
// branch, more for call_indirect's checks; other operations with side effects about four.
// - -O2: callees costing at most INLINE_MAX_COST, while the caller has grown by less than
//   GROWTH_BUDGET (or its own cost, when larger);
// - -Os (ctx.optimizeForSize): only callees that cost no more than the call itself (the
//   branch and one move per argument and result), so inlining never grows the code.
// - with a profile (pgo-inline-policy.ts): hot sites up to HOT_INLINE_MAX_COST with a larger
//   budget, cold sites only what does not grow the code.
// Never a recursive callee (one that calls itself), the caller itself or a function the build
// keeps out of line (ctx.keepOutOfLine); calls inside an
// inlined copy are not inlined again in the same run, so mutual recursion cannot unroll.
// Stack exhaustion still traps: every function that can recurse keeps the stack check in
// its prologue, and inlining only removes frames.
//
// Traps: a trap report names the Wasm function the trap is in (`trap: integer divide by
// zero in div`), while the trap table would name the function whose machine code holds the
// trap site: the caller, for an inlined body. So each copied instruction that can trap in
// place (flagged mayTrap, or a trap terminator; not a direct call, whose traps happen in the
// called function) carries its origin, the callee's index, unless it already has one from
// an earlier inlining into the callee (the innermost function is the one to name). The
// backend puts the origin into the trap table. The copies keep their source offsets, which
// are the callee's. Needs ctx.module (without it the pass does nothing). Adds blocks:
// invalidates the CFG and the dominators.

import type { Block, BlockCall, Inst, IrFunction } from '../function.js';
import { opInfo } from '../opcodes.js';
import type { PassContext } from '../pass.js';
import { freshBlockId } from '../rewrite.js';
import { callSiteHeat, HOT_GROWTH_BUDGET, HOT_INLINE_MAX_COST, type SiteHeat } from './pgo-inline-policy.js';
import { asBlock, asValue, type BlockId, type Value } from '../types.js';

export const name = 'inline';

const INLINE_MAX_COST = 12;
const GROWTH_BUDGET = 60;

export function run(func: IrFunction, ctx: PassContext): void {
  const bodies = ctx.module?.bodies;
  if (bodies === undefined) return;
  const byIndex = new Map(bodies.map((b) => [b.index, b]));
  const budget = Math.max(GROWTH_BUDGET, cost(func));
  let grown = 0;
  const copied = new Set<Block>();
  for (let bi = 0; bi < func.blocks.length; bi++) {
    const block = func.blocks[bi]!;
    if (copied.has(block)) continue;
    const at = block.insts.findIndex((inst) => {
      if (inst.op !== 'call' || inst.index === undefined) return false;
      const callee = byIndex.get(inst.index);
      return callee !== undefined && worthInlining(func, callee, inst, ctx, budget - grown, callSiteHeat(ctx, block, inst));
    });
    if (at < 0) continue;
    const callee = byIndex.get(block.insts[at]!.index!)!;
    if (ctx.profile !== undefined && callSiteHeat(ctx, block, block.insts[at]!) === 'hot') ctx.profile.decisions.sitesInlined++;
    grown += cost(callee);
    for (const b of inlineCall(func, bi, at, callee)) copied.add(b);
    // The continuation (after the copies) is scanned when the loop reaches it.
  }
}

/** Estimated machine instructions of `f`'s body, without prologue and epilogue. */
function cost(f: IrFunction): number {
  let n = 0;
  for (const b of f.blocks) for (const inst of b.insts) n += instCost(f, inst);
  return n;
}

function instCost(f: IrFunction, inst: Inst): number {
  switch (inst.op) {
    case 'iconst':
    case 'fconst':
    case 'return':
      return 0;
    case 'load':
    case 'store':
      return accessCost(f, inst);
    case 'udiv':
    case 'urem':
    case 'sdiv':
    case 'srem':
      return divisionCost(f, inst);
    case 'trap':
      return 1;
    case 'call':
      return 1 + inst.args.length + inst.results.length;
    case 'call_indirect': // bounds, null and signature checks before the branch
      return 8 + inst.args.length + inst.results.length;
    default: {
      if (opInfo(inst.op).sideEffects === true) return 4; // table and bulk memory operations, globals

      const wide = inst.results.some((r) => f.values[r]?.type === 'i64' || f.values[r]?.type === 'f64');
      return wide ? 2 : 1;
    }
  }
}

function accessCost(f: IrFunction, inst: Inst): number {
  const access = inst.mem?.offset === 0 ? 1 : 2;
  if (inst.mem?.inBounds === true) return access;
  const address = f.values[inst.args[0]!]?.def;
  return address?.kind === 'inst' && address.inst.op === 'iconst' ? 3 : 5;
}

function divisionCost(f: IrFunction, inst: Inst): number {
  if (f.values[inst.results[0]!]?.type === 'i64') return 10; // checks, four argument moves, the call, two result moves
  const overflowCheck = inst.op === 'sdiv' ? 4 : 0;
  const remainder = inst.op === 'srem' || inst.op === 'urem' ? 1 : 0;
  return 3 + overflowCheck + remainder;
}

function worthInlining(caller: IrFunction, callee: IrFunction, call: Inst, ctx: PassContext, budgetLeft: number, heat: SiteHeat): boolean {
  if (callee.index === caller.index || callee === caller || callee.blocks.length === 0) return false;
  if (callsItself(callee) || ctx.keepOutOfLine?.has(callee.index) === true) return false;
  const body = cost(callee);
  if (ctx.optimizeForSize === true || heat === 'cold') return body <= 1 + call.args.length + call.results.length;
  if (heat === 'hot') return body <= HOT_INLINE_MAX_COST && body <= budgetLeft + HOT_GROWTH_BUDGET;
  return body <= INLINE_MAX_COST && body <= budgetLeft;
}

/** Whether `inst` can trap where it stands (a direct call's traps are in the called function). */
const trapsInPlace = (inst: Inst): boolean => inst.op === 'trap' || (opInfo(inst.op).mayTrap === true && inst.op !== 'call');

const callsItself = (f: IrFunction): boolean => f.blocks.some((b) => b.insts.some((i) => i.op === 'call' && i.index === f.index));

/** Inline `func.blocks[blockIndex].insts[callIndex]`; returns the copied blocks. */
function inlineCall(func: IrFunction, blockIndex: number, callIndex: number, callee: IrFunction): Block[] {
  const block = func.blocks[blockIndex]!;
  const call = block.insts[callIndex]!;
  let nextBlock = freshBlockId(func);
  const newBlockId = (): BlockId => {
    const id = nextBlock;
    nextBlock = asBlock(nextBlock + 1);
    return id;
  };
  const continuation: Block = { id: newBlockId(), params: call.results, insts: block.insts.slice(callIndex + 1), srcOffset: call.srcOffset };
  call.results.forEach((r, index) => (func.values[r]!.def = { kind: 'param', block: continuation.id, index }));

  const blockMap = new Map<BlockId, BlockId>(callee.blocks.map((b) => [b.id, newBlockId()]));
  const valueMap = new Map<Value, Value>();
  const newValue = (old: Value): Value => {
    const v = asValue(func.values.length);
    func.values.push({ type: callee.values[old]!.type, def: { kind: 'param', block: continuation.id, index: 0 } }); // set below
    valueMap.set(old, v);
    return v;
  };
  const entry = callee.blocks[0]!;
  entry.params.forEach((p, i) => valueMap.set(p, call.args[i]!));
  // Every result and parameter first: a use may come before its definition in layout order.
  const copies: Block[] = callee.blocks.map((b) => ({
    id: blockMap.get(b.id)!,
    params: b === entry ? [] : b.params.map(newValue),
    insts: [],
    srcOffset: b.srcOffset,
    ...(b.ordinal !== undefined ? { ordinal: b.ordinal } : {}), // an inlined copy keeps the callee block's profile key
  }));
  callee.blocks.forEach((b) => b.insts.forEach((inst) => inst.results.forEach(newValue)));
  const map = (v: Value): Value => valueMap.get(v) ?? v;
  const mapTarget = (t: BlockCall): BlockCall => ({ block: blockMap.get(t.block) ?? t.block, args: t.args.map(map) });

  callee.blocks.forEach((b, bi) => {
    const copy = copies[bi]!;
    copy.params.forEach((p, index) => (func.values[p]!.def = { kind: 'param', block: copy.id, index }));
    for (const inst of b.insts) {
      const cloned: Inst = inst.op === 'return'
        ? { op: 'jump', args: [], results: [], targets: [{ block: continuation.id, args: inst.args.map(map) }], srcOffset: inst.srcOffset }
        : {
          ...inst, args: inst.args.map(map), results: inst.results.map(map), targets: inst.targets.map(mapTarget),
          ...(trapsInPlace(inst) && { origin: inst.origin ?? callee.index }),
        };
      cloned.results.forEach((r, index) => (func.values[r]!.def = { kind: 'inst', inst: cloned, index }));
      copy.insts.push(cloned);
    }
  });

  block.insts = block.insts.slice(0, callIndex);
  block.insts.push({ op: 'jump', args: [], results: [], targets: [{ block: copies[0]!.id, args: [] }], srcOffset: call.srcOffset });
  func.blocks.splice(blockIndex + 1, 0, ...copies, continuation);
  return copies;
}
