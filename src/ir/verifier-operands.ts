// The verifier's per-instruction rules: immediates, argument and result counts and types,
// from the opcode table plus the few opcode-specific rules the table cannot express.
// verifier.ts runs these on every instruction; it owns the structural and SSA invariants.

import type { Inst, IrFunction, MemAccess, Signature } from './function.js';
import { opInfo, type ImmKind, type Opcode } from './opcodes.js';
import { impliedResultType } from './text-syntax.js';
import { FLOAT_CCS, INT_CCS, TRAP_KINDS, type Type, type Value } from './types.js';

/** What the verifier may know about the module around the function. Every lookup is
 *  optional: a check that needs a missing one is skipped. */
export interface VerifyContext {
  /** Signature of function `index` (function index space), for `call`. */
  readonly functionSignature?: (index: number) => Signature | undefined;
  /** Signature of type index `index`, for `call_indirect`. */
  readonly typeSignature?: (index: number) => Signature | undefined;
  /** Type and mutability of global `index`. */
  readonly global?: (index: number) => { readonly type: Type; readonly mutable: boolean } | undefined;
  readonly tableCount?: number;
}

type Report = (message: string) => void;

interface Operands {
  readonly f: IrFunction;
  readonly inst: Inst;
  readonly ctx: VerifyContext;
  readonly report: Report;
  /** Type of a value, undefined when it has no table entry (reported elsewhere). */
  readonly typeOf: (v: Value) => Type | undefined;
}

const BYTES: Record<Type, number> = { i32: 4, i64: 8, f32: 4, f64: 8 };
const isInt = (t: Type | undefined): boolean => t === 'i32' || t === 'i64';
const isFloat = (t: Type | undefined): boolean => t === 'f32' || t === 'f64';

export function checkOperands(f: IrFunction, inst: Inst, ctx: VerifyContext, report: Report): void {
  const o: Operands = { f, inst, ctx, report, typeOf: (v) => f.values[v]?.type };
  checkImmediates(o);
  checkArity(o);
  checkResults(o);
  checkIntOnly(o);
  checkFloatOnly(o);
  checkOrigin(o);
  OPCODE_RULES[inst.op]?.(o);
}

/** An inlined instruction's origin names a function of the module (the trap table names it). */
function checkOrigin({ inst, ctx, report }: Operands): void {
  if (inst.origin === undefined) return;
  if (!(Number.isInteger(inst.origin) && inst.origin >= 0)) report(`origin ${inst.origin} is not a non-negative integer`);
  else if (ctx.functionSignature !== undefined && ctx.functionSignature(inst.origin) === undefined) report(`origin f${inst.origin} is not a function of the module`);
}

/** Which Inst fields each immediate kind requires; any other immediate field is stray. */
const IMM_FIELDS: Record<ImmKind, readonly (keyof Inst)[]> = {
  none: [],
  const: ['imm'],
  cc: ['cc'],
  fcc: ['fcc'],
  bits: ['imm'],
  mem: ['mem'],
  global: ['index'],
  func: ['index'],
  sig: ['index', 'table'],
  trap: ['trap'],
  data: ['index'],
  table: ['table'],
  table_pair: ['index', 'table'],
  elem: ['index'],
  elem_table: ['index', 'table'],
};
const ALL_IMM_FIELDS: readonly (keyof Inst)[] = ['imm', 'cc', 'fcc', 'mem', 'index', 'table', 'trap'];

