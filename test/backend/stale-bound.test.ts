// The memory bound register may be stale when an interrupt handler grows memory between its
// load and an access (docs/abi.md). When memory can grow, a failing bounds compare goes to a
// cold block that reloads [r9, #-4], compares again and traps only then, otherwise returns to
// the access; the hot path is unchanged. A memory that cannot grow, or a firmware without
// Wasm interrupt handlers (where memory grows only inside calls), traps directly.

import { describe, expect, test } from 'vitest';
import { generateFunction } from '../../src/backend-thumb2/codegen.js';
import type { MBlock, MFunction, MInst } from '../../src/backend-thumb2/mir.js';
import { R9 } from '../../src/backend-thumb2/mir.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { watToBinary } from '../../src/frontend/load.js';
import { lowerModule } from '../../src/frontend/lower/module.js';
import { validateModule } from '../../src/frontend/validate.js';
import { runPipeline } from '../../src/ir/pipeline.js';
import type { TargetFeatures } from '../../src/backend-thumb2/target.js';

const WITH_HANDLERS: TargetFeatures = { fpu: 'none', interruptHandlers: true };

async function compile(memory: string, body: string, target = WITH_HANDLERS): Promise<MFunction> {
  const wat = `(module (memory ${memory}) (func (export "f") (param $a i32) (result i32) ${body}))`;
  const module = decodeModule(await watToBinary(wat, 't.wat'), 't.wat');
  validateModule(module, 't.wat');
  const ir = lowerModule(module, { prefix: 'wasm', file: 't.wat' });
  for (const f of ir.bodies) runPipeline(f, { verify: true, dump: () => {}, context: { module: ir } });
  return generateFunction(ir.bodies[0]!, ir, target);
}

const isBoundLoad = (i: MInst): boolean => i.op === 'ldr' && i.addr.kind === 'imm' && i.addr.rn === R9 && i.addr.offset === -4;
const isTrap = (i: MInst): boolean => i.op === 'udf' && i.imm === 4;
const branches = (b: MBlock): Extract<MInst, { op: 'b' }>[] => b.insts.filter((i): i is Extract<MInst, { op: 'b' }> => i.op === 'b');
const isAccess = (i: MInst): boolean => i.op === 'ldr' && i.addr.kind === 'reg' && i.addr.rn === R9;

/** The blocks that reload the bound after the entry's load: the cold re-check blocks. */
function recheckBlocks(f: MFunction): MBlock[] {
  return f.blocks.filter((b) => b.insts[0] !== undefined && isBoundLoad(b.insts[0]) && b.insts.some((i) => i.op === 'cmp'));
}

/** Where control goes from block `label` when it branches or falls through: every successor. */
function successors(f: MFunction, label: number): number[] {
  const block = f.blocks[label]!;
  const targets = branches(block).map((b) => b.target);
  const last = block.insts[block.insts.length - 1];
  const falls = last === undefined || !(last.op === 'b' && last.cond === undefined) && last.op !== 'udf';
  return falls ? [...targets, label + 1] : targets;
}

const LOAD = '(i32.load (local.get $a))';

describe('a stale memory bound', () => {
  test('growable memory: a failing compare reloads the bound, re-compares, then traps or returns to the access', async () => {
    const f = await compile('1', LOAD);
    const cold = recheckBlocks(f);
    expect(cold).toHaveLength(1);
    const coldLabel = f.blocks.indexOf(cold[0]!);
    // The hot path branches to it on 'hi' (the end beyond the bound).
    const hot = f.blocks.findIndex((b) => branches(b).some((i) => i.target === coldLabel && i.cond === 'hi'));
    expect(hot).toBeGreaterThanOrEqual(0);
    expect(hot).toBeLessThan(coldLabel);
    // From the re-check: a trap, and the block holding the access.
    const next = successors(f, coldLabel).map((l) => f.blocks[l]!);
    expect(next.some((b) => b.insts.some(isTrap))).toBe(true);
    expect(next.some((b) => b.insts.some(isAccess))).toBe(true);
    // The hot path itself loads the bound once, at entry.
    expect(f.blocks.slice(0, coldLabel).flatMap((b) => b.insts).filter(isBoundLoad)).toHaveLength(1);
  });

  test('a constant address re-checks too', async () => {
    const f = await compile('1', '(i32.load (i32.const 252))');
    const cold = recheckBlocks(f);
    expect(cold).toHaveLength(1);
    expect(cold[0]!.insts.some((i) => i.op === 'cmp' && i.src.kind === 'imm' && i.src.value === 256)).toBe(true);
  });

  test('a memory without a maximum, or an imported one, can grow; one whose maximum is its size cannot', async () => {
    expect(recheckBlocks(await compile('1 2', LOAD))).toHaveLength(1);
    const fixed = await compile('1 1', LOAD);
    expect(recheckBlocks(fixed)).toHaveLength(0);
    expect(fixed.blocks.flatMap((b) => b.insts).filter(isBoundLoad)).toHaveLength(1);
    expect(fixed.blocks.some((b) => branches(b).some((i) => i.cond === 'hi' && isTrapBlock(fixed, i.target)))).toBe(true);
  });

  test('without interrupt handlers memory grows only inside calls: no re-check', async () => {
    const f = await compile('1', LOAD, { fpu: 'none' });
    expect(recheckBlocks(f)).toHaveLength(0);
  });

  test('an access that bounds-check-elim proved needs no re-check', async () => {
    const f = await compile('1', `(i32.add ${LOAD} ${LOAD})`);
    expect(recheckBlocks(f)).toHaveLength(1);
  });
});

/** Whether `label` is the out-of-bounds trap block. */
function isTrapBlock(f: MFunction, label: number): boolean {
  return f.blocks[label]!.insts.some(isTrap);
}
