// memory.grow and the bulk memory operations: calls into runtime-c (runtime-c/memory.c),
// which owns the memory context and the copy loops (docs/abi.md, "Linear memory").
//
// The bulk operations check their whole range before writing anything and return 0, or 1
// when the range is out of bounds; the trap itself stays here, at a trap site of this
// function, so the report names the Wasm function and offset.

import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { Reg } from '../mir.js';
import { emitHelperCall } from './calls.js';
import type { Rule, SelectionContext } from './context.js';

export const MEMORY_GROW_HELPER = '__mcu_memory_grow';
export const MEMORY_COPY_HELPER = '__mcu_memory_copy';
export const MEMORY_FILL_HELPER = '__mcu_memory_fill';
export const MEMORY_INIT_HELPER = '__mcu_memory_init';
export const DATA_DROP_HELPER = '__mcu_data_drop';

/** memory_grow(delta) -> bl __mcu_memory_grow(delta): old pages or -1 in r0. */
const selectMemoryGrow: Rule = (ctx, inst) => {
  emitHelperCall(ctx, MEMORY_GROW_HELPER, [ctx.useReg(inst.args[0]!)], [[0, ctx.defReg(inst.results[0]!)]]);
};

/** A checked bulk operation: bl helper(args); cmp status, #0; bne trap(out of bounds). */
function checkedHelperCall(ctx: SelectionContext, inst: Inst, symbol: string, args: readonly Reg[]): void {
  const status = ctx.newVreg();
  emitHelperCall(ctx, symbol, args, [[0, status]]);
  ctx.emit({ op: 'cmp', rn: status, src: { kind: 'imm', value: 0 } });
  ctx.trapIf('ne', 'out of bounds memory access', inst);
}

const argRegs = (ctx: SelectionContext, inst: Inst): Reg[] => inst.args.map((v) => ctx.useReg(v));

/** memory_copy(dst, src, n) -> __mcu_memory_copy(dst, src, n), trap when it returns nonzero. */
const selectMemoryCopy: Rule = (ctx, inst) => checkedHelperCall(ctx, inst, MEMORY_COPY_HELPER, argRegs(ctx, inst));

/** memory_fill(dst, byte, n) -> __mcu_memory_fill(dst, byte, n), trap when it returns nonzero. */
const selectMemoryFill: Rule = (ctx, inst) => checkedHelperCall(ctx, inst, MEMORY_FILL_HELPER, argRegs(ctx, inst));

/** memory_init data<s>(dst, src, n) -> __mcu_memory_init(dst, src, n, s), trap when nonzero. */
const selectMemoryInit: Rule = (ctx, inst) => {
  const args = argRegs(ctx, inst);
  checkedHelperCall(ctx, inst, MEMORY_INIT_HELPER, [...args, ctx.materialize(inst.index!)]);
};

/** data_drop data<s> -> __mcu_data_drop(s). */
const selectDataDrop: Rule = (ctx, inst) => {
  emitHelperCall(ctx, DATA_DROP_HELPER, [ctx.materialize(inst.index!)], []);
};

export const BULK_MEMORY_RULES = {
  memory_grow: selectMemoryGrow,
  memory_copy: selectMemoryCopy,
  memory_fill: selectMemoryFill,
  memory_init: selectMemoryInit,
  data_drop: selectDataDrop,
} satisfies Partial<Record<Opcode, Rule>>;
