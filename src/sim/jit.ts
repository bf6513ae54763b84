// The JIT: hot straight-line runs of instructions become one JavaScript function each.
//
// A block starts where the run loop may enter one (after a branch or an instruction the
// JIT does not take) and extends over "straight-line" instructions: data processing and
// loads/stores that never write PC, never call the host and never run inside an IT block
// (IT itself ends a block, and a block is entered only with ITSTATE 0). The branch that
// ends the block runs in the interpreter, so taken-branch counts, refills and exception
// returns have one implementation.
//
// The generated source inlines the commonest forms (moves, add/sub, compare, word
// load/store at [rn, #imm]) and calls the interpreter's closure for every other
// instruction. Exactness with the interpreter, instruction by instruction:
// - counts: the executed count, the cycles (same costs, pipelining carried in and out) and
//   the profile counters are bumped before the instruction runs, as the interpreter does;
// - a fault mid-block leaves the registers as the faulting instruction found them (every
//   instruction before it has completed, it has not written anything) and reports its
//   address in state.faultPc;
// - after every load or store the block ends when cpu.attention is set (a write to the
//   NVIC, or into code, which also drops the compiled blocks over the written page).
// The run loop enters a block only when its whole length fits the chunk's instruction
// and cycle budgets (maxCycles takes every data-dependent cost at its maximum), so chunk
// boundaries, and so SysTick and interrupts, fall where the interpreter would put them.

import type { DecodedInst } from '../backend-thumb2/decoder.js';
import type { Cpu } from './cpu.js';
import type { CacheEntry, DecodeCache } from './decode-cache.js';
import type { ExecutionCounts } from './execution-counts.js';
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
  /** Address after the last instruction. */
  readonly end: number;
  readonly length: number;
  /** An upper bound of the block's cycles (divides at 12, long multiplies at 7). */
  readonly maxCycles: number;
  readonly run: (cpu: Cpu, state: JitState) => void;
}

/** Longest block, in instructions (long blocks waste budget at chunk ends). */
const MAX_BLOCK = 64;

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
  private readonly blocks = new Map<number, JitBlock | null>();
  private readonly heat = new Map<number, number>();

  constructor(
    private readonly cache: DecodeCache,
    private readonly threshold: number,
    private readonly counts: ExecutionCounts | undefined,
  ) {}

  /** The compiled block at `pc` once it is hot; undefined while cold or when none can start there. */
  blockAt(pc: number): JitBlock | undefined {
    const block = this.blocks.get(pc);
    if (block !== undefined) return block ?? undefined;
    const heat = (this.heat.get(pc) ?? 0) + 1;
    if (heat <= this.threshold) {
      this.heat.set(pc, heat);
      return undefined;
    }
    this.heat.delete(pc);
    const compiled = this.compile(pc);
    this.blocks.set(pc, compiled ?? null);
    return compiled;
  }

  /** Drop the blocks overlapping [start, end): code there was written. */
  invalidate(start: number, end: number): void {
    for (const [pc, block] of this.blocks) {
      const blockEnd = block?.end ?? pc + 4;
      if (pc < end && blockEnd > start) this.blocks.delete(pc);
    }
  }

  private compile(start: number): JitBlock | undefined {
    const entries: { entry: CacheEntry; address: number }[] = [];
    let address = start;
    while (entries.length < MAX_BLOCK) {
      let entry: CacheEntry;
      try {
        entry = this.cache.lookup(address);
      } catch {
        break; // the fetch faults: the interpreter raises it when it gets there
      }
      if (!entry.jittable) break;
      entries.push({ entry, address });
      address += entry.size;
    }
    if (entries.length === 0) return undefined;
    return this.generate(entries, address);
  }

  private generate(entries: readonly { entry: CacheEntry; address: number }[], end: number): JitBlock {
    const lines: string[] = [];
    let maxCycles = 0;
    entries.forEach(({ entry, address }, i) => {
      const t = entry.timing;
      const next = address + entry.size;
      lines.push(`// ${hex(address)} ${entry.decoded!.encoding.mnemonic}`);
      lines.push(`k = ${i + 1};`);
      const index = this.counts?.indexOf(address) ?? -1;
      if (index >= 0) lines.push(`ex[${index}]++;`);
      lines.push(costSource(t, i));
      maxCycles += maxCyclesOf(t);
      lines.push(`r[15] = ${address + 4 | 0};`);
      lines.push(inlineSource(entry.decoded!, i) ?? `E[${i}](cpu);`);
      if (MEMORY_ACCESS.test(entry.decoded!.encoding.mnemonic)) lines.push(`if (cpu.attention) { cpu.pc = ${next}; return; }`);
    });
    lines.push(`cpu.pc = ${end};`);
    const body = [
      'const r = cpu.r, mem = cpu.mem;',
      'let k = 0, c = 0, pm = st.prevMemory;',
      'try {',
      ...lines.map((line) => `  ${line}`),
      '} catch (e) { st.faultPc = A[k - 1]; throw e; }',
      'finally { st.executed = k; st.cycles = c; st.prevMemory = pm; }',
    ].join('\n');
    const execs = entries.map(({ entry }) => entry.exec);
    const timings = entries.map(({ entry }) => entry.timing);
    const addresses = entries.map(({ address }) => address);
    const factory = new Function('E', 'T', 'A', 'ex', 'dyn', `return function block(cpu, st) {\n${body}\n};`) as (
      ...args: unknown[]
    ) => JitBlock['run'];
    const run = factory(execs, timings, addresses, this.counts?.executed, dynamicCycles);
    return { start: addresses[0]!, end, length: entries.length, maxCycles, run };
  }
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** The cycle count of instruction i as the interpreter's Machine.cyclesOf computes it. */
function costSource(t: InstructionTiming, i: number): string {
  switch (t.kind) {
    case TimingKind.memory: return `c += pm ? ${t.base - 1} : ${t.base}; pm = true;`;
    case TimingKind.plain: return `c += ${t.base}; pm = false;`;
    default: return `c += dyn(T[${i}], r); pm = false;`;
  }
}

