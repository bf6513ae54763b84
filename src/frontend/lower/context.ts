// The state of lowering one function body: the IR builder, the abstract operand stack of
// IR values, the current SSA value of every local, and the control stack of open
// constructs. The lowering rules (one file per Wasm instruction family) read and update it
// through the small operations below.
//
// SSA construction: a local is tracked as its current value. Every merge point (the
// continuation of a block or if, a loop header) gets block parameters for the label's
// values followed by every tracked local, and every branch passes the current values.
// Redundant parameters are removed later by the simplify-block-params pass.

import { InternalError, UserError } from '../../diagnostics/errors.js';
import { blockById, valueType, type BlockCall, type FunctionBuilder } from '../../ir/function.js';
import type { BlockId, Type, Value } from '../../ir/types.js';
import type { FunctionBody, Instr, ValType, WasmModule } from '../module.js';
import type { HalOptions } from './hal.js';
import type { Construct } from './nesting.js';
import { asIrType } from './signatures.js';

/** The IR types of a block type, once every Wasm type in it is known to be supported. */
export interface IntBlockType {
  readonly params: readonly Type[];
  readonly results: readonly Type[];
}

export interface ControlFrame {
  readonly kind: 'function' | 'block' | 'loop' | 'if';
  readonly type: IntBlockType;
  /** Operand stack height below the frame's params. */
  readonly height: number;
  readonly construct: Construct;
  /** Source key of the continuation block: the offset of the matching `end`. */
  readonly endOffset: number;
  /** Where a branch to this label goes: a loop's header; otherwise the continuation
   *  (for the function, the return block), created when first needed. */
  target?: BlockId;
  /** False once the code being lowered in this frame is dead (after br, return...). */
  reachable: boolean;
  /** An if with an else arm: where the else arm starts and what it starts with. */
  readonly elseArm?: { readonly block: BlockId; readonly params: readonly Value[]; readonly locals: readonly (Value | undefined)[] };
}

/** The error for a feature not lowered yet: `<what> in function <N> at offset 0x<hex>`. */
export function unsupportedIn(func: number, offset: number, what: string): UserError {
  return new UserError('unsupported', `${what} in function ${func} at offset 0x${offset.toString(16)}`, { func, offset, statedInDetail: true });
}

/** A lowering rule: one Wasm instruction (or family member) into IR. */
export type LowerRule = (ctx: FunctionLowering, ins: Instr) => void;

export class FunctionLowering {
  readonly stack: Value[] = [];
  readonly control: ControlFrame[] = [];
  /** Current value of each local; undefined for a local of a type not supported yet
   *  (it can never be assigned, since no supported instruction produces such a value). */
  locals: (Value | undefined)[];
  /** Body index of the instruction being lowered. */
  at = 0;
  /** Set when the rest of the current construct is dead: the body index to go on at. */
  resumeAt: number | undefined;
  /** Blocks in the order lowering entered them: source order, the natural layout. */
  private readonly entered: BlockId[] = [];

  constructor(
    readonly m: WasmModule,
    readonly funcIndex: number,
    readonly code: FunctionBody,
    readonly b: FunctionBuilder,
    readonly localTypes: readonly ValType[],
    initialLocals: (Value | undefined)[],
    readonly constructs: ReadonlyMap<number, Construct>,
    /** The granted peripheral ranges, for inline HAL accesses (hal.ts). */
    readonly hal?: HalOptions,
  ) {
    this.locals = initialLocals;
  }

  // ---- diagnostics -------------------------------------------------------------------

  /** The error for a feature not lowered yet, at the current instruction. */
  unsupported(what: string): UserError {
    return unsupportedIn(this.funcIndex, this.b.srcOffset, what);
  }

  /** A broken invariant: the validator should have rejected the body. */
  broken(what: string): InternalError {
    return new InternalError('lower-wasm', `${what} in function ${this.funcIndex} at offset 0x${this.b.srcOffset.toString(16)}`);
  }

  /** The types as IR types, or the unsupported error naming `op` and the type. */
  intTypes(types: readonly ValType[], op: string): Type[] {
    return types.map((t) => {
      const int = asIrType(t);
      if (int === undefined) throw this.unsupported(`${op} (${t})`);
      return int;
    });
  }

