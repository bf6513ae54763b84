import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFunction, FunctionBuilder, type IrFunction } from '../../src/ir/function.js';
import { OPCODES } from '../../src/ir/opcodes.js';
import { IrParseError, parseFunction, parseFunctions } from '../../src/ir/parser.js';
import * as dce from '../../src/ir/passes/dce.js';
import { printFunction } from '../../src/ir/printer.js';
import { asValue } from '../../src/ir/types.js';
import { verifyFunction } from '../../src/ir/verifier.js';

/** A function built through the builder, with every kind of immediate and several results. */
function buildSample(): IrFunction {
  const f = createFunction(5, 'sample "quoted"', { params: ['i32', 'i64'], results: ['i64'] });
  const b = new FunctionBuilder(f);
  b.srcOffset = 0x80;
  const entry = b.createBlock();
  const exit = b.createBlock(0x90);
  b.switchTo(entry);
  const [x, y] = [b.addBlockParam(entry, 'i32'), b.addBlockParam(entry, 'i64')];
  const big = b.iconst('i64', -(2n ** 63n));
  b.srcOffset = 0x84;
  const loaded = b.value('load', 'i64', { args: [x], mem: { offset: 12, bytes: 2, signed: true } });
  const call = b.emit('call_indirect', { args: [x, x], index: 2, table: 1 }, ['i32', 'f64']);
  const sum = b.value('iadd', 'i64', { args: [loaded, big] });
  b.emit('store', { args: [x, call.results[1]!], mem: { offset: 0, bytes: 8, signed: false } });
  const cond = b.value('icmp', 'i32', { args: [sum, y], cc: 'ule' });
  b.brif(cond, { block: exit, args: [sum] }, { block: exit, args: [y] });
  b.switchTo(exit);
  b.srcOffset = 0x90;
  const p = b.addBlockParam(exit, 'i64');
  b.emit('global_set', { args: [call.results[0]!], index: 4 });
  b.emit('return', { args: [p] });
  return f;
}

/** Everything the text must carry, as plain data. */
function snapshot(f: IrFunction): unknown {
  return {
    index: f.index, name: f.name, sig: f.sig,
    blocks: f.blocks.map((b) => ({
      id: b.id, srcOffset: b.srcOffset, params: b.params,
      insts: b.insts.map(({ op, type, args, results, imm, cc, mem, index, table, trap, targets, srcOffset }) =>
        ({ op, type, args, results, imm, cc, mem, index, table, trap, targets, srcOffset })),
    })),
    types: f.values.map((v) => v.type),
  };
}

describe('IR text form', () => {
  it('round-trips every field of a built function', () => {
    const f = buildSample();
    expect(verifyFunction(f)).toEqual([]);
    const text = printFunction(f);
    const parsed = parseFunction(text);
    expect(snapshot(parsed)).toEqual(snapshot(f));
    expect(printFunction(parsed)).toBe(text);
    expect(typeof parsed.blocks[0]!.insts[0]!.imm).toBe('bigint');
  });

  it('writes the result types of multi-result calls', () => {
    const text = printFunction(buildSample());
    expect(text).toContain('v4: i32, v5: f64 = call_indirect sig2 table1 v0, v0');
    expect(text).toContain('v3 = load.i64 s16 +12 v0  ; @0x84');
  });

  it('keeps value numbers across gaps left by removed instructions', () => {
    const f = createFunction(0, 'gap', { params: ['i32'], results: ['i32'] });
    const b = new FunctionBuilder(f);
    b.switchTo(b.createBlock());
    const x = b.addBlockParam(f.blocks[0]!.id, 'i32');
    b.iconst('i32', 7); // v1: dead
    const sum = b.value('iadd', 'i32', { args: [x, x] });
    b.emit('return', { args: [sum] });
    dce.run(f, {});
    const text = printFunction(f);
    expect(text).not.toContain('v1');
    const parsed = parseFunction(text);
    expect(parsed.values.length).toBe(3);
    expect(parsed.blocks[0]!.insts[0]!.results).toEqual([asValue(2)]);
    expect(printFunction(parsed)).toBe(text);
    expect(verifyFunction(parsed)).toEqual([]);
  });

  it('gives values the text never defines a detached definition', () => {
    const f = parseFunction('function f0 "g" () {\nblock0:  ; @0x0\n    v3 = iconst.i32 1\n    return\n}\n');
    expect(f.values.length).toBe(4);
    const gap = f.values[1]!;
    expect(gap.def.kind).toBe('inst');
    expect(f.blocks[0]!.insts).not.toContain(gap.def.kind === 'inst' ? gap.def.inst : undefined);
  });

  it('reports parse errors with line and column', () => {
    const bad = 'function f0 "x" () {\nblock0:  ; @0x0\n    v1 = iconst.i32 1 2\n}\n';
    try {
      parseFunctions(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IrParseError);
      expect(e).toMatchObject({ line: 3, column: 23 });
    }
    expect(() => parseFunctions('function f0 "x" () {\nblock0:\n    v1 = iconst.i64 9223372036854775808\n}')).toThrow(/3:21: constant .* out of the i64 range/);
    expect(() => parseFunction('')).toThrow(IrParseError);
  });

  it('prints ill-formed IR without throwing', () => {
    const f = buildSample();
    f.blocks[0]!.insts[1]!.args.push(asValue(999));
    f.blocks[1]!.params.push(asValue(1000));
    expect(printFunction(f)).toContain('block1(v8: i64, v1000: ?)');
  });

  it('has roundtrip filetests that use every opcode and verify clean', () => {
    const dir = fileURLToPath(new URL('./filetests/', import.meta.url));
    const used = new Set<string>();
    for (const file of readdirSync(dir).filter((n) => n.startsWith('roundtrip-'))) {
      for (const f of parseFunctions(readFileSync(dir + file, 'utf8'))) {
        expect(verifyFunction(f), file).toEqual([]);
        for (const b of f.blocks) for (const i of b.insts) used.add(i.op);
      }
    }
    expect(Object.keys(OPCODES).filter((op) => !used.has(op))).toEqual([]);
  });
});
