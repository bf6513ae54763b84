// Machine IR: Thumb-2 instructions in ARM UAL terms, on virtual or physical registers.
//
// The instruction selector produces MInsts on virtual registers; the register allocator
// rewrites them to physical ones; the emitter hands each to the encoder, which picks the
// shortest encoding (16-bit T1/T2 or 32-bit T3/T4) that fits the operands.

/** Registers: 0-15 are r0-r15; numbers from VREG_BASE up are virtual registers. */
export type Reg = number;
export const VREG_BASE = 64;
export const SP = 13;
export const LR = 14;
export const PC = 15;
/** Linear memory base (docs/abi.md). Never allocated. */
export const R9 = 9;

export const isVirtual = (r: Reg): boolean => r >= VREG_BASE;

/**
 * FPU single-precision registers s0-s31 (FPv4-SP) are register numbers S_REG_BASE + n,
 * between the core registers and the virtual ones. The allocator never hands them out:
 * the selector keeps f32 values in core registers and uses S registers only as fixed
 * scratch inside one FPU instruction sequence (isel/float-hard.ts).
 */
export const S_REG_BASE = 32;
export const sReg = (n: number): Reg => S_REG_BASE + n;
export const isSReg = (r: Reg): boolean => r >= S_REG_BASE && r < S_REG_BASE + 32;

export type Cond = 'eq' | 'ne' | 'cs' | 'cc' | 'mi' | 'pl' | 'vs' | 'vc' | 'hi' | 'ls' | 'ge' | 'lt' | 'gt' | 'le' | 'al';

/**
 * Whether a data-processing instruction updates NZCV.
 * 'set': it must (ADDS), 'keep': it must not (flags are live), 'any': the encoder may pick a
 * flag-setting 16-bit form if that is shorter.
 */
export type FlagMode = 'set' | 'keep' | 'any';

export type ShiftKind = 'lsl' | 'lsr' | 'asr' | 'ror';
export interface Shift {
  readonly kind: ShiftKind;
  readonly amount: number; // 1-31 (lsl 0 = no shift: omit the shift)
}

/** The flexible second operand of data-processing instructions. */
export type Operand2 =
  | { readonly kind: 'imm'; readonly value: number } // any 32-bit value; the encoder checks it fits
  | { readonly kind: 'reg'; readonly rm: Reg; readonly shift?: Shift };

export type Address =
  /** [rn, #offset], offset may be negative; 'pre'/'post' write back to rn. */
  | { readonly kind: 'imm'; readonly rn: Reg; readonly offset: number; readonly mode?: 'offset' | 'pre' | 'post' }
  /** [rn, rm, lsl #shift], shift 0-3. */
  | { readonly kind: 'reg'; readonly rn: Reg; readonly rm: Reg; readonly shift: number };

/** A symbol reference, resolved by a relocation in the object file. */
export interface SymRef {
  readonly name: string;
  readonly addend: number;
}

/** A branch target inside the current function: a machine block index. */
export type Label = number;

export type DataOp = 'add' | 'adc' | 'sub' | 'sbc' | 'rsb' | 'and' | 'orr' | 'eor' | 'bic' | 'orn';
export type ShiftOp = 'lsl' | 'lsr' | 'asr' | 'ror';
export type CompareOp = 'cmp' | 'cmn' | 'tst' | 'teq';
export type UnaryOp = 'clz' | 'rbit' | 'rev' | 'rev16' | 'revsh' | 'sxtb' | 'sxth' | 'uxtb' | 'uxth';
export type LoadOp = 'ldr' | 'ldrb' | 'ldrh' | 'ldrsb' | 'ldrsh';
export type StoreOp = 'str' | 'strb' | 'strh';
export type LongMulOp = 'umull' | 'smull' | 'umlal' | 'smlal';
/** FPU (VFP) operations on S registers, single precision only (FPv4-SP). */
export type VfpBinaryOp = 'vadd.f32' | 'vsub.f32' | 'vmul.f32' | 'vdiv.f32';
/** vmov.f32 is the S-to-S copy. */
export type VfpUnaryOp = 'vsqrt.f32' | 'vabs.f32' | 'vneg.f32' | 'vmov.f32';
/** Float <-> 32-bit integer in S registers: vcvt to an integer rounds toward zero, vcvtr
 *  by FPSCR's mode; both saturate and give 0 for NaN. To float rounds by FPSCR's mode. */
export type VfpConvertOp =
  | 'vcvt.s32.f32' | 'vcvt.u32.f32' | 'vcvtr.s32.f32' | 'vcvtr.u32.f32' | 'vcvt.f32.s32' | 'vcvt.f32.u32';

