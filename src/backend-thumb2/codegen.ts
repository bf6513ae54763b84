// The function-level code generator: IR function -> machine function on physical registers,
// with prologue and epilogue. Selection (isel/), allocation (regalloc.ts), frame (frame.ts),
// then flag reuse (flag-reuse.ts) and branch clean-up (branch-simplify.ts): a block that does not end in an unconditional
// branch, a return or a udf falls through to the next block.

import type { IrFunction } from '../ir/function.js';
import type { IrModule } from '../ir/module.js';
import { buildFrame } from './frame.js';
import { selectFunction } from './isel/select-function.js';
import type { MFunction } from './mir.js';
import { simplifyBranches } from './branch-simplify.js';
import { reuseFlags } from './flag-reuse.js';
import { allocateRegisters } from './regalloc.js';
import { SOFT_FLOAT_TARGET, type TargetFeatures } from './target.js';

export function generateFunction(f: IrFunction, mod: IrModule, target: TargetFeatures = SOFT_FLOAT_TARGET): MFunction {
  const vf = selectFunction(f, mod, target);
  allocateRegisters(vf);
  const blocks = buildFrame(vf);
  reuseFlags(blocks);
  simplifyBranches(blocks);
  return { symbol: vf.symbol, name: vf.name, wasmIndex: vf.wasmIndex, blocks };
}
