// The state of instruction selection for one function: the blocks being filled, the virtual
// registers of IR values, labels of IR blocks, shared trap blocks, and the helpers every
// lowering rule uses to get operands into registers.

import { InternalError } from '../../diagnostics/errors.js';
import type { Inst, IrFunction } from '../../ir/function.js';
import type { IrModule } from '../../ir/module.js';
import { TRAP_KINDS, type BlockId, type TrapKind, type Type, type Value } from '../../ir/types.js';
import { R9, VREG_BASE, type Cond, type Label, type MInst, type Operand2, type Reg } from '../mir.js';
import { tryThumbExpandImm } from '../operands.js';
import { vinst, type VBlock, type VInst } from '../vcode.js';
import { materializeConstant } from './constants.js';
import { findFoldedOperands, type FoldedOperands } from './operand-folding.js';
import { SOFT_FLOAT_TARGET, type TargetFeatures } from '../target.js';

const STAGE = 'thumb2 isel';

export class SelectionContext {
  /** Blocks by label (creation order); `layoutOrder` says where each goes. */
  readonly blocks: VBlock[] = [];
  private readonly trapBlocks = new Map<string, Label>();
  /** Out-of-line slow paths (coldBlock), laid out after the code, before the trap blocks. */
  private readonly coldBlocks: Label[] = [];
  /** Blocks created while selecting each IR block, placed right after it. */
  private readonly extraBlocks = new Map<Label, Label[]>();
  private readonly blockLabels = new Map<BlockId, Label>();
  private readonly valueRegs = new Map<Value, Reg[]>();
  readonly useCounts: number[];
  /** icmps whose single use (brif/select in the same block) emits the compare itself. */
  readonly fusedCompares = new Set<Value>();
  /** Shifts and multiplies computed inside their single use (isel/operand-folding.ts). */
  readonly foldedOperands: FoldedOperands;
  private nextVreg = VREG_BASE;
  private currentLabel: Label = 0;
  private currentIrLabel: Label = 0;
  outgoingArgBytes = 0;
  hasCalls = false;
  /** A function with several results: the register holding the hidden results pointer. */
  resultPointer: Reg | undefined;
  /** The block that receives the parameters and falls into the IR entry block. */
  readonly setupLabel: Label;
  /**
   * One register holds the memory bound ([r9, #-4]) for the whole function when it has
   * checked accesses: loaded in the setup block and again after every call that may grow
   * memory (memory.grow, and any Wasm or imported function). The allocator keeps it in a
   * register across loops or, under pressure, spills it, which costs no more than the
   * load it replaces.
   */
  private readonly boundReg: Reg | undefined;

  constructor(readonly func: IrFunction, readonly mod: IrModule, readonly target: TargetFeatures = SOFT_FLOAT_TARGET) {
    this.useCounts = countUses(func);
    this.boundReg = target.maskBits === undefined && hasCheckedAccess(func) ? this.newVreg() : undefined;
    this.setupLabel = this.createBlock(func.blocks[0]?.srcOffset ?? 0, undefined, func.blocks[0]?.frequency);
    for (const b of func.blocks) this.blockLabels.set(b.id, this.createBlock(b.srcOffset, b.ordinal ?? 0, b.frequency));
    this.findFusedCompares();
    this.foldedOperands = findFoldedOperands(func, this.useCounts);
  }

  // ------------------------------------------------------------------ blocks and emission

  /** `ordinal` only for the block that starts an IR block (its profile key); `frequency`
   *  when the profile gave one (a block isel adds runs as often as its IR block, a trap never). */
  private createBlock(srcOffset: number, ordinal?: number, frequency?: number): Label {
    this.blocks.push({ insts: [], srcOffset, ...(ordinal !== undefined ? { ordinal } : {}), ...(frequency !== undefined ? { frequency } : {}) });
    return this.blocks.length - 1;
  }

  labelOf(block: BlockId): Label {
    const label = this.blockLabels.get(block);
    if (label === undefined) throw new InternalError(STAGE, `no block${block} in ${this.func.name}`);
    return label;
  }

  /** Start filling the machine block of an IR block. */
  beginIrBlock(block: BlockId): void {
    this.currentLabel = this.currentIrLabel = this.labelOf(block);
  }

  /** A new block laid out after the current IR block's blocks (for edges and switch trees). */
  newLocalBlock(srcOffset: number): Label {
    const label = this.createBlock(srcOffset, undefined, this.blocks[this.currentIrLabel]!.frequency);
    const list = this.extraBlocks.get(this.currentIrLabel) ?? [];
    list.push(label);
    this.extraBlocks.set(this.currentIrLabel, list);
    return label;
  }

