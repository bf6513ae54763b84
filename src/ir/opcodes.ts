// The IR opcode table: every opcode once, with what the printer, parser, verifier and the
// passes need to know about it. A missing row is a type error.

/** Which immediate fields an instruction of this opcode carries (see Inst). */
export type ImmKind =
  | 'none'
  | 'const' // imm: number (i32) or bigint (i64)
  | 'cc' // cc: IntCC
  | 'fcc' // fcc: FloatCC
  | 'bits' // imm: 8 | 16 | 32, width of the sign-extended low part
  | 'mem' // mem: MemAccess
  | 'global' // index: global index
  | 'func' // index: function index
  | 'sig' // index: signature (type) index, table: table index
  | 'trap' // trap: TrapKind
  | 'table' // table: table index
  | 'table_pair' // table: destination table, index: source table
  | 'elem' // index: element segment index
  | 'elem_table' // index: element segment index, table: table index
  | 'data'; // index: data segment index

/** How an instruction's result types are found. */
export type ResultRule =
  | 'none' // no result
  | 'same' // one result, the type of the first value argument (of the last for select)
  | 'i32' // one i32 result
  | 'explicit' // one result whose type the instruction states (inst.type)
  | 'signature'; // the callee's signature decides (calls)

/** What the argument list looks like. A number is a fixed arity. */
export type ArgRule = number | 'variadic';

export interface OpInfo {
  readonly imm: ImmKind;
  readonly args: ArgRule;
  readonly result: ResultRule;
  /** No side effects, no trap: may be removed when unused, moved, or merged. */
  readonly pure?: boolean;
  readonly commutative?: boolean;
  /** May trap (its own implicit check), so it may not be removed or speculated. */
  readonly mayTrap?: boolean;
  /** Reads or writes memory, globals or calls out. */
  readonly sideEffects?: boolean;
  /** Ends a block; the instruction carries `targets`. */
  readonly terminator?: boolean;
  /** Integer types only: i32 or i64. */
  readonly intOnly?: boolean;
  /** Float types only: f32 or f64. */
  readonly floatOnly?: boolean;
}

const binary = (extra: Partial<OpInfo> = {}): OpInfo => ({
  imm: 'none', args: 2, result: 'same', pure: true, intOnly: true, ...extra,
});
const unary = (extra: Partial<OpInfo> = {}): OpInfo => ({
  imm: 'none', args: 1, result: 'same', pure: true, intOnly: true, ...extra,
});
const trappingDivide: Partial<OpInfo> = { pure: false, mayTrap: true };
const floatBinary = (extra: Partial<OpInfo> = {}): OpInfo => binary({ intOnly: false, floatOnly: true, ...extra });
const floatUnary = (): OpInfo => unary({ intOnly: false, floatOnly: true });
/** A conversion between types: the result type is stated (inst.type). */
const conversion = (extra: Partial<OpInfo> = {}): OpInfo => ({ imm: 'none', args: 1, result: 'explicit', pure: true, ...extra });

