// Linear memory instructions that change memory as a whole rather than one access:
// memory.grow and the bulk memory operations (memory.copy, memory.fill, memory.init,
// data.drop). Each is one IR instruction; the bounds checks and the loops live behind it
// (the backend calls runtime-c, docs/abi.md "Linear memory").

import type { LowerRule } from './context.js';

export const bulkMemoryRules: Readonly<Record<string, LowerRule>> = {
  // memory.grow -> memory_grow(delta): old pages or -1
  'memory.grow': (ctx) => ctx.push(ctx.b.value('memory_grow', 'i32', { args: [ctx.pop()] })),
  // memory.copy -> memory_copy(dst, src, n)
  'memory.copy': (ctx) => {
    ctx.b.emit('memory_copy', { args: ctx.popN(3) });
  },
  // memory.fill -> memory_fill(dst, byte, n)
  'memory.fill': (ctx) => {
    ctx.b.emit('memory_fill', { args: ctx.popN(3) });
  },
  // memory.init seg -> memory_init data<seg>(dst, src, n)
  'memory.init': (ctx, ins) => {
    ctx.b.emit('memory_init', { args: ctx.popN(3), index: ins.index! });
  },
  // data.drop seg -> data_drop data<seg>
  'data.drop': (ctx, ins) => {
    ctx.b.emit('data_drop', { index: ins.index! });
  },
};
