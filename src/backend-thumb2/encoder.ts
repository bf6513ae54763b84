// The generic Thumb-2 encoder: places the operand fields of one row of the encoding table.
//
// `encode` asks the selector (selection.ts) for the operand forms an MInst can take, then
// tries the rows of encodings.ts, 16-bit rows first, and returns the first whose
// constraints (register classes, immediate ranges, flags, IT placement) all hold. Every
// operand value goes through a checked constructor of operands.ts before it is placed.

import { InternalError } from '../diagnostics/errors.js';
import type { RelocType } from '../elf/object.js';
import type { BitSlice, Encoding, FieldKind, OperandName, RegClass } from './encodings.js';
import { ENCODINGS_BY_MNEMONIC } from './encodings.js';
import type { FlagMode, MInst } from './mir.js';
import {
  condCode, tryBranchCond, tryBranchOffset, tryCoreReg, tryEncodedShift, tryItMask, tryLowReg,
  tryRegList, trySignedMagnitude, trySRegField, tryThumbExpandImm, tryUImm,
} from './operands.js';
import { type Operands, type OperandForm, operandForms } from './selection.js';

export type { Operands } from './selection.js';

const STAGE = 'thumb2 encoder';

export interface EncodeContext {
  /** The instruction is inside an IT block (16-bit data-processing forms do not set flags there). */
  readonly inIT: boolean;
  /** For 'b' and 'cbz'/'cbnz': target address minus (this instruction's address + 4), in bytes. */
  readonly branchOffset?: number;
}

export interface Encoded {
  /** The instruction as halfwords in stream order (a 32-bit instruction is two halfwords, first the high one). */
  readonly halfwords: readonly number[];
  /**
   * A relocation the object file must carry for this instruction (bl -> R_ARM_THM_CALL,
   * movw/movt with sym -> R_ARM_THM_MOVW_ABS_NC / R_ARM_THM_MOVT_ABS), at byte offset `at`
   * from the instruction start. The encoded field holds 0 (the addend goes into the
   * relocation). For R_ARM_THM_CALL the addend already includes the -4 of the Thumb PC
   * bias, as the assembler writes it: (S + A) - P lands on sym + sym.addend.
   */
  readonly reloc?: { readonly type: RelocType; readonly symbol: string; readonly addend: number; readonly at: number };
}

/** The encoding chosen for an instruction, with the operands as that row names them. */
export interface Selection {
  readonly encoding: Encoding;
  readonly operands: Operands;
  /** The instruction word: hw1 << 16 | hw2 for 32-bit rows, the halfword for 16-bit rows. */
  readonly word: number;
  /** Whether this encoding, here, updates NZCV (decides the printed 's' suffix). */
  readonly setsFlags: boolean;
}

/** Pick the shortest encoding of `inst` (16-bit rows before 32-bit, in table order). */
export function selectEncoding(inst: MInst, ctx: EncodeContext): Selection {
  const forms = operandForms(inst, ctx);
  for (const size of [16, 32] as const) {
    for (const form of forms) {
      for (const encoding of ENCODINGS_BY_MNEMONIC.get(form.mnemonic) ?? []) {
        if (encoding.size !== size || (form.only !== undefined && encoding.name !== form.only)) continue;
        const selection = tryEncoding(encoding, form, ctx);
        if (selection !== undefined) return selection;
      }
    }
  }
  throw new InternalError(STAGE, `no encoding fits ${JSON.stringify(inst)}${ctx.inIT ? ' (in IT block)' : ''}`);
}

export function encode(inst: MInst, ctx: EncodeContext): Encoded {
  const { encoding, word } = selectEncoding(inst, ctx);
  const halfwords = encoding.size === 16 ? [word] : [word >>> 16, word & 0xffff];
  const reloc = relocationOf(inst);
  return reloc === undefined ? { halfwords } : { halfwords, reloc };
}

/** Size in bytes the instruction will take, for branch relaxation: exactly encode()'s size. */
export function encodedSize(inst: MInst, ctx: EncodeContext): 2 | 4 {
  return selectEncoding(inst, ctx).encoding.size === 16 ? 2 : 4;
}

/**
 * Whether a b with this offset fits a 16-bit form (T1 conditional outside IT, T2
 * otherwise), and for cbz/cbnz whether it fits at all (0..126, forward only).
 */
export function branchFits(inst: MInst, offset: number): boolean {
  if (inst.op === 'cbz' || inst.op === 'cbnz') return tryBranchOffset(offset, 6, false) !== undefined;
  if (inst.op !== 'b') throw new InternalError(STAGE, `branchFits on '${inst.op}'`);
  const conditional = inst.cond !== undefined && inst.cond !== 'al';
  return tryBranchOffset(offset, conditional ? 8 : 11, true) !== undefined;
}

/**
 * Encode `operands` with one given row (the object writer uses it to place a relocation
 * addend into the BL or MOVW field, as SHT_REL requires). Undefined when they do not fit.
 */
