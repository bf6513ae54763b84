// The operand forms an MInst can take: the bridge from machine IR to encoding-table rows.
//
// One MInst may be written several equivalent ways (add #-4 is sub #4, mov #~x is mvn #x,
// and rd, rn, rm commutes). `operandForms` lists them, preferred first, each as a UAL
// mnemonic family plus operands named like the table's operand names. The encoder tries
// every form against every row of that mnemonic and keeps the shortest fit, so the
// equivalences live here once and the rows stay plain data.

import { InternalError } from '../diagnostics/errors.js';
import { isSReg, type Cond, type FlagMode, type MInst, type Operand2, type Reg, type Shift } from './mir.js';

/** Operands by the names encodings.ts uses. Absent shift = none; absent mode = offset addressing. */
export interface Operands {
  readonly rd?: Reg;
  readonly rn?: Reg;
  readonly rm?: Reg;
  /** Shift amount register of a register-controlled shift. */
  readonly rs?: Reg;
  readonly ra?: Reg;
  readonly rt?: Reg;
  readonly rt2?: Reg;
  readonly rdLo?: Reg;
  readonly rdHi?: Reg;
  /** Immediate, load/store offset, or the LSL amount of a register-offset address. */
  readonly imm?: number;
  readonly shift?: Shift;
  /** Branch condition, or IT's firstcond. */
  readonly cond?: Cond;
  /** Branch offset: target - (address + 4). */
  readonly offset?: number;
  readonly regs?: readonly Reg[];
  /** IT then/else pattern after the first instruction ('', 't', 'e', 'te', ...). */
  readonly mask?: string;
  readonly mode?: 'pre' | 'post';
  readonly lsb?: number;
  readonly width?: number;
}

export interface OperandForm {
  readonly mnemonic: string;
  readonly operands: Operands;
  readonly flags: FlagMode;
  /** Restrict to one encoding (MOVW must stay MOVW so a relocation can fill it). */
  readonly only?: string;
}

const STAGE = 'thumb2 operand forms';

/** Context the forms depend on: branches need their offset, and conditions inside IT come from the IT. */
export interface FormContext {
  readonly inIT: boolean;
  readonly branchOffset?: number;
}

/** Ops whose two source registers commute (result and flags). */
const COMMUTATIVE: ReadonlySet<string> = new Set(['add', 'adc', 'and', 'orr', 'eor', 'mul']);

/**
 * Immediate rewrites that keep result and NZCV: for add/sub and cmp/cmn negating the
 * immediate changes C or V only for 0 and 0x80000000, which encode directly anyway.
 */
const NEGATED: Readonly<Record<string, string>> = { add: 'sub', sub: 'add', cmp: 'cmn', cmn: 'cmp' };
/** Rewrites with the complemented immediate: adc/sbc are exact; the logical ones may differ in C, so not when flags are wanted. */
const COMPLEMENTED: Readonly<Record<string, string>> = { adc: 'sbc', sbc: 'adc', and: 'bic', bic: 'and', orr: 'orn', orn: 'orr', mov: 'mvn', mvn: 'mov' };
const EXACT_COMPLEMENT: ReadonlySet<string> = new Set(['adc', 'sbc']);

