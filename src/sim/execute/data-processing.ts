// Semantics of the data-processing rows: arithmetic, logic, moves, shifts, compares,
// multiplies, divides, extension, bit fields and saturation (ARMv7-M ARM A7.7).
//
// Each rule turns one decoded instruction into a closure over its operands, so the
// closure does only the work of this instruction: no operand decoding at run time.

import type { DecodedInst } from '../../backend-thumb2/decoder.js';
import { CCR_DIV_0_TRP, type Cpu } from '../cpu.js';
import { CFSR, usageFault } from '../fault.js';
import { addWithCarry, ASR, LSL, modImmCarry, RRX, ROR, setNZ, shiftWithCarry, signedSat, unsignedSat } from './alu.js';
import type { Rule } from './rule.js';

const SHIFT_KIND: Readonly<Record<string, number>> = { lsl: 0, lsr: 1, asr: 2, ror: 3 };

/** How a row decides whether it sets NZCV: 0 never, 1 always, 2 outside IT blocks. */
function flagMode(d: DecodedInst): 0 | 1 | 2 {
  switch (d.encoding.flags) {
    case 'none': return 0;
    case 'always': return 1;
    case 'sBit': return d.operands.S === 1 ? 1 : 0;
    case 'outsideIT': return 2;
  }
}
const sets = (cpu: Cpu, mode: 0 | 1 | 2): boolean => mode === 1 || (mode === 2 && !cpu.inIT);

/**
 * The second operand: an immediate (with its ThumbExpandImm carry, -1 = C unchanged) or
 * a register shifted by an immediate (RRX for ROR #0). The returned reader leaves the
 * shifter carry in cpu.shiftCarry.
 */
function secondOperand(d: DecodedInst): (cpu: Cpu) => number {
  const ops = d.operands;
  if (ops.rm === undefined) {
    const value = (ops.imm ?? 0) | 0;
    const f = d.fields;
    const carry = d.encoding.operands.imm?.kind === 'modImm' ? modImmCarry(((f['i'] ?? 0) << 11) | ((f['imm3'] ?? 0) << 8) | (f['imm8'] ?? 0), value) : -1;
    if (carry < 0) return (cpu) => { cpu.shiftCarry = cpu.c; return value; };
    return (cpu) => { cpu.shiftCarry = carry; return value; };
  }
  const rm = ops.rm;
  const shift = ops.shift;
  if (shift === undefined) return (cpu) => { cpu.shiftCarry = cpu.c; return cpu.r[rm]!; };
  const kind = shift.kind === 'ror' && shift.amount === 0 ? RRX : SHIFT_KIND[shift.kind]!;
  const amount = shift.amount;
  return (cpu) => shiftWithCarry(cpu, cpu.r[rm]!, kind, amount);
}

/** Write a result register; writing PC is a branch (ALUWritePC = BranchWritePC on v7-M). */
function writer(rd: number): (cpu: Cpu, value: number) => void {
  if (rd === 15) return (cpu, value) => { cpu.pc = value & ~1; };
  return (cpu, value) => { cpu.r[rd] = value; };
}

type ArithKind = 'add' | 'adc' | 'sub' | 'sbc' | 'rsb';

