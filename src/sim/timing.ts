// The cycle model: how many core clock cycles each instruction takes on a Cortex-M3 or
// Cortex-M4, from the cores' Technical Reference Manuals:
//   [M3] Cortex-M3 TRM r2p1 (ARM DDI 0337I), section 3.3.1 "Cortex-M3 instructions",
//        Table 3-1 "Cortex-M3 instruction set summary", and 5.5.1 (exception entry).
//   [M4] Cortex-M4 TRM r0p1 (ARM DDI 0439B), section 3.3.1 "Cortex-M4 instructions",
//        Table 3-1 "Cortex-M4 instruction set summary", and 5.5.1 / 5.5.2 (latency);
//        Table 7-1 "FPU instruction set" for the FPv4-SP instructions.
// Both tables write costs with P (a pipeline refill, 1 to 3 cycles "depending on the
// alignment and width of the target instruction") and N (registers in a list).
//
// The cost of an instruction is split in what decoding knows (`base`) and three things
// the run loop adds while it runs:
// - a taken branch (any write to PC) costs the refill P = 1, +1 when the target is a
//   32-bit instruction that is not word aligned (its second halfword is a second fetch),
//   + the flash wait states when the target is in flash (a refill always misses the
//   prefetch buffer; sequential fetches are assumed hidden by it, as on real parts);
// - neighbouring single loads/stores pipeline (Table 3-1 note: "Neighboring load and
//   store single instructions can pipeline their address and data phases"): a load or
//   store right after another costs 1 instead of 2 (so N of them cost N + 1);
// - SDIV/UDIV terminate early and UMULL & co. on the M3 too: the cost reads the operands.
// Flash wait states are also paid by PC-relative (literal) loads, whose address decoding
// knows. Loads through a register that happen to read flash are not charged (documented gap).

import type { DecodedInst } from '../backend-thumb2/decoder.js';
import type { Board } from '../driver/board.js';

/** What the run loop must do beyond adding `base`. */
export const enum TimingKind {
  plain = 0,
  /** A single load or store: 1 cycle less when the previous instruction was one too. */
  memory = 1,
  /** SDIV/UDIV: 2-12 cycles by the operands (rn / rm). */
  divide = 2,
  /** UMULL/SMULL/UMLAL/SMLAL on the M3: early termination by the operands (rn, rm). */
  longMultiply = 3,
}

export interface InstructionTiming {
  /** Cycles without the refill, pipelining or data-dependent part. */
  readonly base: number;
  readonly kind: TimingKind;
  /** For divide and longMultiply: the operand registers; for longMultiply, `accumulate` adds 1. */
  readonly rn: number;
  readonly rm: number;
  readonly accumulate: boolean;
}

/** The per-core facts the model needs (from the board file). */
export interface TimingConfig {
  readonly core: 'cortex-m3' | 'cortex-m4';
  /** Flash wait states (`[cpu] flash_wait_states`; 0 for QEMU's boards, whose "flash" is SRAM). */
  readonly flashWaitStates: number;
  readonly flashBase: number;
  readonly flashSize: number;
}

/** Exception entry (stacking + vector fetch) with zero-wait-state memory: [M3] 5.5.1, [M4] 5.5.1 "12 cycles". */
export const EXCEPTION_ENTRY_CYCLES = 12;
/** Exception return (unstacking): [M3]/[M4] 5.5 "10 cycles" (tail-chaining is not modelled). */
export const EXCEPTION_EXIT_CYCLES = 10;

export function timingConfigOf(board: Board): TimingConfig {
  return {
    core: board.cpu.core === 'cortex-m4' ? 'cortex-m4' : 'cortex-m3',
    flashWaitStates: board.flashWaitStates ?? 0,
    flashBase: board.flash.origin,
    flashSize: board.flash.size,
  };
}

export function inFlash(config: TimingConfig, address: number): boolean {
  return ((address - config.flashBase) >>> 0) < config.flashSize;
}

const plain = (base: number): InstructionTiming => ({ base, kind: TimingKind.plain, rn: 0, rm: 0, accumulate: false });

/** Registers in an LDM/STM/PUSH/POP list (the T3 single-register PUSH/POP forms have rt). */
function listLength(d: DecodedInst): number {
  return d.operands.regs?.length ?? 1;
}

/**
 * The static part of an instruction's cost ([M3]/[M4] Table 3-1). The refill P of a taken
 * branch is not included: the run loop adds it when PC changes.
 */
