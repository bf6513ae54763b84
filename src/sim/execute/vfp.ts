// Semantics of the FPv4-SP instructions (ARMv7-M ARM A7.7, "V" mnemonics): data
// processing, conversions, compares, moves between core and FPU registers, FPSCR access,
// and loads and stores of single registers, doublewords and register lists. The IEEE
// arithmetic itself is fpu.ts.
//
// Every instruction first does ExecuteFPCheck (B1.5.7): without the FPU (a Cortex-M3) or
// without CPACR access to CP10 for the current privilege it is a UsageFault, NOCP; with
// FPCCR.ASPEN set, the first FP instruction of a context sets CONTROL.FPCA and loads FPSCR
// from FPDSCR (so a handler starts with the default modes; as QEMU does, the whole FPSCR:
// flags and NZCV start clear).

import type { DecodedInst } from '../../backend-thumb2/decoder.js';
import { S_REG_BASE } from '../../backend-thumb2/mir.js';
import type { Cpu } from '../cpu.js';
import { CFSR, usageFault } from '../fault.js';
import { vfpExpandImm } from '../../backend-thumb2/operands.js';
import { FPCCR_ASPEN, FPSCR, type Fpu } from '../fpu.js';
import type { Rule } from './rule.js';

const SIGN = 0x80000000 | 0;
const negate = (bits: number): number => bits ^ SIGN;

/** ExecuteFPCheck: the FPU if this instruction may use it, else the NOCP UsageFault. */
function fpuOf(cpu: Cpu): Fpu {
  const fpu = cpu.fpu;
  if (fpu === undefined) throw usageFault(CFSR.NOCP);
  const access = (fpu.cpacr >>> 20) & 3;
  const privileged = cpu.ipsr !== 0 || cpu.npriv === 0;
  if (access !== 3 && !(access === 1 && privileged)) throw usageFault(CFSR.NOCP);
  if (fpu.fpca === 0 && (fpu.fpccr & FPCCR_ASPEN) !== 0) {
    fpu.fpca = 1;
    fpu.fpscr = fpu.fpdscr;
  }
  return fpu;
}

/** The S register number of an 'sreg' operand. */
const sIndex = (reg: number | undefined): number => (reg ?? S_REG_BASE) - S_REG_BASE;

type Ternary = (fpu: Fpu, d: number, n: number, m: number) => number;

/** Sd = op(Sd, Sn, Sm): the three-register forms (the accumulating ones read Sd too). */
function threeRegister(op: Ternary): Rule {
  return (d) => {
    const rd = sIndex(d.operands.rd);
    const rn = sIndex(d.operands.rn);
    const rm = sIndex(d.operands.rm);
    return (cpu) => {
      const fpu = fpuOf(cpu);
      const s = fpu.s;
      s[rd] = op(fpu, s[rd]!, s[rn]!, s[rm]!);
    };
  };
}

/** Sd = op(Sm): the two-register forms. */
function twoRegister(op: (fpu: Fpu, m: number) => number): Rule {
  return (d) => {
    const rd = sIndex(d.operands.rd);
    const rm = sIndex(d.operands.rm);
    return (cpu) => {
      const fpu = fpuOf(cpu);
      fpu.s[rd] = op(fpu, fpu.s[rm]!);
    };
  };
}

/** VMOV.F32 Sd, Sm or Sd, #imm: bits unchanged. */
const vmovF32: Rule = (d) => {
  const rd = sIndex(d.operands.rd);
  if (d.operands.rm === undefined) {
    const value = vfpExpandImm(d.operands.imm ?? 0);
    return (cpu) => {
      const fpu = fpuOf(cpu);
      fpu.s[rd] = fpu.bitsOf(value);
    };
  }
  return twoRegister((_, m) => m)(d, 0);
};

/** VCMP/VCMPE Sd, Sm or Sd, #0.0. */
function compare(quietNaNsSignal: boolean): Rule {
  return (d) => {
    const rd = sIndex(d.operands.rd);
    const rm = d.operands.rm === undefined ? undefined : sIndex(d.operands.rm);
    return (cpu) => {
      const fpu = fpuOf(cpu);
      fpu.compare(fpu.s[rd]!, rm === undefined ? 0 : fpu.s[rm]!, quietNaNsSignal);
    };
  };
}

