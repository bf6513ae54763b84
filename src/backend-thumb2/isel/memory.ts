// Linear memory (bounds-checked loads and stores, memory.size) and globals.
//
// Bounds check (docs/abi.md): with k = offset + width, t = addr + k must not carry and must
// be <= the bound at [r9, #-4]; the access is then at [r9 + t, #-width].

import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import { R9, type LoadOp, type Reg, type StoreOp } from '../mir.js';
import { tryThumbExpandImm } from '../operands.js';
import { globalSymbol } from '../symbols.js';
import type { Rule, SelectionContext } from './context.js';

const MAX_U32 = 0xffffffff;

/** The checked end address: returns the register holding r9 + addr + k (the access is at #-width). */
function checkedEnd(ctx: SelectionContext, inst: Inst, addr: Reg): Reg {
  const mem = inst.mem!;
  const k = mem.offset + mem.bytes;
  const end = ctx.newVreg();
  if (k > MAX_U32) {
    // Always out of bounds: the access below is never reached.
    ctx.emit({ op: 'b', target: ctx.trapLabel('out of bounds memory access', inst.srcOffset) });
    ctx.emit({ op: 'mov', rd: end, src: { kind: 'reg', rm: R9 }, s: 'any' });
    return end;
  }
  const src = tryThumbExpandImm(k) !== undefined ? { kind: 'imm', value: k } as const : { kind: 'reg', rm: ctx.materialize(k) } as const;
  if (mem.inBounds === true) {
    // A dominating access of the same address already checked an end >= this one (IR pass
    // bounds-check-elim): no carry, no compare.
    ctx.emit({ op: 'add', rd: end, rn: addr, src, s: 'any' });
    const checked = ctx.newVreg();
    ctx.emit({ op: 'add', rd: checked, rn: end, src: { kind: 'reg', rm: R9 }, s: 'any' });
    return checked;
  }
  ctx.emit({ op: 'add', rd: end, rn: addr, src, s: 'set' });
  ctx.trapIf('cs', 'out of bounds memory access', inst);
  const bound = ctx.newVreg();
  ctx.emit({ op: 'ldr', rt: bound, addr: { kind: 'imm', rn: R9, offset: -4 } });
  ctx.emit({ op: 'cmp', rn: end, src: { kind: 'reg', rm: bound } });
  ctx.trapIf('hi', 'out of bounds memory access', inst);
  const address = ctx.newVreg();
  ctx.emit({ op: 'add', rd: address, rn: end, src: { kind: 'reg', rm: R9 }, s: 'any' });
  return address;
}

function narrowLoad(bytes: number, signed: boolean): LoadOp {
  if (bytes === 1) return signed ? 'ldrsb' : 'ldrb';
  if (bytes === 2) return signed ? 'ldrsh' : 'ldrh';
  return 'ldr';
}

const STORE_OPS: Record<number, StoreOp> = { 1: 'strb', 2: 'strh', 4: 'str', 8: 'str' };

/** load -> bounds check; ldr[s][bh] d, [t, #-width] (i64: two words, or extend into hi). */
const selectLoad: Rule = (ctx, inst) => {
  const { bytes, signed } = inst.mem!;
  const base = checkedEnd(ctx, inst, ctx.useReg(inst.args[0]!));
  const out = ctx.defRegs(inst.results[0]!);
  const at = (offset: number) => ({ kind: 'imm', rn: base, offset } as const);
  if (bytes === 8) {
    ctx.emit({ op: 'ldr', rt: out[0]!, addr: at(-8) });
    ctx.emit({ op: 'ldr', rt: out[1]!, addr: at(-4) });
    return;
  }
  ctx.emit({ op: narrowLoad(bytes, signed), rt: out[0]!, addr: at(-bytes) });
  if (out.length === 2) {
    if (signed) ctx.emit({ op: 'asr', rd: out[1]!, rm: out[0]!, src: { kind: 'imm', value: 31 }, s: 'any' });
    else ctx.emit({ op: 'mov', rd: out[1]!, src: { kind: 'imm', value: 0 }, s: 'any' });
  }
};

/** store -> bounds check; str[bh] v, [t, #-width] (i64 8 bytes: two words). */
const selectStore: Rule = (ctx, inst) => {
  const { bytes } = inst.mem!;
  const value = ctx.useRegs(inst.args[1]!);
  const base = checkedEnd(ctx, inst, ctx.useReg(inst.args[0]!));
  if (bytes === 8) {
    ctx.emit({ op: 'str', rt: value[0]!, addr: { kind: 'imm', rn: base, offset: -8 } });
    ctx.emit({ op: 'str', rt: value[1]!, addr: { kind: 'imm', rn: base, offset: -4 } });
    return;
  }
  ctx.emit({ op: STORE_OPS[bytes]!, rt: value[0]!, addr: { kind: 'imm', rn: base, offset: -bytes } });
};

/** memory_size -> ldr d, [r9, #-8]. */
const selectMemorySize: Rule = (ctx, inst) => {
  ctx.emit({ op: 'ldr', rt: ctx.defReg(inst.results[0]!), addr: { kind: 'imm', rn: R9, offset: -8 } });
};

/** movw/movt of the global's symbol. */
function globalAddress(ctx: SelectionContext, index: number): Reg {
  const rd = ctx.newVreg();
  const sym = { name: globalSymbol(ctx.mod, index), addend: 0 };
  ctx.emit({ op: 'movw', rd, imm: 0, sym });
  ctx.emit({ op: 'movt', rd, imm: 0, sym });
  return rd;
}

/** global_get -> movw/movt g; ldr d, [g] (i64: two words). */
const selectGlobalGet: Rule = (ctx, inst) => {
  const base = globalAddress(ctx, inst.index!);
  ctx.defRegs(inst.results[0]!).forEach((rt, w) => ctx.emit({ op: 'ldr', rt, addr: { kind: 'imm', rn: base, offset: 4 * w } }));
};

/** global_set -> movw/movt g; str v, [g] (i64: two words). */
const selectGlobalSet: Rule = (ctx, inst) => {
  const value = ctx.useRegs(inst.args[0]!);
  const base = globalAddress(ctx, inst.index!);
  value.forEach((rt, w) => ctx.emit({ op: 'str', rt, addr: { kind: 'imm', rn: base, offset: 4 * w } }));
};

export const MEMORY_RULES = {
  load: selectLoad,
  store: selectStore,
  memory_size: selectMemorySize,
  global_get: selectGlobalGet,
  global_set: selectGlobalSet,
} satisfies Partial<Record<Opcode, Rule>>;
