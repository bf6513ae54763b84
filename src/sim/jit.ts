// The JIT: hot runs of instructions become one JavaScript function each, and the run
// loop goes from block to block without interpreting the branches between them.
//
// A block starts where the run loop may enter one (after a branch, or after an
// instruction the JIT does not take) and extends over "straight-line" instructions: data
// processing and loads/stores that never write PC, never call the host and never run
// inside an IT block. It ends with the first other instruction (a branch, BX, POP {pc},
// IT, SVC, MSR...), which runs as the block's last: inline for B/BL/CBZ/CBNZ, through its
// closure otherwise. A block is entered only with ITSTATE 0, so an IT can only end one.
// The run loop then sees a taken branch once per block (refill, taken counts, exception
// returns keep their one implementation in machine.ts) and finds the next block by PC in
// an array indexed by halfword (flash) or a Map (RAM).
//
// The generated source inlines the common instructions (jit-codegen.ts) and calls the
// interpreter's closure for the others. Exactness with the interpreter, instruction by
// instruction:
// - counts: the static cycle costs are summed at compile time (prefix sums, so a block
//   that stops early reports the cycles of the instructions it started); only the
//   data-dependent costs (divides, long multiplies on the M3) are added at run time;
//   the pipelining of neighbouring loads/stores is static inside a block and carried in
//   and out; profile counters are bumped for the instructions that started;
// - a fault mid-block leaves the registers as the faulting instruction found them (every
//   instruction before it has completed, it has not written anything) and reports its
//   address in state.faultPc;
// - after every load or store the block ends when cpu.attention is set (a write to the
//   NVIC, or into code, which also drops the compiled blocks over the written page).
// Tiers: a block start is interpreted until it has been entered `threshold` times; then
// the JIT measures the block's length and keeps interpreting until the start has been
// entered threshold x HEAT_PER_INSTRUCTION x length times in all. V8 spends longer
// compiling (up to TurboFan) a long generated function than it saves on a few thousand
// runs of it, so long blocks must prove they are hot loops first; short ones, whose
// compile is cheap and whose dispatch saves most, compile early.
// The run loop enters a block only when its whole length fits the chunk's instruction
// and cycle budgets (maxCycles takes every data-dependent cost at its maximum), so chunk
// boundaries, and so SysTick and interrupts, fall where the interpreter would put them.

import type { DecodedInst } from '../backend-thumb2/decoder.js';
import type { Cpu } from './cpu.js';
import type { CacheEntry, DecodeCache } from './decode-cache.js';
import type { ExecutionCounts } from './execution-counts.js';
import { branchSource, inlineSource } from './jit-codegen.js';
import type { Memory } from './memory.js';
import { dynamicCycles, type InstructionTiming, TimingKind } from './timing.js';

/** What a block reads and reports back (one object per machine, reused). */
export interface JitState {
  /** Instructions the block started (including one that faulted). */
  executed: number;
  cycles: number;
  /** In: the instruction before the block was a single load/store. Out: the block's last was. */
  prevMemory: boolean;
  /** The address of the instruction that faulted, -1 when none did. */
  faultPc: number;
}

export interface JitBlock {
  readonly start: number;
  /** Address after the last instruction (the fall-through of its final branch). */
  readonly end: number;
  readonly length: number;
  /** Size of the first instruction (the refill after a branch into the block depends on it). */
  readonly firstSize: 2 | 4;
  /** Address of the last instruction: the site of a taken branch out of the block. */
  readonly last: number;
  /** The last instruction is BLX register (profiles keep its targets). */
  readonly lastIndirectCall: boolean;
  /** An upper bound of the block's cycles (divides at 12, long multiplies at 7). */
  readonly maxCycles: number;
  readonly run: (cpu: Cpu, state: JitState) => void;
}

/** Longest block, in instructions (long blocks waste budget at chunk ends). */
const MAX_BLOCK = 64;

/**
 * Entries per instruction of block length, in units of the threshold, before a block
 * compiles (measured by CPU time on the bench programs: nettle-sha256's 56-64 instruction
 * blocks, run about 3300 times each, cost more to compile than they save).
 */
const HEAT_PER_INSTRUCTION = 4;

/** Heat counters saturate here (Uint16Array): a block this hot compiles whatever its length. */
const MAX_HEAT = 0xffff;

const STRAIGHT_LINE = new Set([
  'add', 'adc', 'sub', 'sbc', 'rsb', 'adr', 'cmp', 'cmn', 'and', 'orr', 'eor', 'bic', 'orn', 'mov', 'mvn',
  'tst', 'teq', 'lsl', 'lsr', 'asr', 'ror', 'rrx', 'movt', 'mul', 'mla', 'mls', 'umull', 'smull', 'umlal', 'smlal',
  'sdiv', 'udiv', 'clz', 'rbit', 'rev', 'rev16', 'revsh', 'sxtb', 'sxth', 'uxtb', 'uxth', 'sxtab', 'sxtah',
  'uxtab', 'uxtah', 'sbfx', 'ubfx', 'bfi', 'bfc', 'ssat', 'usat',
  'ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh', 'str', 'strb', 'strh', 'ldrd', 'strd', 'ldm', 'stm', 'ldmdb', 'stmdb',
  'push', 'pop', 'ldrex', 'ldrexb', 'ldrexh', 'strex', 'strexb', 'strexh', 'clrex', 'nop', 'dmb', 'dsb', 'isb',
]);

