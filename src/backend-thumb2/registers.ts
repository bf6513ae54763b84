// ARMv7-M core registers: their UAL names and the roles the AAPCS and docs/abi.md give them.
//
// The register allocator reads the classes below; the printer reads the names. r9 is not
// allocatable: it holds the base of linear memory everywhere (docs/abi.md).

import { isSReg, LR, PC, R9, S_REG_BASE, SP, type Reg } from './mir.js';

/** Number of core registers (r0-r15). */
export const CORE_REG_COUNT = 16;

/** UAL names as the assembler and objdump spell them (sp, lr, pc for r13-r15). */
const REG_NAMES: readonly string[] = [
  'r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7',
  'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc',
];

export function regName(r: Reg): string {
  if (isSReg(r)) return `s${r - S_REG_BASE}`;
  const name = REG_NAMES[r];
  if (name === undefined) throw new RangeError(`not a physical register: ${r}`);
  return name;
}

/** Registers that carry the first four argument words and the result (caller-saved). */
export const ARGUMENT_REGS: readonly Reg[] = [0, 1, 2, 3];
/** r12 (IP) may be clobbered by linker veneers between caller and callee: caller-saved scratch. */
export const IP = 12;
/** Registers a callee must preserve (r9 is preserved too, but it is never allocated). */
export const CALLEE_SAVED_REGS: readonly Reg[] = [4, 5, 6, 7, 8, 10, 11];
/** Registers a call may clobber. */
export const CALLER_SAVED_REGS: readonly Reg[] = [0, 1, 2, 3, IP, LR];
/** Registers the allocator may hand out, cheapest (16-bit encodable low registers) first. */
export const ALLOCATABLE_REGS: readonly Reg[] = [0, 1, 2, 3, 4, 5, 6, 7, 12, 8, 10, 11, LR];
/** Registers with a fixed job: linear memory base, stack pointer, program counter. */
export const RESERVED_REGS: readonly Reg[] = [R9, SP, PC];

/** r0-r7: the registers most 16-bit encodings can name. */
export const isLowReg = (r: Reg): boolean => Number.isInteger(r) && r >= 0 && r <= 7;
export const isPhysicalReg = (r: Reg): boolean => Number.isInteger(r) && r >= 0 && r < CORE_REG_COUNT;
