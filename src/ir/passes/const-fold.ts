// const-fold: constant folding and propagation.
//
// - An instruction whose operands are all constants becomes iconst/fconst of its result
//   (src/ir/constant-eval.ts gives Wasm's exact result, or nothing: a division that would
//   trap, an invalid conversion and i64 -> f32 stay as they are).
// - Integer operations whose result is a constant whatever the other operand is: x * 0,
//   x & 0, x | -1, x - x, x ^ x, icmp of x with itself. Never float identities: x + 0 is
//   not x for x = -0, x * 0 is not 0 for NaN or infinities.
// - select with a constant condition is the chosen operand.
// - brif and br_table on a constant become a jump; the blocks no longer reached go.
// - A block parameter that every incoming edge sets to the same constant becomes that
//   constant (an iconst at the top of the block, same value number), which feeds the next
//   round. Rounds repeat until nothing changes.
//
// Invalidates the CFG and the dominator tree when it folds a branch.

import { buildCfg } from '../analysis/cfg.js';
import { evaluate, type Constant } from '../constant-eval.js';
import { blockById, type Block, type BlockCall, type Inst, type IrFunction } from '../function.js';
import { opInfo } from '../opcodes.js';
import type { PassContext } from '../pass.js';
import { renumberParams, replaceInst, replaceUses } from '../rewrite.js';
import type { Type, Value } from '../types.js';

export const name = 'const-fold';

const MAX_ROUNDS = 16;

export function run(func: IrFunction, _ctx: PassContext): void {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const consts = knownConstants(func);
    const copies = new Map<Value, Value>();
    let changed = foldInstructions(func, consts, copies);
    replaceUses(func, copies);
    const branchesFolded = foldBranches(func, consts);
    if (branchesFolded) {
      const cfg = buildCfg(func);
      func.blocks = func.blocks.filter((b) => cfg.isReachable(b.id));
    }
    changed = materializeConstantParams(func, knownConstants(func)) || changed || branchesFolded;
    if (!changed) return;
  }
}

const isFloatType = (t: Type): boolean => t === 'f32' || t === 'f64';

function constantInst(type: Type, bits: number | bigint, srcOffset: number): Omit<Inst, 'results'> {
  return { op: isFloatType(type) ? 'fconst' : 'iconst', type, imm: bits, args: [], targets: [], srcOffset };
}

function knownConstants(func: IrFunction): Map<Value, Constant> {
  const consts = new Map<Value, Constant>();
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      if ((inst.op === 'iconst' || inst.op === 'fconst') && inst.imm !== undefined) {
        consts.set(inst.results[0]!, { type: inst.type!, bits: inst.imm });
      }
    }
  }
  return consts;
}

/** Whether const-fold may evaluate `inst`: no side effects; a possible trap only when the
 *  evaluator proves it does not happen (it answers undefined otherwise). */
function foldable(inst: Inst): boolean {
  const info = opInfo(inst.op);
  return info.sideEffects !== true && info.terminator !== true && inst.results.length === 1 && inst.args.length > 0;
}

function foldInstructions(func: IrFunction, consts: Map<Value, Constant>, copies: Map<Value, Value>): boolean {
  let changed = false;
  for (const block of func.blocks) {
    for (const inst of [...block.insts]) {
      if (!foldable(inst)) continue;
      const result = inst.results[0]!;
      const type = func.values[result]!.type;
      if (inst.op === 'select' && consts.has(inst.args[0]!)) {
        copies.set(result, Number(consts.get(inst.args[0]!)!.bits) !== 0 ? inst.args[1]! : inst.args[2]!);
        block.insts.splice(block.insts.indexOf(inst), 1);
        changed = true;
        continue;
      }
      const args = inst.args.map((a) => consts.get(a));
      const folded = args.every((a) => a !== undefined)
        ? evaluate(inst, args as Constant[], type)
        : absorbingResult(inst, args, type);
      if (folded === undefined) continue;
      replaceInst(func, block, inst, constantInst(folded.type, folded.bits, inst.srcOffset));
      consts.set(result, folded);
      changed = true;
    }
  }
  return changed;
}

