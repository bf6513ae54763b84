// The profile-guided IR passes on small functions with synthetic profiles: each rewrite it
// should make, and the cases it must leave alone; a small evaluator checks that a rewritten
// function still computes the same results.

import { describe, expect, it } from 'vitest';
import type { IrFunction } from '../../src/ir/function.js';
import type { IrModule, TableDecl } from '../../src/ir/module.js';
import type { PassContext } from '../../src/ir/pass.js';
import { parseFunctions } from '../../src/ir/parser.js';
import * as pgoBlockLayout from '../../src/ir/passes/pgo-block-layout.js';
import * as pgoBlockWeights from '../../src/ir/passes/pgo-block-weights.js';
import * as pgoIndirectCall from '../../src/ir/passes/pgo-indirect-call.js';
import * as pgoSwitchOrder from '../../src/ir/passes/pgo-switch-order.js';
import * as inline from '../../src/ir/passes/inline.js';
import type { FunctionProfileView } from '../../src/ir/passes/pgo-profile.js';
import { printFunction } from '../../src/ir/printer.js';
import { assertValid } from '../../src/ir/verifier.js';
import { functionProfileView } from '../../src/pgo/function-view.js';
import type { FunctionProfile } from '../../src/pgo/profile.js';
import { evaluate } from './ir-eval.js';

interface Synthetic {
  readonly calls: number;
  /** Block counts by srcOffset (ordinal 0). */
  readonly blocks: Record<number, number>;
  readonly indirect?: Record<number, [funcIndex: number, count: number][]>;
  readonly callSites?: Record<number, number>;
  /** Edge counts between blocks by srcOffset (ordinal 0): the edges that ran. */
  readonly edges?: [from: number, to: number, count: number][];
  /** A count at least this is hot (default 1). */
  readonly hot?: number;
}

function view(s: Synthetic): FunctionProfileView {
  const profile: FunctionProfile = {
    index: 0,
    name: 'f',
    bodyHash: '',
    calls: s.calls,
    instructions: 0,
    blocks: Object.entries(s.blocks).map(([offset, count]) => ({ srcOffset: Number(offset), ordinal: 0, count })),
    edges: (s.edges ?? []).map(([from, to, count]) => ({ from: { srcOffset: from, ordinal: 0 }, to: { srcOffset: to, ordinal: 0 }, count })),
    callSites: Object.entries(s.callSites ?? {}).map(([offset, count]) => ({ srcOffset: Number(offset), callee: 1, count })),
    indirectCalls: Object.entries(s.indirect ?? {}).map(([offset, targets]) => ({
      srcOffset: Number(offset),
      targets: targets.map(([funcIndex, count]) => ({ funcIndex, count })),
    })),
  };
  return functionProfileView(profile, s.hot ?? 1);
}

function moduleOf(functions: readonly IrFunction[], tables: readonly TableDecl[] = []): IrModule {
  return {
    prefix: 'wasm',
    signatures: functions.map((f) => f.sig),
    canonicalSig: functions.map((f) => (f.sig.params.length << 4) | f.sig.results.length),
    functions: functions.map((f, i) => ({ index: f.index, name: f.name, sigIndex: i, exports: [] })),
    bodies: functions,
    globals: [],
    tables,
    data: [],
  };
}

function runPass(pass: { run(f: IrFunction, ctx: PassContext): void }, f: IrFunction, ctx: PassContext): string {
  pass.run(f, ctx);
  assertValid(f, 'pgo test');
  return printFunction(f);
}

const blockOrder = (f: IrFunction): number[] => f.blocks.map((b) => b.srcOffset);

const DIAMOND = `
function f0 "diamond" (i32) -> i32 {
block0(v0: i32):  ; @0x10
    brif v0, block1, block2
block1:  ; @0x20
    v1 = iconst.i32 7
    v2 = imul v0, v1
    jump block3(v2)
block2:  ; @0x30
    v3 = iconst.i32 1
    v4 = iadd v0, v3
    jump block3(v4)
block3(v5: i32):  ; @0x40
    return v5
}`;

