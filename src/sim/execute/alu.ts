// The ALU pseudo-code of the ARMv7-M ARM: shifts with carry out (A7.4.2 Shift_C),
// AddWithCarry (A2.2.1), the modified-immediate carry (ThumbExpandImm_C, A5.3.2) and
// saturation (A2.2.2). Results are int32; flags go straight into the Cpu.

import type { Cpu } from '../cpu.js';

/** Shift kinds in the order of the encoded type field, plus RRX. */
export const LSL = 0;
export const LSR = 1;
export const ASR = 2;
export const ROR = 3;
export const RRX = 4;

/** Shift_C: `value` shifted by `amount` (any amount 0-255); the carry out goes to cpu.shiftCarry. */
export function shiftWithCarry(cpu: Cpu, value: number, kind: number, amount: number): number {
  if (kind === RRX) {
    cpu.shiftCarry = value & 1;
    return ((cpu.c << 31) | (value >>> 1)) | 0;
  }
  if (amount === 0) {
    cpu.shiftCarry = cpu.c;
    return value | 0;
  }
  switch (kind) {
    case LSL:
      if (amount < 32) {
        cpu.shiftCarry = (value >>> (32 - amount)) & 1;
        return value << amount;
      }
      cpu.shiftCarry = amount === 32 ? value & 1 : 0;
      return 0;
    case LSR:
      if (amount < 32) {
        cpu.shiftCarry = (value >>> (amount - 1)) & 1;
        return (value >>> amount) | 0;
      }
      cpu.shiftCarry = amount === 32 ? value >>> 31 : 0;
      return 0;
    case ASR:
      if (amount < 32) {
        cpu.shiftCarry = (value >> (amount - 1)) & 1;
        return value >> amount;
      }
      cpu.shiftCarry = value >>> 31;
      return value >> 31;
    default: {
      const rotation = amount & 31;
      const result = rotation === 0 ? value | 0 : (value >>> rotation) | (value << (32 - rotation));
      cpu.shiftCarry = result >>> 31;
      return result;
    }
  }
}

/** AddWithCarry: x + y + carry as int32, setting NZCV when `setFlags`. */
export function addWithCarry(cpu: Cpu, x: number, y: number, carry: number, setFlags: boolean): number {
  const unsigned = (x >>> 0) + (y >>> 0) + carry;
  const result = unsigned | 0;
  if (setFlags) {
    cpu.n = result >>> 31;
    cpu.z = result === 0 ? 1 : 0;
    cpu.c = unsigned > 0xffffffff ? 1 : 0;
    cpu.v = ((x ^ result) & (y ^ result)) >>> 31;
  }
  return result;
}

export function setNZ(cpu: Cpu, result: number): void {
  cpu.n = result >>> 31;
  cpu.z = result === 0 ? 1 : 0;
}

/** ThumbExpandImm_C's carry out for the 12-bit i:imm3:imm8: unchanged (-1) for the unrotated patterns. */
export function modImmCarry(imm12: number, value: number): number {
  return imm12 >> 10 === 0 ? -1 : value >>> 31;
}

/** SignedSatQ: `value` (a JS number) clamped to `bits`-bit signed; sets Q when it clamps. */
export function signedSat(cpu: Cpu, value: number, bits: number): number {
  const max = 2 ** (bits - 1) - 1;
  const min = -(2 ** (bits - 1));
  if (value > max) { cpu.q = 1; return max; }
  if (value < min) { cpu.q = 1; return min; }
  return value;
}

/** UnsignedSatQ: `value` clamped to 0 .. 2^bits - 1; sets Q when it clamps. */
export function unsignedSat(cpu: Cpu, value: number, bits: number): number {
  const max = 2 ** bits - 1;
  if (value > max) { cpu.q = 1; return max | 0; }
  if (value < 0) { cpu.q = 1; return 0; }
  return value;
}
