// Linear memory instructions: integer and float loads and stores (bounds-checked in the
// IR, the width and sign extension in `mem`) and memory.size. memory.grow and bulk memory
// have no rule yet.

import type { MemAccess } from '../../ir/function.js';
import type { Instr } from '../module.js';
import type { LowerRule } from './context.js';
import type { Type } from '../../ir/types.js';

interface Access {
  readonly type: Type;
  readonly bytes: MemAccess['bytes'];
  readonly signed: boolean;
}

/** Loads: Wasm mnemonic -> load of `bytes`, extended to `type` (signed or not). */
const LOADS: Readonly<Record<string, Access>> = {
  'i32.load': { type: 'i32', bytes: 4, signed: false },
  'i32.load8_s': { type: 'i32', bytes: 1, signed: true },
  'i32.load8_u': { type: 'i32', bytes: 1, signed: false },
  'i32.load16_s': { type: 'i32', bytes: 2, signed: true },
  'i32.load16_u': { type: 'i32', bytes: 2, signed: false },
  'i64.load': { type: 'i64', bytes: 8, signed: false },
  'i64.load8_s': { type: 'i64', bytes: 1, signed: true },
  'i64.load8_u': { type: 'i64', bytes: 1, signed: false },
  'i64.load16_s': { type: 'i64', bytes: 2, signed: true },
  'i64.load16_u': { type: 'i64', bytes: 2, signed: false },
  'i64.load32_s': { type: 'i64', bytes: 4, signed: true },
  'i64.load32_u': { type: 'i64', bytes: 4, signed: false },
  'f32.load': { type: 'f32', bytes: 4, signed: false },
  'f64.load': { type: 'f64', bytes: 8, signed: false },
};

/** Stores: Wasm mnemonic -> store of the low `bytes` of the value. */
const STORES: Readonly<Record<string, MemAccess['bytes']>> = {
  'i32.store': 4,
  'i32.store8': 1,
  'i32.store16': 2,
  'i64.store': 8,
  'i64.store8': 1,
  'i64.store16': 2,
  'i64.store32': 4,
  'f32.store': 4,
  'f64.store': 8,
};

function memAccess(ins: Instr, bytes: MemAccess['bytes'], signed: boolean): MemAccess {
  return { offset: ins.memarg!.offset, bytes, signed };
}

const loadRule = ({ type, bytes, signed }: Access): LowerRule => (ctx, ins) => {
  const addr = ctx.pop();
  ctx.push(ctx.b.value('load', type, { args: [addr], mem: memAccess(ins, bytes, signed) }));
};

const storeRule = (bytes: MemAccess['bytes']): LowerRule => (ctx, ins) => {
  const [addr, value] = ctx.popN(2);
  ctx.b.emit('store', { args: [addr!, value!], mem: memAccess(ins, bytes, false) });
};

export const memoryRules: Readonly<Record<string, LowerRule>> = {
  ...Object.fromEntries(Object.entries(LOADS).map(([name, access]) => [name, loadRule(access)])),
  ...Object.fromEntries(Object.entries(STORES).map(([name, bytes]) => [name, storeRule(bytes)])),
  // memory.size -> memory_size (pages, i32)
  'memory.size': (ctx) => ctx.push(ctx.b.value('memory_size', 'i32', {})),
};