describe('pgo-block-layout', () => {
  it('lets the hot successor fall through and moves the never-run block to the end', () => {
    const [f] = parseFunctions(DIAMOND);
    const profile = view({ calls: 100, blocks: { 0x10: 100, 0x20: 0, 0x30: 100, 0x40: 100 } });
    runPass(pgoBlockLayout, f!, { profile });
    expect(blockOrder(f!)).toEqual([0x10, 0x30, 0x40, 0x20]);
    expect(profile.decisions.blocksMoved).toBe(3);
    for (const x of [0, 1, 5, -3]) expect(evaluate(f!, [x])).toEqual(evaluate(parseFunctions(DIAMOND)[0]!, [x]));
  });

  it('counts a block run under 1% of the entries as cold, not one run more often', () => {
    const [f] = parseFunctions(DIAMOND);
    runPass(pgoBlockLayout, f!, { profile: view({ calls: 10_000, blocks: { 0x10: 10_000, 0x20: 99, 0x30: 9_901, 0x40: 10_000 } }) });
    expect(blockOrder(f!)).toEqual([0x10, 0x30, 0x40, 0x20]);
    const [g] = parseFunctions(DIAMOND);
    runPass(pgoBlockLayout, g!, { profile: view({ calls: 10_000, blocks: { 0x10: 10_000, 0x20: 6_000, 0x30: 4_000, 0x40: 10_000 } }) });
    expect(blockOrder(g!)).toEqual([0x10, 0x20, 0x40, 0x30]); // both run: hotter first, its join next
  });

  it('leaves the order alone when it is already hot-first, without a profile, or when the function never ran', () => {
    const original = printFunction(parseFunctions(DIAMOND)[0]!);
    const [f] = parseFunctions(DIAMOND);
    const profile = view({ calls: 100, blocks: { 0x10: 100, 0x20: 100, 0x30: 0, 0x40: 100 } });
    runPass(pgoBlockLayout, f!, { profile });
    expect(blockOrder(f!)).toEqual([0x10, 0x20, 0x40, 0x30]); // join pulled up to follow its hot predecessor
    const [g] = parseFunctions(DIAMOND);
    expect(runPass(pgoBlockLayout, g!, {})).toBe(original);
    const [h] = parseFunctions(DIAMOND);
    expect(runPass(pgoBlockLayout, h!, { profile: view({ calls: 0, blocks: {} }) })).toBe(original);
  });

  it('takes a branch side the profile has no edge for as never taken when the other side carried all the flow', () => {
    // An if without else whose body always runs: block0 branches to the join first, to the body
    // second; every block ran as often, so only the recorded edges tell that the body comes next.
    const text = `
function f0 "if" (i32) -> i32 {
block0(v0: i32):  ; @0x10
    brif v0, block2, block1
block1:  ; @0x20
    v1 = iconst.i32 9
    jump block2
block2:  ; @0x30
    return v0
}`;
    const edges: [number, number, number][] = [[0x10, 0x20, 40], [0x20, 0x30, 40]];
    const [f] = parseFunctions(text);
    runPass(pgoBlockLayout, f!, { profile: view({ calls: 40, blocks: { 0x10: 40, 0x20: 40, 0x30: 40 }, edges }) });
    expect(blockOrder(f!)).toEqual([0x10, 0x20, 0x30]);
    // Without edges the estimate is the smaller block count, and the first target wins the tie.
    const [g] = parseFunctions(text);
    runPass(pgoBlockLayout, g!, { profile: view({ calls: 40, blocks: { 0x10: 40, 0x20: 40, 0x30: 40 } }) });
    expect(blockOrder(g!)).toEqual([0x10, 0x30, 0x20]);
  });

  it('splits the other edge of a brif when it carries arguments, so the hot successor falls through', () => {
    const text = `
function f0 "args" (i32) -> i32 {
block0(v0: i32):  ; @0x10
    v1 = iconst.i32 3
    brif v0, block1(v1), block2(v0)
block1(v2: i32):  ; @0x20
    return v2
block2(v3: i32):  ; @0x30
    return v3
}`;
    const [f] = parseFunctions(text);
    runPass(pgoBlockLayout, f!, { profile: view({ calls: 50, blocks: { 0x10: 50, 0x20: 0, 0x30: 50 } }) });
    // block0 -> block2 (hot) comes next; the edge to the cold block1 is a block of its own, placed before it.
    expect(printFunction(f!)).toContain('brif v0, block3, block2(v0)');
    expect(blockOrder(f!)).toEqual([0x10, 0x30, 0x20, 0x20]);
    expect(f!.blocks[2]!.insts.map((i) => i.op)).toEqual(['jump']);
    for (const x of [0, 1]) expect(evaluate(f!, [x])).toEqual(evaluate(parseFunctions(text)[0]!, [x]));
  });
});

