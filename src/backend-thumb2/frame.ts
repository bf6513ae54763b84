// Frame layout, prologue and epilogue (AAPCS, docs/abi.md).
//
//   caller's outgoing arguments   <- incoming stack parameters
//   saved r4-r8, r10, r11, lr     (push, only those the function writes)
//   padding to 8 bytes
//   spill slots                   [sp, #outgoing + 4 * slot]
//   outgoing call arguments       [sp, #0]                      <- sp (8-byte aligned)
//
// A leaf that saves nothing and has no stack data keeps `bx lr`; any other function pushes
// lr with its callee-saved registers and returns with `pop {..., pc}`.

import { LR, PC, SP, type MBlock, type MInst, type Reg } from './mir.js';
import { CALLEE_SAVED_REGS, IP } from './registers.js';
import { tryThumbExpandImm } from './operands.js';
import { regOperands } from './inst-registers.js';
import { materializeConstant } from './isel/constants.js';
import { needsStackCheck, stackCheck, stackTrap } from './stack-check.js';
import type { FrameRef, VFunction, VInst } from './vcode.js';

export interface FrameLayout {
  /** Registers pushed by the prologue, in ascending order (lr last when present). */
  readonly saved: readonly Reg[];
  /** Bytes below the saved registers: spill slots, outgoing arguments, padding. */
  readonly localBytes: number;
  readonly outgoingBytes: number;
}

export function planFrame(f: VFunction): FrameLayout {
  const written = new Set<Reg>();
  for (const block of f.blocks) for (const vi of block.insts) for (const r of regOperands(vi.inst).defs) written.add(r);
  const calleeSaved = CALLEE_SAVED_REGS.filter((r) => written.has(r));
  const dataBytes = f.outgoingArgBytes + 4 * f.spillSlots;
  const needsFrame = f.hasCalls || written.has(LR) || calleeSaved.length > 0 || dataBytes > 0;
  const saved = needsFrame ? [...calleeSaved, LR] : [];
  const pushed = 4 * saved.length;
  const localBytes = ((pushed + dataBytes + 7) & ~7) - pushed;
  return { saved, localBytes, outgoingBytes: f.outgoingArgBytes };
}

/** sp := sp +/- bytes, through r12 when the amount has no immediate encoding. */
function adjustSp(op: 'add' | 'sub', bytes: number): MInst[] {
  if (bytes === 0) return [];
  if (tryThumbExpandImm(bytes) !== undefined || bytes < 4096) return [{ op, rd: SP, rn: SP, src: { kind: 'imm', value: bytes }, s: 'keep' }];
  return [...materializeConstant(IP, bytes), { op, rd: SP, rn: SP, src: { kind: 'reg', rm: IP }, s: 'keep' }];
}

/** The largest offset of `ldr/str rt, [sp, #imm12]`. */
const MAX_SP_OFFSET = 4095;

/**
 * A frame slot beyond [sp, #4095] (frames over 4 KiB): the base sp + (offset & ~0xfff) goes in
 * a register first. A load uses its own destination; a store borrows r0 or r1 around the
 * access with push/pop, since every other register may be allocated (r12 too) and moving
 * sp up instead would let an interrupt overwrite the frame.
 */
function farFrameAccess(op: 'ldr' | 'str', rt: Reg, offset: number): MInst[] {
  const low = offset & 0xfff;
  if (op === 'ldr') {
    return [{ op: 'add', rd: rt, rn: SP, src: { kind: 'imm', value: offset - low }, s: 'keep' }, { op, rt, addr: { kind: 'imm', rn: rt, offset: low } }];
  }
  const base: Reg = rt === 0 ? 1 : 0;
  const pushed = offset + 4;
  const pushedLow = pushed & 0xfff;
  return [
    { op: 'push', regs: [base] },
    { op: 'add', rd: base, rn: SP, src: { kind: 'imm', value: pushed - pushedLow }, s: 'keep' },
    { op, rt, addr: { kind: 'imm', rn: base, offset: pushedLow } },
    { op: 'pop', regs: [base] },
  ];
}

function frameOffset(layout: FrameLayout, ref: FrameRef): number {
  if (ref.area === 'spill') return layout.outgoingBytes + 4 * ref.slot;
  return layout.localBytes + 4 * layout.saved.length + ref.offset;
}

/** The final instruction(s) for one allocated instruction: frame offsets filled, returns expanded. */
function finishInst(layout: FrameLayout, vi: VInst): MInst[] {
  const inst = vi.inst;
  if (vi.frame !== undefined && (inst.op === 'ldr' || inst.op === 'str')) {
    const offset = frameOffset(layout, vi.frame);
    if (offset > MAX_SP_OFFSET) return farFrameAccess(inst.op, inst.rt, offset);
    return [{ ...inst, addr: { kind: 'imm', rn: SP, offset } }];
  }
  if (vi.isReturn === true && layout.saved.length > 0) {
    return [...adjustSp('add', layout.localBytes), { op: 'pop', regs: layout.saved.map((r) => (r === LR ? PC : r)) }];
  }
  return [inst];
}

/** Lay out the frame of an allocated function and produce its final blocks; a function
 *  that calls or has a large frame first checks the stack limit (stack-check.ts), its trap
 *  block laid out last. */
export function buildFrame(f: VFunction): MBlock[] {
  const layout = planFrame(f);
  const frameBytes = 4 * layout.saved.length + layout.localBytes;
  const checked = needsStackCheck(f.hasCalls, frameBytes);
  const entryOffset = f.blocks[0]?.srcOffset ?? 0;
  const push: MInst[] = layout.saved.length > 0 ? [{ op: 'push', regs: [...layout.saved] }, ...adjustSp('sub', layout.localBytes)] : [];
  const prologue = [...(checked ? stackCheck(frameBytes, f.blocks.length) : []), ...push];
  const blocks = f.blocks.map((block, b) => ({
    srcOffset: block.srcOffset,
    ...(block.ordinal !== undefined ? { ordinal: block.ordinal } : {}),
    insts: [...(b === 0 ? prologue : []), ...block.insts.flatMap((vi) => finishInst(layout, vi))],
  }));
  return checked ? [...blocks, { srcOffset: entryOffset, insts: stackTrap(entryOffset) }] : blocks;
}
