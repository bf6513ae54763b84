// Liveness analysis over machine code before allocation: which registers (virtual ones and
// the allocatable physical ones) are live into and out of each block. Reserved registers
// (r9, sp, pc) are not tracked. An analysis only: it changes nothing.

import { isVirtual, type Reg } from './mir.js';
import { ALLOCATABLE_REGS } from './registers.js';
import { branchTargets, endsFlow, regOperands, type RegOperands } from './inst-registers.js';
import type { VFunction, VInst } from './vcode.js';

const TRACKED_PHYSICAL = new Set<Reg>(ALLOCATABLE_REGS);

export const isTracked = (r: Reg): boolean => isVirtual(r) || TRACKED_PHYSICAL.has(r);

/** The tracked registers an instruction reads and writes, explicit and implicit. */
export function instEffects(vi: VInst): RegOperands {
  const { uses, defs } = regOperands(vi.inst);
  return {
    uses: [...uses, ...(vi.implicitUses ?? [])].filter(isTracked),
    defs: [...defs, ...(vi.implicitDefs ?? [])].filter(isTracked),
  };
}

/** Blocks control may reach from block `b`: branch targets, and the next block when it falls through. */
export function blockSuccessors(f: VFunction, b: number): number[] {
  const insts = f.blocks[b]!.insts;
  const succs = insts.flatMap((vi) => branchTargets(vi.inst));
  const last = insts[insts.length - 1];
  if ((last === undefined || !endsFlow(last.inst)) && b + 1 < f.blocks.length) succs.push(b + 1);
  return succs;
}

export interface Liveness {
  readonly liveIn: Set<Reg>[];
  readonly liveOut: Set<Reg>[];
}

/**
 * Backward dataflow to a fixed point. A branch in the middle of a block (to a trap block)
 * is treated as if it were at the end: this over-approximates, which is safe.
 */
export function computeLiveness(f: VFunction, effects: readonly (readonly RegOperands[])[] = f.blocks.map((block) => block.insts.map(instEffects))): Liveness {
  const n = f.blocks.length;
  const succs = f.blocks.map((_, b) => blockSuccessors(f, b));
  const gen: Set<Reg>[] = [];
  const kill: Set<Reg>[] = [];
  for (const blockEffects of effects) {
    const g = new Set<Reg>();
    const k = new Set<Reg>();
    for (const { uses, defs } of blockEffects) {
      for (const u of uses) if (!k.has(u)) g.add(u);
      for (const d of defs) k.add(d);
    }
    gen.push(g);
    kill.push(k);
  }
  const liveIn = Array.from({ length: n }, () => new Set<Reg>());
  const liveOut = Array.from({ length: n }, () => new Set<Reg>());
  let changed = true;
  while (changed) {
    changed = false;
    for (let b = n - 1; b >= 0; b--) {
      const out = liveOut[b]!;
      for (const s of succs[b]!) for (const r of liveIn[s]!) out.add(r);
      const inn = liveIn[b]!;
      const before = inn.size;
      for (const r of gen[b]!) inn.add(r);
      for (const r of out) if (!kill[b]!.has(r)) inn.add(r);
      if (inn.size !== before) changed = true;
    }
  }
  return { liveIn, liveOut };
}
