// Semantics of branches, IT, and the system instructions (special registers, interrupt
// masks, barriers, hints, supervisor call, breakpoint, UDF).

import { CONDITIONS } from '../../backend-thumb2/operands.js';
import { conditionPassed } from '../cpu.js';
import { CFSR, usageFault } from '../fault.js';
import type { Rule } from './rule.js';

/** B (conditional T1/T3 carry their condition; T2/T4 are conditional only through IT). */
const branch: Rule = (d, address) => {
  const target = (address + 4 + (d.operands.offset ?? 0)) | 0;
  const cond = d.operands.cond === undefined ? 14 : CONDITIONS.indexOf(d.operands.cond);
  if (cond >= 14) return (cpu) => { cpu.pc = target; };
  return (cpu) => { if (conditionPassed(cpu, cond)) cpu.pc = target; };
};

const bl: Rule = (d, address) => {
  const target = (address + 4 + (d.operands.offset ?? 0)) | 0;
  const link = (address + d.size) | 1;
  return (cpu) => {
    cpu.r[14] = link;
    cpu.pc = target;
  };
};

function compareBranch(nonZero: boolean): Rule {
  return (d, address) => {
    const rn = d.operands.rn ?? 0;
    const target = (address + 4 + (d.operands.offset ?? 0)) | 0;
    return (cpu) => { if ((cpu.r[rn] !== 0) === nonZero) cpu.pc = target; };
  };
}

const bx: Rule = (d) => {
  const rm = d.operands.rm ?? 0;
  return (cpu) => cpu.host.loadWritePc(cpu, cpu.r[rm]!);
};
const blx: Rule = (d, address) => {
  const rm = d.operands.rm ?? 0;
  const link = (address + d.size) | 1;
  return (cpu) => {
    const target = cpu.r[rm]!;
    cpu.r[14] = link;
    cpu.host.loadWritePc(cpu, target);
  };
};

/** IT: ITSTATE = firstcond:mask; the run loop applies it to the next instructions. */
const it: Rule = (d) => {
  const state = ((d.fields['firstcond'] ?? 0) << 4) | (d.fields['mask'] ?? 0);
  return (cpu) => { cpu.itstate = state; };
};

const undefinedInstruction: Rule = () => () => { throw usageFault(CFSR.UNDEFINSTR); };
const nop: Rule = () => () => {};

const bkpt: Rule = (d) => {
  const imm = d.operands.imm ?? 0;
  return (cpu) => cpu.host.bkpt(cpu, imm);
};
const svc: Rule = (d) => {
  const imm = d.operands.imm ?? 0;
  return (cpu) => cpu.host.svc(cpu, imm);
};
const wfi: Rule = () => (cpu) => cpu.host.waitForInterrupt(cpu);

const mrs: Rule = (d) => {
  const rd = d.operands.rd ?? 0;
  const sysm = d.operands.imm ?? 0;
  return (cpu) => { cpu.r[rd] = cpu.host.readSpecial(cpu, sysm); };
};
const msr: Rule = (d) => {
  const rn = d.operands.rn ?? 0;
  const sysm = d.operands.imm ?? 0;
  return (cpu) => cpu.host.writeSpecial(cpu, sysm, cpu.r[rn]!);
};
function cps(disable: boolean): Rule {
  return (d) => {
    const flags = d.operands.imm ?? 0;
    return (cpu) => cpu.host.changeProcessorState(cpu, disable, flags);
  };
}
const clrex: Rule = () => (cpu) => { cpu.exclusive = -1; };

export const CONTROL_RULES: Readonly<Record<string, Rule>> = {
  b: branch, bl, cbz: compareBranch(false), cbnz: compareBranch(true), bx, blx, it,
  udf: undefinedInstruction, bkpt, svc, nop, yield: nop, wfe: nop, sev: nop, wfi,
  dmb: nop, dsb: nop, isb: nop, clrex, mrs, msr, cpsie: cps(false), cpsid: cps(true),
};
