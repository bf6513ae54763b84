// What the instruction semantics produce: one closure per decoded instruction.

import type { DecodedInst } from '../../backend-thumb2/decoder.js';
import type { Cpu } from '../cpu.js';

/** Executes one instruction. cpu.pc already holds the next instruction's address; branches overwrite it. */
export type Exec = (cpu: Cpu) => void;

/** Builds the closure for a decoded instruction at `address`. */
export type Rule = (d: DecodedInst, address: number) => Exec;
