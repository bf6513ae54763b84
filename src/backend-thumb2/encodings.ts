// The Thumb-2 encoding table: every ARMv7-M encoding the backend emits, one row each.
//
// A row is data only: the manual's bit diagram (fixed bits and named fields, "hw1 | hw2"
// for 32-bit forms), how each operand maps to named fields (a field kind), operands the
// encoding implies (fixed) or shares with another (tied), its flag-setting behaviour and
// where it may sit relative to an IT block, and its UAL syntax template. The encoder
// (encoder.ts), the printer (printer.ts) and the simulator's decoder read this one table.
//
// Rows whose fixed bits are a superset of another row's (TST = ANDS with Rd=1111, the SP
// forms of ADD) are more specific: a decoder must try rows with more fixed bits first.

import type { ShiftKind } from './mir.js';

/** Operand names of an instruction form (the keys of `Operands` in encoder.ts). */
export type OperandName =
  | 'rd' | 'rn' | 'rm' | 'rs' | 'ra' | 'rt' | 'rt2' | 'rdLo' | 'rdHi'
  | 'imm' | 'shift' | 'cond' | 'offset' | 'regs' | 'mask' | 'mode' | 'lsb' | 'width' | 'S';

/**
 * Which registers a 3- or 4-bit register field may name. The manual makes SP and PC
 * UNPREDICTABLE (or a different instruction) in most 32-bit forms.
 */
export type RegClass = 'low' | 'any' | 'noPC' | 'noSP' | 'noSPPC';

/**
 * How an operand value becomes field bits. `bits` names the manual's fields, most
 * significant first, joined by ':' (e.g. 'i:imm3:imm8'); their concatenation is the value.
 */
export type FieldKind =
  | { readonly kind: 'reg'; readonly bits: string; readonly cls: RegClass }
  /** value = field * scale + bias, field unsigned; optional [min, max] on the value. */
  | { readonly kind: 'imm'; readonly bits: string; readonly scale?: number; readonly bias?: number; readonly min?: number; readonly max?: number }
  /** A signed offset as U (add) bit plus magnitude (imm8, imm8:'00'...). */
  | { readonly kind: 'offsetU'; readonly bits: string; readonly u: string; readonly scale?: number }
  /** Thumb modified immediate, i:imm3:imm8 (operands.ts tryThumbExpandImm). */
  | { readonly kind: 'modImm'; readonly bits: string }
  /** Immediate shift amount of a shift instruction of type `shift` (LSR/ASR #32 is 0). */
  | { readonly kind: 'shiftAmount'; readonly bits: string; readonly shift: ShiftKind }
  /** Optional shift of a register operand: type field + imm3:imm2 amount; absent = LSL #0. */
  | { readonly kind: 'shift'; readonly type: string; readonly bits: string }
  /** Branch offset (target - (address + 4)), `scale` 2. `i1i2`: bits 2 and 3 (after S) are stored as J = NOT(I) XOR S (B T4, BL). */
  | { readonly kind: 'branch'; readonly bits: string; readonly signed: boolean; readonly i1i2?: boolean }
  /** A condition code 0-13 (AL is only valid in IT's firstcond). */
  | { readonly kind: 'cond'; readonly bits: string; readonly allowAL?: boolean }
  /** IT mask from the then/else pattern and firstcond's low bit. */
  | { readonly kind: 'itMask'; readonly bits: string }
  /** Register list: field bit n is rn for n < width of `bits`; `extra` maps single-bit fields to registers (M -> lr, P -> pc). */
  | { readonly kind: 'regList'; readonly bits: string; readonly extra?: Readonly<Record<string, number>>; readonly min?: number }
  /** Index mode of a load/store: P and W bits (offset P=1 W=0, pre P=1 W=1, post P=0 W=1). */
  | { readonly kind: 'indexMode'; readonly p: string; readonly w: string }
  /** The S bit of 32-bit data-processing forms, set by the selector from the FlagMode. */
  | { readonly kind: 'sBit'; readonly bits: string }
  /** An FPU single-precision register (mir.ts sReg) split as the manual does: 'Vd:D' is Sd = Vd:D. */
  | { readonly kind: 'sreg'; readonly bits: string };

/**
 * Flag behaviour: 'none' never sets NZCV; 'outsideIT' (16-bit data processing) sets them
 * exactly when outside an IT block; 'sBit' has an S field; 'always' always sets them.
 */
export type FlagBehaviour = 'none' | 'outsideIT' | 'sBit' | 'always';

/** IT placement: 'any'; 'outside' only outside IT blocks; 'outsideOrLast' outside or last in an IT block (branches). */
export type ItPlacement = 'any' | 'outside' | 'outsideOrLast';

export interface EncodingSpec {
  /** UAL mnemonic family the selector looks rows up by ('add' also covers ADDW). */
  readonly mnemonic: string;
  /** Encoding name in the ARMv7-M Architecture Reference Manual, e.g. 'T3'; 'SP T1' for the SP forms. */
  readonly name: string;
  /** Bit diagram as in the manual: 0/1 fixed bits, `name:width` fields (width 1 when omitted), '|' between halfwords. */
  readonly layout: string;
  readonly operands: Readonly<Partial<Record<OperandName, FieldKind>>>;
  /** Operand values the encoding implies (e.g. rn = sp), not encoded by a field of their own. */
  readonly fixed?: Readonly<Partial<Record<OperandName, number>>>;
  /** Field values that make the bits a different instruction (LDRT for P=1 U=1 W=0): never encoded, and a decoder must look elsewhere. */
  readonly forbid?: readonly Readonly<Record<string, number>>[];
  /** Operands that must equal another operand (e.g. rn: 'rd' for two-operand 16-bit forms). */
  readonly tied?: Readonly<Partial<Record<OperandName, OperandName>>>;
  readonly flags: FlagBehaviour;
  readonly it: ItPlacement;
  /** UAL template: {s} flag suffix, {c} condition, {q} .n/.w, {name} an operand, {mem} an address. */
  readonly syntax: string;
  /**
   * The backend never selects this row (the encoder skips it): it is here so that the
   * simulator's decoder reads what gcc emits for runtime-c and libgcc (LDM, TBB, MRS...).
   */
  readonly decodeOnly?: true;
}

/** A named field slice of a parsed layout: `width` bits at bit `lsb` of the instruction word. */
export interface BitSlice {
  readonly lsb: number;
  readonly width: number;
}

export interface Encoding extends EncodingSpec {
  readonly size: 16 | 32;
  /** Fixed bits: (word & mask) === pattern. A 32-bit word is hw1 << 16 | hw2. */
  readonly pattern: number;
  readonly mask: number;
  /** Field name -> its places in the word (a field may appear twice, like CLZ's Rm). */
  readonly fields: ReadonlyMap<string, readonly BitSlice[]>;
}

// ---------------------------------------------------------------- field kind constructors

const reg = (bits: string, cls: RegClass = 'noSPPC'): FieldKind => ({ kind: 'reg', bits, cls });
const low = (bits: string): FieldKind => ({ kind: 'reg', bits, cls: 'low' });
const imm = (bits: string, scale = 1, more: { bias?: number; min?: number; max?: number } = {}): FieldKind => ({ kind: 'imm', bits, scale, ...more });
const modImm: FieldKind = { kind: 'modImm', bits: 'i:imm3:imm8' };
const sBit: FieldKind = { kind: 'sBit', bits: 'S' };
const shift: FieldKind = { kind: 'shift', type: 'type', bits: 'imm3:imm2' };
const offsetU = (bits: string, scale = 1): FieldKind => ({ kind: 'offsetU', bits, u: 'U', scale });
const indexMode: FieldKind = { kind: 'indexMode', p: 'P', w: 'W' };
const sreg = (bits: string): FieldKind => ({ kind: 'sreg', bits });
const SP = 13;
const LR = 14;
const PC = 15;

// ---------------------------------------------------------------- rows

type Row = EncodingSpec;

/** 16-bit "data processing" group: 010000 opcode Rm Rdn, two-operand, flag-setting outside IT. */
function dp16(mnemonic: string, opcode: string): Row {
  return {
    mnemonic, name: 'T1', layout: `010000 ${opcode} Rm:3 Rdn:3`,
    operands: { rd: low('Rdn'), rm: low('Rm') }, tied: { rn: 'rd' }, flags: 'outsideIT', it: 'any',
    syntax: `${mnemonic}{s}{c}{q} {rd}, {rm}`,
  };
}

/** 32-bit data processing with a modified immediate: 11110 i 0 op S Rn | 0 imm3 Rd imm8. */
function dpModImm(mnemonic: string, name: string, op: string): Row {
  return {
    mnemonic, name, layout: `11110 i 0 ${op} S Rn:4 | 0 imm3:3 Rd:4 imm8:8`,
    operands: { rd: reg('Rd'), rn: reg('Rn'), imm: modImm, S: sBit }, flags: 'sBit', it: 'any',
    syntax: `${mnemonic}{s}{c}{q} {rd}, {rn}, #{imm}`,
  };
}

