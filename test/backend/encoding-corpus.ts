// The instruction corpus the encoding tests run through the assembler and objdump oracles.
//
// Registers sweep: every register that a form allows appears in every operand position
// (rotating tuples), so a register-number typo in any field changes some bytes. Immediates
// and offsets sit on the boundaries where the chosen encoding changes.

import type { EncodeContext } from '../../src/backend-thumb2/encoder.js';
import { sReg, type Cond, type DataOp, type FlagMode, type MInst, type Reg, type ShiftKind } from '../../src/backend-thumb2/mir.js';

export interface CorpusEntry {
  readonly inst: MInst;
  readonly ctx: EncodeContext;
}

export const LOW: readonly Reg[] = [0, 1, 2, 3, 4, 5, 6, 7];
/** r0-r12 and lr: what 32-bit data-processing forms accept (no sp, no pc). */
export const GENERAL: readonly Reg[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14];
export const CONDS: readonly Cond[] = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];

/** `set.length` tuples of `k` distinct registers; position j of tuple i is set[(i + OFFSETS[j]) % n]. */
export function sweep(set: readonly Reg[], k: number): Reg[][] {
  const OFFSETS = [0, 3, 5, 6];
  return set.map((_, i) => OFFSETS.slice(0, k).map((o) => set[(i + o) % set.length] as Reg));
}

const OUT: EncodeContext = { inIT: false };
const IN: EncodeContext = { inIT: true };

/** An instruction inside a one-instruction IT block: the IT first, then the instruction. */
function inIT(inst: MInst, cond: Cond): CorpusEntry[] {
  return [{ inst: { op: 'it', firstCond: cond, mask: '' }, ctx: OUT }, { inst: { ...inst, cond } as MInst, ctx: IN }];
}
const out = (inst: MInst): CorpusEntry => ({ inst, ctx: OUT });

const DATA_OPS: readonly DataOp[] = ['add', 'adc', 'sub', 'sbc', 'rsb', 'and', 'orr', 'eor', 'bic', 'orn'];
const SHIFTS: ReadonlyArray<[ShiftKind, number]> = [['lsl', 1], ['lsl', 31], ['lsr', 1], ['lsr', 32], ['asr', 1], ['asr', 32], ['ror', 1], ['ror', 31]];
/** Immediates at the edges of imm3, imm8, imm12, imm16 and of each modified-immediate pattern. */
export const IMMEDIATES: readonly number[] = [
  0, 1, 7, 8, 255, 256, 257, 1020, 1024, 4095, 4096, 0xffff, 0x10000,
  0x00ab00ab, 0xab00ab00, 0xabababab, 0x80000000, 0xff000000, 0x3fc00, 0x1fe, 0x7f80, 0xff0,
  -1, -255, -256, -257, -4095, -4096, 0xffffff00, 0x12345678,
];

function dataOps(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const op of DATA_OPS) {
    for (const [rd, rn, rm] of sweep(LOW, 3) as [Reg, Reg, Reg][]) {
      for (const s of ['any', 'set', 'keep'] as FlagMode[]) entries.push(out({ op, rd, rn, src: { kind: 'reg', rm }, s }));
      entries.push(out({ op, rd, rn: rd, src: { kind: 'reg', rm }, s: 'any' }), out({ op, rd, rn, src: { kind: 'reg', rm: rd }, s: 'any' }));
      entries.push(...inIT({ op, rd, rn: rd, src: { kind: 'reg', rm }, s: 'keep' }, 'ne'));
    }
    for (const [rd, rn, rm] of sweep(GENERAL, 3) as [Reg, Reg, Reg][]) {
      entries.push(out({ op, rd, rn, src: { kind: 'reg', rm }, s: 'keep' }), out({ op, rd, rn: rd, src: { kind: 'reg', rm }, s: 'keep' }));
    }
    for (const [kind, amount] of SHIFTS) entries.push(out({ op, rd: 1, rn: 2, src: { kind: 'reg', rm: 3, shift: { kind, amount } }, s: 'set' }));
    for (const value of IMMEDIATES) {
      for (const s of ['any', 'keep', 'set'] as FlagMode[]) {
        entries.push(out({ op, rd: 1, rn: 1, src: { kind: 'imm', value }, s }), out({ op, rd: 2, rn: 10, src: { kind: 'imm', value }, s }));
      }
    }
    for (const [rd, rn] of sweep(GENERAL, 2) as [Reg, Reg][]) entries.push(out({ op, rd, rn, src: { kind: 'imm', value: 0x3f0 }, s: 'set' }));
  }
  return entries;
}

