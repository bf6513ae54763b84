// UAL text of decoded instructions: listings of linked firmware and the simulator's traces.
//
// It fills the same syntax templates as the backend's printer (printer.ts), with the
// condition of an instruction inside an IT block taken from the IT state, the way
// arm-none-eabi-objdump prints it. Branch targets are printed as absolute addresses.

import { regName } from './registers.js';
import type { DecodedInst } from './decoder.js';
import { decodeThumb } from './decoder.js';
import type { Cond } from './mir.js';
import { CONDITIONS, vfpExpandImm } from './operands.js';
import { BOTH_SIZES, formatAddress, formatShift } from './printer.js';

/** MRS/MSR SYSm values (ARMv7-M ARM B5.1.1). */
const SPECIAL_REGISTERS: Readonly<Record<number, string>> = {
  0: 'apsr', 1: 'iapsr', 2: 'eapsr', 3: 'xpsr', 5: 'ipsr', 6: 'epsr', 7: 'iepsr',
  8: 'msp', 9: 'psp', 16: 'primask', 17: 'basepri', 18: 'basepri_max', 19: 'faultmask', 20: 'control',
};
const BARRIER_OPTIONS: Readonly<Record<number, string>> = { 15: 'sy' };

/**
 * The text of `inst` at `address`. `itCond` is the condition the IT block gives it (undefined
 * outside an IT block), which also decides the 's' of 16-bit data-processing forms.
 */
export function formatDecoded(inst: DecodedInst, address: number, itCond?: Cond): string {
  const { encoding, operands: ops } = inst;
  const inIT = itCond !== undefined;
  const cond = ops.cond ?? itCond;
  const setsFlags = encoding.flags === 'outsideIT' ? !inIT : encoding.flags === 'sBit' && ops.S === 1;
  return encoding.syntax.replace(/\{(\w+)\}/g, (_, name: string): string => {
    switch (name) {
      case 's': return setsFlags ? 's' : '';
      case 'c': return encoding.mnemonic === 'it' || cond === undefined || cond === 'al' ? '' : cond;
      case 'q': return BOTH_SIZES.has(encoding.mnemonic) ? (encoding.size === 16 ? '.n' : '.w') : '';
      // [rn, #0] as [rn]: the exclusives accept no other spelling.
      case 'mem': return formatAddress(ops).replace(/, #0\]$/, ']');
      case 'shift': return formatShift(ops.shift);
      case 'regs': return `{${(ops.regs ?? []).map(regName).join(', ')}}`;
      case 'offset': return `0x${((address + 4 + (ops.offset ?? 0)) >>> 0).toString(16)}`;
      case 'imm': return String((ops.imm ?? 0) >>> 0);
      case 'mask': return ops.mask ?? '';
      case 'cond': return ops.cond ?? '';
      case 'lsb': return String(ops.lsb);
      case 'width': return String(ops.width);
      // LDM T1 writes the base back unless it is in the list (A7.7.41).
      case 'wb': return (ops.regs ?? []).includes(ops.rn ?? -1) ? '' : '!';
      case 'bfwidth': return String((ops.imm ?? 0) - (ops.lsb ?? 0) + 1);
      case 'ror': return ops.imm ? `, ror #${ops.imm}` : '';
      case 'sysreg': return SPECIAL_REGISTERS[ops.imm ?? -1] ?? `#${ops.imm}`;
      case 'barrier': return BARRIER_OPTIONS[ops.imm ?? -1] ?? `#${ops.imm}`;
      case 'iflags': return `${(ops.imm ?? 0) & 2 ? 'i' : ''}${(ops.imm ?? 0) & 1 ? 'f' : ''}`;
      // FPU doubleword registers and register lists (encodings.ts VFP_DECODE_ONLY_ROWS).
      case 'fimm': return String(vfpExpandImm(ops.imm ?? 0));
      case 'dd': return `d${ops.rt ?? 0}`;
      case 'dm': return `d${ops.rm ?? 0}`;
      case 'sregs': return fpRegisterList('s', ops.rt ?? 0, ops.imm ?? 0);
      case 'dregs': return fpRegisterList('d', ops.rt ?? 0, (ops.imm ?? 0) >> 1);
      default: return regName((ops as Readonly<Record<string, number>>)[name] ?? -1);
    }
  });
}

/** `{s4-s6}` (`{s4}` for one): `count` FPU registers from `first`, as objdump prints them. */
function fpRegisterList(kind: 's' | 'd', first: number, count: number): string {
  return count === 1 ? `{${kind}${first}}` : `{${kind}${first}-${kind}${first + count - 1}}`;
}

export interface ListingLine {
  readonly address: number;
  readonly size: 2 | 4;
  /** UAL text, or `.inst 0x...` for an encoding no row matches. */
  readonly text: string;
  readonly decoded?: DecodedInst;
}

/**
 * Disassemble [start, end) with `halfword(address)` reading memory, tracking IT blocks so
 * instructions inside them print with their condition.
 */
export function disassemble(halfword: (address: number) => number, start: number, end: number): ListingLine[] {
  const lines: ListingLine[] = [];
  let itConds: Cond[] = [];
  for (let address = start; address < end;) {
    const hw1 = halfword(address);
    const decoded = decodeThumb(hw1, address + 2 < end ? halfword(address + 2) : 0);
    if (decoded === undefined) {
      lines.push({ address, size: 2, text: `.inst.n 0x${hw1.toString(16).padStart(4, '0')}` });
      address += 2;
      itConds = [];
      continue;
    }
    const cond = itConds.shift();
    lines.push({ address, size: decoded.size, text: formatDecoded(decoded, address, cond), decoded });
    if (decoded.encoding.mnemonic === 'it') itConds = itBlockConditions(decoded);
    address += decoded.size;
  }
  return lines;
}

/** The conditions of the instructions an IT instruction covers, in order. */
export function itBlockConditions(it: DecodedInst): Cond[] {
  const first = CONDITIONS.indexOf(it.operands.cond ?? 'al');
  const inverse = CONDITIONS[first ^ 1] ?? 'al';
  return [it.operands.cond ?? 'al', ...[...(it.operands.mask ?? '')].map((letter) => (letter === 't' ? it.operands.cond ?? 'al' : inverse))];
}