function checkImmediates({ inst, report }: Operands): void {
  const wanted = IMM_FIELDS[opInfo(inst.op).imm];
  for (const field of ALL_IMM_FIELDS) {
    const present = inst[field] !== undefined;
    if (wanted.includes(field) && !present) report(`missing immediate '${field}'`);
    if (!wanted.includes(field) && present) report(`unexpected immediate '${field}' on ${inst.op}`);
  }
  if (inst.cc !== undefined && !INT_CCS.includes(inst.cc)) report(`unknown condition '${inst.cc}'`);
  if (inst.fcc !== undefined && !FLOAT_CCS.includes(inst.fcc)) report(`unknown float condition '${inst.fcc}'`);
  if (inst.trap !== undefined && !Object.prototype.hasOwnProperty.call(TRAP_KINDS, inst.trap)) report(`unknown trap kind '${inst.trap}'`);
  for (const field of ['index', 'table'] as const) {
    const n = inst[field];
    if (n !== undefined && !(Number.isInteger(n) && n >= 0)) report(`${field} ${n} is not a non-negative integer`);
  }
  if (inst.mem !== undefined) checkMemImmediate(inst.mem, report);
  if (inst.type !== undefined && opInfo(inst.op).result !== 'explicit') report(`unexpected type '${inst.type}' on ${inst.op}`);
}

function checkMemImmediate(mem: MemAccess, report: Report): void {
  if (!(Number.isInteger(mem.offset) && mem.offset >= 0 && mem.offset <= 0xffffffff)) report(`memory offset ${mem.offset} is not a u32`);
  if (![1, 2, 4, 8].includes(mem.bytes)) report(`memory access of ${mem.bytes} bytes`);
}

function checkArity({ inst, report }: Operands): void {
  const rule = opInfo(inst.op).args;
  if (typeof rule === 'number' && inst.args.length !== rule) report(`${inst.op} takes ${rule} args, has ${inst.args.length}`);
  if (opInfo(inst.op).terminator !== true && inst.targets.length > 0) report(`${inst.op} is not a terminator but has branch targets`);
}

function checkResults(o: Operands): void {
  const { inst, report, typeOf } = o;
  const rule = opInfo(inst.op).result;
  if (rule === 'signature') return; // calls: checked against the callee's signature
  const expected = rule === 'none' ? 0 : 1;
  if (inst.results.length !== expected) {
    report(`${inst.op} defines ${expected} result${expected === 1 ? '' : 's'}, has ${inst.results.length}`);
    return;
  }
  if (rule === 'explicit' && inst.type === undefined) report(`${inst.op} needs a result type`);
  const want = impliedResultType(inst, 0, typeOf);
  const have = inst.results[0] === undefined ? undefined : typeOf(inst.results[0]);
  if (want !== undefined && have !== undefined && want !== have) report(`result v${inst.results[0]} has type ${have}, expected ${want}`);
}

/** intOnly opcodes: the type they operate on (first arg, or the stated type) is an integer. */
function checkIntOnly({ inst, report, typeOf }: Operands): void {
  if (opInfo(inst.op).intOnly !== true) return;
  const operated = inst.args[0] !== undefined ? typeOf(inst.args[0]) : inst.type;
  if (operated !== undefined && !isInt(operated)) report(`${inst.op} operates on integers, not ${operated}`);
}

/** floatOnly opcodes: the type they operate on (first arg, or the stated type) is a float. */
function checkFloatOnly({ inst, report, typeOf }: Operands): void {
  if (opInfo(inst.op).floatOnly !== true) return;
  const operated = inst.args[0] !== undefined ? typeOf(inst.args[0]) : inst.type;
  if (operated !== undefined && !isFloat(operated)) report(`${inst.op} operates on floats, not ${operated}`);
}

function expectType(o: Operands, argIndex: number, want: Type | undefined, what: string): void {
  const v = o.inst.args[argIndex];
  const have = v === undefined ? undefined : o.typeOf(v);
  if (want !== undefined && have !== undefined && have !== want) o.report(`${what} v${v} has type ${have}, expected ${want}`);
}

/** Every argument has the type of the first (binary arithmetic, icmp). */
function sameTypeArgs(o: Operands): void {
  const first = o.inst.args[0] === undefined ? undefined : o.typeOf(o.inst.args[0]);
  for (let i = 1; i < o.inst.args.length; i++) expectType(o, i, first, `arg ${i}`);
}

