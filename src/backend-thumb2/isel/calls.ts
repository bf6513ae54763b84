// Calls, incoming parameters and returns under the AAPCS: arguments in r0-r3 (i64 in an
// even/odd pair), the rest on the stack (i64 8-byte aligned), results in r0 or r0:r1, or
// several results through a hidden pointer argument (multi-value.ts).
// A call reads its argument registers and clobbers r0-r3, r12, lr and the flags.

import type { Inst, Signature } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { Type } from '../../ir/types.js';
import { LR, SP, type MInst, type Reg } from '../mir.js';
import { CALLER_SAVED_REGS } from '../registers.js';
import { functionSymbol } from '../symbols.js';
import { checkedCallTarget } from './tables.js';
import { abiParams, loadResults, reserveResultArea, returnsInMemory, storeResults } from './multi-value.js';
import { wordsOfType, type Rule, type SelectionContext } from './context.js';

/** Where one argument lives: registers (one, or lo/hi), or a stack offset from the argument area. */
export type ArgLocation = { readonly kind: 'regs'; readonly regs: readonly Reg[] } | { readonly kind: 'stack'; readonly offset: number };

/** The AAPCS core-register and stack assignment of a parameter list (no back-filling). */
export function assignArguments(types: readonly Type[]): { locations: ArgLocation[]; stackBytes: number } {
  let nextReg = 0;
  let stack = 0;
  const locations = types.map((type): ArgLocation => {
    const words = wordsOf(type);
    if (words === 2) nextReg += nextReg & 1;
    if (nextReg + words <= 4) {
      const regs = Array.from({ length: words }, (_, i) => nextReg + i);
      nextReg += words;
      return { kind: 'regs', regs };
    }
    nextReg = 4;
    if (words === 2) stack = (stack + 7) & ~7;
    const offset = stack;
    stack += 4 * words;
    return { kind: 'stack', offset };
  });
  return { locations, stackBytes: stack };
}

/** Soft-float AAPCS (base standard): f32 travels like i32, f64 like i64. */
function wordsOf(type: Type): number {
  return wordsOfType(type);
}

/** Result registers: r0 for i32, r0:r1 for i64; none when the results come back in memory. */
function resultRegs(sig: Signature): Reg[] {
  if (sig.results.length === 0 || returnsInMemory(sig)) return [];
  return wordsOf(sig.results[0]!) === 2 ? [0, 1] : [0];
}

/** Emit a call instruction with its register effects, then copy the results out. */
function emitCallInst(ctx: SelectionContext, call: MInst, argRegs: readonly Reg[], results: readonly (readonly [Reg, Reg])[]): void {
  ctx.hasCalls = true;
  ctx.emit(call, { implicitUses: argRegs, implicitDefs: CALLER_SAVED_REGS });
  for (const [phys, vreg] of results) ctx.copy(vreg, phys);
}

/** A call to a runtime helper taking 32-bit words in r0-r3: results are [physical, vreg] pairs. */
export function emitHelperCall(ctx: SelectionContext, symbol: string, args: readonly Reg[], results: readonly (readonly [Reg, Reg])[]): void {
  args.forEach((vreg, i) => ctx.copy(i, vreg));
  emitCallInst(ctx, { op: 'bl', sym: { name: symbol, addend: 0 } }, args.map((_, i) => i), results);
}

/** Put the IR arguments where the AAPCS wants them, after the hidden results pointer when
 *  the results come back in memory (multi-value.ts); returns the argument registers used
 *  and the sp offset of the results area. */
function passArguments(ctx: SelectionContext, sig: Signature, inst: Inst, count: number): { argRegs: Reg[]; resultArea?: number } {
  const { locations, stackBytes } = assignArguments(abiParams(sig));
  ctx.outgoingArgBytes = Math.max(ctx.outgoingArgBytes, stackBytes);
  const area = returnsInMemory(sig) ? reserveResultArea(ctx, sig, stackBytes) : undefined;
  const words = [...(area !== undefined ? [[area.pointer]] : []), ...inst.args.slice(0, count).map((v) => ctx.useRegs(v))];
  const argRegs: Reg[] = [];
  locations.forEach((loc, i) => {
    if (loc.kind === 'stack') {
      words[i]!.forEach((rt, w) => ctx.emit({ op: 'str', rt, addr: { kind: 'imm', rn: SP, offset: loc.offset + 4 * w } }));
    }
  });
  locations.forEach((loc, i) => {
    if (loc.kind !== 'regs') return;
    loc.regs.forEach((phys, w) => ctx.copy(phys, words[i]![w]!));
    argRegs.push(...loc.regs);
  });
  return { argRegs, ...(area !== undefined ? { resultArea: area.offset } : {}) };
}

