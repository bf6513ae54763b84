// The Thumb-2 decoder: halfwords back to a row of the encoding table and its operands.
//
// It reads the same table the encoder writes from (encodings.ts). A word matches a row
// when its fixed bits do ((word & mask) === pattern) and no `forbid` combination holds;
// rows with more fixed bits are tried first, so TST beats ANDS with Rd=1111, POP beats
// LDM and LDREXB beats LDRD. The field kinds are read back in reverse: a modified
// immediate is expanded, a shift type and amount become a Shift (RRX is ROR #0), a
// branch field becomes a byte offset, a register list a register array.
//
// The decoder allocates one DecodedInst per call; the simulator caches it per address.

import type { BitSlice, Encoding, FieldKind, OperandName } from './encodings.js';
import { ENCODINGS } from './encodings.js';
import { sReg, type Cond, type Reg, type Shift } from './mir.js';
import { CONDITIONS, SHIFT_TYPES, expandThumbImm } from './operands.js';
import type { Operands } from './selection.js';

/** Operands of a decoded instruction: the encoder's names, plus what only decoding needs. */
export interface DecodedOperands extends Operands {
  /** The S bit of an 'sBit' row (undefined for other rows). */
  readonly S?: number;
}

export interface DecodedInst {
  readonly encoding: Encoding;
  /** Size in bytes. */
  readonly size: 2 | 4;
  /** The instruction word: hw1 << 16 | hw2 for 32-bit forms (unsigned). */
  readonly word: number;
  /** Raw field values by the manual's names (i, imm3, imm8, S, type...). */
  readonly fields: Readonly<Record<string, number>>;
  readonly operands: DecodedOperands;
}

/** Whether a first halfword starts a 32-bit instruction (bits 15:11 are 11101, 11110 or 11111). */
export function isThumb32(hw1: number): boolean {
  return (hw1 & 0xf800) >= 0xe800;
}

/** Rows of one size, most fixed bits first (stable: table order among equals). */
function bySpecificity(size: 16 | 32): readonly Encoding[] {
  const bits = (mask: number): number => {
    let n = 0;
    for (let m = mask >>> 0; m !== 0; m = Math.floor(m / 2)) n += m & 1;
    return n;
  };
  return ENCODINGS.filter((row) => row.size === size)
    .map((row, index) => ({ row, index, fixed: bits(row.mask) }))
    .sort((a, b) => b.fixed - a.fixed || a.index - b.index)
    .map((entry) => entry.row);
}

const ROWS_16 = bySpecificity(16);
const ROWS_32 = bySpecificity(32);

/**
 * Decode the instruction starting with `hw1` (`hw2` is the next halfword, read only for
 * 32-bit forms). Undefined when no row matches: the encoding is UNDEFINED for us.
 */
export function decodeThumb(hw1: number, hw2: number): DecodedInst | undefined {
  const wide = isThumb32(hw1);
  const word = wide ? ((hw1 << 16) | hw2) >>> 0 : hw1;
  for (const encoding of wide ? ROWS_32 : ROWS_16) {
    if (((word & encoding.mask) >>> 0) !== encoding.pattern) continue;
    const fields = readFields(encoding, word);
    if (encoding.forbid?.some((combo) => Object.entries(combo).every(([name, v]) => fields[name] === v))) continue;
    return { encoding, size: wide ? 4 : 2, word, fields, operands: decodeOperands(encoding, fields) };
  }
  return undefined;
}

function readFields(encoding: Encoding, word: number): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const [name, slices] of encoding.fields) {
    const first: BitSlice | undefined = slices[0];
    if (first !== undefined) fields[name] = (word >>> first.lsb) & ((1 << first.width) - 1);
  }
  return fields;
}

/** Concatenate fields 'a:b:c' (most significant first) into one unsigned value. */
function concat(encoding: Encoding, fields: Readonly<Record<string, number>>, bits: string): { value: number; width: number } {
  let value = 0;
  let width = 0;
  for (const name of bits.split(':')) {
    const w = encoding.fields.get(name)?.[0]?.width ?? 0;
    value = value * 2 ** w + (fields[name] ?? 0);
    width += w;
  }
  return { value, width };
}

