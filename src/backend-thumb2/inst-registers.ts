// Which registers an MInst reads and writes, and how to rename them. Liveness, the register
// allocator and the spiller all see instructions only through these two functions.

import type { Address, MInst, Operand2, Reg } from './mir.js';

export interface RegOperands {
  readonly uses: Reg[];
  readonly defs: Reg[];
}

const operand2Uses = (src: Operand2): Reg[] => (src.kind === 'reg' ? [src.rm] : []);
const addressUses = (a: Address): Reg[] => (a.kind === 'reg' ? [a.rn, a.rm] : [a.rn]);
const writesBack = (a: Address): boolean => a.kind === 'imm' && (a.mode === 'pre' || a.mode === 'post');

/** Explicit register operands. A conditional (IT-predicated) write also reads the old value. */
export function regOperands(inst: MInst): RegOperands {
  const { uses, defs } = explicitOperands(inst);
  const predicated = 'cond' in inst && inst.cond !== undefined && inst.cond !== 'al' && inst.op !== 'b';
  return predicated ? { uses: [...uses, ...defs], defs } : { uses, defs };
}

function explicitOperands(inst: MInst): RegOperands {
  switch (inst.op) {
    case 'add': case 'adc': case 'sub': case 'sbc': case 'rsb':
    case 'and': case 'orr': case 'eor': case 'bic': case 'orn':
      return { uses: [inst.rn, ...operand2Uses(inst.src)], defs: [inst.rd] };
    case 'lsl': case 'lsr': case 'asr': case 'ror':
      return { uses: inst.src.kind === 'reg' ? [inst.rm, inst.src.rs] : [inst.rm], defs: [inst.rd] };
    case 'mov': case 'mvn':
      return { uses: operand2Uses(inst.src), defs: [inst.rd] };
    case 'movw':
      return { uses: [], defs: [inst.rd] };
    case 'movt': // keeps the low half: a read-modify-write
      return { uses: [inst.rd], defs: [inst.rd] };
    case 'cmp': case 'cmn': case 'tst': case 'teq':
      return { uses: [inst.rn, ...operand2Uses(inst.src)], defs: [] };
    case 'mul': case 'sdiv': case 'udiv':
      return { uses: [inst.rn, inst.rm], defs: [inst.rd] };
    case 'mla': case 'mls':
      return { uses: [inst.rn, inst.rm, inst.ra], defs: [inst.rd] };
    case 'umull': case 'smull':
      return { uses: [inst.rn, inst.rm], defs: [inst.rdLo, inst.rdHi] };
    case 'umlal': case 'smlal':
      return { uses: [inst.rn, inst.rm, inst.rdLo, inst.rdHi], defs: [inst.rdLo, inst.rdHi] };
    case 'clz': case 'rbit': case 'rev': case 'rev16': case 'revsh':
    case 'sxtb': case 'sxth': case 'uxtb': case 'uxth':
      return { uses: [inst.rm], defs: [inst.rd] };
    case 'ubfx': case 'sbfx':
      return { uses: [inst.rn], defs: [inst.rd] };
    case 'ldr': case 'ldrb': case 'ldrh': case 'ldrsb': case 'ldrsh':
      return { uses: addressUses(inst.addr), defs: writesBack(inst.addr) ? [inst.rt, inst.addr.rn] : [inst.rt] };
    case 'str': case 'strb': case 'strh':
      return { uses: [inst.rt, ...addressUses(inst.addr)], defs: writesBack(inst.addr) ? [inst.addr.rn] : [] };
    case 'ldrd':
      return { uses: [inst.addr.rn], defs: writesBack(inst.addr) ? [inst.rt, inst.rt2, inst.addr.rn] : [inst.rt, inst.rt2] };
    case 'strd':
      return { uses: [inst.rt, inst.rt2, inst.addr.rn], defs: writesBack(inst.addr) ? [inst.addr.rn] : [] };
    case 'push':
      return { uses: [...inst.regs], defs: [] };
    case 'pop':
      return { uses: [], defs: [...inst.regs] };
    case 'cbz': case 'cbnz':
      return { uses: [inst.rn], defs: [] };
    case 'blx': case 'bx':
      return { uses: [inst.rm], defs: [] };
    case 'copy':
      return { uses: [inst.rm], defs: [inst.rd] };
    case 'b': case 'bl': case 'it': case 'udf': case 'bkpt': case 'nop':
      return { uses: [], defs: [] };
    case 'vadd.f32': case 'vsub.f32': case 'vmul.f32': case 'vdiv.f32':
      return { uses: [inst.rn, inst.rm], defs: [inst.rd] };
    case 'vsqrt.f32': case 'vabs.f32': case 'vneg.f32': case 'vmov.f32': case 'vmov':
    case 'vcvt.s32.f32': case 'vcvt.u32.f32': case 'vcvtr.s32.f32': case 'vcvtr.u32.f32': case 'vcvt.f32.s32': case 'vcvt.f32.u32':
      return { uses: [inst.rm], defs: [inst.rd] };
    case 'vcmp.f32': case 'vcmpe.f32':
      return { uses: inst.rm === undefined ? [inst.rd] : [inst.rd, inst.rm], defs: [] };
    case 'vmrs':
      return { uses: [], defs: [] };
    case 'vldr':
      return { uses: [inst.addr.rn], defs: [inst.rt] };
    case 'vstr':
      return { uses: [inst.rt, inst.addr.rn], defs: [] };
  }
}