function spArithmetic(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const value of [0, 4, 508, 512, 1020, 1024, 4095, 0x10000, 3, 4096]) {
    entries.push(out({ op: 'add', rd: 13, rn: 13, src: { kind: 'imm', value }, s: 'keep' }));
    entries.push(out({ op: 'sub', rd: 13, rn: 13, src: { kind: 'imm', value }, s: 'keep' }));
    for (const rd of [0, 7, 8, 12]) entries.push(out({ op: 'add', rd, rn: 13, src: { kind: 'imm', value }, s: 'keep' }));
  }
  for (const rm of GENERAL) entries.push(out({ op: 'add', rd: 13, rn: 13, src: { kind: 'reg', rm }, s: 'keep' }));
  // Big frames: sp := sp - r12 (SUB (SP minus register) T1).
  for (const rm of GENERAL) entries.push(out({ op: 'sub', rd: 13, rn: 13, src: { kind: 'reg', rm }, s: 'keep' }));
  for (const [rd, rn] of sweep(LOW, 2) as [Reg, Reg][]) {
    for (const value of [0, 7, 8, -7]) entries.push(out({ op: 'add', rd, rn, src: { kind: 'imm', value }, s: 'any' }), out({ op: 'sub', rd, rn, src: { kind: 'imm', value }, s: 'set' }));
  }
  return entries;
}

function moves(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const [rd, rm] of sweep([...GENERAL, 13], 2) as [Reg, Reg][]) entries.push(out({ op: 'mov', rd, src: { kind: 'reg', rm }, s: 'keep' }));
  for (const [rd, rm] of sweep(LOW, 2) as [Reg, Reg][]) {
    entries.push(out({ op: 'mov', rd, src: { kind: 'reg', rm }, s: 'set' }), out({ op: 'mvn', rd, src: { kind: 'reg', rm }, s: 'any' }));
    entries.push(...inIT({ op: 'mov', rd, src: { kind: 'reg', rm }, s: 'set' }, 'eq'));
  }
  for (const [rd, rm] of sweep(GENERAL, 2) as [Reg, Reg][]) {
    entries.push(out({ op: 'mov', rd, src: { kind: 'reg', rm }, s: 'set' }), out({ op: 'mvn', rd, src: { kind: 'reg', rm, shift: { kind: 'asr', amount: 3 } }, s: 'keep' }));
    entries.push(out({ op: 'movw', rd, imm: 0xbeef }), out({ op: 'movt', rd, imm: 0x1234 }));
    entries.push(out({ op: 'mov', rd, src: { kind: 'imm', value: 0x5a }, s: 'keep' }));
  }
  for (const value of [...IMMEDIATES, 0xffff, 0xfffe0000]) {
    for (const s of ['any', 'keep', 'set'] as FlagMode[]) {
      entries.push(out({ op: 'mov', rd: 3, src: { kind: 'imm', value }, s }), out({ op: 'mvn', rd: 11, src: { kind: 'imm', value }, s }));
    }
  }
  for (const value of [0, 0xffff]) entries.push(out({ op: 'movw', rd: 0, imm: value }), out({ op: 'movt', rd: 0, imm: value }));
  return entries;
}

