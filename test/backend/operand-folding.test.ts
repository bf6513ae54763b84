// Operand folding (isel/operand-folding.ts), flag reuse (flag-reuse.ts) and constant
// addresses (isel/memory.ts) fire on the pattern they target and not on its near misses.
// Whether the folded code computes what Wasm specifies is checked on QEMU against Node by
// test/e2e/programs/operand-folding.wat and the spec testsuite.

import { describe, expect, test } from 'vitest';
import { generateFunction } from '../../src/backend-thumb2/codegen.js';
import { reuseFlags } from '../../src/backend-thumb2/flag-reuse.js';
import { R9, type MBlock, type MFunction, type MInst } from '../../src/backend-thumb2/mir.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { watToBinary } from '../../src/frontend/load.js';
import { lowerModule } from '../../src/frontend/lower/module.js';
import { validateModule } from '../../src/frontend/validate.js';
import { runPipeline } from '../../src/ir/pipeline.js';

/** The first function of a one-function module, optimised and compiled. */
async function compile(body: string, params = '(param $a i32) (param $b i32) (param $c i32)'): Promise<MFunction> {
  const wat = `(module (memory 1 1) (func (export "f") ${params} (result i32) ${body}))`;
  const module = decodeModule(await watToBinary(wat, 't.wat'), 't.wat');
  validateModule(module, 't.wat');
  const ir = lowerModule(module, { prefix: 'wasm', file: 't.wat' });
  for (const f of ir.bodies) runPipeline(f, { verify: true, dump: () => {}, context: { module: ir } });
  return generateFunction(ir.bodies[0]!, ir);
}

const insts = (f: MFunction): MInst[] => f.blocks.flatMap((b) => b.insts);
const ops = (f: MFunction): string[] => insts(f).map((i) => i.op);
const shiftedOperands = (f: MFunction): string[] =>
  insts(f).flatMap((i) => ('src' in i && i.src.kind === 'reg' && 'shift' in i.src && i.src.shift !== undefined ? [`${i.op} ${i.src.shift.kind} #${i.src.shift.amount}`] : []));

describe('shifts folded into the flexible second operand', () => {
  test('xor with a shifted value is one eor with lsr #8, sub takes its shifted operand as asr #3', async () => {
    const f = await compile('(i32.add (i32.xor (local.get $b) (i32.shr_u (local.get $a) (i32.const 8))) (i32.sub (local.get $c) (i32.shr_s (local.get $b) (i32.const 3))))');
    expect(shiftedOperands(f)).toEqual(expect.arrayContaining(['eor lsr #8', 'sub asr #3']));
    expect(ops(f)).not.toContain('lsr');
    expect(ops(f)).not.toContain('asr');
  });

  test('a shift used twice stays an instruction of its own', async () => {
    const f = await compile('(local.set $c (i32.shl (local.get $a) (i32.const 2))) (i32.xor (i32.add (local.get $b) (local.get $c)) (local.get $c))');
    expect(ops(f)).toContain('lsl');
    expect(shiftedOperands(f)).toEqual([]);
  });

  test('a shift by a register is not folded', async () => {
    const f = await compile('(i32.add (local.get $c) (i32.shl (local.get $a) (local.get $b)))');
    expect(shiftedOperands(f)).toEqual([]);
    expect(ops(f)).toContain('lsl');
  });
});

describe('multiply-accumulate', () => {
  test('a*b + c is mla and c - a*b is mls, with no mul left', async () => {
    const f = await compile('(i32.xor (i32.add (i32.mul (local.get $a) (local.get $b)) (local.get $c)) (i32.sub (local.get $c) (i32.mul (local.get $b) (local.get $b))))');
    expect(ops(f)).toContain('mla');
    expect(ops(f)).toContain('mls');
    expect(ops(f)).not.toContain('mul');
  });

  test('a product with two uses is a mul; a*b - c is not mls', async () => {
    const twice = await compile('(local.set $c (i32.mul (local.get $a) (local.get $b))) (i32.add (local.get $c) (local.get $c))');
    expect(ops(twice)).toContain('mul');
    expect(ops(twice)).not.toContain('mla');
    const minus = await compile('(i32.sub (i32.mul (local.get $a) (local.get $b)) (local.get $c))');
    expect(ops(minus)).not.toContain('mls');
  });
});

