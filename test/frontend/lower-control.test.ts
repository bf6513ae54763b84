// Lowering of structured control flow: the block structure of loops, if/else, br_if,
// br_table and multi-value blocks, SSA merge parameters for locals, dead code, and the
// uniqueness of block source keys. Every lowered function also passes the IR verifier.

import { describe, expect, test } from 'vitest';
import { successors } from '../../src/ir/function.js';
import { body, lastInst, lowerWat, ops } from './lower-support.js';

describe('loops', () => {
  const ir = lowerWat(`(module
    (func $sum (export "sum") (param $n i32) (result i32) (local $acc i32)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (i32.add (local.get $acc) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $acc)))`);
  const f = body(ir, 'sum');

  test('the loop header carries every local and is the target of the back edge', () => {
    const [entry, header] = f.blocks;
    expect(lastInst(entry!).op).toBe('jump');
    expect(successors(entry!)).toEqual([header!.id]);
    expect(header!.params).toHaveLength(2); // $n, $acc
    const backEdge = f.blocks.filter((b) => successors(b).includes(header!.id));
    expect(backEdge).toHaveLength(2); // entry and the loop body
  });

  test('the loop exit merges the locals and returns the accumulator', () => {
    const exit = f.blocks[f.blocks.length - 1]!;
    expect(exit.params).toHaveLength(2);
    const ret = lastInst(exit);
    expect(ret.op).toBe('return');
    expect(ret.args).toEqual([exit.params[1]]); // $acc
  });

  test('the body after br_if is its own block, laid out before the exit', () => {
    const names = f.blocks.map((b) => lastInst(b).op);
    expect(names).toEqual(['jump', 'brif', 'jump', 'return']);
  });
});

describe('if/else', () => {
  const ir = lowerWat(`(module
    (func $max (export "max") (param i32 i32) (result i32)
      (if (result i32) (i32.gt_s (local.get 0) (local.get 1))
        (then (local.get 0))
        (else (local.get 1))))
    (func $clamp (export "clamp") (param i32) (result i32)
      (if (i32.lt_s (local.get 0) (i32.const 0))
        (then (local.set 0 (i32.const 0))))
      (local.get 0)))`);

  test('both arms jump to a continuation whose first param is the result', () => {
    const f = body(ir, 'max');
    expect(f.blocks).toHaveLength(4);
    const [entry, then, otherwise, join] = f.blocks;
    expect(lastInst(entry!).op).toBe('brif');
    expect(successors(entry!)).toEqual([then!.id, otherwise!.id]);
    expect(successors(then!)).toEqual([join!.id]);
    expect(successors(otherwise!)).toEqual([join!.id]);
    expect(lastInst(then!).targets[0]!.args[0]).toBe(entry!.params[0]);
    expect(lastInst(otherwise!).targets[0]!.args[0]).toBe(entry!.params[1]);
    expect(lastInst(join!).args).toEqual([join!.params[0]]);
  });

  test('an if without else branches straight to the continuation, passing the local', () => {
    const f = body(ir, 'clamp');
    expect(f.blocks).toHaveLength(3);
    const [entry, then, join] = f.blocks;
    const brif = lastInst(entry!);
    expect(brif.targets.map((t) => t.block)).toEqual([then!.id, join!.id]);
    expect(brif.targets[1]!.args).toEqual([entry!.params[0]]);
    const fromThen = lastInst(then!).targets[0]!.args[0]!;
    expect(f.values[fromThen]!.def.kind).toBe('inst'); // the constant 0
    expect(lastInst(join!).args).toEqual([join!.params[0]]);
  });
});

describe('br_table', () => {
  const ir = lowerWat(`(module
    (func $classify (export "classify") (param i32) (result i32)
      (block $c (block $b (block $a
        (br_table $a $b $c $b (local.get 0)))
        (return (i32.const 10)))
        (return (i32.const 20)))
      (i32.const 30)))`);
  const f = body(ir, 'classify');

  test('one target per depth and the default last, each a merge block', () => {
    const table = lastInst(f.blocks[0]!);
    expect(table.op).toBe('br_table');
    expect(table.args).toEqual([f.blocks[0]!.params[0]]);
    const targets = table.targets.map((t) => t.block);
    expect(targets).toHaveLength(4);
    expect(targets[1]).toBe(targets[3]); // $b twice
    expect(new Set(targets).size).toBe(3);
  });

  test('each arm returns its own constant', () => {
    const returns = f.blocks.map(lastInst).filter((i) => i.op === 'return');
    const constants = returns.map((r) => f.values[r.args[0]!]!.def).map((d) => (d.kind === 'inst' ? d.inst.imm : undefined));
    expect(constants).toEqual([10, 20, 30]);
  });
});

