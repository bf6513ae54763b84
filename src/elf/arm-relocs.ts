// The one table of ARM relocations (AAELF, "ELF for the Arm Architecture", section 5.6).
//
// Each row says: the relocation's number, which instruction or data field it patches (a
// FieldCodec: how to read the in-place addend of an SHT_REL relocation and how to write a
// number back), and how to compute the value from S (symbol address), A (addend), P (address
// of the place) and T (1 when the target is a Thumb function). The object writer uses the
// codecs to store addends in place; the ELF reader to decode them; the linker to apply them.

import type { RelocType } from './object.js';

/** An instruction or data field that holds a number; 32-bit Thumb instructions are two little-endian halfwords. */
export interface FieldCodec {
  /** Bytes covered by the field. */
  readonly size: 2 | 4;
  /** The signed number the field holds (the REL addend). */
  read(bytes: Uint8Array, offset: number): number;
  /** Store `value` (truncated to the field's bits; callers check the range first). */
  write(bytes: Uint8Array, offset: number, value: number): void;
  /** Whether `value` is representable (range and alignment). */
  fits(value: number): boolean;
}

export interface RelocInput {
  /** Address of the target symbol (0 for an undefined weak symbol). */
  readonly S: number;
  readonly A: number;
  /** Address of the place being relocated. */
  readonly P: number;
  /** 1 when the target is a Thumb function, else 0. */
  readonly T: 0 | 1;
}

export interface RelocRow {
  readonly code: number;
  /** undefined for relocations that patch nothing (NONE, V4BX). */
  readonly field?: FieldCodec;
  /** The value to store in the field, before the overflow check. */
  readonly compute?: (r: RelocInput) => number;
  /** _NC relocations and full 32-bit words have no overflow check. */
  readonly checked: boolean;
  /** Branches that cannot switch instruction set: the target must be Thumb code. */
  readonly needsThumbTarget: boolean;
}

// ---- little-endian halfword/word access ------------------------------------------------

function read16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
function write16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}
function read32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
function write32(b: Uint8Array, o: number, v: number): void {
  write16(b, o, v & 0xffff);
  write16(b, o + 2, (v >>> 16) & 0xffff);
}
function signExtend(v: number, bits: number): number {
  const shift = 32 - bits;
  return (v << shift) >> shift;
}
function inSignedRange(v: number, bits: number, align: number): boolean {
  return v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1) && v % align === 0;
}

// ---- field codecs ----------------------------------------------------------------------

/** A whole 32-bit data word (ABS32, REL32, TARGET1). Any 32-bit pattern fits. */
const word32: FieldCodec = {
  size: 4,
  read: (b, o) => read32(b, o) | 0,
  write: (b, o, v) => write32(b, o, v >>> 0),
  fits: (v) => v >= -(2 ** 31) && v < 2 ** 32,
};

/** PREL31: a 31-bit signed offset in bits 0..30; bit 31 belongs to the table entry. */
const prel31: FieldCodec = {
  size: 4,
  read: (b, o) => signExtend(read32(b, o) & 0x7fffffff, 31),
  write: (b, o, v) => write32(b, o, ((read32(b, o) & 0x80000000) | (v & 0x7fffffff)) >>> 0),
  fits: (v) => inSignedRange(v, 31, 1),
};

/**
 * BL (T1) and B.W (T4): imm32 = SignExtend(S:I1:I2:imm10:imm11:'0') with I1 = NOT(J1 XOR S),
 * I2 = NOT(J2 XOR S); hw1 = 11110 S imm10, hw2 = 1 x J1 x J2 imm11 (x kept: BL vs B.W).
 */
const thumbBranch25: FieldCodec = {
  size: 4,
  read(b, o) {
    const hw1 = read16(b, o);
    const hw2 = read16(b, o + 2);
    const s = (hw1 >> 10) & 1;
    const i1 = ((hw2 >> 13) & 1) ^ s ^ 1;
    const i2 = ((hw2 >> 11) & 1) ^ s ^ 1;
    const raw = (s << 24) | (i1 << 23) | (i2 << 22) | ((hw1 & 0x3ff) << 12) | ((hw2 & 0x7ff) << 1);
    return signExtend(raw, 25);
  },
  write(b, o, v) {
    const s = (v >>> 24) & 1;
    const j1 = ((v >>> 23) & 1) ^ s ^ 1;
    const j2 = ((v >>> 22) & 1) ^ s ^ 1;
    const hw1 = (read16(b, o) & 0xf800) | (s << 10) | ((v >>> 12) & 0x3ff);
    const hw2 = (read16(b, o + 2) & 0xd000) | (j1 << 13) | (j2 << 11) | ((v >>> 1) & 0x7ff);
    write16(b, o, hw1);
    write16(b, o + 2, hw2);
  },
  fits: (v) => inSignedRange(v, 25, 2),
};

