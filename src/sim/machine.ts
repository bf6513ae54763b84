// The simulated board: a Cortex-M core, the board's memory map and its peripherals,
// running a linked firmware image. `run` executes until the firmware exits (semihosting),
// locks up, sleeps with nothing to wake it, or reaches the instruction limit.
//
// The run loop executes pre-decoded closures in chunks; between chunks it advances
// SysTick and takes pending exceptions. Anything that changes what may be taken (a write
// to the NVIC or SCB, CPSIE, an exception return) sets cpu.attention to end the chunk.

import { InternalError } from '../diagnostics/errors.js';
import type { Board } from '../driver/board.js';
import { type Cpu as CpuType, Cpu, type CpuHost, conditionPassed, itAdvance } from './cpu.js';
import { DecodeCache } from './decode-cache.js';
import type { ElfImage } from './elf-image.js';
import { ExceptionModel, Lockup } from './exceptions.js';
import { EXC, Fault, HFSR } from './fault.js';
import { type DeviceMapping, Memory } from './memory.js';
import { semihostingCall } from './semihosting.js';
import { SCS_BASE, SCS_SIZE, SystemControl } from './system-control.js';
import { CmsdkUart, Pl011, type UartPorts } from './uart.js';

/** How a run ended. */
export type StopReason =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'limit' }
  | { readonly kind: 'lockup'; readonly pc: number; readonly message: string }
  | { readonly kind: 'sleep'; readonly pc: number }
  | { readonly kind: 'error'; readonly pc: number; readonly message: string };

export interface MachineOptions {
  /** Console UART output. */
  readonly onConsole: (bytes: Uint8Array) => void;
  /** Semihosting output (QEMU prints it on its stderr). */
  readonly onSemihosting?: (bytes: Uint8Array) => void;
}

/** IRQ lines the NVIC implements: covers both boards' vector tables (runtime-c fills 48). */
const IRQ_COUNT = 64;
/** Console UART interrupt lines per kind (QEMU: lm3s6965 UART0 is IRQ 5; mps2 UART0 RX 0, TX 1). */
const UART_IRQS: Readonly<Record<Board['console']['kind'], { tx: number; rx: number }>> = {
  'pl011': { tx: 5, rx: 5 },
  'cmsdk-uart': { tx: 1, rx: 0 },
};
/** Instructions per chunk of the inner loop between checks of timers. */
const CHUNK = 1 << 16;

export class Machine implements CpuHost {
  readonly mem: Memory;
  readonly cpu: CpuType;
  readonly scs: SystemControl;
  readonly cache: DecodeCache;
  private readonly exceptions: ExceptionModel;
  /** Instructions executed (retired or skipped by a failed IT condition). */
  instructions = 0;
  private stop: StopReason | undefined;
  private svcPending = false;
  private sleeping = false;

  constructor(readonly board: Board, image: ElfImage, private readonly options: MachineOptions) {
    this.scs = new SystemControl(IRQ_COUNT);
    const irqs = UART_IRQS[board.console.kind];
    const ports: UartPorts = {
      transmit: (byte) => options.onConsole(Uint8Array.of(byte)),
      irq: (line, level) => { if (level) this.scs.setPending(16 + irqs[line], true); },
    };
    const uart = board.console.kind === 'pl011' ? new Pl011(ports) : new CmsdkUart(ports);
    const devices: DeviceMapping[] = [
      { base: board.console.base, size: 0x1000, device: uart },
      { base: SCS_BASE, size: SCS_SIZE, device: this.scs },
    ];
    this.mem = new Memory(board.flash.origin, board.flash.size, board.ram.origin, board.ram.size, devices);
    for (const segment of image.segments) {
      if (!this.mem.load(segment.address, segment.bytes)) {
        throw new InternalError('sim loader', `segment at 0x${segment.address.toString(16)} (${segment.bytes.length} bytes) is outside ${board.name}'s flash and RAM`);
      }
    }
    this.cpu = new Cpu(this.mem, this);
    this.cache = new DecodeCache(this.mem);
    this.exceptions = new ExceptionModel(this.cpu, this.scs);
    this.scs.onChange = () => { this.cpu.attention = true; };
    this.reset();
  }

