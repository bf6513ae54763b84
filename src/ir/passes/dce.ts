// dce: remove pure instructions (opcode table flag `pure`) none of whose results is used,
// and then those that only they used, with a worklist. Instructions that may trap or have
// side effects stay even when unused. Keeps the CFG; the value table keeps stale entries for
// the removed results.

import type { Inst, IrFunction } from '../function.js';
import { opInfo } from '../opcodes.js';
import type { PassContext } from '../pass.js';
import type { Value } from '../types.js';

export const name = 'dce';

export function run(func: IrFunction, _ctx: PassContext): void {
  const useCount = countUses(func);
  const definedBy = new Map<Value, Inst>();
  const present = new Set<Inst>();
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      present.add(inst);
      for (const r of inst.results) definedBy.set(r, inst);
    }
  }
  const isDead = (inst: Inst): boolean =>
    present.has(inst) && opInfo(inst.op).pure === true && inst.results.every((r) => (useCount.get(r) ?? 0) === 0);
  const worklist = [...present].filter(isDead);
  while (worklist.length > 0) {
    const inst = worklist.pop()!;
    if (!isDead(inst)) continue;
    present.delete(inst);
    for (const a of inst.args) {
      useCount.set(a, (useCount.get(a) ?? 0) - 1);
      const def = definedBy.get(a);
      if (def !== undefined && isDead(def)) worklist.push(def);
    }
  }
  for (const block of func.blocks) block.insts = block.insts.filter((inst) => present.has(inst));
}

function countUses(func: IrFunction): Map<Value, number> {
  const counts = new Map<Value, number>();
  const count = (v: Value): void => void counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      inst.args.forEach(count);
      for (const target of inst.targets) target.args.forEach(count);
    }
  }
  return counts;
}
