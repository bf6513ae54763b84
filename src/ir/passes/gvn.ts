// gvn: global value numbering of pure instructions over the dominator tree. Walking the
// tree from the entry, an instruction that computes what a dominating one already computed
// (same opcode, immediates, stated type and operands; operands of a commutative opcode in
// canonical order) is removed and its uses take the dominating result. Only `pure`
// instructions (no side effects, no trap) take part, so nothing that may trap or touch
// memory is merged. Keeps the CFG.

import { buildCfg } from '../analysis/cfg.js';
import { computeDominators } from '../analysis/dominators.js';
import { blockById, type Inst, type IrFunction } from '../function.js';
import { opInfo } from '../opcodes.js';
import type { PassContext } from '../pass.js';
import { replaceUses } from '../rewrite.js';
import type { BlockId, Value } from '../types.js';

export const name = 'gvn';

export function run(func: IrFunction, _ctx: PassContext): void {
  const cfg = buildCfg(func);
  if (cfg.entry === undefined) return;
  const domTree = computeDominators(func, cfg);
  const available = new Map<string, Value>();
  const replaced = new Map<Value, Value>();
  const resolve = (v: Value): Value => replaced.get(v) ?? v;
  // Depth-first over the tree; each block's keys are removed when the walk leaves it.
  const stack: { block: BlockId; added: string[] | undefined; next: number }[] = [{ block: cfg.entry, added: undefined, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.added === undefined) top.added = numberBlock(func, top.block, available, replaced, resolve);
    const children = domTree.children(top.block);
    if (top.next < children.length) {
      stack.push({ block: children[top.next++]!, added: undefined, next: 0 });
    } else {
      for (const key of top.added) available.delete(key);
      stack.pop();
    }
  }
  if (replaced.size === 0) return;
  for (const block of func.blocks) block.insts = block.insts.filter((inst) => !replaced.has(inst.results[0]!));
  replaceUses(func, replaced);
}

/** Numbers the instructions of one block; returns the keys it made available. */
function numberBlock(
  func: IrFunction,
  id: BlockId,
  available: Map<string, Value>,
  replaced: Map<Value, Value>,
  resolve: (v: Value) => Value,
): string[] {
  const added: string[] = [];
  for (const inst of blockById(func, id).insts) {
    if (opInfo(inst.op).pure !== true || inst.results.length !== 1) continue;
    const key = valueKey(inst, resolve, func.values[inst.results[0]!]!.type);
    const earlier = available.get(key);
    if (earlier !== undefined) {
      replaced.set(inst.results[0]!, earlier);
    } else {
      available.set(key, inst.results[0]!);
      added.push(key);
    }
  }
  return added;
}

/** What the instruction computes: equal keys, equal results. */
function valueKey(inst: Inst, resolve: (v: Value) => Value, resultType: string): string {
  let args = inst.args.map(resolve);
  if (opInfo(inst.op).commutative === true) args = [...args].sort((x, y) => x - y);
  const imm = inst.imm === undefined ? '' : `${typeof inst.imm}:${String(inst.imm)}`;
  return [inst.op, resultType, inst.type ?? '', imm, inst.cc ?? '', inst.fcc ?? '', inst.index ?? '', inst.table ?? '', args.join(',')].join('|');
}