  // ---- operand stack -----------------------------------------------------------------

  push(v: Value): void {
    this.stack.push(v);
  }

  pop(): Value {
    const v = this.stack.pop();
    if (v === undefined) throw this.broken('operand stack underflow');
    return v;
  }

  /** Pops `n` values, returned in stack order (deepest first). */
  popN(n: number): Value[] {
    if (n === 0) return [];
    if (n > this.stack.length) throw this.broken('operand stack underflow');
    return this.stack.splice(this.stack.length - n, n);
  }

  valueTypeOf(v: Value): Type {
    return valueType(this.b.func, v);
  }

  /** The top `n` values, deepest first, left on the stack. */
  peekN(n: number): Value[] {
    return this.stack.slice(this.stack.length - n);
  }

  // ---- control -----------------------------------------------------------------------

  /** Continue emitting into `block`. */
  enter(block: BlockId): void {
    this.b.switchTo(block);
    this.entered.push(block);
  }

  /** Lays the blocks out in the order they were entered (creation order is the order
   *  branches first named them, which puts join points before the code that leads there). */
  layOutInSourceOrder(): void {
    const rank = new Map(this.entered.map((id, i) => [id, i]));
    const last = this.entered.length;
    this.b.func.blocks.sort((x, y) => (rank.get(x.id) ?? last) - (rank.get(y.id) ?? last));
  }

  /** The frame `depth` labels out (0: the innermost). */
  frame(depth: number): ControlFrame {
    const f = this.control[this.control.length - 1 - depth];
    if (f === undefined) throw this.broken(`no label at depth ${depth}`);
    return f;
  }

  get innermost(): ControlFrame {
    return this.frame(0);
  }

  /** Types a branch to the frame carries: a loop's params, every other frame's results. */
  labelTypes(f: ControlFrame): readonly Type[] {
    return f.kind === 'loop' ? f.type.params : f.type.results;
  }

  /** A block whose params are `labelTypes` then (unless `labelOnly`) every tracked local. */
  createMergeBlock(labelTypes: readonly Type[], srcOffset: number, labelOnly = false): BlockId {
    const block = this.b.createBlock(srcOffset);
    for (const t of labelTypes) this.b.addBlockParam(block, t);
    if (!labelOnly) {
      this.locals.forEach((v) => {
        if (v !== undefined) this.b.addBlockParam(block, valueType(this.b.func, v));
      });
    }
    return block;
  }

  /** Arguments for a merge block: the top `n` stack values, then the tracked locals. */
  mergeArgs(n: number, labelOnly = false): Value[] {
    const label = this.peekN(n);
    if (labelOnly) return label;
    return [...label, ...this.locals.filter((v): v is Value => v !== undefined)];
  }

  /** Continue lowering in merge block `block`: its params become the top `n` stack values
   *  (replacing whatever the frame left) and the locals' current values. */
  enterMergeBlock(block: BlockId, height: number, n: number): void {
    this.enter(block);
    const params = blockById(this.b.func, block).params;
    this.stack.length = height;
    this.stack.push(...params.slice(0, n));
    let next = n;
    this.locals = this.locals.map((v) => (v === undefined ? undefined : params[next++]!));
  }

  /** Where a branch to the frame `depth` labels out goes, with its arguments. */
  branchTo(depth: number): BlockCall {
    const f = this.frame(depth);
    const types = this.labelTypes(f);
    const labelOnly = f.kind === 'function'; // the return block needs no locals
    f.target ??= this.createMergeBlock(types, f.endOffset, labelOnly);
    return { block: f.target, args: this.mergeArgs(types.length, labelOnly) };
  }

  /** Return from the function with the values on top of the stack. */
  emitReturn(): void {
    const results = this.control[0]!.type.results;
    this.b.emit('return', { args: this.peekN(results.length) });
  }

  /**
   * The rest of the innermost construct (up to its else or end) is dead: valid Wasm, but
   * no IR is built for it. The driver resumes at that else or end.
   */
  markDead(): void {
    const f = this.innermost;
    f.reachable = false;
    const { elseAt, endAt } = f.construct;
    this.resumeAt = elseAt !== undefined && this.at < elseAt ? elseAt : endAt;
  }
}