/** VCVT{R} to a 32-bit integer: toward zero (VCVT) or by FPSCR.RMode (VCVTR). */
function toInteger(unsigned: boolean, roundTowardZero: boolean): Rule {
  return twoRegister((fpu, m) => fpu.toInteger(m, unsigned, roundTowardZero));
}

/** VCVT between f32 and fixed point in place: `imm` fraction bits of a 16- or 32-bit value. */
function fixedPoint(toFixed: boolean, unsigned: boolean, size: 16 | 32): Rule {
  return (d) => {
    const rd = sIndex(d.operands.rd);
    const fractionBits = d.operands.imm ?? 0;
    return (cpu) => {
      const fpu = fpuOf(cpu);
      const x = fpu.s[rd]!;
      if (toFixed) {
        fpu.s[rd] = fpu.toInteger(x, unsigned, true, size, fractionBits);
        return;
      }
      const n = size === 16 ? (unsigned ? x & 0xffff : (x << 16) >> 16) : unsigned ? x >>> 0 : x;
      fpu.s[rd] = fpu.fromInteger(n, fractionBits, true);
    };
  };
}

/** VMRS: FPSCR to a core register, or its NZCV to APSR (Rt = 1111, APSR_nzcv). */
const vmrs: Rule = (d) => {
  const rt = d.operands.rt;
  if (rt === undefined) {
    return (cpu) => {
      const fpscr = fpuOf(cpu).fpscr;
      cpu.n = (fpscr >>> 31) & 1;
      cpu.z = (fpscr >>> 30) & 1;
      cpu.c = (fpscr >>> 29) & 1;
      cpu.v = (fpscr >>> 28) & 1;
    };
  }
  return (cpu) => { cpu.r[rt] = fpuOf(cpu).fpscr; };
};

const vmsr: Rule = (d) => {
  const rt = d.operands.rt ?? 0;
  return (cpu) => {
    const fpu = fpuOf(cpu);
    fpu.fpscr = cpu.r[rt]! & FPSCR.WRITABLE;
  };
};

/** VMOV between core registers and an S register, or two core registers and a D register. */
const vmov: Rule = (d) => {
  const { rt = 0, rt2 = 0, rd, rn, rm = 0 } = d.operands;
  switch (d.encoding.name) {
    case 'T1 to S': return (cpu) => { fpuOf(cpu).s[sIndex(rd)] = cpu.r[rt]!; };
    case 'T1 to core': return (cpu) => { cpu.r[rt] = fpuOf(cpu).s[sIndex(rn)]!; };
    case 'T1 D to core': return (cpu) => {
      const s = fpuOf(cpu).s;
      cpu.r[rt] = s[2 * rm]!;
      cpu.r[rt2] = s[2 * rm + 1]!;
    };
    default: return (cpu) => {
      const s = fpuOf(cpu).s;
      s[2 * rm] = cpu.r[rt]!;
      s[2 * rm + 1] = cpu.r[rt2]!;
    };
  }
};

/** FP loads and stores are word accesses that must be word aligned (MemA). */
function checkWordAligned(address: number): void {
  if ((address & 3) !== 0) throw usageFault(CFSR.UNALIGNED);
}

/** The first S register and the word count of a VLDR/VSTR/VLDM/VSTM: T1 rows name D registers. */
function transferOf(d: DecodedInst, single: boolean): { first: number; words: number } {
  const double = d.encoding.name === 'T1';
  const rt = d.operands.rt ?? 0;
  const first = double ? 2 * rt : single ? sIndex(rt) : rt;
  return { first, words: single ? (double ? 2 : 1) : d.operands.imm ?? 0 };
}

/** VLDR/VSTR: [Rn, #+/-imm] (from Align(PC, 4) for a literal), one S or one D register. */
function loadStoreSingle(load: boolean): Rule {
  return (d) => {
    const rn = d.operands.rn ?? 15;
    const offset = d.operands.imm ?? 0;
    const { first, words } = transferOf(d, true);
    return (cpu) => {
      const fpu = fpuOf(cpu);
      const base = rn === 15 ? cpu.r[15]! & ~3 : cpu.r[rn]!;
      const address = (base + offset) | 0;
      checkWordAligned(address);
      transfer(cpu, fpu, load, address, first, words);
    };
  };
}

function transfer(cpu: Cpu, fpu: Fpu, load: boolean, address: number, first: number, words: number): void {
  for (let i = 0; i < words; i++) {
    const at = (address + 4 * i) | 0;
    if (load) fpu.s[first + i] = cpu.mem.read32(at);
    else cpu.mem.write32(at, fpu.s[first + i]!);
  }
}