/** B<c>.W (T3): imm32 = SignExtend(S:J2:J1:imm6:imm11:'0'); hw1 = 11110 S cond imm6, hw2 = 10 J1 0 J2 imm11. */
const thumbCondBranch21: FieldCodec = {
  size: 4,
  read(b, o) {
    const hw1 = read16(b, o);
    const hw2 = read16(b, o + 2);
    const raw =
      (((hw1 >> 10) & 1) << 20) |
      (((hw2 >> 11) & 1) << 19) |
      (((hw2 >> 13) & 1) << 18) |
      ((hw1 & 0x3f) << 12) |
      ((hw2 & 0x7ff) << 1);
    return signExtend(raw, 21);
  },
  write(b, o, v) {
    const hw1 = (read16(b, o) & 0xfbc0) | (((v >>> 20) & 1) << 10) | ((v >>> 12) & 0x3f);
    const hw2 = (read16(b, o + 2) & 0xd000) | (((v >>> 18) & 1) << 13) | (((v >>> 19) & 1) << 11) | ((v >>> 1) & 0x7ff);
    write16(b, o, hw1);
    write16(b, o + 2, hw2);
  },
  fits: (v) => inSignedRange(v, 21, 2),
};

/** A 16-bit Thumb instruction with a signed halfword offset in its low `bits - 1` bits (B T2, B<c> T1). */
function thumbShortBranch(bits: number): FieldCodec {
  const mask = (1 << (bits - 1)) - 1;
  return {
    size: 2,
    read: (b, o) => signExtend((read16(b, o) & mask) << 1, bits),
    write: (b, o, v) => write16(b, o, (read16(b, o) & ~mask & 0xffff) | ((v >>> 1) & mask)),
    fits: (v) => inSignedRange(v, bits, 2),
  };
}

/** MOVW/MOVT (T3): imm16 = imm4:i:imm3:imm8; hw1 = 11110 i 10x100 imm4, hw2 = 0 imm3 Rd imm8. Read signed (AAELF). */
const thumbMovImm16: FieldCodec = {
  size: 4,
  read(b, o) {
    const hw1 = read16(b, o);
    const hw2 = read16(b, o + 2);
    const imm16 = ((hw1 & 0xf) << 12) | (((hw1 >> 10) & 1) << 11) | (((hw2 >> 12) & 7) << 8) | (hw2 & 0xff);
    return signExtend(imm16, 16);
  },
  write(b, o, v) {
    const hw1 = (read16(b, o) & 0xfbf0) | (((v >>> 11) & 1) << 10) | ((v >>> 12) & 0xf);
    const hw2 = (read16(b, o + 2) & 0x8f00) | (((v >>> 8) & 7) << 12) | (v & 0xff);
    write16(b, o, hw1);
    write16(b, o + 2, hw2);
  },
  fits: (v) => v >= -0x8000 && v <= 0xffff,
};

/**
 * LDR (literal) T1 / ADR T1: imm8 << 2 from Align(PC, 4). The REL addend is
 * ((imm8 << 2) + 4) mod 1024 - 4, so that the usual addend -4 is encodable (as binutils does).
 */
const thumbPc8: FieldCodec = {
  size: 2,
  read: (b, o) => ((((read16(b, o) & 0xff) << 2) + 4) & 0x3ff) - 4,
  write: (b, o, v) => write16(b, o, (read16(b, o) & 0xff00) | ((v >> 2) & 0xff)),
  fits: (v) => v >= 0 && v <= 1020 && v % 4 === 0,
};

/** LDR (literal) T2: U bit (hw1 bit 7) and imm12 (hw2 bits 0..11), a signed byte offset from Align(PC, 4). */
const thumbPc12: FieldCodec = {
  size: 4,
  read(b, o) {
    const imm12 = read16(b, o + 2) & 0xfff;
    return (read16(b, o) & 0x80) !== 0 ? imm12 : -imm12;
  },
  write(b, o, v) {
    const up = v >= 0 ? 0x80 : 0;
    write16(b, o, (read16(b, o) & 0xff7f) | up);
    write16(b, o + 2, (read16(b, o + 2) & 0xf000) | (Math.abs(v) & 0xfff));
  },
  fits: (v) => v >= -4095 && v <= 4095,
};

// ---- the table ---------------------------------------------------------------------------

const thumbBit = (r: RelocInput): number => (r.S + r.A) | r.T;
const pcRelative = (r: RelocInput): number => r.S + r.A - r.P;
/** PC-relative from the word-aligned place (Pa = P & ~3), for literal loads. */
const wordAlignedPcRelative = (r: RelocInput): number => r.S + r.A - (r.P & ~3);

