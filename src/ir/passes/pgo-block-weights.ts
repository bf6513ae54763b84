// pgo-block-weights: write each block's profiled frequency (Block.frequency: runs per entry
// of the function) onto the block, for the backend's register allocator, which weighs the
// cost of spilling a value by how often the blocks that use it run. Without it the
// allocator estimates that from loop nesting alone, which puts a loop that runs 3 times
// on a par with one that runs 3,000 times and an error path inside a loop on a par with
// the loop's body.
//
// Runs last, after every pass that adds or removes blocks, so the counts are those of the
// blocks the backend sees (blocks the profiled build did not have are inferred from their
// predecessors, pgo-profile.ts blockFrequencies). Needs ctx.profile; does nothing without
// it or for a function that never ran. Changes no instruction: analyses stay valid.

import type { IrFunction } from '../function.js';
import type { PassContext } from '../pass.js';
import { blockFrequencies } from './pgo-profile.js';

export const name = 'pgo-block-weights';

export function run(func: IrFunction, ctx: PassContext): void {
  const profile = ctx.profile;
  if (profile === undefined || profile.entryCount === 0) return;
  const counts = blockFrequencies(func, profile);
  for (const block of func.blocks) block.frequency = counts.get(block.id)! / profile.entryCount;
}