export function encodeWithRow(encoding: Encoding, operands: Operands, ctx: EncodeContext = { inIT: false }): readonly number[] | undefined {
  const selection = tryEncoding(encoding, { mnemonic: encoding.mnemonic, operands, flags: 'any' }, ctx);
  if (selection === undefined) return undefined;
  return encoding.size === 16 ? [selection.word] : [selection.word >>> 16, selection.word & 0xffff];
}

function relocationOf(inst: MInst): Encoded['reloc'] {
  if (inst.op === 'bl') return { type: 'R_ARM_THM_CALL', symbol: inst.sym.name, addend: inst.sym.addend - 4, at: 0 };
  if ((inst.op === 'movw' || inst.op === 'movt') && inst.sym !== undefined) {
    const type = inst.op === 'movw' ? 'R_ARM_THM_MOVW_ABS_NC' : 'R_ARM_THM_MOVT_ABS';
    return { type, symbol: inst.sym.name, addend: inst.sym.addend, at: 0 };
  }
  return undefined;
}

// ---------------------------------------------------------------- matching one row

/** Operands a row may be given without naming them: no shift, offset addressing, the S bit. */
const OPTIONAL_OPERANDS: ReadonlySet<OperandName> = new Set(['shift', 'mode', 'S']);

function tryEncoding(encoding: Encoding, form: OperandForm, ctx: EncodeContext): Selection | undefined {
  const ops = form.operands;
  if (encoding.it === 'outside' && ctx.inIT) return undefined;
  const setsFlags = flagsFit(encoding, form.flags, ctx.inIT);
  if (setsFlags === undefined || !operandsMatch(encoding, ops)) return undefined;
  const values = new Map<string, number>();
  for (const [name, kind] of Object.entries(encoding.operands) as [OperandName, FieldKind][]) {
    const placed = name === 'S' ? [{ bits: kind.kind === 'sBit' ? kind.bits : 'S', value: setsFlags ? 1 : 0 }] : fieldValues(encoding, name, kind, ops);
    if (placed === undefined) return undefined;
    for (const { bits, value } of placed) splitValue(encoding, bits, value, values);
  }
  if (encoding.forbid?.some((combo) => Object.entries(combo).every(([field, v]) => values.get(field) === v))) return undefined;
  let word = encoding.pattern;
  for (const [field, value] of values) {
    for (const slice of encoding.fields.get(field) ?? []) word = (word | (value << slice.lsb)) >>> 0;
  }
  return { encoding, operands: ops, word, setsFlags };
}

/** Whether the row's flag behaviour satisfies `mode` here; the result is whether it sets flags. */
function flagsFit(encoding: Encoding, mode: FlagMode, inIT: boolean): boolean | undefined {
  switch (encoding.flags) {
    case 'none': return mode === 'set' ? undefined : false;
    case 'always': return mode === 'keep' ? undefined : true;
    case 'sBit': return mode === 'set';
    case 'outsideIT':
      if (mode === 'any') return !inIT;
      return (mode === 'set') === !inIT ? !inIT : undefined;
  }
}

/** An operand by table name ('S' is never among an MInst's operands). */
const operand = (ops: Operands, name: string): unknown => (ops as Readonly<Record<string, unknown>>)[name];

function operandsMatch(encoding: Encoding, ops: Operands): boolean {
  const fixed = encoding.fixed ?? {};
  const tied = encoding.tied ?? {};
  const known = new Set<string>([...Object.keys(encoding.operands), ...Object.keys(fixed), ...Object.keys(tied)]);
  for (const [name, value] of Object.entries(ops)) if (value !== undefined && !known.has(name)) return false;
  for (const name of known) {
    if (operand(ops, name) === undefined && !OPTIONAL_OPERANDS.has(name as OperandName)) return false;
  }
  for (const [name, value] of Object.entries(fixed)) if (operand(ops, name) !== value) return false;
  for (const [name, other] of Object.entries(tied)) if (operand(ops, name) !== operand(ops, other)) return false;
  return true;
}

// ---------------------------------------------------------------- field kinds

interface Placed {
  /** Manual field names, most significant first, joined by ':'. */
  readonly bits: string;
  readonly value: number;
}

const REG_CLASSES: Record<RegClass, (r: number) => boolean> = {
  low: (r) => r <= 7,
  any: () => true,
  noPC: (r) => r !== 15,
  noSP: (r) => r !== 13,
  noSPPC: (r) => r !== 13 && r !== 15,
};

