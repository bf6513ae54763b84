// Operand folding for i32 arithmetic: an operation whose only use is another one is
// computed inside it instead of in a register of its own.
// - a shift by a constant feeding add/sub/and/or/xor becomes the flexible second operand's
//   shift: `lsr t, a, #8; eor d, b, t` -> `eor d, b, a, lsr #8`;
// - a multiply feeding an add becomes a multiply-accumulate: `mul t, a, b; add d, t, c`
//   -> `mla d, a, b, c`, and c - a*b -> `mls d, a, b, c`.
// The folded value's own rule then emits nothing (like a fused compare, isel/compare.ts).
// Its operands are SSA values that dominate the folded instruction, so computing it later,
// at its single use, reads the same registers.

import type { Inst, IrFunction } from '../../ir/function.js';
import type { Opcode } from '../../ir/opcodes.js';
import type { Value } from '../../ir/types.js';
import type { DataOp, ShiftKind } from '../mir.js';
import type { Rule, SelectionContext } from './context.js';

const SHIFT_KINDS: Partial<Record<Opcode, ShiftKind>> = { shl: 'lsl', ushr: 'lsr', sshr: 'asr', rotr: 'ror' };
/** i32 operations with a flexible second operand, and whether their operands commute. */
const SHIFTED_OPERAND_USERS: Partial<Record<Opcode, boolean>> = { iadd: true, isub: false, band: true, bor: true, bxor: true };

/** Values computed at their single use instead of at their definition. */
export interface FoldedOperands {
  /** Shifts by a constant that a data-processing instruction takes as its shifted operand. */
  readonly shifts: ReadonlySet<Value>;
  /** Multiplies that an add or subtract turns into mla / mls. */
  readonly products: ReadonlySet<Value>;
}

function definingInst(f: IrFunction, v: Value): Inst | undefined {
  const def = f.values[v]?.def;
  return def?.kind === 'inst' ? def.inst : undefined;
}

function isConstant(f: IrFunction, v: Value): boolean {
  return definingInst(f, v)?.op === 'iconst';
}

/** The shift kind and amount of `v` when it is an i32 shift by a nonzero constant. */
function constantShift(f: IrFunction, v: Value): { kind: ShiftKind; amount: number } | undefined {
  const def = definingInst(f, v);
  const kind = def === undefined ? undefined : SHIFT_KINDS[def.op];
  if (def === undefined || kind === undefined || f.values[v]!.type !== 'i32') return undefined;
  const amountDef = definingInst(f, def.args[1]!);
  if (amountDef?.op !== 'iconst') return undefined;
  const amount = Number(BigInt(amountDef.imm ?? 0) & 31n);
  return amount === 0 ? undefined : { kind, amount };
}

const isI32Product = (f: IrFunction, v: Value): boolean => definingInst(f, v)?.op === 'imul' && f.values[v]!.type === 'i32';

/** Find the folds: each user takes at most one folded operand. */
export function findFoldedOperands(f: IrFunction, useCounts: readonly number[]): FoldedOperands {
  const shifts = new Set<Value>();
  const products = new Set<Value>();
  const single = (v: Value): boolean => useCounts[v] === 1;
  for (const block of f.blocks) {
    for (const inst of block.insts) {
      const commutative = SHIFTED_OPERAND_USERS[inst.op];
      if (commutative === undefined || f.values[inst.results[0]!]!.type !== 'i32') continue;
      const [a, b] = [inst.args[0]!, inst.args[1]!];
      if (a === b) continue;
      const product = multiplyAccumulateOperand(f, inst, single);
      if (product !== undefined) {
        products.add(product);
        continue;
      }
      if (isConstant(f, a) || isConstant(f, b)) continue;
      const candidates = commutative ? [b, a] : [b];
      const shift = candidates.find((v) => single(v) && constantShift(f, v) !== undefined);
      if (shift !== undefined) shifts.add(shift);
    }
  }
  return { shifts, products };
}

/** iadd(p, c) / iadd(c, p) / isub(c, p) with p a single-use i32 multiply: p. */
function multiplyAccumulateOperand(f: IrFunction, inst: Inst, single: (v: Value) => boolean): Value | undefined {
  const [a, b] = [inst.args[0]!, inst.args[1]!];
  const fits = (v: Value): boolean => single(v) && isI32Product(f, v);
  if (inst.op === 'iadd') return fits(a) ? a : fits(b) ? b : undefined;
  if (inst.op === 'isub') return fits(b) ? b : undefined;
  return undefined;
}

/** mla d, x, y, c (iadd) or mls d, x, y, c (isub: c - x*y). */
function emitMultiplyAccumulate(ctx: SelectionContext, inst: Inst, product: Value): void {
  const mul = definingInst(ctx.func, product)!;
  const addend = inst.args[0] === product ? inst.args[1]! : inst.args[0]!;
  const rn = ctx.useReg(mul.args[0]!);
  const rm = ctx.useReg(mul.args[1]!);
  const ra = ctx.useReg(addend);
  ctx.emit({ op: inst.op === 'iadd' ? 'mla' : 'mls', rd: ctx.defReg(inst.results[0]!), rn, rm, ra });
}

/** op d, other, x, <shift> #n. */
function emitShiftedOperand(ctx: SelectionContext, inst: Inst, op: DataOp, shifted: Value): void {
  const shift = constantShift(ctx.func, shifted)!;
  const other = inst.args[1] === shifted ? inst.args[0]! : inst.args[1]!;
  const rn = ctx.useReg(other);
  const rm = ctx.useReg(definingInst(ctx.func, shifted)!.args[0]!);
  ctx.emit({ op, rd: ctx.defReg(inst.results[0]!), rn, src: { kind: 'reg', rm, shift }, s: 'any' });
}

/** `rule` with the folds of its operands applied first (i32 only; see findFoldedOperands). */
export function withFoldedOperands(op: DataOp, rule: Rule): Rule {
  return (ctx, inst) => {
    const folded = ctx.foldedOperands;
    const product = inst.args.find((v) => folded.products.has(v));
    if (product !== undefined) return emitMultiplyAccumulate(ctx, inst, product);
    const shifted = inst.args.find((v) => folded.shifts.has(v));
    if (shifted !== undefined) return emitShiftedOperand(ctx, inst, op, shifted);
    rule(ctx, inst);
  };
}

/** A shift or multiply rule that emits nothing when its result is folded into its use. */
export function unlessFolded(rule: Rule): Rule {
  return (ctx, inst) => {
    const v = inst.results[0]!;
    if (ctx.foldedOperands.shifts.has(v) || ctx.foldedOperands.products.has(v)) return;
    rule(ctx, inst);
  };
}