function arithmetic(kind: ArithKind, compare: boolean): Rule {
  return (d) => {
    const rn = d.operands.rn ?? 15;
    const op2 = secondOperand(d);
    const mode = flagMode(d);
    const rd = d.operands.rd ?? 15;
    // ADR and the PC-based forms read Align(PC, 4).
    const alignPc = rn === 15 && d.encoding.mnemonic === 'adr';
    const subtractFromPc = d.encoding.mnemonic === 'adr' && d.encoding.name === 'T2';
    if (alignPc) {
      return (cpu) => {
        const base = cpu.r[15]! & ~3;
        cpu.r[rd] = subtractFromPc ? base - op2(cpu) : base + op2(cpu);
      };
    }
    const write = writer(rd);
    const compute = (cpu: Cpu): number => {
      const a = cpu.r[rn]!;
      const b = op2(cpu);
      const flags = sets(cpu, mode);
      switch (kind) {
        case 'add': return addWithCarry(cpu, a, b, 0, flags);
        case 'adc': return addWithCarry(cpu, a, b, cpu.c, flags);
        case 'sub': return addWithCarry(cpu, a, ~b, 1, flags);
        case 'sbc': return addWithCarry(cpu, a, ~b, cpu.c, flags);
        case 'rsb': return addWithCarry(cpu, ~a, b, 1, flags);
      }
    };
    if (compare) return (cpu) => void compute(cpu);
    // The common unshifted forms without flags or with flags, specialised for speed.
    if (kind === 'add' && d.operands.rm === undefined && mode === 0 && rd !== 15) {
      const imm = (d.operands.imm ?? 0) | 0;
      return (cpu) => { cpu.r[rd] = (cpu.r[rn]! + imm) | 0; };
    }
    if (kind === 'sub' && d.operands.rm === undefined && mode === 0 && rd !== 15) {
      const imm = (d.operands.imm ?? 0) | 0;
      return (cpu) => { cpu.r[rd] = (cpu.r[rn]! - imm) | 0; };
    }
    return (cpu) => write(cpu, compute(cpu));
  };
}

type LogicKind = 'and' | 'orr' | 'eor' | 'bic' | 'orn' | 'mov' | 'mvn';

function logical(kind: LogicKind, compare: boolean): Rule {
  return (d) => {
    const rn = d.operands.rn ?? 0;
    const op2 = secondOperand(d);
    const mode = flagMode(d);
    const write = writer(d.operands.rd ?? 15);
    const compute = (cpu: Cpu): number => {
      const b = op2(cpu);
      let result: number;
      switch (kind) {
        case 'and': result = cpu.r[rn]! & b; break;
        case 'orr': result = cpu.r[rn]! | b; break;
        case 'eor': result = cpu.r[rn]! ^ b; break;
        case 'bic': result = cpu.r[rn]! & ~b; break;
        case 'orn': result = cpu.r[rn]! | ~b; break;
        case 'mov': result = b; break;
        case 'mvn': result = ~b; break;
      }
      if (sets(cpu, mode)) {
        setNZ(cpu, result);
        cpu.c = cpu.shiftCarry;
      }
      return result;
    };
    if (compare) return (cpu) => void compute(cpu);
    if (kind === 'mov' && mode === 0 && d.operands.rm !== undefined && d.operands.shift === undefined && d.operands.rd !== 15) {
      const rd = d.operands.rd ?? 0;
      const rm = d.operands.rm;
      return (cpu) => { cpu.r[rd] = cpu.r[rm]!; };
    }
    return (cpu) => write(cpu, compute(cpu));
  };
}

/** LSL/LSR/ASR/ROR rows: by an immediate (operand imm) or by a register (rs). */
function shiftRow(kind: number): Rule {
  return (d) => {
    const { rd = 0, rm = 0, rs, imm = 0 } = d.operands;
    const mode = flagMode(d);
    const finish = (cpu: Cpu, result: number): void => {
      cpu.r[rd] = result;
      if (sets(cpu, mode)) {
        setNZ(cpu, result);
        cpu.c = cpu.shiftCarry;
      }
    };
    if (rs !== undefined) return (cpu) => finish(cpu, shiftWithCarry(cpu, cpu.r[rm]!, kind, cpu.r[rs]! & 0xff));
    return (cpu) => finish(cpu, shiftWithCarry(cpu, cpu.r[rm]!, kind, imm));
  };
}

const rrx: Rule = (d) => {
  const { rd = 0, rm = 0 } = d.operands;
  const mode = flagMode(d);
  return (cpu) => {
    const result = shiftWithCarry(cpu, cpu.r[rm]!, RRX, 1);
    cpu.r[rd] = result;
    if (sets(cpu, mode)) {
      setNZ(cpu, result);
      cpu.c = cpu.shiftCarry;
    }
  };
};

