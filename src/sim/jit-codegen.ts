// The JIT's inline JavaScript for the commonest instructions: the exact semantics of their
// closures in execute/ (ARMv7-M ARM A7.7), written out with the operands as constants so
// V8 sees plain integer arithmetic on `r` (the register file) instead of a closure call.
//
// A source fragment runs with these names in scope: `cpu`, `r` (cpu.r), `mem` (cpu.mem)
// and `E` (the instructions' closures, the fallback). Blocks run only outside IT blocks,
// so an 'outsideIT' row always sets its flags here. Everything not covered returns
// undefined and the block calls the closure.

import type { DecodedInst } from '../backend-thumb2/decoder.js';
import { CONDITIONS } from '../backend-thumb2/operands.js';
import { modImmCarry } from './execute/alu.js';

/** Whether a row sets NZCV when it runs outside an IT block. */
export function setsFlags(d: DecodedInst): boolean {
  switch (d.encoding.flags) {
    case 'none': return false;
    case 'always': case 'outsideIT': return true;
    case 'sBit': return d.operands.S === 1;
  }
}

/** A JS boolean expression for ConditionPassed(cond) (A7.3.1) over cpu.n/z/c/v. */
export function conditionSource(cond: number): string {
  const base = ['cpu.z === 1', 'cpu.c === 1', 'cpu.n === 1', 'cpu.v === 1', '(cpu.c === 1 && cpu.z === 0)',
    'cpu.n === cpu.v', '(cpu.n === cpu.v && cpu.z === 0)', 'true'][cond >> 1]!;
  return (cond & 1) === 1 && cond < 14 ? `!(${base})` : base;
}

/** The condition number of a conditional branch (14 = always). */
export function branchCondition(d: DecodedInst): number {
  return d.operands.cond === undefined ? 14 : CONDITIONS.indexOf(d.operands.cond);
}

const NZ = (x: string): string => `cpu.n = ${x} >>> 31; cpu.z = ${x} === 0 ? 1 : 0;`;

/**
 * The second operand of a data-processing row without a carry out: an immediate or an
 * unshifted/LSL/LSR/ASR-shifted register (undefined for RRX, ROR and PC reads).
 */
function operand2(d: DecodedInst): string | undefined {
  const { rm, imm, shift } = d.operands;
  if (rm === undefined) return imm === undefined ? undefined : `${imm | 0}`;
  if (rm === 15) return undefined;
  if (shift === undefined || shift.amount === 0 && shift.kind === 'lsl') return `r[${rm}]`;
  if (shift.amount === 0) return undefined; // ROR #0 is RRX; LSR/ASR #0 do not decode
  switch (shift.kind) {
    case 'lsl': return `(r[${rm}] << ${shift.amount})`;
    case 'lsr': return shift.amount === 32 ? '0' : `((r[${rm}] >>> ${shift.amount}) | 0)`;
    case 'asr': return `(r[${rm}] >> ${Math.min(shift.amount, 31)})`;
    default: return undefined;
  }
}

/** The carry a flag-setting logical row writes: a constant, `cpu.c` (unchanged), or undefined (shifted: use the closure). */
function logicalCarry(d: DecodedInst): string | undefined {
  const { rm, imm, shift } = d.operands;
  if (rm !== undefined) return shift === undefined || (shift.kind === 'lsl' && shift.amount === 0) ? 'cpu.c' : undefined;
  if (d.encoding.operands.imm?.kind !== 'modImm') return 'cpu.c';
  const f = d.fields;
  const carry = modImmCarry(((f['i'] ?? 0) << 11) | ((f['imm3'] ?? 0) << 8) | (f['imm8'] ?? 0), (imm ?? 0) | 0);
  return carry < 0 ? 'cpu.c' : `${carry}`;
}

/** AddWithCarry(a, b, carry) with flags, as one statement block writing `target` (or nothing). */
function addWithFlags(target: string | undefined, a: string, b: string, carry: string): string {
  const write = target === undefined ? '' : ` ${target} = x;`;
  return `{ const a = ${a}, b = ${b}, u = (a >>> 0) + (b >>> 0) + ${carry}, x = u | 0; cpu.n = x >>> 31; cpu.z = x === 0 ? 1 : 0; cpu.c = u > 0xffffffff ? 1 : 0; cpu.v = ((a ^ x) & (b ^ x)) >>> 31;${write} }`;
}