export function instructionTiming(d: DecodedInst, address: number, config: TimingConfig): InstructionTiming {
  const m = d.encoding.mnemonic;
  const ops = d.operands;
  switch (m) {
    // Loads and stores single: "LDR 2", "STR 2" (pipelined neighbours 1); LDR PC "2 + P".
    case 'ldr': case 'ldrb': case 'ldrh': case 'ldrsb': case 'ldrsh':
    case 'str': case 'strb': case 'strh': {
      const literal = ops.rn === 15 && ops.rm === undefined && inFlash(config, address) ? config.flashWaitStates : 0;
      return { base: 2 + literal, kind: TimingKind.memory, rn: 0, rm: 0, accumulate: false };
    }
    // LDREX/STREX: "2" (not pipelined with neighbours: exclusives are not "single" loads).
    case 'ldrex': case 'ldrexb': case 'ldrexh': case 'strex': case 'strexb': case 'strexh':
      return plain(2);
    // LDRD/STRD: "1 + N" with N = 2 words.
    case 'ldrd': case 'strd': return plain(3);
    // LDM/STM/PUSH/POP: "1 + N" (with PC in the list "1 + N + P").
    case 'ldm': case 'stm': case 'ldmdb': case 'stmdb': return plain(1 + listLength(d));
    case 'push': case 'pop':
      return d.encoding.name === 'T3' ? { base: 2, kind: TimingKind.memory, rn: 0, rm: 0, accumulate: false } : plain(1 + listLength(d));
    // TBB/TBH: "2 + P" (the P when the run loop sees the branch).
    case 'tbb': case 'tbh': return plain(2);
    // Multiplies: MUL "1"; MLA/MLS "2" on the M3, "1" on the M4 (single-cycle MAC).
    case 'mul': return plain(1);
    case 'mla': case 'mls': return plain(config.core === 'cortex-m4' ? 1 : 2);
    // UMULL/SMULL "3-5", UMLAL/SMLAL "4-7" on the M3 (early termination); all "1" on the M4.
    case 'umull': case 'smull': case 'umlal': case 'smlal':
      if (config.core === 'cortex-m4') return plain(1);
      return { base: 0, kind: TimingKind.longMultiply, rn: ops.rn ?? 0, rm: ops.rm ?? 0, accumulate: m === 'umlal' || m === 'smlal' };
    // SDIV/UDIV: "2-12", "Division operations terminate early depending on the size of the operands".
    case 'sdiv': case 'udiv': return { base: 0, kind: TimingKind.divide, rn: ops.rn ?? 0, rm: ops.rm ?? 0, accumulate: m === 'sdiv' };
    // MRS/MSR: "2" ([M3]: MSR "2", MRS "2"; [M4] the same).
    case 'mrs': case 'msr': return plain(2);
    // Everything else: data processing, shifts, extends, bit fields, saturation, CLZ/REV,
    // branches before the refill (B/BL/BX/BLX/CBZ "1 + P"), IT, hints, barriers (B = 0),
    // CPS, BKPT/SVC (the exception entry is counted separately): 1 cycle. FPU: fpuTiming.
    default: return m.startsWith('v') ? fpuTiming(d) : plain(1);
  }
}

/**
 * FPv4-SP costs, [M4] Table 7-1: VDIV and VSQRT "14"; VMLA/VMLS/VNMLA/VNMLS and the fused
 * VFMA/VFMS/VFNMA/VFNMS "3"; VLDR/VSTR "2" for a single register and "3" for a doubleword;
 * VLDM/VSTM/VPUSH/VPOP "1 + N" (N words: .64 lists are "1 + 2N" in D registers); VMOV of a
 * doubleword to or from two core registers "2"; the rest (VADD, VSUB, VMUL, VNMUL, VABS,
 * VNEG, VCMP, VCVT, VMOV, VMRS, VMSR) "1". FP loads are not pipelined with neighbours.
 */
function fpuTiming(d: DecodedInst): InstructionTiming {
  const m = d.encoding.mnemonic;
  switch (m) {
    case 'vdiv.f32': case 'vsqrt.f32': return plain(14);
    case 'vmla.f32': case 'vmls.f32': case 'vnmla.f32': case 'vnmls.f32':
    case 'vfma.f32': case 'vfms.f32': case 'vfnma.f32': case 'vfnms.f32':
      return plain(3);
    case 'vldr': case 'vstr': return plain(d.encoding.name === 'T1' ? 3 : 2);
    case 'vldmia': case 'vldmdb': case 'vstmia': case 'vstmdb': case 'vpush': case 'vpop':
      return plain(1 + (d.operands.imm ?? 0));
    case 'vmov': return plain(d.encoding.name === 'T1 D to core' || d.encoding.name === 'T1 core to D' ? 2 : 1);
    default: return plain(1);
  }
}

/** Significant bits of a magnitude (0 for 0). */
const bitLength = (x: number): number => 32 - Math.clz32(x);

/**
 * SDIV/UDIV: 2-12 cycles. The TRM gives only the range and "early termination depending on
 * the size of the operands"; we model it as linear in the number of quotient bits the
 * divider must produce (bits of the dividend beyond those of the divisor): 0 quotient bits
 * (dividend < divisor, or a zero divisor) take 2 cycles, 32 take 12.
 */
export function divideCycles(dividend: number, divisor: number, signed: boolean): number {
  const n = signed ? Math.abs(dividend | 0) >>> 0 : dividend >>> 0;
  const d = signed ? Math.abs(divisor | 0) >>> 0 : divisor >>> 0;
  if (d === 0 || n < d) return 2;
  const quotientBits = bitLength(n) - bitLength(d) + 1;
  return 2 + Math.ceil((quotientBits * 10) / 32);
}

/**
 * UMULL/SMULL (3-5) and UMLAL/SMLAL (4-7) on the M3: the multiplier terminates early when
 * the operands are small. Our model: 3 (4 with accumulate) + 1 for each operand whose
 * magnitude needs more than 16 bits; the TRM's seventh MLAL cycle is not modelled.
 */
export function longMultiplyCycles(a: number, b: number, accumulate: boolean): number {
  const wide = (x: number): number => (bitLength(Math.abs(x | 0) >>> 0) > 16 ? 1 : 0);
  return (accumulate ? 4 : 3) + wide(a) + wide(b);
}

/** The refill P after a taken branch to `target` (whose instruction is `size` bytes). */
export function refillCycles(config: TimingConfig, target: number, size: number): number {
  const split = size === 4 && (target & 2) !== 0 ? 1 : 0;
  return 1 + split + (inFlash(config, target) ? config.flashWaitStates : 0);
}

/** The data-dependent part of an instruction's cost, read before it executes. */
export function dynamicCycles(t: InstructionTiming, r: Int32Array): number {
  if (t.kind === TimingKind.divide) return divideCycles(r[t.rn]!, r[t.rm]!, t.accumulate);
  return longMultiplyCycles(r[t.rn]!, r[t.rm]!, t.accumulate);
}
