// The simulated board: a Cortex-M core, the board's memory map and its peripherals,
// running a linked firmware image. `run` executes until the firmware exits (semihosting),
// locks up, sleeps with nothing to wake it, or reaches the instruction limit.
//
// The run loop executes pre-decoded closures in chunks; between chunks it advances
// SysTick and takes pending exceptions. Anything that changes what may be taken (a write
// to the NVIC or SCB, CPSIE, an exception return) sets cpu.attention to end the chunk.
// It counts cycles with the cycle model (timing.ts) and, when asked, execution counts
// for profiles; hot straight-line code runs as JavaScript compiled by the JIT (jit.ts),
// which keeps every count identical to the interpreter's.

import { InternalError } from '../diagnostics/errors.js';
import type { Board } from '../driver/board.js';
import { type Cpu as CpuType, Cpu, type CpuHost, conditionPassed, itAdvance } from './cpu.js';
import { type CacheEntry, DecodeCache } from './decode-cache.js';
import type { LoadImage } from '../elf/read-executable.js';
import { ExceptionModel, Lockup } from './exceptions.js';
import { ExecutionCounts } from './execution-counts.js';
import { Fpu } from './fpu.js';
import { EXC, Fault, HFSR } from './fault.js';
import { Jit, type JitState } from './jit.js';
import { type DeviceMapping, Memory } from './memory.js';
import { semihostingCall } from './semihosting.js';
import { CPUID_CORTEX_M4, SCS_BASE, SCS_SIZE, SystemControl } from './system-control.js';
import { dynamicCycles, EXCEPTION_ENTRY_CYCLES, EXCEPTION_EXIT_CYCLES, refillCycles, timingConfigOf, TimingKind, type TimingConfig } from './timing.js';
import { CmsdkUart, type ConsoleUart, Pl011, type UartPorts } from './uart.js';
import type { UartInput } from './uart-input.js';

/** How a run ended. */
export type StopReason =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'limit' }
  | { readonly kind: 'lockup'; readonly pc: number; readonly message: string }
  | { readonly kind: 'sleep'; readonly pc: number }
  /** Not an end: the core sleeps until console input arrives; run again once some has. */
  | { readonly kind: 'input' }
  | { readonly kind: 'error'; readonly pc: number; readonly message: string };

export interface MachineOptions {
  /** Console UART output. */
  readonly onConsole: (bytes: Uint8Array) => void;
  /** Semihosting output (QEMU prints it on its stderr). */
  readonly onSemihosting?: (bytes: Uint8Array) => void;
  /** Keep execution counts for a profile (machine.counts). */
  readonly profile?: boolean;
  /**
   * Block entries before the JIT compiles a block: 0 compiles on first entry, undefined
   * uses the default, Infinity disables the JIT (everything interpreted).
   */
  readonly jitThreshold?: number;
  /** Typed into the console UART as it can take it; without it the UART receives nothing. */
  readonly uartInput?: UartInput;
}