/** The field values for one operand, or undefined when the operand does not fit the field. */
function fieldValues(encoding: Encoding, name: OperandName, kind: FieldKind, ops: Operands): Placed[] | undefined {
  const width = (bits: string): number => fieldWidth(encoding, bits);
  const one = (bits: string, value: number | undefined): Placed[] | undefined => (value === undefined ? undefined : [{ bits, value }]);
  switch (kind.kind) {
    case 'reg': {
      const r = operand(ops, name) as number | undefined;
      if (r === undefined || !REG_CLASSES[kind.cls](r)) return undefined;
      return one(kind.bits, kind.cls === 'low' ? tryLowReg(r) : tryCoreReg(r));
    }
    case 'imm': {
      const value = operand(ops, name) as number | undefined;
      if (value === undefined || (kind.min !== undefined && value < kind.min) || (kind.max !== undefined && value > kind.max)) return undefined;
      return one(kind.bits, tryUImm(value - (kind.bias ?? 0), width(kind.bits), kind.scale ?? 1));
    }
    case 'offsetU': {
      const offset = ops.imm === undefined ? undefined : trySignedMagnitude(ops.imm, width(kind.bits), kind.scale ?? 1);
      return offset === undefined ? undefined : [{ bits: kind.u, value: offset.add ? 1 : 0 }, { bits: kind.bits, value: offset.magnitude }];
    }
    case 'modImm':
      return ops.imm === undefined ? undefined : one(kind.bits, tryThumbExpandImm(ops.imm));
    case 'shiftAmount': {
      const shift = ops.imm === undefined ? undefined : tryEncodedShift(kind.shift, ops.imm);
      // LSL #0 is MOV: the shift rows do not take it.
      return shift === undefined || ops.imm === 0 ? undefined : one(kind.bits, shift.imm5);
    }
    case 'shift': {
      const shift = ops.shift === undefined ? tryEncodedShift('lsl', 0) : tryEncodedShift(ops.shift.kind, ops.shift.amount);
      return shift === undefined ? undefined : [{ bits: kind.type, value: shift.type }, { bits: kind.bits, value: shift.imm5 }];
    }
    case 'branch': {
      if (ops.offset === undefined) return undefined;
      const bitCount = width(kind.bits);
      const field = tryBranchOffset(ops.offset, bitCount, kind.signed);
      if (field === undefined) return undefined;
      return one(kind.bits, kind.i1i2 === true ? storeJ1J2(field, bitCount) : field);
    }
    case 'cond': {
      if (ops.cond === undefined) return undefined;
      return one(kind.bits, kind.allowAL === true ? condCode(ops.cond) : tryBranchCond(ops.cond));
    }
    case 'itMask':
      return ops.cond === undefined || ops.mask === undefined ? undefined : one(kind.bits, tryItMask(ops.cond, ops.mask));
    case 'regList': {
      if (ops.regs === undefined) return undefined;
      const extra = Object.entries(kind.extra ?? {});
      const listWidth = width(kind.bits);
      const allowed = extra.reduce((bits, [, r]) => bits | (1 << r), (1 << listWidth) - 1) & ~(1 << 13);
      const list = tryRegList(ops.regs, allowed, kind.min ?? 1);
      if (list === undefined) return undefined;
      // Pop T2 may not load both LR and PC (ARMv7-M ARM A7.7.99).
      if (extra.length === 2 && (list & (1 << 14)) !== 0 && (list & (1 << 15)) !== 0) return undefined;
      return [{ bits: kind.bits, value: list & ((1 << listWidth) - 1) }, ...extra.map(([bits, r]) => ({ bits, value: (list >> r) & 1 }))];
    }
    case 'indexMode': {
      const mode = ops.mode ?? 'offset';
      return [{ bits: kind.p, value: mode === 'post' ? 0 : 1 }, { bits: kind.w, value: mode === 'offset' ? 0 : 1 }];
    }
    case 'sBit':
      return undefined;
    case 'sreg': {
      const r = operand(ops, name) as number | undefined;
      return r === undefined ? undefined : one(kind.bits, trySRegField(r));
    }
  }
}

/** B T4 and BL store I1, I2 (bits 22, 21 of S:I1:I2:imm10:imm11) as J = NOT(I) XOR S. */
function storeJ1J2(field: number, width: number): number {
  const s = (field >> (width - 1)) & 1;
  const i1 = (field >> (width - 2)) & 1;
  const i2 = (field >> (width - 3)) & 1;
  const j1 = (i1 ^ 1) ^ s;
  const j2 = (i2 ^ 1) ^ s;
  const rest = field & ((1 << (width - 3)) - 1);
  return (s << (width - 1)) | (j1 << (width - 2)) | (j2 << (width - 3)) | rest;
}

/** Total width of the fields 'a:b:c' in the row's layout. */
function fieldWidth(encoding: Encoding, bits: string): number {
  return bits.split(':').reduce((sum, name) => sum + (encoding.fields.get(name)?.[0]?.width ?? 0), 0);
}

/** Distribute `value` over the named fields 'a:b:c', most significant first. */
function splitValue(encoding: Encoding, bits: string, value: number, into: Map<string, number>): void {
  let rest = value;
  for (const name of bits.split(':').reverse()) {
    const slices: readonly BitSlice[] | undefined = encoding.fields.get(name);
    if (slices === undefined || slices[0] === undefined) throw new InternalError(STAGE, `row ${encoding.mnemonic} ${encoding.name} has no field '${name}'`);
    const width = slices[0].width;
    into.set(name, rest & ((1 << width) - 1));
    rest = Math.floor(rest / 2 ** width);
  }
}