/** Integer operations with a constant result whatever the unknown operand holds. */
function absorbingResult(inst: Inst, args: readonly (Constant | undefined)[], type: Type): Constant | undefined {
  if (isFloatType(type) || inst.args.length !== 2) return undefined;
  const zero: Constant = { type, bits: type === 'i64' ? 0n : 0 };
  const allOnes: Constant = { type, bits: type === 'i64' ? -1n : -1 };
  const isConst = (c: Constant | undefined, n: number): boolean => c !== undefined && BigInt(c.bits) === BigInt(n);
  const [a, b] = args;
  const same = inst.args[0] === inst.args[1];
  switch (inst.op) {
    case 'imul':
    case 'band':
      return isConst(a, 0) || isConst(b, 0) ? zero : undefined;
    case 'bor':
      return isConst(a, -1) || isConst(b, -1) ? allOnes : undefined;
    case 'isub':
    case 'bxor':
      return same ? zero : undefined;
    case 'icmp':
      // icmp is integer-only (the verifier checks): x == x holds for every integer.
      if (!same) return undefined;
      return { type: 'i32', bits: ['eq', 'sle', 'sge', 'ule', 'uge'].includes(inst.cc!) ? 1 : 0 };
    default:
      return undefined;
  }
}

function foldBranches(func: IrFunction, consts: ReadonlyMap<Value, Constant>): boolean {
  let changed = false;
  for (const block of func.blocks) {
    const term = block.insts[block.insts.length - 1];
    if (term === undefined || (term.op !== 'brif' && term.op !== 'br_table')) continue;
    const condition = consts.get(term.args[0]!);
    if (condition === undefined) continue;
    const chosen = chooseTarget(term, Number(condition.bits));
    block.insts[block.insts.length - 1] = { op: 'jump', args: [], results: [], targets: [chosen], srcOffset: term.srcOffset };
    changed = true;
  }
  return changed;
}

function chooseTarget(term: Inst, condition: number): BlockCall {
  if (term.op === 'brif') return condition !== 0 ? term.targets[0]! : term.targets[1]!;
  const index = condition >>> 0;
  return index < term.targets.length - 1 ? term.targets[index]! : term.targets[term.targets.length - 1]!;
}

/** Parameters that every edge sets to one constant become an iconst/fconst in their block. */
function materializeConstantParams(func: IrFunction, consts: ReadonlyMap<Value, Constant>): boolean {
  const edges = new Map<Block, BlockCall[]>();
  for (const block of func.blocks) {
    for (const inst of block.insts) {
      for (const target of inst.targets) {
        const to = blockById(func, target.block);
        if (!edges.has(to)) edges.set(to, []);
        edges.get(to)!.push(target);
      }
    }
  }
  let changed = false;
  for (const block of func.blocks.slice(1)) {
    const incoming = edges.get(block) ?? [];
    if (incoming.length === 0) continue;
    const gone = new Set<number>();
    block.params.forEach((param, index) => {
      const constant = soleConstant(param, index, incoming, consts);
      if (constant === undefined) return;
      const inst: Inst = { ...constantInst(constant.type, constant.bits, block.srcOffset), results: [param] };
      func.values[param]!.def = { kind: 'inst', inst, index: 0 };
      block.insts.unshift(inst);
      gone.add(index);
    });
    if (gone.size === 0) continue;
    const keep = (_: Value, i: number): boolean => !gone.has(i);
    block.params = block.params.filter(keep);
    for (const edge of incoming) edge.args = edge.args.filter(keep);
    renumberParams(func, block);
    changed = true;
  }
  return changed;
}

function soleConstant(param: Value, index: number, incoming: readonly BlockCall[], consts: ReadonlyMap<Value, Constant>): Constant | undefined {
  let sole: Constant | undefined;
  for (const edge of incoming) {
    const arg = edge.args[index];
    if (arg === param) continue;
    const c = arg === undefined ? undefined : consts.get(arg);
    if (c === undefined) return undefined;
    if (sole !== undefined && (sole.type !== c.type || sole.bits !== c.bits)) return undefined;
    sole = c;
  }
  return sole;
}
