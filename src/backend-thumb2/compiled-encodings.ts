// Each row of the encoding table (encodings.ts) compiled once into a fast encoder.
//
// The table stays the one source of truth; this file only does, once per row at load time,
// the work that reading a row costs: which operands the row accepts and requires, where
// each manual field ('i:imm3:imm8') sits in the word, which field values it forbids. What
// is left per instruction is checking the operand values (through operands.ts's checked
// constructors) and OR-ing precomputed shifts into the row's fixed pattern.

import { InternalError } from '../diagnostics/errors.js';
import type { Encoding, FieldKind, OperandName, RegClass } from './encodings.js';
import { ENCODINGS } from './encodings.js';
import {
  condCode, tryBranchCond, tryBranchOffset, tryCoreReg, tryEncodedShift, tryItMask, tryLowReg,
  tryRegList, trySignedMagnitude, trySRegField, tryThumbExpandImm, tryUImm,
} from './operands.js';
import type { Operands } from './selection.js';

const STAGE = 'thumb2 encoder';

/** One row, ready to encode: `place` gives the instruction word or undefined when the operands do not fit. */
export interface CompiledRow {
  readonly encoding: Encoding;
  /**
   * The word for `ops` (hw1 << 16 | hw2 for 32-bit rows), with the S bit set when
   * `setsFlags`; undefined when an operand is missing, extra, or out of its field's range.
   */
  readonly place: (ops: Operands, setsFlags: boolean) => number | undefined;
}

/** Rows by mnemonic family, split by size, in table order: the encoder's lookup. */
export interface RowsBySize {
  readonly 16: readonly CompiledRow[];
  readonly 32: readonly CompiledRow[];
}

/** Bits to OR into the word for one operand, or undefined when it does not fit. */
type Placer = (ops: Operands) => number | undefined;

/** Operands a row may be given without naming them: no shift, offset addressing, the S bit. */
const OPTIONAL_OPERANDS: ReadonlySet<string> = new Set<OperandName>(['shift', 'mode', 'S']);

const REG_CLASSES: Record<RegClass, (r: number) => boolean> = {
  low: (r) => r <= 7,
  any: () => true,
  noPC: (r) => r !== 15,
  noSP: (r) => r !== 13,
  noSPPC: (r) => r !== 13 && r !== 15,
};

/** An operand by table name. */
const operand = (ops: Operands, name: string): unknown => (ops as Readonly<Record<string, unknown>>)[name];

// ---------------------------------------------------------------- field placement

/**
 * The fields 'a:b:c' of a row as one value: `deposit` spreads a value over them (most
 * significant field first, each at every place the layout has it), `width` is their total.
 */
interface FieldGroup {
  readonly width: number;
  readonly deposit: (value: number) => number;
}

function fieldGroup(encoding: Encoding, bits: string): FieldGroup {
  const parts = bits.split(':').reverse().map((name) => {
    const slices = encoding.fields.get(name);
    if (slices === undefined || slices[0] === undefined) throw new InternalError(STAGE, `row ${encoding.mnemonic} ${encoding.name} has no field '${name}'`);
    return { mask: 2 ** slices[0].width - 1, scale: 2 ** slices[0].width, lsbs: slices.map((s) => s.lsb) };
  });
  const width = parts.reduce((sum, p) => sum + Math.log2(p.scale), 0);
  const deposit = (value: number): number => {
    let word = 0;
    let rest = value;
    for (const part of parts) {
      const field = rest & part.mask;
      for (const lsb of part.lsbs) word |= field << lsb;
      rest = Math.floor(rest / part.scale);
    }
    return word;
  };
  return { width, deposit };
}

