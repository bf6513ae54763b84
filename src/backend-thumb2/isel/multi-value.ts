// Functions with several results (docs/abi.md, "Calls"): they return like a C function
// returning `struct { T0 r0; T1 r1; ... }` under the base AAPCS. The caller passes the
// address of a results area as a hidden first argument (r0; the real arguments shift by
// one), the callee stores every result there, each at its natural alignment, and returns
// nothing in registers. C code calls such an export as a struct-returning function.
//
// The caller's results area sits in its outgoing-argument area at [sp], just above the
// stack arguments of that call, and is read back right after the call.

import type { Inst, Signature } from '../../ir/function.js';
import type { Type } from '../../ir/types.js';
import { SP, type Reg } from '../mir.js';
import { wordsOfType, type SelectionContext } from './context.js';

/** Whether the results come back through memory: two or more results. */
export function returnsInMemory(sig: Signature): boolean {
  return sig.results.length > 1;
}

/** The parameter list the AAPCS sees: the hidden results pointer first when there is one. */
export function abiParams(sig: Signature): readonly Type[] {
  return returnsInMemory(sig) ? ['i32', ...sig.params] : sig.params;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Byte offset of each result in the results area (natural alignment), and its size. */
export function resultLayout(results: readonly Type[]): { offsets: number[]; size: number } {
  let at = 0;
  const offsets = results.map((t) => {
    const bytes = 4 * wordsOfType(t);
    at = alignUp(at, bytes);
    const offset = at;
    at += bytes;
    return offset;
  });
  return { offsets, size: alignUp(at, 8) };
}

/** Caller: reserve the results area above `stackArgBytes` of stack arguments; returns its
 *  sp offset and a register holding its address (the hidden argument). */
export function reserveResultArea(ctx: SelectionContext, sig: Signature, stackArgBytes: number): { offset: number; pointer: Reg } {
  const offset = alignUp(stackArgBytes, 8);
  ctx.outgoingArgBytes = Math.max(ctx.outgoingArgBytes, offset + resultLayout(sig.results).size);
  const pointer = ctx.newVreg();
  ctx.emit({ op: 'add', rd: pointer, rn: SP, src: { kind: 'imm', value: offset }, s: 'any' });
  return { offset, pointer };
}

/** Caller, after the call: ldr every word of every result from the area at [sp, #offset]. */
export function loadResults(ctx: SelectionContext, sig: Signature, inst: Inst, offset: number): void {
  const { offsets } = resultLayout(sig.results);
  inst.results.forEach((v, i) => {
    ctx.defRegs(v).forEach((rt, w) => ctx.emit({ op: 'ldr', rt, addr: { kind: 'imm', rn: SP, offset: offset + offsets[i]! + 4 * w } }));
  });
}

/** Callee, at a return: str every word of every returned value through the hidden pointer. */
export function storeResults(ctx: SelectionContext, pointer: Reg, values: readonly Reg[][]): void {
  const { offsets } = resultLayout(ctx.func.sig.results);
  values.forEach((regs, i) => {
    regs.forEach((rt, w) => ctx.emit({ op: 'str', rt, addr: { kind: 'imm', rn: pointer, offset: offsets[i]! + 4 * w } }));
  });
}