/** MOVT (MOVW is MOV T3: `mov` with a plain immediate). */
const movt: Rule = (d) => {
  const rd = d.operands.rd ?? 0;
  const high = (d.operands.imm ?? 0) << 16;
  return (cpu) => { cpu.r[rd] = (cpu.r[rd]! & 0xffff) | high; };
};

function multiply(kind: 'mul' | 'mla' | 'mls'): Rule {
  return (d) => {
    const { rd = 0, rn = 0, rm = 0, ra = 0 } = d.operands;
    const mode = flagMode(d);
    return (cpu) => {
      const product = Math.imul(cpu.r[rn]!, cpu.r[rm]!);
      const result = kind === 'mul' ? product : kind === 'mla' ? (cpu.r[ra]! + product) | 0 : (cpu.r[ra]! - product) | 0;
      cpu.r[rd] = result;
      if (sets(cpu, mode)) setNZ(cpu, result);
    };
  };
}

/**
 * UMULL/SMULL/UMLAL/SMLAL: the 64-bit product from 16-bit partial products (exact in
 * doubles, no BigInt allocation); the signed high word corrects the unsigned one.
 */
function longMultiply(signed: boolean, accumulate: boolean): Rule {
  return (d) => {
    const { rdLo = 0, rdHi = 0, rn = 0, rm = 0 } = d.operands;
    return (cpu) => {
      const x = cpu.r[rn]!;
      const y = cpu.r[rm]!;
      const a = x >>> 0;
      const b = y >>> 0;
      const lo = (a & 0xffff) * (b & 0xffff);
      const mid1 = (a >>> 16) * (b & 0xffff);
      const mid2 = (a & 0xffff) * (b >>> 16);
      const t = (lo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff);
      let low = (((t & 0xffff) << 16) | (lo & 0xffff)) >>> 0;
      let high = (a >>> 16) * (b >>> 16) + (mid1 >>> 16) + (mid2 >>> 16) + Math.floor(t / 65536);
      if (signed) high -= (x < 0 ? b : 0) + (y < 0 ? a : 0);
      if (accumulate) {
        low += cpu.r[rdLo]! >>> 0;
        high += (cpu.r[rdHi]! >>> 0) + (low > 0xffffffff ? 1 : 0);
      }
      cpu.r[rdLo] = low | 0;
      cpu.r[rdHi] = high | 0;
    };
  };
}

function divide(signed: boolean): Rule {
  return (d) => {
    const { rd = 0, rn = 0, rm = 0 } = d.operands;
    return (cpu) => {
      const divisor = cpu.r[rm]!;
      if (divisor === 0) {
        if ((cpu.host.ccr & CCR_DIV_0_TRP) !== 0) throw usageFault(CFSR.DIVBYZERO);
        cpu.r[rd] = 0;
        return;
      }
      cpu.r[rd] = signed ? Math.trunc(cpu.r[rn]! / divisor) | 0 : Math.trunc((cpu.r[rn]! >>> 0) / (divisor >>> 0)) | 0;
    };
  };
}

