// The one table of WebAssembly 2.0 instructions (SIMD excluded): mnemonic, encoding,
// immediate kind and, for instructions whose typing is a fixed signature, the operand and
// result types. The decoder reads encodings and immediates from it; the validator reads
// the signatures (and the natural alignment of memory accesses). Instructions without a
// `sig` have typing rules of their own in the validator (control, variables, references...).
//
// Opcodes of proposals mcu-aot does not accept are listed separately with the feature's
// name, so the decoder can say "exception handling" instead of "unknown opcode".

import type { NumType, ValType } from './module.js';

/** What follows the opcode in the binary, and which Instr fields it fills. */
export type ImmKind =
  | 'none'
  | 'blocktype' // blockType
  | 'label' // index: label depth
  | 'br_table' // depths, then default depth in index
  | 'func' // index: function index
  | 'call_indirect' // index: type index, index2: table index
  | 'local' // index
  | 'global' // index
  | 'table' // index: table index
  | 'memarg' // memarg: align (log2) and offset
  | 'memory' // one reserved memory index byte, which must be 0x00
  | 'i32' // value: number
  | 'i64' // value: bigint
  | 'f32' // value: raw bits, number
  | 'f64' // value: raw bits, bigint
  | 'select_t' // types: vec(valtype)
  | 'reftype' // types: [reftype]
  | 'data' // index: data segment index
  | 'elem' // index: element segment index
  | 'memory.init' // index: data segment index, then a reserved 0x00 byte
  | 'memory.copy' // two reserved 0x00 bytes
  | 'table.init' // index: element segment index, index2: table index
  | 'table.copy'; // index: destination table, index2: source table