describe('multi-value blocks', () => {
  const ir = lowerWat(`(module
    (func $swap (export "swap") (param i32 i32) (result i32)
      (i32.const 1) (i32.const 2)
      (block $b (param i32 i32) (result i32 i32)
        (br_if $b (local.get 0))
        (drop) (drop) (i32.const 3) (i32.const 4))
      (i32.sub))
    (func $count (export "count") (param i32) (result i32)
      (local.get 0)
      (loop $l (param i32) (result i32)
        (i32.sub (i32.const 1))
        (local.tee 0)
        (br_if $l (local.get 0)))))`);

  test('a block with params passes its two results to the continuation', () => {
    const f = body(ir, 'swap');
    const join = f.blocks[f.blocks.length - 1]!;
    expect(join.params).toHaveLength(4); // two results, two locals
    const sub = join.insts.find((i) => i.op === 'isub')!;
    expect(sub.args).toEqual([join.params[0], join.params[1]]);
  });

  test('a loop with a param gets it as the header\'s first param', () => {
    const f = body(ir, 'count');
    const header = f.blocks[1]!;
    expect(header.params).toHaveLength(2); // loop param, local 0
    const sub = header.insts.find((i) => i.op === 'isub')!;
    expect(sub.args[0]).toBe(header.params[0]);
  });
});

describe('dead code', () => {
  const ir = lowerWat(`(module
    (func $f (export "f") (param i32) (result i32)
      (block $out
        (br $out)
        (drop (i32.add (i32.const 1) (i32.const 2)))
        (loop $dead (br $dead)))
      (if (local.get 0) (then (return (i32.const 5)) (unreachable)) (else (unreachable)))
      (i32.const 7)))`);
  const f = body(ir, 'f');

  test('code after br, return and unreachable builds no IR', () => {
    expect(ops(f)).not.toContain('iadd');
    expect(ops(f).filter((o) => o === 'iconst')).toHaveLength(1); // 5; 7 is after an if nothing leaves
    expect(ops(f)).toContain('trap');
  });

  test('a merge nothing reaches is not created', () => {
    expect(f.blocks.map(lastInst).map((i) => i.op).sort()).toEqual(['brif', 'jump', 'return', 'trap']);
  });
});

describe('branches to the function label', () => {
  const ir = lowerWat(`(module
    (func $early (export "early") (param i32) (result i32)
      (br_if 0 (i32.const 1) (local.get 0))
      (drop)
      (br_table 0 0 (i32.const 2) (local.get 0))))`);
  const f = body(ir, 'early');

  test('br_if and br_table to the function go to one return block', () => {
    const ret = f.blocks[f.blocks.length - 1]!;
    expect(ret.params).toHaveLength(1);
    expect(lastInst(ret).args).toEqual(ret.params);
    expect(lastInst(f.blocks[0]!).targets[0]!.block).toBe(ret.id);
    const table = f.blocks.map(lastInst).find((i) => i.op === 'br_table')!;
    expect(table.targets.every((t) => t.block === ret.id)).toBe(true);
  });
});

test('every block has its own source key, and every instruction an offset inside the body', () => {
  const ir = lowerWat(`(module
    (func $k (export "k") (param i32) (result i32)
      (if (local.get 0) (then (loop $l (br_if $l (i32.const 0)))) (else (nop)))
      (block $a (loop $b (br_if $a (local.get 0)) (br $b)))
      (i32.const 1)))`);
  const f = body(ir, 'k');
  const keys = f.blocks.map((b) => b.srcOffset);
  expect(new Set(keys).size).toBe(keys.length);
  const offsets = f.blocks.flatMap((b) => b.insts.map((i) => i.srcOffset));
  expect(Math.min(...offsets)).toBeGreaterThanOrEqual(f.blocks[0]!.srcOffset);
});
