// load-store-elim: redundant loads and dead stores within one block.
//
// - A load of the same address value, offset, width, extension and type as an earlier load
//   in the block, or of the full width of a value an earlier store wrote there, with no
//   store that may overlap and no call or other memory writer in between, is that value.
//   The later load cannot trap (the earlier access of the same bytes did not), so it goes.
// - A store to exactly the same address value, offset and width as a later store in the
//   block, with only pure instructions between them (nothing that reads memory, calls out
//   or may trap, so nothing could observe the first store), is dead: it goes. It could
//   only have trapped where the later one traps identically.
//
// Linear memory is not volatile: an interrupt handler that changes it while a block runs
// is not seen by a load this pass removed (as with C without `volatile`). Peripherals are
// reached through the HAL opcodes, never through `load`/`store`. Keeps the CFG.

import type { Block, Inst, IrFunction, MemAccess } from '../function.js';
import { opInfo } from '../opcodes.js';
import type { PassContext } from '../pass.js';
import { replaceUses } from '../rewrite.js';
import type { Type, Value } from '../types.js';

export const name = 'load-store-elim';

/** Opcodes with side effects that neither write linear memory nor call out. */
const MEMORY_NEUTRAL = new Set<string>(['load', 'global_get', 'global_set', 'memory_size', 'table_get', 'table_size']);

export function run(func: IrFunction, _ctx: PassContext): void {
  const replaced = new Map<Value, Value>();
  for (const block of func.blocks) {
    forwardLoads(func, block, replaced);
    removeDeadStores(block);
  }
  replaceUses(func, replaced);
}

interface Known {
  readonly addr: Value;
  readonly mem: MemAccess;
  readonly type: Type;
  readonly value: Value;
}

const FULL_WIDTH: Record<Type, number> = { i32: 4, i64: 8, f32: 4, f64: 8 };

function forwardLoads(func: IrFunction, block: Block, replaced: Map<Value, Value>): void {
  let known: Known[] = [];
  const kept: Inst[] = [];
  for (const inst of block.insts) {
    if (inst.op === 'load') {
      const type = inst.type!;
      const hit = known.find((k) => k.addr === inst.args[0] && sameAccess(k.mem, inst.mem!) && k.type === type);
      if (hit !== undefined) {
        replaced.set(inst.results[0]!, hit.value);
        continue;
      }
      known.push({ addr: inst.args[0]!, mem: inst.mem!, type, value: inst.results[0]! });
    } else if (inst.op === 'store') {
      const [addr, value] = inst.args as [Value, Value];
      const mem = inst.mem!;
      known = known.filter((k) => k.addr === addr && disjoint(k.mem, mem));
      const type = func.values[value]!.type;
      // Only a full-width store reads back as the same value; a narrow one would need an extension.
      if (mem.bytes === FULL_WIDTH[type]) known.push({ addr, mem: { ...mem, signed: false }, type, value });
    } else if (opInfo(inst.op).sideEffects === true && !MEMORY_NEUTRAL.has(inst.op)) {
      known = [];
    }
    kept.push(inst);
  }
  block.insts = kept;
}

const sameAccess = (a: MemAccess, b: MemAccess): boolean => a.offset === b.offset && a.bytes === b.bytes && a.signed === b.signed;
const disjoint = (a: MemAccess, b: MemAccess): boolean => a.offset + a.bytes <= b.offset || b.offset + b.bytes <= a.offset;

function removeDeadStores(block: Block): void {
  const dead = new Set<Inst>();
  // Walking backwards: the next store, when only pure instructions (and dead stores) come
  // before it. Another store in between may trap, which would make the first one observable.
  let next: Inst | undefined;
  for (let i = block.insts.length - 1; i >= 0; i--) {
    const inst = block.insts[i]!;
    if (inst.op === 'store') {
      const overwritten = next !== undefined && next.args[0] === inst.args[0] && next.mem!.offset === inst.mem!.offset && next.mem!.bytes === inst.mem!.bytes;
      if (overwritten) dead.add(inst);
      else next = inst;
    } else if (opInfo(inst.op).pure !== true) {
      next = undefined;
    }
  }
  if (dead.size > 0) block.insts = block.insts.filter((inst) => !dead.has(inst));
}
