// Call instructions: direct calls and checked indirect calls through a table, with any
// number of results (the backend's multi-value ABI is in docs/abi.md, "Calls").

import type { Type } from '../../ir/types.js';
import { funcTypeOf, type FuncType, type Instr } from '../module.js';
import type { FunctionLowering, LowerRule } from './context.js';
import { inlineHalImport, lowerInlineHalCall } from './hal.js';

export const callRules: Readonly<Record<string, LowerRule>> = {
  // call f -> call f(args...); call mcu.readN/writeN -> mmio_load/mmio_store (hal.ts)
  'call': (ctx, ins) => {
    const hal = inlineHalImport(ctx.m, ins.index!);
    if (hal !== undefined) return lowerInlineHalCall(ctx, ins, hal, ctx.hal);
    const type = funcTypeOf(ctx.m, ins.index!);
    const results = callResults(ctx, ins, type);
    const args = ctx.popN(type.params.length);
    ctx.stack.push(...ctx.b.emit('call', { index: ins.index!, args }, results).results);
  },
  // call_indirect type table -> call_indirect(args..., element index), sig = type index
  'call_indirect': (ctx, ins) => {
    const type = ctx.m.types[ins.index!];
    if (type === undefined) throw ctx.broken(`no type ${ins.index}`);
    const results = callResults(ctx, ins, type);
    const element = ctx.pop();
    const args = ctx.popN(type.params.length);
    const call = ctx.b.emit('call_indirect', { index: ins.index!, table: ins.index2 ?? 0, args: [...args, element] }, results);
    ctx.stack.push(...call.results);
  },
};

/** The IR result types of a call, after checking that its signature is supported. */
function callResults(ctx: FunctionLowering, ins: Instr, type: FuncType): Type[] {
  ctx.intTypes(type.params, ins.op);
  return ctx.intTypes(type.results, ins.op);
}