function resultPairs(ctx: SelectionContext, sig: Signature, inst: Inst): [Reg, Reg][] {
  const phys = resultRegs(sig);
  if (phys.length === 0) return [];
  const vregs = ctx.defRegs(inst.results[0]!);
  return phys.map((p, i) => [p, vregs[i]!]);
}

/** call f(args) -> args to r0-r3/[sp]; bl f; results from r0(:r1). */
const selectCall: Rule = (ctx, inst) => {
  const decl = ctx.mod.functions[inst.index!]!;
  const sig = ctx.mod.signatures[decl.sigIndex]!;
  const { argRegs, resultArea } = passArguments(ctx, sig, inst, inst.args.length);
  const sym = { name: functionSymbol(ctx.mod, inst.index!), addend: 0 };
  emitCallInst(ctx, { op: 'bl', sym, srcOffset: inst.srcOffset }, argRegs, resultPairs(ctx, sig, inst));
  if (resultArea !== undefined) loadResults(ctx, sig, inst, resultArea);
};

/** call_indirect(args, idx) -> the checked target (tables.ts: 'undefined element',
 *  'uninitialized element', 'indirect call type mismatch'); then blx code. */
const selectCallIndirect: Rule = (ctx, inst) => {
  const sig = ctx.mod.signatures[inst.index!]!;
  const index = ctx.useReg(inst.args[inst.args.length - 1]!);
  const code = checkedCallTarget(ctx, inst, index, ctx.mod.canonicalSig[inst.index!] ?? -1);
  const { argRegs, resultArea } = passArguments(ctx, sig, inst, inst.args.length - 1);
  emitCallInst(ctx, { op: 'blx', rm: code, srcOffset: inst.srcOffset }, argRegs, resultPairs(ctx, sig, inst));
  if (resultArea !== undefined) loadResults(ctx, sig, inst, resultArea);
};

/** return(v) -> v to r0(:r1); the return (frame.ts turns it into the epilogue). */
const selectReturn: Rule = (ctx, inst) => {
  if (ctx.resultPointer !== undefined) {
    // several results: through the hidden pointer, nothing in registers
    storeResults(ctx, ctx.resultPointer, inst.args.map((v) => ctx.useRegs(v)));
    ctx.emit({ op: 'bx', rm: LR }, { isReturn: true });
    return;
  }
  const regs = inst.args.length === 0 ? [] : ctx.useRegs(inst.args[0]!);
  regs.forEach((vreg, i) => ctx.copy(i, vreg));
  ctx.emit({ op: 'bx', rm: LR }, { implicitUses: regs.map((_, i) => i), isReturn: true });
};

/** Entry: parameters from r0-r3 (copies) or the caller's outgoing area (loads). */
export function selectParameters(ctx: SelectionContext): void {
  const entry = ctx.func.blocks[0]!;
  const { locations } = assignArguments(abiParams(ctx.func.sig));
  if (returnsInMemory(ctx.func.sig)) {
    ctx.resultPointer = ctx.newVreg();
    ctx.copy(ctx.resultPointer, 0);
  }
  const shift = locations.length - entry.params.length;
  entry.params.forEach((v, i) => {
    const regs = ctx.defRegs(v);
    const loc = locations[i + shift]!;
    regs.forEach((rd, w) => {
      if (loc.kind === 'regs') ctx.copy(rd, loc.regs[w]!);
      else ctx.emit({ op: 'ldr', rt: rd, addr: { kind: 'imm', rn: SP, offset: 0 } }, { frame: { area: 'incoming', offset: loc.offset + 4 * w } });
    });
  });
}

export const CALL_RULES = {
  call: selectCall,
  call_indirect: selectCallIndirect,
  return: selectReturn,
} satisfies Partial<Record<Opcode, Rule>>;
