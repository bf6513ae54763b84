// Validation of one function body: the spec's algorithm (its appendix "Validation
// Algorithm") with an operand stack of value types and a control stack of frames.
//
// - After unreachable, br, br_table and return the rest of the block is unreachable: the
//   operand stack below the frame's height is out of reach, and popping from the empty
//   reachable part yields 'unknown', which matches any type (the polymorphic stack).
// - A frame's label types are its results, except a loop's, whose label is its start.
// - Instructions with a fixed signature in the opcode table are typed by it; the rest
//   (control, variables, tables, references, select) have a handler each below.

import { UserError } from '../diagnostics/errors.js';
import type { FuncType, FunctionBody, GlobalType, Instr, Limits, RefType, TableType, ValType } from './module.js';
import { opcodeInfo, type OpcodeInfo } from './opcodes.js';

/** What a body may refer to: the module's index spaces, as validation sees them. */
export interface ModuleContext {
  readonly types: readonly FuncType[];
  /** Signature of every function, imported first. */
  readonly funcs: readonly FuncType[];
  readonly tables: readonly TableType[];
  readonly memories: readonly Limits[];
  readonly globals: readonly GlobalType[];
  /** Element type of every element segment. */
  readonly elems: readonly RefType[];
  /** Number of data segments, when the module declares a data count (or has data). */
  readonly datas: number;
  /** Functions that may be referenced by ref.func in code (C.refs). */
  readonly refs: ReadonlySet<number>;
  readonly file?: string;
}

type StackType = ValType | 'unknown';

interface Frame {
  readonly kind: 'function' | 'block' | 'loop' | 'if' | 'else';
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** Operand stack height when the frame was entered. */
  readonly height: number;
  unreachable: boolean;
}

/**
 * How deep blocks, loops and ifs may nest in one function. The later stages' cost grows
 * faster than linearly with the depth (about 30 s for 10,000 levels); compilers' output
 * stays far below this (a C switch nests one block per case).
 */
export const MAX_CONTROL_NESTING = 4096;

const isRef = (t: StackType): boolean => t === 'funcref' || t === 'externref';

/** Validates the body of function `funcIndex` with signature `type`. */
export function validateBody(ctx: ModuleContext, funcIndex: number, type: FuncType, body: FunctionBody): void {
  new BodyValidator(ctx, funcIndex, type, body).run();
}

