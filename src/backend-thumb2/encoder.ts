// The generic Thumb-2 encoder: places the operand fields of one row of the encoding table.
//
// `encode` asks the selector (selection.ts) for the operand forms an MInst can take, then
// tries the rows of encodings.ts, 16-bit rows first, and returns the first whose
// constraints (register classes, immediate ranges, flags, IT placement) all hold. Every
// operand value goes through a checked constructor of operands.ts before it is placed.
// The rows are compiled once into fast placers (compiled-encodings.ts); this file decides
// which row, the flags and the IT placement.

import { InternalError } from '../diagnostics/errors.js';
import type { RelocType } from '../elf/object.js';
import { COMPILED_ROWS, ROWS_BY_MNEMONIC, type CompiledRow } from './compiled-encodings.js';
import type { Encoding } from './encodings.js';
import type { FlagMode, MInst } from './mir.js';
import { tryBranchOffset } from './operands.js';
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
      for (const row of ROWS_BY_MNEMONIC.get(form.mnemonic)?.[size] ?? []) {
        if (form.only !== undefined && row.encoding.name !== form.only) continue;
        const selection = tryEncoding(row, form, ctx);
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
  const row = COMPILED_ROWS.get(encoding);
  if (row === undefined) throw new InternalError(STAGE, `row ${encoding.mnemonic} ${encoding.name} is not in the encoding table`);
  const selection = tryEncoding(row, { mnemonic: encoding.mnemonic, operands, flags: 'any' }, ctx);
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

function tryEncoding(row: CompiledRow, form: OperandForm, ctx: EncodeContext): Selection | undefined {
  const { encoding } = row;
  if (encoding.it === 'outside' && ctx.inIT) return undefined;
  const setsFlags = flagsFit(encoding, form.flags, ctx.inIT);
  if (setsFlags === undefined) return undefined;
  const word = row.place(form.operands, setsFlags);
  return word === undefined ? undefined : { encoding, operands: form.operands, word, setsFlags };
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