export const ARM_RELOCS: Record<RelocType, RelocRow> = {
  R_ARM_NONE: { code: 0, checked: false, needsThumbTarget: false },
  R_ARM_ABS32: { code: 2, field: word32, compute: thumbBit, checked: false, needsThumbTarget: false },
  R_ARM_REL32: { code: 3, field: word32, compute: (r) => thumbBit(r) - r.P, checked: false, needsThumbTarget: false },
  // ((S + A) | T) - P, where T = 1 is required (no BLX): bit 0 is then dropped by the encoding.
  R_ARM_THM_CALL: {
    code: 10,
    field: thumbBranch25,
    compute: pcRelative,
    checked: true,
    needsThumbTarget: true,
  },
  R_ARM_THM_PC8: { code: 11, field: thumbPc8, compute: wordAlignedPcRelative, checked: true, needsThumbTarget: false },
  R_ARM_THM_JUMP24: {
    code: 30,
    field: thumbBranch25,
    compute: pcRelative,
    checked: true,
    needsThumbTarget: true,
  },
  /** TARGET1 is ABS32 on bare-metal EABI targets (ld's --target1-abs default). */
  R_ARM_TARGET1: { code: 38, field: word32, compute: thumbBit, checked: false, needsThumbTarget: false },
  R_ARM_V4BX: { code: 40, checked: false, needsThumbTarget: false },
  R_ARM_PREL31: { code: 42, field: prel31, compute: (r) => thumbBit(r) - r.P, checked: true, needsThumbTarget: false },
  R_ARM_THM_MOVW_ABS_NC: {
    code: 47,
    field: thumbMovImm16,
    compute: (r) => thumbBit(r) & 0xffff,
    checked: false,
    needsThumbTarget: false,
  },
  R_ARM_THM_MOVT_ABS: {
    code: 48,
    field: thumbMovImm16,
    compute: (r) => ((r.S + r.A) >>> 16) & 0xffff,
    checked: false,
    needsThumbTarget: false,
  },
  R_ARM_THM_JUMP19: { code: 51, field: thumbCondBranch21, compute: pcRelative, checked: true, needsThumbTarget: false },
  R_ARM_THM_PC12: { code: 54, field: thumbPc12, compute: wordAlignedPcRelative, checked: true, needsThumbTarget: false },
  R_ARM_THM_JUMP11: { code: 102, field: thumbShortBranch(12), compute: pcRelative, checked: true, needsThumbTarget: false },
  R_ARM_THM_JUMP8: { code: 103, field: thumbShortBranch(9), compute: pcRelative, checked: true, needsThumbTarget: false },
};

const BY_CODE: ReadonlyMap<number, RelocType> = new Map(
  (Object.keys(ARM_RELOCS) as RelocType[]).map((t) => [ARM_RELOCS[t].code, t]),
);

/** The relocation type with this ELF number, or undefined when we do not handle it. */
export function relocTypeFromCode(code: number): RelocType | undefined {
  return BY_CODE.get(code);
}

/** The REL addend stored in place (0 for relocations without a field). */
export function readAddend(type: RelocType, bytes: Uint8Array, offset: number): number {
  const field = ARM_RELOCS[type].field;
  return field === undefined ? 0 : field.read(bytes, offset);
}

/**
 * Store an addend in place for an SHT_REL file. Returns an error text when the field cannot
 * hold it exactly (checked by reading it back), else undefined.
 */
export function writeAddend(type: RelocType, bytes: Uint8Array, offset: number, addend: number): string | undefined {
  const field = ARM_RELOCS[type].field;
  if (field === undefined) return undefined;
  if (offset < 0 || offset + field.size > bytes.length) return `field at 0x${offset.toString(16)} is outside the section`;
  field.write(bytes, offset, addend);
  if (field.read(bytes, offset) !== addend) return `addend ${addend} does not fit in ${type}`;
  return undefined;
}

/**
 * Compute and store a relocation's final value. Returns an error text (overflow, misalignment,
 * branch to non-Thumb code) or undefined on success.
 */
export function applyRelocation(type: RelocType, bytes: Uint8Array, offset: number, input: RelocInput): string | undefined {
  const row = ARM_RELOCS[type];
  if (row.field === undefined || row.compute === undefined) return undefined;
  if (offset < 0 || offset + row.field.size > bytes.length) return `field at 0x${offset.toString(16)} is outside the section`;
  if (row.needsThumbTarget && input.T === 0) {
    return `${type} to a target that is not a Thumb function (interworking to ARM code is not supported)`;
  }
  const value = row.compute(input) | 0;
  if (row.checked && !row.field.fits(value)) {
    return `${type} value ${value} (0x${(value >>> 0).toString(16)}) out of range`;
  }
  row.field.write(bytes, offset, value);
  return undefined;
}