export type MInst =
  | { op: DataOp; rd: Reg; rn: Reg; src: Operand2; s: FlagMode; cond?: Cond }
  | { op: ShiftOp; rd: Reg; rm: Reg; src: { kind: 'imm'; value: number } | { kind: 'reg'; rs: Reg }; s: FlagMode; cond?: Cond }
  | { op: 'mov' | 'mvn'; rd: Reg; src: Operand2; s: FlagMode; cond?: Cond }
  /** movw/movt: a 16-bit immediate, or the low/high half of a symbol's address. */
  | { op: 'movw' | 'movt'; rd: Reg; imm: number; sym?: SymRef; cond?: Cond }
  | { op: CompareOp; rn: Reg; src: Operand2; cond?: Cond }
  | { op: 'mul'; rd: Reg; rn: Reg; rm: Reg; s: FlagMode; cond?: Cond }
  | { op: 'mla' | 'mls'; rd: Reg; rn: Reg; rm: Reg; ra: Reg; cond?: Cond }
  | { op: LongMulOp; rdLo: Reg; rdHi: Reg; rn: Reg; rm: Reg; cond?: Cond }
  | { op: 'sdiv' | 'udiv'; rd: Reg; rn: Reg; rm: Reg; cond?: Cond }
  | { op: UnaryOp; rd: Reg; rm: Reg; cond?: Cond }
  | { op: 'ubfx' | 'sbfx'; rd: Reg; rn: Reg; lsb: number; width: number; cond?: Cond }
  | { op: LoadOp; rt: Reg; addr: Address; cond?: Cond }
  | { op: StoreOp; rt: Reg; addr: Address; cond?: Cond }
  | { op: 'ldrd' | 'strd'; rt: Reg; rt2: Reg; addr: Address & { kind: 'imm' }; cond?: Cond }
  | { op: 'push' | 'pop'; regs: Reg[] }
  /** Branch to a label; cond 'al' or absent is unconditional. */
  | { op: 'b'; target: Label; cond?: Cond }
  | { op: 'cbz' | 'cbnz'; rn: Reg; target: Label }
  /** Call a symbol (R_ARM_THM_CALL). srcOffset: the Wasm `call` it implements, for the profile map. */
  | { op: 'bl'; sym: SymRef; srcOffset?: number }
  /** blx: srcOffset of the Wasm `call_indirect` it implements, for the profile map. */
  | { op: 'blx' | 'bx'; rm: Reg; srcOffset?: number }
  /** If-Then: `mask` is the then/else pattern after the first instruction, e.g. '' (IT), 't', 'e', 'te'. */
  | { op: 'it'; firstCond: Cond; mask: string }
  /** udf: a trap site; srcOffset is the Wasm code offset reported when it traps, funcIndex the
   *  Wasm function reported when it is not the one compiled (code inlined from it). */
  | { op: 'udf' | 'bkpt'; imm: number; srcOffset?: number; funcIndex?: number }
  | { op: 'nop' }
  /** Register copy inserted by the selector; the allocator coalesces or lowers it to mov. */
  | { op: 'copy'; rd: Reg; rm: Reg }
  // ---- FPU: rd/rn/rm name S registers (sReg), except vmov's core-register side and vldr/vstr's base
  | { op: VfpBinaryOp; rd: Reg; rn: Reg; rm: Reg; cond?: Cond }
  | { op: VfpUnaryOp | VfpConvertOp; rd: Reg; rm: Reg; cond?: Cond }
  /** Compare rd with rm, or with #0.0 when rm is absent, into FPSCR's NZCV; vcmpe also
   *  raises Invalid Operation for quiet NaNs. */
  | { op: 'vcmp.f32' | 'vcmpe.f32'; rd: Reg; rm?: Reg; cond?: Cond }
  /** vmrs APSR_nzcv, fpscr: copy the FPU's comparison flags to the core's NZCV. */
  | { op: 'vmrs'; cond?: Cond }
  /** Move 32 bits between a core register and an S register (exactly one side is an S register). */
  | { op: 'vmov'; rd: Reg; rm: Reg; cond?: Cond }
  /** Load/store an S register: [rn, #offset], offset a multiple of 4 within +-1020. */
  | { op: 'vldr' | 'vstr'; rt: Reg; addr: Address & { kind: 'imm' }; cond?: Cond };

export type MOp = MInst['op'];

/** A machine basic block. Its label is its index in MFunction.blocks. */
export interface MBlock {
  insts: MInst[];
  /** Wasm code offset of the IR block it came from (profile source key). */
  srcOffset: number;
  /** Set on the block that starts an IR block: that block's key ordinal (IR Block.ordinal),
   *  which with srcOffset is its profile key. Absent on blocks the backend adds (argument
   *  setup, edge moves, switch trees, traps): the profile map counts them with the IR block
   *  laid out before them (docs/profile.md). */
  ordinal?: number;
}

export interface MFunction {
  /** Symbol of the function's code (docs/abi.md). */
  readonly symbol: string;
  readonly name: string;
  readonly wasmIndex: number;
  blocks: MBlock[];
}
