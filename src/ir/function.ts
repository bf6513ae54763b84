// IR functions: SSA values, basic blocks with block parameters (instead of phi nodes),
// instructions, and a builder that keeps them consistent.

import { InternalError } from '../diagnostics/errors.js';
import { opInfo, type Opcode } from './opcodes.js';
import { asBlock, asValue, type BlockId, type FloatCC, type IntCC, type TrapKind, type Type, type Value } from './types.js';

/** A linear-memory access: offset immediate, width in bytes, sign extension of narrow loads. */
export interface MemAccess {
  readonly offset: number; // unsigned 32-bit Wasm offset immediate
  readonly bytes: 1 | 2 | 4 | 8;
  readonly signed: boolean; // loads narrower than the result type: sign- or zero-extend
  /** Set by bounds-check-elim: a dominating access of the same address value already checked
   *  at least offset + bytes, so the backend may skip the bounds check. Text form: `inbounds`. */
  readonly inBounds?: boolean;
}

/** A branch target with the values passed to the target block's parameters. */
export interface BlockCall {
  block: BlockId;
  args: Value[];
}

export interface Inst {
  readonly op: Opcode;
  /** Result type for 'explicit' opcodes (iconst, load, global_get, extends). */
  type?: Type;
  args: Value[];
  results: Value[];
  /** iconst: number for i32 (signed), bigint for i64 (signed); sextend_low: bit count;
   *  fconst: the raw bits, as iconst of the same width would hold them. */
  imm?: number | bigint;
  cc?: IntCC;
  /** fcmp's condition. */
  fcc?: FloatCC;
  mem?: MemAccess;
  /** global, function or signature index. */
  index?: number;
  /** call_indirect's table. */
  table?: number;
  trap?: TrapKind;
  /** Terminators only. */
  targets: BlockCall[];
  /** Wasm code offset (absolute byte offset in the module) this instruction came from. */
  srcOffset: number;
  /** Set by inline on the copies of instructions that can trap: the Wasm function index the
   *  instruction (and srcOffset) belongs to, which a trap report names instead of the function
   *  holding the copy. Absent: the containing function. Text form: `; @0x4e in f2`. */
  origin?: number;
}

export interface Block {
  readonly id: BlockId;
  params: Value[];
  insts: Inst[];
  /** Source key: Wasm code offset where this block starts (with the function index, a
   *  stable key that profiles use). */
  srcOffset: number;
  /** With srcOffset, the block's profile key: the n-th block the frontend created at that
   *  offset (FunctionBuilder.createBlock). A block a pass derives from another copies its
   *  key; absent means 0 (docs/profile.md). */
  ordinal?: number;
  /** Profile-guided builds only: how often the block runs per entry of the function (the
   *  profile's count over the entry count; pgo-block-weights). The backend weighs spill
   *  costs by it; absent, it estimates them from loop nesting. */
  frequency?: number;
}

export type ValueDef =
  | { readonly kind: 'inst'; readonly inst: Inst; readonly index: number }
  | { readonly kind: 'param'; readonly block: BlockId; readonly index: number };

export interface ValueInfo {
  readonly type: Type;
  def: ValueDef;
}

export interface Signature {
  readonly params: readonly Type[];
  readonly results: readonly Type[];
}

export interface IrFunction {
  /** Index in the Wasm function index space. */
  readonly index: number;
  /** Human-readable name (name section, export name, or `f<index>`). */
  readonly name: string;
  readonly sig: Signature;
  /** Blocks in layout order; blocks[0] is the entry, whose params are the function params. */
  blocks: Block[];
  values: ValueInfo[];
}

export function createFunction(index: number, name: string, sig: Signature): IrFunction {
  return { index, name, sig, blocks: [], values: [] };
}

export function blockById(f: IrFunction, id: BlockId): Block {
  const b = f.blocks.find((x) => x.id === id);
  if (b === undefined) throw new InternalError('ir', `no block${id} in ${f.name}`);
  return b;
}

export function valueType(f: IrFunction, v: Value): Type {
  const info = f.values[v];
  if (info === undefined) throw new InternalError('ir', `no value v${v} in ${f.name}`);
  return info.type;
}

