// The System Control Space at 0xE000E000: SysTick, the NVIC and the System Control Block
// (ARMv7-M ARM B3.2-B3.4), with the state the exception model reads: pending and active
// exceptions, enables and priorities, fault status registers, VTOR, CCR; on a Cortex-M4F
// also CPACR and the FPU's FPCCR, FPCAR, FPDSCR and MVFR0/1 (B3.2.20-B3.2.24), kept in Fpu.
//
// Reset values as QEMU 7.2 gives a Cortex-M3 (CPUID 0x410fc231, CCR.STKALIGN set) or a
// Cortex-M4 (CPUID 0x410fc241).

import { CCR_STKALIGN } from './cpu.js';
import { EXC } from './fault.js';
import { FPDSCR_WRITABLE, type Fpu } from './fpu.js';
import type { Device } from './memory.js';

export const SCS_BASE = 0xe000e000;
export const SCS_SIZE = 0x1000;

export const CPUID_CORTEX_M3 = 0x410fc231;
export const CPUID_CORTEX_M4 = 0x410fc241;
/** Media and VFP Feature Registers of FPv4-SP (Cortex-M4 TRM 7.3). */
const MVFR0_FPV4_SP = 0x10110021;
const MVFR1_FPV4_SP = 0x11000011;
/** CPACR: only CP10 and CP11 (bits 23:20) are implemented. */
const CPACR_CP10_CP11 = 0x00f00000;
/** FPCCR: ASPEN, LSPEN and the lazy-stacking status bits. */
const FPCCR_WRITABLE = 0xc000017b | 0;
const AIRCR_VECTKEY = 0x05fa;
const ICSR_PENDSTSET = 1 << 26;
const ICSR_PENDSTCLR = 1 << 25;
const ICSR_PENDSVSET = 1 << 28;
const ICSR_PENDSVCLR = 1 << 27;
const ICSR_NMIPENDSET = 1 << 31;

export class SystemControl implements Device {
  readonly exceptionCount: number;
  readonly pending: Uint8Array;
  readonly active: Uint8Array;
  /** NVIC enable bit per IRQ. */
  readonly enabled: Uint8Array;
  /** Priority byte per exception number (system handlers from SHPR, IRQs from NVIC_IPR). */
  readonly priority: Uint8Array;
  vtor = 0;
  ccr = CCR_STKALIGN;
  shcsr = 0;
  cfsr = 0;
  hfsr = 0;
  mmfar = 0;
  bfar = 0;
  prigroup = 0;
  scr = 0;
  /** CPACR of a core without an FPU (with one, Fpu.cpacr). */
  cpacr = 0;
  cpuid = CPUID_CORTEX_M3;
  /** The FPU whose system registers live here (a Cortex-M4F). */
  fpu: Fpu | undefined = undefined;
  systick = { csr: 0, rvr: 0, cvr: 0 };
  /** Set when the core should re-check for exceptions to take (or stop, on SYSRESETREQ). */
  onChange: () => void = () => {};
  resetRequested = false;

  constructor(readonly irqCount: number) {
    this.exceptionCount = 16 + irqCount;
    this.pending = new Uint8Array(this.exceptionCount);
    this.active = new Uint8Array(this.exceptionCount);
    this.enabled = new Uint8Array(irqCount);
    this.priority = new Uint8Array(this.exceptionCount);
  }

  /** Whether exception `n` may be taken when pending: system exceptions always, IRQs when enabled. */
  isEnabled(n: number): boolean {
    return n < 16 || this.enabled[n - 16] === 1;
  }

  /** Fixed priorities of Reset, NMI, HardFault; the programmed byte for the rest. */
  priorityOf(n: number): number {
    if (n <= EXC.hardFault) return n - 4;
    return this.priority[n] ?? 0;
  }

  /** The group priority (PRIGROUP splits off the subpriority bits). */
  groupPriority(n: number): number {
    const p = this.priorityOf(n);
    if (p < 0) return p;
    return p & ~((2 << this.prigroup) - 1) & 0xff;
  }

  setPending(n: number, pending: boolean): void {
    if (n >= this.exceptionCount) return;
    this.pending[n] = pending ? 1 : 0;
    if (pending) this.onChange();
  }

  // ---------------------------------------------------------------- SysTick

  /** Cycles until SysTick next reaches zero (Infinity when disabled). */
  cyclesToSysTickEvent(): number {
    const t = this.systick;
    if ((t.csr & 1) === 0) return Infinity;
    return t.cvr === 0 ? t.rvr + 1 : t.cvr;
  }