function arithmeticSource(d: DecodedInst): string | undefined {
  const m = d.encoding.mnemonic;
  const { rd, rn } = d.operands;
  const compare = m === 'cmp' || m === 'cmn';
  if (rn === undefined || rn === 15 || (!compare && (rd === undefined || rd === 15))) return undefined;
  const b = operand2(d);
  if (b === undefined) return undefined;
  const target = compare ? undefined : `r[${rd}]`;
  if (!compare && !setsFlags(d)) {
    switch (m) {
      case 'add': return `${target} = (r[${rn}] + ${b}) | 0;`;
      case 'sub': return `${target} = (r[${rn}] - ${b}) | 0;`;
      case 'rsb': return `${target} = (${b} - r[${rn}]) | 0;`;
      case 'adc': return `${target} = (r[${rn}] + ${b} + cpu.c) | 0;`;
      case 'sbc': return `${target} = (r[${rn}] + ~${b} + cpu.c) | 0;`;
      default: return undefined;
    }
  }
  switch (m) {
    case 'add': case 'cmn': return addWithFlags(target, `r[${rn}]`, b, '0');
    case 'sub': case 'cmp': return addWithFlags(target, `r[${rn}]`, `~${b}`, '1');
    case 'rsb': return addWithFlags(target, `~r[${rn}]`, b, '1');
    case 'adc': return addWithFlags(target, `r[${rn}]`, b, 'cpu.c');
    case 'sbc': return addWithFlags(target, `r[${rn}]`, `~${b}`, 'cpu.c');
    default: return undefined;
  }
}

const LOGIC: Readonly<Record<string, (a: string, b: string) => string>> = {
  and: (a, b) => `${a} & ${b}`, tst: (a, b) => `${a} & ${b}`, orr: (a, b) => `${a} | ${b}`,
  eor: (a, b) => `${a} ^ ${b}`, teq: (a, b) => `${a} ^ ${b}`, bic: (a, b) => `${a} & ~${b}`,
  orn: (a, b) => `${a} | ~${b}`, mov: (_a, b) => `${b} | 0`, mvn: (_a, b) => `~${b}`,
};

function logicalSource(d: DecodedInst): string | undefined {
  const m = d.encoding.mnemonic;
  const f = LOGIC[m];
  const { rd, rn } = d.operands;
  const compare = m === 'tst' || m === 'teq';
  const unary = m === 'mov' || m === 'mvn';
  if (f === undefined || (!unary && (rn === undefined || rn === 15)) || (!compare && (rd === undefined || rd === 15))) return undefined;
  const b = operand2(d);
  if (b === undefined) return undefined;
  const value = f(`r[${rn ?? 0}]`, b);
  if (!setsFlags(d)) return compare ? '' : `r[${rd}] = ${value};`;
  const carry = logicalCarry(d);
  if (carry === undefined) return undefined;
  const write = compare ? '' : ` r[${rd}] = x;`;
  return `{ const x = ${value}; ${NZ('x')}${carry === 'cpu.c' ? '' : ` cpu.c = ${carry};`}${write} }`;
}

/** LSL/LSR/ASR by an immediate (by a register and ROR: the closure). */
function shiftSource(d: DecodedInst): string | undefined {
  const { rd, rm, rs, imm } = d.operands;
  const m = d.encoding.mnemonic;
  if (rs !== undefined || rd === undefined || rm === undefined || rd === 15 || rm === 15 || imm === undefined) return undefined;
  if (imm === 0) return m === 'lsl' ? (setsFlags(d) ? `{ const x = r[${rm}]; r[${rd}] = x; ${NZ('x')} }` : `r[${rd}] = r[${rm}];`) : undefined;
  let value: string;
  let carry: string;
  switch (m) {
    case 'lsl': value = `v << ${imm}`; carry = `(v >>> ${32 - imm}) & 1`; break;
    case 'lsr': value = imm >= 32 ? '0' : `(v >>> ${imm}) | 0`; carry = `(v >>> ${imm - 1}) & 1`; break;
    case 'asr': value = `v >> ${Math.min(imm, 31)}`; carry = `(v >> ${Math.min(imm - 1, 31)}) & 1`; break;
    default: return undefined;
  }
  if (!setsFlags(d)) return `{ const v = r[${rm}]; r[${rd}] = ${value}; }`;
  return `{ const v = r[${rm}], x = ${value}; r[${rd}] = x; ${NZ('x')} cpu.c = ${carry}; }`;
}

const LOADS: Readonly<Record<string, { read: string; align: number; wrap: (v: string) => string }>> = {
  ldr: { read: 'read32', align: 3, wrap: (v) => v },
  ldrh: { read: 'read16', align: 1, wrap: (v) => v },
  ldrsh: { read: 'read16', align: 1, wrap: (v) => `(${v} << 16) >> 16` },
  ldrb: { read: 'read8', align: 0, wrap: (v) => v },
  ldrsb: { read: 'read8', align: 0, wrap: (v) => `(${v} << 24) >> 24` },
};
const STORES: Readonly<Record<string, { write: string; align: number; mask: string }>> = {
  str: { write: 'write32', align: 3, mask: '' },
  strh: { write: 'write16', align: 1, mask: ' & 0xffff' },
  strb: { write: 'write8', align: 0, mask: ' & 0xff' },
};