function shifts(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const op of ['lsl', 'lsr', 'asr', 'ror'] as const) {
    for (const [rd, rm, rs] of sweep(LOW, 3) as [Reg, Reg, Reg][]) {
      entries.push(out({ op, rd, rm, src: { kind: 'imm', value: 5 }, s: 'any' }), out({ op, rd, rm: rd, src: { kind: 'reg', rs }, s: 'any' }));
      entries.push(out({ op, rd, rm, src: { kind: 'reg', rs }, s: 'any' }));
    }
    for (const [rd, rm, rs] of sweep(GENERAL, 3) as [Reg, Reg, Reg][]) {
      entries.push(out({ op, rd, rm, src: { kind: 'imm', value: 7 }, s: 'keep' }), out({ op, rd, rm, src: { kind: 'reg', rs }, s: 'set' }));
    }
    for (const value of [0, 1, 31, 32]) {
      for (const s of ['any', 'keep', 'set'] as FlagMode[]) entries.push(out({ op, rd: 2, rm: 4, src: { kind: 'imm', value }, s }));
    }
    entries.push(...inIT({ op, rd: 1, rm: 1, src: { kind: 'reg', rs: 2 }, s: 'keep' }, 'gt'));
    entries.push(out({ op: 'mov', rd: 1, src: { kind: 'reg', rm: 9, shift: { kind: op, amount: 3 } }, s: 'keep' }));
  }
  return entries;
}

function compares(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const op of ['cmp', 'cmn', 'tst', 'teq'] as const) {
    for (const [rn, rm] of sweep(LOW, 2) as [Reg, Reg][]) entries.push(out({ op, rn, src: { kind: 'reg', rm } }));
    for (const [rn, rm] of sweep(GENERAL, 2) as [Reg, Reg][]) {
      entries.push(out({ op, rn, src: { kind: 'reg', rm } }), out({ op, rn, src: { kind: 'imm', value: 0x2c0 } }));
    }
    for (const [kind, amount] of SHIFTS) entries.push(out({ op, rn: 4, src: { kind: 'reg', rm: 11, shift: { kind, amount } } }));
    for (const value of IMMEDIATES) entries.push(out({ op, rn: 5, src: { kind: 'imm', value } }), out({ op, rn: 12, src: { kind: 'imm', value } }));
    entries.push(...inIT({ op, rn: 2, src: { kind: 'reg', rm: 3 } }, 'hi'));
  }
  entries.push(out({ op: 'cmp', rn: 13, src: { kind: 'reg', rm: 4 } }));
  return entries;
}

function multiplyDivideBits(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const [rd, rn, rm, ra] of sweep(GENERAL, 4) as [Reg, Reg, Reg, Reg][]) {
    entries.push(out({ op: 'mul', rd, rn, rm, s: 'keep' }), out({ op: 'mla', rd, rn, rm, ra }), out({ op: 'mls', rd, rn, rm, ra }));
    for (const op of ['umull', 'smull', 'umlal', 'smlal'] as const) entries.push(out({ op, rdLo: rd, rdHi: rn, rn: rm, rm: ra }));
    for (const op of ['sdiv', 'udiv'] as const) entries.push(out({ op, rd, rn, rm }));
    for (const op of ['clz', 'rbit', 'rev', 'rev16', 'revsh', 'sxtb', 'sxth', 'uxtb', 'uxth'] as const) entries.push(out({ op, rd, rm }));
    entries.push(out({ op: 'ubfx', rd, rn, lsb: rm, width: 32 - rm }), out({ op: 'sbfx', rd, rn, lsb: 31 - Math.min(rm, 12), width: 1 }));
  }
  for (const [rd, rn] of sweep(LOW, 2) as [Reg, Reg][]) {
    entries.push(out({ op: 'mul', rd, rn, rm: rd, s: 'any' }), out({ op: 'mul', rd, rn: rd, rm: rn, s: 'set' }));
    for (const op of ['rev', 'rev16', 'revsh', 'sxtb', 'sxth', 'uxtb', 'uxth'] as const) entries.push(out({ op, rd, rm: rn }));
  }
  entries.push(...inIT({ op: 'mul', rd: 3, rn: 4, rm: 3, s: 'keep' }, 'lt'));
  return entries;
}

const LOADS = ['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh'] as const;
const STORES = ['str', 'strb', 'strh'] as const;