export function terminator(b: Block): Inst | undefined {
  const last = b.insts[b.insts.length - 1];
  return last !== undefined && opInfo(last.op).terminator === true ? last : undefined;
}

/** Successor blocks of `b`, in target order (may repeat). */
export function successors(b: Block): BlockId[] {
  return terminator(b)?.targets.map((t) => t.block) ?? [];
}

/** Fields of an instruction that the caller chooses; the builder fills results. */
export type InstFields = Omit<Partial<Inst>, 'op' | 'results' | 'srcOffset'> & { args?: Value[] };

/**
 * Appends instructions to blocks, creating result values as it goes. The builder does not
 * check types (the verifier does); it only keeps value definitions consistent.
 */
export class FunctionBuilder {
  private nextBlockId = 0;
  private current: Block | undefined;
  /** Per source offset, the ordinal the next block created there gets. */
  private readonly nextOrdinal = new Map<number, number>();
  /** Source offset stamped on instructions created from now on. */
  srcOffset = 0;

  constructor(readonly func: IrFunction) {
    for (const b of func.blocks) {
      this.nextBlockId = Math.max(this.nextBlockId, b.id + 1);
      this.nextOrdinal.set(b.srcOffset, Math.max(this.nextOrdinal.get(b.srcOffset) ?? 0, (b.ordinal ?? 0) + 1));
    }
  }

  createBlock(srcOffset: number = this.srcOffset): BlockId {
    const id = asBlock(this.nextBlockId++);
    const ordinal = this.nextOrdinal.get(srcOffset) ?? 0;
    this.nextOrdinal.set(srcOffset, ordinal + 1);
    this.func.blocks.push({ id, params: [], insts: [], srcOffset, ordinal });
    return id;
  }

  addBlockParam(block: BlockId, type: Type): Value {
    const b = blockById(this.func, block);
    const v = this.newValue(type, { kind: 'param', block, index: b.params.length });
    b.params.push(v);
    return v;
  }

  switchTo(block: BlockId): void {
    this.current = blockById(this.func, block);
  }

  get currentBlock(): BlockId {
    if (this.current === undefined) throw new InternalError('ir builder', 'no current block');
    return this.current.id;
  }

  /** Whether the current block already ends in a terminator. */
  get isTerminated(): boolean {
    return this.current !== undefined && terminator(this.current) !== undefined;
  }

  /** Append `op` with the given fields; `resultTypes` gives the types of the results. */
  emit(op: Opcode, fields: InstFields, resultTypes: readonly Type[] = []): Inst {
    if (this.current === undefined) throw new InternalError('ir builder', `no current block for ${op}`);
    if (this.isTerminated) throw new InternalError('ir builder', `${op} after terminator in block${this.current.id}`);
    const inst: Inst = { op, ...fields, args: fields.args ?? [], results: [], targets: fields.targets ?? [], srcOffset: this.srcOffset };
    resultTypes.forEach((t, index) => inst.results.push(this.newValue(t, { kind: 'inst', inst, index })));
    this.current.insts.push(inst);
    return inst;
  }

  /** Append a single-result instruction and return its value. */
  value(op: Opcode, type: Type, fields: InstFields): Value {
    const explicit = opInfo(op).result === 'explicit';
    return this.emit(op, explicit ? { ...fields, type } : fields, [type]).results[0]!;
  }

  iconst(type: 'i32' | 'i64', value: number | bigint): Value {
    const imm = type === 'i64' ? BigInt.asIntN(64, BigInt(value)) : Number(BigInt.asIntN(32, BigInt(value)));
    return this.value('iconst', type, { imm });
  }

  jump(block: BlockId, args: Value[] = []): void {
    this.emit('jump', { targets: [{ block, args }] });
  }

  brif(cond: Value, then: BlockCall, otherwise: BlockCall): void {
    this.emit('brif', { args: [cond], targets: [then, otherwise] });
  }

  private newValue(type: Type, def: ValueDef): Value {
    const v = asValue(this.func.values.length);
    this.func.values.push({ type, def });
    return v;
  }
}