/** 32-bit data processing with a shifted register: 11101 01 op S Rn | 0 imm3 Rd imm2 type Rm. */
function dpShiftedReg(mnemonic: string, name: string, op: string): Row {
  return {
    mnemonic, name, layout: `11101 01 ${op} S Rn:4 | 0 imm3:3 Rd:4 imm2:2 type:2 Rm:4`,
    operands: { rd: reg('Rd'), rn: reg('Rn'), rm: reg('Rm'), shift, S: sBit }, flags: 'sBit', it: 'any',
    syntax: `${mnemonic}{s}{c}{q} {rd}, {rn}, {rm}{shift}`,
  };
}

/** Compares: the flag-setting data-processing forms with Rd = 1111 and S = 1. */
function compareModImm(mnemonic: string, name: string, op: string): Row {
  return {
    mnemonic, name, layout: `11110 i 0 ${op} 1 Rn:4 | 0 imm3:3 1111 imm8:8`,
    operands: { rn: reg('Rn'), imm: modImm }, flags: 'always', it: 'any', syntax: `${mnemonic}{c}{q} {rn}, #{imm}`,
  };
}
function compareShiftedReg(mnemonic: string, name: string, op: string): Row {
  return {
    mnemonic, name, layout: `11101 01 ${op} 1 Rn:4 | 0 imm3:3 1111 imm2:2 type:2 Rm:4`,
    operands: { rn: reg('Rn'), rm: reg('Rm'), shift }, flags: 'always', it: 'any', syntax: `${mnemonic}{c}{q} {rn}, {rm}{shift}`,
  };
}

/** Shift by immediate: 16-bit T1 (LSL/LSR/ASR) and the 32-bit MOV-with-shift form. */
function shiftImm16(mnemonic: ShiftKind, op: string): Row {
  return {
    mnemonic, name: 'T1', layout: `000 ${op} imm5:5 Rm:3 Rd:3`,
    operands: { rd: low('Rd'), rm: low('Rm'), imm: { kind: 'shiftAmount', bits: 'imm5', shift: mnemonic } },
    flags: 'outsideIT', it: 'any', syntax: `${mnemonic}{s}{c}{q} {rd}, {rm}, #{imm}`,
  };
}
function shiftImm32(mnemonic: ShiftKind, name: string, type: string): Row {
  return {
    mnemonic, name, layout: `11101 01 0010 S 1111 | 0 imm3:3 Rd:4 imm2:2 ${type} Rm:4`,
    operands: { rd: reg('Rd'), rm: reg('Rm'), imm: { kind: 'shiftAmount', bits: 'imm3:imm2', shift: mnemonic }, S: sBit },
    flags: 'sBit', it: 'any', syntax: `${mnemonic}{s}{c}{q} {rd}, {rm}, #{imm}`,
  };
}
/** Shift by register, 32-bit: 11111010 0 type S Rn | 1111 Rd 0000 Rm (Rn is shifted by Rm). */
function shiftReg32(mnemonic: ShiftKind, name: string, type: string): Row {
  return {
    mnemonic, name, layout: `11111010 0 ${type} S Rn:4 | 1111 Rd:4 0000 Rm:4`,
    operands: { rd: reg('Rd'), rm: reg('Rn'), rs: reg('Rm'), S: sBit }, flags: 'sBit', it: 'any',
    syntax: `${mnemonic}{s}{c}{q} {rd}, {rm}, {rs}`,
  };
}
function shiftReg16(mnemonic: ShiftKind, opcode: string): Row {
  return {
    mnemonic, name: 'T1', layout: `010000 ${opcode} Rm:3 Rdn:3`,
    operands: { rd: low('Rdn'), rs: low('Rm') }, tied: { rm: 'rd' }, flags: 'outsideIT', it: 'any',
    syntax: `${mnemonic}{s}{c}{q} {rd}, {rs}`,
  };
}

/** Single-operand 32-bit forms that name Rm twice (CLZ, RBIT, REV...): 11111010 1 op1 Rm | 1111 Rd 10 op2 Rm. */
function misc32(mnemonic: string, name: string, op1: string, op2: string): Row {
  return {
    mnemonic, name, layout: `11111010 1 ${op1} Rm:4 | 1111 Rd:4 10 ${op2} Rm:4`,
    operands: { rd: reg('Rd'), rm: reg('Rm') }, flags: 'none', it: 'any', syntax: `${mnemonic}{c}{q} {rd}, {rm}`,
  };
}
/** 16-bit single-operand forms on low registers (REV, SXTB...): prefix Rm Rd. */
function unary16(mnemonic: string, prefix: string): Row {
  return {
    mnemonic, name: 'T1', layout: `${prefix} Rm:3 Rd:3`, operands: { rd: low('Rd'), rm: low('Rm') },
    flags: 'none', it: 'any', syntax: `${mnemonic}{c}{q} {rd}, {rm}`,
  };
}
/** Sign/zero extension with rotation 0: 11111010 0 op 1111 | 1111 Rd 1 0 00 Rm. */
function extend32(mnemonic: string, op: string): Row {
  return {
    mnemonic, name: 'T2', layout: `11111010 0 ${op} 1111 | 1111 Rd:4 1 0 00 Rm:4`,
    operands: { rd: reg('Rd'), rm: reg('Rm') }, flags: 'none', it: 'any', syntax: `${mnemonic}{c}{q} {rd}, {rm}`,
  };
}

/** Loads and stores. `rt` is the class of Rt; `imm5scale` the T1 immediate scale (0: no T1 form). */
interface LoadStoreShape {
  readonly mnemonic: string;
  readonly rt: RegClass;
  /** 16-bit immediate form prefix and scale, 16-bit register form opB, 32-bit hw1 prefixes. */
  readonly imm5?: { readonly prefix: string; readonly scale: number };
  readonly reg16?: string;
  readonly imm12: string;
  readonly imm8: string;
  readonly names: readonly [imm12: string, imm8: string];
}
function loadStore(shape: LoadStoreShape): Row[] {
  const { mnemonic, rt } = shape;
  const mem = `${mnemonic}{c}{q} {rt}, {mem}`;
  const rows: Row[] = [];
  if (shape.imm5 !== undefined) {
    rows.push({
      mnemonic, name: 'T1', layout: `${shape.imm5.prefix} imm5:5 Rn:3 Rt:3`,
      operands: { rt: low('Rt'), rn: low('Rn'), imm: imm('imm5', shape.imm5.scale) },
      flags: 'none', it: 'any', syntax: mem,
    });
  }
  if (shape.reg16 !== undefined) {
    rows.push({
      mnemonic, name: 'T1', layout: `0101 ${shape.reg16} Rm:3 Rn:3 Rt:3`,
      operands: { rt: low('Rt'), rn: low('Rn'), rm: low('Rm') }, fixed: { imm: 0 },
      flags: 'none', it: 'any', syntax: mem,
    });
  }
  rows.push(
    {
      mnemonic, name: shape.names[0], layout: `${shape.imm12} Rn:4 | Rt:4 imm12:12`,
      operands: { rt: reg('Rt', rt), rn: reg('Rn', 'noPC'), imm: imm('imm12') },
      flags: 'none', it: 'any', syntax: mem,
    },
    {
      mnemonic, name: shape.names[1], layout: `${shape.imm8} Rn:4 | Rt:4 1 P U W imm8:8`,
      operands: { rt: reg('Rt', rt), rn: reg('Rn', 'noPC'), imm: offsetU('imm8'), mode: indexMode },
      forbid: [{ P: 1, U: 1, W: 0 }, { P: 0, W: 0 }], flags: 'none', it: 'any', syntax: mem,
    },
    {
      mnemonic, name: 'T2 reg', layout: `${shape.imm8} Rn:4 | Rt:4 000000 imm2:2 Rm:4`,
      operands: { rt: reg('Rt', rt), rn: reg('Rn', 'noPC'), rm: reg('Rm'), imm: imm('imm2') },
      flags: 'none', it: 'any', syntax: mem,
    },
  );
  return rows;
}

/** UAL template of an FPU mnemonic with its data type: 'vadd.f32' -> 'vadd{c}.f32 <operands>'. */
function vfpSyntax(mnemonic: string, operands: string): string {
  const dot = mnemonic.indexOf('.');
  return dot < 0 ? `${mnemonic}{c} ${operands}` : `${mnemonic.slice(0, dot)}{c}${mnemonic.slice(dot)} ${operands}`;
}

/** FPU three-register data processing, single precision (sz = 0): 11101110 opc1 Vn | Vd 101 0 N opc3 M 0 Vm. */
function vfp3(mnemonic: string, opc1: string, opc3: string): Row {
  return {
    mnemonic, name: 'T1', layout: `11101110 ${opc1} Vn:4 | Vd:4 101 0 N ${opc3} M 0 Vm:4`,
    operands: { rd: sreg('Vd:D'), rn: sreg('Vn:N'), rm: sreg('Vm:M') }, flags: 'none', it: 'any',
    syntax: vfpSyntax(mnemonic, '{rd}, {rn}, {rm}'),
  };
}