/**
 * VLDM/VSTM increment after (VPOP) or decrement before (VPUSH): `imm` words from the first
 * register; the base is written back when W (word bit 21) is set, always for VPUSH/VPOP.
 */
function loadStoreMultiple(load: boolean, decrementBefore: boolean): Rule {
  return (d) => {
    const rn = d.operands.rn ?? 13;
    const { first, words } = transferOf(d, false);
    const writeBack = ((d.word >>> 21) & 1) === 1;
    return (cpu) => {
      const fpu = fpuOf(cpu);
      const base = cpu.r[rn]!;
      const start = decrementBefore ? (base - 4 * words) | 0 : base;
      checkWordAligned(start);
      transfer(cpu, fpu, load, start, first, words);
      if (writeBack) cpu.r[rn] = decrementBefore ? start : (base + 4 * words) | 0;
    };
  };
}

export const VFP_RULES: Readonly<Record<string, Rule>> = {
  'vadd.f32': threeRegister((f, _, n, m) => f.add(n, m)),
  'vsub.f32': threeRegister((f, _, n, m) => f.sub(n, m)),
  'vmul.f32': threeRegister((f, _, n, m) => f.mul(n, m)),
  'vdiv.f32': threeRegister((f, _, n, m) => f.div(n, m)),
  'vnmul.f32': threeRegister((f, _, n, m) => negate(f.mul(n, m))),
  // Chained: the product is rounded, then added (ARM pseudocode FPAdd(Sd, FPMul(...))).
  'vmla.f32': threeRegister((f, d, n, m) => f.add(d, f.mul(n, m))),
  'vmls.f32': threeRegister((f, d, n, m) => f.add(d, negate(f.mul(n, m)))),
  'vnmla.f32': threeRegister((f, d, n, m) => f.add(negate(d), negate(f.mul(n, m)))),
  'vnmls.f32': threeRegister((f, d, n, m) => f.add(negate(d), f.mul(n, m))),
  // Fused: one rounding of Sd + Sn * Sm, the negations applied to the operands first.
  'vfma.f32': threeRegister((f, d, n, m) => f.mulAdd(d, n, m)),
  'vfms.f32': threeRegister((f, d, n, m) => f.mulAdd(d, negate(n), m)),
  'vfnma.f32': threeRegister((f, d, n, m) => f.mulAdd(negate(d), negate(n), m)),
  'vfnms.f32': threeRegister((f, d, n, m) => f.mulAdd(negate(d), n, m)),
  'vmov.f32': vmovF32,
  'vabs.f32': twoRegister((_, m) => m & 0x7fffffff),
  'vneg.f32': twoRegister((_, m) => negate(m)),
  'vsqrt.f32': twoRegister((f, m) => f.sqrt(m)),
  'vcvt.s32.f32': toInteger(false, true),
  'vcvt.u32.f32': toInteger(true, true),
  'vcvtr.s32.f32': toInteger(false, false),
  'vcvtr.u32.f32': toInteger(true, false),
  'vcvt.f32.s32': twoRegister((f, m) => f.fromInteger(m)),
  'vcvt.f32.u32': twoRegister((f, m) => f.fromInteger(m >>> 0)),
  ...Object.fromEntries(([true, false] as const).flatMap((toFixed) => ([true, false] as const).flatMap((unsigned) => ([16, 32] as const).map((size) => {
    const fixed = `${unsigned ? 'u' : 's'}${size}`;
    return [toFixed ? `vcvt.${fixed}.f32.fixed` : `vcvt.f32.${fixed}.fixed`, fixedPoint(toFixed, unsigned, size)];
  })))),
  'vcmp.f32': compare(false),
  'vcmpe.f32': compare(true),
  'vmrs': vmrs,
  'vmsr': vmsr,
  'vmov': vmov,
  'vldr': loadStoreSingle(true),
  'vstr': loadStoreSingle(false),
  'vldmia': loadStoreMultiple(true, false),
  'vpop': loadStoreMultiple(true, false),
  'vstmia': loadStoreMultiple(false, false),
  'vldmdb': loadStoreMultiple(true, true),
  'vstmdb': loadStoreMultiple(false, true),
  'vpush': loadStoreMultiple(false, true),
};
