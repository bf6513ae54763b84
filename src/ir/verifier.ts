// The IR verifier. It reports every violation it finds, each with its block, instruction
// and the instruction's text, and never throws on ill-formed IR.
//
// Invariants checked:
//  Function and blocks
//   1. The function has at least one block; block ids are unique.
//   2. The entry block's parameters match the signature's parameter types, and no branch
//      targets the entry block (its parameters are the function's arguments only).
//   3. Every block ends in exactly one terminator and has none before it (an empty block
//      lacks its terminator).
//  Control flow
//   4. Terminators have the number of targets their opcode needs (jump 1, brif 2,
//      br_table at least 1, trap and return none); other instructions have none.
//   5. Every target names a block of the function, passes as many args as that block has
//      parameters, and each arg has its parameter's type.
//  SSA
//   6. Every value is defined exactly once (as a block parameter or an instruction result),
//      and its entry in the value table points at that definition.
//   7. Every use (instruction arg or branch arg) names a defined value whose definition
//      dominates the use: an earlier instruction or a parameter of the same block, or a
//      definition in a dominating block. In unreachable blocks, where dominance means
//      nothing, only the same-block order is checked.
//  Instructions (verifier-operands.ts), from the opcode table
//   8. Arg counts per ArgRule; result counts and types per ResultRule; intOnly opcodes
//      operate on i32/i64.
//   9. The immediates of the opcode's ImmKind are present and well-formed (i32 constants
//      are numbers, i64 constants bigints, both in range; sextend_low bits 8/16/32 and
//      narrower than the type; known conditions and trap kinds; u32 memory offsets), and
//      no immediate of another kind is.
//  10. Operand types: binary ops and icmp take two args of one type; select's condition,
//      brif's condition, br_table's index, call_indirect's element index and memory
//      addresses are i32; sextend/uextend take i32 to i64, ireduce i64 to i32; return
//      values match the signature's results.
//  11. Memory access widths fit the type: integers at most their size (8 bytes only for
//      i64), floats exactly their size; sign extension only on narrow integer loads.
//  12. With a VerifyContext: calls match the callee's signature (args and results),
//      call_indirect the named type's and an existing table; global_get/global_set match
//      the global's type, and global_set needs a mutable global.
//  13. An instruction's origin (set by inline) is a non-negative integer and, with a
//      VerifyContext, the index of a function of the module.

import { InternalError } from '../diagnostics/errors.js';
import { buildCfg, type Cfg } from './analysis/cfg.js';
import { computeDominators, type DominatorTree } from './analysis/dominators.js';
import type { Block, Inst, IrFunction } from './function.js';
import type { IrModule } from './module.js';
import { opInfo, type Opcode } from './opcodes.js';
import { printFunction, printInst } from './printer.js';
import type { BlockId, Value } from './types.js';
import { checkOperands, type VerifyContext } from './verifier-operands.js';

export type { VerifyContext } from './verifier-operands.js';

/** The context for verifying the bodies of `m`. */
export function verifyContextFor(m: IrModule): VerifyContext {
  return {
    functionSignature: (i) => {
      const decl = m.functions[i];
      return decl === undefined ? undefined : m.signatures[decl.sigIndex];
    },
    typeSignature: (i) => m.signatures[i],
    global: (i) => m.globals[i],
    tableCount: m.tables.length,
  };
}

/** Throws an InternalError naming the pass, with every violation and the function's text. */
export function assertValid(f: IrFunction, passName: string, ctx: VerifyContext = {}): void {
  const errors = verifyFunction(f, ctx);
  if (errors.length === 0) return;
  throw new InternalError(
    `verifier after ${passName}`,
    `${errors.length} error${errors.length === 1 ? '' : 's'} in f${f.index} "${f.name}":\n  ${errors.join('\n  ')}`,
    printFunction(f),
  );
}

/** Every violation of the invariants above, or [] for a valid function. */
export function verifyFunction(f: IrFunction, ctx: VerifyContext = {}): string[] {
  const errors: string[] = [];
  if (f.blocks.length === 0) return ['function has no blocks'];
  const cfg = buildCfg(f);
  const defs = checkDefinitions(f, errors);
  const blocks = new Map<BlockId, Block>();
  for (const b of f.blocks) if (!blocks.has(b.id)) blocks.set(b.id, b);
  checkEntry(f, errors);
  for (const block of f.blocks) {
    checkTerminatorPlacement(block, errors);
    block.insts.forEach((inst, i) => {
      const report = (message: string): void => {
        errors.push(`block${block.id}, inst ${i} (${printInst(f, inst)}): ${message}`);
      };
      checkTargets(f, blocks, inst, report);
      checkOperands(f, inst, ctx, report);
    });
  }
  checkUses(f, cfg, computeDominators(f, cfg), defs, errors);
  return errors;
}

/** Where a value is defined: the block and the position (-1 for a block parameter). */
interface DefSite {
  readonly block: BlockId;
  readonly position: number;
}