/** Loads and stores, FPU ones included: a block ends after one when cpu.attention is set. */
const MEMORY_ACCESS = /^v?(ldr|str|ldm|stm|push|pop)/;

/** Whether an instruction may sit inside a JIT block: no PC write, no host call, not IT. */
export function isStraightLine(d: DecodedInst): boolean {
  // Every FPU instruction is straight-line: none writes PC or calls the host.
  if (!STRAIGHT_LINE.has(d.encoding.mnemonic) && !d.encoding.mnemonic.startsWith('v')) return false;
  const ops = d.operands;
  if (ops.rd === 15 || ops.rt === 15 || ops.rt2 === 15) return false;
  if (ops.regs?.includes(15) === true) return false;
  // POP T3 / LDR with rt = PC are excluded above; an omitted rd means "writes rn" (tied) or none.
  return true;
}

export class Jit {
  /** Per halfword of flash: 0 cold, -1 no block can start there, n > 0 the block compiled[n - 1]. */
  private readonly flashBlocks: Int32Array;
  /** Dense, so the lookup is two typed-array reads (a huge sparse JS array would be a dictionary). */
  private readonly compiled: JitBlock[] = [];
  private readonly flashHeat: Uint16Array;
  /** Per halfword of flash: the heat at which the block there compiles, 0 until its length is known. */
  private readonly flashNeed: Uint16Array;
  /** Blocks in RAM (rare: code copied or generated there). */
  private readonly ramBlocks = new Map<number, JitBlock | null>();
  private readonly ramHeat = new Map<number, number>();
  private readonly ramNeed = new Map<number, number>();

  constructor(
    private readonly cache: DecodeCache,
    private readonly mem: Memory,
    private readonly threshold: number,
    private readonly counts: ExecutionCounts | undefined,
  ) {
    this.flashBlocks = new Int32Array(mem.flash.length >>> 1);
    this.flashHeat = new Uint16Array(mem.flash.length >>> 1);
    this.flashNeed = new Uint16Array(mem.flash.length >>> 1);
  }

  /** The compiled block at `pc` once it is hot; undefined while cold or when none can start there. */
  blockAt(pc: number): JitBlock | undefined {
    const f = (pc - this.mem.flashBase) >>> 0;
    if (f < this.mem.flash.length) {
      const index = f >>> 1;
      const slot = this.flashBlocks[index]!;
      if (slot > 0) return this.compiled[slot - 1];
      if (slot < 0) return undefined;
      const heat = this.flashHeat[index]! + 1;
      if (heat <= this.threshold) {
        this.flashHeat[index] = heat;
        return undefined;
      }
      let need = this.flashNeed[index]!;
      if (need === 0) need = this.flashNeed[index] = this.heatToCompile(pc);
      if (heat < need) {
        this.flashHeat[index] = heat;
        return undefined;
      }
      const compiled = this.compile(pc);
      if (compiled === undefined) this.flashBlocks[index] = -1;
      else this.flashBlocks[index] = this.compiled.push(compiled);
      return compiled;
    }
    const block = this.ramBlocks.get(pc);
    if (block !== undefined) return block ?? undefined;
    const heat = (this.ramHeat.get(pc) ?? 0) + 1;
    if (heat <= this.threshold) {
      this.ramHeat.set(pc, heat);
      return undefined;
    }
    let need = this.ramNeed.get(pc);
    if (need === undefined) this.ramNeed.set(pc, need = this.heatToCompile(pc));
    if (heat < need) {
      this.ramHeat.set(pc, heat);
      return undefined;
    }
    this.ramHeat.delete(pc);
    this.ramNeed.delete(pc);
    const compiled = this.compile(pc);
    this.ramBlocks.set(pc, compiled ?? null);
    return compiled;
  }

  /** Drop the blocks overlapping [start, end): code there was written (only RAM is writable). */
  invalidate(start: number, end: number): void {
    for (const [pc, block] of this.ramBlocks) {
      const blockEnd = block?.end ?? pc + 4;
      if (pc < end && blockEnd > start) this.ramBlocks.delete(pc);
    }
    // A rewritten block may have another length: measure it again.
    for (const pc of this.ramNeed.keys()) if (pc >= start && pc < end) this.ramNeed.delete(pc);
  }

  /** The entries at which the block at `start` compiles: threshold x HEAT_PER_INSTRUCTION x its length (scanning is cheap next to generating). */
  private heatToCompile(start: number): number {
    const length = Math.max(1, this.scan(start).entries.length);
    return Math.min(MAX_HEAT, Math.ceil(this.threshold * HEAT_PER_INSTRUCTION * length));
  }