class BodyValidator {
  private readonly vals: StackType[] = [];
  private readonly ctrls: Frame[] = [];
  private readonly locals: readonly ValType[];
  /** The instruction being validated, for error locations. */
  private current: Instr;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly funcIndex: number,
    private readonly type: FuncType,
    private readonly body: FunctionBody,
  ) {
    this.locals = [...type.params, ...body.locals];
    this.current = { op: 'end', offset: body.codeOffset };
  }

  run(): void {
    this.pushCtrl('function', [], this.type.results);
    for (const instr of this.body.body) {
      if (this.ctrls.length === 0) throw this.fail(`instruction '${instr.op}' after the function's final end`);
      this.current = instr;
      this.validateInstr(instr);
    }
    if (this.ctrls.length > 0) throw this.fail('function body ends without its final end');
  }

  private fail(detail: string): UserError {
    const where = { section: 'code', func: this.funcIndex, offset: this.current.offset, ...(this.ctx.file !== undefined ? { file: this.ctx.file } : {}) };
    return new UserError('invalid', detail, where);
  }

  // ----- operand and control stacks -----

  private pushVal(t: StackType): void {
    this.vals.push(t);
  }

  private popVal(): StackType {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    if (this.vals.length === frame.height) {
      if (frame.unreachable) return 'unknown';
      throw this.fail(`type mismatch: '${this.current.op}' expects an operand, the stack is empty`);
    }
    return this.vals.pop()!;
  }

  private popExpect(expected: StackType): StackType {
    const actual = this.popVal();
    if (actual !== expected && actual !== 'unknown' && expected !== 'unknown') {
      throw this.fail(`type mismatch: '${this.current.op}' expects ${expected}, found ${actual}`);
    }
    return actual;
  }

  private pushVals(types: readonly StackType[]): void {
    for (const t of types) this.pushVal(t);
  }

  private popVals(types: readonly ValType[]): StackType[] {
    const popped: StackType[] = [];
    for (let i = types.length - 1; i >= 0; i--) popped.unshift(this.popExpect(types[i]!));
    return popped;
  }

  private pushCtrl(kind: Frame['kind'], params: readonly ValType[], results: readonly ValType[]): void {
    if (this.ctrls.length > MAX_CONTROL_NESTING) {
      const where = { section: 'code', func: this.funcIndex, offset: this.current.offset, ...(this.ctx.file !== undefined ? { file: this.ctx.file } : {}) };
      throw new UserError('limit', `blocks nested more than ${MAX_CONTROL_NESTING} deep`, where, 'split the function or flatten its control flow');
    }
    this.ctrls.push({ kind, params, results, height: this.vals.length, unreachable: false });
    this.pushVals(params);
  }

  private popCtrl(): Frame {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    this.popVals(frame.results);
    if (this.vals.length !== frame.height) {
      throw this.fail(`type mismatch: ${this.vals.length - frame.height} value(s) left on the stack at the end of the ${frame.kind}`);
    }
    this.ctrls.pop();
    return frame;
  }

  private labelTypes(frame: Frame): readonly ValType[] {
    return frame.kind === 'loop' ? frame.params : frame.results;
  }

  private label(depth: number): Frame {
    const frame = this.ctrls[this.ctrls.length - 1 - depth];
    if (frame === undefined) throw this.fail(`unknown label ${depth}`);
    return frame;
  }

  private setUnreachable(): void {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    this.vals.length = frame.height;
    frame.unreachable = true;
  }

  // ----- index checks -----

  private func(index: number): FuncType {
    const f = this.ctx.funcs[index];
    if (f === undefined) throw this.fail(`unknown function ${index}`);
    return f;
  }

  private table(index: number): TableType {
    const t = this.ctx.tables[index];
    if (t === undefined) throw this.fail(`unknown table ${index}`);
    return t;
  }

  private global(index: number): GlobalType {
    const g = this.ctx.globals[index];
    if (g === undefined) throw this.fail(`unknown global ${index}`);
    return g;
  }

  private local(index: number): ValType {
    const l = this.locals[index];
    if (l === undefined) throw this.fail(`unknown local ${index}`);
    return l;
  }

  private typeAt(index: number): FuncType {
    const t = this.ctx.types[index];
    if (t === undefined) throw this.fail(`unknown type ${index}`);
    return t;
  }

  private elem(index: number): RefType {
    const e = this.ctx.elems[index];
    if (e === undefined) throw this.fail(`unknown elem segment ${index}`);
    return e;
  }

  private requireMemory(): void {
    if (this.ctx.memories.length === 0) throw this.fail(`unknown memory 0: '${this.current.op}' needs a memory`);
  }

  private requireData(index: number): void {
    if (index >= this.ctx.datas) throw this.fail(`unknown data segment ${index}`);
  }

  // ----- instructions -----

  private validateInstr(instr: Instr): void {
    const info = opcodeInfo(instr.op);
    if (info === undefined) throw this.fail(`unknown instruction '${instr.op}'`);
    if (info.sig === undefined) {
      this.validateSpecial(instr);
      return;
    }
    this.checkImmediates(instr, info);
    this.popVals(info.sig.params);
    this.pushVals(info.sig.results);
  }

  /** Index and memory checks of the instructions typed by a fixed signature. */
  private checkImmediates(instr: Instr, info: OpcodeInfo): void {
    switch (info.imm) {
      case 'memarg': {
        this.requireMemory();
        const align = instr.memarg!.align;
        if (align > info.naturalAlign!) {
          throw this.fail(`alignment must not be larger than natural: 2^${align} > ${1 << info.naturalAlign!} bytes`);
        }
        return;
      }
      case 'memory':
      case 'memory.copy':
        this.requireMemory();
        return;
      case 'memory.init':
        this.requireMemory();
        this.requireData(instr.index!);
        return;
      case 'data':
        this.requireData(instr.index!);
        return;
      case 'elem':
        this.elem(instr.index!);
        return;
      case 'table.init': {
        const elemType = this.elem(instr.index!);
        const table = this.table(instr.index2!);
        if (table.elem !== elemType) throw this.fail(`type mismatch: elem segment of ${elemType} into a table of ${table.elem}`);
        return;
      }
      case 'table.copy': {
        const dst = this.table(instr.index!);
        const src = this.table(instr.index2!);
        if (dst.elem !== src.elem) throw this.fail(`type mismatch: table.copy from ${src.elem} to ${dst.elem}`);
        return;
      }
      default:
        return;
    }
  }

  private validateSpecial(instr: Instr): void {
    switch (instr.op) {
      case 'unreachable':
        return this.setUnreachable();
      case 'nop':
        return;
      case 'block':
      case 'loop': {
        const bt = instr.blockType!;
        this.popVals(bt.params);
        return this.pushCtrl(instr.op, bt.params, bt.results);
      }
      case 'if': {
        const bt = instr.blockType!;
        this.popExpect('i32');
        this.popVals(bt.params);
        return this.pushCtrl('if', bt.params, bt.results);
      }
      case 'else': {
        const frame = this.popCtrl();
        if (frame.kind !== 'if') throw this.fail('else without a matching if');
        return this.pushCtrl('else', frame.params, frame.results);
      }
      case 'end':
        return this.validateEnd();
      case 'br': {
        this.popVals(this.labelTypes(this.label(instr.index!)));
        return this.setUnreachable();
      }
      case 'br_if': {
        this.popExpect('i32');
        const types = this.labelTypes(this.label(instr.index!));
        this.popVals(types);
        return this.pushVals(types);
      }
      case 'br_table':
        return this.validateBrTable(instr);
      case 'return':
        this.popVals(this.type.results);
        return this.setUnreachable();
      case 'call': {
        const f = this.func(instr.index!);
        this.popVals(f.params);
        return this.pushVals(f.results);
      }
      case 'call_indirect': {
        const table = this.table(instr.index2!);
        if (table.elem !== 'funcref') throw this.fail(`type mismatch: call_indirect through a table of ${table.elem}`);
        const f = this.typeAt(instr.index!);
        this.popExpect('i32');
        this.popVals(f.params);
        return this.pushVals(f.results);
      }
      case 'drop':
        this.popVal();
        return;
      case 'select':
        return instr.types === undefined ? this.validateSelect() : this.validateTypedSelect(instr.types);
      default:
        return this.validateVariableOrReference(instr);
    }
  }

  private validateEnd(): void {
    const frame = this.popCtrl();
    if (frame.kind === 'if' && !sameTypes(frame.params, frame.results)) {
      throw this.fail('type mismatch: an if without else must have the same parameter and result types');
    }
    this.pushVals(frame.results);
  }

  private validateBrTable(instr: Instr): void {
    this.popExpect('i32');
    const defaultTypes = this.labelTypes(this.label(instr.index!));
    const arity = defaultTypes.length;
    for (const depth of instr.depths!) {
      const types = this.labelTypes(this.label(depth));
      if (types.length !== arity) {
        throw this.fail(`type mismatch: br_table targets have different arities (${types.length} vs ${arity})`);
      }
      this.pushVals(this.popVals(types));
    }
    this.popVals(defaultTypes);
    this.setUnreachable();
  }

  private validateSelect(): void {
    this.popExpect('i32');
    const t1 = this.popVal();
    const t2 = this.popVal();
    if (isRef(t1) || isRef(t2)) throw this.fail('type mismatch: select without a type needs numeric operands');
    if (t1 !== t2 && t1 !== 'unknown' && t2 !== 'unknown') throw this.fail(`type mismatch: select of ${t1} and ${t2}`);
    this.pushVal(t1 === 'unknown' ? t2 : t1);
  }

  private validateTypedSelect(types: readonly ValType[]): void {
    if (types.length !== 1) throw this.fail(`invalid result arity: select must have exactly one type, has ${types.length}`);
    const t = types[0]!;
    this.popExpect('i32');
    this.popExpect(t);
    this.popExpect(t);
    this.pushVal(t);
  }

  private validateVariableOrReference(instr: Instr): void {
    const index = instr.index!;
    switch (instr.op) {
      case 'local.get':
        return this.pushVal(this.local(index));
      case 'local.set':
        this.popExpect(this.local(index));
        return;
      case 'local.tee': {
        const t = this.local(index);
        this.popExpect(t);
        return this.pushVal(t);
      }
      case 'global.get':
        return this.pushVal(this.global(index).type);
      case 'global.set': {
        const g = this.global(index);
        if (!g.mutable) throw this.fail(`global is immutable: global.set of global ${index}`);
        this.popExpect(g.type);
        return;
      }
      case 'table.get':
        this.popExpect('i32');
        return this.pushVal(this.table(index).elem);
      case 'table.set':
        this.popExpect(this.table(index).elem);
        this.popExpect('i32');
        return;
      case 'table.size':
        this.table(index);
        return this.pushVal('i32');
      case 'table.grow':
        this.popExpect('i32');
        this.popExpect(this.table(index).elem);
        return this.pushVal('i32');
      case 'table.fill':
        this.popExpect('i32');
        this.popExpect(this.table(index).elem);
        this.popExpect('i32');
        return;
      case 'ref.null':
        return this.pushVal(instr.types![0]!);
      case 'ref.is_null': {
        const t = this.popVal();
        if (!isRef(t) && t !== 'unknown') throw this.fail(`type mismatch: ref.is_null expects a reference, found ${t}`);
        return this.pushVal('i32');
      }
      case 'ref.func':
        this.func(index);
        if (!this.ctx.refs.has(index)) throw this.fail(`undeclared function reference ${index}`);
        return this.pushVal('funcref');
      default:
        throw this.fail(`unknown instruction '${instr.op}'`);
    }
  }
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
