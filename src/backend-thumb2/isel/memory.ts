// Linear memory (bounds-checked loads and stores, memory.size) and globals.
//
// Bounds check (docs/abi.md): with k = offset + width, t = addr + k must not carry and must
// be <= the bound at [r9, #-4]; the access is then at [r9, addr] (no offset) or
// [r9 + addr, #offset]. With --bounds=mask (target.maskBits) there is no check: the
// address wraps modulo the power-of-two physical size instead.

import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import { InternalError } from '../../diagnostics/errors.js';
import { R9, type Address, type Cond, type LoadOp, type Reg, type StoreOp } from '../mir.js';
import { tryThumbExpandImm } from '../operands.js';
import { globalSymbol } from '../symbols.js';
import type { Rule, SelectionContext } from './context.js';

const MAX_U32 = 0xffffffff;
/** The largest offset of `ldr rt, [rn, #imm12]`. */
const MAX_IMM_OFFSET = 4095;

/**
 * Bounds-check the address of `inst` (trap on failure) and return where its first byte is.
 * `words` 2 asks for an immediate form, so that the caller can reach the second word at +4.
 */
function accessAddress(ctx: SelectionContext, inst: Inst, words: 1 | 2): Address {
  const constant = ctx.constant32(inst.args[0]!);
  if (ctx.target.maskBits !== undefined) return maskedAddress(ctx, inst, ctx.useReg(inst.args[0]!), ctx.target.maskBits, words);
  if (constant !== undefined) return constantAddress(ctx, inst, constant >>> 0, words);
  const addr = ctx.useReg(inst.args[0]!);
  const mem = inst.mem!;
  const k = mem.offset + mem.bytes;
  if (k > MAX_U32) {
    // Always out of bounds: the access below is never reached.
    ctx.emit({ op: 'b', target: ctx.trapLabel('out of bounds memory access', inst) });
    return { kind: 'imm', rn: R9, offset: 0 };
  }
  // A dominating access of the same address already checked an end >= this one (IR pass
  // bounds-check-elim): no carry, no compare.
  if (mem.inBounds !== true) checkEnd(ctx, inst, addr, k);
  return addressAt(ctx, addr, mem.offset, words);
}

/**
 * A constant address c: the end c + offset + width is known, so the check is one compare
 * of the bound against it (bound < end traps) and the access is [r9, #c + offset] when that
 * fits the 12-bit immediate. No register holds the address.
 */
function constantAddress(ctx: SelectionContext, inst: Inst, c: number, words: 1 | 2): Address {
  const mem = inst.mem!;
  const at = c + mem.offset;
  const end = at + mem.bytes;
  if (end > MAX_U32) {
    ctx.emit({ op: 'b', target: ctx.trapLabel('out of bounds memory access', inst) });
    return { kind: 'imm', rn: R9, offset: 0 };
  }
  if (mem.inBounds !== true) {
    compareWithBound(ctx, inst, 'cc', () => ctx.emit({ op: 'cmp', rn: ctx.memoryBound(), src: ctx.immOperand(end | 0) }));
  }
  if (at + 4 * (words - 1) <= MAX_IMM_OFFSET) return { kind: 'imm', rn: R9, offset: at };
  const base = ctx.newVreg();
  ctx.emit({ op: 'add', rd: base, rn: ctx.materialize(at | 0), src: { kind: 'reg', rm: R9 }, s: 'any' });
  return { kind: 'imm', rn: base, offset: 0 };
}

/** t = addr + k must not carry and must be <= the bound (SelectionContext.memoryBound). */
function checkEnd(ctx: SelectionContext, inst: Inst, addr: Reg, k: number): void {
  const end = ctx.newVreg();
  const src = tryThumbExpandImm(k) !== undefined ? { kind: 'imm', value: k } as const : { kind: 'reg', rm: ctx.materialize(k) } as const;
  ctx.emit({ op: 'add', rd: end, rn: addr, src, s: 'set' });
  ctx.trapIf('cs', 'out of bounds memory access', inst);
  compareWithBound(ctx, inst, 'hi', () => ctx.emit({ op: 'cmp', rn: end, src: { kind: 'reg', rm: ctx.memoryBound() } }));
}

/**
 * `compare` sets the flags so that `outside` holds when the access is beyond the bound
 * register. When memory can grow, the bound register may be stale (an interrupt handler
 * grew memory since it was loaded: docs/abi.md), so a failing compare goes to a cold block
 * that reloads the bound from [r9, #-4], compares again and only then traps; otherwise it
 * returns to the access (with the fresh bound in the register for the accesses after it).
 * The hot path is the same compare and branch either way.
 */
