// Stack exhaustion (docs/abi.md, "Stack exhaustion"): a limit check in the prologue, before
// anything is pushed, so that a too-deep call chain traps with 'call stack exhausted'
// instead of running the stack below RAM (the stack is at the bottom of RAM).
//
//   movw ip, #:lower16:(__stack_bottom + guard + frame)
//   movt ip, #:upper16:(__stack_bottom + guard + frame)
//   cmp  sp, ip
//   blo  <udf #9>
//
// Every function that calls (the depth of a call chain is unbounded when it recurses or
// calls indirectly, and the check is four instructions) and every leaf with a large frame
// is checked. A checked function leaves at least `guard` bytes below its frame; that
// headroom holds an unchecked leaf frame, runtime-c's own calls (wasi, memory helpers,
// libgcc) and the fault handler that reports the trap on the same stack.

import { TRAP_KINDS } from '../ir/types.js';
import { SP, type Label, type MInst } from './mir.js';
import { IP } from './registers.js';

/** Linker-defined: the lowest address of the machine stack. */
export const STACK_LIMIT_SYMBOL = '__stack_bottom';
/** Bytes a leaf may keep below its caller's checked frame without a check of its own. */
export const UNCHECKED_LEAF_FRAME_BYTES = 128;
/** Headroom kept below every checked frame: an unchecked leaf frame, runtime-c calls
 *  (each well under 128 bytes, measured with gcc -fstack-usage) and the fault handler
 *  (exception frame up to 104 bytes with FP state, plus the reporting code). */
export const STACK_GUARD_BYTES = 768;
/** MOVW/MOVT REL addends are signed 16-bit (AAELF). */
const MAX_MOV_ADDEND = 0x7fff;
/** addw's immediate. */
const MAX_ADDW = 4095;

/** Whether a function with this frame needs the check. */
export function needsStackCheck(hasCalls: boolean, frameBytes: number): boolean {
  return hasCalls || frameBytes > UNCHECKED_LEAF_FRAME_BYTES;
}

/** The check for a frame of `frameBytes`, branching to `trapLabel` when it does not fit. */
export function stackCheck(frameBytes: number, trapLabel: Label): MInst[] {
  const total = STACK_GUARD_BYTES + frameBytes;
  const direct = Math.min(total, MAX_MOV_ADDEND);
  const sym = { name: STACK_LIMIT_SYMBOL, addend: direct };
  const adds: MInst[] = [];
  for (let rest = total - direct; rest > 0; rest -= MAX_ADDW) {
    adds.push({ op: 'add', rd: IP, rn: IP, src: { kind: 'imm', value: Math.min(rest, MAX_ADDW) }, s: 'keep' });
  }
  return [
    { op: 'movw', rd: IP, imm: 0, sym },
    { op: 'movt', rd: IP, imm: 0, sym },
    ...adds,
    { op: 'cmp', rn: SP, src: { kind: 'reg', rm: IP } },
    { op: 'b', cond: 'cc', target: trapLabel },
  ];
}

/** The trap block the check branches to: `udf #9`, reported at the function's offset. */
export function stackTrap(srcOffset: number): MInst[] {
  return [{ op: 'udf', imm: TRAP_KINDS['call stack exhausted'], srcOffset }];
}
