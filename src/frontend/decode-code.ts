// Decoding of instructions: function bodies (locals, then an instruction sequence closed
// by the function's final `end`) and constant expressions. Instructions are read by the
// opcode table; each becomes one Instr carrying its absolute offset and its immediates.
//
// A few checks that belong to validation are found here because the decoded form cannot
// represent their failure (a block type naming an unknown type, a non-constant instruction
// in a constant expression). They are not thrown at once: they go to `ctx.deferred`, and
// decodeModule throws the first one after the whole module has decoded, so a malformed
// module is reported as malformed even when it is also invalid.

import { UserError } from '../diagnostics/errors.js';
import type { BlockType, ConstExpr, FuncType, FunctionBody, Instr, MemArg, ValType } from './module.js';
import { OPCODE_BY_BYTE, OPCODE_BY_FC_SUB, PREFIX_FC, UNSUPPORTED_OPCODES, type OpcodeInfo } from './opcodes.js';
import { decodeBlockType, decodeRefType, decodeValType, hex, unsupportedFeature } from './decode-types.js';
import type { Reader } from './reader.js';

/** Implementation limit on the declared locals of one function. */
export const MAX_LOCALS = 50000;

export interface CodeContext {
  readonly types: readonly FuncType[];
  /** Whether the module has a data count section (memory.init and data.drop need one). */
  readonly hasDataCount: boolean;
  /** Validation errors found while decoding, thrown once decoding has finished. */
  readonly deferred: UserError[];
}

type MutableInstr = { -readonly [K in keyof Instr]: Instr[K] };

/** Reads an opcode (one byte, or 0xFC and a u32) and returns its table row. */
function readOpcode(r: Reader, offset: number): OpcodeInfo {
  const byte = r.u8();
  if (byte === PREFIX_FC) {
    const sub = r.u32();
    const info = OPCODE_BY_FC_SUB[sub];
    if (info === undefined) throw r.fail(`illegal opcode 0xfc ${sub}`, offset);
    return info;
  }
  const info = OPCODE_BY_BYTE[byte];
  if (info !== undefined) return info;
  const feature = UNSUPPORTED_OPCODES.get(byte);
  if (feature !== undefined) throw unsupportedFeature(r, `${feature} (opcode 0x${hex(byte)})`, offset);
  throw r.fail(`illegal opcode 0x${hex(byte)}`, offset);
}

/** The reserved memory index byte of memory.size/grow/fill/init/copy. */
function readMemoryZero(r: Reader): void {
  const offset = r.pos;
  const byte = r.u8();
  if (byte === 0) return;
  if (byte < 0x80) throw unsupportedFeature(r, `multi-memory (memory index ${byte})`, offset);
  throw r.fail('zero byte expected', offset);
}

function readMemArg(r: Reader): MemArg {
  const offset = r.pos;
  const align = r.u32();
  // Multi-memory marks an explicit memory index with bit 6 of the alignment field.
  if (align >= 0x40 && align < 0x80) throw unsupportedFeature(r, 'multi-memory (memory index in memarg)', offset);
  return { align, offset: r.u32() };
}

function requireDataCount(r: Reader, ctx: CodeContext, offset: number): void {
  if (!ctx.hasDataCount) throw r.fail('data count section required', offset);
}

function readBlockType(r: Reader, ctx: CodeContext): BlockType {
  const offset = r.pos;
  const type = decodeBlockType(r, ctx.types);
  if (type !== undefined) return type;
  ctx.deferred.push(new UserError('invalid', 'unknown type in block type', r.where(offset)));
  return { params: [], results: [] };
}

/** Reads the immediates of `info` into `instr`. */
function readImmediates(r: Reader, ctx: CodeContext, info: OpcodeInfo, instr: MutableInstr): void {
  switch (info.imm) {
    case 'none':
      return;
    case 'blocktype':
      instr.blockType = readBlockType(r, ctx);
      return;
    case 'label':
    case 'func':
    case 'local':
    case 'global':
    case 'table':
    case 'elem':
      instr.index = r.u32();
      return;
    case 'br_table': {
      instr.depths = r.vec(() => r.u32());
      instr.index = r.u32();
      return;
    }
    case 'call_indirect':
      instr.index = r.u32();
      instr.index2 = r.u32();
      return;
    case 'memarg':
      instr.memarg = readMemArg(r);
      return;
    case 'memory':
      readMemoryZero(r);
      return;
    case 'i32':
      instr.value = r.s32();
      return;
    case 'i64':
      instr.value = r.s64();
      return;
    case 'f32':
      instr.value = r.f32Bits();
      return;
    case 'f64':
      instr.value = r.f64Bits();
      return;
    case 'select_t':
      instr.types = r.vec(() => decodeValType(r));
      return;
    case 'reftype':
      instr.types = [decodeRefType(r)];
      return;
    case 'data':
      requireDataCount(r, ctx, instr.offset);
      instr.index = r.u32();
      return;
    case 'memory.init':
      requireDataCount(r, ctx, instr.offset);
      instr.index = r.u32();
      readMemoryZero(r);
      return;
    case 'memory.copy':
      readMemoryZero(r);
      readMemoryZero(r);
      return;
    case 'table.init':
      instr.index = r.u32();
      instr.index2 = r.u32();
      return;
    case 'table.copy':
      instr.index = r.u32();
      instr.index2 = r.u32();
      return;
  }
}

