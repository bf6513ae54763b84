// IR text form: the parser. Reads what printer.ts writes (docs/ir.md describes the form)
// and builds IrFunctions that keep the text's value and block numbers.
//
// The parser checks syntax only. Ill-formed IR (a use of an undefined value, a block
// without terminator, wrong types) parses, so that verifier tests can be written as text;
// the verifier reports it. Values the text never defines get a detached definition (an
// instruction in no block), exactly like values whose instruction a pass has removed.

import type { Block, BlockCall, Inst, IrFunction, MemAccess, ValueInfo } from './function.js';
import { isOpcode, opInfo, type Opcode } from './opcodes.js';
import {
  BLOCK_TOKEN, impliedResultType, INDEX_TOKEN, MEM_WIDTH_TOKEN, SRC_OFFSET_COMMENT, TABLE_TOKEN, VALUE_TOKEN,
} from './text-syntax.js';
import {
  asBlock, asValue, FLOAT_CCS, INT_CCS, TRAP_KINDS, TYPES, type BlockId, type FloatCC, type IntCC, type TrapKind, type Type, type Value,
} from './types.js';

const MAX_VALUE_NUMBER = 10_000_000;

export class IrParseError extends Error {
  constructor(readonly line: number, readonly column: number, readonly reason: string) {
    super(`${line}:${column}: ${reason}`);
    this.name = 'IrParseError';
  }
}

type TokenKind = 'word' | 'int' | 'offset' | 'string' | 'punct';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly column: number; // 1-based
}

interface Line {
  readonly number: number; // 1-based
  readonly tokens: Token[];
  /** Source offset from a trailing `; @0x..` comment. */
  readonly srcOffset?: number;
  /** Origin function from a trailing `; @0x.. in f<N>` comment. */
  readonly origin?: number;
  /** Column just past the last token, for "unexpected end of line". */
  readonly end: number;
}

function lexLine(text: string, number: number): Line {
  const tokens: Token[] = [];
  let pos = 0;
  let srcOffset: number | undefined;
  let origin: number | undefined;
  while (pos < text.length) {
    const ch = text[pos]!;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      pos++;
      continue;
    }
    if (ch === ';') {
      // Only a comment after something on the line can carry a source offset.
      const match = tokens.length > 0 ? SRC_OFFSET_COMMENT.exec(text.slice(pos + 1).trim()) : null;
      if (match !== null) srcOffset = parseInt(match[1]!, 16);
      if (match?.[2] !== undefined) origin = Number(match[2]);
      break;
    }
    const token = matchToken(text, pos);
    if (token === undefined) throw new IrParseError(number, pos + 1, `unexpected character '${ch}'`);
    tokens.push({ ...token, column: pos + 1 });
    pos += token.text.length;
  }
  const last = tokens[tokens.length - 1];
  const end = last === undefined ? 1 : last.column + last.text.length;
  return { number, tokens, end, ...(srcOffset !== undefined && { srcOffset }), ...(origin !== undefined && { origin }) };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isWordStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_#]/.test(c);
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_.]/.test(c);

/** The token starting at `pos`, by its first characters:
 *  word `[A-Za-z_#][A-Za-z0-9_.]*`, int `-?(0x<hex>|<digits>)`, offset `+<digits>`,
 *  string `"..."` (JSON escapes), punct `->` or one of `(){},:=`. */
function matchToken(text: string, pos: number): { kind: TokenKind; text: string } | undefined {
  const at = (i: number): string | undefined => text[i];
  const scan = (from: number, accept: (c: string | undefined) => boolean): number => {
    let end = from;
    while (accept(at(end))) end++;
    return end;
  };
  const token = (kind: TokenKind, end: number) => ({ kind, text: text.slice(pos, end) });
  const c = at(pos);
  if (isWordStart(c)) return token('word', scan(pos + 1, isWordChar));
  if (c === '-' && at(pos + 1) === '>') return token('punct', pos + 2);
  if (isDigit(c) || (c === '-' && isDigit(at(pos + 1)))) {
    const digits = c === '-' ? pos + 1 : pos;
    if (at(digits) === '0' && at(digits + 1) === 'x') return token('int', scan(digits + 2, (h) => h !== undefined && /[0-9a-fA-F]/.test(h)));
    return token('int', scan(digits, isDigit));
  }
  if (c === '+' && isDigit(at(pos + 1))) return token('offset', scan(pos + 1, isDigit));
  if (c === '"') {
    for (let end = pos + 1; end < text.length; end++) {
      if (text[end] === '\\') end++;
      else if (text[end] === '"') return token('string', end + 1);
    }
    return undefined;
  }
  if (c !== undefined && '(){},:='.includes(c)) return token('punct', pos + 1);
  return undefined;
}

