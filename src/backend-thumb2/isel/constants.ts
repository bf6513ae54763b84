// Constants: the shortest sequence that puts a 32-bit value in a register.

import type { MInst, Reg } from '../mir.js';
import { tryThumbExpandImm } from '../operands.js';

/** value -> mov #imm | mvn #~imm | movw #lo16 | movw #lo16 + movt #hi16. */
export function materializeConstant(rd: Reg, value: number): MInst[] {
  const v = value >>> 0;
  if (tryThumbExpandImm(v) !== undefined) return [{ op: 'mov', rd, src: { kind: 'imm', value: v }, s: 'any' }];
  const inverted = ~v >>> 0;
  if (tryThumbExpandImm(inverted) !== undefined) return [{ op: 'mvn', rd, src: { kind: 'imm', value: inverted }, s: 'any' }];
  const low: MInst = { op: 'movw', rd, imm: v & 0xffff };
  return v <= 0xffff ? [low] : [low, { op: 'movt', rd, imm: v >>> 16 }];
}
