// Variable instructions: locals are SSA values tracked by the lowering (no IR at all for
// local.get/set/tee), globals are global_get/global_set of defined integer globals.

import type { Instr } from '../module.js';
import type { FunctionLowering, LowerRule } from './context.js';
import { asIrType } from './signatures.js';

export const variableRules: Readonly<Record<string, LowerRule>> = {
  // local.get -> push the local's current value
  'local.get': (ctx, ins) => ctx.push(readLocal(ctx, ins)),
  // local.set -> the popped value becomes the local's current value
  'local.set': (ctx, ins) => {
    ctx.locals[ins.index!] = ctx.pop();
  },
  // local.tee -> like local.set, the value stays on the stack
  'local.tee': (ctx, ins) => {
    ctx.locals[ins.index!] = ctx.peekN(1)[0]!;
  },
  // global.get -> global_get index
  'global.get': (ctx, ins) => ctx.push(ctx.b.value('global_get', globalType(ctx, ins), { index: ins.index! })),
  // global.set -> global_set index, value
  'global.set': (ctx, ins) => {
    globalType(ctx, ins);
    ctx.b.emit('global_set', { args: [ctx.pop()], index: ins.index! });
  },
};

function readLocal(ctx: FunctionLowering, ins: Instr) {
  const v = ctx.locals[ins.index!];
  if (v === undefined) throw ctx.unsupported(`${ins.op} (${ctx.localTypes[ins.index!]})`);
  return v;
}

/** The IR type of a global, defined or imported (an imported one is read through the exporter's symbol). */
function globalType(ctx: FunctionLowering, ins: Instr) {
  const index = ins.index!;
  const imported = ctx.m.imports.flatMap((i) => (i.desc.kind === 'global' ? [i.desc.type] : []));
  const global = index < imported.length ? imported[index] : ctx.m.globals[index - imported.length]?.type;
  if (global === undefined) throw ctx.broken(`no global ${index}`);
  const type = asIrType(global.type);
  if (type === undefined) throw ctx.unsupported(`${ins.op} (${global.type})`);
  return type;
}