  switchTo(label: Label): void {
    this.currentLabel = label;
  }

  /** The block instructions are being appended to. */
  get current(): Label {
    return this.currentLabel;
  }

  emit(inst: MInst, extra: Omit<VInst, 'inst'> = {}): void {
    this.blocks[this.currentLabel]!.insts.push(vinst(inst, extra));
  }

  /** The shared `udf #kind` block for (kind, where it is in the Wasm code: offset and, for
   *  inlined code, the origin function), laid out at the end of the function. */
  trapLabel(kind: TrapKind, at: Pick<Inst, 'srcOffset' | 'origin'>): Label {
    const { srcOffset, origin } = at;
    const key = `${kind}@${srcOffset}${origin !== undefined ? ` in f${origin}` : ''}`;
    let label = this.trapBlocks.get(key);
    if (label === undefined) {
      label = this.createBlock(srcOffset, undefined, this.func.blocks[0]?.frequency !== undefined ? 0 : undefined);
      this.blocks[label]!.insts.push(vinst({ op: 'udf', imm: TRAP_KINDS[kind], srcOffset, ...(origin !== undefined && { funcIndex: origin }) }));
      this.trapBlocks.set(key, label);
    }
    return label;
  }

  /**
   * A block for a slow path that (almost) never runs: laid out after all the function's
   * code, next to the trap blocks, so the hot path only pays for the branch to it.
   */
  coldBlock(srcOffset: number): Label {
    const label = this.createBlock(srcOffset, undefined, this.func.blocks[0]?.frequency !== undefined ? 0 : undefined);
    this.coldBlocks.push(label);
    return label;
  }

  /** End the current block with a jump to a new local block and continue there (a place a
   *  cold block can return to). The jump is to the next block in layout: branch clean-up drops it. */
  continueInNewBlock(srcOffset: number): Label {
    const next = this.newLocalBlock(srcOffset);
    this.emit({ op: 'b', target: next });
    this.switchTo(next);
    return next;
  }

  /** Branch to the trap block of `kind` when `cond` holds. */
  trapIf(cond: Cond, kind: TrapKind, inst: Inst): void {
    this.emit({ op: 'b', cond, target: this.trapLabel(kind, inst) });
  }

  /** Labels in final layout order: each IR block, its local blocks, then the trap blocks. */
  layoutOrder(): Label[] {
    const order: Label[] = [this.setupLabel];
    for (const b of this.func.blocks) {
      const label = this.labelOf(b.id);
      order.push(label, ...(this.extraBlocks.get(label) ?? []));
    }
    order.push(...this.coldBlocks, ...this.trapBlocks.values());
    return order;
  }

  // ------------------------------------------------------------------ registers of values

  newVreg(): Reg {
    return this.nextVreg++;
  }

  get vregCount(): number {
    return this.nextVreg;
  }

  typeOf(v: Value): Type {
    const info = this.func.values[v];
    if (info === undefined) throw new InternalError(STAGE, `no value v${v} in ${this.func.name}`);
    return info.type;
  }

  /** The constant defining `v` (iconst, or fconst's raw bits), if any. */
  constantOf(v: Value): bigint | undefined {
    const def = this.func.values[v]?.def;
    if (def?.kind !== 'inst' || (def.inst.op !== 'iconst' && def.inst.op !== 'fconst')) return undefined;
    return BigInt(def.inst.imm ?? 0);
  }

  /** The i32 constant value of `v` (as a signed number), if `v` is an iconst. */
  constant32(v: Value): number | undefined {
    const c = this.constantOf(v);
    return c === undefined ? undefined : Number(BigInt.asIntN(32, c));
  }

  /** Registers holding `v` as a definition target: one for i32 and f32, [lo, hi] for i64
   *  and f64 (soft-float: a float lives in core registers as its bits). */
  defRegs(v: Value): Reg[] {
    let regs = this.valueRegs.get(v);
    if (regs === undefined) {
      const width = wordsOfType(this.typeOf(v));
      regs = Array.from({ length: width }, () => this.newVreg());
      this.valueRegs.set(v, regs);
    }
    return regs;
  }

  defReg(v: Value): Reg {
    return this.defRegs(v)[0]!;
  }

  /** Registers holding `v` for a use. Constants are rematerialised at each use. */
  useRegs(v: Value): Reg[] {
    const c = this.constantOf(v);
    if (c === undefined) return this.defRegs(v);
    if (wordsOfType(this.typeOf(v)) === 2) {
      return [this.materialize(Number(BigInt.asIntN(32, c))), this.materialize(Number(BigInt.asIntN(32, c >> 32n)))];
    }
    return [this.materialize(Number(BigInt.asIntN(32, c)))];
  }