  /** Advance SysTick by `cycles` processor clocks (CLKSOURCE is the processor clock either way here). */
  advanceSysTick(cycles: number): void {
    const t = this.systick;
    if ((t.csr & 1) === 0 || cycles <= 0) return;
    let remaining = cycles;
    // A count of 0 reloads on the next clock; reaching 0 from 1 sets COUNTFLAG and may interrupt.
    while (remaining > 0) {
      if (t.cvr === 0) {
        if (t.rvr === 0) return;
        t.cvr = t.rvr;
        remaining--;
        continue;
      }
      if (remaining < t.cvr) {
        t.cvr -= remaining;
        return;
      }
      remaining -= t.cvr;
      t.cvr = 0;
      t.csr |= 1 << 16;
      if ((t.csr & 2) !== 0) this.setPending(EXC.sysTick, true);
      // Whole periods at once: only the last wrap matters for the pending bit.
      const period = t.rvr + 1;
      if (remaining > period) remaining = ((remaining - 1) % period) + 1;
    }
  }

  // ---------------------------------------------------------------- registers

  read(offset: number, size: number): number {
    const word = this.readWord(offset & ~3);
    if (size === 4) return word | 0;
    const shift = (offset & 3) * 8;
    return (word >>> shift) & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, value: number, size: number): void {
    // Byte writes matter for the priority registers; others are word registers.
    if (size !== 4 && !(offset >= 0x400 && offset < 0x400 + this.irqCount) && !(offset >= 0xd18 && offset < 0xd24)) {
      const shift = (offset & 3) * 8;
      const old = this.readWord(offset & ~3);
      const mask = (size === 2 ? 0xffff : 0xff) << shift;
      this.writeWord(offset & ~3, (old & ~mask) | ((value << shift) & mask));
      return;
    }
    if (offset >= 0x400 && offset < 0x400 + this.irqCount + 3 || (offset >= 0xd18 && offset < 0xd24)) {
      for (let i = 0; i < size; i++) this.writePriorityByte(offset + i, (value >>> (8 * i)) & 0xff);
      this.onChange();
      return;
    }
    this.writeWord(offset, value);
  }

  private writePriorityByte(offset: number, byte: number): void {
    if (offset >= 0x400 && offset < 0x400 + this.irqCount) this.priority[16 + offset - 0x400] = byte;
    else if (offset >= 0xd18 && offset < 0xd24) this.priority[4 + offset - 0xd18] = byte;
  }

  private bitsOf(array: Uint8Array, first: number, word: number): number {
    let bits = 0;
    for (let i = 0; i < 32; i++) if (array[first + word * 32 + i] === 1) bits |= 1 << i;
    return bits >>> 0;
  }

  private readWord(offset: number): number {
    const t = this.systick;
    if (offset >= 0x100 && offset < 0x180) return this.bitsOf(this.enabled, 0, (offset - 0x100) >> 2);
    if (offset >= 0x180 && offset < 0x200) return this.bitsOf(this.enabled, 0, (offset - 0x180) >> 2);
    if (offset >= 0x200 && offset < 0x280) return this.bitsOf(this.pending, 16, (offset - 0x200) >> 2);
    if (offset >= 0x280 && offset < 0x300) return this.bitsOf(this.pending, 16, (offset - 0x280) >> 2);
    if (offset >= 0x300 && offset < 0x380) return this.bitsOf(this.active, 16, (offset - 0x300) >> 2);
    if (offset >= 0x400 && offset < 0x5f0) return this.priorityWord(16 + offset - 0x400);
    if (offset >= 0xd18 && offset < 0xd24) return this.priorityWord(4 + offset - 0xd18);
    switch (offset) {
      case 0x004: return Math.ceil(this.irqCount / 32) - 1; // ICTR
      case 0x010: {
        const value = t.csr;
        t.csr &= ~(1 << 16); // COUNTFLAG clears on read
        return value;
      }
      case 0x014: return t.rvr;
      case 0x018: return t.cvr;
      case 0x01c: return 0; // CALIB: no reference clock, TENMS unknown
      case 0xd00: return this.cpuid;
      case 0xd04: return this.icsr();
      case 0xd08: return this.vtor;
      case 0xd0c: return ((AIRCR_VECTKEY ^ 0xffff) << 16 | (this.prigroup << 8)) >>> 0;
      case 0xd10: return this.scr;
      case 0xd14: return this.ccr;
      case 0xd24: return this.shcsr | this.shcsrActiveBits();
      case 0xd28: return this.cfsr >>> 0;
      case 0xd2c: return this.hfsr >>> 0;
      case 0xd34: return this.mmfar >>> 0;
      case 0xd38: return this.bfar >>> 0;
      case 0xd88: return this.fpu?.cpacr ?? this.cpacr;
      default: return this.readFpuRegister(offset);
    }
  }

  private readFpuRegister(offset: number): number {
    const fpu = this.fpu;
    if (fpu === undefined) return 0;
    switch (offset) {
      case 0xf34: return fpu.fpccr >>> 0;
      case 0xf38: return fpu.fpcar >>> 0;
      case 0xf3c: return fpu.fpdscr;
      case 0xf40: return MVFR0_FPV4_SP;
      case 0xf44: return MVFR1_FPV4_SP;
      default: return 0;
    }
  }