const DEFAULT_JIT_THRESHOLD = 50;

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
  /** Core clock cycles by the cycle model (timing.ts). */
  cycles = 0;
  /** Execution counts when profiling. */
  readonly counts: ExecutionCounts | undefined;
  private readonly timing: TimingConfig;
  private readonly jit: Jit | undefined;
  private readonly jitState: JitState = { executed: 0, cycles: 0, prevMemory: false, faultPc: -1 };
  /** An exception return ran: its cycles include the fetch (no refill). */
  private exitPending = false;
  /** The last instruction wrote PC: the next one pays the pipeline refill. */
  private refillPending = false;
  /** The last instruction was a single load/store (the next one pipelines with it). */
  private prevMemory = false;
  private stop: StopReason | undefined;
  private svcPending = false;
  private sleeping = false;
  /** The core sleeps and only console input can wake it: run() returns 'input'. */
  private awaitingInput = false;
  private readonly uart: ConsoleUart;

  constructor(readonly board: Board, image: LoadImage, private readonly options: MachineOptions) {
    this.scs = new SystemControl(IRQ_COUNT);
    const irqs = UART_IRQS[board.console.kind];
    const ports: UartPorts = {
      transmit: (byte) => options.onConsole(Uint8Array.of(byte)),
      irq: (line, level) => { if (level) this.scs.setPending(16 + irqs[line], true); },
    };
    this.uart = board.console.kind === 'pl011' ? new Pl011(ports) : new CmsdkUart(ports);
    const devices: DeviceMapping[] = [
      { base: board.console.base, size: 0x1000, device: this.uart },
      { base: SCS_BASE, size: SCS_SIZE, device: this.scs },
    ];
    this.mem = new Memory(board.flash.origin, board.flash.size, board.ram.origin, board.ram.size, devices);
    for (const segment of image.segments) {
      if (!this.mem.load(segment.address, segment.bytes)) {
        throw new InternalError('sim loader', `segment at 0x${segment.address.toString(16)} (${segment.bytes.length} bytes) is outside ${board.name}'s flash and RAM`);
      }
    }
    this.cpu = new Cpu(this.mem, this);
    if (board.cpu.core === 'cortex-m4') this.scs.cpuid = CPUID_CORTEX_M4;
    if (board.cpu.fpu !== 'none') {
      // FPv4-SP (an FPv5 board runs its single-precision subset).
      this.cpu.fpu = new Fpu();
      this.scs.fpu = this.cpu.fpu;
    }
    this.timing = timingConfigOf(board);
    this.cache = new DecodeCache(this.mem, this.timing);
    this.counts = options.profile === true ? new ExecutionCounts(board.flash.origin, board.flash.size) : undefined;
    const threshold = options.jitThreshold ?? DEFAULT_JIT_THRESHOLD;
    this.jit = Number.isFinite(threshold) ? new Jit(this.cache, this.mem, threshold, this.counts) : undefined;
    // Writes into code end the chunk in both modes alike, so a JIT block never runs stale code.
    this.cache.onInvalidate = (start, end) => {
      this.jit?.invalidate(start, end);
      this.cpu.attention = true;
    };
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

  /** Run until the firmware stops or `maxInstructions` instructions or `maxCycles` cycles have run in total. */
  run(maxInstructions: number, maxCycles = Infinity): StopReason {
    while (this.stop === undefined) {
      if (this.instructions >= maxInstructions || this.cycles >= maxCycles) return { kind: 'limit' };
      try {
        this.service();
        if (this.stop !== undefined) break;
        if (this.awaitingInput) {
          this.awaitingInput = false;
          return { kind: 'input' };
        }
        const budget = Math.min(maxInstructions - this.instructions, CHUNK);
        const cycleBudget = Math.max(1, Math.min(maxCycles - this.cycles, this.scs.cyclesToSysTickEvent()));
        const before = this.cycles;
        this.instructions += this.runChunk(Math.max(1, budget), cycleBudget);
        this.scs.advanceSysTick(this.cycles - before);
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
    this.feedUart();
    if (this.scs.resetRequested) {
      this.stop = { kind: 'error', pc: cpu.pc, message: 'the firmware requested a system reset (AIRCR.SYSRESETREQ)' };
      return;
    }
    if (cpu.thumbClear) {
      cpu.thumbClear = false;
      this.takeFault(new Fault(EXC.usageFault, 1 << 17));
    }
    if (this.svcPending) {
      this.svcPending = false;
      if (this.scs.groupPriority(EXC.svCall) >= this.exceptions.executionPriority()) {
        // SVC is synchronous: it escalates like a fault, with the SVC as the faulting instruction.
        cpu.pc -= 2;
        this.takeFault(new Fault(EXC.hardFault, HFSR.FORCED));
      } else this.enterException(EXC.svCall);
    }
    const n = this.exceptions.pendingToTake();
    if (n !== 0) {
      this.sleeping = false;
      this.enterException(n);
      return;
    }
    if (!this.sleeping) return;
    if (this.exceptions.wakesFromSleep()) this.sleeping = false;
    else this.sleepUntilEvent();
  }

  /** WFI with nothing pending: skip to SysTick's next event, or stop if nothing can wake the core. */
  private sleepUntilEvent(): void {
    const cycles = this.scs.cyclesToSysTickEvent();
    const tickInterrupts = (this.scs.systick.csr & 2) !== 0;
    if (!Number.isFinite(cycles) || !tickInterrupts) {
      if (this.options.uartInput?.open === true && this.uart.canReceive()) this.awaitingInput = true;
      else this.stop = { kind: 'sleep', pc: this.cpu.pc };
      return;
    }
    this.scs.advanceSysTick(cycles);
    this.cycles += cycles;
    if (!this.exceptions.wakesFromSleep()) return; // keep sleeping on the next service
    this.sleeping = false;
  }

  /** Typed bytes go into the console UART while it can take them (between chunks: what a byte costs in time is not modelled). */
  private feedUart(): void {
    const input = this.options.uartInput;
    if (input === undefined) return;
    while (this.uart.canReceive()) {
      const byte = input.next();
      if (byte === undefined) return;
      this.uart.receive(byte);
    }
  }

  /** Exception entry costs its 12 cycles (charged to SysTick too: they are outside the chunk's count). */
  private enterException(n: number): void {
    this.exceptions.enter(n, this.cpu.pc);
    this.chargeException(EXCEPTION_ENTRY_CYCLES);
  }

  private takeFault(fault: Fault): void {
    this.exceptions.takeFault(fault);
    this.chargeException(EXCEPTION_ENTRY_CYCLES);
  }

  /** Entry and return include their fetch: no refill, no pipelining across them. */
  private chargeException(cycles: number): void {
    this.cycles += cycles;
    this.scs.advanceSysTick(cycles);
    this.refillPending = false;
    this.prevMemory = false;
  }

  /**
   * Execute up to `budget` instructions while fewer than `cycleBudget` cycles have run;
   * returns the instructions executed and adds their cycles to this.cycles. An instruction
   * that faults counts as executed with its cycles (both modes alike), then the fault is taken.
   */
  private runChunk(budget: number, cycleBudget: number): number {
    const cpu = this.cpu;
    const r = cpu.r;
    const cache = this.cache;
    const counts = this.counts;
    const jit = this.jit;
    const config = this.timing;
    let executed = 0;
    let cycles = 0;
    let pc = cpu.pc;
    let it = 0;
    // A block may start here: the previous instruction ended one (branch, or not compilable).
    let blockStart = true;
    cpu.attention = false;
    try {
      while (executed < budget && cycles < cycleBudget) {
        pc = cpu.pc;
        if (blockStart && jit !== undefined && cpu.itstate === 0) {
          const block = jit.blockAt(pc);
          if (block !== undefined) {
            const refill = this.refillPending ? refillCycles(config, pc, block.firstSize) : 0;
            if (executed + block.length <= budget && cycles + refill + block.maxCycles <= cycleBudget) {
              cycles += refill;
              this.refillPending = false;
              const state = this.jitState;
              state.prevMemory = this.prevMemory;
              state.executed = 0;
              state.cycles = 0;
              state.faultPc = -1;
              try {
                block.run(cpu, state);
              } finally {
                executed += state.executed;
                cycles += state.cycles;
                this.prevMemory = state.prevMemory;
              }
              // A block cut short by cpu.attention (after a load/store) did not reach its branch.
              if (state.executed === block.length && cpu.pc !== block.end) {
                if (this.exitPending) this.exitPending = false;
                else this.refillPending = true;
                counts?.recordTaken(block.last, cpu.pc, block.lastIndirectCall);
              }
              if (cpu.attention) break;
              continue;
            }
          }
        }
        const entry = cache.lookup(pc);
        if (this.refillPending) {
          cycles += refillCycles(config, pc, entry.size);
          this.refillPending = false;
        }
        const timing = entry.timing;
        const next = pc + entry.size;
        executed++;
        if (counts !== undefined) {
          const index = counts.indexOf(pc);
          if (index >= 0) counts.executed[index]!++;
        }
        r[15] = pc + 4;
        cpu.pc = next;
        it = cpu.itstate;
        if (it !== 0) {
          cpu.itstate = itAdvance(it);
          if (conditionPassed(cpu, it >> 4)) {
            cycles += this.cyclesOf(timing);
            cpu.inIT = true;
            entry.exec(cpu);
            cpu.inIT = false;
          } else {
            // A skipped instruction issues as a 1-cycle NOP.
            cycles += 1;
            this.prevMemory = false;
          }
        } else {
          cycles += this.cyclesOf(timing);
          entry.exec(cpu);
        }
        blockStart = entry.jittable !== true;
        if (cpu.pc !== next) {
          blockStart = true;
          if (this.exitPending) this.exitPending = false;
          else this.refillPending = true;
          counts?.recordTaken(pc, cpu.pc, entry.indirectCall === true);
        }
        if (cpu.attention) break;
      }
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      // A fault: the instruction did not complete; the frame returns to it. A fault inside
      // a JIT block reports its own pc (the block runs only outside IT blocks).
      cpu.inIT = false;
      const jitFault = this.jitState.faultPc >= 0;
      cpu.pc = jitFault ? this.jitState.faultPc : pc;
      cpu.itstate = jitFault ? 0 : it;
      this.jitState.faultPc = -1;
      this.refillPending = false;
      this.cycles += cycles;
      cycles = 0;
      this.takeFault(e);
    }
    this.cycles += cycles;
    return executed;
  }

  /** An instruction's cycles before the refill: pipelining and the data-dependent part. */
  private cyclesOf(timing: CacheEntry['timing']): number {
    if (timing.kind === TimingKind.memory) {
      const cycles = this.prevMemory ? timing.base - 1 : timing.base;
      this.prevMemory = true;
      return cycles;
    }
    this.prevMemory = false;
    return timing.kind === TimingKind.plain ? timing.base : dynamicCycles(timing, this.cpu.r);
  }

  // ---------------------------------------------------------------- CpuHost

  loadWritePc(cpu: CpuType, value: number): void {
    if (cpu.ipsr !== 0 && value >>> 28 === 0xf) {
      this.exceptions.exit(value);
      // The return's 10 cycles replace the refill the run loop would charge.
      this.cycles += EXCEPTION_EXIT_CYCLES;
      this.scs.advanceSysTick(EXCEPTION_EXIT_CYCLES);
      this.exitPending = true;
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
      case 20: return ((cpu.fpu?.fpca ?? 0) << 2) | (cpu.spsel << 1) | cpu.npriv;
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
        if (cpu.fpu !== undefined) cpu.fpu.fpca = (value >> 2) & 1;
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