/** Reads the tokens of one line left to right. */
class Cursor {
  private pos = 0;
  constructor(readonly line: Line) {}

  get atEnd(): boolean {
    return this.pos >= this.line.tokens.length;
  }

  peek(offset = 0): Token | undefined {
    return this.line.tokens[this.pos + offset];
  }

  next(what: string): Token {
    const token = this.line.tokens[this.pos];
    if (token === undefined) throw this.error(`expected ${what}, found end of line`);
    this.pos++;
    return token;
  }

  /** Consume `text` if it is next. */
  accept(text: string): boolean {
    if (this.peek()?.text !== text) return false;
    this.pos++;
    return true;
  }

  expect(text: string): void {
    const token = this.next(`'${text}'`);
    if (token.text !== text) throw this.error(`expected '${text}', found '${token.text}'`, token);
  }

  expectEnd(): void {
    const token = this.peek();
    if (token !== undefined) throw this.error(`unexpected '${token.text}'`, token);
  }

  error(reason: string, token: Token | undefined = this.peek()): IrParseError {
    return new IrParseError(this.line.number, token?.column ?? this.line.end, reason);
  }
}

/** A value's type before inference: stated in the text, or implied by its instruction. */
type PendingType = { readonly kind: 'stated'; readonly type: Type } | { readonly kind: 'implied'; readonly inst: Inst; readonly index: number };

interface FunctionState {
  readonly func: IrFunction;
  readonly defs: Map<number, { def: ValueInfo['def']; pending: PendingType }>;
  readonly used: Set<number>;
  block: Block | undefined;
  /** Source offset of the previous instruction (or the block), inherited by the next one. */
  srcOffset: number;
}

export function parseFunctions(text: string): IrFunction[] {
  const lines = text.split('\n').map((t, i) => lexLine(t, i + 1)).filter((l) => l.tokens.length > 0);
  const functions: IrFunction[] = [];
  let state: FunctionState | undefined;
  for (const line of lines) {
    const cursor = new Cursor(line);
    if (state === undefined) {
      state = startFunction(cursor);
    } else if (cursor.accept('}')) {
      cursor.expectEnd();
      functions.push(finishFunction(state));
      state = undefined;
    } else if (isBlockHeader(cursor)) {
      parseBlockHeader(cursor, state);
    } else {
      parseInstLine(cursor, state);
    }
  }
  if (state !== undefined) {
    const last = lines[lines.length - 1]!;
    throw new IrParseError(last.number, last.end, `function f${state.func.index} has no closing '}'`);
  }
  return functions;
}

export function parseFunction(text: string): IrFunction {
  const functions = parseFunctions(text);
  if (functions.length !== 1) throw new IrParseError(1, 1, `expected one function, found ${functions.length}`);
  return functions[0]!;
}

// function f3 "fib" (i32) -> i32 {
function startFunction(c: Cursor): FunctionState {
  c.expect('function');
  const indexToken = c.next('function index');
  const index = /^f(\d+)$/.exec(indexToken.text);
  if (index === null) throw c.error(`expected a function index like 'f3', found '${indexToken.text}'`, indexToken);
  const nameToken = c.next('function name');
  if (nameToken.kind !== 'string') throw c.error('expected the function name as a quoted string', nameToken);
  c.expect('(');
  const params = c.accept(')') ? [] : parseTypeList(c, ')');
  let results: Type[] = [];
  if (c.accept('->')) results = parseTypeList(c, '{');
  else c.expect('{');
  c.expectEnd();
  const func: IrFunction = {
    index: Number(index[1]), name: JSON.parse(nameToken.text) as string, sig: { params, results }, blocks: [], values: [],
  };
  return { func, defs: new Map(), used: new Set(), block: undefined, srcOffset: 0 };
}

/** `t1, t2, ... <close>` (the close token is consumed). */
function parseTypeList(c: Cursor, close: string): Type[] {
  const types = [parseType(c)];
  while (!c.accept(close)) {
    c.expect(',');
    types.push(parseType(c));
  }
  return types;
}

function parseType(c: Cursor): Type {
  const token = c.next('a type');
  if (!(TYPES as readonly string[]).includes(token.text)) throw c.error(`unknown type '${token.text}'`, token);
  return token.text as Type;
}

function isBlockHeader(c: Cursor): boolean {
  const next = c.peek(1)?.text;
  return BLOCK_TOKEN.test(c.peek()?.text ?? '') && (next === ':' || next === '(');
}