/** FPU two-register forms (VMOV, VABS, VNEG, VSQRT, VCVT), single precision: 11101110 1 D 11 opc2 | Vd 101 0 o7 1 M 0 Vm. */
function vfp2(mnemonic: string, opc2: string, o7: string): Row {
  return {
    mnemonic, name: 'T1', layout: `11101110 1 D 11 ${opc2} | Vd:4 101 0 ${o7} 1 M 0 Vm:4`,
    operands: { rd: sreg('Vd:D'), rm: sreg('Vm:M') }, flags: 'none', it: 'any',
    syntax: vfpSyntax(mnemonic, '{rd}, {rm}'),
  };
}

/** VCMP (E = 0) and VCMPE (E = 1), single precision: with a register (T1) or with #0.0 (T2). */
function vfpCompare(mnemonic: string, e: string): Row[] {
  return [
    { mnemonic, name: 'T1', layout: `11101110 1 D 11 0100 | Vd:4 101 0 ${e} 1 M 0 Vm:4`, operands: { rd: sreg('Vd:D'), rm: sreg('Vm:M') }, flags: 'none', it: 'any', syntax: vfpSyntax(mnemonic, '{rd}, {rm}') },
    { mnemonic, name: 'T2', layout: `11101110 1 D 11 0101 | Vd:4 101 0 ${e} 1 0 0 0000`, operands: { rd: sreg('Vd:D') }, flags: 'none', it: 'any', syntax: vfpSyntax(mnemonic, '{rd}, #0.0') },
  ];
}

/** B, BL and CBZ branch offset fields. */
const branchT1: FieldKind = { kind: 'branch', bits: 'imm8', signed: true };
const branchT2: FieldKind = { kind: 'branch', bits: 'imm11', signed: true };
const branchT3: FieldKind = { kind: 'branch', bits: 'S:J2:J1:imm6:imm11', signed: true };
const branchT4: FieldKind = { kind: 'branch', bits: 'S:J1:J2:imm10:imm11', signed: true, i1i2: true };

/**
 * FPv4-SP forms gcc emits with -mfpu=fpv4-sp-d16 (ARMv7-M ARM A7.7) that the backend does
 * not: register lists, doubleword transfers, accumulating and fused multiplies, FPSCR
 * moves, the 8-bit float immediate and fixed-point conversions. A D register operand (and
 * the first register of a list) is its plain index (kind 'imm'); the disassembler prints
 * it with the {dd}/{dm}/{sregs}/{dregs} placeholders. Only the simulator executes them.
 */
const VFP_DECODE_ONLY_ROWS: readonly Row[] = [
  // Multiply-accumulate, VFP encodings with sz = 0: op (bit 6) picks the second of each pair.
  vfp3('vmla.f32', '0 D 00', '0'), vfp3('vmls.f32', '0 D 00', '1'),
  vfp3('vnmls.f32', '0 D 01', '0'), vfp3('vnmla.f32', '0 D 01', '1'), vfp3('vnmul.f32', '0 D 10', '1'),
  vfp3('vfma.f32', '1 D 10', '0'), vfp3('vfms.f32', '1 D 10', '1'),
  vfp3('vfnms.f32', '1 D 01', '0'), vfp3('vfnma.f32', '1 D 01', '1'),
  // VMOV (immediate): imm4H:imm4L is VFPExpandImm's abcdefgh ({fimm} prints its value).
  { mnemonic: 'vmov.f32', name: 'T2 imm', layout: '11101110 1 D 11 imm4H:4 | Vd:4 101 0 0000 imm4L:4', operands: { rd: sreg('Vd:D'), imm: imm('imm4H:imm4L') }, flags: 'none', it: 'any', syntax: 'vmov{c}.f32 {rd}, #{fimm}' },
  // VMOV between two core registers and a doubleword register (op 1: to the core registers).
  // FPv4-SP-D16 has D0-D15: a D or M bit of 1 (D16-D31) is UNDEFINED there.
  { mnemonic: 'vmov', name: 'T1 D to core', layout: '11101100 010 1 Rt2:4 | Rt:4 1011 00 M 1 Vm:4', operands: { rt: reg('Rt'), rt2: reg('Rt2'), rm: imm('M:Vm') }, forbid: [{ M: 1 }], flags: 'none', it: 'any', syntax: 'vmov{c} {rt}, {rt2}, {dm}' },
  { mnemonic: 'vmov', name: 'T1 core to D', layout: '11101100 010 0 Rt2:4 | Rt:4 1011 00 M 1 Vm:4', operands: { rt: reg('Rt'), rt2: reg('Rt2'), rm: imm('M:Vm') }, forbid: [{ M: 1 }], flags: 'none', it: 'any', syntax: 'vmov{c} {dm}, {rt}, {rt2}' },
  // VMRS to a core register, VMSR (FPSCR only: the one FP system register of ARMv7-M).
  { mnemonic: 'vmrs', name: 'T1 reg', layout: '11101110 1111 0001 | Rt:4 1010 0001 0000', operands: { rt: reg('Rt') }, flags: 'none', it: 'any', syntax: 'vmrs{c} {rt}, fpscr' },
  { mnemonic: 'vmsr', name: 'T1', layout: '11101110 1110 0001 | Rt:4 1010 0001 0000', operands: { rt: reg('Rt') }, flags: 'none', it: 'any', syntax: 'vmsr{c} fpscr, {rt}' },
  // VLDR/VSTR of a doubleword register (T1; the single-precision T2 rows are the backend's).
  { mnemonic: 'vldr', name: 'T1', layout: '11101101 U D 01 Rn:4 | Vd:4 1011 imm8:8', operands: { rt: imm('D:Vd'), rn: reg('Rn', 'any'), imm: offsetU('imm8', 4) }, forbid: [{ D: 1 }], flags: 'none', it: 'any', syntax: 'vldr{c} {dd}, {mem}' },
  { mnemonic: 'vstr', name: 'T1', layout: '11101101 U D 00 Rn:4 | Vd:4 1011 imm8:8', operands: { rt: imm('D:Vd'), rn: reg('Rn', 'noPC'), imm: offsetU('imm8', 4) }, forbid: [{ D: 1 }], flags: 'none', it: 'any', syntax: 'vstr{c} {dd}, {mem}' },
  ...vfpMultiple(),
  ...vfpFixedPoint(),
];

/**
 * VLDM/VSTM (increment after, or decrement before with writeback) and their SP aliases
 * VPUSH/VPOP, each with a list of S (sz 0, T2) or D (sz 1, T1) registers: imm8 words from
 * the first register. The alias rows fix Rn = SP and so are tried first.
 */
function vfpMultiple(): Row[] {
  const rows: Row[] = [];
  for (const double of [false, true]) {
    const first: FieldKind = imm(double ? 'D:Vd' : 'Vd:D');
    const forbid = double ? [{ D: 1 }] : [];
    const list = double ? '{dregs}' : '{sregs}';
    const name = double ? 'T1' : 'T2';
    const tail = `Vd:4 101${double ? '1' : '0'} imm8:8`;
    for (const [mnemonic, load] of [['vldm', '1'], ['vstm', '0']] as const) {
      for (const w of ['0', '1']) {
        rows.push({ mnemonic: `${mnemonic}ia`, name, layout: `1110110 0 1 D ${w} ${load} Rn:4 | ${tail}`, operands: { rn: reg('Rn'), rt: first, imm: imm('imm8') }, forbid, flags: 'none', it: 'any', syntax: `${mnemonic}ia{c} {rn}${w === '1' ? '!' : ''}, ${list}` });
      }
      rows.push({ mnemonic: `${mnemonic}db`, name, layout: `1110110 1 0 D 1 ${load} Rn:4 | ${tail}`, operands: { rn: reg('Rn'), rt: first, imm: imm('imm8') }, forbid, flags: 'none', it: 'any', syntax: `${mnemonic}db{c} {rn}!, ${list}` });
    }
    rows.push(
      { mnemonic: 'vpush', name, layout: `11101101 0 D 10 1101 | ${tail}`, operands: { rt: first, imm: imm('imm8') }, fixed: { rn: SP }, forbid, flags: 'none', it: 'any', syntax: `vpush{c} ${list}` },
      { mnemonic: 'vpop', name, layout: `11101100 1 D 11 1101 | ${tail}`, operands: { rt: first, imm: imm('imm8') }, fixed: { rn: SP }, forbid, flags: 'none', it: 'any', syntax: `vpop{c} ${list}` },
    );
  }
  return rows;
}

/**
 * VCVT between f32 and fixed point, in place (T1, sf = 0): op 1 to fixed, U unsigned, sx
 * a 32-bit (1) or 16-bit (0) fixed-point value; `imm` is the number of fraction bits,
 * (16 or 32) - imm4:i. The mnemonic ends in '.fixed' to keep it apart from the integer
 * VCVT of the same spelling ('vcvt.f32.s32'), which rounds differently.
 */
