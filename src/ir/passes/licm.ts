// licm: loop-invariant code motion. A pure instruction (no side effects, cannot trap)
// inside a natural loop whose operands are all defined outside the loop, or by
// instructions already hoisted, moves to the loop's preheader: it computes the same value
// on every iteration, and computing it once even when the loop body would not have run is
// harmless because it cannot trap. Constants stay where they are: the backend
// rematerialises them at each use anyway.
//
// The preheader is the one block outside the loop that enters the header, when it has no
// other successor; otherwise a new block takes every entering edge (with its args, as
// params) and jumps to the header. Inner loops go first, so an invariant of an inner loop
// can move on out of the outer one. Adds blocks: invalidates the CFG and the dominators.

import { buildCfg } from '../analysis/cfg.js';
import { computeLoops, type Loop } from '../analysis/loops.js';
import { blockById, successors, type Block, type IrFunction } from '../function.js';
import { opInfo } from '../opcodes.js';
import type { PassContext } from '../pass.js';
import { freshBlockId, newParam } from '../rewrite.js';
import type { BlockId, Value } from '../types.js';

export const name = 'licm';

export function run(func: IrFunction, _ctx: PassContext): void {
  const preheaders = ensurePreheaders(func);
  const cfg = buildCfg(func);
  const loops = computeLoops(func, cfg);
  const order = new Map(cfg.reversePostorder.map((b, i) => [b, i]));
  for (const loop of loops.loops) {
    const preheader = preheaders.get(loop.header);
    if (preheader !== undefined) hoistInvariants(func, loop, blockById(func, preheader), order);
  }
}

/** Gives every loop a preheader; returns header -> preheader. */
function ensurePreheaders(func: IrFunction): Map<BlockId, BlockId> {
  for (;;) {
    const cfg = buildCfg(func);
    const loops = computeLoops(func, cfg);
    const found = new Map<BlockId, BlockId>();
    let created = false;
    for (const loop of loops.loops) {
      const entering = cfg.predecessors(loop.header).filter((p) => !loop.blocks.has(p));
      const sole = entering.length === 1 ? blockById(func, entering[0]!) : undefined;
      if (sole !== undefined && new Set(successors(sole)).size === 1) {
        found.set(loop.header, sole.id);
      } else if (entering.length > 0) {
        createPreheader(func, blockById(func, loop.header), loop);
        created = true;
        break; // the loops changed: compute them again
      }
    }
    if (!created) return found;
  }
}

function createPreheader(func: IrFunction, header: Block, loop: Loop): void {
  // The preheader shares the header's profile key (docs/profile.md: derived blocks).
  const preheader: Block = { id: freshBlockId(func), params: [], insts: [], srcOffset: header.srcOffset, ...(header.ordinal !== undefined ? { ordinal: header.ordinal } : {}) };
  const args: Value[] = header.params.map((p) => newParam(func, preheader, func.values[p]!.type));
  for (const block of func.blocks) {
    if (loop.blocks.has(block.id)) continue;
    for (const inst of block.insts) {
      for (const target of inst.targets) if (target.block === header.id) target.block = preheader.id;
    }
  }
  preheader.insts.push({ op: 'jump', args: [], results: [], targets: [{ block: header.id, args }], srcOffset: header.srcOffset });
  func.blocks.splice(func.blocks.indexOf(header), 0, preheader);
}

function hoistInvariants(func: IrFunction, loop: Loop, preheader: Block, order: ReadonlyMap<BlockId, number>): void {
  const definedInLoop = new Set<Value>();
  const blocks = [...loop.blocks].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)).map((id) => blockById(func, id));
  for (const block of blocks) {
    block.params.forEach((p) => definedInLoop.add(p));
    for (const inst of block.insts) inst.results.forEach((r) => definedInLoop.add(r));
  }
  const hoisted = [];
  // Reverse postorder visits a definition before its uses (no back edge can feed an invariant).
  for (const block of blocks) {
    for (const inst of [...block.insts]) {
      const info = opInfo(inst.op);
      if (info.pure !== true || info.terminator === true || inst.op === 'iconst' || inst.op === 'fconst') continue;
      if (inst.args.some((a) => definedInLoop.has(a))) continue;
      block.insts.splice(block.insts.indexOf(inst), 1);
      inst.results.forEach((r) => definedInLoop.delete(r));
      hoisted.push(inst);
    }
  }
  preheader.insts.splice(preheader.insts.length - 1, 0, ...hoisted);
}