  private writeFpuRegister(offset: number, value: number): void {
    const fpu = this.fpu;
    if (fpu === undefined) return;
    switch (offset) {
      case 0xf34: fpu.fpccr = value & FPCCR_WRITABLE; break;
      case 0xf38: fpu.fpcar = value & ~7; break;
      case 0xf3c: fpu.fpdscr = value & FPDSCR_WRITABLE; break;
      default: break;
    }
  }

  private priorityWord(first: number): number {
    let word = 0;
    for (let i = 0; i < 4; i++) word |= (this.priority[first + i] ?? 0) << (8 * i);
    return word >>> 0;
  }

  private shcsrActiveBits(): number {
    const a = this.active;
    const p = this.pending;
    return (a[EXC.memManage]! << 0) | (a[EXC.busFault]! << 1) | (a[EXC.usageFault]! << 3) | (a[EXC.svCall]! << 7) |
      (a[EXC.debugMonitor]! << 8) | (a[EXC.pendSV]! << 10) | (a[EXC.sysTick]! << 11) |
      (p[EXC.usageFault]! << 12) | (p[EXC.memManage]! << 13) | (p[EXC.busFault]! << 14) | (p[EXC.svCall]! << 15);
  }

  private icsr(): number {
    let pendingVector = 0;
    for (let n = 2; n < this.exceptionCount; n++) if (this.pending[n] === 1) { pendingVector = n; break; }
    let activeCount = 0;
    let activeVector = 0;
    for (let n = 1; n < this.exceptionCount; n++) if (this.active[n] === 1) { activeCount++; activeVector = n; }
    return ((this.pending[EXC.nmi]! << 31) | (this.pending[EXC.pendSV]! << 28) | (this.pending[EXC.sysTick]! << 26) |
      (pendingVector << 12) | (activeCount <= 1 ? 1 << 11 : 0) | activeVector) >>> 0;
  }

  private setBits(array: Uint8Array, first: number, word: number, value: number, to: 0 | 1): void {
    for (let i = 0; i < 32; i++) {
      const index = first + word * 32 + i;
      if (((value >>> i) & 1) === 1 && index < array.length) array[index] = to;
    }
  }

  private writeWord(offset: number, value: number): void {
    const t = this.systick;
    if (offset >= 0x100 && offset < 0x180) this.setBits(this.enabled, 0, (offset - 0x100) >> 2, value, 1);
    else if (offset >= 0x180 && offset < 0x200) this.setBits(this.enabled, 0, (offset - 0x180) >> 2, value, 0);
    else if (offset >= 0x200 && offset < 0x280) this.setBits(this.pending, 16, (offset - 0x200) >> 2, value, 1);
    else if (offset >= 0x280 && offset < 0x300) this.setBits(this.pending, 16, (offset - 0x280) >> 2, value, 0);
    else if (offset === 0xf00) this.setPending(16 + (value & 0x1ff), true); // STIR
    else {
      switch (offset) {
        case 0x010: t.csr = (t.csr & (1 << 16)) | (value & 7); break;
        case 0x014: t.rvr = value & 0xffffff; break;
        case 0x018: t.cvr = 0; t.csr &= ~(1 << 16); break;
        case 0xd04: this.writeIcsr(value); break;
        case 0xd08: this.vtor = value & 0xffffff80; break;
        case 0xd0c:
          if (value >>> 16 === AIRCR_VECTKEY) {
            this.prigroup = (value >> 8) & 7;
            if ((value & 4) !== 0) this.resetRequested = true;
          }
          break;
        case 0xd10: this.scr = value & 0x16; break;
        case 0xd14: this.ccr = (value & 0x31b) | CCR_STKALIGN; break;
        case 0xd24: this.shcsr = value & 0x70000; break;
        case 0xd28: this.cfsr &= ~value; break;
        case 0xd2c: this.hfsr &= ~value; break;
        case 0xd34: this.mmfar = value; break;
        case 0xd38: this.bfar = value; break;
        case 0xd88:
          if (this.fpu !== undefined) this.fpu.cpacr = value & CPACR_CP10_CP11;
          else this.cpacr = value;
          break;
        default: this.writeFpuRegister(offset, value); break;
      }
    }
    this.onChange();
  }

  private writeIcsr(value: number): void {
    if ((value & ICSR_NMIPENDSET) !== 0) this.setPending(EXC.nmi, true);
    if ((value & ICSR_PENDSVSET) !== 0) this.setPending(EXC.pendSV, true);
    if ((value & ICSR_PENDSVCLR) !== 0) this.pending[EXC.pendSV] = 0;
    if ((value & ICSR_PENDSTSET) !== 0) this.setPending(EXC.sysTick, true);
    if ((value & ICSR_PENDSTCLR) !== 0) this.pending[EXC.sysTick] = 0;
  }
}
