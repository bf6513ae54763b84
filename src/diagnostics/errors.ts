// User errors and internal errors: the two kinds of failure mcu-aot reports.
//
// A UserError is the user's input's fault (bad Wasm, unsupported feature, unknown board,
// undefined symbol...): it carries a stable code from the message table, a one-line message
// and where it happened. The CLI prints it as one line and exits 1, never with a stack trace.
// An InternalError is ours: a broken invariant, named by the pass or stage that found it.

import { messages, type MessageCode } from './messages.js';

/** Where a diagnostic points. Every field is optional; print what is known. */
export interface Location {
  file?: string;
  /** Wasm section name, e.g. 'code', 'import'. */
  section?: string;
  /** Wasm function index (in the function index space, imports included). */
  func?: number;
  /** Absolute byte offset in the input file. */
  offset?: number;
  /** Free-form extra context, e.g. a symbol name or an object file. */
  context?: string;
  /** The detail already states section, function and offset in words: print only the file. */
  statedInDetail?: boolean;
}

export class UserError extends Error {
  constructor(
    readonly code: MessageCode,
    readonly detail: string,
    readonly where: Location = {},
    readonly hint?: string,
  ) {
    super(`${messages[code]}: ${detail}${formatLocation(where)}`);
    this.name = 'UserError';
  }
}

/** Build a UserError from the message table: `userError('malformed', 'unexpected end', {section: 'code', offset})`. */
export function userError(code: MessageCode, detail: string, where: Location = {}, hint?: string): UserError {
  return new UserError(code, detail, where, hint);
}

export class InternalError extends Error {
  constructor(
    /** The pass or stage that found the problem, e.g. 'verifier after lower-wasm'. */
    readonly stage: string,
    message: string,
    /** A dump of the offending structure (IR text, machine code listing...). */
    readonly dump?: string,
  ) {
    super(`internal error in ${stage}: ${message}`);
    this.name = 'InternalError';
  }
}

export function formatLocation(where: Location): string {
  const parts: string[] = [];
  if (where.statedInDetail === true) return where.file !== undefined ? ` in ${where.file}` : '';
  if (where.section !== undefined) parts.push(`section '${where.section}'`);
  if (where.func !== undefined) parts.push(`function ${where.func}`);
  if (where.offset !== undefined) parts.push(`offset 0x${where.offset.toString(16)}`);
  if (where.context !== undefined) parts.push(where.context);
  const inner = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  const file = where.file !== undefined ? ` in ${where.file}` : '';
  return inner + file;
}
