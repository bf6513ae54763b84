// Typed Thumb-2 operands, built only through checked constructors.
//
// Every value that reaches the generic encoder (encoder.ts) is one of the branded types
// below. A `try...` constructor returns undefined when the value does not fit the field
// (the selector then tries the next encoding); the plain constructor throws an
// InternalError (a caller that is sure the value fits). So an out-of-range immediate or a
// high register in a 3-bit field cannot be placed by accident: the type system refuses a
// plain number.

import { InternalError } from '../diagnostics/errors.js';
import { isSReg, S_REG_BASE, type Cond, type Reg, type ShiftKind } from './mir.js';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

const STAGE = 'thumb2 operands';

function checked<T>(value: T | undefined, what: string, raw: unknown): T {
  if (value === undefined) throw new InternalError(STAGE, `${what} out of range: ${JSON.stringify(raw)}`);
  return value;
}

// ---------------------------------------------------------------- registers

/** r0-r7: what 3-bit register fields hold. */
export type LowReg = Brand<number, 'LowReg'>;
/** r0-r15: what 4-bit register fields hold. */
export type CoreReg = Brand<number, 'CoreReg'>;

export const tryLowReg = (r: Reg): LowReg | undefined =>
  Number.isInteger(r) && r >= 0 && r <= 7 ? (r as LowReg) : undefined;
export const tryCoreReg = (r: Reg): CoreReg | undefined =>
  Number.isInteger(r) && r >= 0 && r <= 15 ? (r as CoreReg) : undefined;
export const lowReg = (r: Reg): LowReg => checked(tryLowReg(r), 'low register', r);

/** s0-s31 as the 5-bit number split over Vx:X fields (mir.ts numbers them from S_REG_BASE). */
export type SRegField = Brand<number, 'SRegField'>;
export const trySRegField = (r: Reg): SRegField | undefined =>
  isSReg(r) ? ((r - S_REG_BASE) as SRegField) : undefined;
export const coreReg = (r: Reg): CoreReg => checked(tryCoreReg(r), 'core register', r);

// ---------------------------------------------------------------- plain immediates

/** An unsigned field value of `W` bits (already divided by the field's scale). */
export type UImm<W extends number> = Brand<number, `uimm${W}`> & { readonly width?: W };
export type Imm3 = UImm<3>;
export type Imm5 = UImm<5>;
export type Imm7 = UImm<7>;
export type Imm8 = UImm<8>;
export type Imm12 = UImm<12>;
export type Imm16 = UImm<16>;

/** `value` as a `width`-bit unsigned field holding value / scale (value must be a multiple of scale). */
export function tryUImm<W extends number>(value: number, width: W, scale = 1): UImm<W> | undefined {
  if (!Number.isInteger(value) || value < 0 || value % scale !== 0) return undefined;
  const field = value / scale;
  return field < 2 ** width ? (field as UImm<W>) : undefined;
}
export const uimm = <W extends number>(value: number, width: W, scale = 1): UImm<W> =>
  checked(tryUImm(value, width, scale), `${width}-bit immediate (scale ${scale})`, value);

/**
 * A signed offset stored as magnitude plus an add/subtract bit (the U bit of load/store
 * encodings): [rn, #-8] is U=0, imm=8.
 */
export interface SignedMagnitude<W extends number> {
  readonly add: boolean;
  readonly magnitude: UImm<W>;
}
export function trySignedMagnitude<W extends number>(value: number, width: W, scale = 1): SignedMagnitude<W> | undefined {
  if (Object.is(value, -0)) return undefined;
  const magnitude = tryUImm(Math.abs(value), width, scale);
  return magnitude === undefined ? undefined : { add: value >= 0, magnitude };
}

// ---------------------------------------------------------------- modified immediates

/** The 12-bit i:imm3:imm8 encoding of a Thumb modified immediate (ThumbExpandImm's input). */
export type ThumbExpandImm = Brand<number, 'ThumbExpandImm'>;

/**
 * Encode a 32-bit value as a Thumb modified immediate, or undefined when it has none.
 * Patterns: 0x000000XY, 0x00XY00XY, 0xXY00XY00, 0xXYXYXYXY, or an 8-bit value 1bcdefgh
 * rotated right by 8..31 (ARMv7-M ARM A5.3.2).
 */
export function tryThumbExpandImm(value: number): ThumbExpandImm | undefined {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 32) return undefined;
  const v = value >>> 0;
  const byte = v & 0xff;
  if (v <= 0xff) return v as ThumbExpandImm;
  if (v === (byte | (byte << 16)) >>> 0) return ((0b0001 << 8) | byte) as ThumbExpandImm;
  const high = (v >>> 8) & 0xff;
  if (v === ((high << 8) | (high << 24)) >>> 0) return ((0b0010 << 8) | high) as ThumbExpandImm;
  if (v === (byte * 0x01010101) >>> 0) return ((0b0011 << 8) | byte) as ThumbExpandImm;
  for (let rotation = 8; rotation < 32; rotation++) {
    // Rotating left by `rotation` undoes the encoded rotate-right.
    const unrotated = ((v << rotation) | (v >>> (32 - rotation))) >>> 0;
    if (unrotated >= 0x80 && unrotated <= 0xff) return ((rotation << 7) | (unrotated & 0x7f)) as ThumbExpandImm;
  }
  return undefined;
}
export const thumbExpandImm = (value: number): ThumbExpandImm =>
  checked(tryThumbExpandImm(value), 'modified immediate', value);