/** Decodes one instruction at the reader's position. */
export function decodeInstr(r: Reader, ctx: CodeContext): Instr {
  const offset = r.pos;
  const info = readOpcode(r, offset);
  const instr: MutableInstr = { op: info.name, offset };
  readImmediates(r, ctx, info, instr);
  return instr;
}

/** Reads the local declarations of a body and expands them, one entry per local. */
function decodeLocals(r: Reader): ValType[] {
  const locals: ValType[] = [];
  const groups = r.u32();
  let total = 0;
  for (let i = 0; i < groups; i++) {
    const countOffset = r.pos;
    const count = r.u32();
    total += count;
    if (total > MAX_LOCALS) throw r.fail(`too many locals (${total}; the limit is ${MAX_LOCALS})`, countOffset);
    const type = decodeValType(r);
    for (let j = 0; j < count; j++) locals.push(type);
  }
  return locals;
}

/**
 * Decodes the instruction sequence of a body up to and including its final `end`,
 * checking that blocks nest (else only inside if, one end per block).
 */
function decodeInstrSequence(r: Reader, ctx: CodeContext): Instr[] {
  const body: Instr[] = [];
  const open: ('block' | 'if' | 'else')[] = [];
  for (;;) {
    const instr = decodeInstr(r, ctx);
    body.push(instr);
    switch (instr.op) {
      case 'block':
      case 'loop':
        open.push('block');
        break;
      case 'if':
        open.push('if');
        break;
      case 'else':
        if (open[open.length - 1] !== 'if') throw r.fail('else without a matching if', instr.offset);
        open[open.length - 1] = 'else';
        break;
      case 'end':
        if (open.length === 0) return body;
        open.pop();
        break;
    }
  }
}

/**
 * Decodes the body of function `funcIndex` (function index space), starting at its size
 * field. The reader must be positioned inside the code section.
 */
export function decodeFunctionBody(r: Reader, ctx: CodeContext, funcIndex: number): FunctionBody {
  r.func = funcIndex;
  const offset = r.pos;
  const size = r.u32();
  const bodyEnd = r.pos + size;
  if (bodyEnd > r.end) throw r.fail(`function body size ${size} runs past the end of the section`, offset);
  const sectionEnd = r.end;
  r.end = bodyEnd;
  const locals = decodeLocals(r);
  const codeOffset = r.pos;
  const body = decodeInstrSequence(r, ctx);
  if (r.pos !== bodyEnd) throw r.fail('function body continues after its final end (section size mismatch)', r.pos);
  r.end = sectionEnd;
  r.func = undefined;
  return { locals, body, offset, codeOffset };
}

const OPENS_BLOCK = new Set(['block', 'loop', 'if']);
const CONSTANT_OPS = new Set(['i32.const', 'i64.const', 'f32.const', 'f64.const', 'global.get', 'ref.null', 'ref.func']);

function toConstExpr(instr: Instr): ConstExpr {
  switch (instr.op) {
    case 'i32.const':
      return { kind: 'i32.const', value: instr.value as number };
    case 'i64.const':
      return { kind: 'i64.const', value: instr.value as bigint };
    case 'f32.const':
      return { kind: 'f32.const', bits: instr.value as number };
    case 'f64.const':
      return { kind: 'f64.const', bits: instr.value as bigint };
    case 'global.get':
      return { kind: 'global.get', index: instr.index! };
    case 'ref.null':
      return { kind: 'ref.null', type: instr.types![0] as 'funcref' | 'externref' };
    default:
      return { kind: 'ref.func', index: instr.index! };
  }
}

/**
 * Decodes a constant expression up to its `end`. Only single-instruction constants are
 * representable; anything else is recorded as a validation error and a placeholder
 * constant is returned so decoding can go on.
 */
export function decodeConstExpr(r: Reader, ctx: CodeContext): ConstExpr {
  const start = r.pos;
  const instrs: Instr[] = [];
  for (;;) {
    const instr = decodeInstr(r, ctx);
    if (instr.op === 'end') break;
    if (!CONSTANT_OPS.has(instr.op)) {
      ctx.deferred.push(new UserError('invalid', `constant expression required, found '${instr.op}'`, r.where(instr.offset)));
      skipToEnd(r, ctx, OPENS_BLOCK.has(instr.op) ? 1 : 0);
      return { kind: 'i32.const', value: 0 };
    }
    instrs.push(instr);
  }
  if (instrs.length !== 1) {
    ctx.deferred.push(
      new UserError('invalid', `type mismatch: a constant expression must produce exactly one value, found ${instrs.length}`, r.where(start)),
    );
    return { kind: 'i32.const', value: 0 };
  }
  return toConstExpr(instrs[0]!);
}

/** Skips a non-constant expression's remaining instructions, through its final end. */
function skipToEnd(r: Reader, ctx: CodeContext, openBlocks: number): void {
  let depth = openBlocks;
  for (;;) {
    const op = decodeInstr(r, ctx).op;
    if (OPENS_BLOCK.has(op)) depth++;
    else if (op === 'end' && depth-- === 0) return;
  }
}
