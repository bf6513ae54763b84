// The architectural state of an ARMv7-M core, as the instruction semantics see it.
//
// r[0..15] hold the registers (r[13] is the active stack pointer, r[15] is set to the
// instruction address + 4 before each instruction so operand reads of PC need no special
// case). Flags are separate 0/1 numbers, cheaper to set than bits of one word. What the
// semantics cannot do alone (exception entry and return, special registers, semihosting,
// sleeping) goes through `host`, which the machine implements.

import type { Fpu } from './fpu.js';
import type { Memory } from './memory.js';

export interface CpuHost {
  /** Load a value into PC as BX/POP/LDR do: interworking and exception return (EXC_RETURN). */
  loadWritePc(cpu: Cpu, value: number): void;
  readSpecial(cpu: Cpu, sysm: number): number;
  writeSpecial(cpu: Cpu, sysm: number, value: number): void;
  /** CPSIE/CPSID: `disable` true for CPSID; `flags` bit 1 = I (PRIMASK), bit 0 = F (FAULTMASK). */
  changeProcessorState(cpu: Cpu, disable: boolean, flags: number): void;
  bkpt(cpu: Cpu, imm: number): void;
  svc(cpu: Cpu, imm: number): void;
  waitForInterrupt(cpu: Cpu): void;
  /** CCR bits the semantics need (UNALIGN_TRP bit 3, DIV_0_TRP bit 4). */
  readonly ccr: number;
}

export const CCR_UNALIGN_TRP = 1 << 3;
export const CCR_DIV_0_TRP = 1 << 4;
export const CCR_STKALIGN = 1 << 9;

export class Cpu {
  readonly r = new Int32Array(16);
  n = 0;
  z = 0;
  c = 0;
  v = 0;
  q = 0;
  /** ITSTATE as firstcond:mask (A7.3.3); 0 outside IT blocks. */
  itstate = 0;
  /** The executing instruction is inside an IT block (16-bit data processing then keeps flags). */
  inIT = false;
  /** Address of the next instruction to execute; semantics that branch set it. */
  pc = 0;
  /** IPSR: the active exception number, 0 in Thread mode. */
  ipsr = 0;
  /** CONTROL.SPSEL: Thread mode uses PSP when 1. */
  spsel = 0;
  /** CONTROL.nPRIV. */
  npriv = 0;
  /** The banked stack pointer that is not in r[13]. */
  otherSp = 0;
  primask = 0;
  faultmask = 0;
  basepri = 0;
  /** Address held by the local exclusive monitor, -1 when open. */
  exclusive = -1;
  /** Set by semantics that change what the run loop must check (interrupt masks, sleep, exit). */
  attention = false;
  /** The Thumb bit of the last interworking branch was 0: the next instruction faults (INVSTATE). */
  thumbClear = false;
  /** Scratch: the shifter's carry out, written by shiftWithCarry. */
  shiftCarry = 0;
  /** The FPv4-SP unit of a Cortex-M4F; undefined on cores without one (FP instructions: NOCP). */
  fpu: Fpu | undefined = undefined;

  constructor(readonly mem: Memory, readonly host: CpuHost) {}

  /** Whether Thread mode is running on PSP (so r[13] is PSP). */
  get usesPsp(): boolean {
    return this.ipsr === 0 && this.spsel === 1;
  }

  get msp(): number {
    return this.usesPsp ? this.otherSp : this.r[13]!;
  }
  set msp(value: number) {
    if (this.usesPsp) this.otherSp = value & ~3;
    else this.r[13] = value & ~3;
  }
  get psp(): number {
    return this.usesPsp ? this.r[13]! : this.otherSp;
  }
  set psp(value: number) {
    if (this.usesPsp) this.r[13] = value & ~3;
    else this.otherSp = value & ~3;
  }

  /** APSR flags as bits 31:27. */
  get apsr(): number {
    return ((this.n << 31) | (this.z << 30) | (this.c << 29) | (this.v << 28) | (this.q << 27)) >>> 0;
  }
  set apsr(value: number) {
    this.n = (value >>> 31) & 1;
    this.z = (value >>> 30) & 1;
    this.c = (value >>> 29) & 1;
    this.v = (value >>> 28) & 1;
    this.q = (value >>> 27) & 1;
  }

  /** xPSR: APSR flags, ITSTATE in 26:25 and 15:10, the T bit, IPSR. */
  get xpsr(): number {
    const it = this.itstate;
    return (this.apsr | ((it & 3) << 25) | ((it >> 2) << 10) | (1 << 24) | this.ipsr) >>> 0;
  }
}

/** ConditionPassed for a 4-bit condition code (A7.3.1). */
export function conditionPassed(cpu: Cpu, cond: number): boolean {
  let result: boolean;
  switch (cond >> 1) {
    case 0: result = cpu.z === 1; break;
    case 1: result = cpu.c === 1; break;
    case 2: result = cpu.n === 1; break;
    case 3: result = cpu.v === 1; break;
    case 4: result = cpu.c === 1 && cpu.z === 0; break;
    case 5: result = cpu.n === cpu.v; break;
    case 6: result = cpu.n === cpu.v && cpu.z === 0; break;
    default: return true;
  }
  return (cond & 1) === 1 ? !result : result;
}

/** ITAdvance (A7.3.3). */
export function itAdvance(itstate: number): number {
  return (itstate & 7) === 0 ? 0 : (itstate & 0xe0) | ((itstate << 1) & 0x1f);
}