export const OPCODES = {
  iconst: { imm: 'const', args: 0, result: 'explicit', pure: true, intOnly: true },

  iadd: binary({ commutative: true }),
  isub: binary(),
  imul: binary({ commutative: true }),
  sdiv: binary(trappingDivide), // traps on zero divisor and on MIN / -1
  udiv: binary(trappingDivide),
  srem: binary(trappingDivide), // traps on zero divisor; MIN % -1 is 0
  urem: binary(trappingDivide),
  band: binary({ commutative: true }),
  bor: binary({ commutative: true }),
  bxor: binary({ commutative: true }),
  shl: binary(), // shift amount taken modulo the bit width, as in Wasm
  sshr: binary(),
  ushr: binary(),
  rotl: binary(),
  rotr: binary(),

  clz: unary(),
  ctz: unary(),
  popcnt: unary(),
  /** Sign-extend the low `imm` bits in place (Wasm's i32.extend8_s and friends). */
  sextend_low: { imm: 'bits', args: 1, result: 'same', pure: true, intOnly: true },

  icmp: { imm: 'cc', args: 2, result: 'i32', pure: true, intOnly: true },

  /** i32 -> i64, signed. */
  sextend: { imm: 'none', args: 1, result: 'explicit', pure: true, intOnly: true },
  /** i32 -> i64, unsigned. */
  uextend: { imm: 'none', args: 1, result: 'explicit', pure: true, intOnly: true },
  /** i64 -> i32, keep the low half. */
  ireduce: { imm: 'none', args: 1, result: 'explicit', pure: true, intOnly: true },

  // Floats (f32, f64) with Wasm's IEEE 754 semantics; a NaN result may be any NaN unless
  // the opcode says otherwise.
  /** fconst: raw bits, a signed number for f32 and a signed bigint for f64 (like iconst). */
  fconst: { imm: 'const', args: 0, result: 'explicit', pure: true, floatOnly: true },
  fadd: floatBinary({ commutative: true }),
  fsub: floatBinary(),
  fmul: floatBinary({ commutative: true }),
  fdiv: floatBinary(),
  fmin: floatBinary(), // a NaN operand gives NaN; -0 < +0
  fmax: floatBinary(),
  fcopysign: floatBinary(), // magnitude of the first, sign of the second: bits only, NaNs kept
  fsqrt: floatUnary(), // correctly rounded
  fabs: floatUnary(), // clears the sign bit, NaNs kept
  fneg: floatUnary(), // flips the sign bit, NaNs kept
  fceil: floatUnary(),
  ffloor: floatUnary(),
  ftrunc: floatUnary(),
  fnearest: floatUnary(), // to the nearest integer, ties to even
  fcmp: { imm: 'fcc', args: 2, result: 'i32', pure: true, floatOnly: true },
  /** f32 -> f64, exact. */
  fpromote: conversion(),
  /** f64 -> f32, rounded to nearest even. */
  fdemote: conversion(),
  /** float -> int, truncated; traps 'invalid conversion to integer' on NaN and 'integer
   *  overflow' when the truncated value does not fit. */
  fcvt_to_sint: conversion({ pure: false, mayTrap: true }),
  fcvt_to_uint: conversion({ pure: false, mayTrap: true }),
  /** float -> int, truncated, saturating: NaN gives 0, out of range the nearest bound. */
  fcvt_to_sint_sat: conversion(),
  fcvt_to_uint_sat: conversion(),
  /** int (i32 or i64) -> float, rounded to nearest even. */
  fcvt_from_sint: conversion(),
  fcvt_from_uint: conversion(),
  /** Same bits, other type of the same width: i32 <-> f32, i64 <-> f64. */
  bitcast: conversion(),

  /** select(cond, ifTrue, ifFalse): cond is i32, nonzero picks ifTrue. */
  select: { imm: 'none', args: 3, result: 'same', pure: true },

  /** load(addr): bounds-checked linear memory read; result type in inst.type. */
  load: { imm: 'mem', args: 1, result: 'explicit', mayTrap: true, sideEffects: true },
  /** store(addr, value): bounds-checked linear memory write. */
  store: { imm: 'mem', args: 2, result: 'none', mayTrap: true, sideEffects: true },
  /** Current linear memory size in 64 KiB pages. */
  memory_size: { imm: 'none', args: 0, result: 'i32', sideEffects: true },
  /** memory_grow(delta pages): the old size in pages, or -1 when it cannot grow. */
  memory_grow: { imm: 'none', args: 1, result: 'i32', sideEffects: true },
  /** memory_copy(dst, src, n): overlap-correct copy; traps before writing when either range is out of bounds. */
  memory_copy: { imm: 'none', args: 3, result: 'none', mayTrap: true, sideEffects: true },
  /** memory_fill(dst, byte, n): traps before writing when the range is out of bounds. */
  memory_fill: { imm: 'none', args: 3, result: 'none', mayTrap: true, sideEffects: true },
  /** memory_init(dst, src, n): copy from data segment `index` (empty once dropped); checked first. */
  memory_init: { imm: 'data', args: 3, result: 'none', mayTrap: true, sideEffects: true },
  /** mmio_load(addr): read of the absolute address addr + offset (a peripheral register, not
   *  linear memory), mem.bytes 1, 2 or 4, zero-extended to i32. Unchecked: the lowering
   *  checks it against the granted ranges first. Never removed, even when unused. */
  mmio_load: { imm: 'mem', args: 1, result: 'explicit', sideEffects: true },
  /** mmio_store(addr, value): write of the low mem.bytes of value to addr + offset. */
  mmio_store: { imm: 'mem', args: 2, result: 'none', sideEffects: true },
  /** data_drop: data segment `index` becomes empty. */
  data_drop: { imm: 'data', args: 0, result: 'none', sideEffects: true },

  global_get: { imm: 'global', args: 0, result: 'explicit', sideEffects: true },
  global_set: { imm: 'global', args: 1, result: 'none', sideEffects: true },

  // References and tables (docs/abi.md, "Tables and references"): a reference is an i32,
  // null is 0, a funcref is the address of the function's descriptor.
  /** func_ref: the reference to function `index`. */
  func_ref: { imm: 'func', args: 0, result: 'i32', pure: true },
  /** table_get(i): element i of table `table`; traps 'out of bounds table access'. */
  table_get: { imm: 'table', args: 1, result: 'i32', mayTrap: true, sideEffects: true },
  /** table_set(i, ref): traps 'out of bounds table access'. */
  table_set: { imm: 'table', args: 2, result: 'none', mayTrap: true, sideEffects: true },
  /** table_size: the current number of elements. */
  table_size: { imm: 'table', args: 0, result: 'i32', sideEffects: true },
  /** table_grow(ref, delta): the old size, or -1 when the table cannot grow that far. */
  table_grow: { imm: 'table', args: 2, result: 'i32', sideEffects: true },
  /** table_fill(i, ref, n): checked before writing. */
  table_fill: { imm: 'table', args: 3, result: 'none', mayTrap: true, sideEffects: true },
  /** table_copy(dst, src, n): from table `index` into table `table`, overlap-correct, checked first. */
  table_copy: { imm: 'table_pair', args: 3, result: 'none', mayTrap: true, sideEffects: true },
  /** table_init(dst, src, n): from element segment `index` (empty once dropped) into table `table`. */
  table_init: { imm: 'elem_table', args: 3, result: 'none', mayTrap: true, sideEffects: true },
  /** elem_drop: element segment `index` becomes empty. */
  elem_drop: { imm: 'elem', args: 0, result: 'none', sideEffects: true },

  /** call(args...): direct call of function `index`. */
  call: { imm: 'func', args: 'variadic', result: 'signature', sideEffects: true, mayTrap: true },
  /** call_indirect(args..., elementIndex): checked call through table `table` with
   *  signature `index`. Traps: undefined element, uninitialized element, type mismatch. */
  call_indirect: { imm: 'sig', args: 'variadic', result: 'signature', sideEffects: true, mayTrap: true },

  /** Unconditional trap of kind `trap`. */
  trap: { imm: 'trap', args: 0, result: 'none', terminator: true, sideEffects: true },
  /** jump: targets[0]. */
  jump: { imm: 'none', args: 0, result: 'none', terminator: true },
  /** brif(cond): nonzero -> targets[0], zero -> targets[1]. */
  brif: { imm: 'none', args: 1, result: 'none', terminator: true },
  /** br_table(index): targets[i] for i < targets.length - 1, else the last (the default). */
  br_table: { imm: 'none', args: 1, result: 'none', terminator: true },
  /** return(values...). */
  return: { imm: 'none', args: 'variadic', result: 'none', terminator: true },
} as const satisfies Record<string, OpInfo>;

export type Opcode = keyof typeof OPCODES;

export function opInfo(op: Opcode): OpInfo {
  return OPCODES[op];
}

export function isOpcode(name: string): name is Opcode {
  return Object.prototype.hasOwnProperty.call(OPCODES, name);
}
