// bounds-check-elim: marks a load or store `inBounds` when dominating loads and stores that
// did not trap already prove it cannot trap. The backend then skips the compare and the
// trap branches (src/backend-thumb2/isel/memory.ts).
//
// The bound B is the physical size of linear memory, fitted to the board at link time, so no
// access is proven in bounds from the module's declared size. B never shrinks (memory_grow
// only grows it), so a check made earlier on the path stays valid. Keeps the CFG; only
// MemAccess flags change.
//
// Facts. `reach(v) = E` means "v + E <= B, as whole numbers" (no 32-bit wrap): an access of
// address value v with offset + bytes = e that did not trap proves reach(v) >= e, because
// Wasm adds the offset to the address without wrapping.
//
// Base plus constant. Compilers address fields and unrolled array elements as `iadd x, c`.
// That iadd wraps at 2^32, so an access of `iadd x, c` says nothing about x by itself:
// x = 2^32 - 8, c = 16 gives address 8, which passes, while x itself is far out of bounds.
// The pass only treats `iadd x, c` as x + c when a fact on x shows the sum did not wrap:
// with reach(x) = E and 0 <= c < E, x + c < x + E <= B <= 2^32. Then
// - an access of `iadd x, c` with end e, c + e <= E, is in bounds: (x + c) + e <= x + E <= B;
// - a checked access of `iadd x, c` with a larger end extends the fact: reach(x) = c + e,
//   which later covers x and every `iadd x, c'` with c' + e' <= c + e (the "reverse" case:
//   one check of the farthest element covers the nearer ones).
// Without a fact on x, `iadd x, c` is just an address value of its own (the first rule).

import { buildCfg } from '../analysis/cfg.js';
import { computeDominators } from '../analysis/dominators.js';
import { blockById, type Inst, type IrFunction } from '../function.js';
import type { PassContext } from '../pass.js';
import type { BlockId, Value } from '../types.js';

export const name = 'bounds-check-elim';

/** value -> reach: the value plus reach is at most the bound on every path to here. */
type Reach = Map<Value, number>;
type Undo = [Value, number | undefined][];

export function run(func: IrFunction, _ctx: PassContext): void {
  const cfg = buildCfg(func);
  if (cfg.entry === undefined) return;
  const domTree = computeDominators(func, cfg);
  const reach: Reach = new Map();
  const stack: { block: BlockId; undo: Undo | undefined; next: number }[] = [{ block: cfg.entry, undo: undefined, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.undo === undefined) top.undo = markBlock(func, top.block, reach);
    const children = domTree.children(top.block);
    if (top.next < children.length) {
      stack.push({ block: children[top.next++]!, undo: undefined, next: 0 });
    } else {
      for (const [value, previous] of top.undo.reverse()) {
        if (previous === undefined) reach.delete(value);
        else reach.set(value, previous);
      }
      stack.pop();
    }
  }
}

/** Marks the block's accesses; returns how to restore `reach` when leaving the block. */
function markBlock(func: IrFunction, id: BlockId, reach: Reach): Undo {
  const undo: Undo = [];
  const extend = (value: Value, end: number): void => {
    const known = reach.get(value);
    if (known !== undefined && known >= end) return;
    undo.push([value, known]);
    reach.set(value, end);
  };
  for (const inst of blockById(func, id).insts) {
    if ((inst.op !== 'load' && inst.op !== 'store') || inst.mem === undefined) continue;
    const addr = inst.args[0]!;
    const end = inst.mem.offset + inst.mem.bytes;
    const sum = baseAndConstant(func, addr);
    // reach of the base, usable only when it proves that iadd x, c did not wrap (c < reach)
    const baseReach = sum === undefined ? undefined : reach.get(sum.base);
    const sumIsExact = sum !== undefined && baseReach !== undefined && sum.constant < baseReach;
    const proven = (reach.get(addr) ?? 0) >= end || (sumIsExact && sum.constant + end <= baseReach);
    if (proven) inst.mem = { ...inst.mem, inBounds: true };
    extend(addr, end); // a proof or a passed check: addr + end <= B either way
    if (proven) continue;
    if (sumIsExact) extend(sum.base, sum.constant + end);
  }
  return undo;
}

/** `iadd x, c` of i32 with a constant c >= 0 (either operand): x and c. */
function baseAndConstant(func: IrFunction, addr: Value): { base: Value; constant: number } | undefined {
  const def = definingInst(func, addr);
  if (def?.op !== 'iadd' || func.values[addr]?.type !== 'i32') return undefined;
  const [a, b] = def.args as [Value, Value];
  const constantOf = (v: Value): number | undefined => {
    const c = definingInst(func, v);
    return c?.op === 'iconst' && typeof c.imm === 'number' && c.imm >= 0 ? c.imm : undefined;
  };
  const cb = constantOf(b);
  if (cb !== undefined) return { base: a, constant: cb };
  const ca = constantOf(a);
  return ca === undefined ? undefined : { base: b, constant: ca };
}

function definingInst(func: IrFunction, v: Value): Inst | undefined {
  const def = func.values[v]?.def;
  return def?.kind === 'inst' ? def.inst : undefined;
}
