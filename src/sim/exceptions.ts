// The ARMv7-M exception model (ARMv7-M ARM B1.5): priorities, entry with the 8-word
// stacked frame and EXC_RETURN, return, fault escalation to HardFault and lockup.
//
// With an FPU whose context is active (CONTROL.FPCA), entry pushes the extended 26-word
// frame (S0-S15 and FPSCR above the basic frame) and clears EXC_RETURN bit 4; return
// restores them when that bit is 0 and sets FPCA to its inverse. The Cortex-M4 stacks
// the FP registers lazily (FPCCR.LSPEN: space reserved at entry, written at the handler's
// first FP instruction); we write them at entry. The frame's layout and size, SP, FPCAR
// and what the handler and the interrupted code see are the same; only the reserved words
// of a handler that never uses the FPU differ (written here, left stale on the M4).

import { type Cpu } from './cpu.js';
import { CFSR, EXC, Fault, HFSR } from './fault.js';
import type { Fpu } from './fpu.js';
import type { SystemControl } from './system-control.js';

/** Lowest possible priority + 1: Thread mode with nothing active and no mask. */
const THREAD_PRIORITY = 256;
/** Stacked frame sizes: R0-R3, R12, LR, PC, xPSR; extended with S0-S15, FPSCR and a reserved word. */
const BASIC_FRAME = 0x20;
const EXTENDED_FRAME = 0x68;
/** EXC_RETURN bit 4: 0 when the frame is extended. */
const EXC_RETURN_BASIC_FRAME = 1 << 4;

/** Lockup: a fault the core cannot escalate (in HardFault or NMI). The machine stops. */
export class Lockup {
  constructor(readonly pc: number, readonly reason: string) {}
}

export class ExceptionModel {
  constructor(private readonly cpu: Cpu, private readonly scs: SystemControl) {}

  /** The current execution priority (B1.5.4): active exceptions' group priorities and the masks. */
  executionPriority(ignorePrimask = false): number {
    const { cpu, scs } = this;
    let priority = THREAD_PRIORITY;
    for (let n = 1; n < scs.exceptionCount; n++) {
      if (scs.active[n] === 1) priority = Math.min(priority, scs.groupPriority(n));
    }
    if (cpu.basepri !== 0) priority = Math.min(priority, cpu.basepri & ~((2 << scs.prigroup) - 1) & 0xff);
    if (cpu.primask !== 0 && !ignorePrimask) priority = Math.min(priority, 0);
    if (cpu.faultmask !== 0) priority = Math.min(priority, -1);
    return priority;
  }

  /** The pending, enabled exception that would preempt now, or 0. */
  pendingToTake(ignorePrimask = false): number {
    const { scs } = this;
    let best = 0;
    let bestPriority = this.executionPriority(ignorePrimask);
    for (let n = 2; n < scs.exceptionCount; n++) {
      if (scs.pending[n] !== 1 || !scs.isEnabled(n)) continue;
      const p = scs.groupPriority(n);
      if (p < bestPriority) {
        best = n;
        bestPriority = p;
      }
    }
    return best;
  }

  /**
   * Whether a pending exception wakes a WFI: one that would preempt were PRIMASK clear
   * (ARMv7-M B1.5.19), so `cpsid i; wfi` wakes and runs on without taking it.
   */
  wakesFromSleep(): boolean {
    return this.pendingToTake(true) !== 0;
  }

  /**
   * Take a fault raised by the instruction at cpu.pc: record its status, escalate to
   * HardFault when its handler is disabled or cannot preempt, and enter the handler.
   * Throws Lockup when even HardFault cannot be taken.
   */
  takeFault(fault: Fault): void {
    const { scs, cpu } = this;
    let target = fault.exception;
    if (target === EXC.hardFault) scs.hfsr |= fault.status;
    else {
      scs.cfsr |= fault.status;
      if ((fault.status & CFSR.BFARVALID) !== 0) scs.bfar = fault.address ?? 0;
      if ((fault.status & CFSR.MMARVALID) !== 0) scs.mmfar = fault.address ?? 0;
      const enableBit = target === EXC.memManage ? 16 : target === EXC.busFault ? 17 : 18;
      if ((scs.shcsr & (1 << enableBit)) === 0 || scs.groupPriority(target) >= this.executionPriority()) {
        target = EXC.hardFault;
        scs.hfsr |= HFSR.FORCED;
      }
    }
    if (target === EXC.hardFault && this.executionPriority() <= -1) {
      throw new Lockup(cpu.pc, `fault (exception ${fault.exception}, status 0x${(fault.status >>> 0).toString(16)}) in a handler of priority ${this.executionPriority()}`);
    }
    this.enter(target, cpu.pc);
  }

