// The pre-decoded instruction cache: for every halfword address of flash and RAM, the
// closure that executes the instruction there, built on first execution.
//
// Lookup is two typed-array reads (address -> slot, slot -> entry), no hashing. An entry
// in RAM marks its 1 KiB page; a write into a marked page drops every entry of that page
// (code in RAM is rare and writes to it rarer: whole pages keep the write path cheap).

import { decodeThumb, isThumb32, type DecodedInst } from '../backend-thumb2/decoder.js';
import { compileInstruction, undefinedExec, type Exec } from './execute/compile.js';
import { CODE_PAGE_BITS, type Memory } from './memory.js';
import { isStraightLine } from './jit.js';
import { instructionTiming, type InstructionTiming, type TimingConfig } from './timing.js';

export interface CacheEntry {
  readonly exec: Exec;
  readonly size: 2 | 4;
  /** Undefined for an encoding no row of the table matches. */
  readonly decoded: DecodedInst | undefined;
  /** The static part of its cycle cost (timing.ts). */
  readonly timing: InstructionTiming;
  /** The JIT may put it in a block (straight-line, no PC write, no host call). */
  readonly jittable: boolean;
  /** BLX register: a profile keeps a histogram of its targets. */
  readonly indirectCall: boolean;
}

const UNDEFINED_TIMING: InstructionTiming = { base: 1, kind: 0, rn: 0, rm: 0, accumulate: false };

export class DecodeCache {
  private readonly flashSlots: Int32Array;
  private readonly ramSlots: Int32Array;
  /** Slot 0 means "not decoded yet". */
  private readonly entries: CacheEntry[] = [{ exec: undefinedExec, size: 2, decoded: undefined, timing: UNDEFINED_TIMING, jittable: false, indirectCall: false }];
  /** Called after a write dropped the decoded instructions of [start, end) (the JIT drops its blocks there). */
  onInvalidate: ((start: number, end: number) => void) | undefined;

  constructor(private readonly mem: Memory, private readonly timing: TimingConfig) {
    this.flashSlots = new Int32Array(mem.flash.length >>> 1);
    this.ramSlots = new Int32Array(mem.ram.length >>> 1);
    mem.onCodeWrite = (address) => this.invalidateRamPage(address);
  }

  /** The entry for the instruction at `pc` (decoding it on a miss; fetch faults propagate). */
  lookup(pc: number): CacheEntry {
    const f = (pc - this.mem.flashBase) >>> 0;
    if (f < this.mem.flash.length) {
      const slot = this.flashSlots[f >>> 1]!;
      if (slot !== 0) return this.entries[slot]!;
      return this.fill(pc, this.flashSlots, f >>> 1);
    }
    const r = (pc - this.mem.ramBase) >>> 0;
    if (r < this.mem.ram.length) {
      const slot = this.ramSlots[r >>> 1]!;
      if (slot !== 0) return this.entries[slot]!;
      this.mem.ramCodePages[r >>> CODE_PAGE_BITS] = 1;
      return this.fill(pc, this.ramSlots, r >>> 1);
    }
    // Not cacheable: fetch raises the right fault.
    this.mem.fetch16(pc);
    return this.decodeAt(pc);
  }

  private fill(pc: number, slots: Int32Array, index: number): CacheEntry {
    const entry = this.decodeAt(pc);
    slots[index] = this.entries.length;
    this.entries.push(entry);
    return entry;
  }

  private decodeAt(pc: number): CacheEntry {
    const hw1 = this.mem.fetch16(pc);
    const hw2 = isThumb32(hw1) ? this.mem.fetch16(pc + 2) : 0;
    const decoded = decodeThumb(hw1, hw2);
    if (decoded === undefined) return { exec: undefinedExec, size: isThumb32(hw1) ? 4 : 2, decoded, timing: UNDEFINED_TIMING, jittable: false, indirectCall: false };
    return {
      exec: compileInstruction(decoded, pc),
      size: decoded.size,
      decoded,
      timing: instructionTiming(decoded, pc, this.timing),
      jittable: isStraightLine(decoded),
      indirectCall: decoded.encoding.mnemonic === 'blx',
    };
  }

  private invalidateRamPage(address: number): void {
    const r = (address - this.mem.ramBase) >>> 0;
    const page = r >>> CODE_PAGE_BITS;
    this.mem.ramCodePages[page] = 0;
    // Also the halfword before the page: a 32-bit instruction may straddle into it.
    const first = Math.max(0, (page << CODE_PAGE_BITS) / 2 - 1);
    this.ramSlots.fill(0, first, ((page + 1) << CODE_PAGE_BITS) / 2);
    const start = this.mem.ramBase + first * 2;
    this.onInvalidate?.(start, this.mem.ramBase + ((page + 1) << CODE_PAGE_BITS));
  }
}
