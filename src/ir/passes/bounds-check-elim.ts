// bounds-check-elim: marks a load or store `inBounds` when a dominating load or store of the
// same address value already checked an end (offset + width) at least as far: that access
// did not trap, so addr + its end neither wrapped nor passed the bound, and a smaller end
// cannot either. The backend then skips the compare and the trap branches
// (src/backend-thumb2/isel/memory.ts).
//
// The bound is the physical size of linear memory, fitted to the board at link time, so no
// access is proven in bounds from the module's declared size. The bound never shrinks
// (memory_grow only grows it), so a check made earlier on the path stays valid. Keeps the
// CFG; only MemAccess flags change.

import { buildCfg } from '../analysis/cfg.js';
import { computeDominators } from '../analysis/dominators.js';
import { blockById, type IrFunction } from '../function.js';
import type { PassContext } from '../pass.js';
import type { BlockId, Value } from '../types.js';

export const name = 'bounds-check-elim';

export function run(func: IrFunction, _ctx: PassContext): void {
  const cfg = buildCfg(func);
  if (cfg.entry === undefined) return;
  const domTree = computeDominators(func, cfg);
  // address value -> the largest end checked on every path to here
  const checked = new Map<Value, number>();
  const stack: { block: BlockId; undo: [Value, number | undefined][] | undefined; next: number }[] = [{ block: cfg.entry, undo: undefined, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.undo === undefined) top.undo = markBlock(func, top.block, checked);
    const children = domTree.children(top.block);
    if (top.next < children.length) {
      stack.push({ block: children[top.next++]!, undo: undefined, next: 0 });
    } else {
      for (const [addr, previous] of top.undo.reverse()) {
        if (previous === undefined) checked.delete(addr);
        else checked.set(addr, previous);
      }
      stack.pop();
    }
  }
}

/** Marks the block's accesses; returns how to restore `checked` when leaving the block. */
function markBlock(func: IrFunction, id: BlockId, checked: Map<Value, number>): [Value, number | undefined][] {
  const undo: [Value, number | undefined][] = [];
  for (const inst of blockById(func, id).insts) {
    if ((inst.op !== 'load' && inst.op !== 'store') || inst.mem === undefined) continue;
    const addr = inst.args[0]!;
    const end = inst.mem.offset + inst.mem.bytes;
    const known = checked.get(addr);
    if (known !== undefined && known >= end) {
      inst.mem = { ...inst.mem, inBounds: true };
    } else {
      undo.push([addr, known]);
      checked.set(addr, end);
    }
  }
  return undo;
}