function checkDefinitions(f: IrFunction, errors: string[]): Map<Value, DefSite> {
  const defs = new Map<Value, DefSite>();
  const seenBlocks = new Set<BlockId>();
  const define = (v: Value, site: DefSite, matchesTable: boolean): void => {
    const where = `block${site.block}${site.position < 0 ? ' params' : `, inst ${site.position}`}`;
    if (defs.has(v)) errors.push(`${where}: v${v} is defined again (first in block${defs.get(v)!.block})`);
    else defs.set(v, site);
    if (f.values[v] === undefined) errors.push(`${where}: v${v} has no entry in the value table`);
    else if (!matchesTable) errors.push(`${where}: the value table entry of v${v} points at another definition`);
  };
  for (const block of f.blocks) {
    if (seenBlocks.has(block.id)) errors.push(`block${block.id}: block id used twice`);
    seenBlocks.add(block.id);
    block.params.forEach((p, index) => {
      const def = f.values[p]?.def;
      define(p, { block: block.id, position: -1 }, def?.kind === 'param' && def.block === block.id && def.index === index);
    });
    block.insts.forEach((inst, position) => {
      inst.results.forEach((r, index) => {
        const def = f.values[r]?.def;
        define(r, { block: block.id, position }, def?.kind === 'inst' && def.inst === inst && def.index === index);
      });
    });
  }
  return defs;
}

function checkEntry(f: IrFunction, errors: string[]): void {
  const entry = f.blocks[0]!;
  const types = entry.params.map((p) => f.values[p]?.type ?? '?').join(', ');
  if (types !== f.sig.params.join(', ')) errors.push(`block${entry.id}: entry block params (${types}) do not match the signature (${f.sig.params.join(', ')})`);
  for (const block of f.blocks) {
    for (const inst of block.insts) {
      if (inst.targets.some((t) => t.block === entry.id)) errors.push(`block${block.id}: branches to the entry block${entry.id}`);
    }
  }
}

function checkTerminatorPlacement(block: Block, errors: string[]): void {
  const last = block.insts[block.insts.length - 1];
  if (last === undefined) errors.push(`block${block.id}: empty block, missing terminator`);
  else if (opInfo(last.op).terminator !== true) errors.push(`block${block.id}: missing terminator, ends in ${last.op}`);
  block.insts.slice(0, -1).forEach((inst, i) => {
    if (opInfo(inst.op).terminator === true) errors.push(`block${block.id}, inst ${i}: terminator ${inst.op} before the end of the block`);
  });
}

const TARGET_COUNT: Partial<Record<Opcode, { min: number; max: number }>> = {
  jump: { min: 1, max: 1 },
  brif: { min: 2, max: 2 },
  br_table: { min: 1, max: Infinity },
  trap: { min: 0, max: 0 },
  return: { min: 0, max: 0 },
};

function checkTargets(f: IrFunction, blocks: ReadonlyMap<BlockId, Block>, inst: Inst, report: (message: string) => void): void {
  const count = TARGET_COUNT[inst.op];
  if (count !== undefined && (inst.targets.length < count.min || inst.targets.length > count.max)) {
    const want = count.min === count.max ? `${count.min}` : `at least ${count.min}`;
    report(`${inst.op} needs ${want} target${count.max === 1 ? '' : 's'}, has ${inst.targets.length}`);
  }
  for (const target of inst.targets) {
    const block = blocks.get(target.block);
    if (block === undefined) {
      report(`target block${target.block} does not exist`);
      continue;
    }
    if (target.args.length !== block.params.length) {
      report(`block${target.block} takes ${block.params.length} args, given ${target.args.length}`);
      continue;
    }
    target.args.forEach((a, i) => {
      const have = f.values[a]?.type;
      const want = f.values[block.params[i]!]?.type;
      if (have !== undefined && want !== undefined && have !== want) report(`arg ${i} v${a} to block${target.block} has type ${have}, param v${block.params[i]} is ${want}`);
    });
  }
}

function checkUses(f: IrFunction, cfg: Cfg, dom: DominatorTree, defs: ReadonlyMap<Value, DefSite>, errors: string[]): void {
  for (const block of f.blocks) {
    const reachable = cfg.isReachable(block.id);
    block.insts.forEach((inst, position) => {
      const uses = [...inst.args, ...inst.targets.flatMap((t) => t.args)];
      for (const v of new Set(uses)) {
        const problem = useProblem(v, { block: block.id, position }, defs, dom, reachable);
        if (problem !== undefined) errors.push(`block${block.id}, inst ${position} (${printInst(f, inst)}): ${problem}`);
      }
    });
  }
}

function useProblem(v: Value, use: DefSite, defs: ReadonlyMap<Value, DefSite>, dom: DominatorTree, reachable: boolean): string | undefined {
  const def = defs.get(v);
  if (def === undefined) return `uses v${v}, which is not defined`;
  if (def.block === use.block) return def.position < use.position ? undefined : `uses v${v} before its definition`;
  if (reachable && !dom.dominates(def.block, use.block)) return `uses v${v}, defined in block${def.block}, which does not dominate block${use.block}`;
  return undefined;
}
