// src/ir/constant-eval.ts against Node's WebAssembly engine: every foldable operation on
// boundary and random operands. Floats cross the boundary as their bits (reinterpret), so
// signs of zero and NaN payloads are compared exactly; a NaN result only needs to be a NaN
// (Wasm lets arithmetic pick any), except for neg/abs/copysign, whose bits are exact.
// Whenever the evaluator folds, its result must be Wasm's; it may decline only where the
// operation traps (it must then decline) or where it says it cannot round exactly.

import { describe, expect, it } from 'vitest';
import { evaluate, type Constant } from '../../src/ir/constant-eval.js';
import { watToBinary } from '../../src/frontend/load.js';
import type { Inst } from '../../src/ir/function.js';
import type { Opcode } from '../../src/ir/opcodes.js';
import type { FloatCC, IntCC, Type } from '../../src/ir/types.js';
import { prng } from './random-ir.js';

interface Case {
  readonly name: string; // export name
  readonly wasm: string; // the instruction
  readonly inst: Partial<Inst> & { op: Opcode };
  readonly params: readonly Type[];
  readonly result: Type;
  readonly exactNaN?: boolean;
}

const bitsType = (t: Type): string => (t === 'f32' ? 'i32' : t === 'f64' ? 'i64' : t);
const isFloat = (t: Type): boolean => t === 'f32' || t === 'f64';

function caseList(): Case[] {
  const cases: Case[] = [];
  const add = (wasm: string, op: Opcode, params: Type[], result: Type, extra: Partial<Inst> = {}, exactNaN = false): void => {
    cases.push({ name: `${wasm}#${cases.length}`, wasm, inst: { op, ...extra }, params, result, exactNaN });
  };
  for (const t of ['i32', 'i64'] as const) {
    const bin: [string, Opcode][] = [['add', 'iadd'], ['sub', 'isub'], ['mul', 'imul'], ['div_s', 'sdiv'], ['div_u', 'udiv'], ['rem_s', 'srem'], ['rem_u', 'urem'],
      ['and', 'band'], ['or', 'bor'], ['xor', 'bxor'], ['shl', 'shl'], ['shr_s', 'sshr'], ['shr_u', 'ushr'], ['rotl', 'rotl'], ['rotr', 'rotr']];
    for (const [w, op] of bin) add(`${t}.${w}`, op, [t, t], t);
    for (const [w, op] of [['clz', 'clz'], ['ctz', 'ctz'], ['popcnt', 'popcnt']] as const) add(`${t}.${w}`, op, [t], t);
    const ccs: [string, IntCC][] = [['eq', 'eq'], ['ne', 'ne'], ['lt_s', 'slt'], ['lt_u', 'ult'], ['le_s', 'sle'], ['le_u', 'ule'], ['gt_s', 'sgt'], ['gt_u', 'ugt'], ['ge_s', 'sge'], ['ge_u', 'uge']];
    for (const [w, cc] of ccs) add(`${t}.${w}`, 'icmp', [t, t], 'i32', { cc });
    add(`${t}.extend8_s`, 'sextend_low', [t], t, { imm: 8 });
    add(`${t}.extend16_s`, 'sextend_low', [t], t, { imm: 16 });
  }
  add('i64.extend32_s', 'sextend_low', ['i64'], 'i64', { imm: 32 });
  add('i64.extend_i32_s', 'sextend', ['i32'], 'i64');
  add('i64.extend_i32_u', 'uextend', ['i32'], 'i64');
  add('i32.wrap_i64', 'ireduce', ['i64'], 'i32');
  for (const t of ['f32', 'f64'] as const) {
    for (const [w, op] of [['add', 'fadd'], ['sub', 'fsub'], ['mul', 'fmul'], ['div', 'fdiv'], ['min', 'fmin'], ['max', 'fmax']] as const) add(`${t}.${w}`, op, [t, t], t);
    add(`${t}.copysign`, 'fcopysign', [t, t], t, {}, true);
    for (const [w, op] of [['sqrt', 'fsqrt'], ['ceil', 'fceil'], ['floor', 'ffloor'], ['trunc', 'ftrunc'], ['nearest', 'fnearest']] as const) add(`${t}.${w}`, op, [t], t);
    add(`${t}.neg`, 'fneg', [t], t, {}, true);
    add(`${t}.abs`, 'fabs', [t], t, {}, true);
    for (const [w, fcc] of [['eq', 'eq'], ['ne', 'ne'], ['lt', 'lt'], ['le', 'le'], ['gt', 'gt'], ['ge', 'ge']] as [string, FloatCC][]) add(`${t}.${w}`, 'fcmp', [t, t], 'i32', { fcc });
    for (const i of ['i32', 'i64'] as const) {
      add(`${t}.convert_${i}_s`, 'fcvt_from_sint', [i], t);
      add(`${t}.convert_${i}_u`, 'fcvt_from_uint', [i], t);
      add(`${i}.trunc_${t}_s`, 'fcvt_to_sint', [t], i);
      add(`${i}.trunc_${t}_u`, 'fcvt_to_uint', [t], i);
      add(`${i}.trunc_sat_${t}_s`, 'fcvt_to_sint_sat', [t], i);
      add(`${i}.trunc_sat_${t}_u`, 'fcvt_to_uint_sat', [t], i);
    }
  }
  add('f64.promote_f32', 'fpromote', ['f32'], 'f64');
  add('f32.demote_f64', 'fdemote', ['f64'], 'f32');
  add('f32.reinterpret_i32', 'bitcast', ['i32'], 'f32', {}, true);
  add('i64.reinterpret_f64', 'bitcast', ['f64'], 'i64', {}, true);
  return cases;
}