export function operandForms(inst: MInst, ctx: FormContext): OperandForm[] {
  const form = (mnemonic: string, operands: Operands, flags: FlagMode = 'any', only?: string): OperandForm =>
    only === undefined ? { mnemonic, operands, flags } : { mnemonic, operands, flags, only };
  switch (inst.op) {
    case 'add': case 'adc': case 'sub': case 'sbc': case 'rsb': case 'and': case 'orr': case 'eor': case 'bic': case 'orn':
      return withSource(inst.op, { rd: inst.rd, rn: inst.rn }, inst.src, inst.s);
    case 'mov': case 'mvn':
      if (inst.src.kind === 'reg' && inst.src.shift !== undefined && inst.op === 'mov') {
        return [form(inst.src.shift.kind, { rd: inst.rd, rm: inst.src.rm, imm: inst.src.shift.amount }, inst.s)];
      }
      if (inst.src.kind === 'reg') return [form(inst.op, withShift({ rd: inst.rd, rm: inst.src.rm }, inst.src.shift), inst.s)];
      return [
        ...immediateForms(inst.op, { rd: inst.rd }, inst.src.value, inst.s),
        ...(inst.op === 'mov' && inst.s !== 'set' ? [form('mov', { rd: inst.rd, imm: inst.src.value }, 'keep', 'T3')] : []),
      ];
    case 'lsl': case 'lsr': case 'asr': case 'ror':
      if (inst.src.kind === 'reg') return [form(inst.op, { rd: inst.rd, rm: inst.rm, rs: inst.src.rs }, inst.s)];
      // A shift by #0 is a plain register move (the encodings give #0 other meanings: MOV, RRX, #32).
      if (inst.src.value === 0) return [form('mov', { rd: inst.rd, rm: inst.rm }, inst.s)];
      return [form(inst.op, { rd: inst.rd, rm: inst.rm, imm: inst.src.value }, inst.s)];
    case 'movw':
      return [form('mov', { rd: inst.rd, imm: inst.sym === undefined ? inst.imm : 0 }, 'keep', 'T3')];
    case 'movt':
      return [form('movt', { rd: inst.rd, imm: inst.sym === undefined ? inst.imm : 0 }, 'keep')];
    case 'cmp': case 'cmn': case 'tst': case 'teq':
      return withSource(inst.op, { rn: inst.rn }, inst.src, 'any');
    case 'mul': {
      const forms = [form('mul', { rd: inst.rd, rn: inst.rn, rm: inst.rm }, inst.s)];
      return [...forms, form('mul', { rd: inst.rd, rn: inst.rm, rm: inst.rn }, inst.s)];
    }
    case 'mla': case 'mls':
      return [form(inst.op, { rd: inst.rd, rn: inst.rn, rm: inst.rm, ra: inst.ra }, 'keep')];
    case 'umull': case 'smull': case 'umlal': case 'smlal':
      if (inst.rdLo === inst.rdHi) throw new InternalError(STAGE, `${inst.op} with rdLo == rdHi`);
      return [form(inst.op, { rdLo: inst.rdLo, rdHi: inst.rdHi, rn: inst.rn, rm: inst.rm }, 'keep')];
    case 'sdiv': case 'udiv':
      return [form(inst.op, { rd: inst.rd, rn: inst.rn, rm: inst.rm }, 'keep')];
    case 'clz': case 'rbit': case 'rev': case 'rev16': case 'revsh': case 'sxtb': case 'sxth': case 'uxtb': case 'uxth':
      return [form(inst.op, { rd: inst.rd, rm: inst.rm }, 'keep')];
    case 'ubfx': case 'sbfx':
      if (!(inst.lsb >= 0 && inst.width >= 1 && inst.lsb + inst.width <= 32)) throw new InternalError(STAGE, `${inst.op} lsb ${inst.lsb} width ${inst.width}`);
      return [form(inst.op, { rd: inst.rd, rn: inst.rn, lsb: inst.lsb, width: inst.width }, 'keep')];
    case 'ldr': case 'ldrb': case 'ldrh': case 'ldrsb': case 'ldrsh': case 'str': case 'strb': case 'strh': {
      const addr = inst.addr;
      if (addr.kind === 'reg') return [form(inst.op, { rt: inst.rt, rn: addr.rn, rm: addr.rm, imm: addr.shift }, 'keep')];
      const mode = addr.mode === undefined || addr.mode === 'offset' ? undefined : addr.mode;
      if (mode !== undefined && addr.rn === inst.rt) throw new InternalError(STAGE, `${inst.op} writes back to its own rt`);
      return [form(inst.op, withMode({ rt: inst.rt, rn: addr.rn, imm: addr.offset }, mode), 'keep')];
    }
    case 'ldrd': case 'strd': {
      const mode = inst.addr.mode === undefined || inst.addr.mode === 'offset' ? undefined : inst.addr.mode;
      return [form(inst.op, withMode({ rt: inst.rt, rt2: inst.rt2, rn: inst.addr.rn, imm: inst.addr.offset }, mode), 'keep')];
    }
    case 'push': case 'pop': {
      const regs = [...inst.regs].sort((a, b) => a - b);
      const single = regs.length === 1 && regs[0] !== undefined ? [form(inst.op, { rt: regs[0] }, 'keep')] : [];
      return [form(inst.op, { regs }, 'keep'), ...single];
    }
    case 'b': {
      const offset = requireOffset(inst, ctx);
      const conditional = inst.cond !== undefined && inst.cond !== 'al' && !ctx.inIT;
      return [form('b', conditional ? { cond: inst.cond, offset } : { offset }, 'keep')];
    }
    case 'cbz': case 'cbnz':
      return [form(inst.op, { rn: inst.rn, offset: requireOffset(inst, ctx) }, 'keep')];
    case 'bl':
      return [form('bl', { offset: 0 }, 'keep')];
    case 'blx': case 'bx':
      return [form(inst.op, { rm: inst.rm }, 'keep')];
    case 'it':
      return [form('it', { cond: inst.firstCond, mask: inst.mask }, 'keep')];
    case 'udf': case 'bkpt':
      return [form(inst.op, { imm: inst.imm }, 'keep')];
    case 'nop':
      return [form('nop', {}, 'keep')];
    case 'copy':
      throw new InternalError(STAGE, `'copy' is a pseudo-instruction; the register allocator must lower it`);
    case 'vadd.f32': case 'vsub.f32': case 'vmul.f32': case 'vdiv.f32':
      return [form(inst.op, { rd: inst.rd, rn: inst.rn, rm: inst.rm }, 'keep')];
    case 'vsqrt.f32': case 'vabs.f32': case 'vneg.f32': case 'vmov.f32':
    case 'vcvt.s32.f32': case 'vcvt.u32.f32': case 'vcvtr.s32.f32': case 'vcvtr.u32.f32': case 'vcvt.f32.s32': case 'vcvt.f32.u32':
      return [form(inst.op, { rd: inst.rd, rm: inst.rm }, 'keep')];
    case 'vcmp.f32': case 'vcmpe.f32':
      return [form(inst.op, inst.rm === undefined ? { rd: inst.rd } : { rd: inst.rd, rm: inst.rm }, 'keep')];
    case 'vmrs':
      return [form('vmrs', {}, 'any')];
    case 'vmov':
      // Core to S register (VMOV Sn, Rt) or S to core (VMOV Rt, Sn); S to S is vmov.f32.
      return [form('vmov', isSReg(inst.rd) ? { rd: inst.rd, rt: inst.rm } : { rt: inst.rd, rn: inst.rm }, 'keep')];
    case 'vldr': case 'vstr':
      return [form(inst.op, { rt: inst.rt, rn: inst.addr.rn, imm: inst.addr.offset }, 'keep')];
  }
}