const SWITCH = `
function f0 "switch" (i32) -> i32 {
block0(v0: i32):  ; @0x10
    br_table v0, block1, block2, block3, block4, block5
block1:  ; @0x20
    v1 = iconst.i32 10
    return v1
block2:  ; @0x30
    v2 = iconst.i32 20
    return v2
block3:  ; @0x40
    v3 = iconst.i32 30
    return v3
block4:  ; @0x50
    v4 = iconst.i32 40
    return v4
block5:  ; @0x60
    v5 = iconst.i32 50
    return v5
}`;

describe('pgo-switch-order', () => {
  it('tests the dominant target before the table', () => {
    const [f] = parseFunctions(SWITCH);
    const profile = view({ calls: 1000, blocks: { 0x10: 1000, 0x20: 10, 0x30: 10, 0x40: 950, 0x50: 10, 0x60: 20 } });
    const text = runPass(pgoSwitchOrder, f!, { profile });
    expect(text).toContain('icmp.eq v0, v');
    expect(f!.blocks[0]!.insts.at(-1)!.op).toBe('brif');
    expect(f!.blocks[0]!.insts.at(-1)!.targets[0]!.block).toBe(3); // case 2
    expect(f!.blocks[1]!.insts.at(-1)!.op).toBe('br_table');
    expect(profile.decisions.switchesReordered).toBe(1);
    for (const x of [0, 1, 2, 3, 4, 5, 100, -1]) expect(evaluate(f!, [x])).toEqual(evaluate(parseFunctions(SWITCH)[0]!, [x]));
  });

  it('tests the default through the indices past the table, and up to three targets', () => {
    const [f] = parseFunctions(SWITCH);
    runPass(pgoSwitchOrder, f!, { profile: view({ calls: 1000, blocks: { 0x10: 1000, 0x20: 400, 0x30: 120, 0x40: 120, 0x50: 200, 0x60: 160 } }) });
    const chain = f!.blocks.slice(0, 3).map((b) => b.insts.at(-1)!);
    expect(chain.map((i) => i.op)).toEqual(['brif', 'brif', 'brif']);
    expect(printFunction(f!)).toContain('icmp.uge v0, v');
    for (const x of [0, 1, 2, 3, 4, 5, 100, -1]) expect(evaluate(f!, [x])).toEqual(evaluate(parseFunctions(SWITCH)[0]!, [x]));
  });

  it('leaves a table alone when no few targets dominate (five equally likely), or without a profile', () => {
    const original = printFunction(parseFunctions(SWITCH)[0]!);
    const [f] = parseFunctions(SWITCH);
    expect(runPass(pgoSwitchOrder, f!, { profile: view({ calls: 1000, blocks: { 0x10: 1000, 0x20: 200, 0x30: 200, 0x40: 200, 0x50: 200, 0x60: 200 } }) })).toBe(original);
    const [g] = parseFunctions(SWITCH);
    expect(runPass(pgoSwitchOrder, g!, {})).toBe(original);
  });
});

const INDIRECT = `
function f0 "caller" (i32, i32) -> i32 {
block0(v0: i32, v1: i32):  ; @0x10
    v2: i32 = call_indirect sig1 table0 v0, v1
    v3 = iconst.i32 1
    v4 = iadd v2, v3
    return v4
}

function f1 "double" (i32) -> i32 {
block0(v0: i32):  ; @0x40
    v1 = iadd v0, v0
    return v1
}

function f2 "negate" (i32) -> i32 {
block0(v0: i32):  ; @0x50
    v1 = iconst.i32 0
    v2 = isub v1, v0
    return v2
}`;

