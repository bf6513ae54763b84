// UAL text of machine instructions, for listings, --dump-after and the assembler oracle.
//
// The printer asks the encoder which row it picks and fills that row's syntax template,
// adding .n/.w wherever the mnemonic has both sizes and the 's' suffix exactly when the
// chosen form sets flags. So `arm-none-eabi-as -mthumb -mimplicit-it=never` (unified
// syntax) assembles the text to the very bytes encode() produces; test/backend checks it.

import type { EncodeContext, Selection } from './encoder.js';
import { selectEncoding } from './encoder.js';
import { ENCODINGS } from './encodings.js';
import type { Label, MInst, Shift } from './mir.js';
import { regName } from './registers.js';
import type { Operands } from './selection.js';

export interface PrintContext extends Partial<EncodeContext> {
  /** Names branch targets; without it a branch prints as `.+N` (relative to this instruction). */
  readonly labelName?: (label: Label) => string;
}

/** Mnemonic families with both 16- and 32-bit rows: their text needs .n/.w to be unambiguous. */
export const BOTH_SIZES: ReadonlySet<string> = new Set(
  ENCODINGS.filter((row) => ENCODINGS.some((other) => other.mnemonic === row.mnemonic && other.size !== row.size)).map((row) => row.mnemonic),
);

export function formatInst(inst: MInst, ctx: PrintContext = {}): string {
  if (inst.op === 'copy') return `copy ${regName(inst.rd)}, ${regName(inst.rm)}`;
  const isBranch = inst.op === 'b' || inst.op === 'cbz' || inst.op === 'cbnz';
  if (isBranch && ctx.branchOffset === undefined) return formatUnplacedBranch(inst, ctx);
  const selection = selectEncoding(inst, { inIT: ctx.inIT ?? false, ...(ctx.branchOffset === undefined ? {} : { branchOffset: ctx.branchOffset }) });
  return fillTemplate(inst, selection, ctx);
}

/** A branch before layout (no offset yet): no size qualifier, the target by label. */
function formatUnplacedBranch(inst: MInst & { op: 'b' | 'cbz' | 'cbnz' }, ctx: PrintContext): string {
  const target = ctx.labelName?.(inst.target) ?? `.L${inst.target}`;
  if (inst.op !== 'b') return `${inst.op} ${regName(inst.rn)}, ${target}`;
  return `b${inst.cond === undefined || inst.cond === 'al' ? '' : inst.cond} ${target}`;
}

function fillTemplate(inst: MInst, selection: Selection, ctx: PrintContext): string {
  const { encoding, operands } = selection;
  const cond = operands.cond ?? ('cond' in inst ? inst.cond : undefined);
  return encoding.syntax.replace(/\{(\w+)\}/g, (_, name: string) => {
    switch (name) {
      case 's': return selection.setsFlags && encoding.flags !== 'always' ? 's' : '';
      case 'c': return cond === undefined || cond === 'al' ? '' : cond;
      case 'q': return BOTH_SIZES.has(encoding.mnemonic) ? (encoding.size === 16 ? '.n' : '.w') : '';
      case 'mem': return formatAddress(operands);
      case 'shift': return formatShift(operands.shift);
      case 'regs': return `{${(operands.regs ?? []).map(regName).join(', ')}}`;
      case 'offset': return formatTarget(inst, operands, ctx);
      case 'imm': return formatImmediate(inst, operands);
      case 'mask': return operands.mask ?? '';
      case 'cond': return operands.cond ?? '';
      case 'lsb': return String(operands.lsb);
      case 'width': return String(operands.width);
      default: return regName(operands[name as keyof Operands] as number);
    }
  });
}

export function formatShift(shift: Shift | undefined): string {
  if (shift !== undefined && shift.kind === 'ror' && shift.amount === 0) return ', rrx'; // DecodeImmShift's RRX
  return shift === undefined ? '' : `, ${shift.kind} #${shift.amount}`;
}

export function formatAddress(ops: Operands): string {
  const base = regName(ops.rn ?? -1);
  if (ops.rm !== undefined) return `[${base}, ${regName(ops.rm)}${ops.imm ? `, lsl #${ops.imm}` : ''}]`;
  const offset = `#${ops.imm ?? 0}`;
  if (ops.mode === 'post') return `[${base}], ${offset}`;
  return `[${base}, ${offset}]${ops.mode === 'pre' ? '!' : ''}`;
}

function formatImmediate(inst: MInst, ops: Operands): string {
  if ((inst.op === 'movw' || inst.op === 'movt') && inst.sym !== undefined) {
    const addend = inst.sym.addend === 0 ? '' : `${inst.sym.addend > 0 ? '+' : ''}${inst.sym.addend}`;
    return `:${inst.op === 'movw' ? 'lower16' : 'upper16'}:${inst.sym.name}${addend}`;
  }
  return String(ops.imm);
}

function formatTarget(inst: MInst, ops: Operands, ctx: PrintContext): string {
  if (inst.op === 'bl') return inst.sym.name + (inst.sym.addend === 0 ? '' : `${inst.sym.addend > 0 ? '+' : ''}${inst.sym.addend}`);
  if ((inst.op === 'b' || inst.op === 'cbz' || inst.op === 'cbnz') && ctx.labelName !== undefined) return ctx.labelName(inst.target);
  // '.' is this instruction's address; the offset counts from the address + 4.
  const relative = (ops.offset ?? 0) + 4;
  return relative >= 0 ? `.+${relative}` : `.-${-relative}`;
}
