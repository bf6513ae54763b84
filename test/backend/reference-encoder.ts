// The encoder as the table reads, with nothing precomputed: for one row and one operand set,
// every field is found by name in the row's layout at encode time. It was the backend's
// encoder before the rows were compiled (compiled-encodings.ts); kept here as the plain
// reading of the table that the compiled rows must agree with, bit for bit.

import type { BitSlice, Encoding, FieldKind, OperandName, RegClass } from '../../src/backend-thumb2/encodings.js';
import {
  condCode, tryBranchCond, tryBranchOffset, tryCoreReg, tryEncodedShift, tryItMask, tryLowReg,
  tryRegList, trySignedMagnitude, trySRegField, tryThumbExpandImm, tryUImm,
} from '../../src/backend-thumb2/operands.js';
import type { Operands } from '../../src/backend-thumb2/selection.js';

const OPTIONAL_OPERANDS: ReadonlySet<OperandName> = new Set(['shift', 'mode', 'S']);

const REG_CLASSES: Record<RegClass, (r: number) => boolean> = {
  low: (r) => r <= 7,
  any: () => true,
  noPC: (r) => r !== 15,
  noSP: (r) => r !== 13,
  noSPPC: (r) => r !== 13 && r !== 15,
};

interface Placed {
  readonly bits: string;
  readonly value: number;
}

const operand = (ops: Operands, name: string): unknown => (ops as Readonly<Record<string, unknown>>)[name];

/** The word `encoding` gives `ops` (S bit from `setsFlags`), or undefined when they do not fit the row. */
export function referenceWord(encoding: Encoding, ops: Operands, setsFlags: boolean): number | undefined {
  if (!operandsMatch(encoding, ops)) return undefined;
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
  return word;
}

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

function fieldValues(encoding: Encoding, name: OperandName, kind: FieldKind, ops: Operands): Placed[] | undefined {
  const width = (bits: string): number => bits.split(':').reduce((sum, n) => sum + (encoding.fields.get(n)?.[0]?.width ?? 0), 0);
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
    case 'cond':
      if (ops.cond === undefined) return undefined;
      return one(kind.bits, kind.allowAL === true ? condCode(ops.cond) : tryBranchCond(ops.cond));
    case 'itMask':
      return ops.cond === undefined || ops.mask === undefined ? undefined : one(kind.bits, tryItMask(ops.cond, ops.mask));
    case 'regList': {
      if (ops.regs === undefined) return undefined;
      const extra = Object.entries(kind.extra ?? {});
      const listWidth = width(kind.bits);
      const allowed = extra.reduce((bits, [, r]) => bits | (1 << r), (1 << listWidth) - 1) & ~(1 << 13);
      const list = tryRegList(ops.regs, allowed, kind.min ?? 1);
      if (list === undefined) return undefined;
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

function storeJ1J2(field: number, width: number): number {
  const s = (field >> (width - 1)) & 1;
  const j1 = (((field >> (width - 2)) & 1) ^ 1) ^ s;
  const j2 = (((field >> (width - 3)) & 1) ^ 1) ^ s;
  return (s << (width - 1)) | (j1 << (width - 2)) | (j2 << (width - 3)) | (field & ((1 << (width - 3)) - 1));
}

function splitValue(encoding: Encoding, bits: string, value: number, into: Map<string, number>): void {
  let rest = value;
  for (const name of bits.split(':').reverse()) {
    const slices: readonly BitSlice[] | undefined = encoding.fields.get(name);
    if (slices === undefined || slices[0] === undefined) throw new Error(`row ${encoding.mnemonic} ${encoding.name} has no field '${name}'`);
    into.set(name, rest & ((1 << slices[0].width) - 1));
    rest = Math.floor(rest / 2 ** slices[0].width);
  }
}