  /** Exception entry (B1.5.6): push the frame, set LR to EXC_RETURN, jump to the vector. */
  enter(n: number, returnAddress: number): void {
    const { cpu, scs } = this;
    const fpu = cpu.fpu;
    const extended = fpu !== undefined && fpu.fpca === 1;
    const frameAlign = (cpu.r[13]! >>> 2) & 1;
    const frame = ((cpu.r[13]! - (extended ? EXTENDED_FRAME : BASIC_FRAME)) & ~(frameAlign << 2)) | 0;
    const xpsr = (cpu.xpsr & ~(1 << 9)) | (frameAlign << 9);
    const values = [cpu.r[0]!, cpu.r[1]!, cpu.r[2]!, cpu.r[3]!, cpu.r[12]!, cpu.r[14]!, returnAddress & ~1, xpsr];
    if (extended) values.push(...fpContext(fpu));
    try {
      for (let i = 0; i < values.length; i++) cpu.mem.write32(frame + 4 * i, values[i]!);
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      scs.cfsr |= CFSR.STKERR;
      if (n === EXC.hardFault || this.executionPriority() <= -1) throw new Lockup(returnAddress, `stacking for exception ${n} failed at sp=0x${(frame >>> 0).toString(16)}`);
      scs.hfsr |= HFSR.FORCED;
      this.enter(EXC.hardFault, returnAddress);
      return;
    }
    cpu.r[13] = frame;
    const excReturn = cpu.ipsr !== 0 ? 0xfffffff1 | 0 : cpu.spsel === 1 ? 0xfffffffd | 0 : 0xfffffff9 | 0;
    cpu.r[14] = extended ? excReturn & ~EXC_RETURN_BASIC_FRAME : excReturn;
    if (fpu !== undefined) {
      if (extended) fpu.fpcar = frame + BASIC_FRAME;
      fpu.fpca = 0;
    }
    // Handler mode always runs on MSP.
    if (cpu.usesPsp) {
      const psp = cpu.r[13]!;
      cpu.r[13] = cpu.otherSp;
      cpu.otherSp = psp;
    }
    cpu.ipsr = n;
    cpu.itstate = 0;
    cpu.exclusive = -1;
    scs.pending[n] = 0;
    scs.active[n] = 1;
    let vector: number;
    try {
      vector = cpu.mem.read32((scs.vtor + 4 * n) | 0);
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      if (n === EXC.hardFault) throw new Lockup(returnAddress, `cannot read the vector of exception ${n}`);
      scs.hfsr |= HFSR.VECTTBL;
      this.enter(EXC.hardFault, returnAddress);
      return;
    }
    cpu.pc = vector & ~1;
    cpu.thumbClear = (vector & 1) === 0;
    cpu.attention = true;
  }

  /** Exception return (B1.5.8) on loading an EXC_RETURN value into PC in Handler mode. */
  exit(excReturn: number): void {
    const { cpu, scs } = this;
    const kind = excReturn & 0xf;
    const fpu = cpu.fpu;
    const extended = (excReturn & EXC_RETURN_BASIC_FRAME) === 0;
    if ((excReturn & 0x0fffffe0) !== 0x0fffffe0 || (kind !== 1 && kind !== 9 && kind !== 13) || (extended && fpu === undefined)) {
      throw new Fault(EXC.usageFault, CFSR.INVPC);
    }
    scs.active[cpu.ipsr] = 0;
    const toThread = kind !== 1;
    const toPsp = kind === 13;
    // Handler mode is on MSP (r[13]); pick the stack the frame is on.
    if (toPsp) {
      const msp = cpu.r[13]!;
      cpu.r[13] = cpu.otherSp;
      cpu.otherSp = msp;
    }
    cpu.spsel = toPsp ? 1 : 0;
    const frame = cpu.r[13]!;
    let values: number[];
    try {
      values = Array.from({ length: extended ? 26 : 8 }, (_, i) => cpu.mem.read32((frame + 4 * i) | 0));
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      throw new Fault(EXC.busFault, CFSR.UNSTKERR);
    }
    const xpsr = values[7]! >>> 0;
    for (const [i, r] of [0, 1, 2, 3, 12, 14].entries()) cpu.r[r] = values[i]!;
    if (fpu !== undefined) {
      if (extended) restoreFpContext(fpu, values.slice(8));
      fpu.fpca = extended ? 1 : 0;
    }
    cpu.r[13] = (frame + (extended ? EXTENDED_FRAME : BASIC_FRAME) + ((xpsr >>> 9) & 1) * 4) | 0;
    cpu.apsr = xpsr;
    cpu.itstate = ((xpsr >>> 25) & 3) | (((xpsr >>> 10) & 0x3f) << 2);
    cpu.ipsr = toThread ? 0 : xpsr & 0x1ff;
    cpu.pc = values[6]! & ~1;
    cpu.exclusive = -1;
    cpu.attention = true;
  }
}

/** The extended frame's FP words: S0-S15, FPSCR, a reserved word. */
function fpContext(fpu: Fpu): number[] {
  return [...fpu.s.subarray(0, 16), fpu.fpscr, 0];
}

function restoreFpContext(fpu: Fpu, words: readonly number[]): void {
  for (let i = 0; i < 16; i++) fpu.s[i] = words[i]!;
  fpu.fpscr = words[16]!;
}