function vfpFixedPoint(): Row[] {
  return (['0', '1'] as const).flatMap((op) => (['0', '1'] as const).flatMap((u) => (['0', '1'] as const).map((sx): Row => {
    const fixed = `${u === '1' ? 'u' : 's'}${sx === '1' ? '32' : '16'}`;
    const spelling = op === '1' ? `vcvt.${fixed}.f32` : `vcvt.f32.${fixed}`;
    return {
      mnemonic: `${spelling}.fixed`, name: 'T1 fixed', layout: `11101110 1 D 11 1 ${op} 1 ${u} | Vd:4 101 0 ${sx} 1 i 0 imm4:4`,
      operands: { rd: sreg('Vd:D'), imm: imm('imm4:i', -1, { bias: sx === '1' ? 32 : 16 }) }, flags: 'none', it: 'any',
      syntax: vfpSyntax(spelling, '{rd}, {rd}, #{imm}'),
    };
  })));
}

/**
 * What gcc -O2/-Os emits for runtime-c and libgcc beyond what the backend selects: only the
 * decoder reads these rows (ARMv7-M ARM A7.7 names). Where one instruction has two
 * spellings by a field (LDM with and without writeback) there is a row for each.
 */
const DECODE_ONLY_ROWS: readonly Row[] = [
  // ---- PC-relative loads and addresses (literal pools, jump tables)
  { mnemonic: 'ldr', name: 'T1 lit', layout: '01001 Rt:3 imm8:8', operands: { rt: low('Rt'), imm: imm('imm8', 4) }, fixed: { rn: PC }, flags: 'none', it: 'any', syntax: 'ldr{c}{q} {rt}, {mem}' },
  ...(['ldr:000 U 101', 'ldrb:000 U 001', 'ldrh:000 U 011', 'ldrsb:001 U 001', 'ldrsh:001 U 011'] as const).map((spec): Row => {
    const [mnemonic, bits] = spec.split(':') as [string, string];
    return {
      mnemonic, name: 'T2 lit', layout: `11111 ${bits} 1111 | Rt:4 imm12:12`, operands: { rt: reg('Rt', 'any'), imm: offsetU('imm12') },
      fixed: { rn: PC }, flags: 'none', it: 'any', syntax: `${mnemonic}{c}{q} {rt}, {mem}`,
    };
  }),
  { mnemonic: 'adr', name: 'T1', layout: '10100 Rd:3 imm8:8', operands: { rd: low('Rd'), imm: imm('imm8', 4) }, fixed: { rn: PC }, flags: 'none', it: 'any', syntax: 'add{c}{q} {rd}, pc, #{imm}' },
  { mnemonic: 'adr', name: 'T2', layout: '11110 i 1 01010 1111 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd'), imm: imm('i:imm3:imm8') }, fixed: { rn: PC }, flags: 'none', it: 'any', syntax: 'subw{c} {rd}, pc, #{imm}' },
  { mnemonic: 'adr', name: 'T3', layout: '11110 i 1 00000 1111 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd'), imm: imm('i:imm3:imm8') }, fixed: { rn: PC }, flags: 'none', it: 'any', syntax: 'addw{c} {rd}, pc, #{imm}' },
  { mnemonic: 'tbb', name: 'T1', layout: '11101 00 0110 1 Rn:4 | 1111 0000 000 0 Rm:4', operands: { rn: reg('Rn', 'noSP'), rm: reg('Rm') }, flags: 'none', it: 'outsideOrLast', syntax: 'tbb{c} [{rn}, {rm}]' },
  { mnemonic: 'tbh', name: 'T1', layout: '11101 00 0110 1 Rn:4 | 1111 0000 000 1 Rm:4', operands: { rn: reg('Rn', 'noSP'), rm: reg('Rm') }, flags: 'none', it: 'outsideOrLast', syntax: 'tbh{c} [{rn}, {rm}, lsl #1]' },
  // ---- load/store multiple ({wb}: '!' when the base is written back)
  { mnemonic: 'ldm', name: 'T1', layout: '11001 Rn:3 register_list:8', operands: { rn: low('Rn'), regs: { kind: 'regList', bits: 'register_list' } }, flags: 'none', it: 'any', syntax: 'ldmia{c}{q} {rn}{wb}, {regs}' },
  { mnemonic: 'stm', name: 'T1', layout: '11000 Rn:3 register_list:8', operands: { rn: low('Rn'), regs: { kind: 'regList', bits: 'register_list' } }, flags: 'none', it: 'any', syntax: 'stmia{c}{q} {rn}!, {regs}' },
  ...(['ldm:010:1:ldmia', 'stm:010:0:stmia', 'ldmdb:100:1:ldmdb', 'stmdb:100:0:stmdb'] as const).flatMap((spec): Row[] => {
    const [mnemonic, op, load, text] = spec.split(':') as [string, string, string, string];
    const list = `${load === '1' ? 'P' : '0'} M 0 register_list:13`;
    const regs: FieldKind = { kind: 'regList', bits: 'register_list', extra: load === '1' ? { P: PC, M: LR } : { M: LR } };
    return [0, 1].map((w): Row => ({
      mnemonic, name: w === 1 ? 'T2 wb' : 'T2', layout: `11101 00 ${op} ${w} ${load} Rn:4 | ${list}`, operands: { rn: reg('Rn', 'noPC'), regs },
      flags: 'none', it: load === '1' ? 'outsideOrLast' : 'any', syntax: `${text}{c}{q} {rn}${w === 1 ? '!' : ''}, {regs}`,
    }));
  }),
  // ---- exclusive access
  { mnemonic: 'ldrex', name: 'T1', layout: '11101 00 0010 1 Rn:4 | Rt:4 1111 imm8:8', operands: { rt: reg('Rt'), rn: reg('Rn', 'noPC'), imm: imm('imm8', 4) }, flags: 'none', it: 'any', syntax: 'ldrex{c} {rt}, {mem}' },
  { mnemonic: 'strex', name: 'T1', layout: '11101 00 0010 0 Rn:4 | Rt:4 Rd:4 imm8:8', operands: { rd: reg('Rd'), rt: reg('Rt'), rn: reg('Rn', 'noPC'), imm: imm('imm8', 4) }, flags: 'none', it: 'any', syntax: 'strex{c} {rd}, {rt}, {mem}' },
  ...(['b:0100', 'h:0101'] as const).flatMap((spec): Row[] => {
    const [size, op] = spec.split(':') as [string, string];
    return [
      { mnemonic: `ldrex${size}`, name: 'T1', layout: `11101 00 0110 1 Rn:4 | Rt:4 1111 ${op} 1111`, operands: { rt: reg('Rt'), rn: reg('Rn', 'noPC') }, fixed: { imm: 0 }, flags: 'none', it: 'any', syntax: `ldrex${size}{c} {rt}, {mem}` },
      { mnemonic: `strex${size}`, name: 'T1', layout: `11101 00 0110 0 Rn:4 | Rt:4 1111 ${op} Rd:4`, operands: { rd: reg('Rd'), rt: reg('Rt'), rn: reg('Rn', 'noPC') }, fixed: { imm: 0 }, flags: 'none', it: 'any', syntax: `strex${size}{c} {rd}, {rt}, {mem}` },
    ];
  }),
  { mnemonic: 'clrex', name: 'T1', layout: '11110 0 111 01 1 1111 | 10 0 0 1111 0010 1111', operands: {}, flags: 'none', it: 'any', syntax: 'clrex{c}' },
  // ---- bit fields, saturation, extension with rotation
  { mnemonic: 'bfc', name: 'T1', layout: '11110 0 11 011 0 1111 | 0 imm3:3 Rd:4 imm2:2 0 msb:5', operands: { rd: reg('Rd'), lsb: imm('imm3:imm2'), imm: imm('msb') }, flags: 'none', it: 'any', syntax: 'bfc{c} {rd}, #{lsb}, #{bfwidth}' },
  { mnemonic: 'bfi', name: 'T1', layout: '11110 0 11 011 0 Rn:4 | 0 imm3:3 Rd:4 imm2:2 0 msb:5', operands: { rd: reg('Rd'), rn: reg('Rn'), lsb: imm('imm3:imm2'), imm: imm('msb') }, flags: 'none', it: 'any', syntax: 'bfi{c} {rd}, {rn}, #{lsb}, #{bfwidth}' },
  // ADR T2 subtracts from Align(PC, 4). SSAT/USAT: sh (bit 21) is the top bit of the shift type: LSL or ASR; SSAT16/USAT16 (sh=1, amount 0) are DSP.
  { mnemonic: 'ssat', name: 'T1', layout: '11110 0 11 00 type 0 Rn:4 | 0 imm3:3 Rd:4 imm2:2 0 sat_imm:5', operands: { rd: reg('Rd'), rn: reg('Rn'), imm: imm('sat_imm', 1, { bias: 1 }), shift: { kind: 'shift', type: 'type', bits: 'imm3:imm2' } }, forbid: [{ type: 1, imm3: 0, imm2: 0 }], flags: 'none', it: 'any', syntax: 'ssat{c} {rd}, #{imm}, {rn}{shift}' },
  { mnemonic: 'usat', name: 'T1', layout: '11110 0 11 10 type 0 Rn:4 | 0 imm3:3 Rd:4 imm2:2 0 sat_imm:5', operands: { rd: reg('Rd'), rn: reg('Rn'), imm: imm('sat_imm'), shift: { kind: 'shift', type: 'type', bits: 'imm3:imm2' } }, forbid: [{ type: 1, imm3: 0, imm2: 0 }], flags: 'none', it: 'any', syntax: 'usat{c} {rd}, #{imm}, {rn}{shift}' },
  ...(['sxth:000', 'uxth:001', 'sxtb:100', 'uxtb:101'] as const).flatMap((spec): Row[] => {
    const [mnemonic, op] = spec.split(':') as [string, string];
    const add = `${mnemonic.slice(0, 3)}a${mnemonic.slice(3)}`;
    return [
      { mnemonic, name: 'T2 rot', layout: `11111010 0 ${op} 1111 | 1111 Rd:4 1 0 rotate:2 Rm:4`, operands: { rd: reg('Rd'), rm: reg('Rm'), imm: imm('rotate', 8) }, forbid: [{ rotate: 0 }], flags: 'none', it: 'any', syntax: `${mnemonic}{c}.w {rd}, {rm}, ror #{imm}` },
      { mnemonic: add, name: 'T1', layout: `11111010 0 ${op} Rn:4 | 1111 Rd:4 1 0 rotate:2 Rm:4`, operands: { rd: reg('Rd'), rn: reg('Rn'), rm: reg('Rm'), imm: imm('rotate', 8) }, flags: 'none', it: 'any', syntax: `${add}{c} {rd}, {rn}, {rm}{ror}` },
    ];
  }),
  { mnemonic: 'rrx', name: 'T1', layout: '11101 01 0010 S 1111 | 0 000 Rd:4 00 11 Rm:4', operands: { rd: reg('Rd'), rm: reg('Rm'), S: sBit }, flags: 'sBit', it: 'any', syntax: 'rrx{s}{c} {rd}, {rm}' },
  // ---- system: special registers, barriers, interrupt masks, hints, supervisor call
  { mnemonic: 'mrs', name: 'T1', layout: '11110 0 111 11 0 1111 | 10 0 0 Rd:4 SYSm:8', operands: { rd: reg('Rd'), imm: imm('SYSm') }, flags: 'none', it: 'any', syntax: 'mrs{c} {rd}, {sysreg}' },
  { mnemonic: 'msr', name: 'T1', layout: '11110 0 111 00 0 Rn:4 | 10 0 0 10 00 SYSm:8', operands: { rn: reg('Rn'), imm: imm('SYSm') }, flags: 'none', it: 'any', syntax: 'msr{c} {sysreg}, {rn}' },
  { mnemonic: 'cpsie', name: 'T1', layout: '1011 0110 011 0 0 0 I F', operands: { imm: imm('I:F', 1, { min: 1 }) }, flags: 'none', it: 'outside', syntax: 'cpsie {iflags}' },
  { mnemonic: 'cpsid', name: 'T1', layout: '1011 0110 011 1 0 0 I F', operands: { imm: imm('I:F', 1, { min: 1 }) }, flags: 'none', it: 'outside', syntax: 'cpsid {iflags}' },
  ...(['dsb:0100', 'dmb:0101', 'isb:0110'] as const).map((spec): Row => {
    const [mnemonic, op] = spec.split(':') as [string, string];
    return { mnemonic, name: 'T1', layout: `11110 0 111 01 1 1111 | 10 0 0 1111 ${op} option:4`, operands: { imm: imm('option') }, flags: 'none', it: 'any', syntax: `${mnemonic}{c} {barrier}` };
  }),
  ...(['yield:0001', 'wfe:0010', 'wfi:0011', 'sev:0100'] as const).map((spec): Row => {
    const [mnemonic, op] = spec.split(':') as [string, string];
    return { mnemonic, name: 'T1', layout: `1011 1111 ${op} 0000`, operands: {}, flags: 'none', it: 'any', syntax: `${mnemonic}{c}` };
  }),
  { mnemonic: 'svc', name: 'T1', layout: '1101 1111 imm8:8', operands: { imm: imm('imm8') }, flags: 'none', it: 'any', syntax: 'svc{c} #{imm}' },
  ...VFP_DECODE_ONLY_ROWS,
];