/** ThumbExpandImm: the 32-bit value (unsigned) a 12-bit i:imm3:imm8 field stands for. */
export function expandThumbImm(imm12: number): number {
  const byte = imm12 & 0xff;
  if (imm12 >> 10 === 0) {
    switch ((imm12 >> 8) & 3) {
      case 0: return byte;
      case 1: return (byte | (byte << 16)) >>> 0;
      case 2: return ((byte << 8) | (byte << 24)) >>> 0;
      default: return (byte * 0x01010101) >>> 0;
    }
  }
  const unrotated = 0x80 | (imm12 & 0x7f);
  const rotation = imm12 >> 7;
  return ((unrotated >>> rotation) | (unrotated << (32 - rotation))) >>> 0;
}

// ---------------------------------------------------------------- shifts

/** Shift type field (bits type or sh): LSL 00, LSR 01, ASR 10, ROR 11. */
/**
 * VFPExpandImm for single precision (A6.4.1): abcdefgh is +/-(1 + efgh/16) * 2^e with e from
 * bcd: 1..4 when b = 0, -3..0 when b = 1. The value of VMOV.F32's 8-bit immediate.
 */
export function vfpExpandImm(imm8: number): number {
  const b = (imm8 >> 6) & 1;
  const cd = (imm8 >> 4) & 3;
  const magnitude = (1 + (imm8 & 0xf) / 16) * 2 ** (b === 0 ? 1 + cd : cd - 3);
  return (imm8 & 0x80) !== 0 ? -magnitude : magnitude;
}

export const SHIFT_TYPES: readonly ShiftKind[] = ['lsl', 'lsr', 'asr', 'ror'];

/** A shift as encoded: 2-bit type and 5-bit imm3:imm2 / imm5 (LSR/ASR #32 is 0). */
export type EncodedShift = Brand<{ readonly type: number; readonly imm5: number }, 'EncodedShift'>;

/** Shift amounts each kind may take: LSL 0-31, LSR/ASR 1-32, ROR 1-31 (ROR #0 would be RRX). */
export function tryEncodedShift(kind: ShiftKind, amount: number): EncodedShift | undefined {
  if (!Number.isInteger(amount)) return undefined;
  const [min, max] = kind === 'lsl' ? [0, 31] : kind === 'ror' ? [1, 31] : [1, 32];
  if (amount < min || amount > max) return undefined;
  return { type: SHIFT_TYPES.indexOf(kind), imm5: amount & 31 } as EncodedShift;
}

// ---------------------------------------------------------------- conditions, IT

export const CONDITIONS: readonly Cond[] = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al'];
export type CondCode = Brand<number, 'CondCode'>;
export function condCode(cond: Cond): CondCode {
  return checked(CONDITIONS.indexOf(cond) >= 0 ? (CONDITIONS.indexOf(cond) as CondCode) : undefined, 'condition', cond);
}
/** A condition a conditional branch can carry (AL is the unconditional encodings). */
export const tryBranchCond = (cond: Cond): CondCode | undefined => (cond === 'al' ? undefined : condCode(cond));

/** The IT instruction's 4-bit mask field for firstcond and a then/else pattern like 'te'. */
export type ItMask = Brand<number, 'ItMask'>;
export function tryItMask(firstCond: Cond, pattern: string): ItMask | undefined {
  if (!/^[te]{0,3}$/.test(pattern)) return undefined;
  // AL may only be followed by 't' (an 'e' would mean "never").
  if (firstCond === 'al' && pattern.includes('e')) return undefined;
  const low = condCode(firstCond) & 1;
  let mask = 0;
  [...pattern].forEach((letter, i) => {
    const bit = letter === 't' ? low : 1 - low;
    mask |= bit << (3 - i);
  });
  return (mask | (1 << (3 - pattern.length))) as ItMask;
}

// ---------------------------------------------------------------- branches

/**
 * A branch offset as the value of its field: offset / scale in `width` bits, two's
 * complement when signed. The offset is target - (instruction address + 4).
 */
export type BranchOffset = Brand<number, 'BranchOffset'>;

/** Range of a branch field: [min, max] bytes, both multiples of `scale`. */
export function branchRange(width: number, signed: boolean, scale = 2): readonly [number, number] {
  return signed ? [-(2 ** (width - 1)) * scale, (2 ** (width - 1) - 1) * scale] : [0, (2 ** width - 1) * scale];
}
export function tryBranchOffset(offset: number, width: number, signed: boolean, scale = 2): BranchOffset | undefined {
  if (!Number.isInteger(offset) || offset % scale !== 0) return undefined;
  const [min, max] = branchRange(width, signed, scale);
  if (offset < min || offset > max) return undefined;
  const field = offset / scale;
  return (field < 0 ? field + 2 ** width : field) as BranchOffset;
}

// ---------------------------------------------------------------- register lists

/** A register list as a bit set (bit n = rn), limited to the registers a field can name. */
export type RegList = Brand<number, 'RegList'>;
export function tryRegList(regs: readonly Reg[], allowed: number, minCount = 1): RegList | undefined {
  let bits = 0;
  for (const r of regs) {
    if (!Number.isInteger(r) || r < 0 || r > 15 || (allowed & (1 << r)) === 0 || (bits & (1 << r)) !== 0) return undefined;
    bits |= 1 << r;
  }
  return regs.length >= minCount ? (bits as RegList) : undefined;
}