describe('pgo-indirect-call', () => {
  const romTable: TableDecl = { minSize: 3, elements: [null, 1, 2] };

  it('turns a call_indirect with a dominant target into a guarded direct call', () => {
    const functions = parseFunctions(INDIRECT);
    const profile = view({ calls: 100, blocks: { 0x10: 100 }, indirect: { 0x10: [[1, 90], [2, 10]] } });
    const text = runPass(pgoIndirectCall, functions[0]!, { profile, module: moduleOf(functions, [romTable]) });
    expect(text).toContain('icmp.eq v1, v');
    expect(text).toMatch(/= call f1 v0\n/);
    expect(text).toContain('call_indirect sig1 table0 v0, v1'); // every other index: the checked call, unchanged
    expect(functions[0]!.blocks.at(-1)!.insts[0]!.op).toBe('call_indirect'); // out of line
    expect(profile.decisions.callsPromoted).toBe(1);
    const before = parseFunctions(INDIRECT);
    for (const element of [0, 1, 2, 3, -1]) {
      const after = evaluate(functions[0]!, [21, element], functions, romTable.elements);
      expect(after).toEqual(evaluate(before[0]!, [21, element], before, romTable.elements));
    }
  });

  it('leaves it alone when the table can change, the signature differs, or no target dominates', () => {
    const cases: [TableDecl, [number, number][], string][] = [
      [{ ...romTable, capacity: 3 }, [[1, 100]], INDIRECT], // a RAM table: its element may be replaced
      [romTable, [[1, 70], [2, 30]], INDIRECT], // 70% is not dominant
      [romTable, [[1, 100]], INDIRECT.replace('sig1 table0 v0, v1', 'sig0 table0 v0, v0, v1')], // f1's type is not the call's: the call must trap
    ];
    for (const [table, targets, text] of cases) {
      const functions = parseFunctions(text);
      const original = printFunction(functions[0]!);
      const module = moduleOf(functions, [table]);
      const profile = view({ calls: 100, blocks: { 0x10: 100 }, indirect: { 0x10: targets } });
      expect(runPass(pgoIndirectCall, functions[0]!, { profile, module })).toBe(original);
    }
  });
});

const CALLS = `
function f0 "caller" (i32) -> i32 {
block0(v0: i32):  ; @0x10
    v1: i32 = call f1 v0
    return v1
}

function f1 "medium" (i32) -> i32 {
block0(v0: i32):  ; @0x40
    v1 = imul v0, v0
    v2 = iadd v1, v0
    v3 = imul v2, v1
    v4 = isub v3, v0
    v5 = imul v4, v4
    v6 = iadd v5, v3
    v7 = imul v6, v2
    v8 = bxor v7, v6
    v9 = imul v8, v5
    v10 = iadd v9, v8
    v11 = imul v10, v9
    v12 = isub v11, v10
    v13 = imul v12, v11
    v14 = iadd v13, v12
    v15 = bxor v14, v13
    return v15
}

function f2 "small" (i32) -> i32 {
block0(v0: i32):  ; @0x80
    v1 = imul v0, v0
    v2 = iadd v1, v0
    v3 = imul v2, v1
    v4 = isub v3, v0
    v5 = imul v4, v4
    return v5
}`;

describe('inline with a profile', () => {
  it('inlines a callee too large for the default limit at a hot site', () => {
    const functions = parseFunctions(CALLS);
    const ctx = { module: moduleOf(functions) };
    expect(runPass(inline, parseFunctions(CALLS)[0]!, ctx)).toContain('call f1'); // no profile: too large
    const profile = view({ calls: 1000, blocks: { 0x10: 1000 }, callSites: { 0x10: 1000 }, hot: 100 });
    expect(runPass(inline, functions[0]!, { ...ctx, profile })).not.toContain('call f1');
    expect(profile.decisions.sitesInlined).toBe(1);
  });

  it('does not inline at a site that never ran, even a callee it inlines otherwise', () => {
    const text = CALLS.replace('call f1 v0', 'call f2 v0');
    const functions = parseFunctions(text);
    const ctx = { module: moduleOf(functions) };
    expect(runPass(inline, parseFunctions(text)[0]!, ctx)).not.toContain('call f2'); // the default inlines it
    const profile = view({ calls: 1000, blocks: { 0x10: 1000 }, callSites: { 0x10: 0 } });
    expect(runPass(inline, functions[0]!, { ...ctx, profile })).toContain('call f2');
  });
});

describe('pgo-block-weights', () => {
  it('writes runs per entry onto every block, inferring blocks the profile does not name', () => {
    const [f] = parseFunctions(DIAMOND);
    // block 0x40 is not in the profile: it gets the count of its hottest predecessor.
    runPass(pgoBlockWeights, f!, { profile: view({ calls: 50, blocks: { 0x10: 50, 0x20: 0, 0x30: 100 } }) });
    expect(f!.blocks.map((b) => b.frequency)).toEqual([1, 0, 2, 2]);
  });

  it('leaves the blocks alone without a profile or when the function never ran', () => {
    const [f] = parseFunctions(DIAMOND);
    runPass(pgoBlockWeights, f!, {});
    runPass(pgoBlockWeights, f!, { profile: view({ calls: 0, blocks: {} }) });
    expect(f!.blocks.every((b) => b.frequency === undefined)).toBe(true);
  });
});
