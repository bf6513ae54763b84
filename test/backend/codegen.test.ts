// Properties of generateFunction's output on every test function: physical registers only,
// no copies, r9/pc never written, sp only by the frame, 8-byte aligned frames, spills
// under pressure, the trap blocks at the end.

import { describe, expect, test } from 'vitest';
import { generateFunction } from '../../src/backend-thumb2/codegen.js';
import { regOperands } from '../../src/backend-thumb2/inst-registers.js';
import { isVirtual, PC, R9, SP, type MFunction } from '../../src/backend-thumb2/mir.js';
import type { IrModule } from '../../src/ir/module.js';
import { INT_CCS } from '../../src/ir/types.js';
import { binary, buildModule, compare } from './op-cases.js';
import { CONTROL_AND_CALL_FUNCTIONS, MEMORY_FUNCTIONS } from './program-cases.js';

const OPS = ['iadd', 'isub', 'imul', 'sdiv', 'udiv', 'srem', 'urem', 'band', 'bor', 'bxor', 'shl', 'sshr', 'ushr', 'rotl', 'rotr'] as const;
const modules: IrModule[] = [
  buildModule([...OPS.map((op) => binary('i32', op)), ...OPS.map((op) => binary('i64', op)), ...INT_CCS.map((cc) => compare('i64', cc))]),
  buildModule(MEMORY_FUNCTIONS, { memory: { minPages: 1, exports: [] } }),
  buildModule(CONTROL_AND_CALL_FUNCTIONS),
];
const generated: MFunction[] = modules.flatMap((mod) => mod.bodies.map((f) => generateFunction(f, mod)));
const named = (name: string): MFunction => generated.find((f) => f.name === name)!;
const insts = (f: MFunction) => f.blocks.flatMap((b) => b.insts);

describe('generateFunction', () => {
  test.each(generated.map((f) => [f.name, f] as const))('%s: physical registers only, reserved ones untouched', (_name, f) => {
    for (const inst of insts(f)) {
      const { uses, defs } = regOperands(inst);
      expect([...uses, ...defs].filter(isVirtual)).toEqual([]);
      expect(inst.op).not.toBe('copy');
      expect(defs).not.toContain(R9);
      if (defs.includes(PC)) expect(inst.op).toBe('pop');
      if (defs.includes(SP)) expect(['push', 'pop', 'add', 'sub']).toContain(inst.op);
    }
  });

  test('frames keep sp 8-byte aligned', () => {
    for (const f of generated) {
      const [push, sub] = f.blocks[0]!.insts;
      if (push?.op !== 'push') continue;
      const local = sub?.op === 'sub' && sub.rd === SP && sub.src.kind === 'imm' ? sub.src.value : 0;
      expect((push.regs.length * 4 + local) % 8, f.name).toBe(0);
    }
  });

  test('a function with more live values than registers spills to the stack', () => {
    const spillStores = insts(named('pressure')).filter((i) => i.op === 'str' && i.addr.kind === 'imm' && i.addr.rn === SP);
    expect(spillStores.length).toBeGreaterThan(0);
  });

  test('a leaf without stack data returns with bx lr and saves nothing', () => {
    const f = named('i32_iadd');
    expect(insts(f).map((i) => i.op)).toEqual(['add', 'bx']);
  });

  test('trap blocks are udf with the kind, at the end of the function', () => {
    const f = named('i32_sdiv');
    const tail = f.blocks.slice(-2).map((b) => b.insts);
    expect(tail.map((b) => b.map((i) => (i.op === 'udf' ? i.imm : i.op)))).toEqual([[2], [3]]);
  });
});
