// copy-prop: values that are copies of another value are replaced by it.
//
// - Integer identities: x + 0, x - 0, x * 1, x & -1, x & x, x | 0, x | x, x ^ 0, shifts and
//   rotates by a multiple of the width (Wasm takes the amount modulo the width), x / 1
//   (sdiv, udiv: a constant divisor of 1 cannot trap, so the division may go).
// - select(c, x, x) is x, for every type (the same bits whichever is chosen).
// - Block parameters that every edge sets to one value (simplify-block-params' rule), which
//   the replacements above can expose, and which can expose more of them: rounds repeat.
//
// No float identity: x + 0 is not x for x = -0, x * 1 may quiet a signalling NaN.
// The replaced instructions are removed. Keeps the CFG.

import type { Inst, IrFunction } from '../function.js';
import type { PassContext } from '../pass.js';
import { replaceUses } from '../rewrite.js';
import type { Value } from '../types.js';
import * as simplifyBlockParams from './simplify-block-params.js';

export const name = 'copy-prop';

export function run(func: IrFunction, ctx: PassContext): void {
  for (;;) {
    for (let copies = findCopies(func); copies.size > 0; copies = findCopies(func)) {
      for (const block of func.blocks) block.insts = block.insts.filter((inst) => !copies.has(inst.results[0]!));
      replaceUses(func, copies);
    }
    // Merging a parameter into its one value can make an instruction an identity (x & x).
    const params = parameterCount(func);
    simplifyBlockParams.run(func, ctx);
    if (parameterCount(func) === params) return;
  }
}

const parameterCount = (func: IrFunction): number => func.blocks.reduce((n, b) => n + b.params.length, 0);

function integerConstants(func: IrFunction): Map<Value, bigint> {
  const consts = new Map<Value, bigint>();
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      if (inst.op === 'iconst' && inst.imm !== undefined) consts.set(inst.results[0]!, BigInt(inst.imm));
    }
  }
  return consts;
}

function findCopies(func: IrFunction): Map<Value, Value> {
  const consts = integerConstants(func);
  const copies = new Map<Value, Value>();
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      if (inst.results.length !== 1) continue;
      const source = copiedValue(inst, consts, func.values[inst.results[0]!]!.type === 'i64' ? 64n : 32n);
      if (source !== undefined && source !== inst.results[0]) copies.set(inst.results[0]!, source);
    }
  }
  return copies;
}

/** The value `inst` always equals, if it is one of its operands. */
function copiedValue(inst: Inst, consts: ReadonlyMap<Value, bigint>, width: bigint): Value | undefined {
  const [a, b, c] = inst.args;
  const is = (v: Value | undefined, n: bigint): boolean => v !== undefined && consts.get(v) === n;
  switch (inst.op) {
    case 'select':
      return b === c ? b : undefined;
    case 'iadd':
    case 'bor':
    case 'bxor':
      if (inst.op === 'bor' && a === b) return a;
      return is(b, 0n) ? a : is(a, 0n) ? b : undefined;
    case 'isub':
      return is(b, 0n) ? a : undefined;
    case 'imul':
      return is(b, 1n) ? a : is(a, 1n) ? b : undefined;
    case 'band':
      if (a === b) return a;
      return is(b, -1n) ? a : is(a, -1n) ? b : undefined;
    case 'shl':
    case 'sshr':
    case 'ushr':
    case 'rotl':
    case 'rotr': {
      const amount = b === undefined ? undefined : consts.get(b);
      return amount !== undefined && BigInt.asUintN(Number(width), amount) % width === 0n ? a : undefined;
    }
    case 'sdiv':
    case 'udiv':
      return is(b, 1n) ? a : undefined;
    default:
      return undefined;
  }
}
