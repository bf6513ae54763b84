// Spill-cost weights of machine blocks (block-weights.ts): loop nesting from the control-flow
// graph whatever the layout (profile-guided layout puts a loop's latch after the code that
// follows the loop), and the profile's frequencies when the blocks carry them.

import { describe, expect, it } from 'vitest';
import { blockWeights, loopDepths } from '../../src/backend-thumb2/block-weights.js';
import type { Cond } from '../../src/backend-thumb2/mir.js';
import { vinst, type VBlock, type VFunction } from '../../src/backend-thumb2/vcode.js';

/** A block that ends with a branch to `target` (conditional with `cond`: it also falls through), or falls through. */
function block(target?: number, cond?: Cond, frequency?: number): VBlock {
  const insts = target === undefined ? [vinst({ op: 'nop' })] : [vinst({ op: 'b', target, ...(cond !== undefined && { cond }) })];
  return { insts, srcOffset: 0, ...(frequency !== undefined && { frequency }) };
}

function fn(blocks: VBlock[]): VFunction {
  return { symbol: 'f', name: 'f', wasmIndex: 0, blocks, nextVreg: 0, outgoingArgBytes: 0, spillSlots: 0, hasCalls: false };
}

const ret = (): VBlock => ({ insts: [vinst({ op: 'bx', rm: 14 })], srcOffset: 0 });

describe('loop depths', () => {
  it('finds nested loops laid out in source order', () => {
    // 0 entry; 1 outer header; 2 inner body (loops to itself); 3 outer latch (back to 1); 4 exit
    const f = fn([block(), block(), block(2, 'ne'), block(1, 'ne'), ret()]);
    expect(loopDepths(f)).toEqual([0, 1, 2, 1, 0]);
  });

  it('finds the same loop when its latch is laid out after the exit (a forward back edge)', () => {
    // 0 entry -> 1 header; 1: if done go to 3 (exit), else fall into 2; 2 jumps to 4; 3 returns; 4 latch jumps back to 1.
    const f = fn([block(), block(3, 'eq'), block(4), ret(), block(1)]);
    expect(loopDepths(f)).toEqual([0, 1, 1, 0, 1]);
  });

  it('does not count code between a forward branch and its target as a loop', () => {
    // 0 branches over 1 to 2; nothing branches back.
    const f = fn([block(2, 'eq'), block(), ret()]);
    expect(loopDepths(f)).toEqual([0, 0, 0]);
  });
});

describe('block weights', () => {
  it('are 10^depth without a profile', () => {
    const f = fn([block(), block(), block(2, 'ne'), block(1, 'ne'), ret()]);
    expect(blockWeights(f)).toEqual([1, 10, 100, 10, 1]);
  });

  it('are the profile frequencies when the blocks have them, cold loop blocks above cold straight code', () => {
    // A loop (1-2) that never ran, then hot straight code in 3.
    const f = fn([block(undefined, undefined, 1), block(undefined, undefined, 0), block(1, 'ne', 0), block(undefined, undefined, 1), { ...ret(), frequency: 0 }]);
    const weights = blockWeights(f);
    expect(weights[0]).toBe(1);
    expect(weights[3]).toBe(1);
    expect(weights[1]).toBeGreaterThan(weights[4]!);
    expect(weights[1]).toBeLessThan(weights[3]! / 10);
  });
});
