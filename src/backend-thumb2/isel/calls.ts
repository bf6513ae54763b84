// Calls, incoming parameters and returns under the AAPCS: arguments in r0-r3 (i64 in an
// even/odd pair), the rest on the stack (i64 8-byte aligned), results in r0 or r0:r1.
// A call reads its argument registers and clobbers r0-r3, r12, lr and the flags.

import { InternalError } from '../../diagnostics/errors.js';
import type { Inst, Signature } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { Type } from '../../ir/types.js';
import { LR, SP, type MInst, type Reg } from '../mir.js';
import { CALLER_SAVED_REGS } from '../registers.js';
import { functionSymbol, tableSymbol } from '../symbols.js';
import type { Rule, SelectionContext } from './context.js';

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

function wordsOf(type: Type): number {
  if (type === 'i32') return 1;
  if (type === 'i64') return 2;
  throw new InternalError('thumb2 isel', `calls with ${type} values are not supported yet`);
}

/** Result registers: r0 for i32, r0:r1 for i64. */
function resultRegs(sig: Signature): Reg[] {
  if (sig.results.length === 0) return [];
  if (sig.results.length > 1) throw new InternalError('thumb2 isel', 'multi-value results are not supported yet');
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

/** Put the IR arguments where the AAPCS wants them; returns the argument registers used. */
function passArguments(ctx: SelectionContext, sig: Signature, inst: Inst, count: number): Reg[] {
  const { locations, stackBytes } = assignArguments(sig.params);
  ctx.outgoingArgBytes = Math.max(ctx.outgoingArgBytes, stackBytes);
  const words = inst.args.slice(0, count).map((v) => ctx.useRegs(v));
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
  return argRegs;
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
  const argRegs = passArguments(ctx, sig, inst, inst.args.length);
  const sym = { name: functionSymbol(ctx.mod, inst.index!), addend: 0 };
  emitCallInst(ctx, { op: 'bl', sym }, argRegs, resultPairs(ctx, sig, inst));
};

/**
 * call_indirect(args, idx) -> entry = table + idx * 8 after idx < size (else 'undefined
 * element'); code == 0 -> 'uninitialized element'; sig id != canonical -> 'indirect call
 * type mismatch'; then blx code.
 */
const selectCallIndirect: Rule = (ctx, inst) => {
  const sig = ctx.mod.signatures[inst.index!]!;
  const table = inst.table ?? 0;
  const size = ctx.mod.tables[table]?.elements.length ?? 0;
  const index = ctx.useReg(inst.args[inst.args.length - 1]!);
  ctx.emit({ op: 'cmp', rn: index, src: ctx.immOperand(size) });
  ctx.trapIf('cs', 'undefined element', inst);
  const base = ctx.newVreg();
  const sym = tableSymbol(ctx.mod, table);
  ctx.emit({ op: 'movw', rd: base, imm: 0, sym: { name: sym, addend: 0 } });
  ctx.emit({ op: 'movt', rd: base, imm: 0, sym: { name: sym, addend: 0 } });
  const entry = ctx.newVreg();
  ctx.emit({ op: 'add', rd: entry, rn: base, src: { kind: 'reg', rm: index, shift: { kind: 'lsl', amount: 3 } }, s: 'any' });
  const code = ctx.newVreg();
  ctx.emit({ op: 'ldr', rt: code, addr: { kind: 'imm', rn: entry, offset: 0 } });
  ctx.emit({ op: 'cmp', rn: code, src: { kind: 'imm', value: 0 } });
  ctx.trapIf('eq', 'uninitialized element', inst);
  const sigId = ctx.newVreg();
  ctx.emit({ op: 'ldr', rt: sigId, addr: { kind: 'imm', rn: entry, offset: 4 } });
  ctx.emit({ op: 'cmp', rn: sigId, src: ctx.immOperand(ctx.mod.canonicalSig[inst.index!] ?? -1) });
  ctx.trapIf('ne', 'indirect call type mismatch', inst);
  const argRegs = passArguments(ctx, sig, inst, inst.args.length - 1);
  emitCallInst(ctx, { op: 'blx', rm: code }, argRegs, resultPairs(ctx, sig, inst));
};

/** return(v) -> v to r0(:r1); the return (frame.ts turns it into the epilogue). */
const selectReturn: Rule = (ctx, inst) => {
  const regs = inst.args.length === 0 ? [] : ctx.useRegs(inst.args[0]!);
  if (inst.args.length > 1) throw new InternalError('thumb2 isel', 'multi-value results are not supported yet');
  regs.forEach((vreg, i) => ctx.copy(i, vreg));
  ctx.emit({ op: 'bx', rm: LR }, { implicitUses: regs.map((_, i) => i), isReturn: true });
};

/** Entry: parameters from r0-r3 (copies) or the caller's outgoing area (loads). */
export function selectParameters(ctx: SelectionContext): void {
  const entry = ctx.func.blocks[0]!;
  const { locations } = assignArguments(ctx.func.sig.params);
  entry.params.forEach((v, i) => {
    const regs = ctx.defRegs(v);
    const loc = locations[i]!;
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