function loadsAndStores(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  const offsets = [0, 1, 2, 4, 31, 62, 124, 128, 255, 256, 1020, 1024, 4095, -1, -4, -255];
  for (const op of [...LOADS, ...STORES]) {
    for (const [rt, rn, rm] of sweep(LOW, 3) as [Reg, Reg, Reg][]) {
      entries.push(out({ op, rt, addr: { kind: 'imm', rn, offset: 4 } } as MInst), out({ op, rt, addr: { kind: 'reg', rn, rm, shift: 0 } } as MInst));
    }
    for (const [rt, rn, rm] of sweep(GENERAL, 3) as [Reg, Reg, Reg][]) {
      entries.push(out({ op, rt, addr: { kind: 'imm', rn, offset: 100 } } as MInst), out({ op, rt, addr: { kind: 'reg', rn, rm, shift: rt % 4 } } as MInst));
      entries.push(out({ op, rt, addr: { kind: 'imm', rn, offset: -8, mode: 'pre' } } as MInst), out({ op, rt, addr: { kind: 'imm', rn, offset: 255, mode: 'post' } } as MInst));
    }
    for (const offset of offsets) {
      entries.push(out({ op, rt: 2, addr: { kind: 'imm', rn: 5, offset } } as MInst), out({ op, rt: 10, addr: { kind: 'imm', rn: 13, offset } } as MInst));
      entries.push(out({ op, rt: 6, addr: { kind: 'imm', rn: 13, offset } } as MInst));
    }
    entries.push(...inIT({ op, rt: 1, addr: { kind: 'imm', rn: 2, offset: 8 } } as MInst, 'cs'));
  }
  for (const op of ['ldrd', 'strd'] as const) {
    for (const [rt, rt2, rn] of sweep(GENERAL, 3) as [Reg, Reg, Reg][]) {
      entries.push(out({ op, rt, rt2, addr: { kind: 'imm', rn, offset: 8 } }));
      entries.push(out({ op, rt, rt2, addr: { kind: 'imm', rn, offset: -16, mode: 'pre' } }));
    }
    for (const offset of [0, 4, -4, 1020, -1020]) entries.push(out({ op, rt: 0, rt2: 1, addr: { kind: 'imm', rn: 13, offset } }));
    entries.push(out({ op, rt: 2, rt2: 3, addr: { kind: 'imm', rn: 4, offset: 16, mode: 'post' } }));
  }
  for (const rt of [...GENERAL, 13]) entries.push(out({ op: 'ldr', rt, addr: { kind: 'imm', rn: 13, offset: 8 } }), out({ op: 'str', rt, addr: { kind: 'imm', rn: 13, offset: 8 } }));
  return entries;
}

function pushPop(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const r of GENERAL) entries.push(out({ op: 'push', regs: [r] }), out({ op: 'pop', regs: [r] }));
  entries.push(out({ op: 'pop', regs: [15] }));
  const lists: Reg[][] = [[0, 1], [0, 7, 14], [4, 5, 6, 7, 8, 10, 11, 14], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [8, 9], [7, 8], [14, 4]];
  for (const regs of lists) entries.push(out({ op: 'push', regs }), out({ op: 'pop', regs }));
  entries.push(out({ op: 'pop', regs: [4, 5, 15] }), out({ op: 'pop', regs: [4, 8, 15] }), out({ op: 'pop', regs: [0, 1, 2, 3, 4, 5, 6, 7, 15] }));
  return entries;
}

/** Branch offsets at the edges of each B/CBZ form (the printer writes them as `.+N`). */
export const BRANCH_EDGES: readonly number[] = [0, 2, -2, 254, -256, 256, -258, 2046, -2048, 2048, -2050, 1048574, -1048576, 1048576, -1048578, 16777214, -16777216];

function branches(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const branchOffset of BRANCH_EDGES) {
    entries.push({ inst: { op: 'b', target: 0 }, ctx: { inIT: false, branchOffset } });
    if (Math.abs(branchOffset) <= 1048576 && branchOffset !== 1048576) {
      for (const cond of CONDS) entries.push({ inst: { op: 'b', target: 0, cond }, ctx: { inIT: false, branchOffset } });
    }
    entries.push({ inst: { op: 'it', firstCond: 'le', mask: '' }, ctx: OUT }, { inst: { op: 'b', target: 0, cond: 'le' }, ctx: { inIT: true, branchOffset } });
  }
  for (const rn of LOW) {
    for (const branchOffset of [0, 2, 64, 126]) {
      entries.push({ inst: { op: 'cbz', rn, target: 0 }, ctx: { inIT: false, branchOffset } }, { inst: { op: 'cbnz', rn, target: 0 }, ctx: { inIT: false, branchOffset } });
    }
  }
  for (const rm of [...GENERAL, 13]) entries.push(out({ op: 'bx', rm }), out({ op: 'blx', rm }));
  entries.push(out({ op: 'bx', rm: 15 }), out({ op: 'bl', sym: { name: 'callee', addend: 0 } }));
  entries.push(...inIT({ op: 'bx', rm: 14 }, 'eq'));
  return entries;
}

