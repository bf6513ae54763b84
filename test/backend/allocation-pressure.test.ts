// The register allocator on a function with 1,000 values live at once: the interference
// graph must not grow with the square of the pressure. Asserts the work done (graph
// edges), not a time; the timeout only guards against a hang.

import { describe, expect, test } from 'vitest';
import { buildInterference } from '../../src/backend-thumb2/interference.js';
import { regOperands } from '../../src/backend-thumb2/inst-registers.js';
import { isVirtual, LR, VREG_BASE, type Reg } from '../../src/backend-thumb2/mir.js';
import { PRESSURE_LIMIT, pressureSpills } from '../../src/backend-thumb2/pressure.js';
import { allocateRegisters } from '../../src/backend-thumb2/regalloc.js';
import { spillRegisters } from '../../src/backend-thumb2/spill.js';
import { vinst, type VFunction, type VInst } from '../../src/backend-thumb2/vcode.js';

const v = (k: number): Reg => VREG_BASE + k;

/** `n` constants all defined first, then summed last-to-first: n values live at the peak. */
function crowdedFunction(n: number): VFunction {
  const insts: VInst[] = [];
  for (let i = 0; i < n; i++) insts.push(vinst({ op: 'movw', rd: v(i), imm: i }));
  let sum = v(n - 1);
  for (let i = n - 2; i >= 0; i--) {
    insts.push(vinst({ op: 'add', rd: v(n + i), rn: sum, src: { kind: 'reg', rm: v(i) }, s: 'any' }));
    sum = v(n + i);
  }
  insts.push(vinst({ op: 'copy', rd: 0, rm: sum }), vinst({ op: 'bx', rm: LR }, { implicitUses: [0], isReturn: true }));
  return { symbol: 't', name: 't', wasmIndex: 0, blocks: [{ insts, srcOffset: 0 }], nextVreg: v(2 * n), outgoingArgBytes: 0, spillSlots: 0, hasCalls: false };
}

const edgeCount = (f: VFunction): number => [...buildInterference(f)!.adjacency.values()].reduce((sum, s) => sum + s.size, 0);

describe('allocation under extreme pressure', () => {
  test('the graph builder stops as soon as more values are live than the limit', () => {
    expect(buildInterference(crowdedFunction(1_000), PRESSURE_LIMIT)).toBeUndefined();
    expect(buildInterference(crowdedFunction(PRESSURE_LIMIT - 10), PRESSURE_LIMIT)).toBeDefined();
  });

  test('pre-spilling keeps the graph linear in the code, where it was quadratic', () => {
    const n = 500;
    const before = edgeCount(crowdedFunction(n));
    expect(before).toBeGreaterThan(n * n / 2); // every pair of the 500 constants interferes

    const f = crowdedFunction(n);
    const unspillable = new Set<Reg>();
    const spilled = pressureSpills(f, PRESSURE_LIMIT, unspillable);
    expect(spilled.size).toBeGreaterThan(n - PRESSURE_LIMIT);
    spillRegisters(f, spilled, unspillable);
    expect(buildInterference(f, PRESSURE_LIMIT)).toBeDefined();
    expect(edgeCount(f)).toBeLessThan(4 * PRESSURE_LIMIT * f.blocks[0]!.insts.length);
  });

  test('a function with 1,000 simultaneously live values allocates to physical registers only', () => {
    const f = crowdedFunction(1_000);
    allocateRegisters(f);
    const regs = f.blocks.flatMap((b) => b.insts.flatMap((vi) => { const { uses, defs } = regOperands(vi.inst); return [...uses, ...defs]; }));
    expect(regs.filter(isVirtual)).toEqual([]);
    expect(f.spillSlots).toBeGreaterThan(900);
  }, 60_000);

  test('functions under the limit are not pre-spilled', () => {
    const f = crowdedFunction(PRESSURE_LIMIT - 10);
    expect(pressureSpills(f, PRESSURE_LIMIT, new Set()).size).toBe(0);
  });
});