// block2(v3: i32, v4: i64):  ; @0x4a
function parseBlockHeader(c: Cursor, state: FunctionState): void {
  const id = asBlock(Number(BLOCK_TOKEN.exec(c.next('block').text)![1]));
  const block: Block = { id, params: [], insts: [], srcOffset: c.line.srcOffset ?? 0 };
  if (c.accept('(')) {
    do {
      const v = parseValue(c);
      c.expect(':');
      define(state, v, { kind: 'param', block: id, index: block.params.length }, { kind: 'stated', type: parseType(c) });
      block.params.push(v);
    } while (c.accept(','));
    c.expect(')');
  }
  c.expect(':');
  c.expectEnd();
  state.func.blocks.push(block);
  state.block = block;
  state.srcOffset = block.srcOffset;
}

// v5: i32, v6: i64 = op.cc.type imm mem index table trap args, targets
function parseInstLine(c: Cursor, state: FunctionState): void {
  const block = state.block;
  if (block === undefined) throw c.error('instruction outside a block');
  const results = parseResults(c);
  const { op, cc, fcc, type } = parseOpcode(c);
  const inst: Inst = { op, args: [], results: [], targets: [], srcOffset: c.line.srcOffset ?? state.srcOffset };
  if (cc !== undefined) inst.cc = cc;
  if (fcc !== undefined) inst.fcc = fcc;
  if (type !== undefined) inst.type = type;
  if (c.line.origin !== undefined) inst.origin = c.line.origin;
  parseImmediates(c, inst);
  parseOperands(c, inst, state);
  c.expectEnd();
  results.forEach(({ value, type: stated }, index) => {
    inst.results.push(value);
    const pending: PendingType = stated !== undefined ? { kind: 'stated', type: stated } : { kind: 'implied', inst, index };
    define(state, value, { kind: 'inst', inst, index }, pending);
  });
  block.insts.push(inst);
  state.srcOffset = inst.srcOffset;
}

function parseResults(c: Cursor): { value: Value; type?: Type }[] {
  const first = c.peek(1)?.text;
  if (!VALUE_TOKEN.test(c.peek()?.text ?? '') || (first !== '=' && first !== ',' && first !== ':')) return [];
  const results: { value: Value; type?: Type }[] = [];
  do {
    const value = parseValue(c);
    results.push(c.accept(':') ? { value, type: parseType(c) } : { value });
  } while (c.accept(','));
  c.expect('=');
  return results;
}

function parseOpcode(c: Cursor): { op: Opcode; cc?: IntCC; fcc?: FloatCC; type?: Type } {
  const token = c.next('an opcode');
  const [name, ...suffixes] = token.text.split('.');
  if (token.kind !== 'word' || name === undefined || !isOpcode(name)) throw c.error(`unknown opcode '${token.text}'`, token);
  const parsed: { op: Opcode; cc?: IntCC; fcc?: FloatCC; type?: Type } = { op: name };
  // eq and ne name both an integer and a float condition: the opcode's immediate kind decides.
  const isFloatCompare = opInfo(name).imm === 'fcc';
  for (const suffix of suffixes) {
    if (isFloatCompare && (FLOAT_CCS as readonly string[]).includes(suffix) && parsed.fcc === undefined) parsed.fcc = suffix as FloatCC;
    else if ((INT_CCS as readonly string[]).includes(suffix) && parsed.cc === undefined) parsed.cc = suffix as IntCC;
    else if ((TYPES as readonly string[]).includes(suffix) && parsed.type === undefined) parsed.type = suffix as Type;
    else throw c.error(`unexpected suffix '.${suffix}' on '${name}'`, token);
  }
  return parsed;
}

/** Immediates come in a fixed order; each has a token shape of its own. */
function parseImmediates(c: Cursor, inst: Inst): void {
  const intToken = c.peek();
  if (intToken?.kind === 'int') {
    c.next('immediate');
    inst.imm = parseImmediate(c, inst, intToken);
  }
  const width = MEM_WIDTH_TOKEN.exec(c.peek()?.text ?? '');
  if (width !== null) {
    c.next('memory access');
    const offsetToken = c.peek()?.kind === 'offset' ? c.next('offset') : undefined;
    const offset = offsetToken === undefined ? 0 : Number(offsetToken.text.slice(1));
    if (offset > 0xffffffff) throw c.error('memory offset out of the u32 range', offsetToken);
    const inBounds = c.peek()?.text === 'inbounds' ? c.next('inbounds') !== undefined : false;
    const mem: MemAccess = { offset, bytes: (Number(width[2]) / 8) as MemAccess['bytes'], signed: width[1] === 's', ...(inBounds && { inBounds }) };
    inst.mem = mem;
  }
  const index = INDEX_TOKEN.exec(c.peek()?.text ?? '');
  if (index !== null) {
    c.next('index');
    inst.index = Number(index[2]);
  }
  const table = TABLE_TOKEN.exec(c.peek()?.text ?? '');
  if (table !== null) {
    c.next('table');
    inst.table = Number(table[1]);
  }
  const trapToken = c.peek();
  if (trapToken?.kind === 'string') {
    c.next('trap kind');
    const kind = JSON.parse(trapToken.text) as string;
    if (!Object.prototype.hasOwnProperty.call(TRAP_KINDS, kind)) throw c.error(`unknown trap kind ${trapToken.text}`, trapToken);
    inst.trap = kind as TrapKind;
  }
}

