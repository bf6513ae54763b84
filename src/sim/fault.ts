// Faults raised while an instruction executes: thrown by the memory system and the
// instruction semantics, caught by the machine's run loop, which turns them into exception
// entry (or escalation to HardFault, or lockup). They are rare, so throwing is fine; a
// JavaScript error of any other kind is the simulator's own bug.

/** Exception numbers (ARMv7-M ARM B1.5.2). */
export const EXC = {
  reset: 1, nmi: 2, hardFault: 3, memManage: 4, busFault: 5, usageFault: 6,
  svCall: 11, debugMonitor: 12, pendSV: 14, sysTick: 15, irq0: 16,
} as const;

/** CFSR bits (B3.2.15): MMFSR in 7:0, BFSR in 15:8, UFSR in 31:16. */
export const CFSR = {
  IACCVIOL: 1 << 0, DACCVIOL: 1 << 1, MMARVALID: 1 << 7,
  IBUSERR: 1 << 8, PRECISERR: 1 << 9, STKERR: 1 << 12, UNSTKERR: 1 << 11, BFARVALID: 1 << 15,
  UNDEFINSTR: 1 << 16, INVSTATE: 1 << 17, INVPC: 1 << 18, NOCP: 1 << 19, UNALIGNED: 1 << 24, DIVBYZERO: 1 << 25,
} as const;

/** HFSR bits (B3.2.16). */
export const HFSR = { VECTTBL: 1 << 1, FORCED: 1 << 30, DEBUGEVT: 1 << 31 } as const;

export class Fault {
  constructor(
    /** MemManage, BusFault, UsageFault or HardFault (EXC numbers). */
    readonly exception: number,
    /** The CFSR bits to set (or HFSR bits for a direct HardFault). */
    readonly status: number,
    /** The faulting address, for BFAR/MMFAR (with BFARVALID/MMARVALID in status). */
    readonly address?: number,
  ) {}
}

export const usageFault = (status: number): Fault => new Fault(EXC.usageFault, status);
export const busFault = (address: number, instruction: boolean): Fault =>
  instruction ? new Fault(EXC.busFault, CFSR.IBUSERR) : new Fault(EXC.busFault, CFSR.PRECISERR | CFSR.BFARVALID, address);
export const memManageFault = (address: number, instruction: boolean): Fault =>
  instruction ? new Fault(EXC.memManage, CFSR.IACCVIOL) : new Fault(EXC.memManage, CFSR.DACCVIOL | CFSR.MMARVALID, address);
