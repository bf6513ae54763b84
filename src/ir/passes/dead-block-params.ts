// dead-block-params: remove block parameters whose value nothing needs. A parameter is
// needed when an instruction reads it as an operand, or when a branch passes it to a
// needed parameter; everything else (typically a loop-carried Wasm local that the loop
// body never reads after inlining, or a phi cycle feeding only itself) goes, with its
// argument on every edge into its block and the pure instructions nothing needs.
//
// Why this matters for the backend: every block argument is a register copy on its edge,
// and a dead parameter still takes a register (or a spill slot) across the whole loop.
//
// A liveness fixpoint over values: seeds are the operands of instructions that are not pure
// (side effects, traps, control flow); a needed pure result makes its operands needed, a
// needed parameter the arguments passed to it. So a cycle of pure adds through a loop
// parameter that only feeds itself is found dead as a whole. Keeps the CFG; removed
// parameters stay as stale value table entries.

import type { Inst, IrFunction } from '../function.js';
import { opInfo } from '../opcodes.js';
import type { PassContext } from '../pass.js';
import type { BlockId, Value } from '../types.js';

export const name = 'dead-block-params';

interface ParamSlot {
  readonly block: BlockId;
  readonly index: number;
}

export function run(func: IrFunction, _ctx: PassContext): void {
  const slotOf = new Map<Value, ParamSlot>();
  for (const block of func.blocks.slice(1)) block.params.forEach((p, index) => slotOf.set(p, { block: block.id, index }));
  if (slotOf.size === 0) return;

  const argsPassedTo = argumentsByParam(func, slotOf);
  const pureDefs = new Map<Value, Inst>();
  for (const block of func.blocks) {
    for (const inst of block.insts) if (opInfo(inst.op).pure === true) for (const r of inst.results) pureDefs.set(r, inst);
  }
  const needed = new Set<Value>();
  const worklist: Value[] = [];
  const need = (v: Value): void => {
    if (needed.has(v)) return;
    needed.add(v);
    worklist.push(v);
  };
  // Roots: operands of everything that is not a pure computation (stores, calls, branches'
  // conditions, returns...). A needed pure result needs its operands; a needed parameter
  // needs what every edge passes to it.
  for (const block of func.blocks) {
    for (const inst of block.insts) if (opInfo(inst.op).pure !== true) inst.args.forEach(need);
  }
  while (worklist.length > 0) {
    const v = worklist.pop()!;
    pureDefs.get(v)?.args.forEach(need);
    argsPassedTo.get(v)?.forEach(need);
  }
  if ([...slotOf.keys()].every((p) => needed.has(p))) return;
  // The pure instructions nothing needs go first: some of them read the parameters.
  for (const block of func.blocks) {
    block.insts = block.insts.filter((inst) => opInfo(inst.op).pure !== true || inst.results.some((r) => needed.has(r)));
  }
  removeParams(func, (p) => !slotOf.has(p) || needed.has(p));
}

/** For each parameter, every value any edge passes to it. */
function argumentsByParam(func: IrFunction, slotOf: ReadonlyMap<Value, ParamSlot>): Map<Value, Value[]> {
  const paramsOf = new Map(func.blocks.map((b) => [b.id, b.params]));
  const passed = new Map<Value, Value[]>();
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      for (const call of inst.targets) {
        const params = paramsOf.get(call.block) ?? [];
        call.args.forEach((arg, i) => {
          const param = params[i];
          if (param === undefined || !slotOf.has(param)) return;
          const list = passed.get(param) ?? [];
          list.push(arg);
          passed.set(param, list);
        });
      }
    }
  }
  return passed;
}

/** Drop every parameter `keep` rejects, and its argument on every edge (the entry block's
 *  parameters are the function's and always stay). */
function removeParams(func: IrFunction, keep: (param: Value) => boolean): void {
  const kept = new Map(func.blocks.map((b, i) => [b.id, b.params.map((p) => i === 0 || keep(p))]));
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      for (const call of inst.targets) {
        const mask = kept.get(call.block);
        if (mask !== undefined) call.args = call.args.filter((_, i) => mask[i] !== false);
      }
    }
  }
  func.blocks.forEach((block, i) => {
    if (i === 0) return;
    block.params = block.params.filter(keep);
    // The surviving parameters moved down: keep their value table entries pointing at them.
    block.params.forEach((p, index) => {
      const info = func.values[p];
      if (info !== undefined) info.def = { kind: 'param', block: block.id, index };
    });
  });
}