function requireOffset(inst: MInst, ctx: FormContext): number {
  if (ctx.branchOffset === undefined) throw new InternalError(STAGE, `'${inst.op}' needs EncodeContext.branchOffset`);
  return ctx.branchOffset;
}

function withShift(ops: Operands, shift: Shift | undefined): Operands {
  // LSL #0 is no shift at all; it must not keep the 16-bit forms out.
  return shift === undefined || (shift.kind === 'lsl' && shift.amount === 0) ? ops : { ...ops, shift };
}

function withMode(ops: Operands, mode: 'pre' | 'post' | undefined): Operands {
  return mode === undefined ? ops : { ...ops, mode };
}

/** Data-processing and compare forms for an immediate or (shifted) register second operand. */
function withSource(op: string, base: Operands, src: Operand2, s: FlagMode): OperandForm[] {
  if (src.kind === 'imm') return immediateForms(op, base, src.value, s);
  const forms: OperandForm[] = [{ mnemonic: op, operands: withShift({ ...base, rm: src.rm }, src.shift), flags: s }];
  const shifted = withShift(base, src.shift) !== base;
  if (COMMUTATIVE.has(op) && base.rn !== undefined && !shifted) {
    forms.push({ mnemonic: op, operands: { ...base, rn: src.rm, rm: base.rn }, flags: s });
  }
  return forms;
}

function immediateForms(op: string, base: Operands, value: number, s: FlagMode): OperandForm[] {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 32) throw new InternalError(STAGE, `${op} immediate ${value} is not a 32-bit value`);
  const forms: OperandForm[] = [{ mnemonic: op, operands: { ...base, imm: value >>> 0 }, flags: s }];
  // The plain-binary forms (ADDW, 16-bit imm3/imm8) want the small non-negative number.
  const negated = NEGATED[op];
  if (negated !== undefined) forms.push({ mnemonic: negated, operands: { ...base, imm: (-value) >>> 0 }, flags: s });
  const complemented = COMPLEMENTED[op];
  if (complemented !== undefined && (s !== 'set' || EXACT_COMPLEMENT.has(op))) {
    forms.push({ mnemonic: complemented, operands: { ...base, imm: ~value >>> 0 }, flags: s });
  }
  return forms;
}
