// Control flow: jumps and conditional branches with block arguments (parallel copies on the
// edge, critical edges split), br_table as a binary search over case ranges, and traps.

import type { BlockCall, Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import { TRAP_KINDS } from '../../ir/types.js';
import type { Label, Reg } from '../mir.js';
import { emitCondition } from './compare.js';
import type { Rule, SelectionContext } from './context.js';

/**
 * Emit dsts[i] := srcs[i] for all i at once: a copy is emitted once its destination is no
 * longer needed as a source; a cycle (a swap) is broken by saving one destination first.
 */
export function emitParallelCopy(ctx: SelectionContext, dsts: readonly Reg[], srcs: readonly Reg[]): void {
  const pending = dsts.map((d, i) => ({ dst: d, src: srcs[i]! })).filter((p) => p.dst !== p.src);
  while (pending.length > 0) {
    const ready = pending.findIndex((p) => !pending.some((q) => q !== p && q.src === p.dst));
    if (ready >= 0) {
      const [p] = pending.splice(ready, 1);
      ctx.copy(p!.dst, p!.src);
      continue;
    }
    const blocked = pending[0]!.dst;
    const saved = ctx.newVreg();
    ctx.copy(saved, blocked);
    for (const p of pending) if (p.src === blocked) p.src = saved;
  }
}

/** Copy a branch's arguments into the target block's parameters. */
function emitBlockArgs(ctx: SelectionContext, call: BlockCall): void {
  const params = ctx.func.blocks.find((b) => b.id === call.block)!.params;
  const dsts: Reg[] = [];
  const srcs: Reg[] = [];
  call.args.forEach((arg, i) => {
    dsts.push(...ctx.defRegs(params[i]!));
    srcs.push(...ctx.useRegs(arg));
  });
  emitParallelCopy(ctx, dsts, srcs);
}

/** The label to branch to for an edge: the target itself, or a new block doing the copies first. */
function edgeLabel(ctx: SelectionContext, call: BlockCall, srcOffset: number): Label {
  if (call.args.length === 0) return ctx.labelOf(call.block);
  const here = ctx.current;
  const edge = ctx.newLocalBlock(srcOffset);
  ctx.switchTo(edge);
  emitBlockArgs(ctx, call);
  ctx.emit({ op: 'b', target: ctx.labelOf(call.block) });
  ctx.switchTo(here);
  return edge;
}

/** jump(B, args) -> parallel copies; b B. */
const selectJump: Rule = (ctx, inst) => {
  const call = inst.targets[0]!;
  emitBlockArgs(ctx, call);
  ctx.emit({ op: 'b', target: ctx.labelOf(call.block) });
};

/** brif(c, T, E) -> <flags of c>; b<cond> T'; b E' (T', E' split edges when they carry arguments). */
const selectBrif: Rule = (ctx, inst) => {
  const thenLabel = edgeLabel(ctx, inst.targets[0]!, inst.srcOffset);
  const elseLabel = edgeLabel(ctx, inst.targets[1]!, inst.srcOffset);
  const cond = emitCondition(ctx, inst.args[0]!);
  ctx.emit({ op: 'b', cond, target: thenLabel });
  ctx.emit({ op: 'b', target: elseLabel });
};

interface CaseRange {
  readonly lo: number;
  readonly hi: number;
  readonly label: Label;
}

/** Consecutive indices with the same target merged; the default covers n-1 .. 2^32-1. */
function caseRanges(labels: readonly Label[]): CaseRange[] {
  const ranges: CaseRange[] = [];
  labels.forEach((label, i) => {
    const hi = i === labels.length - 1 ? 0xffffffff : i;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.label === label) ranges[ranges.length - 1] = { ...last, hi };
    else ranges.push({ lo: i, hi, label });
  });
  return ranges;
}

const LINEAR_SEARCH_LIMIT = 4;

/** Ranges are sorted and cover every index from ranges[0].lo on: compare against bounds only. */
function emitRangeSearch(ctx: SelectionContext, index: Reg, ranges: readonly CaseRange[], srcOffset: number): void {
  if (ranges.length <= LINEAR_SEARCH_LIMIT) {
    for (const r of ranges.slice(0, -1)) {
      ctx.emit({ op: 'cmp', rn: index, src: ctx.immOperand(r.hi) });
      ctx.emit({ op: 'b', cond: 'ls', target: r.label });
    }
    ctx.emit({ op: 'b', target: ranges[ranges.length - 1]!.label });
    return;
  }
  const mid = ranges.length >> 1;
  const upper = ctx.newLocalBlock(srcOffset);
  ctx.emit({ op: 'cmp', rn: index, src: ctx.immOperand(ranges[mid]!.lo) });
  ctx.emit({ op: 'b', cond: 'cs', target: upper });
  emitRangeSearch(ctx, index, ranges.slice(0, mid), srcOffset);
  ctx.switchTo(upper);
  emitRangeSearch(ctx, index, ranges.slice(mid), srcOffset);
}