export interface Signature {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface OpcodeInfo {
  /** The Wasm mnemonic, e.g. 'i32.add'. */
  readonly name: string;
  /** The opcode byte; for 0xFC-prefixed instructions, 0xFC. */
  readonly code: number;
  /** For 0xFC-prefixed instructions, the u32 sub-opcode. */
  readonly sub?: number;
  readonly imm: ImmKind;
  /** Stack signature for instructions typed by a fixed signature. */
  readonly sig?: Signature;
  /** Loads and stores: log2 of the access width, the largest alignment allowed. */
  readonly naturalAlign?: number;
}

const I32: NumType = 'i32';
const I64: NumType = 'i64';
const F32: NumType = 'f32';
const F64: NumType = 'f64';

/** An instruction with a fixed signature and no immediate. */
function op(name: string, code: number, params: ValType[], results: ValType[]): OpcodeInfo {
  return { name, code, imm: 'none', sig: { params, results } };
}

/** An instruction with special typing (no `sig`). */
function special(name: string, code: number, imm: ImmKind): OpcodeInfo {
  return { name, code, imm };
}

/** A 0xFC-prefixed instruction. */
function prefixed(name: string, sub: number, imm: ImmKind, sig?: Signature): OpcodeInfo {
  return sig ? { name, code: 0xfc, sub, imm, sig } : { name, code: 0xfc, sub, imm };
}

function load(name: string, code: number, result: NumType, naturalAlign: number): OpcodeInfo {
  return { name, code, imm: 'memarg', sig: { params: [I32], results: [result] }, naturalAlign };
}

function store(name: string, code: number, value: NumType, naturalAlign: number): OpcodeInfo {
  return { name, code, imm: 'memarg', sig: { params: [I32, value], results: [] }, naturalAlign };
}

function constant(name: string, code: number, type: NumType): OpcodeInfo {
  return { name, code, imm: type, sig: { params: [], results: [type] } };
}

const unary = (t: NumType): [ValType[], ValType[]] => [[t], [t]];
const binary = (t: NumType): [ValType[], ValType[]] => [[t, t], [t]];
const test = (t: NumType): [ValType[], ValType[]] => [[t], [I32]];
const compare = (t: NumType): [ValType[], ValType[]] => [[t, t], [I32]];
const convert = (from: NumType, to: NumType): [ValType[], ValType[]] => [[from], [to]];

export const OPCODES: readonly OpcodeInfo[] = [
  // Control
  special('unreachable', 0x00, 'none'),
  special('nop', 0x01, 'none'),
  special('block', 0x02, 'blocktype'),
  special('loop', 0x03, 'blocktype'),
  special('if', 0x04, 'blocktype'),
  special('else', 0x05, 'none'),
  special('end', 0x0b, 'none'),
  special('br', 0x0c, 'label'),
  special('br_if', 0x0d, 'label'),
  special('br_table', 0x0e, 'br_table'),
  special('return', 0x0f, 'none'),
  special('call', 0x10, 'func'),
  special('call_indirect', 0x11, 'call_indirect'),

  // Parametric
  special('drop', 0x1a, 'none'),
  special('select', 0x1b, 'none'),
  special('select', 0x1c, 'select_t'), // typed select: `types` holds its one result type

  // Variables and tables
  special('local.get', 0x20, 'local'),
  special('local.set', 0x21, 'local'),
  special('local.tee', 0x22, 'local'),
  special('global.get', 0x23, 'global'),
  special('global.set', 0x24, 'global'),
  special('table.get', 0x25, 'table'),
  special('table.set', 0x26, 'table'),

  // Memory
  load('i32.load', 0x28, I32, 2),
  load('i64.load', 0x29, I64, 3),
  load('f32.load', 0x2a, F32, 2),
  load('f64.load', 0x2b, F64, 3),
  load('i32.load8_s', 0x2c, I32, 0),
  load('i32.load8_u', 0x2d, I32, 0),
  load('i32.load16_s', 0x2e, I32, 1),
  load('i32.load16_u', 0x2f, I32, 1),
  load('i64.load8_s', 0x30, I64, 0),
  load('i64.load8_u', 0x31, I64, 0),
  load('i64.load16_s', 0x32, I64, 1),
  load('i64.load16_u', 0x33, I64, 1),
  load('i64.load32_s', 0x34, I64, 2),
  load('i64.load32_u', 0x35, I64, 2),
  store('i32.store', 0x36, I32, 2),
  store('i64.store', 0x37, I64, 3),
  store('f32.store', 0x38, F32, 2),
  store('f64.store', 0x39, F64, 3),
  store('i32.store8', 0x3a, I32, 0),
  store('i32.store16', 0x3b, I32, 1),
  store('i64.store8', 0x3c, I64, 0),
  store('i64.store16', 0x3d, I64, 1),
  store('i64.store32', 0x3e, I64, 2),
  { name: 'memory.size', code: 0x3f, imm: 'memory', sig: { params: [], results: [I32] } },
  { name: 'memory.grow', code: 0x40, imm: 'memory', sig: { params: [I32], results: [I32] } },

  // Constants
  constant('i32.const', 0x41, I32),
  constant('i64.const', 0x42, I64),
  constant('f32.const', 0x43, F32),
  constant('f64.const', 0x44, F64),

  // i32 comparisons
  op('i32.eqz', 0x45, ...test(I32)),
  op('i32.eq', 0x46, ...compare(I32)),
  op('i32.ne', 0x47, ...compare(I32)),
  op('i32.lt_s', 0x48, ...compare(I32)),
  op('i32.lt_u', 0x49, ...compare(I32)),
  op('i32.gt_s', 0x4a, ...compare(I32)),
  op('i32.gt_u', 0x4b, ...compare(I32)),
  op('i32.le_s', 0x4c, ...compare(I32)),
  op('i32.le_u', 0x4d, ...compare(I32)),
  op('i32.ge_s', 0x4e, ...compare(I32)),
  op('i32.ge_u', 0x4f, ...compare(I32)),

  // i64 comparisons
  op('i64.eqz', 0x50, ...test(I64)),
  op('i64.eq', 0x51, ...compare(I64)),
  op('i64.ne', 0x52, ...compare(I64)),
  op('i64.lt_s', 0x53, ...compare(I64)),
  op('i64.lt_u', 0x54, ...compare(I64)),
  op('i64.gt_s', 0x55, ...compare(I64)),
  op('i64.gt_u', 0x56, ...compare(I64)),
  op('i64.le_s', 0x57, ...compare(I64)),
  op('i64.le_u', 0x58, ...compare(I64)),
  op('i64.ge_s', 0x59, ...compare(I64)),
  op('i64.ge_u', 0x5a, ...compare(I64)),

  // f32 and f64 comparisons
  op('f32.eq', 0x5b, ...compare(F32)),
  op('f32.ne', 0x5c, ...compare(F32)),
  op('f32.lt', 0x5d, ...compare(F32)),
  op('f32.gt', 0x5e, ...compare(F32)),
  op('f32.le', 0x5f, ...compare(F32)),
  op('f32.ge', 0x60, ...compare(F32)),
  op('f64.eq', 0x61, ...compare(F64)),
  op('f64.ne', 0x62, ...compare(F64)),
  op('f64.lt', 0x63, ...compare(F64)),
  op('f64.gt', 0x64, ...compare(F64)),
  op('f64.le', 0x65, ...compare(F64)),
  op('f64.ge', 0x66, ...compare(F64)),

  // i32 arithmetic
  op('i32.clz', 0x67, ...unary(I32)),
  op('i32.ctz', 0x68, ...unary(I32)),
  op('i32.popcnt', 0x69, ...unary(I32)),
  op('i32.add', 0x6a, ...binary(I32)),
  op('i32.sub', 0x6b, ...binary(I32)),
  op('i32.mul', 0x6c, ...binary(I32)),
  op('i32.div_s', 0x6d, ...binary(I32)),
  op('i32.div_u', 0x6e, ...binary(I32)),
  op('i32.rem_s', 0x6f, ...binary(I32)),
  op('i32.rem_u', 0x70, ...binary(I32)),
  op('i32.and', 0x71, ...binary(I32)),
  op('i32.or', 0x72, ...binary(I32)),
  op('i32.xor', 0x73, ...binary(I32)),
  op('i32.shl', 0x74, ...binary(I32)),
  op('i32.shr_s', 0x75, ...binary(I32)),
  op('i32.shr_u', 0x76, ...binary(I32)),
  op('i32.rotl', 0x77, ...binary(I32)),
  op('i32.rotr', 0x78, ...binary(I32)),

  // i64 arithmetic
  op('i64.clz', 0x79, ...unary(I64)),
  op('i64.ctz', 0x7a, ...unary(I64)),
  op('i64.popcnt', 0x7b, ...unary(I64)),
  op('i64.add', 0x7c, ...binary(I64)),
  op('i64.sub', 0x7d, ...binary(I64)),
  op('i64.mul', 0x7e, ...binary(I64)),
  op('i64.div_s', 0x7f, ...binary(I64)),
  op('i64.div_u', 0x80, ...binary(I64)),
  op('i64.rem_s', 0x81, ...binary(I64)),
  op('i64.rem_u', 0x82, ...binary(I64)),
  op('i64.and', 0x83, ...binary(I64)),
  op('i64.or', 0x84, ...binary(I64)),
  op('i64.xor', 0x85, ...binary(I64)),
  op('i64.shl', 0x86, ...binary(I64)),
  op('i64.shr_s', 0x87, ...binary(I64)),
  op('i64.shr_u', 0x88, ...binary(I64)),
  op('i64.rotl', 0x89, ...binary(I64)),
  op('i64.rotr', 0x8a, ...binary(I64)),

  // f32 arithmetic
  op('f32.abs', 0x8b, ...unary(F32)),
  op('f32.neg', 0x8c, ...unary(F32)),
  op('f32.ceil', 0x8d, ...unary(F32)),
  op('f32.floor', 0x8e, ...unary(F32)),
  op('f32.trunc', 0x8f, ...unary(F32)),
  op('f32.nearest', 0x90, ...unary(F32)),
  op('f32.sqrt', 0x91, ...unary(F32)),
  op('f32.add', 0x92, ...binary(F32)),
  op('f32.sub', 0x93, ...binary(F32)),
  op('f32.mul', 0x94, ...binary(F32)),
  op('f32.div', 0x95, ...binary(F32)),
  op('f32.min', 0x96, ...binary(F32)),
  op('f32.max', 0x97, ...binary(F32)),
  op('f32.copysign', 0x98, ...binary(F32)),

  // f64 arithmetic
  op('f64.abs', 0x99, ...unary(F64)),
  op('f64.neg', 0x9a, ...unary(F64)),
  op('f64.ceil', 0x9b, ...unary(F64)),
  op('f64.floor', 0x9c, ...unary(F64)),
  op('f64.trunc', 0x9d, ...unary(F64)),
  op('f64.nearest', 0x9e, ...unary(F64)),
  op('f64.sqrt', 0x9f, ...unary(F64)),
  op('f64.add', 0xa0, ...binary(F64)),
  op('f64.sub', 0xa1, ...binary(F64)),
  op('f64.mul', 0xa2, ...binary(F64)),
  op('f64.div', 0xa3, ...binary(F64)),
  op('f64.min', 0xa4, ...binary(F64)),
  op('f64.max', 0xa5, ...binary(F64)),
  op('f64.copysign', 0xa6, ...binary(F64)),

  // Conversions
  op('i32.wrap_i64', 0xa7, ...convert(I64, I32)),
  op('i32.trunc_f32_s', 0xa8, ...convert(F32, I32)),
  op('i32.trunc_f32_u', 0xa9, ...convert(F32, I32)),
  op('i32.trunc_f64_s', 0xaa, ...convert(F64, I32)),
  op('i32.trunc_f64_u', 0xab, ...convert(F64, I32)),
  op('i64.extend_i32_s', 0xac, ...convert(I32, I64)),
  op('i64.extend_i32_u', 0xad, ...convert(I32, I64)),
  op('i64.trunc_f32_s', 0xae, ...convert(F32, I64)),
  op('i64.trunc_f32_u', 0xaf, ...convert(F32, I64)),
  op('i64.trunc_f64_s', 0xb0, ...convert(F64, I64)),
  op('i64.trunc_f64_u', 0xb1, ...convert(F64, I64)),
  op('f32.convert_i32_s', 0xb2, ...convert(I32, F32)),
  op('f32.convert_i32_u', 0xb3, ...convert(I32, F32)),
  op('f32.convert_i64_s', 0xb4, ...convert(I64, F32)),
  op('f32.convert_i64_u', 0xb5, ...convert(I64, F32)),
  op('f32.demote_f64', 0xb6, ...convert(F64, F32)),
  op('f64.convert_i32_s', 0xb7, ...convert(I32, F64)),
  op('f64.convert_i32_u', 0xb8, ...convert(I32, F64)),
  op('f64.convert_i64_s', 0xb9, ...convert(I64, F64)),
  op('f64.convert_i64_u', 0xba, ...convert(I64, F64)),
  op('f64.promote_f32', 0xbb, ...convert(F32, F64)),
  op('i32.reinterpret_f32', 0xbc, ...convert(F32, I32)),
  op('i64.reinterpret_f64', 0xbd, ...convert(F64, I64)),
  op('f32.reinterpret_i32', 0xbe, ...convert(I32, F32)),
  op('f64.reinterpret_i64', 0xbf, ...convert(I64, F64)),

  // Sign extension
  op('i32.extend8_s', 0xc0, ...unary(I32)),
  op('i32.extend16_s', 0xc1, ...unary(I32)),
  op('i64.extend8_s', 0xc2, ...unary(I64)),
  op('i64.extend16_s', 0xc3, ...unary(I64)),
  op('i64.extend32_s', 0xc4, ...unary(I64)),

  // Reference types
  special('ref.null', 0xd0, 'reftype'),
  special('ref.is_null', 0xd1, 'none'),
  special('ref.func', 0xd2, 'func'),

  // Non-trapping float-to-int
  prefixed('i32.trunc_sat_f32_s', 0, 'none', { params: [F32], results: [I32] }),
  prefixed('i32.trunc_sat_f32_u', 1, 'none', { params: [F32], results: [I32] }),
  prefixed('i32.trunc_sat_f64_s', 2, 'none', { params: [F64], results: [I32] }),
  prefixed('i32.trunc_sat_f64_u', 3, 'none', { params: [F64], results: [I32] }),
  prefixed('i64.trunc_sat_f32_s', 4, 'none', { params: [F32], results: [I64] }),
  prefixed('i64.trunc_sat_f32_u', 5, 'none', { params: [F32], results: [I64] }),
  prefixed('i64.trunc_sat_f64_s', 6, 'none', { params: [F64], results: [I64] }),
  prefixed('i64.trunc_sat_f64_u', 7, 'none', { params: [F64], results: [I64] }),

  // Bulk memory and tables
  prefixed('memory.init', 8, 'memory.init', { params: [I32, I32, I32], results: [] }),
  prefixed('data.drop', 9, 'data', { params: [], results: [] }),
  prefixed('memory.copy', 10, 'memory.copy', { params: [I32, I32, I32], results: [] }),
  prefixed('memory.fill', 11, 'memory', { params: [I32, I32, I32], results: [] }),
  prefixed('table.init', 12, 'table.init', { params: [I32, I32, I32], results: [] }),
  prefixed('elem.drop', 13, 'elem', { params: [], results: [] }),
  prefixed('table.copy', 14, 'table.copy', { params: [I32, I32, I32], results: [] }),
  prefixed('table.grow', 15, 'table'),
  prefixed('table.size', 16, 'table'),
  prefixed('table.fill', 17, 'table'),
];

/** The 0xFC prefix byte of the non-trapping conversion and bulk memory/table instructions. */
export const PREFIX_FC = 0xfc;

/** Single-byte opcodes, indexed by their byte. */
export const OPCODE_BY_BYTE: readonly (OpcodeInfo | undefined)[] = (() => {
  const table: (OpcodeInfo | undefined)[] = new Array(256).fill(undefined);
  for (const info of OPCODES) if (info.sub === undefined) table[info.code] = info;
  return table;
})();

/** 0xFC-prefixed opcodes, indexed by their sub-opcode. */
export const OPCODE_BY_FC_SUB: readonly (OpcodeInfo | undefined)[] = (() => {
  const table: (OpcodeInfo | undefined)[] = [];
  for (const info of OPCODES) if (info.sub !== undefined) table[info.sub] = info;
  return table;
})();

/** Every opcode by its mnemonic (for 'select', the untyped 0x1B form). */
export const OPCODE_BY_NAME: ReadonlyMap<string, OpcodeInfo> = (() => {
  const map = new Map<string, OpcodeInfo>();
  for (const info of OPCODES) if (!map.has(info.name)) map.set(info.name, info);
  return map;
})();

/** The row for mnemonic `name` (the `op` of a decoded Instr). */
export function opcodeInfo(name: string): OpcodeInfo | undefined {
  return OPCODE_BY_NAME.get(name);
}

/**
 * Opcode bytes of proposals mcu-aot rejects, with the feature's name. The decoder reports
 * these as 'unsupported-feature' rather than as unknown opcodes.
 */
export const UNSUPPORTED_OPCODES: ReadonlyMap<number, string> = new Map([
  [0x06, 'exception handling (try)'],
  [0x07, 'exception handling (catch)'],
  [0x08, 'exception handling (throw)'],
  [0x09, 'exception handling (rethrow)'],
  [0x0a, 'exception handling (throw_ref)'],
  [0x18, 'exception handling (delegate)'],
  [0x19, 'exception handling (catch_all)'],
  [0x1f, 'exception handling (try_table)'],
  [0x12, 'tail calls (return_call)'],
  [0x13, 'tail calls (return_call_indirect)'],
  [0x14, 'typed function references (call_ref)'],
  [0x15, 'typed function references / tail calls (return_call_ref)'],
  [0xd3, 'GC (ref.eq)'],
  [0xd4, 'typed function references (ref.as_non_null)'],
  [0xd5, 'typed function references (br_on_null)'],
  [0xd6, 'typed function references (br_on_non_null)'],
  [0xfb, 'GC'],
  [0xfd, 'SIMD'],
  [0xfe, 'threads/atomics'],
]);