/** Compile how one operand's value becomes field bits (see FieldKind in encodings.ts). */
function placerFor(encoding: Encoding, name: OperandName, kind: FieldKind): Placer {
  const group = (bits: string): FieldGroup => fieldGroup(encoding, bits);
  switch (kind.kind) {
    case 'reg': {
      const fits = REG_CLASSES[kind.cls];
      const check = kind.cls === 'low' ? tryLowReg : tryCoreReg;
      const { deposit } = group(kind.bits);
      return (ops) => {
        const r = operand(ops, name) as number | undefined;
        if (r === undefined || !fits(r)) return undefined;
        const field = check(r);
        return field === undefined ? undefined : deposit(field);
      };
    }
    case 'imm': {
      const { width, deposit } = group(kind.bits);
      const { min, max, bias = 0, scale = 1 } = kind;
      return (ops) => {
        const value = operand(ops, name) as number | undefined;
        if (value === undefined || (min !== undefined && value < min) || (max !== undefined && value > max)) return undefined;
        const field = tryUImm(value - bias, width, scale);
        return field === undefined ? undefined : deposit(field);
      };
    }
    case 'offsetU': {
      const { width, deposit } = group(kind.bits);
      const u = group(kind.u).deposit;
      const scale = kind.scale ?? 1;
      return (ops) => {
        const offset = ops.imm === undefined ? undefined : trySignedMagnitude(ops.imm, width, scale);
        return offset === undefined ? undefined : u(offset.add ? 1 : 0) | deposit(offset.magnitude);
      };
    }
    case 'modImm': {
      const { deposit } = group(kind.bits);
      return (ops) => {
        const field = ops.imm === undefined ? undefined : tryThumbExpandImm(ops.imm);
        return field === undefined ? undefined : deposit(field);
      };
    }
    case 'shiftAmount': {
      const { deposit } = group(kind.bits);
      const shiftKind = kind.shift;
      return (ops) => {
        const shift = ops.imm === undefined ? undefined : tryEncodedShift(shiftKind, ops.imm);
        // LSL #0 is MOV: the shift rows do not take it.
        return shift === undefined || ops.imm === 0 ? undefined : deposit(shift.imm5);
      };
    }
    case 'shift': {
      const type = group(kind.type).deposit;
      const { deposit } = group(kind.bits);
      return (ops) => {
        const shift = ops.shift === undefined ? tryEncodedShift('lsl', 0) : tryEncodedShift(ops.shift.kind, ops.shift.amount);
        return shift === undefined ? undefined : type(shift.type) | deposit(shift.imm5);
      };
    }
    case 'branch': {
      const { width, deposit } = group(kind.bits);
      const { signed } = kind;
      const j1j2 = kind.i1i2 === true;
      return (ops) => {
        if (ops.offset === undefined) return undefined;
        const field = tryBranchOffset(ops.offset, width, signed);
        if (field === undefined) return undefined;
        return deposit(j1j2 ? storeJ1J2(field, width) : field);
      };
    }
    case 'cond': {
      const { deposit } = group(kind.bits);
      const code = kind.allowAL === true ? condCode : tryBranchCond;
      return (ops) => {
        const field = ops.cond === undefined ? undefined : code(ops.cond);
        return field === undefined ? undefined : deposit(field);
      };
    }
    case 'itMask': {
      const { deposit } = group(kind.bits);
      return (ops) => {
        const field = ops.cond === undefined || ops.mask === undefined ? undefined : tryItMask(ops.cond, ops.mask);
        return field === undefined ? undefined : deposit(field);
      };
    }
    case 'regList':
      return regListPlacer(encoding, kind);
    case 'indexMode': {
      const p = group(kind.p).deposit;
      const w = group(kind.w).deposit;
      return (ops) => {
        const mode = ops.mode ?? 'offset';
        return p(mode === 'post' ? 0 : 1) | w(mode === 'offset' ? 0 : 1);
      };
    }
    case 'sBit':
      // The S bit comes from the flag mode, never from an operand (compileRow places it).
      return () => undefined;
    case 'sreg': {
      const { deposit } = group(kind.bits);
      return (ops) => {
        const r = operand(ops, name) as number | undefined;
        const field = r === undefined ? undefined : trySRegField(r);
        return field === undefined ? undefined : deposit(field);
      };
    }
  }
}

