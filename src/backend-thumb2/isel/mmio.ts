// Peripheral register accesses (the HAL's read8/16/32, write8/16/32): one load or store on
// an absolute address, never relative to r9. The lowering has already checked the address
// against the granted ranges. A constant address is materialised with movw/movt, its low
// 12 bits going into the load's immediate offset; a computed one is used as it is.

import type { Inst } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { Address, LoadOp, StoreOp } from '../mir.js';
import type { Rule, SelectionContext } from './context.js';

const LOAD_OPS: Record<number, LoadOp> = { 1: 'ldrb', 2: 'ldrh', 4: 'ldr' };
const STORE_OPS: Record<number, StoreOp> = { 1: 'strb', 2: 'strh', 4: 'str' };
/** The largest positive immediate offset of LDR/STR (T3 encodings). */
const MAX_IMM12 = 4095;

/** [base, #offset] for addr + mem.offset: a constant is split into a register holding its
 *  high part and an immediate of its low 12 bits; a computed address gives [addr, #offset]. */
function mmioAddress(ctx: SelectionContext, inst: Inst): Address {
  const offset = inst.mem!.offset;
  const constant = ctx.constant32(inst.args[0]!);
  if (constant !== undefined) {
    const absolute = (constant + offset) >>> 0;
    const low = absolute & 0xfff;
    return { kind: 'imm', rn: ctx.materialize((absolute - low) | 0), offset: low };
  }
  const rn = ctx.useReg(inst.args[0]!);
  if (offset <= MAX_IMM12) return { kind: 'imm', rn, offset };
  const sum = ctx.newVreg();
  ctx.emit({ op: 'add', rd: sum, rn, src: ctx.immOperand(offset), s: 'any' });
  return { kind: 'imm', rn: sum, offset: 0 };
}

/** mmio_load -> ldr[bh] d, [addr]. */
const selectMmioLoad: Rule = (ctx, inst) => {
  const addr = mmioAddress(ctx, inst);
  ctx.emit({ op: LOAD_OPS[inst.mem!.bytes]!, rt: ctx.defReg(inst.results[0]!), addr });
};

/** mmio_store -> str[bh] v, [addr]. */
const selectMmioStore: Rule = (ctx, inst) => {
  const value = ctx.useReg(inst.args[1]!);
  const addr = mmioAddress(ctx, inst);
  ctx.emit({ op: STORE_OPS[inst.mem!.bytes]!, rt: value, addr });
};

export const MMIO_RULES = {
  mmio_load: selectMmioLoad,
  mmio_store: selectMmioStore,
} satisfies Partial<Record<Opcode, Rule>>;