function miscellaneous(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const cond of [...CONDS, 'al' as const]) {
    const masks = cond === 'al' ? ['', 't', 'tt', 'ttt'] : ['', 't', 'e', 'tt', 'te', 'et', 'ee', 'ttt', 'tte', 'tet', 'tee', 'ett', 'ete', 'eet', 'eee'];
    for (const mask of masks) {
      entries.push(out({ op: 'it', firstCond: cond, mask }));
      for (const letter of [''].concat(mask.split(''))) {
        const inverse = CONDS[CONDS.indexOf(cond) ^ 1] ?? 'al';
        const condHere = letter === 'e' ? inverse : cond;
        entries.push({ inst: { op: 'nop', cond: condHere } as MInst, ctx: IN });
      }
    }
  }
  for (const imm of [0, 1, 255, 256, 65535]) entries.push(out({ op: 'udf', imm }));
  for (const imm of [0, 171, 255]) entries.push(out({ op: 'bkpt', imm }));
  entries.push(out({ op: 'nop' }));
  return entries;
}

/** s0-s31: every S register in every position of every FPU form. */
export const S_REGS: readonly Reg[] = Array.from({ length: 32 }, (_, n) => sReg(n));

function fpu(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const [rd, rn, rm] of sweep(S_REGS, 3) as [Reg, Reg, Reg][]) {
    for (const op of ['vadd.f32', 'vsub.f32', 'vmul.f32', 'vdiv.f32'] as const) entries.push(out({ op, rd, rn, rm }));
    for (const op of ['vsqrt.f32', 'vabs.f32', 'vneg.f32', 'vmov.f32', 'vcvt.s32.f32', 'vcvt.u32.f32', 'vcvtr.s32.f32', 'vcvtr.u32.f32', 'vcvt.f32.s32', 'vcvt.f32.u32'] as const) {
      entries.push(out({ op, rd, rm: rn }));
    }
    for (const op of ['vcmp.f32', 'vcmpe.f32'] as const) entries.push(out({ op, rd, rm }), out({ op, rd }));
  }
  for (const [core, s] of GENERAL.map((r, i): [Reg, Reg] => [r, sReg((i * 7) % 32)])) {
    entries.push(out({ op: 'vmov', rd: s, rm: core }), out({ op: 'vmov', rd: core, rm: s }));
  }
  for (const s of S_REGS) entries.push(out({ op: 'vmov', rd: s, rm: 12 - (s % 12) }), out({ op: 'vmov', rd: s % 13, rm: s }));
  for (const op of ['vldr', 'vstr'] as const) {
    for (const [rn, rt] of [...GENERAL, 13].map((r, i): [Reg, Reg] => [r, sReg((i * 5 + 3) % 32)])) entries.push(out({ op, rt, addr: { kind: 'imm', rn, offset: 8 } }));
    for (const offset of [0, 4, -4, 1020, -1020]) entries.push(out({ op, rt: sReg(31), addr: { kind: 'imm', rn: 2, offset } }), out({ op, rt: sReg(0), addr: { kind: 'imm', rn: 13, offset } }));
  }
  entries.push(out({ op: 'vmrs' }));
  entries.push(...inIT({ op: 'vadd.f32', rd: sReg(1), rn: sReg(2), rm: sReg(3) }, 'gt'), ...inIT({ op: 'vmov', rd: 4, rm: sReg(5) }, 'mi'));
  return entries;
}

/** The whole corpus, in the order it is assembled. */
export function buildCorpus(): CorpusEntry[] {
  return [
    ...dataOps(), ...spArithmetic(), ...moves(), ...shifts(), ...compares(), ...multiplyDivideBits(),
    ...loadsAndStores(), ...pushPop(), ...branches(), ...miscellaneous(), ...fpu(),
  ];
}