function checkConst(o: Operands): void {
  const { inst, report } = o;
  if (inst.imm === undefined) return; // reported as a missing immediate
  if (inst.type === 'i32' && !(typeof inst.imm === 'number' && Number.isInteger(inst.imm) && inst.imm === (inst.imm | 0))) {
    report(`iconst.i32 immediate ${String(inst.imm)} is not a signed 32-bit number`);
  }
  if (inst.type === 'i64' && !(typeof inst.imm === 'bigint' && inst.imm === BigInt.asIntN(64, inst.imm))) {
    report(`iconst.i64 immediate ${String(inst.imm)} is not a signed 64-bit bigint`);
  }
}

/** fconst holds raw bits exactly as iconst of the same width would. */
function checkFloatConst(o: Operands): void {
  const { inst, report } = o;
  if (inst.imm === undefined) return;
  if (inst.type === 'f32' && !(typeof inst.imm === 'number' && Number.isInteger(inst.imm) && inst.imm === (inst.imm | 0))) {
    report(`fconst.f32 bits ${String(inst.imm)} are not a signed 32-bit number`);
  }
  if (inst.type === 'f64' && !(typeof inst.imm === 'bigint' && inst.imm === BigInt.asIntN(64, inst.imm))) {
    report(`fconst.f64 bits ${String(inst.imm)} are not a signed 64-bit bigint`);
  }
}

/** A conversion between the integer and float classes (either way, any width), or, for
 *  bitcast, between the two types of the same width. */
function checkConversion(from: 'int' | 'float', to: 'int' | 'float', sameWidth = false) {
  const isClass = (t: Type, c: 'int' | 'float'): boolean => (c === 'int' ? isInt(t) : isFloat(t));
  return (o: Operands): void => {
    const v = o.inst.args[0];
    const have = v === undefined ? undefined : o.typeOf(v);
    const to_ = o.inst.type;
    if (have !== undefined && !isClass(have, from)) o.report(`${o.inst.op} operand v${v} has type ${have}, expected ${from === 'int' ? 'an integer' : 'a float'}`);
    if (to_ !== undefined && !isClass(to_, to)) o.report(`${o.inst.op} produces ${to === 'int' ? 'an integer' : 'a float'}, not ${to_}`);
    if (sameWidth && have !== undefined && to_ !== undefined && BYTES[have] !== BYTES[to_]) o.report(`bitcast from ${have} to ${to_} changes the width`);
  };
}

function checkBitcast(o: Operands): void {
  const v = o.inst.args[0];
  const have = v === undefined ? undefined : o.typeOf(v);
  if (have !== undefined && isFloat(have)) checkConversion('float', 'int', true)(o);
  else checkConversion('int', 'float', true)(o);
}

function checkSextendLow(o: Operands): void {
  const { inst, report } = o;
  const type = inst.args[0] === undefined ? undefined : o.typeOf(inst.args[0]);
  if (typeof inst.imm !== 'number' || ![8, 16, 32].includes(inst.imm)) report(`sextend_low bit count ${String(inst.imm)} is not 8, 16 or 32`);
  else if (type !== undefined && isInt(type) && inst.imm >= BYTES[type] * 8) report(`sextend_low of ${inst.imm} bits must be narrower than ${type}`);
}

function checkWidening(from: Type, to: Type) {
  return (o: Operands): void => {
    expectType(o, 0, from, 'operand');
    if (o.inst.type !== undefined && o.inst.type !== to) o.report(`${o.inst.op} produces ${to}, not ${o.inst.type}`);
  };
}

/** Access widths consistent with the value's type: integers at most their size (so 8 bytes
 *  only for i64), floats exactly their size; sign extension only for narrow integer loads. */
