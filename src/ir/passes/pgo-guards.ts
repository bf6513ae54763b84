// Building blocks of the profile-guided rewrites that put a test for the common case in
// front of a general operation (switch-order's compare chain, indirect-call promotion's
// target check): appending instructions to a block while keeping the value table right,
// and new blocks that carry the source key of the block they derive from, so that a later
// profile of this build still names them.

import type { Block, BlockCall, Inst, IrFunction } from '../function.js';
import type { Opcode } from '../opcodes.js';
import { makeInst, newResult } from '../rewrite.js';
import type { BlockId, IntCC, Type, Value } from '../types.js';
import { sourceKeyOf } from './pgo-profile.js';

/** Appends instructions at one source offset to the blocks it is pointed at. */
export class GuardBuilder {
  constructor(private readonly func: IrFunction, private readonly srcOffset: number) {}

  /** Append a single-result instruction to `block`. */
  value(block: Block, op: Opcode, type: Type, fields: Omit<Partial<Inst>, 'op' | 'results' | 'srcOffset'> = {}): Value {
    const inst = makeInst({ op, args: [], ...fields, srcOffset: this.srcOffset });
    const v = newResult(this.func, inst, type);
    block.insts.push(inst);
    return v;
  }

  iconst(block: Block, value: number): Value {
    return this.value(block, 'iconst', 'i32', { type: 'i32', imm: value | 0 });
  }

  /** `a <cc> b` as an i32 0/1, with `b` a constant. */
  compare(block: Block, cc: IntCC, a: Value, constant: number): Value {
    return this.value(block, 'icmp', 'i32', { cc, args: [a, this.iconst(block, constant)] });
  }

  brif(block: Block, cond: Value, then: BlockCall, otherwise: BlockCall): void {
    block.insts.push({ op: 'brif', args: [cond], results: [], targets: [then, otherwise], srcOffset: this.srcOffset });
  }

  jump(block: Block, target: BlockCall): void {
    block.insts.push({ op: 'jump', args: [], results: [], targets: [target], srcOffset: this.srcOffset });
  }
}

/** A new empty block with `from`'s source key, not yet in the function's block list. */
export function derivedBlock(from: Block, id: BlockId): Block {
  return { ...sourceKeyOf(from), id, params: [], insts: [] };
}