/** One-register functions (CLZ, RBIT, REV...). */
function unary(f: (x: number) => number): Rule {
  return (d) => {
    const { rd = 0, rm = 0 } = d.operands;
    return (cpu) => { cpu.r[rd] = f(cpu.r[rm]!); };
  };
}
const rbit = (x: number): number => {
  let result = 0;
  for (let i = 0; i < 32; i++) result |= ((x >>> i) & 1) << (31 - i);
  return result;
};
const rev = (x: number): number => ((x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24)) | 0;
const rev16 = (x: number): number => (((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8)) | 0;
const revsh = (x: number): number => (((x & 0xff) << 24) >> 16) | ((x >>> 8) & 0xff);

/** SXTB/UXTH... with an optional rotation (operand imm), and the SXTAB/UXTAH... adding forms. */
function extend(bits: 8 | 16, signed: boolean, add: boolean): Rule {
  return (d) => {
    const { rd = 0, rm = 0, rn = 0, imm = 0 } = d.operands;
    const rotation = imm;
    const shift = 32 - bits;
    return (cpu) => {
      const x = cpu.r[rm]!;
      const rotated = rotation === 0 ? x : (x >>> rotation) | (x << (32 - rotation));
      const extended = signed ? (rotated << shift) >> shift : (rotated << shift) >>> shift;
      cpu.r[rd] = add ? (cpu.r[rn]! + extended) | 0 : extended | 0;
    };
  };
}

function bitfieldExtract(signed: boolean): Rule {
  return (d) => {
    const { rd = 0, rn = 0, lsb = 0, width = 1 } = d.operands;
    const up = 32 - lsb - width;
    const down = 32 - width;
    return (cpu) => {
      const x = cpu.r[rn]! << up;
      cpu.r[rd] = signed ? x >> down : (x >>> down) | 0;
    };
  };
}

/** BFI (rn) and BFC (no rn): operand imm is the msb. */
const bitfieldInsert: Rule = (d) => {
  const { rd = 0, rn, lsb = 0, imm: msb = 0 } = d.operands;
  if (msb < lsb) return () => { throw usageFault(CFSR.UNDEFINSTR); }; // UNPREDICTABLE: treat as UNDEFINED
  const width = msb - lsb + 1;
  const mask = (width === 32 ? -1 : ((1 << width) - 1) << lsb) | 0;
  return (cpu) => {
    const source = rn === undefined ? 0 : cpu.r[rn]! << lsb;
    cpu.r[rd] = (cpu.r[rd]! & ~mask) | (source & mask);
  };
};

function saturate(signed: boolean): Rule {
  return (d) => {
    const { rd = 0, rn = 0, imm = 0, shift } = d.operands;
    const kind = shift === undefined ? LSL : shift.kind === 'asr' ? ASR : LSL;
    const amount = shift?.amount ?? 0;
    return (cpu) => {
      const operand = shiftWithCarry(cpu, cpu.r[rn]!, kind, amount);
      cpu.r[rd] = signed ? signedSat(cpu, operand, imm) : unsignedSat(cpu, operand, imm);
    };
  };
}

export const DATA_PROCESSING_RULES: Readonly<Record<string, Rule>> = {
  add: arithmetic('add', false), adc: arithmetic('adc', false), sub: arithmetic('sub', false),
  sbc: arithmetic('sbc', false), rsb: arithmetic('rsb', false), adr: arithmetic('add', false),
  cmp: arithmetic('sub', true), cmn: arithmetic('add', true),
  and: logical('and', false), orr: logical('orr', false), eor: logical('eor', false), bic: logical('bic', false),
  orn: logical('orn', false), mov: logical('mov', false), mvn: logical('mvn', false),
  tst: logical('and', true), teq: logical('eor', true),
  lsl: shiftRow(LSL), lsr: shiftRow(1), asr: shiftRow(ASR), ror: shiftRow(ROR), rrx,
  movt, mul: multiply('mul'), mla: multiply('mla'), mls: multiply('mls'),
  umull: longMultiply(false, false), smull: longMultiply(true, false), umlal: longMultiply(false, true), smlal: longMultiply(true, true),
  sdiv: divide(true), udiv: divide(false),
  clz: unary((x) => Math.clz32(x)), rbit: unary(rbit), rev: unary(rev), rev16: unary(rev16), revsh: unary(revsh),
  sxtb: extend(8, true, false), sxth: extend(16, true, false), uxtb: extend(8, false, false), uxth: extend(16, false, false),
  sxtab: extend(8, true, true), sxtah: extend(16, true, true), uxtab: extend(8, false, true), uxtah: extend(16, false, true),
  sbfx: bitfieldExtract(true), ubfx: bitfieldExtract(false), bfi: bitfieldInsert, bfc: bitfieldInsert,
  ssat: saturate(true), usat: saturate(false),
};
