// Semantics of loads and stores: single (immediate, register and literal offsets, pre/post
// indexing), doubleword, multiple (LDM/STM/PUSH/POP), exclusive, and the table branches.
//
// Alignment (ARMv7-M ARM A3.2): LDR/STR/LDRH/STRH may be unaligned unless CCR.UNALIGN_TRP;
// LDRD/STRD, LDM/STM and the exclusives always need word alignment. Either fault is a
// UsageFault with UNALIGNED.

import { CCR_UNALIGN_TRP, type Cpu } from '../cpu.js';
import { CFSR, usageFault } from '../fault.js';
import type { Rule } from './rule.js';

function checkAlignment(cpu: Cpu, address: number, size: number, always: boolean): void {
  if ((address & (size - 1)) !== 0 && (always || (cpu.host.ccr & CCR_UNALIGN_TRP) !== 0)) throw usageFault(CFSR.UNALIGNED);
}

type Width = 'word' | 'byte' | 'half' | 'sbyte' | 'shalf';

function load(cpu: Cpu, address: number, width: Width): number {
  switch (width) {
    case 'word': checkAlignment(cpu, address, 4, false); return cpu.mem.read32(address);
    case 'half': checkAlignment(cpu, address, 2, false); return cpu.mem.read16(address);
    case 'shalf': checkAlignment(cpu, address, 2, false); return (cpu.mem.read16(address) << 16) >> 16;
    case 'byte': return cpu.mem.read8(address);
    case 'sbyte': return (cpu.mem.read8(address) << 24) >> 24;
  }
}

function store(cpu: Cpu, address: number, width: 'word' | 'byte' | 'half', value: number): void {
  switch (width) {
    case 'word': checkAlignment(cpu, address, 4, false); cpu.mem.write32(address, value); return;
    case 'half': checkAlignment(cpu, address, 2, false); cpu.mem.write16(address, value & 0xffff); return;
    case 'byte': cpu.mem.write8(address, value & 0xff); return;
  }
}

/**
 * The address of a single load/store and its write-back: [rn, #imm], [rn, #imm]!, [rn], #imm,
 * [rn, rm, lsl #imm], and literal [pc, #imm] (from Align(PC, 4)).
 */
function addressing(d: Parameters<Rule>[0]): { address: (cpu: Cpu) => number; writeBack: ((cpu: Cpu) => void) | undefined } {
  const { rn = 15, rm, imm = 0, mode } = d.operands;
  if (rm !== undefined) return { address: (cpu) => (cpu.r[rn]! + (cpu.r[rm]! << imm)) | 0, writeBack: undefined };
  if (rn === 15) return { address: (cpu) => ((cpu.r[15]! & ~3) + imm) | 0, writeBack: undefined };
  if (mode === 'pre') return { address: (cpu) => (cpu.r[rn]! + imm) | 0, writeBack: (cpu) => { cpu.r[rn] = (cpu.r[rn]! + imm) | 0; } };
  if (mode === 'post') return { address: (cpu) => cpu.r[rn]!, writeBack: (cpu) => { cpu.r[rn] = (cpu.r[rn]! + imm) | 0; } };
  return { address: (cpu) => (cpu.r[rn]! + imm) | 0, writeBack: undefined };
}

function loadRule(width: Width): Rule {
  return (d) => {
    const rt = d.operands.rt ?? 0;
    const { address, writeBack } = addressing(d);
    if (rt === 15) {
      return (cpu) => {
        const value = load(cpu, address(cpu), width);
        writeBack?.(cpu);
        cpu.host.loadWritePc(cpu, value);
      };
    }
    const { rn, rm, mode, imm = 0 } = d.operands;
    // The hot form: word load from [rn, #imm].
    if (width === 'word' && rm === undefined && rn !== undefined && rn !== 15 && mode === undefined) {
      return (cpu) => {
        const a = (cpu.r[rn]! + imm) | 0;
        if ((a & 3) !== 0) checkAlignment(cpu, a, 4, false);
        cpu.r[rt] = cpu.mem.read32(a);
      };
    }
    if (writeBack === undefined) return (cpu) => { cpu.r[rt] = load(cpu, address(cpu), width); };
    return (cpu) => {
      const value = load(cpu, address(cpu), width);
      writeBack(cpu);
      cpu.r[rt] = value;
    };
  };
}