/** Cases per bit-test chunk: one 32-bit mask says which of two targets each case takes. */
const CHUNK = 32;

/**
 * A table whose targets alternate (many ranges, few targets per 32 cases): a binary search
 * over chunks of 32 cases, then in each chunk a branch (one target), a bit test of a mask
 * (two targets) or a range search (more). br_table.wast's 24,691-entry table of alternating
 * targets is ~10 bytes per case as ranges, ~1 byte per case this way.
 */
function worthBitTests(labels: readonly Label[], rangeCount: number): boolean {
  const chunks = Math.ceil((labels.length - 1) / CHUNK);
  return labels.length > 2 * CHUNK && rangeCount > 4 * chunks;
}

function emitBitTests(ctx: SelectionContext, index: Reg, labels: readonly Label[], srcOffset: number): void {
  const cases = labels.length - 1;
  const fallback = labels[cases]!;
  ctx.emit({ op: 'cmp', rn: index, src: ctx.immOperand(cases) });
  ctx.emit({ op: 'b', cond: 'cs', target: fallback });
  const chunkIndex = ctx.newVreg();
  const bit = ctx.newVreg();
  ctx.emit({ op: 'lsr', rd: chunkIndex, rm: index, src: { kind: 'imm', value: 5 }, s: 'any' });
  ctx.emit({ op: 'and', rd: bit, rn: index, src: { kind: 'imm', value: CHUNK - 1 }, s: 'any' });
  const chunkRanges: CaseRange[] = [];
  for (let c = 0; c * CHUNK < cases; c++) {
    const chunk = labels.slice(c * CHUNK, Math.min(cases, (c + 1) * CHUNK));
    const targets = [...new Set(chunk)];
    const last = chunkRanges[chunkRanges.length - 1];
    if (targets.length === 1 && last !== undefined && last.label === targets[0]) {
      chunkRanges[chunkRanges.length - 1] = { ...last, hi: c };
      continue;
    }
    const label = targets.length === 1 ? targets[0]! : ctx.newLocalBlock(srcOffset);
    chunkRanges.push({ lo: c, hi: c, label });
    if (targets.length === 1) continue;
    const saved = ctx.current;
    ctx.switchTo(label);
    if (targets.length === 2) emitMaskTest(ctx, bit, chunk, targets as [Label, Label]);
    else emitRangeSearch(ctx, index, caseRanges([...chunk, chunk[chunk.length - 1]!]).map((r) => ({ ...r, lo: r.lo + c * CHUNK, hi: r.hi + c * CHUNK })), srcOffset);
    ctx.switchTo(saved);
  }
  emitRangeSearch(ctx, chunkIndex, chunkRanges, srcOffset);
}

/** Bit k of the mask set: case k of the chunk goes to the second target. */
function emitMaskTest(ctx: SelectionContext, bit: Reg, chunk: readonly Label[], [first, second]: [Label, Label]): void {
  const mask = chunk.reduce((m, label, k) => (label === second ? m | (1 << k) : m), 0);
  const shifted = ctx.newVreg();
  ctx.emit({ op: 'lsr', rd: shifted, rm: ctx.materialize(mask), src: { kind: 'reg', rs: bit }, s: 'any' });
  ctx.emit({ op: 'tst', rn: shifted, src: { kind: 'imm', value: 1 } });
  ctx.emit({ op: 'b', cond: 'ne', target: second });
  ctx.emit({ op: 'b', target: first });
}

/** br_table(i, T0..Tn-1, D) -> binary search of case ranges with unsigned compares (or bit tests). */
const selectBrTable: Rule = (ctx, inst) => {
  const edges = new Map<string, Label>();
  const labels = inst.targets.map((call) => {
    const key = `${call.block}:${call.args.join(',')}`;
    let label = edges.get(key);
    if (label === undefined) {
      label = edgeLabel(ctx, call, inst.srcOffset);
      edges.set(key, label);
    }
    return label;
  });
  const index = ctx.useReg(inst.args[0]!);
  const ranges = caseRanges(labels);
  if (worthBitTests(labels, ranges.length)) emitBitTests(ctx, index, labels, inst.srcOffset);
  else emitRangeSearch(ctx, index, ranges, inst.srcOffset);
};

/** trap(kind) -> udf #kind. */
const selectTrap: Rule = (ctx, inst: Inst) => {
  ctx.emit({ op: 'udf', imm: TRAP_KINDS[inst.trap!], srcOffset: inst.srcOffset, ...(inst.origin !== undefined && { funcIndex: inst.origin }) });
};

export const CONTROL_RULES = {
  jump: selectJump,
  brif: selectBrif,
  br_table: selectBrTable,
  trap: selectTrap,
} satisfies Partial<Record<Opcode, Rule>>;