function functionText(c: Case): string {
  const params = c.params.map((t) => bitsType(t)).join(' ');
  const gets = c.params.map((t, i) => `local.get ${i}${isFloat(t) ? ` ${t}.reinterpret_${bitsType(t)}` : ''}`).join(' ');
  const back = isFloat(c.result) ? ` ${bitsType(c.result)}.reinterpret_${c.result}` : '';
  return `(func (export "${c.name}") (param ${params}) (result ${bitsType(c.result)}) ${gets} ${c.wasm}${back})`;
}

const I32_EDGES = [0, 1, -1, 2, 31, 32, 33, 63, 64, 0x7fffffff, -0x80000000, 0x12345678, -7, 0x3f800000, 0x7fc00000, 0x7fa00001, 0xff800000 | 0, 0x80000000 | 1, 0x4b000001, 0x4effffff, 0x4f000000, 0x5f000000, 0xbf000000 | 0, 0x3fc00000, 0x40200000];
const I64_EDGES = [0n, 1n, -1n, 63n, 64n, 65n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x3ff0000000000000n, 0x7ff8000000000000n, 0x7ff0000000000001n,
  -0x10000000000000n, 0x4330000000000001n, 0x43e0000000000000n, 0x41dfffffffc00000n, 0x41f0000000000000n, 0x3fe0000000000000n, 0x4004000000000000n, 0x20000000000001n, -0x4010000000000000n];

function operands(type: Type, rand: (n: number) => number): (number | bigint)[] {
  const wide = type === 'i64' || type === 'f64';
  const edges = wide ? I64_EDGES : I32_EDGES;
  const randomBits = (): number | bigint => wide
    ? BigInt.asIntN(64, (BigInt(rand(0x10000)) << 48n) | (BigInt(rand(0x10000)) << 32n) | BigInt(rand(0x10000) << 16 | rand(0x10000)))
    : (rand(0x10000) << 16) | rand(0x10000);
  return [...edges, ...Array.from({ length: 12 }, randomBits)];
}

describe('constant evaluation', () => {
  it('agrees with Node\'s WebAssembly engine on every operation it folds', async () => {
    const cases = caseList();
    const wasm = await watToBinary(`(module ${cases.map(functionText).join('\n')})`, 'const-eval.wat');
    const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(wasm)));
    const rand = prng(42);
    let folded = 0;
    for (const c of cases) {
      const fn = instance.exports[c.name] as (...args: (number | bigint)[]) => number | bigint;
      const lists = c.params.map((t) => operands(t, rand));
      const combos = c.params.length === 1 ? lists[0]!.map((x) => [x]) : lists[0]!.flatMap((x, i) => lists[1]!.filter((_, j) => (i + j) % 3 === 0).map((y) => [x, y]));
      for (const args of combos) {
        let expected: number | bigint | 'trap';
        try {
          expected = fn(...args);
        } catch {
          expected = 'trap';
        }
        const constants: Constant[] = args.map((bits, i) => ({ type: c.params[i]!, bits }));
        const inst: Inst = { args: [], results: [], targets: [], srcOffset: 0, ...c.inst };
        const got = evaluate(inst, constants, c.result);
        const what = `${c.wasm}(${args.join(', ')})`;
        if (expected === 'trap') {
          expect(got, what).toBeUndefined();
          continue;
        }
        if (got === undefined) {
          // Declining is allowed only for i64 -> f32, which would round twice.
          expect(c.wasm, what).toMatch(/^f32\.convert_i64/);
          continue;
        }
        folded++;
        expect(got.type, what).toBe(c.result);
        if (!c.exactNaN && isFloat(c.result) && isNaNBits(c.result, expected)) {
          expect(isNaNBits(c.result, got.bits), what).toBe(true);
        } else {
          expect(BigInt(got.bits), what).toBe(BigInt(expected));
        }
      }
    }
    expect(folded).toBeGreaterThan(5000);
  });
});

function isNaNBits(type: Type, bits: number | bigint): boolean {
  if (type === 'f32') return ((Number(bits) >>> 23) & 0xff) === 0xff && (Number(bits) & 0x7fffff) !== 0;
  const b = BigInt.asUintN(64, BigInt(bits));
  return ((b >> 52n) & 0x7ffn) === 0x7ffn && (b & 0xfffffffffffffn) !== 0n;
}
