// The code-quality rewrites each fire on the pattern they target and leave the rest alone:
// dead loop-carried block parameters, copy coalescing of block arguments, branch threading,
// [r9, addr] addressing, one memory-bound register per function, and --bounds=mask.
// Their correctness on real programs is the business of test/backend/codegen-run, test/e2e
// and the spec testsuite (QEMU against Node); these tests pin down that they happen.

import { describe, expect, test } from 'vitest';
import { simplifyBranches } from '../../src/backend-thumb2/branch-simplify.js';
import { generateFunction } from '../../src/backend-thumb2/codegen.js';
import type { MBlock, MFunction, MInst } from '../../src/backend-thumb2/mir.js';
import { R9 } from '../../src/backend-thumb2/mir.js';
import { SOFT_FLOAT_TARGET, type TargetFeatures } from '../../src/backend-thumb2/target.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { watToBinary } from '../../src/frontend/load.js';
import { lowerModule } from '../../src/frontend/lower/module.js';
import { validateModule } from '../../src/frontend/validate.js';
import type { IrModule } from '../../src/ir/module.js';
import { runPipeline } from '../../src/ir/pipeline.js';
import { printFunction } from '../../src/ir/printer.js';

async function optimisedModule(wat: string): Promise<IrModule> {
  const module = decodeModule(await watToBinary(wat, 't.wat'), 't.wat');
  validateModule(module, 't.wat');
  const ir = lowerModule(module, { prefix: 'wasm', file: 't.wat' });
  for (const f of ir.bodies) runPipeline(f, { verify: true, dump: () => {}, context: { module: ir } });
  return ir;
}

async function compile(wat: string, target: TargetFeatures = SOFT_FLOAT_TARGET): Promise<MFunction> {
  const ir = await optimisedModule(wat);
  return generateFunction(ir.bodies[0]!, ir, target);
}

const insts = (f: MFunction): MInst[] => f.blocks.flatMap((b) => b.insts);
const count = (f: MFunction, pred: (i: MInst) => boolean): number => insts(f).filter(pred).length;
const isBoundLoad = (i: MInst): boolean => i.op === 'ldr' && i.addr.kind === 'imm' && i.addr.rn === R9 && i.addr.offset === -4;
const isTrap = (i: MInst): boolean => i.op === 'udf' && i.imm === 4;

/** A counted loop summing words; $unused is carried around the loop and never read. */
const SUM_LOOP = `(module (memory 1)
  (func (export "sum") (param $p i32) (param $n i32) (result i32) (local $s i32) (local $unused i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $unused (i32.add (local.get $unused) (i32.const 7)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $s)))`;

describe('dead-block-params', () => {
  test('a loop-carried local nothing reads disappears, with the add that fed it', async () => {
    const text = printFunction((await optimisedModule(SUM_LOOP)).bodies[0]!);
    expect(text).not.toMatch(/iconst\.i32 7\b/);
  });

  test('a loop-carried local that is read stays', async () => {
    const text = printFunction((await optimisedModule(SUM_LOOP.replace('(local.get $s)))', '(i32.add (local.get $s) (local.get $unused))))'))).bodies[0]!);
    expect(text).toMatch(/iconst\.i32 7\b/);
  });
});