  get ccr(): number {
    return this.scs.ccr;
  }

  /** Reset: SP and PC from the vector table at 0 (as QEMU loads an M-profile kernel). */
  private reset(): void {
    const cpu = this.cpu;
    cpu.r[13] = this.mem.read32(this.scs.vtor) & ~3;
    const pc = this.mem.read32(this.scs.vtor + 4);
    cpu.pc = pc & ~1;
    cpu.thumbClear = (pc & 1) === 0;
    cpu.r[14] = -1;
  }

  /** Run until the firmware stops or `maxInstructions` have executed in total. */
  run(maxInstructions: number): StopReason {
    while (this.stop === undefined) {
      if (this.instructions >= maxInstructions) return { kind: 'limit' };
      try {
        this.service();
        if (this.stop !== undefined) break;
        const budget = Math.min(maxInstructions - this.instructions, CHUNK, this.scs.cyclesToSysTickEvent());
        const executed = this.runChunk(Math.max(1, budget));
        this.instructions += executed;
        this.scs.advanceSysTick(executed);
      } catch (e) {
        if (e instanceof Lockup) this.stop = { kind: 'lockup', pc: e.pc, message: e.reason };
        else if (e instanceof Fault) this.stop = { kind: 'error', pc: this.cpu.pc, message: `unexpected fault outside an instruction (exception ${e.exception})` };
        else throw e;
      }
    }
    return this.stop;
  }

  /** Between chunks: invalid Thumb state, SVC, pending exceptions, sleep. */
  private service(): void {
    const cpu = this.cpu;
    if (this.scs.resetRequested) {
      this.stop = { kind: 'error', pc: cpu.pc, message: 'the firmware requested a system reset (AIRCR.SYSRESETREQ)' };
      return;
    }
    if (cpu.thumbClear) {
      cpu.thumbClear = false;
      this.exceptions.takeFault(new Fault(EXC.usageFault, 1 << 17));
    }
    if (this.svcPending) {
      this.svcPending = false;
      if (this.scs.groupPriority(EXC.svCall) >= this.exceptions.executionPriority()) {
        // SVC is synchronous: it escalates like a fault, with the SVC as the faulting instruction.
        cpu.pc -= 2;
        this.exceptions.takeFault(new Fault(EXC.hardFault, HFSR.FORCED));
      } else this.exceptions.enter(EXC.svCall, cpu.pc);
    }
    const n = this.exceptions.pendingToTake();
    if (n !== 0) {
      this.sleeping = false;
      this.exceptions.enter(n, cpu.pc);
      return;
    }
    if (this.sleeping) this.sleepUntilEvent();
  }

  /** WFI with nothing pending: skip to SysTick's next event, or stop if nothing can wake the core. */
  private sleepUntilEvent(): void {
    const cycles = this.scs.cyclesToSysTickEvent();
    const tickInterrupts = (this.scs.systick.csr & 2) !== 0;
    if (!Number.isFinite(cycles) || !tickInterrupts) {
      this.stop = { kind: 'sleep', pc: this.cpu.pc };
      return;
    }
    this.scs.advanceSysTick(cycles);
    if (this.exceptions.pendingToTake() === 0) return; // masked: keep sleeping on the next service
    this.sleeping = false;
  }

