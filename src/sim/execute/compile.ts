// From a decoded instruction to the closure that executes it: the rule tables of the
// instruction families, looked up by the encoding row's mnemonic.

import type { DecodedInst } from '../../backend-thumb2/decoder.js';
import { CFSR, usageFault } from '../fault.js';
import { CONTROL_RULES } from './control.js';
import { DATA_PROCESSING_RULES } from './data-processing.js';
import { LOAD_STORE_RULES } from './load-store.js';
import type { Exec, Rule } from './rule.js';
import { VFP_RULES } from './vfp.js';

export type { Exec } from './rule.js';

/** Every mnemonic of the encoding table has a rule here (test/sim checks it). */
export const RULES: Readonly<Record<string, Rule>> = { ...DATA_PROCESSING_RULES, ...LOAD_STORE_RULES, ...CONTROL_RULES, ...VFP_RULES };

/** UNDEFINED: what an encoding no row matches executes (a UsageFault, UNDEFINSTR). */
export const undefinedExec: Exec = () => {
  throw usageFault(CFSR.UNDEFINSTR);
};

export function compileInstruction(d: DecodedInst, address: number): Exec {
  // FP instructions on a core without an FPU fault in their rules (vfp.ts: NOCP).
  const rule = RULES[d.encoding.mnemonic];
  return rule !== undefined ? rule(d, address) : undefinedExec;
}