/** An i64 constant is a bigint; every other immediate is a number. */
function parseImmediate(c: Cursor, inst: Inst, token: Token): number | bigint {
  const negative = token.text.startsWith('-');
  const magnitude = BigInt(negative ? token.text.slice(1) : token.text);
  const value = negative ? -magnitude : magnitude;
  if (opInfo(inst.op).imm === 'const' && (inst.type === 'i64' || inst.type === 'f64')) {
    if (value !== BigInt.asIntN(64, value)) throw c.error(`constant ${token.text} out of the i64 range`, token);
    return value;
  }
  if (value < -(2n ** 31n) || value >= 2n ** 32n) throw c.error(`immediate ${token.text} out of the 32-bit range`, token);
  return Number(value);
}

/** `v1, v2, block3, block4(v5)`: values first, then branch targets. */
function parseOperands(c: Cursor, inst: Inst, state: FunctionState): void {
  if (c.atEnd) return;
  do {
    const token = c.peek();
    if (BLOCK_TOKEN.test(token?.text ?? '')) {
      inst.targets.push(parseBlockCall(c, state));
    } else {
      if (inst.targets.length > 0) throw c.error('value operand after a branch target');
      inst.args.push(use(state, parseValue(c)));
    }
  } while (c.accept(','));
}

function parseBlockCall(c: Cursor, state: FunctionState): BlockCall {
  const block: BlockId = asBlock(Number(BLOCK_TOKEN.exec(c.next('block').text)![1]));
  const args: Value[] = [];
  if (c.accept('(')) {
    do args.push(use(state, parseValue(c)));
    while (c.accept(','));
    c.expect(')');
  }
  return { block, args };
}

function parseValue(c: Cursor): Value {
  const token = c.next('a value');
  const match = VALUE_TOKEN.exec(token.text);
  if (match === null) throw c.error(`expected a value like 'v3', found '${token.text}'`, token);
  // The value table gets an entry for every number up to the highest: keep it bounded.
  if (Number(match[1]) > MAX_VALUE_NUMBER) throw c.error(`value number ${token.text} is too large`, token);
  return asValue(Number(match[1]));
}

function use(state: FunctionState, v: Value): Value {
  state.used.add(v);
  return v;
}

/** Record a definition. A second definition of the same value is kept in the blocks for the
 *  verifier to report; the value table points at the first. */
function define(state: FunctionState, v: Value, def: ValueInfo['def'], pending: PendingType): void {
  if (!state.defs.has(v)) state.defs.set(v, { def, pending });
}

function finishFunction(state: FunctionState): IrFunction {
  const { func, defs, used } = state;
  let highest = -1;
  for (const v of [...defs.keys(), ...used]) highest = Math.max(highest, v);
  const resolved = new Map<number, Type>();
  const resolving = new Set<number>();
  const typeOf = (v: Value): Type | undefined => {
    const entry = defs.get(v);
    if (entry === undefined) return undefined;
    const known = resolved.get(v);
    if (known !== undefined) return known;
    if (entry.pending.kind === 'stated') return entry.pending.type;
    if (resolving.has(v)) return undefined; // a cycle through instructions: ill-formed SSA
    resolving.add(v);
    const type = impliedResultType(entry.pending.inst, entry.pending.index, typeOf) ?? 'i32';
    resolving.delete(v);
    resolved.set(v, type);
    return type;
  };
  for (let n = 0; n <= highest; n++) {
    const v = asValue(n);
    const entry = defs.get(v);
    func.values.push(entry === undefined ? detachedValue(v) : { type: typeOf(v) ?? 'i32', def: entry.def });
  }
  return func;
}

/** A value the text does not define: like a value whose instruction a pass removed. */
function detachedValue(v: Value): ValueInfo {
  const inst: Inst = { op: 'iconst', type: 'i32', imm: 0, args: [], results: [v], targets: [], srcOffset: 0 };
  return { type: 'i32', def: { kind: 'inst', inst, index: 0 } };
}
