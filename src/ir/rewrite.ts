// Edits that several passes make to a function and that must keep the value table
// consistent: replacing every use of a value by another, replacing an instruction in place
// (its results keep their numbers), creating new values and instructions.

import type { Block, Inst, IrFunction } from './function.js';
import { asBlock, asValue, type BlockId, type Type, type Value } from './types.js';

/** Follows `map` until a value it does not map: chains of replacements resolve to the last. */
function resolver(map: ReadonlyMap<Value, Value>): (v: Value) => Value {
  return (v) => {
    let current = v;
    for (let next = map.get(current); next !== undefined; next = map.get(current)) current = next;
    return current;
  };
}

/** Rewrite every use (instruction args and branch args) through `map`, following chains. */
export function replaceUses(func: IrFunction, map: ReadonlyMap<Value, Value>): void {
  if (map.size === 0) return;
  const resolve = resolver(map);
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      inst.args = inst.args.map(resolve);
      for (const target of inst.targets) target.args = target.args.map(resolve);
    }
  }
}

/** Put `replacement` where `old` is in `block`, giving it `old`'s results (same numbers, so
 *  every use stays valid) and pointing their value table entries at it. */
export function replaceInst(func: IrFunction, block: Block, old: Inst, replacement: Omit<Inst, 'results'>): Inst {
  const inst: Inst = { ...replacement, results: old.results };
  const at = block.insts.indexOf(old);
  block.insts[at] = inst;
  inst.results.forEach((r, index) => {
    const info = func.values[r];
    if (info !== undefined) info.def = { kind: 'inst', inst, index };
  });
  return inst;
}

/** A new value defined by result `index` of `inst`. */
export function newResult(func: IrFunction, inst: Inst, type: Type): Value {
  const v = asValue(func.values.length);
  func.values.push({ type, def: { kind: 'inst', inst, index: inst.results.length } });
  inst.results.push(v);
  return v;
}

/** A new parameter of `block`. */
export function newParam(func: IrFunction, block: Block, type: Type): Value {
  const v = asValue(func.values.length);
  func.values.push({ type, def: { kind: 'param', block: block.id, index: block.params.length } });
  block.params.push(v);
  return v;
}

/** A fresh block id, larger than any the function has. */
export function freshBlockId(func: IrFunction): BlockId {
  return asBlock(func.blocks.reduce((max, b) => Math.max(max, b.id + 1), 0));
}

/** A single-result instruction built from its fields (results added by `newResult`). */
export function makeInst(fields: Omit<Inst, 'results' | 'targets'> & { targets?: Inst['targets'] }): Inst {
  return { ...fields, targets: fields.targets ?? [], results: [] };
}

/** Point the value table entries of `block`'s params at their current positions. */
export function renumberParams(func: IrFunction, block: Block): void {
  block.params.forEach((p, index) => {
    const info = func.values[p];
    if (info !== undefined) info.def = { kind: 'param', block: block.id, index };
  });
}