  /** The instructions of the block at `start` and whether its last one ends it (a branch or the like). */
  private scan(start: number): { entries: { entry: CacheEntry; address: number }[]; end: number; terminated: boolean } {
    const entries: { entry: CacheEntry; address: number }[] = [];
    let address = start;
    let terminated = false;
    while (entries.length < MAX_BLOCK && !terminated) {
      let entry: CacheEntry;
      try {
        entry = this.cache.lookup(address);
      } catch {
        break; // the fetch faults: the interpreter raises it when it gets there
      }
      if (entry.decoded === undefined) break; // UNDEFINED: the interpreter raises it
      terminated = !entry.jittable;
      entries.push({ entry, address });
      address += entry.size;
    }
    return { entries, end: address, terminated };
  }

  private compile(start: number): JitBlock | undefined {
    const { entries, end, terminated } = this.scan(start);
    if (entries.length === 0) return undefined;
    return this.generate(entries, end, terminated);
  }

  private generate(entries: readonly { entry: CacheEntry; address: number }[], end: number, terminated: boolean): JitBlock {
    const lines: string[] = [];
    // Static cycles of the first k instructions (a first load/store pipelined with the
    // instruction before the block costs one less) and whether instruction k-1 was one.
    const prefix = [0];
    const memoryAfter = [false];
    let maxCycles = 0;
    let static_ = 0;
    let previousMemory = false;
    entries.forEach(({ entry, address }, i) => {
      const t = entry.timing;
      const d = entry.decoded!;
      const next = address + entry.size;
      const isLast = terminated && i === entries.length - 1;
      lines.push(`// ${hex(address)} ${d.encoding.mnemonic}`);
      lines.push(`k = ${i + 1};`);
      const index = this.counts?.indexOf(address) ?? -1;
      if (index >= 0) lines.push(`ex[${index}]++;`);
      if (t.kind === TimingKind.divide || t.kind === TimingKind.longMultiply) lines.push(`c += dyn(T[${i}], r);`);
      static_ += staticCyclesOf(t, previousMemory);
      previousMemory = t.kind === TimingKind.memory;
      prefix.push(static_);
      memoryAfter.push(previousMemory);
      maxCycles += maxCyclesOf(t);
      if (isLast) {
        lines.push(`cpu.pc = ${next};`);
        lines.push(branchSource(d, address) ?? `r[15] = ${(address + 4) | 0}; E[${i}](cpu);`);
        return;
      }
      const inline = inlineSource(d, i, address);
      lines.push(inline !== undefined && !inline.includes('E[') ? inline : `r[15] = ${(address + 4) | 0}; ${inline ?? `E[${i}](cpu);`}`);
      if (MEMORY_ACCESS.test(d.encoding.mnemonic)) lines.push(`if (cpu.attention) { cpu.pc = ${next}; ${reportSource(i + 1)} return; }`);
    });
    if (!terminated) lines.push(`cpu.pc = ${end};`);
    lines.push(reportSource(entries.length));
    const firstPipelines = entries[0]!.entry.timing.kind === TimingKind.memory;
    const body = [
      'const r = cpu.r, mem = cpu.mem;',
      `let k = 0, c = ${firstPipelines ? 'st.prevMemory ? -1 : 0' : '0'};`,
      'try {',
      ...lines.map((line) => `  ${line}`),
      // No finally: TurboFan compiles a try/finally with many exits much more slowly.
      '} catch (e) { st.faultPc = A[k - 1]; st.executed = k; st.cycles = c + P[k]; st.prevMemory = M[k]; throw e; }',
    ].join('\n');
    const execs = entries.map(({ entry }) => entry.exec);
    const timings = entries.map(({ entry }) => entry.timing);
    const addresses = entries.map(({ address }) => address);
    const factory = new Function('E', 'T', 'A', 'P', 'M', 'ex', 'dyn', `return function block(cpu, st) {\n${body}\n};`) as (
      ...args: unknown[]
    ) => JitBlock['run'];
    const run = factory(execs, timings, addresses, Int32Array.from(prefix), memoryAfter, this.counts?.executed, dynamicCycles);
    const lastEntry = entries[entries.length - 1]!;
    return {
      start: addresses[0]!,
      end,
      length: entries.length,
      firstSize: entries[0]!.entry.size,
      last: lastEntry.address,
      lastIndirectCall: lastEntry.entry.indirectCall,
      maxCycles,
      run,
    };
  }
}

/** What a block reports after its first `k` instructions started. */
const reportSource = (k: number): string => `st.executed = ${k}; st.cycles = c + P[${k}]; st.prevMemory = M[${k}];`;

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** The static cycles of an instruction as Machine.cyclesOf computes them (divides and long multiplies: 0, added at run time). */
function staticCyclesOf(t: InstructionTiming, previousMemory: boolean): number {
  switch (t.kind) {
    case TimingKind.memory: return previousMemory ? t.base - 1 : t.base;
    case TimingKind.plain: return t.base;
    default: return 0;
  }
}

function maxCyclesOf(t: InstructionTiming): number {
  switch (t.kind) {
    case TimingKind.memory: case TimingKind.plain: return t.base;
    case TimingKind.divide: return 12;
    case TimingKind.longMultiply: return 7;
  }
}