function compareWithBound(ctx: SelectionContext, inst: Inst, outside: Cond, compare: () => void): void {
  compare();
  if (!ctx.boundMayGrow) {
    ctx.trapIf(outside, 'out of bounds memory access', inst);
    return;
  }
  const recheck = ctx.coldBlock(inst.srcOffset);
  ctx.emit({ op: 'b', cond: outside, target: recheck });
  const access = ctx.continueInNewBlock(inst.srcOffset);
  ctx.switchTo(recheck);
  ctx.reloadMemoryBound();
  compare();
  ctx.trapIf(outside, 'out of bounds memory access', inst);
  ctx.emit({ op: 'b', target: access });
  ctx.switchTo(access);
}

/** r9 + addr + offset (offset <= 2^32 - 9, the check passed) as an address operand:
 *  [r9, addr] when there is no offset, else [r9 + addr, #offset] (offset in a register
 *  when it is beyond the 12-bit immediate). */
function addressAt(ctx: SelectionContext, addr: Reg, offset: number, words: 1 | 2): Address {
  if (offset === 0 && words === 1) return { kind: 'reg', rn: R9, rm: addr, shift: 0 };
  const base = ctx.newVreg();
  ctx.emit({ op: 'add', rd: base, rn: addr, src: { kind: 'reg', rm: R9 }, s: 'any' });
  if (offset + 4 * (words - 1) <= MAX_IMM_OFFSET) return { kind: 'imm', rn: base, offset };
  const far = ctx.newVreg();
  ctx.emit({ op: 'add', rd: far, rn: base, src: ctx.immOperand(offset | 0), s: 'any' });
  return { kind: 'imm', rn: far, offset: 0 };
}

/** --bounds=mask: (addr + offset) mod 2^bits, by ubfx; no check, no trap. */
function maskedAddress(ctx: SelectionContext, inst: Inst, addr: Reg, bits: number, words: 1 | 2): Address {
  const offset = inst.mem!.offset;
  let effective = addr;
  if (offset !== 0) {
    effective = ctx.newVreg();
    ctx.emit({ op: 'add', rd: effective, rn: addr, src: ctx.immOperand(offset | 0), s: 'any' });
  }
  const wrapped = ctx.newVreg();
  ctx.emit({ op: 'ubfx', rd: wrapped, rn: effective, lsb: 0, width: bits });
  return addressAt(ctx, wrapped, 0, words);
}

function narrowLoad(bytes: number, signed: boolean): LoadOp {
  if (bytes === 1) return signed ? 'ldrsb' : 'ldrb';
  if (bytes === 2) return signed ? 'ldrsh' : 'ldrh';
  return 'ldr';
}

const STORE_OPS: Record<number, StoreOp> = { 1: 'strb', 2: 'strh', 4: 'str', 8: 'str' };

/** The second word of an 8-byte access whose first word is at `first` (an immediate form). */
function secondWord(first: Address): Address {
  if (first.kind !== 'imm') throw new InternalError('thumb2 isel', '8-byte access without an immediate address');
  return { ...first, offset: first.offset + 4 };
}

/** load -> bounds check; ldr[s][bh] d, <address> (i64: two words, or extend into hi). */
const selectLoad: Rule = (ctx, inst) => {
  const { bytes, signed } = inst.mem!;
  const at = accessAddress(ctx, inst, bytes === 8 ? 2 : 1);
  const out = ctx.defRegs(inst.results[0]!);
  if (bytes === 8) {
    ctx.emit({ op: 'ldr', rt: out[0]!, addr: at });
    ctx.emit({ op: 'ldr', rt: out[1]!, addr: secondWord(at) });
    return;
  }
  ctx.emit({ op: narrowLoad(bytes, signed), rt: out[0]!, addr: at });
  if (out.length === 2) {
    if (signed) ctx.emit({ op: 'asr', rd: out[1]!, rm: out[0]!, src: { kind: 'imm', value: 31 }, s: 'any' });
    else ctx.emit({ op: 'mov', rd: out[1]!, src: { kind: 'imm', value: 0 }, s: 'any' });
  }
};

/** store -> bounds check; str[bh] v, <address> (i64 8 bytes: two words). */
const selectStore: Rule = (ctx, inst) => {
  const { bytes } = inst.mem!;
  const value = ctx.useRegs(inst.args[1]!);
  const at = accessAddress(ctx, inst, bytes === 8 ? 2 : 1);
  if (bytes === 8) {
    ctx.emit({ op: 'str', rt: value[0]!, addr: at });
    ctx.emit({ op: 'str', rt: value[1]!, addr: secondWord(at) });
    return;
  }
  ctx.emit({ op: STORE_OPS[bytes]!, rt: value[0]!, addr: at });
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