function storeRule(width: 'word' | 'byte' | 'half'): Rule {
  return (d) => {
    const rt = d.operands.rt ?? 0;
    const { address, writeBack } = addressing(d);
    const { rn, rm, mode, imm = 0 } = d.operands;
    if (width === 'word' && rm === undefined && rn !== undefined && rn !== 15 && mode === undefined) {
      return (cpu) => {
        const a = (cpu.r[rn]! + imm) | 0;
        if ((a & 3) !== 0) checkAlignment(cpu, a, 4, false);
        cpu.mem.write32(a, cpu.r[rt]!);
      };
    }
    if (writeBack === undefined) return (cpu) => store(cpu, address(cpu), width, cpu.r[rt]!);
    return (cpu) => {
      store(cpu, address(cpu), width, cpu.r[rt]!);
      writeBack(cpu);
    };
  };
}

/** LDRD/STRD: [rn, #±imm] with optional pre/post write-back; word alignment required. */
function doubleRule(isLoad: boolean): Rule {
  return (d) => {
    const { rt = 0, rt2 = 0 } = d.operands;
    const { address, writeBack } = addressing(d);
    return (cpu) => {
      const a = address(cpu);
      checkAlignment(cpu, a, 4, true);
      if (isLoad) {
        const lo = cpu.mem.read32(a);
        const hi = cpu.mem.read32(a + 4);
        writeBack?.(cpu);
        cpu.r[rt] = lo;
        cpu.r[rt2] = hi;
      } else {
        cpu.mem.write32(a, cpu.r[rt]!);
        cpu.mem.write32(a + 4, cpu.r[rt2]!);
        writeBack?.(cpu);
      }
    };
  };
}

/**
 * LDM/STM (increment after), LDMDB/STMDB (decrement before), PUSH (= STMDB sp!) and POP
 * (= LDM sp!). `wb` says whether the base is written back; LDM T1 writes back unless the
 * base is in the list.
 */
function multipleRule(isLoad: boolean, decrement: boolean, wb: (d: Parameters<Rule>[0]) => boolean): Rule {
  return (d) => {
    const regs = Int32Array.from(d.operands.regs ?? (d.operands.rt !== undefined ? [d.operands.rt] : []));
    const rn = d.operands.rn ?? 13;
    const writeBack = wb(d);
    const count = regs.length;
    const loadsPc = isLoad && regs.includes(15);
    const baseInList = regs.includes(rn);
    return (cpu): void => {
      const base = cpu.r[rn]!;
      const start = decrement ? (base - 4 * count) | 0 : base;
      checkAlignment(cpu, start, 4, true);
      if (isLoad) {
        let pcValue = 0;
        for (let i = 0; i < count; i++) {
          const value = cpu.mem.read32((start + 4 * i) | 0);
          const r = regs[i]!;
          if (r === 15) pcValue = value;
          else cpu.r[r] = value;
        }
        if (writeBack && !baseInList) cpu.r[rn] = decrement ? start : (base + 4 * count) | 0;
        if (loadsPc) cpu.host.loadWritePc(cpu, pcValue);
      } else {
        for (let i = 0; i < count; i++) cpu.mem.write32((start + 4 * i) | 0, cpu.r[regs[i]!]!);
        if (writeBack) cpu.r[rn] = decrement ? start : (base + 4 * count) | 0;
      }
    };
  };
}
const always = (): boolean => true;
const byName = (d: Parameters<Rule>[0]): boolean => d.encoding.name === 'T2 wb';
const unlessBaseLoaded = (d: Parameters<Rule>[0]): boolean => d.encoding.name !== 'T1' || !(d.operands.regs ?? []).includes(d.operands.rn ?? -1);