  useReg(v: Value): Reg {
    return this.useRegs(v)[0]!;
  }

  /** A fresh register holding the 32-bit value `value`. */
  materialize(value: number): Reg {
    const rd = this.newVreg();
    for (const inst of materializeConstant(rd, value)) this.emit(inst);
    return rd;
  }

  /** `v` as a flexible second operand: a modified immediate when it is a constant that fits. */
  operand2(v: Value): Operand2 {
    const c = this.constant32(v);
    if (c !== undefined && tryThumbExpandImm(c) !== undefined) return { kind: 'imm', value: c >>> 0 };
    return { kind: 'reg', rm: this.useReg(v) };
  }

  /** A 32-bit constant as a second operand, in a register when it does not encode. */
  immOperand(value: number): Operand2 {
    return tryThumbExpandImm(value) !== undefined ? { kind: 'imm', value: value >>> 0 } : { kind: 'reg', rm: this.materialize(value) };
  }

  copy(rd: Reg, rm: Reg): void {
    this.emit({ op: 'copy', rd, rm });
  }

  /** The register holding the memory bound (only when the function has checked accesses). */
  memoryBound(): Reg {
    if (this.boundReg === undefined) throw new InternalError(STAGE, `no memory bound register in ${this.func.name}`);
    return this.boundReg;
  }

  /**
   * Whether the bound at [r9, #-4] can change while this function runs: an interrupt
   * handler may grow memory between the load into the bound register and a check, so a
   * failing check must look at the memory context again before it traps (memory.ts).
   * A memory that cannot grow (maximum = initial pages) never needs that, nor does a
   * firmware without Wasm interrupt handlers (target.interruptHandlers).
   */
  get boundMayGrow(): boolean {
    const memory = this.mod.memory;
    return this.target.interruptHandlers === true && memory !== undefined && (memory.import !== undefined || memory.maxPages === undefined || memory.maxPages > memory.minPages);
  }

  /** (Re)load the memory bound: at entry, and after anything that may have grown memory. */
  reloadMemoryBound(): void {
    if (this.boundReg !== undefined) this.emit({ op: 'ldr', rt: this.boundReg, addr: { kind: 'imm', rn: R9, offset: -4 } });
  }

  // ------------------------------------------------------------------ analysis helpers

  private findFusedCompares(): void {
    for (const b of this.func.blocks) {
      const local = new Set(b.insts.filter((i) => i.op === 'icmp').map((i) => i.results[0]!));
      for (const inst of b.insts) {
        if (inst.op !== 'brif' && inst.op !== 'select') continue;
        const cond = inst.args[0]!;
        if (local.has(cond) && this.useCounts[cond] === 1) this.fusedCompares.add(cond);
      }
    }
  }

  /** The icmp to emit at this use instead of at its definition, if `cond` was fused. */
  fusedCompare(cond: Value): Inst | undefined {
    if (!this.fusedCompares.has(cond)) return undefined;
    const def = this.func.values[cond]!.def;
    return def.kind === 'inst' ? def.inst : undefined;
  }
}

/** Core registers (32-bit words) a value of `type` takes. */
export function wordsOfType(type: Type): 1 | 2 {
  return type === 'i64' || type === 'f64' ? 2 : 1;
}

/** Whether some load or store of `f` checks its address against the bound. */
function hasCheckedAccess(f: IrFunction): boolean {
  return f.blocks.some((b) => b.insts.some((i) => (i.op === 'load' || i.op === 'store') && i.mem?.inBounds !== true));
}

function countUses(f: IrFunction): number[] {
  const counts = new Array<number>(f.values.length).fill(0);
  for (const b of f.blocks) {
    for (const inst of b.insts) {
      for (const a of inst.args) counts[a]!++;
      for (const t of inst.targets) for (const a of t.args) counts[a]!++;
    }
  }
  return counts;
}

/** A lowering rule: emits the machine instructions for one IR instruction. */
export type Rule = (ctx: SelectionContext, inst: Inst) => void;

/** Dispatch on the width of the instruction's first argument (or its stated type). */
export function byWidth(rule32: Rule, rule64: Rule): Rule {
  return (ctx, inst) => {
    const type = inst.args.length > 0 ? ctx.typeOf(inst.args[0]!) : inst.type;
    (type === 'i64' ? rule64 : rule32)(ctx, inst);
  };
}