const ROWS: readonly Row[] = [
  // ---- add / sub (the two-operand imm8 form first when rd == rn, as the assembler prefers)
  { mnemonic: 'add', name: 'T2', layout: '00110 Rdn:3 imm8:8', operands: { rd: low('Rdn'), imm: imm('imm8') }, tied: { rn: 'rd' }, flags: 'outsideIT', it: 'any', syntax: 'add{s}{c}{q} {rd}, #{imm}' },
  { mnemonic: 'add', name: 'T1', layout: '0001110 imm3:3 Rn:3 Rd:3', operands: { rd: low('Rd'), rn: low('Rn'), imm: imm('imm3') }, flags: 'outsideIT', it: 'any', syntax: 'add{s}{c}{q} {rd}, {rn}, #{imm}' },
  { mnemonic: 'add', name: 'SP T1', layout: '10101 Rd:3 imm8:8', operands: { rd: low('Rd'), imm: imm('imm8', 4) }, fixed: { rn: SP }, flags: 'none', it: 'any', syntax: 'add{c}{q} {rd}, sp, #{imm}' },
  { mnemonic: 'add', name: 'SP T2', layout: '1011 0000 0 imm7:7', operands: { imm: imm('imm7', 4) }, fixed: { rd: SP, rn: SP }, flags: 'none', it: 'any', syntax: 'add{c}{q} sp, sp, #{imm}' },
  dpModImm('add', 'T3', '1000'),
  { mnemonic: 'add', name: 'SP T3', layout: '11110 i 0 1000 S 1101 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd', 'noPC'), imm: modImm, S: sBit }, fixed: { rn: SP }, flags: 'sBit', it: 'any', syntax: 'add{s}{c}{q} {rd}, sp, #{imm}' },
  { mnemonic: 'add', name: 'SP T4', layout: '11110 i 1 00000 1101 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd', 'noPC'), imm: imm('i:imm3:imm8') }, fixed: { rn: SP }, flags: 'none', it: 'any', syntax: 'addw{c} {rd}, sp, #{imm}' },
  { mnemonic: 'add', name: 'T4', layout: '11110 i 1 00000 Rn:4 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd'), rn: reg('Rn', 'noPC'), imm: imm('i:imm3:imm8') }, flags: 'none', it: 'any', syntax: 'addw{c} {rd}, {rn}, #{imm}' },
  { mnemonic: 'add', name: 'T1 reg', layout: '0001100 Rm:3 Rn:3 Rd:3', operands: { rd: low('Rd'), rn: low('Rn'), rm: low('Rm') }, flags: 'outsideIT', it: 'any', syntax: 'add{s}{c}{q} {rd}, {rn}, {rm}' },
  { mnemonic: 'add', name: 'T2 reg', layout: '01000100 DN Rm:4 Rdn:3', operands: { rd: { kind: 'reg', bits: 'DN:Rdn', cls: 'noSPPC' }, rm: reg('Rm', 'noSPPC') }, tied: { rn: 'rd' }, flags: 'none', it: 'any', syntax: 'add{c}{q} {rd}, {rm}' },
  { mnemonic: 'add', name: 'SP reg T2', layout: '01000100 1 Rm:4 101', operands: { rm: reg('Rm', 'noSPPC') }, fixed: { rd: SP, rn: SP }, flags: 'none', it: 'any', syntax: 'add{c}{q} sp, {rm}' },
  dpShiftedReg('add', 'T3 reg', '1000'),
  { mnemonic: 'sub', name: 'T2', layout: '00111 Rdn:3 imm8:8', operands: { rd: low('Rdn'), imm: imm('imm8') }, tied: { rn: 'rd' }, flags: 'outsideIT', it: 'any', syntax: 'sub{s}{c}{q} {rd}, #{imm}' },
  { mnemonic: 'sub', name: 'T1', layout: '0001111 imm3:3 Rn:3 Rd:3', operands: { rd: low('Rd'), rn: low('Rn'), imm: imm('imm3') }, flags: 'outsideIT', it: 'any', syntax: 'sub{s}{c}{q} {rd}, {rn}, #{imm}' },
  { mnemonic: 'sub', name: 'SP T1', layout: '1011 0000 1 imm7:7', operands: { imm: imm('imm7', 4) }, fixed: { rd: SP, rn: SP }, flags: 'none', it: 'any', syntax: 'sub{c}{q} sp, sp, #{imm}' },
  dpModImm('sub', 'T3', '1101'),
  { mnemonic: 'sub', name: 'SP T2', layout: '11110 i 0 1101 S 1101 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd', 'noPC'), imm: modImm, S: sBit }, fixed: { rn: SP }, flags: 'sBit', it: 'any', syntax: 'sub{s}{c}{q} {rd}, sp, #{imm}' },
  { mnemonic: 'sub', name: 'SP T3', layout: '11110 i 1 01010 1101 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd', 'noPC'), imm: imm('i:imm3:imm8') }, fixed: { rn: SP }, flags: 'none', it: 'any', syntax: 'subw{c} {rd}, sp, #{imm}' },
  { mnemonic: 'sub', name: 'T4', layout: '11110 i 1 01010 Rn:4 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd'), rn: reg('Rn', 'noPC'), imm: imm('i:imm3:imm8') }, flags: 'none', it: 'any', syntax: 'subw{c} {rd}, {rn}, #{imm}' },
  { mnemonic: 'sub', name: 'T1 reg', layout: '0001101 Rm:3 Rn:3 Rd:3', operands: { rd: low('Rd'), rn: low('Rn'), rm: low('Rm') }, flags: 'outsideIT', it: 'any', syntax: 'sub{s}{c}{q} {rd}, {rn}, {rm}' },
  dpShiftedReg('sub', 'T2 reg', '1101'),
  { mnemonic: 'sub', name: 'SP reg T1', layout: '11101 01 1101 S 1101 | 0 imm3:3 Rd:4 imm2:2 type:2 Rm:4', operands: { rd: reg('Rd', 'noPC'), rm: reg('Rm'), shift, S: sBit }, fixed: { rn: SP }, flags: 'sBit', it: 'any', syntax: 'sub{s}{c}{q} {rd}, sp, {rm}{shift}' },
  // ---- other arithmetic and logic
  dp16('adc', '0101'), dpModImm('adc', 'T1', '1010'), dpShiftedReg('adc', 'T2 reg', '1010'),
  dp16('sbc', '0110'), dpModImm('sbc', 'T1', '1011'), dpShiftedReg('sbc', 'T2 reg', '1011'),
  { mnemonic: 'rsb', name: 'T1', layout: '010000 1001 Rn:3 Rd:3', operands: { rd: low('Rd'), rn: low('Rn') }, fixed: { imm: 0 }, flags: 'outsideIT', it: 'any', syntax: 'rsb{s}{c}{q} {rd}, {rn}, #0' },
  dpModImm('rsb', 'T2', '1110'), dpShiftedReg('rsb', 'T1 reg', '1110'),
  dp16('and', '0000'), dpModImm('and', 'T1', '0000'), dpShiftedReg('and', 'T2 reg', '0000'),
  dp16('eor', '0001'), dpModImm('eor', 'T1', '0100'), dpShiftedReg('eor', 'T2 reg', '0100'),
  dp16('orr', '1100'), dpModImm('orr', 'T1', '0010'), dpShiftedReg('orr', 'T2 reg', '0010'),
  dp16('bic', '1110'), dpModImm('bic', 'T1', '0001'), dpShiftedReg('bic', 'T2 reg', '0001'),
  dpModImm('orn', 'T1', '0011'), dpShiftedReg('orn', 'T1 reg', '0011'),
  // ---- moves
  { mnemonic: 'mov', name: 'T1', layout: '00100 Rd:3 imm8:8', operands: { rd: low('Rd'), imm: imm('imm8') }, flags: 'outsideIT', it: 'any', syntax: 'mov{s}{c}{q} {rd}, #{imm}' },
  { mnemonic: 'mov', name: 'T2', layout: '11110 i 0 0010 S 1111 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd'), imm: modImm, S: sBit }, flags: 'sBit', it: 'any', syntax: 'mov{s}{c}{q} {rd}, #{imm}' },
  { mnemonic: 'mov', name: 'T3', layout: '11110 i 1 0010 0 imm4:4 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd'), imm: imm('imm4:i:imm3:imm8') }, flags: 'none', it: 'any', syntax: 'movw{c} {rd}, #{imm}' },
  { mnemonic: 'mov', name: 'T1 reg', layout: '01000110 D Rm:4 Rd:3', operands: { rd: { kind: 'reg', bits: 'D:Rd', cls: 'noPC' }, rm: reg('Rm', 'noPC') }, flags: 'none', it: 'any', syntax: 'mov{c}{q} {rd}, {rm}' },
  { mnemonic: 'mov', name: 'T2 reg', layout: '000 00 00000 Rm:3 Rd:3', operands: { rd: low('Rd'), rm: low('Rm') }, flags: 'always', it: 'outside', syntax: 'movs{q} {rd}, {rm}' },
  { mnemonic: 'mov', name: 'T3 reg', layout: '11101 01 0010 S 1111 | 0 000 Rd:4 00 00 Rm:4', operands: { rd: reg('Rd'), rm: reg('Rm'), S: sBit }, flags: 'sBit', it: 'any', syntax: 'mov{s}{c}{q} {rd}, {rm}' },
  { mnemonic: 'movt', name: 'T1', layout: '11110 i 1 0110 0 imm4:4 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd'), imm: imm('imm4:i:imm3:imm8') }, flags: 'none', it: 'any', syntax: 'movt{c} {rd}, #{imm}' },
  { mnemonic: 'mvn', name: 'T1 reg', layout: '010000 1111 Rm:3 Rd:3', operands: { rd: low('Rd'), rm: low('Rm') }, flags: 'outsideIT', it: 'any', syntax: 'mvn{s}{c}{q} {rd}, {rm}' },
  { mnemonic: 'mvn', name: 'T1', layout: '11110 i 0 0011 S 1111 | 0 imm3:3 Rd:4 imm8:8', operands: { rd: reg('Rd'), imm: modImm, S: sBit }, flags: 'sBit', it: 'any', syntax: 'mvn{s}{c}{q} {rd}, #{imm}' },
  { mnemonic: 'mvn', name: 'T2 reg', layout: '11101 01 0011 S 1111 | 0 imm3:3 Rd:4 imm2:2 type:2 Rm:4', operands: { rd: reg('Rd'), rm: reg('Rm'), shift, S: sBit }, flags: 'sBit', it: 'any', syntax: 'mvn{s}{c}{q} {rd}, {rm}{shift}' },
  // ---- shifts
  shiftImm16('lsl', '00'), shiftImm32('lsl', 'T2', '00'), shiftReg16('lsl', '0010'), shiftReg32('lsl', 'T2 reg', '00'),
  shiftImm16('lsr', '01'), shiftImm32('lsr', 'T2', '01'), shiftReg16('lsr', '0011'), shiftReg32('lsr', 'T2 reg', '01'),
  shiftImm16('asr', '10'), shiftImm32('asr', 'T2', '10'), shiftReg16('asr', '0100'), shiftReg32('asr', 'T2 reg', '10'),
  shiftImm32('ror', 'T1', '11'), shiftReg16('ror', '0111'), shiftReg32('ror', 'T2 reg', '11'),
  // ---- compares
  { mnemonic: 'cmp', name: 'T1', layout: '00101 Rn:3 imm8:8', operands: { rn: low('Rn'), imm: imm('imm8') }, flags: 'always', it: 'any', syntax: 'cmp{c}{q} {rn}, #{imm}' },
  compareModImm('cmp', 'T2', '1101'),
  { mnemonic: 'cmp', name: 'T1 reg', layout: '010000 1010 Rm:3 Rn:3', operands: { rn: low('Rn'), rm: low('Rm') }, flags: 'always', it: 'any', syntax: 'cmp{c}{q} {rn}, {rm}' },
  { mnemonic: 'cmp', name: 'T2 reg', layout: '01000101 N Rm:4 Rn:3', operands: { rn: { kind: 'reg', bits: 'N:Rn', cls: 'noPC' }, rm: reg('Rm', 'noPC') }, flags: 'always', it: 'any', syntax: 'cmp{c}{q} {rn}, {rm}' },
  compareShiftedReg('cmp', 'T3 reg', '1101'),
  compareModImm('cmn', 'T1', '1000'),
  { mnemonic: 'cmn', name: 'T1 reg', layout: '010000 1011 Rm:3 Rn:3', operands: { rn: low('Rn'), rm: low('Rm') }, flags: 'always', it: 'any', syntax: 'cmn{c}{q} {rn}, {rm}' },
  compareShiftedReg('cmn', 'T2 reg', '1000'),
  compareModImm('tst', 'T1', '0000'),
  { mnemonic: 'tst', name: 'T1 reg', layout: '010000 1000 Rm:3 Rn:3', operands: { rn: low('Rn'), rm: low('Rm') }, flags: 'always', it: 'any', syntax: 'tst{c}{q} {rn}, {rm}' },
  compareShiftedReg('tst', 'T2 reg', '0000'),
  compareModImm('teq', 'T1', '0100'), compareShiftedReg('teq', 'T1 reg', '0100'),
  // ---- multiply and divide
  { mnemonic: 'mul', name: 'T1', layout: '010000 1101 Rn:3 Rdm:3', operands: { rd: low('Rdm'), rn: low('Rn') }, tied: { rm: 'rd' }, flags: 'outsideIT', it: 'any', syntax: 'mul{s}{c}{q} {rd}, {rn}, {rd}' },
  { mnemonic: 'mul', name: 'T2', layout: '11111 0110 000 Rn:4 | 1111 Rd:4 0000 Rm:4', operands: { rd: reg('Rd'), rn: reg('Rn'), rm: reg('Rm') }, flags: 'none', it: 'any', syntax: 'mul{c}{q} {rd}, {rn}, {rm}' },
  { mnemonic: 'mla', name: 'T1', layout: '11111 0110 000 Rn:4 | Ra:4 Rd:4 0000 Rm:4', operands: { rd: reg('Rd'), rn: reg('Rn'), rm: reg('Rm'), ra: reg('Ra') }, flags: 'none', it: 'any', syntax: 'mla{c} {rd}, {rn}, {rm}, {ra}' },
  { mnemonic: 'mls', name: 'T1', layout: '11111 0110 000 Rn:4 | Ra:4 Rd:4 0001 Rm:4', operands: { rd: reg('Rd'), rn: reg('Rn'), rm: reg('Rm'), ra: reg('Ra') }, flags: 'none', it: 'any', syntax: 'mls{c} {rd}, {rn}, {rm}, {ra}' },
  ...(['smull:000', 'umull:010', 'smlal:100', 'umlal:110'] as const).map((spec): Row => {
    const [mnemonic, op1] = spec.split(':') as [string, string];
    return {
      mnemonic, name: 'T1', layout: `11111 0111 ${op1} Rn:4 | RdLo:4 RdHi:4 0000 Rm:4`,
      operands: { rdLo: reg('RdLo'), rdHi: reg('RdHi'), rn: reg('Rn'), rm: reg('Rm') }, flags: 'none', it: 'any',
      syntax: `${mnemonic}{c} {rdLo}, {rdHi}, {rn}, {rm}`,
    };
  }),
  { mnemonic: 'sdiv', name: 'T1', layout: '11111 0111 001 Rn:4 | 1111 Rd:4 1111 Rm:4', operands: { rd: reg('Rd'), rn: reg('Rn'), rm: reg('Rm') }, flags: 'none', it: 'any', syntax: 'sdiv{c} {rd}, {rn}, {rm}' },
  { mnemonic: 'udiv', name: 'T1', layout: '11111 0111 011 Rn:4 | 1111 Rd:4 1111 Rm:4', operands: { rd: reg('Rd'), rn: reg('Rn'), rm: reg('Rm') }, flags: 'none', it: 'any', syntax: 'udiv{c} {rd}, {rn}, {rm}' },
  // ---- single-operand bit manipulation
  misc32('clz', 'T1', '011', '00'), misc32('rbit', 'T1', '001', '10'),
  unary16('rev', '1011 1010 00'), misc32('rev', 'T2', '001', '00'),
  unary16('rev16', '1011 1010 01'), misc32('rev16', 'T2', '001', '01'),
  unary16('revsh', '1011 1010 11'), misc32('revsh', 'T2', '001', '11'),
  unary16('sxth', '1011 0010 00'), extend32('sxth', '000'),
  unary16('sxtb', '1011 0010 01'), extend32('sxtb', '100'),
  unary16('uxth', '1011 0010 10'), extend32('uxth', '001'),
  unary16('uxtb', '1011 0010 11'), extend32('uxtb', '101'),
  { mnemonic: 'sbfx', name: 'T1', layout: '11110 0 1 10100 Rn:4 | 0 imm3:3 Rd:4 imm2:2 0 widthm1:5', operands: { rd: reg('Rd'), rn: reg('Rn'), lsb: imm('imm3:imm2'), width: imm('widthm1', 1, { bias: 1 }) }, flags: 'none', it: 'any', syntax: 'sbfx{c} {rd}, {rn}, #{lsb}, #{width}' },
  { mnemonic: 'ubfx', name: 'T1', layout: '11110 0 1 11100 Rn:4 | 0 imm3:3 Rd:4 imm2:2 0 widthm1:5', operands: { rd: reg('Rd'), rn: reg('Rn'), lsb: imm('imm3:imm2'), width: imm('widthm1', 1, { bias: 1 }) }, flags: 'none', it: 'any', syntax: 'ubfx{c} {rd}, {rn}, #{lsb}, #{width}' },
  // ---- loads and stores
  ...loadStore({ mnemonic: 'ldr', rt: 'any', imm5: { prefix: '01101', scale: 4 }, reg16: '100', imm12: '11111 000 1101', imm8: '11111 000 0101', names: ['T3', 'T4'] }),
  { mnemonic: 'ldr', name: 'T2', layout: '10011 Rt:3 imm8:8', operands: { rt: low('Rt'), imm: imm('imm8', 4) }, fixed: { rn: SP }, flags: 'none', it: 'any', syntax: 'ldr{c}{q} {rt}, {mem}' },
  ...loadStore({ mnemonic: 'ldrb', rt: 'noSPPC', imm5: { prefix: '01111', scale: 1 }, reg16: '110', imm12: '11111 000 1001', imm8: '11111 000 0001', names: ['T2', 'T3'] }),
  ...loadStore({ mnemonic: 'ldrh', rt: 'noSPPC', imm5: { prefix: '10001', scale: 2 }, reg16: '101', imm12: '11111 000 1011', imm8: '11111 000 0011', names: ['T2', 'T3'] }),
  ...loadStore({ mnemonic: 'ldrsb', rt: 'noSPPC', reg16: '011', imm12: '11111 001 1001', imm8: '11111 001 0001', names: ['T1', 'T2'] }),
  ...loadStore({ mnemonic: 'ldrsh', rt: 'noSPPC', reg16: '111', imm12: '11111 001 1011', imm8: '11111 001 0011', names: ['T1', 'T2'] }),
  ...loadStore({ mnemonic: 'str', rt: 'noPC', imm5: { prefix: '01100', scale: 4 }, reg16: '000', imm12: '11111 000 1100', imm8: '11111 000 0100', names: ['T3', 'T4'] }),
  { mnemonic: 'str', name: 'T2', layout: '10010 Rt:3 imm8:8', operands: { rt: low('Rt'), imm: imm('imm8', 4) }, fixed: { rn: SP }, flags: 'none', it: 'any', syntax: 'str{c}{q} {rt}, {mem}' },
  ...loadStore({ mnemonic: 'strb', rt: 'noSPPC', imm5: { prefix: '01110', scale: 1 }, reg16: '010', imm12: '11111 000 1000', imm8: '11111 000 0000', names: ['T2', 'T3'] }),
  ...loadStore({ mnemonic: 'strh', rt: 'noSPPC', imm5: { prefix: '10000', scale: 2 }, reg16: '001', imm12: '11111 000 1010', imm8: '11111 000 0010', names: ['T2', 'T3'] }),
  { mnemonic: 'ldrd', name: 'T1', layout: '11101 00 P U 1 W 1 Rn:4 | Rt:4 Rt2:4 imm8:8', operands: { rt: reg('Rt'), rt2: reg('Rt2'), rn: reg('Rn', 'noPC'), imm: offsetU('imm8', 4), mode: indexMode }, forbid: [{ P: 0, W: 0 }], flags: 'none', it: 'any', syntax: 'ldrd{c} {rt}, {rt2}, {mem}' },
  { mnemonic: 'strd', name: 'T1', layout: '11101 00 P U 1 W 0 Rn:4 | Rt:4 Rt2:4 imm8:8', operands: { rt: reg('Rt'), rt2: reg('Rt2'), rn: reg('Rn', 'noPC'), imm: offsetU('imm8', 4), mode: indexMode }, forbid: [{ P: 0, W: 0 }], flags: 'none', it: 'any', syntax: 'strd{c} {rt}, {rt2}, {mem}' },
  // ---- push / pop
  { mnemonic: 'push', name: 'T1', layout: '1011 010 M register_list:8', operands: { regs: { kind: 'regList', bits: 'register_list', extra: { M: LR } } }, flags: 'none', it: 'any', syntax: 'push{c}{q} {regs}' },
  { mnemonic: 'push', name: 'T2', layout: '11101 00 100 1 0 1101 | 0 M 0 register_list:13', operands: { regs: { kind: 'regList', bits: 'register_list', extra: { M: LR }, min: 2 } }, flags: 'none', it: 'any', syntax: 'push{c}{q} {regs}' },
  { mnemonic: 'push', name: 'T3', layout: '11111 000 0100 1101 | Rt:4 1101 00000100', operands: { rt: reg('Rt') }, flags: 'none', it: 'any', syntax: 'push{c}{q} {{rt}}' },
  { mnemonic: 'pop', name: 'T1', layout: '1011 110 P register_list:8', operands: { regs: { kind: 'regList', bits: 'register_list', extra: { P: PC } } }, flags: 'none', it: 'outsideOrLast', syntax: 'pop{c}{q} {regs}' },
  { mnemonic: 'pop', name: 'T2', layout: '11101 00 010 1 1 1101 | P M 0 register_list:13', operands: { regs: { kind: 'regList', bits: 'register_list', extra: { P: PC, M: LR }, min: 2 } }, flags: 'none', it: 'outsideOrLast', syntax: 'pop{c}{q} {regs}' },
  { mnemonic: 'pop', name: 'T3', layout: '11111 000 0101 1101 | Rt:4 1011 00000100', operands: { rt: reg('Rt', 'noSP') }, flags: 'none', it: 'outsideOrLast', syntax: 'pop{c}{q} {{rt}}' },
  // ---- branches
  { mnemonic: 'b', name: 'T1', layout: '1101 cond:4 imm8:8', operands: { cond: { kind: 'cond', bits: 'cond' }, offset: branchT1 }, flags: 'none', it: 'outside', syntax: 'b{c}{q} {offset}' },
  { mnemonic: 'b', name: 'T2', layout: '11100 imm11:11', operands: { offset: branchT2 }, flags: 'none', it: 'outsideOrLast', syntax: 'b{c}{q} {offset}' },
  { mnemonic: 'b', name: 'T3', layout: '11110 S cond:4 imm6:6 | 10 J1 0 J2 imm11:11', operands: { cond: { kind: 'cond', bits: 'cond' }, offset: branchT3 }, forbid: [{ cond: 14 }, { cond: 15 }], flags: 'none', it: 'outside', syntax: 'b{c}{q} {offset}' },
  { mnemonic: 'b', name: 'T4', layout: '11110 S imm10:10 | 10 J1 1 J2 imm11:11', operands: { offset: branchT4 }, flags: 'none', it: 'outsideOrLast', syntax: 'b{c}{q} {offset}' },
  { mnemonic: 'bl', name: 'T1', layout: '11110 S imm10:10 | 11 J1 1 J2 imm11:11', operands: { offset: branchT4 }, flags: 'none', it: 'outsideOrLast', syntax: 'bl{c} {offset}' },
  { mnemonic: 'cbz', name: 'T1', layout: '1011 0 0 i 1 imm5:5 Rn:3', operands: { rn: low('Rn'), offset: { kind: 'branch', bits: 'i:imm5', signed: false } }, flags: 'none', it: 'outside', syntax: 'cbz {rn}, {offset}' },
  { mnemonic: 'cbnz', name: 'T1', layout: '1011 1 0 i 1 imm5:5 Rn:3', operands: { rn: low('Rn'), offset: { kind: 'branch', bits: 'i:imm5', signed: false } }, flags: 'none', it: 'outside', syntax: 'cbnz {rn}, {offset}' },
  { mnemonic: 'bx', name: 'T1', layout: '010001 11 0 Rm:4 000', operands: { rm: reg('Rm', 'any') }, flags: 'none', it: 'outsideOrLast', syntax: 'bx{c} {rm}' },
  { mnemonic: 'blx', name: 'T1', layout: '010001 11 1 Rm:4 000', operands: { rm: reg('Rm', 'noPC') }, flags: 'none', it: 'outsideOrLast', syntax: 'blx{c} {rm}' },
  // ---- miscellaneous
  { mnemonic: 'it', name: 'T1', layout: '1011 1111 firstcond:4 mask:4', operands: { cond: { kind: 'cond', bits: 'firstcond', allowAL: true }, mask: { kind: 'itMask', bits: 'mask' } }, forbid: [{ mask: 0 }], flags: 'none', it: 'outside', syntax: 'it{mask} {cond}' },
  { mnemonic: 'udf', name: 'T1', layout: '1101 1110 imm8:8', operands: { imm: imm('imm8') }, flags: 'none', it: 'any', syntax: 'udf{q} #{imm}' },
  { mnemonic: 'udf', name: 'T2', layout: '11110 111 1111 imm4:4 | 1010 imm12:12', operands: { imm: imm('imm4:imm12') }, flags: 'none', it: 'any', syntax: 'udf{q} #{imm}' },
  { mnemonic: 'bkpt', name: 'T1', layout: '1011 1110 imm8:8', operands: { imm: imm('imm8') }, flags: 'none', it: 'any', syntax: 'bkpt #{imm}' },
  { mnemonic: 'nop', name: 'T1', layout: '1011 1111 0000 0000', operands: {}, flags: 'none', it: 'any', syntax: 'nop{c}{q}' },
  { mnemonic: 'nop', name: 'T2', layout: '11110 0 111 0 1 0 1111 | 10 0 0 0 000 00000000', operands: {}, flags: 'none', it: 'any', syntax: 'nop{c}{q}' },
  // ---- FPU, FPv4-SP single precision (ARMv7-M ARM A7.7: VADD, VSUB, VMUL, VDIV, VSQRT, VABS,
  // VNEG, VMOV, VCVT, VCMP, VMRS, VLDR, VSTR)
  vfp3('vadd.f32', '0 D 11', '0'), vfp3('vsub.f32', '0 D 11', '1'), vfp3('vmul.f32', '0 D 10', '0'), vfp3('vdiv.f32', '1 D 00', '0'),
  vfp2('vmov.f32', '0000', '0'), vfp2('vabs.f32', '0000', '1'), vfp2('vneg.f32', '0001', '0'), vfp2('vsqrt.f32', '0001', '1'),
  // VCVT to an integer: opc2 100 unsigned, 101 signed; o7 (op) 1 rounds toward zero, 0 (VCVTR) by FPSCR.
  vfp2('vcvt.u32.f32', '1100', '1'), vfp2('vcvt.s32.f32', '1101', '1'), vfp2('vcvtr.u32.f32', '1100', '0'), vfp2('vcvtr.s32.f32', '1101', '0'),
  // VCVT to float: opc2 000; o7 (op) 1 signed source, 0 unsigned.
  vfp2('vcvt.f32.u32', '1000', '0'), vfp2('vcvt.f32.s32', '1000', '1'),
  ...vfpCompare('vcmp.f32', '0'), ...vfpCompare('vcmpe.f32', '1'),
  { mnemonic: 'vmrs', name: 'T1', layout: '11101110 1111 0001 | 1111 1010 0001 0000', operands: {}, flags: 'always', it: 'any', syntax: 'vmrs{c} APSR_nzcv, fpscr' },
  { mnemonic: 'vmov', name: 'T1 to S', layout: '11101110 000 0 Vn:4 | Rt:4 1010 N 00 1 0000', operands: { rd: sreg('Vn:N'), rt: reg('Rt') }, flags: 'none', it: 'any', syntax: 'vmov{c} {rd}, {rt}' },
  { mnemonic: 'vmov', name: 'T1 to core', layout: '11101110 000 1 Vn:4 | Rt:4 1010 N 00 1 0000', operands: { rt: reg('Rt'), rn: sreg('Vn:N') }, flags: 'none', it: 'any', syntax: 'vmov{c} {rt}, {rn}' },
  { mnemonic: 'vldr', name: 'T2', layout: '11101101 U D 01 Rn:4 | Vd:4 1010 imm8:8', operands: { rt: sreg('Vd:D'), rn: reg('Rn', 'noPC'), imm: offsetU('imm8', 4) }, flags: 'none', it: 'any', syntax: 'vldr{c} {rt}, {mem}' },
  { mnemonic: 'vstr', name: 'T2', layout: '11101101 U D 00 Rn:4 | Vd:4 1010 imm8:8', operands: { rt: sreg('Vd:D'), rn: reg('Rn', 'noPC'), imm: offsetU('imm8', 4) }, flags: 'none', it: 'any', syntax: 'vstr{c} {rt}, {mem}' },
  ...DECODE_ONLY_ROWS.map((row): Row => ({ ...row, decodeOnly: true })),
];