const mapOperand2 = (src: Operand2, f: (r: Reg) => Reg): Operand2 =>
  src.kind === 'reg' ? { ...src, rm: f(src.rm) } : src;

function mapAddress<A extends Address>(a: A, f: (r: Reg) => Reg): A {
  return a.kind === 'reg' ? { ...a, rn: f(a.rn), rm: f(a.rm) } : { ...a, rn: f(a.rn) };
}

/** A copy of `inst` with every register operand r replaced by f(r). */
export function mapRegs(inst: MInst, f: (r: Reg) => Reg): MInst {
  switch (inst.op) {
    case 'add': case 'adc': case 'sub': case 'sbc': case 'rsb':
    case 'and': case 'orr': case 'eor': case 'bic': case 'orn':
      return { ...inst, rd: f(inst.rd), rn: f(inst.rn), src: mapOperand2(inst.src, f) };
    case 'lsl': case 'lsr': case 'asr': case 'ror':
      return { ...inst, rd: f(inst.rd), rm: f(inst.rm), src: inst.src.kind === 'reg' ? { kind: 'reg', rs: f(inst.src.rs) } : inst.src };
    case 'mov': case 'mvn':
      return { ...inst, rd: f(inst.rd), src: mapOperand2(inst.src, f) };
    case 'movw': case 'movt':
      return { ...inst, rd: f(inst.rd) };
    case 'cmp': case 'cmn': case 'tst': case 'teq':
      return { ...inst, rn: f(inst.rn), src: mapOperand2(inst.src, f) };
    case 'mul': case 'sdiv': case 'udiv':
      return { ...inst, rd: f(inst.rd), rn: f(inst.rn), rm: f(inst.rm) };
    case 'mla': case 'mls':
      return { ...inst, rd: f(inst.rd), rn: f(inst.rn), rm: f(inst.rm), ra: f(inst.ra) };
    case 'umull': case 'smull': case 'umlal': case 'smlal':
      return { ...inst, rdLo: f(inst.rdLo), rdHi: f(inst.rdHi), rn: f(inst.rn), rm: f(inst.rm) };
    case 'clz': case 'rbit': case 'rev': case 'rev16': case 'revsh':
    case 'sxtb': case 'sxth': case 'uxtb': case 'uxth':
      return { ...inst, rd: f(inst.rd), rm: f(inst.rm) };
    case 'ubfx': case 'sbfx':
      return { ...inst, rd: f(inst.rd), rn: f(inst.rn) };
    case 'ldr': case 'ldrb': case 'ldrh': case 'ldrsb': case 'ldrsh':
    case 'str': case 'strb': case 'strh':
      return { ...inst, rt: f(inst.rt), addr: mapAddress(inst.addr, f) };
    case 'ldrd': case 'strd':
      return { ...inst, rt: f(inst.rt), rt2: f(inst.rt2), addr: mapAddress(inst.addr, f) };
    case 'push': case 'pop':
      return { ...inst, regs: inst.regs.map(f) };
    case 'cbz': case 'cbnz':
      return { ...inst, rn: f(inst.rn) };
    case 'blx': case 'bx':
      return { ...inst, rm: f(inst.rm) };
    case 'copy':
      return { ...inst, rd: f(inst.rd), rm: f(inst.rm) };
    case 'b': case 'bl': case 'it': case 'udf': case 'bkpt': case 'nop':
      return inst;
    case 'vadd.f32': case 'vsub.f32': case 'vmul.f32': case 'vdiv.f32':
      return { ...inst, rd: f(inst.rd), rn: f(inst.rn), rm: f(inst.rm) };
    case 'vsqrt.f32': case 'vabs.f32': case 'vneg.f32': case 'vmov.f32': case 'vmov':
    case 'vcvt.s32.f32': case 'vcvt.u32.f32': case 'vcvtr.s32.f32': case 'vcvtr.u32.f32': case 'vcvt.f32.s32': case 'vcvt.f32.u32':
      return { ...inst, rd: f(inst.rd), rm: f(inst.rm) };
    case 'vcmp.f32': case 'vcmpe.f32':
      return inst.rm === undefined ? { ...inst, rd: f(inst.rd) } : { ...inst, rd: f(inst.rd), rm: f(inst.rm) };
    case 'vmrs':
      return inst;
    case 'vldr': case 'vstr':
      return { ...inst, rt: f(inst.rt), addr: mapAddress(inst.addr, f) };
  }
}

/** Branch targets of an instruction (labels). */
export function branchTargets(inst: MInst): number[] {
  return inst.op === 'b' || inst.op === 'cbz' || inst.op === 'cbnz' ? [inst.target] : [];
}

/** Whether control never continues to the next instruction. */
export function endsFlow(inst: MInst): boolean {
  return (inst.op === 'b' && (inst.cond === undefined || inst.cond === 'al'))
    || inst.op === 'udf'
    || (inst.op === 'bx' && inst.rm === 14)
    || (inst.op === 'pop' && inst.regs.includes(15));
}