/**
 * Single loads and stores at [rn, #imm], [rn, rm, lsl #n] and literal [pc, #imm]; write-back
 * forms use the closure. Unaligned addresses take the closure too (it checks CCR.UNALIGN_TRP).
 */
function loadStoreSource(d: DecodedInst, i: number, address: number): string | undefined {
  const m = d.encoding.mnemonic;
  const { rt, rn, rm, imm = 0, mode } = d.operands;
  if (rt === undefined || rt === 15 || rn === undefined || mode !== undefined || rm === 15) return undefined;
  const at = rm !== undefined ? `(r[${rn}] + (r[${rm}] << ${imm})) | 0` : rn === 15 ? `${(((address + 4) & ~3) + imm) | 0}` : `(r[${rn}] + ${imm | 0}) | 0`;
  const load = LOADS[m];
  if (load !== undefined) {
    const access = `r[${rt}] = ${load.wrap(`mem.${load.read}(a)`)};`;
    if (load.align === 0) return `{ const a = ${at}; ${access} }`;
    return `{ const a = ${at}; if ((a & ${load.align}) !== 0) E[${i}](cpu); else ${access} }`;
  }
  const store = STORES[m];
  if (store === undefined || rn === 15) return undefined;
  const access = `mem.${store.write}(a, r[${rt}]${store.mask});`;
  if (store.align === 0) return `{ const a = ${at}; ${access} }`;
  return `{ const a = ${at}; if ((a & ${store.align}) !== 0) E[${i}](cpu); else ${access} }`;
}

/** Moves and extends of one register, MOVT and MUL. */
function miscSource(d: DecodedInst): string | undefined {
  const m = d.encoding.mnemonic;
  const { rd, rn, rm, imm } = d.operands;
  if (rd === undefined || rd === 15 || rm === 15 || rn === 15) return undefined;
  switch (m) {
    case 'movt': return imm === undefined ? undefined : `r[${rd}] = (r[${rd}] & 0xffff) | ${(imm << 16) | 0};`;
    case 'uxtb': case 'uxth': case 'sxtb': case 'sxth': {
      if (rm === undefined || (imm ?? 0) !== 0) return undefined;
      const shift = m.endsWith('b') ? 24 : 16;
      return `r[${rd}] = (r[${rm}] << ${shift}) ${m.startsWith('s') ? '>>' : '>>>'} ${shift};`;
    }
    case 'mul': {
      if (rn === undefined || rm === undefined) return undefined;
      const product = `Math.imul(r[${rn}], r[${rm}])`;
      return setsFlags(d) ? `{ const x = ${product}; r[${rd}] = x; ${NZ('x')} }` : `r[${rd}] = ${product};`;
    }
    default: return undefined;
  }
}

/** Inline JavaScript for a straight-line instruction at `address`, or undefined (call E[i]). */
export function inlineSource(d: DecodedInst, i: number, address: number): string | undefined {
  const m = d.encoding.mnemonic;
  switch (m) {
    case 'add': case 'sub': case 'rsb': case 'adc': case 'sbc': case 'cmp': case 'cmn':
      return arithmeticSource(d);
    case 'and': case 'orr': case 'eor': case 'bic': case 'orn': case 'mov': case 'mvn': case 'tst': case 'teq':
      return logicalSource(d);
    case 'lsl': case 'lsr': case 'asr':
      return shiftSource(d);
    case 'nop': case 'dmb': case 'dsb': case 'isb':
      return '';
    default:
      return loadStoreSource(d, i, address) ?? miscSource(d);
  }
}

/**
 * Inline JavaScript for a block's final branch: B (conditional or not), BL, CBZ/CBNZ.
 * It leaves cpu.pc at the target when taken (cpu.pc already holds the fall-through).
 */
export function branchSource(d: DecodedInst, address: number): string | undefined {
  const m = d.encoding.mnemonic;
  const target = (address + 4 + (d.operands.offset ?? 0)) | 0;
  switch (m) {
    case 'b': {
      const cond = branchCondition(d);
      return cond >= 14 ? `cpu.pc = ${target};` : `if (${conditionSource(cond)}) cpu.pc = ${target};`;
    }
    case 'bl': return `r[14] = ${(address + d.size) | 1}; cpu.pc = ${target};`;
    case 'cbz': case 'cbnz': {
      const rn = d.operands.rn ?? 0;
      return `if (r[${rn}] ${m === 'cbz' ? '===' : '!=='} 0) cpu.pc = ${target};`;
    }
    default: return undefined;
  }
}