/** PUSH T3 / POP T3 are STR [sp, #-4]! / LDR [sp], #4 with one register. */
const push: Rule = (d, address) => (d.encoding.name === 'T3' ? storeRule('word')({ ...d, operands: { rt: d.operands.rt ?? 0, rn: 13, imm: -4, mode: 'pre' } }, address) : multipleRule(false, true, always)(d, address));
const pop: Rule = (d, address) => (d.encoding.name === 'T3' ? loadRule('word')({ ...d, operands: { rt: d.operands.rt ?? 0, rn: 13, imm: 4, mode: 'post' } }, address) : multipleRule(true, false, always)(d, address));

// ---------------------------------------------------------------- exclusives

function loadExclusive(size: 1 | 2 | 4): Rule {
  return (d) => {
    const { rt = 0, rn = 0, imm = 0 } = d.operands;
    return (cpu) => {
      const a = (cpu.r[rn]! + imm) | 0;
      checkAlignment(cpu, a, size, true);
      cpu.exclusive = a;
      cpu.r[rt] = size === 4 ? cpu.mem.read32(a) : size === 2 ? cpu.mem.read16(a) : cpu.mem.read8(a);
    };
  };
}
/** STREX: stores and writes 0 to rd when the monitor holds the address; writes 1 otherwise. */
function storeExclusive(size: 1 | 2 | 4): Rule {
  return (d) => {
    const { rd = 0, rt = 0, rn = 0, imm = 0 } = d.operands;
    return (cpu) => {
      const a = (cpu.r[rn]! + imm) | 0;
      checkAlignment(cpu, a, size, true);
      if (cpu.exclusive !== a) {
        cpu.r[rd] = 1;
        return;
      }
      if (size === 4) cpu.mem.write32(a, cpu.r[rt]!);
      else if (size === 2) cpu.mem.write16(a, cpu.r[rt]! & 0xffff);
      else cpu.mem.write8(a, cpu.r[rt]! & 0xff);
      cpu.exclusive = -1;
      cpu.r[rd] = 0;
    };
  };
}

/** TBB/TBH: branch forward by twice the table entry at rn + rm (or rn + 2*rm). */
function tableBranch(half: boolean): Rule {
  return (d) => {
    const { rn = 0, rm = 0 } = d.operands;
    return (cpu): void => {
      const entry = half ? cpu.mem.read16((cpu.r[rn]! + (cpu.r[rm]! << 1)) | 0) : cpu.mem.read8((cpu.r[rn]! + cpu.r[rm]!) | 0);
      cpu.pc = (cpu.r[15]! + 2 * entry) | 0;
    };
  };
}

export const LOAD_STORE_RULES: Readonly<Record<string, Rule>> = {
  ldr: loadRule('word'), ldrb: loadRule('byte'), ldrh: loadRule('half'), ldrsb: loadRule('sbyte'), ldrsh: loadRule('shalf'),
  str: storeRule('word'), strb: storeRule('byte'), strh: storeRule('half'),
  ldrd: doubleRule(true), strd: doubleRule(false),
  ldm: multipleRule(true, false, unlessBaseLoaded), stm: multipleRule(false, false, (d) => d.encoding.name === 'T1' || byName(d)),
  ldmdb: multipleRule(true, true, byName), stmdb: multipleRule(false, true, byName),
  push, pop,
  ldrex: loadExclusive(4), ldrexb: loadExclusive(1), ldrexh: loadExclusive(2),
  strex: storeExclusive(4), strexb: storeExclusive(1), strexh: storeExclusive(2),
  tbb: tableBranch(false), tbh: tableBranch(true),
};