describe('flag reuse', () => {
  const block = (...list: MInst[]): MBlock => ({ insts: list, srcOffset: 0 });
  const sub: MInst = { op: 'sub', rd: 4, rn: 4, src: { kind: 'imm', value: 1 }, s: 'any' };
  const cmp0: MInst = { op: 'cmp', rn: 4, src: { kind: 'imm', value: 0 } };

  test('subs replaces sub + cmp #0 before bne; a spill store in between is fine', () => {
    const blocks = [block(sub, { op: 'str', rt: 4, addr: { kind: 'imm', rn: 13, offset: 8 } }, cmp0, { op: 'b', cond: 'ne', target: 0 })];
    expect(reuseFlags(blocks)).toBe(1);
    expect(blocks[0]!.insts.map((i) => i.op)).toEqual(['sub', 'str', 'b']);
    expect(blocks[0]!.insts[0]).toMatchObject({ op: 'sub', s: 'set' });
  });

  test('not for conditions that read C or V, nor past an instruction that may set the flags', () => {
    const signed = [block(sub, cmp0, { op: 'b', cond: 'lt', target: 0 })];
    expect(reuseFlags(signed)).toBe(0);
    const clobbered = [block(sub, { op: 'add', rd: 5, rn: 5, src: { kind: 'imm', value: 1 }, s: 'any' }, cmp0, { op: 'b', cond: 'eq', target: 0 })];
    expect(reuseFlags(clobbered)).toBe(0);
    const otherReg = [block(sub, { op: 'cmp', rn: 5, src: { kind: 'imm', value: 0 } }, { op: 'b', cond: 'eq', target: 0 })];
    expect(reuseFlags(otherReg)).toBe(0);
  });

  test('not when the defining instruction has no flag-setting encoding (addw #imm12)', () => {
    const addw: MInst = { op: 'add', rd: 4, rn: 5, src: { kind: 'imm', value: 0x123 }, s: 'any' };
    expect(reuseFlags([block(addw, cmp0, { op: 'b', cond: 'eq', target: 0 })])).toBe(0);
  });

  test('a count-down loop ends on the decrement\'s flags: no cmp #0 is left', async () => {
    const f = await compile(`(local $s i32) (block $done (loop $next
        (br_if $done (i32.eqz (local.get $a)))
        (local.set $s (i32.add (local.get $s) (i32.load (local.get $a))))
        (local.set $a (i32.sub (local.get $a) (i32.const 1)))
        (br $next))) (local.get $s)`, '(param $a i32)');
    expect(insts(f).filter((i) => i.op === 'cmp' && i.src.kind === 'imm' && i.src.value === 0)).toHaveLength(1); // the entry test only
  });
});

describe('constant addresses', () => {
  test('a load from a constant address is [r9, #c + offset] after one compare of the bound', async () => {
    const f = await compile('(i32.load offset=4 (i32.const 2000))', '');
    expect(insts(f)).toContainEqual({ op: 'ldr', rt: expect.any(Number), addr: { kind: 'imm', rn: R9, offset: 2004 } });
    expect(insts(f).filter((i) => i.op === 'cmp' && i.src.kind === 'imm' && i.src.value === 2008)).toHaveLength(1);
  });

  test('beyond the 12-bit offset the address is computed once, still without a carry check', async () => {
    const f = await compile('(i32.load (i32.const 8000))', '');
    expect(insts(f).some((i) => i.op === 'ldr' && i.addr.kind === 'imm' && i.addr.rn === R9 && i.addr.offset === 8000)).toBe(false);
    expect(insts(f).filter((i) => i.op === 'b' && i.cond === 'cs')).toHaveLength(0);
    expect(insts(f).filter((i) => i.op === 'b' && i.cond === 'cc')).toHaveLength(1);
  });
});