function regListPlacer(encoding: Encoding, kind: Extract<FieldKind, { kind: 'regList' }>): Placer {
  const { width, deposit } = fieldGroup(encoding, kind.bits);
  const extra = Object.entries(kind.extra ?? {}).map(([bits, r]) => ({ r, deposit: fieldGroup(encoding, bits).deposit }));
  const allowed = extra.reduce((bits, { r }) => bits | (1 << r), (1 << width) - 1) & ~(1 << 13);
  const min = kind.min ?? 1;
  return (ops) => {
    if (ops.regs === undefined) return undefined;
    const list = tryRegList(ops.regs, allowed, min);
    if (list === undefined) return undefined;
    // Pop T2 may not load both LR and PC (ARMv7-M ARM A7.7.99).
    if (extra.length === 2 && (list & (1 << 14)) !== 0 && (list & (1 << 15)) !== 0) return undefined;
    return extra.reduce((word, { r, deposit: bit }) => word | bit((list >> r) & 1), deposit(list & ((1 << width) - 1)));
  };
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

// ---------------------------------------------------------------- rows

/** A forbidden combination of field values as a test on the word: (word & mask) === bits. */
function forbiddenWord(encoding: Encoding, combo: Readonly<Record<string, number>>): { mask: number; bits: number } {
  let mask = 0;
  let bits = 0;
  for (const [field, value] of Object.entries(combo)) {
    const { width, deposit } = fieldGroup(encoding, field);
    mask |= deposit(2 ** width - 1);
    bits |= deposit(value);
  }
  return { mask, bits };
}

export function compileRow(encoding: Encoding): CompiledRow {
  const fixed = Object.entries(encoding.fixed ?? {});
  const tied = Object.entries(encoding.tied ?? {}) as [string, string][];
  const known = new Set<string>([...Object.keys(encoding.operands), ...fixed.map(([name]) => name), ...tied.map(([name]) => name)]);
  const required = [...known].filter((name) => !OPTIONAL_OPERANDS.has(name));
  const kinds = Object.entries(encoding.operands) as [OperandName, FieldKind][];
  const placers = kinds.filter(([name]) => name !== 'S').map(([name, kind]) => placerFor(encoding, name, kind));
  const sKind = encoding.operands.S;
  const sBit = sKind === undefined ? 0 : fieldGroup(encoding, sKind.kind === 'sBit' ? sKind.bits : 'S').deposit(1);
  const forbidden = (encoding.forbid ?? []).map((combo) => forbiddenWord(encoding, combo));

  const matches = (ops: Operands): boolean => {
    for (const name in ops) if (operand(ops, name) !== undefined && !known.has(name)) return false;
    for (const name of required) if (operand(ops, name) === undefined) return false;
    for (const [name, value] of fixed) if (operand(ops, name) !== value) return false;
    for (const [name, other] of tied) if (operand(ops, name) !== operand(ops, other)) return false;
    return true;
  };
  const place = (ops: Operands, setsFlags: boolean): number | undefined => {
    if (!matches(ops)) return undefined;
    let word = encoding.pattern | (setsFlags ? sBit : 0);
    for (const placer of placers) {
      const bits = placer(ops);
      if (bits === undefined) return undefined;
      word |= bits;
    }
    if (forbidden.some(({ mask, bits }) => (word & mask) === (bits | 0))) return undefined;
    return word >>> 0;
  };
  return { encoding, place };
}

/** Every row compiled, by its table row (for callers that already chose a row). */
export const COMPILED_ROWS: ReadonlyMap<Encoding, CompiledRow> = new Map(ENCODINGS.map((e) => [e, compileRow(e)]));

/** The rows the backend selects from, by mnemonic family and size, in table order. */
export const ROWS_BY_MNEMONIC: ReadonlyMap<string, RowsBySize> = (() => {
  const byMnemonic = new Map<string, { 16: CompiledRow[]; 32: CompiledRow[] }>();
  for (const row of COMPILED_ROWS.values()) {
    if (row.encoding.decodeOnly === true) continue;
    let sized = byMnemonic.get(row.encoding.mnemonic);
    if (sized === undefined) byMnemonic.set(row.encoding.mnemonic, (sized = { 16: [], 32: [] }));
    sized[row.encoding.size].push(row);
  }
  return byMnemonic;
})();