function maxCyclesOf(t: InstructionTiming): number {
  switch (t.kind) {
    case TimingKind.memory: case TimingKind.plain: return t.base;
    case TimingKind.divide: return 12;
    case TimingKind.longMultiply: return 7;
  }
}

/** Whether a row writes no flags outside IT blocks (the only place a block runs). */
function keepsFlags(d: DecodedInst): boolean {
  return d.encoding.flags === 'none' || (d.encoding.flags === 'sBit' && d.operands.S !== 1);
}

/**
 * JavaScript for the commonest forms, equal to their closures in execute/ (ARMv7-M ARM
 * A7.7); undefined for everything else (the block calls the closure E[i]).
 */
function inlineSource(d: DecodedInst, i: number): string | undefined {
  const { rd, rn, rm, rt, imm, shift, mode } = d.operands;
  const m = d.encoding.mnemonic;
  const unshifted = shift === undefined || (shift.kind === 'lsl' && shift.amount === 0);
  if (m === 'mov' && keepsFlags(d) && rd !== undefined) {
    if (rm === undefined && imm !== undefined) return `r[${rd}] = ${imm | 0};`;
    if (rm !== undefined && shift === undefined) return `r[${rd}] = r[${rm}];`;
  }
  if ((m === 'add' || m === 'sub') && keepsFlags(d) && rd !== undefined && rn !== undefined && rn !== 15) {
    const op = m === 'add' ? '+' : '-';
    if (rm === undefined && imm !== undefined) return `r[${rd}] = (r[${rn}] ${op} ${imm | 0}) | 0;`;
    if (rm !== undefined && unshifted) return `r[${rd}] = (r[${rn}] ${op} r[${rm}]) | 0;`;
  }
  if (m === 'cmp' && rn !== undefined) {
    // CMP = AddWithCarry(a, NOT b, 1): C is "no borrow", V the signed overflow.
    const b = rm === undefined ? (imm !== undefined ? `${imm | 0}` : undefined) : unshifted ? `r[${rm}]` : undefined;
    if (b === undefined) return undefined;
    return `{ const a = r[${rn}], b = ${b}, x = (a - b) | 0; cpu.n = x >>> 31; cpu.z = x === 0 ? 1 : 0; cpu.c = (a >>> 0) >= (b >>> 0) ? 1 : 0; cpu.v = ((a ^ b) & (a ^ x)) >>> 31; }`;
  }
  if ((m === 'ldr' || m === 'str') && rt !== undefined && rn !== undefined && rn !== 15 && rm === undefined && mode === undefined && d.encoding.mnemonic === m) {
    // Unaligned addresses take the closure (it checks CCR.UNALIGN_TRP).
    const access = m === 'ldr' ? `r[${rt}] = mem.read32(a);` : `mem.write32(a, r[${rt}]);`;
    return `{ const a = (r[${rn}] + ${(imm ?? 0) | 0}) | 0; if ((a & 3) !== 0) E[${i}](cpu); else ${access} }`;
  }
  return undefined;
}
