// Conventions of the IR text form that the printer and the parser must agree on: which
// result types the text leaves implicit, and how immediates are spelled. docs/ir.md
// describes the whole form.

import type { Inst, MemAccess } from './function.js';
import { opInfo, type Opcode } from './opcodes.js';
import type { Type, Value } from './types.js';

/**
 * The type a reader can infer for result `resultIndex` of `inst` from the opcode table
 * alone. The text writes `vN: type` for every result whose actual type differs (calls,
 * results beyond the first, and ill-typed IR), so every result type round-trips.
 */
export function impliedResultType(
  inst: Inst,
  resultIndex: number,
  typeOf: (v: Value) => Type | undefined,
): Type | undefined {
  if (resultIndex !== 0) return undefined;
  switch (opInfo(inst.op).result) {
    case 'same': {
      // select(cond, a, b) takes its type from the chosen values, not the condition.
      const source = inst.op === 'select' ? inst.args[inst.args.length - 1] : inst.args[0];
      return source === undefined ? undefined : typeOf(source);
    }
    case 'i32':
      return 'i32';
    case 'explicit':
      return inst.type;
    case 'none':
    case 'signature':
      return undefined;
  }
}

/** The prefix of an instruction's `index` immediate: `g3` (global), `f7` (function), `sig2` (type). */
export function indexPrefix(op: Opcode): string {
  switch (opInfo(op).imm) {
    case 'global':
      return 'g';
    case 'func':
      return 'f';
    case 'sig':
      return 'sig';
    case 'data':
      return 'data';
    case 'table_pair':
      return 't';
    case 'elem':
    case 'elem_table':
      return 'elem';
    default:
      return '#'; // an index on an opcode that takes none: ill-formed, but printable
  }
}

/** Index tokens the parser accepts, whatever the opcode. */
export const INDEX_TOKEN = /^(g|f|sig|data|t|elem|#)(\d+)$/;

/** `u8`, `s16`, `u32`, `u64`: access width in bits and sign extension. */
export function memWidthToken(mem: MemAccess): string {
  return `${mem.signed ? 's' : 'u'}${mem.bytes * 8}`;
}

export const MEM_WIDTH_TOKEN = /^([su])(8|16|32|64)$/;

export const TABLE_TOKEN = /^table(\d+)$/;
export const VALUE_TOKEN = /^v(\d+)$/;
export const BLOCK_TOKEN = /^block(\d+)$/;

/** `@0x4e`, or `@0x4e in f2` for an inlined instruction that came from function 2. */
export function formatSrcOffset(offset: number, origin?: number): string {
  return origin === undefined ? `@0x${offset.toString(16)}` : `@0x${offset.toString(16)} in f${origin}`;
}

/** A trailing `; @0x4e` or `; @0x4e in f2` comment: the source offset of a block or an
 *  instruction, and the function an inlined instruction came from. */
export const SRC_OFFSET_COMMENT = /^@0x([0-9a-fA-F]+)(?:\s+in\s+f(\d+))?\b/;