function decodeOperands(encoding: Encoding, fields: Readonly<Record<string, number>>): DecodedOperands {
  const ops: Record<string, unknown> = { ...(encoding.fixed ?? {}) };
  for (const [name, kind] of Object.entries(encoding.operands) as [OperandName, FieldKind][]) {
    ops[name] = operandValue(encoding, fields, kind);
  }
  for (const [name, other] of Object.entries(encoding.tied ?? {})) ops[name] = ops[other as string];
  return ops as DecodedOperands;
}

/** One operand from its fields. */
function operandValue(encoding: Encoding, fields: Readonly<Record<string, number>>, kind: FieldKind): unknown {
  const field = (bits: string): number => concat(encoding, fields, bits).value;
  switch (kind.kind) {
    case 'reg': return field(kind.bits) as Reg;
    case 'imm': return field(kind.bits) * (kind.scale ?? 1) + (kind.bias ?? 0);
    case 'offsetU': {
      const magnitude = field(kind.bits) * (kind.scale ?? 1);
      return field(kind.u) === 1 ? magnitude : -magnitude;
    }
    case 'modImm': return expandThumbImm(field(kind.bits));
    case 'shiftAmount': {
      const amount = field(kind.bits);
      return amount === 0 && (kind.shift === 'lsr' || kind.shift === 'asr') ? 32 : amount;
    }
    case 'shift': return decodeImmShift(encoding, fields, kind.type, field(kind.bits));
    case 'branch': return branchOffset(encoding, fields, kind);
    case 'cond': return CONDITIONS[field(kind.bits)] as Cond;
    case 'itMask': return itPattern(fields['firstcond'] ?? 0, field(kind.bits));
    case 'regList': {
      const regs: Reg[] = [];
      const list = field(kind.bits);
      for (let r = 0; r < 16; r++) if ((list >> r) & 1) regs.push(r);
      for (const [bit, r] of Object.entries(kind.extra ?? {})) if (fields[bit] === 1) regs.push(r);
      return regs.sort((a, b) => a - b);
    }
    case 'indexMode': {
      const p = field(kind.p);
      const w = field(kind.w);
      return p === 1 && w === 0 ? undefined : p === 1 ? 'pre' : 'post';
    }
    case 'sBit': return field(kind.bits);
    case 'sreg': return sReg(field(kind.bits));
  }
}

/**
 * DecodeImmShift (A7.4.2): LSL #0 is no shift, LSR/ASR #0 mean #32, ROR #0 is RRX (kept as
 * ROR with amount 0). A one-bit type field (SSAT/USAT's sh) chooses LSL or ASR.
 */
function decodeImmShift(encoding: Encoding, fields: Readonly<Record<string, number>>, typeBits: string, amount: number): Shift | undefined {
  const typeWidth = encoding.fields.get(typeBits)?.[0]?.width ?? 2;
  const type = typeWidth === 1 ? (fields[typeBits] ?? 0) << 1 : fields[typeBits] ?? 0;
  const kind = SHIFT_TYPES[type]!;
  if (kind === 'lsl' && amount === 0) return undefined;
  if ((kind === 'lsr' || kind === 'asr') && amount === 0) return { kind, amount: 32 };
  return { kind, amount };
}

/** A branch field as a byte offset from the instruction address + 4. */
function branchOffset(encoding: Encoding, fields: Readonly<Record<string, number>>, kind: FieldKind & { kind: 'branch' }): number {
  let { value, width } = concat(encoding, fields, kind.bits);
  if (kind.i1i2 === true) {
    // J1, J2 (bits width-2, width-3) hold NOT(I XOR S).
    const s = Math.floor(value / 2 ** (width - 1)) & 1;
    const flip = (s ^ 1) * 3 * 2 ** (width - 3);
    value = (value ^ flip) >>> 0;
  }
  if (kind.signed && value >= 2 ** (width - 1)) value -= 2 ** width;
  return value * 2;
}

/** The IT then/else pattern ('', 't', 'te'...) of firstcond and mask. */
function itPattern(firstcond: number, mask: number): string {
  const size = mask & 1 ? 3 : mask & 2 ? 2 : mask & 4 ? 1 : 0;
  let pattern = '';
  for (let i = 0; i < size; i++) pattern += ((mask >> (3 - i)) & 1) === (firstcond & 1) ? 't' : 'e';
  return pattern;
}
