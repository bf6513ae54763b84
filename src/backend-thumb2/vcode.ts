// Machine code before register allocation: MInsts on virtual registers, annotated with what
// the allocator and the frame builder must know but an MInst cannot say (implicit register
// uses and clobbers of calls and returns, stack-slot references resolved once the frame
// layout is known). Instruction selection produces a VFunction; regalloc.ts and frame.ts
// turn it into an MFunction.

import type { MInst, Reg } from './mir.js';

/** A stack reference whose final sp offset is known only after allocation (frame.ts). */
export type FrameRef =
  /** Spill slot `slot` (4 bytes each). */
  | { readonly area: 'spill'; readonly slot: number }
  /** Incoming stack argument at byte `offset` of the caller's outgoing area. */
  | { readonly area: 'incoming'; readonly offset: number };

export interface VInst {
  inst: MInst;
  /** Physical registers read implicitly (call arguments, returned values). */
  implicitUses?: readonly Reg[];
  /** Physical registers written implicitly (call clobbers and results). */
  implicitDefs?: readonly Reg[];
  /** The inst is a load/store [sp, #0] whose offset frame.ts fills in from this reference. */
  frame?: FrameRef;
  /** A function return: frame.ts puts the epilogue here. */
  isReturn?: boolean;
}

export interface VBlock {
  insts: VInst[];
  srcOffset: number;
  /** The IR block's key ordinal, on the block that starts an IR block (MBlock.ordinal). */
  ordinal?: number;
  /** Runs per function entry, from the profile (IR Block.frequency); see block-weights.ts. */
  frequency?: number;
}

export interface VFunction {
  readonly symbol: string;
  readonly name: string;
  readonly wasmIndex: number;
  /** Blocks in layout order; branch targets are indices into this array. */
  blocks: VBlock[];
  /** Next unused virtual register number. */
  nextVreg: number;
  /** Bytes of outgoing stack arguments the largest call needs, at [sp, #0]. */
  outgoingArgBytes: number;
  /** Spill slots allocated so far (regalloc adds them). */
  spillSlots: number;
  /** Whether the function calls anything (so the frame saves lr). */
  hasCalls: boolean;
}

export const vinst = (inst: MInst, extra: Omit<VInst, 'inst'> = {}): VInst => ({ inst, ...extra });