function checkAccessWidth(o: Operands, type: Type | undefined, isLoad: boolean): void {
  const mem = o.inst.mem;
  if (mem === undefined || type === undefined) return;
  const access = `${mem.bytes}-byte ${o.inst.op} of type ${type}`;
  if (isInt(type) ? mem.bytes > BYTES[type] : mem.bytes !== BYTES[type]) o.report(`${access}: wrong width`);
  if (mem.signed && !(isLoad && isInt(type) && mem.bytes < BYTES[type])) o.report(`${access}: sign extension only applies to narrow integer loads`);
}

/** A peripheral register access: an i32 value, 1, 2 or 4 bytes, zero-extended. */
function checkMmioAccess(o: Operands, type: Type | undefined): void {
  const mem = o.inst.mem;
  if (type !== undefined && type !== 'i32') o.report(`${o.inst.op} of type ${type}: peripheral accesses are i32`);
  if (mem !== undefined && mem.bytes === 8) o.report(`${o.inst.op} of 8 bytes: at most 4`);
  if (mem?.signed === true) o.report(`${o.inst.op} cannot sign-extend`);
}

function checkGlobal(o: Operands, isSet: boolean): void {
  const global = o.inst.index === undefined ? undefined : o.ctx.global?.(o.inst.index);
  if (o.ctx.global !== undefined && o.inst.index !== undefined && global === undefined) o.report(`no global g${o.inst.index}`);
  if (global === undefined) return;
  if (isSet) {
    expectType(o, 0, global.type, 'value');
    if (!global.mutable) o.report(`global_set of immutable global g${o.inst.index}`);
  } else if (o.inst.type !== undefined && o.inst.type !== global.type) {
    o.report(`global_get.${o.inst.type} of g${o.inst.index}, which is ${global.type}`);
  }
}

/** Arguments and results of a call against the callee's signature. */
function checkCallSignature(o: Operands, sig: Signature, argCount: number): void {
  const { inst, report, typeOf } = o;
  if (argCount !== sig.params.length) report(`callee takes ${sig.params.length} args, given ${argCount}`);
  else sig.params.forEach((t, i) => expectType(o, i, t, `arg ${i}`));
  if (inst.results.length !== sig.results.length) report(`callee returns ${sig.results.length} values, ${inst.op} defines ${inst.results.length}`);
  else {
    inst.results.forEach((r, i) => {
      const have = typeOf(r);
      if (have !== undefined && have !== sig.results[i]) report(`result v${r} has type ${have}, callee returns ${sig.results[i]}`);
    });
  }
}

function checkCall(o: Operands): void {
  const { inst, ctx } = o;
  if (inst.index === undefined || ctx.functionSignature === undefined) return;
  const sig = ctx.functionSignature(inst.index);
  if (sig === undefined) o.report(`no function f${inst.index}`);
  else checkCallSignature(o, sig, inst.args.length);
}

function checkCallIndirect(o: Operands): void {
  const { inst, ctx } = o;
  if (inst.args.length === 0) {
    o.report('call_indirect needs the element index as its last arg');
    return;
  }
  expectType(o, inst.args.length - 1, 'i32', 'element index');
  if (inst.table !== undefined && ctx.tableCount !== undefined && inst.table >= ctx.tableCount) o.report(`no table${inst.table}`);
  if (inst.index === undefined || ctx.typeSignature === undefined) return;
  const sig = ctx.typeSignature(inst.index);
  if (sig === undefined) o.report(`no signature sig${inst.index}`);
  else checkCallSignature(o, sig, inst.args.length - 1);
}

function checkReturn(o: Operands): void {
  const { inst, f, report } = o;
  if (inst.args.length !== f.sig.results.length) report(`returns ${inst.args.length} values, the signature has ${f.sig.results.length}`);
  else f.sig.results.forEach((t, i) => expectType(o, i, t, `return value ${i}`));
}