// ---------------------------------------------------------------- layout parsing

/** Parse a bit diagram into fixed bits and named field slices (see EncodingSpec.layout). */
export function parseLayout(layout: string): { size: 16 | 32; pattern: number; mask: number; fields: Map<string, BitSlice[]> } {
  const halves = layout.split('|');
  const tokens = halves.flatMap((half) => half.trim().split(/\s+/));
  const slices: Array<{ name: string | null; bits: string; width: number }> = tokens.map((token) => {
    if (/^[01]+$/.test(token)) return { name: null, bits: token, width: token.length };
    const [name, width] = token.split(':') as [string, string | undefined];
    return { name, bits: '', width: width === undefined ? 1 : Number(width) };
  });
  const size = slices.reduce((sum, s) => sum + s.width, 0);
  if (size !== 16 * halves.length || (size !== 16 && size !== 32)) throw new Error(`bad layout (${size} bits): ${layout}`);
  let pattern = 0;
  let mask = 0;
  let top = size;
  const fields = new Map<string, BitSlice[]>();
  for (const slice of slices) {
    top -= slice.width;
    if (slice.name === null) {
      pattern += parseInt(slice.bits, 2) * 2 ** top;
      mask += (2 ** slice.width - 1) * 2 ** top;
    } else {
      fields.set(slice.name, [...(fields.get(slice.name) ?? []), { lsb: top, width: slice.width }]);
    }
  }
  return { size: size as 16 | 32, pattern, mask, fields };
}

function build(spec: EncodingSpec): Encoding {
  return { ...spec, ...parseLayout(spec.layout) };
}

/** Every encoding, 16-bit rows before 32-bit rows (the order the selector tries them in). */
export const ENCODINGS: readonly Encoding[] = ROWS.map(build).sort((a, b) => a.size - b.size);

/** Rows by mnemonic family, 16-bit first. */
export const ENCODINGS_BY_MNEMONIC: ReadonlyMap<string, readonly Encoding[]> = (() => {
  const byMnemonic = new Map<string, Encoding[]>();
  for (const row of ENCODINGS.filter((r) => r.decodeOnly !== true)) byMnemonic.set(row.mnemonic, [...(byMnemonic.get(row.mnemonic) ?? []), row]);
  return byMnemonic;
})();