  private runChunk(budget: number): number {
    const cpu = this.cpu;
    const r = cpu.r;
    const cache = this.cache;
    let executed = 0;
    let pc = cpu.pc;
    let it = 0;
    cpu.attention = false;
    try {
      while (executed < budget) {
        pc = cpu.pc;
        const entry = cache.lookup(pc);
        executed++;
        r[15] = pc + 4;
        cpu.pc = pc + entry.size;
        it = cpu.itstate;
        if (it !== 0) {
          cpu.itstate = itAdvance(it);
          if (conditionPassed(cpu, it >> 4)) {
            cpu.inIT = true;
            entry.exec(cpu);
            cpu.inIT = false;
          }
        } else entry.exec(cpu);
        if (cpu.attention) break;
      }
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      // A fault: the instruction did not complete; the frame returns to it.
      cpu.inIT = false;
      cpu.pc = pc;
      cpu.itstate = it;
      this.exceptions.takeFault(e);
    }
    return executed;
  }

  // ---------------------------------------------------------------- CpuHost

  loadWritePc(cpu: CpuType, value: number): void {
    if (cpu.ipsr !== 0 && value >>> 28 === 0xf) {
      this.exceptions.exit(value);
      return;
    }
    cpu.pc = value & ~1;
    if ((value & 1) === 0) {
      cpu.thumbClear = true;
      cpu.attention = true;
    }
  }

  readSpecial(cpu: CpuType, sysm: number): number {
    if (sysm < 8) return ((sysm & 4) === 0 ? cpu.apsr : 0) | ((sysm & 1) !== 0 ? cpu.ipsr : 0);
    switch (sysm) {
      case 8: return cpu.msp;
      case 9: return cpu.psp;
      case 16: return cpu.primask;
      case 17: case 18: return cpu.basepri;
      case 19: return cpu.faultmask;
      case 20: return (cpu.spsel << 1) | cpu.npriv;
      default: return 0;
    }
  }

  writeSpecial(cpu: CpuType, sysm: number, value: number): void {
    if (sysm < 4) {
      cpu.apsr = value & 0xf8000000;
      return;
    }
    switch (sysm) {
      case 8: cpu.msp = value; break;
      case 9: cpu.psp = value; break;
      case 16: cpu.primask = value & 1; break;
      case 17: cpu.basepri = value & 0xff; break;
      case 18: if ((value & 0xff) !== 0 && (cpu.basepri === 0 || (value & 0xff) < cpu.basepri)) cpu.basepri = value & 0xff; break;
      case 19: if (this.exceptions.executionPriority() > -1) cpu.faultmask = value & 1; break;
      case 20:
        if (cpu.ipsr === 0 && ((value >> 1) & 1) !== cpu.spsel) {
          const sp = cpu.r[13]!;
          cpu.r[13] = cpu.otherSp;
          cpu.otherSp = sp;
          cpu.spsel = (value >> 1) & 1;
        }
        cpu.npriv = value & 1;
        break;
      default: break;
    }
    cpu.attention = true;
  }

  changeProcessorState(cpu: CpuType, disable: boolean, flags: number): void {
    if ((flags & 2) !== 0) cpu.primask = disable ? 1 : 0;
    if ((flags & 1) !== 0 && (!disable || this.exceptions.executionPriority() > -1)) cpu.faultmask = disable ? 1 : 0;
    cpu.attention = true;
  }

  bkpt(cpu: CpuType, imm: number): void {
    if (imm !== 0xab) throw new Fault(EXC.hardFault, HFSR.DEBUGEVT);
    const result = semihostingCall({
      mem: this.mem,
      output: (bytes) => this.options.onSemihosting?.(bytes),
      exit: (code) => { this.stop = { kind: 'exit', code }; cpu.attention = true; },
      cycles: () => this.instructions,
      clockHz: this.board.clockHz ?? 12_000_000,
    }, cpu.r[0]! >>> 0, cpu.r[1]!);
    if (typeof result === 'string') {
      this.stop = { kind: 'error', pc: cpu.r[15]! - 4, message: result };
      cpu.attention = true;
      return;
    }
    cpu.r[0] = result;
  }

  svc(cpu: CpuType): void {
    this.svcPending = true;
    cpu.attention = true;
  }

  waitForInterrupt(cpu: CpuType): void {
    this.sleeping = true;
    cpu.attention = true;
  }
}
