// Spill rewriting: a spilled virtual register lives in a stack slot. Each instruction that
// reads it gets a fresh short-lived register loaded just before; each that writes it, a
// fresh register stored just after. Loads and stores go around a whole IT block, never
// inside one. Copies to or from a spilled register become the store or the load itself.

import { SP, type MInst, type Reg } from './mir.js';
import { mapRegs, regOperands } from './inst-registers.js';
import { vinst, type VFunction, type VInst } from './vcode.js';

/** For each instruction index, the first and last index of the IT block it belongs to. */
function itGroups(insts: readonly VInst[]): { start: number[]; end: number[] } {
  const start = insts.map((_, i) => i);
  const end = insts.map((_, i) => i);
  insts.forEach((vi, i) => {
    if (vi.inst.op !== 'it') return;
    const last = Math.min(i + 1 + vi.inst.mask.length, insts.length - 1);
    for (let j = i; j <= last; j++) {
      start[j] = i;
      end[j] = last;
    }
  });
  return { start, end };
}

const slotAccess = (op: 'ldr' | 'str', rt: Reg, slot: number): VInst =>
  vinst({ op, rt, addr: { kind: 'imm', rn: SP, offset: 0 } } as MInst, { frame: { area: 'spill', slot } });

/**
 * Rewrite every use and def of `spilled` through stack slots. The new short-lived
 * registers are added to `unspillable` (spilling them again would not help).
 */
export function spillRegisters(f: VFunction, spilled: ReadonlySet<Reg>, unspillable: Set<Reg>): void {
  const slots = new Map<Reg, number>();
  for (const r of spilled) slots.set(r, f.spillSlots++);
  const fresh = (): Reg => {
    const r = f.nextVreg++;
    unspillable.add(r);
    return r;
  };

  for (const block of f.blocks) {
    const { start, end } = itGroups(block.insts);
    const before = block.insts.map((): VInst[] => []);
    const after = block.insts.map((): VInst[] => []);
    const replaced = block.insts.map((vi, i): VInst | undefined => {
      const inst = vi.inst;
      if (inst.op === 'copy') {
        const dstSlot = slots.get(inst.rd);
        const srcSlot = slots.get(inst.rm);
        if (dstSlot !== undefined && srcSlot === undefined) return slotAccess('str', inst.rm, dstSlot);
        if (srcSlot !== undefined && dstSlot === undefined) return slotAccess('ldr', inst.rd, srcSlot);
      }
      const { uses, defs } = regOperands(inst);
      const touched = [...new Set([...uses, ...defs])].filter((r) => slots.has(r));
      if (touched.length === 0) return vi;
      const temps = new Map(touched.map((r) => [r, fresh()]));
      for (const r of touched) {
        const slot = slots.get(r)!;
        if (uses.includes(r)) before[start[i]!]!.push(slotAccess('ldr', temps.get(r)!, slot));
        if (defs.includes(r)) after[end[i]!]!.push(slotAccess('str', temps.get(r)!, slot));
      }
      return { ...vi, inst: mapRegs(inst, (r) => temps.get(r) ?? r) };
    });
    block.insts = replaced.flatMap((vi, i) => [...before[i]!, ...(vi === undefined ? [] : [vi]), ...after[i]!]);
  }
}
