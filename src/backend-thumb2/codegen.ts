// The function-level code generator: IR function -> machine function on physical registers,
// with prologue and epilogue. Selection (isel/), allocation (regalloc.ts), frame (frame.ts),
// then branches to the next block in layout are dropped: a block that does not end in an
// unconditional branch, a return or a udf falls through to the next block.

import type { IrFunction } from '../ir/function.js';
import type { IrModule } from '../ir/module.js';
import { buildFrame } from './frame.js';
import { selectFunction } from './isel/select-function.js';
import { invertCond } from './isel/compare.js';
import type { MBlock, MFunction, MInst } from './mir.js';
import { allocateRegisters } from './regalloc.js';
import { SOFT_FLOAT_TARGET, type TargetFeatures } from './target.js';

export function generateFunction(f: IrFunction, mod: IrModule, target: TargetFeatures = SOFT_FLOAT_TARGET): MFunction {
  const vf = selectFunction(f, mod, target);
  allocateRegisters(vf);
  const blocks = buildFrame(vf);
  blocks.forEach((block, b) => simplifyBranches(block, b + 1));
  return { symbol: vf.symbol, name: vf.name, wasmIndex: vf.wasmIndex, blocks };
}

const isBranchTo = (inst: MInst | undefined, target: number): boolean => inst?.op === 'b' && inst.target === target;
const isUnconditional = (inst: MInst): boolean => inst.op === 'b' && (inst.cond === undefined || inst.cond === 'al');

/** `b<c> next; b X` -> `b<!c> X`; a trailing branch to the next block is dropped. */
function simplifyBranches(block: MBlock, next: number): void {
  const insts = block.insts;
  const last = insts[insts.length - 1];
  const prev = insts[insts.length - 2];
  if (last !== undefined && prev?.op === 'b' && prev.cond !== undefined && prev.cond !== 'al'
      && isBranchTo(prev, next) && last.op === 'b' && isUnconditional(last)) {
    insts.splice(insts.length - 2, 2, { op: 'b', cond: invertCond(prev.cond), target: last.target });
  }
  while (isBranchTo(insts[insts.length - 1], next)) insts.pop();
}
