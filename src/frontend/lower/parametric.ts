// Parametric instructions: drop and select, which work on the operand stack whatever the
// value's type.

import type { LowerRule } from './context.js';

export const parametricRules: Readonly<Record<string, LowerRule>> = {
  // drop -> forget the value (the instruction that made it stays for dead-code elimination)
  'drop': (ctx) => {
    ctx.pop();
  },
  // select a b c -> select c, a, b (typed select: numeric types only for now)
  'select': (ctx, ins) => {
    if (ins.types !== undefined) ctx.intTypes(ins.types, 'select');
    const [ifTrue, ifFalse, cond] = ctx.popN(3);
    ctx.push(ctx.b.value('select', ctx.valueTypeOf(ifTrue!), { args: [cond!, ifTrue!, ifFalse!] }));
  },
};