describe('copy coalescing and branch threading', () => {
  test('the loop back edge is one conditional branch and carries no register copies', async () => {
    const f = await compile(SUM_LOOP);
    // Every loop-carried value keeps one register: the loop (back-edge target to back edge)
    // has no mov between registers.
    const backEdge = f.blocks.findIndex((block, b) => block.insts.some((i) => i.op === 'b' && i.target <= b));
    expect(backEdge).toBeGreaterThanOrEqual(0);
    const header = f.blocks[backEdge]!.insts.find((i): i is MInst & { op: 'b' } => i.op === 'b' && i.target <= backEdge)!.target;
    const loop = f.blocks.slice(header, backEdge + 1).flatMap((block) => block.insts);
    expect(loop.filter((i) => i.op === 'mov' && i.src.kind === 'reg')).toEqual([]);
    // No block is just `b X` any more, and no branch goes to the block right after it.
    for (const [b, block] of f.blocks.entries()) {
      if (block.insts.length === 1) expect(block.insts[0]!.op === 'b' && block.insts[0]!.cond === undefined).toBe(false);
      const last = block.insts[block.insts.length - 1];
      let next = b + 1;
      while (next < f.blocks.length && f.blocks[next]!.insts.length === 0) next++;
      if (last?.op === 'b') expect(last.target).not.toBe(next);
    }
  });

  const b = (target: number, cond?: MInst & { op: 'b' } extends { cond?: infer C } ? C : never): MInst => (cond === undefined ? { op: 'b', target } : { op: 'b', target, cond });
  const block = (...insts: MInst[]): MBlock => ({ insts, srcOffset: 0 });
  const nop: MInst = { op: 'nop' };

  test('b<c> to an edge block that only jumps becomes one inverted branch; the edge block empties', () => {
    // 0: nop; beq 1; b 3   1: b 0 (edge)   2: (empty)   3: bx lr
    const blocks = [block(nop, b(1, 'eq'), b(3)), block(b(0)), block(), block({ op: 'bx', rm: 14 })];
    simplifyBranches(blocks);
    expect(blocks[0]!.insts).toEqual([nop, b(0, 'eq')]);
    expect(blocks[1]!.insts).toEqual([]);
  });

  test('a branch over nothing but empty blocks is dropped; other branches stay', () => {
    const blocks = [block(nop, b(2)), block(), block(nop, b(0, 'ne')), block({ op: 'bx', rm: 14 })];
    simplifyBranches(blocks);
    expect(blocks[0]!.insts).toEqual([nop]);
    expect(blocks[2]!.insts).toEqual([nop, b(0, 'ne')]);
  });
});

describe('linear memory accesses', () => {
  const loads = `(module (memory 1 1)
    (func (export "f") (param $a i32) (param $b i32) (result i32)
      (i32.add (i32.add (i32.load (local.get $a)) (i32.load offset=8 (local.get $b))) (i32.load8_u (local.get $b)))))`;

  test('an access without offset is [r9, addr]; with an offset [r9 + addr, #offset]', async () => {
    const f = await compile(loads);
    expect(count(f, (i) => i.op === 'ldr' && i.addr.kind === 'reg' && i.addr.rn === R9)).toBe(1);
    expect(count(f, (i) => i.op === 'ldrb' && i.addr.kind === 'reg' && i.addr.rn === R9)).toBe(1);
    expect(count(f, (i) => i.op === 'ldr' && i.addr.kind === 'imm' && i.addr.offset === 8)).toBe(1);
  });

  test('the bound is loaded once for the whole function, and again after a call', async () => {
    expect(count(await compile(loads), isBoundLoad)).toBe(1);
    const withCall = `(module (import "env" "g" (func $g)) (memory 1 1)
      (func (export "f") (param $a i32) (result i32)
        (local $x i32) (local.set $x (i32.load (local.get $a))) (call $g) (i32.add (local.get $x) (i32.load offset=4 (local.get $a)))))`;
    const f = await compile(withCall);
    expect(count(f, isBoundLoad)).toBe(2);
  });

  test('a function without checked accesses never reads the bound', async () => {
    const f = await compile('(module (memory 1) (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))');
    expect(count(f, isBoundLoad)).toBe(0);
  });

  test('--bounds=mask: ubfx to the memory size, no bound and no trap; trap mode checks', async () => {
    const masked = await compile(loads, { fpu: 'none', maskBits: 16 });
    expect(count(masked, (i) => i.op === 'ubfx' && i.lsb === 0 && i.width === 16)).toBe(3);
    expect(count(masked, isBoundLoad)).toBe(0);
    expect(count(masked, isTrap)).toBe(0);
    const checked = await compile(loads);
    expect(count(checked, (i) => i.op === 'ubfx')).toBe(0);
    expect(count(checked, isTrap)).toBeGreaterThan(0);
  });
});
