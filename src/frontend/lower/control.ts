// Control instructions: structured Wasm control flow into IR blocks and terminators.
//
// Blocks made here and their source keys (unique per function):
//   loop header              offset of `loop`   params: loop params, locals
//   if's then arm            offset of `if`
//   if's else arm            offset of `else`
//   continuation after end   offset of `end`    params: results, locals (made on first use)
//   br_if's fall-through     offset of `br_if`
//   function's return block  offset of the final `end`, params: results (for br_if/br_table)
// A `block` opens no IR block: its params simply stay on the operand stack.

import { blockById } from '../../ir/function.js';
import type { Instr } from '../module.js';
import type { ControlFrame, FunctionLowering, IntBlockType, LowerRule } from './context.js';

export const controlRules: Readonly<Record<string, LowerRule>> = {
  // nop -> nothing
  'nop': () => {},
  // block -> nothing yet; its end is a merge block
  'block': (ctx, ins) => openFrame(ctx, 'block', blockType(ctx, ins), ins),
  // loop -> jump to a new header block with params (loop params, locals)
  'loop': lowerLoop,
  // if -> brif cond to the then arm and to the else arm (or the continuation)
  'if': lowerIf,
  // else -> then arm jumps to the continuation; go on in the else arm
  'else': lowerElse,
  // end -> jump to the continuation and go on there (loop: just go on)
  'end': lowerEnd,
  // br -> jump to the label's block (to the function's label: return)
  'br': (ctx, ins) => {
    const depth = ins.index!;
    if (depth === ctx.control.length - 1) ctx.emitReturn();
    else jumpTo(ctx, depth);
    ctx.markDead();
  },
  // br_if -> brif cond to the label's block, else to a fall-through block
  'br_if': (ctx, ins) => {
    const cond = ctx.pop();
    const taken = ctx.branchTo(ins.index!);
    const next = ctx.b.createBlock(ins.offset);
    ctx.b.brif(cond, taken, { block: next, args: [] });
    ctx.enter(next);
  },
  // br_table -> br_table index, one target per label depth, the default last
  'br_table': (ctx, ins) => {
    const index = ctx.pop();
    const targets = [...ins.depths!, ins.index!].map((depth) => ctx.branchTo(depth));
    ctx.b.emit('br_table', { args: [index], targets });
    ctx.markDead();
  },
  // return -> return with the function's results
  'return': (ctx) => {
    ctx.emitReturn();
    ctx.markDead();
  },
  // unreachable -> trap 'unreachable'
  'unreachable': (ctx) => {
    ctx.b.emit('trap', { trap: 'unreachable' });
    ctx.markDead();
  },
};

function jumpTo(ctx: FunctionLowering, depth: number): void {
  const { block, args } = ctx.branchTo(depth);
  ctx.b.jump(block, args);
}

function blockType(ctx: FunctionLowering, ins: Instr): IntBlockType {
  const bt = ins.blockType ?? { params: [], results: [] };
  return { params: ctx.intTypes(bt.params, ins.op), results: ctx.intTypes(bt.results, ins.op) };
}

function openFrame(
  ctx: FunctionLowering,
  kind: ControlFrame['kind'],
  type: IntBlockType,
  ins: Instr,
  extra: Partial<Pick<ControlFrame, 'target' | 'elseArm'>> = {},
): ControlFrame {
  const construct = ctx.constructs.get(ctx.at);
  if (construct === undefined) throw ctx.broken(`${ins.op} without end`);
  const frame: ControlFrame = {
    kind,
    type,
    height: ctx.stack.length - type.params.length,
    construct,
    endOffset: ctx.code.body[construct.endAt]!.offset,
    reachable: true,
    ...extra,
  };
  ctx.control.push(frame);
  return frame;
}

function lowerLoop(ctx: FunctionLowering, ins: Instr): void {
  const type = blockType(ctx, ins);
  const header = ctx.createMergeBlock(type.params, ins.offset);
  ctx.b.jump(header, ctx.mergeArgs(type.params.length));
  const frame = openFrame(ctx, 'loop', type, ins, { target: header });
  ctx.enterMergeBlock(header, frame.height, type.params.length);
}

function lowerIf(ctx: FunctionLowering, ins: Instr): void {
  const type = blockType(ctx, ins);
  const cond = ctx.pop();
  const then = ctx.b.createBlock(ins.offset);
  const elseAt = ctx.constructs.get(ctx.at)?.elseAt;
  if (elseAt === undefined) {
    // Without an else arm, false goes straight to the continuation with the if's params
    // (which validation makes equal to its results).
    openFrame(ctx, 'if', type, ins);
    ctx.b.brif(cond, { block: then, args: [] }, ctx.branchTo(0));
  } else {
    // Both arms are dominated by this block, so they use the params and locals as they are.
    const elseBlock = ctx.b.createBlock(ctx.code.body[elseAt]!.offset);
    const elseArm = { block: elseBlock, params: ctx.peekN(type.params.length), locals: [...ctx.locals] };
    openFrame(ctx, 'if', type, ins, { elseArm });
    ctx.b.brif(cond, { block: then, args: [] }, { block: elseBlock, args: [] });
  }
  ctx.enter(then);
}

function lowerElse(ctx: FunctionLowering): void {
  const frame = ctx.innermost;
  const arm = frame.elseArm;
  if (arm === undefined) throw ctx.broken('else without if');
  if (frame.reachable) jumpTo(ctx, 0);
  ctx.enter(arm.block);
  ctx.stack.length = frame.height;
  ctx.stack.push(...arm.params);
  ctx.locals = [...arm.locals];
  frame.reachable = true;
}

function lowerEnd(ctx: FunctionLowering): void {
  const frame = ctx.innermost;
  if (frame.kind === 'function') return endFunction(ctx, frame);
  if (frame.kind === 'loop') {
    // A loop's end is no merge point: fall-through code just goes on in the same block.
    ctx.control.pop();
    if (!frame.reachable) deadAfterEnd(ctx, frame);
    return;
  }
  if (frame.reachable) jumpTo(ctx, 0);
  ctx.control.pop();
  if (frame.target === undefined) return deadAfterEnd(ctx, frame);
  ctx.enterMergeBlock(frame.target, frame.height, frame.type.results.length);
}

/** Nothing reaches the code after this end: it is dead up to the enclosing else or end. */
function deadAfterEnd(ctx: FunctionLowering, frame: ControlFrame): void {
  ctx.stack.length = frame.height;
  ctx.markDead();
}

function endFunction(ctx: FunctionLowering, frame: ControlFrame): void {
  if (frame.reachable) {
    if (frame.target === undefined) ctx.emitReturn();
    else ctx.b.jump(frame.target, ctx.mergeArgs(frame.type.results.length, true));
  }
  if (frame.target !== undefined) {
    ctx.enter(frame.target);
    ctx.b.emit('return', { args: [...blockById(ctx.b.func, frame.target).params] });
  }
  ctx.control.pop();
}