const OPCODE_RULES: Partial<Record<Opcode, (o: Operands) => void>> = {
  iconst: checkConst,
  iadd: sameTypeArgs, isub: sameTypeArgs, imul: sameTypeArgs,
  sdiv: sameTypeArgs, udiv: sameTypeArgs, srem: sameTypeArgs, urem: sameTypeArgs,
  band: sameTypeArgs, bor: sameTypeArgs, bxor: sameTypeArgs,
  shl: sameTypeArgs, sshr: sameTypeArgs, ushr: sameTypeArgs, rotl: sameTypeArgs, rotr: sameTypeArgs,
  icmp: sameTypeArgs,
  sextend_low: checkSextendLow,
  fconst: checkFloatConst,
  fadd: sameTypeArgs, fsub: sameTypeArgs, fmul: sameTypeArgs, fdiv: sameTypeArgs,
  fmin: sameTypeArgs, fmax: sameTypeArgs, fcopysign: sameTypeArgs, fcmp: sameTypeArgs,
  fpromote: checkWidening('f32', 'f64'),
  fdemote: checkWidening('f64', 'f32'),
  fcvt_to_sint: checkConversion('float', 'int'), fcvt_to_uint: checkConversion('float', 'int'),
  fcvt_to_sint_sat: checkConversion('float', 'int'), fcvt_to_uint_sat: checkConversion('float', 'int'),
  fcvt_from_sint: checkConversion('int', 'float'), fcvt_from_uint: checkConversion('int', 'float'),
  bitcast: checkBitcast,
  sextend: checkWidening('i32', 'i64'),
  uextend: checkWidening('i32', 'i64'),
  ireduce: checkWidening('i64', 'i32'),
  select: (o) => {
    expectType(o, 0, 'i32', 'condition');
    const last = o.inst.args[2] === undefined ? undefined : o.typeOf(o.inst.args[2]);
    expectType(o, 1, last, 'true value');
  },
  load: (o) => {
    expectType(o, 0, 'i32', 'address');
    checkAccessWidth(o, o.inst.type, true);
  },
  store: (o) => {
    expectType(o, 0, 'i32', 'address');
    checkAccessWidth(o, o.inst.args[1] === undefined ? undefined : o.typeOf(o.inst.args[1]), false);
  },
  mmio_load: (o) => {
    expectType(o, 0, 'i32', 'address');
    checkMmioAccess(o, o.inst.type);
  },
  mmio_store: (o) => {
    expectType(o, 0, 'i32', 'address');
    checkMmioAccess(o, o.inst.args[1] === undefined ? undefined : o.typeOf(o.inst.args[1]));
  },
  memory_grow: (o) => expectType(o, 0, 'i32', 'delta'),
  memory_copy: (o) => [0, 1, 2].forEach((i) => expectType(o, i, 'i32', `arg ${i}`)),
  memory_fill: (o) => [0, 1, 2].forEach((i) => expectType(o, i, 'i32', `arg ${i}`)),
  memory_init: (o) => [0, 1, 2].forEach((i) => expectType(o, i, 'i32', `arg ${i}`)),
  table_get: (o) => expectType(o, 0, 'i32', 'element index'),
  table_set: (o) => [0, 1].forEach((i) => expectType(o, i, 'i32', `arg ${i}`)),
  table_grow: (o) => [0, 1].forEach((i) => expectType(o, i, 'i32', `arg ${i}`)),
  table_fill: (o) => [0, 1, 2].forEach((i) => expectType(o, i, 'i32', `arg ${i}`)),
  table_copy: (o) => [0, 1, 2].forEach((i) => expectType(o, i, 'i32', `arg ${i}`)),
  table_init: (o) => [0, 1, 2].forEach((i) => expectType(o, i, 'i32', `arg ${i}`)),
  global_get: (o) => checkGlobal(o, false),
  global_set: (o) => checkGlobal(o, true),
  call: checkCall,
  call_indirect: checkCallIndirect,
  brif: (o) => expectType(o, 0, 'i32', 'condition'),
  br_table: (o) => expectType(o, 0, 'i32', 'index'),
  return: checkReturn,
};
