// Instruction selection for one function: every IR opcode has one rule (a missing row is a
// type error), rules for integer ops pick the i32 or the i64 lowering by operand width.

import { InternalError } from '../../diagnostics/errors.js';
import type { IrFunction } from '../../ir/function.js';
import type { IrModule } from '../../ir/module.js';
import { opInfo, type Opcode } from '../../ir/opcodes.js';
import { functionSymbol } from '../symbols.js';
import { branchTargets } from '../inst-registers.js';
import type { VBlock, VFunction } from '../vcode.js';
import { ARITH32_RULES } from './arith32.js';
import { ARITH64_RULES, WIDTH_RULES } from './arith64.js';
import { BULK_MEMORY_RULES } from './bulk-memory.js';
import { CALL_RULES, selectParameters } from './calls.js';
import { COMPARE_RULES } from './compare.js';
import { byWidth, SelectionContext, type Rule } from './context.js';
import { CONTROL_RULES } from './control.js';
import { DIVIDE32_RULES, DIVIDE64_RULES } from './divide.js';
import { FLOAT_RULES } from './float.js';
import { withHardFloat } from './float-hard.js';
import { SOFT_FLOAT_TARGET, type TargetFeatures } from '../target.js';
import { MEMORY_RULES } from './memory.js';
import { MMIO_RULES } from './mmio.js';
import { TABLE_RULES } from './tables.js';

/** iconst emits nothing: constants are materialised at each use (SelectionContext.useRegs). */
const selectIconst: Rule = () => {};

type WidthOp = keyof typeof ARITH32_RULES | keyof typeof DIVIDE32_RULES;

function widthRules(): Record<WidthOp, Rule> {
  const rules = {} as Record<WidthOp, Rule>;
  for (const op of Object.keys(ARITH32_RULES) as (keyof typeof ARITH32_RULES)[]) rules[op] = byWidth(ARITH32_RULES[op], ARITH64_RULES[op]);
  for (const op of Object.keys(DIVIDE32_RULES) as (keyof typeof DIVIDE32_RULES)[]) rules[op] = byWidth(DIVIDE32_RULES[op], DIVIDE64_RULES[op]);
  return rules;
}

const RULES: Record<Opcode, Rule> = {
  iconst: selectIconst,
  ...widthRules(),
  ...WIDTH_RULES,
  ...COMPARE_RULES,
  ...withHardFloat(FLOAT_RULES),
  ...MEMORY_RULES,
  ...MMIO_RULES,
  ...BULK_MEMORY_RULES,
  ...CALL_RULES,
  ...TABLE_RULES,
  ...CONTROL_RULES,
};

/** What may change the memory bound: memory.grow itself, and calls (the callee may grow). */
const MAY_GROW_MEMORY: ReadonlySet<Opcode> = new Set<Opcode>(['memory_grow', 'call', 'call_indirect']);

/** IR function -> machine code on virtual registers, blocks in layout order. */
export function selectFunction(f: IrFunction, mod: IrModule, target: TargetFeatures = SOFT_FLOAT_TARGET): VFunction {
  const ctx = new SelectionContext(f, mod, target);
  ctx.switchTo(ctx.setupLabel);
  selectParameters(ctx);
  ctx.reloadMemoryBound();
  if (f.blocks.length === 0) throw new InternalError('thumb2 isel', `function ${f.name} has no blocks`);
  ctx.emit({ op: 'b', target: ctx.labelOf(f.blocks[0]!.id) });
  for (const block of f.blocks) {
    ctx.beginIrBlock(block.id);
    for (const inst of block.insts) {
      const unused = inst.results.length > 0 && inst.results.every((v) => ctx.useCounts[v] === 0);
      if (unused && opInfo(inst.op).pure === true) continue;
      RULES[inst.op](ctx, inst);
      if (MAY_GROW_MEMORY.has(inst.op)) ctx.reloadMemoryBound();
    }
  }
  return {
    symbol: functionSymbol(mod, f.index),
    name: f.name,
    wasmIndex: f.index,
    blocks: inLayoutOrder(ctx.blocks, ctx.layoutOrder()),
    nextVreg: ctx.vregCount,
    outgoingArgBytes: ctx.outgoingArgBytes,
    spillSlots: 0,
    hasCalls: ctx.hasCalls,
  };
}

/** Reorder blocks and renumber branch targets to the new positions. */
function inLayoutOrder(blocks: readonly VBlock[], order: readonly number[]): VBlock[] {
  const position = new Map(order.map((label, i) => [label, i]));
  const remap = (label: number): number => position.get(label)!;
  return order.map((label) => {
    const block = blocks[label]!;
    return {
      srcOffset: block.srcOffset,
      ...(block.ordinal !== undefined ? { ordinal: block.ordinal } : {}),
      ...(block.frequency !== undefined ? { frequency: block.frequency } : {}),
      insts: block.insts.map((vi) => (branchTargets(vi.inst).length === 0 ? vi : { ...vi, inst: retarget(vi.inst, remap) })),
    };
  });
}

function retarget<I extends { op: string }>(inst: I, remap: (l: number) => number): I {
  return 'target' in inst ? { ...inst, target: remap(inst.target as number) } : inst;
}
