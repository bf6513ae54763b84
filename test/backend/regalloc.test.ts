// The register allocator on hand-made machine code: call clobbers, spilling under
// pressure, coalescing of copies, reserved registers.

import { describe, expect, test } from 'vitest';
import { regOperands } from '../../src/backend-thumb2/inst-registers.js';
import { isVirtual, LR, PC, R9, SP, VREG_BASE, type MInst, type Reg } from '../../src/backend-thumb2/mir.js';
import { allocateRegisters } from '../../src/backend-thumb2/regalloc.js';
import { CALLER_SAVED_REGS } from '../../src/backend-thumb2/registers.js';
import { vinst, type VFunction, type VInst } from '../../src/backend-thumb2/vcode.js';

function vfunction(insts: VInst[], nextVreg: number): VFunction {
  return { symbol: 't', name: 't', wasmIndex: 0, blocks: [{ insts, srcOffset: 0 }], nextVreg, outgoingArgBytes: 0, spillSlots: 0, hasCalls: true };
}

const v = (k: number): Reg => VREG_BASE + k;
const movImm = (rd: Reg, value: number): VInst => vinst({ op: 'mov', rd, src: { kind: 'imm', value }, s: 'any' });
const add = (rd: Reg, rn: Reg, rm: Reg): VInst => vinst({ op: 'add', rd, rn, src: { kind: 'reg', rm }, s: 'any' });
const call: VInst = vinst({ op: 'bl', sym: { name: 'g', addend: 0 } }, { implicitUses: [], implicitDefs: CALLER_SAVED_REGS });
const ret = (r: Reg): VInst[] => [vinst({ op: 'copy', rd: 0, rm: r }), vinst({ op: 'bx', rm: LR }, { implicitUses: [0], isReturn: true })];

const allRegs = (f: VFunction): Reg[] => f.blocks.flatMap((b) => b.insts.flatMap((vi) => {
  const { uses, defs } = regOperands(vi.inst);
  return [...uses, ...defs];
}));

/** The register the instruction at `index` defines. */
const defOf = (f: VFunction, pred: (i: MInst) => boolean): Reg => regOperands(f.blocks[0]!.insts.find((vi) => pred(vi.inst))!.inst).defs[0]!;

describe('register allocation', () => {
  test('values live across a call get callee-saved registers', () => {
    const f = vfunction([movImm(v(0), 11), movImm(v(1), 22), call, add(v(2), v(0), v(1)), ...ret(v(2))], v(3));
    allocateRegisters(f);
    const a = defOf(f, (i) => i.op === 'mov' && i.src.kind === 'imm' && i.src.value === 11);
    const b = defOf(f, (i) => i.op === 'mov' && i.src.kind === 'imm' && i.src.value === 22);
    expect(CALLER_SAVED_REGS).not.toContain(a);
    expect(CALLER_SAVED_REGS).not.toContain(b);
    expect(a).not.toBe(b);
  });

  test('more live values than registers spill, and nothing virtual or reserved remains', () => {
    const n = 20;
    const defs = Array.from({ length: n }, (_, k) => movImm(v(k), k));
    const sums: VInst[] = [];
    let acc = v(0);
    for (let k = 1; k < n; k++) {
      sums.push(add(v(n + k), acc, v(k)));
      acc = v(n + k);
    }
    const f = vfunction([...defs, call, ...sums, ...ret(acc)], v(2 * n));
    allocateRegisters(f);
    expect(f.spillSlots).toBeGreaterThan(0);
    const regs = allRegs(f);
    expect(regs.filter(isVirtual)).toEqual([]);
    expect(regs.filter((r) => r === R9 || r === SP || r === PC)).toEqual(f.blocks[0]!.insts.filter((vi) => vi.frame !== undefined).map(() => SP));
    expect(f.blocks[0]!.insts.some((vi) => vi.inst.op === 'copy')).toBe(false);
  });

  test('a copy between non-interfering registers is coalesced away', () => {
    const f = vfunction([movImm(v(0), 5), vinst({ op: 'copy', rd: v(1), rm: v(0) }), add(v(2), v(1), v(1)), ...ret(v(2))], v(3));
    f.hasCalls = false;
    allocateRegisters(f);
    const ops = f.blocks[0]!.insts.map((vi) => vi.inst.op);
    expect(ops).toEqual(['mov', 'add', 'bx']);
  });
});
