// Reference and table instructions. A reference is an i32 in the IR (docs/abi.md, "Tables
// and references"): null is 0, a funcref is its function's descriptor address (func_ref).
// ref.null and ref.is_null need no opcode of their own; every table access is one IR
// opcode that the backend checks and performs.

import type { Value } from '../../ir/types.js';
import type { LowerRule } from './context.js';

export const referenceRules: Readonly<Record<string, LowerRule>> = {
  // ref.null t -> iconst.i32 0
  'ref.null': (ctx) => ctx.push(ctx.b.iconst('i32', 0)),
  // ref.is_null r -> icmp.eq r, 0
  'ref.is_null': (ctx) => {
    const ref = ctx.pop();
    ctx.push(ctx.b.value('icmp', 'i32', { cc: 'eq', args: [ref, ctx.b.iconst('i32', 0)] }));
  },
  // ref.func f -> func_ref f
  'ref.func': (ctx, ins) => ctx.push(ctx.b.value('func_ref', 'i32', { index: ins.index! })),
  // table.get t i -> table_get table t, i
  'table.get': (ctx, ins) => {
    const index = ctx.pop();
    ctx.push(ctx.b.value('table_get', 'i32', { table: ins.index!, args: [index] }));
  },
  // table.set t i r -> table_set table t, i, r
  'table.set': (ctx, ins) => emitStatement(ctx, 'table_set', ins.index!, undefined, ctx.popN(2)),
  // table.size t -> table_size table t
  'table.size': (ctx, ins) => ctx.push(ctx.b.value('table_size', 'i32', { table: ins.index! })),
  // table.grow t r n -> table_grow table t, r, n
  'table.grow': (ctx, ins) => {
    const args = ctx.popN(2);
    ctx.push(ctx.b.value('table_grow', 'i32', { table: ins.index!, args }));
  },
  // table.fill t i r n -> table_fill table t, i, r, n
  'table.fill': (ctx, ins) => emitStatement(ctx, 'table_fill', ins.index!, undefined, ctx.popN(3)),
  // table.copy dst src d s n -> table_copy t<src> table<dst>, d, s, n
  'table.copy': (ctx, ins) => emitStatement(ctx, 'table_copy', ins.index!, ins.index2!, ctx.popN(3)),
  // table.init elem table d s n -> table_init elem<e> table<t>, d, s, n
  'table.init': (ctx, ins) => emitStatement(ctx, 'table_init', ins.index2!, ins.index!, ctx.popN(3)),
  // elem.drop e -> elem_drop elem<e>
  'elem.drop': (ctx, ins) => {
    ctx.b.emit('elem_drop', { index: ins.index! });
  },
};

type TableStatement = 'table_set' | 'table_fill' | 'table_copy' | 'table_init';

function emitStatement(ctx: Parameters<LowerRule>[0], op: TableStatement, table: number, index: number | undefined, args: Value[]): void {
  ctx.b.emit(op, { table, args, ...(index !== undefined && { index }) });
}
