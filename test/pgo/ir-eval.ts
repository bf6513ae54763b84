// A small evaluator of i32 IR functions for the profile-guided pass tests: enough opcodes to
// run the test functions before and after a rewrite and compare the results. Calls run the
// callee from `functions` (call_indirect through `table`, trapping like Wasm when the element
// is missing or null).

import type { IrFunction } from '../../src/ir/function.js';
import type { IntCC, Value } from '../../src/ir/types.js';

export type EvalResult = number | `trap: ${string}`;

const COMPARE: Record<IntCC, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b, ne: (a, b) => a !== b,
  slt: (a, b) => a < b, sle: (a, b) => a <= b, sgt: (a, b) => a > b, sge: (a, b) => a >= b,
  ult: (a, b) => a >>> 0 < b >>> 0, ule: (a, b) => a >>> 0 <= b >>> 0, ugt: (a, b) => a >>> 0 > b >>> 0, uge: (a, b) => a >>> 0 >= b >>> 0,
};

export function evaluate(f: IrFunction, args: readonly number[], functions: readonly IrFunction[] = [], table: readonly (number | null)[] = []): EvalResult {
  const env = new Map<Value, number>();
  const get = (v: Value): number => env.get(v) ?? (() => { throw new Error(`v${v} read before it was set`); })();
  const call = (index: number, callArgs: number[]): EvalResult => {
    const callee = functions.find((g) => g.index === index);
    if (callee === undefined) throw new Error(`no f${index}`);
    return evaluate(callee, callArgs, functions, table);
  };
  let block = f.blocks[0]!;
  let incoming = [...args];
  for (let step = 0; step < 10_000; step++) {
    block.params.forEach((p, i) => env.set(p, incoming[i]!));
    for (const inst of block.insts) {
      const a = inst.args.map(get);
      const set = (x: number): void => void env.set(inst.results[0]!, x | 0);
      switch (inst.op) {
        case 'iconst': set(Number(inst.imm)); break;
        case 'iadd': set(a[0]! + a[1]!); break;
        case 'isub': set(a[0]! - a[1]!); break;
        case 'imul': set(Math.imul(a[0]!, a[1]!)); break;
        case 'bxor': set(a[0]! ^ a[1]!); break;
        case 'icmp': set(COMPARE[inst.cc!](a[0]!, a[1]!) ? 1 : 0); break;
        case 'call':
        case 'call_indirect': {
          let index = inst.index!;
          let callArgs = a;
          if (inst.op === 'call_indirect') {
            const element = a[a.length - 1]! >>> 0;
            if (element >= table.length) return 'trap: undefined element';
            const target = table[element];
            if (target === null || target === undefined) return 'trap: uninitialized element';
            index = target;
            callArgs = a.slice(0, -1);
          }
          const r = call(index, callArgs);
          if (typeof r === 'string') return r;
          if (inst.results.length > 0) set(r);
          break;
        }
        case 'return': return a[0]!;
        case 'jump':
        case 'brif':
        case 'br_table': {
          const pick = inst.op === 'jump' ? 0 : inst.op === 'brif' ? (a[0] !== 0 ? 0 : 1) : Math.min(a[0]! >>> 0, inst.targets.length - 1);
          const target = inst.targets[pick]!;
          incoming = target.args.map(get);
          block = f.blocks.find((b) => b.id === target.block)!;
          break;
        }
        default: throw new Error(`evaluate: no ${inst.op}`);
      }
    }
  }
  throw new Error('evaluate: too many steps');
}
