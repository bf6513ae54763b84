// The Wasm binary decoder: header, sections in their required order, each section's
// entries, and the cross-section counts (function vs code, data count vs data). It
// produces the WasmModule of module.ts; function bodies and constant expressions are read
// by decode-code.ts. Every failure is a UserError naming the section and byte offset:
// 'malformed' for bytes that do not follow the binary format, 'unsupported-feature' for
// encodings of proposals mcu-aot rejects.

import type { UserError } from '../diagnostics/errors.js';
import { decodeConstExpr, decodeFunctionBody, type CodeContext } from './decode-code.js';
import {
  decodeFuncType,
  decodeGlobalType,
  decodeLimits,
  decodeRefType,
  decodeTableType,
  hex,
  unsupportedFeature,
} from './decode-types.js';
import { decodeNameSection, type NameSection } from './decode-names.js';
import type {
  ConstExpr,
  DataMode,
  DataSegment,
  ElementMode,
  ElementSegment,
  Export,
  ExternKind,
  FuncType,
  FunctionBody,
  Global,
  Import,
  ImportDesc,
  Limits,
  RefType,
  TableType,
  WasmModule,
} from './module.js';
import { Reader } from './reader.js';

const SECTION_NAMES: readonly string[] = [
  'custom', 'type', 'import', 'function', 'table', 'memory', 'global',
  'export', 'start', 'element', 'code', 'data', 'data count',
];

/** Position of each non-custom section id in the required order (data count precedes code). */
const SECTION_ORDER: ReadonlyMap<number, number> = new Map([
  [1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 7], [8, 8], [9, 9], [12, 10], [10, 11], [11, 12],
]);

const TAG_SECTION_ID = 13;

/** The module as it is being decoded: WasmModule's fields, mutable. */
interface ModuleParts {
  types: FuncType[];
  imports: Import[];
  functions: number[];
  tables: TableType[];
  memories: Limits[];
  globals: Global[];
  exports: Export[];
  start?: number;
  elements: ElementSegment[];
  datas: DataSegment[];
  dataCount?: number;
  codes: FunctionBody[];
  names: NameSection;
  /** Offset of the first memory seen, imported or defined; a second one is multi-memory. */
  memoriesSeen: number;
  deferred: UserError[];
}

/** Decodes a Wasm binary module. Throws UserError for malformed, unsupported or (for the few
 *  checks decoding needs) invalid input; full validation is validateModule's job. */
export function decodeModule(bytes: Uint8Array, file?: string): WasmModule {
  const r = new Reader(bytes, 0, bytes.length, file);
  readHeader(r);
  const parts: ModuleParts = {
    types: [], imports: [], functions: [], tables: [], memories: [], globals: [], exports: [],
    elements: [], datas: [], codes: [], names: { functionNames: new Map() }, memoriesSeen: 0, deferred: [],
  };
  let lastOrder = 0;
  let sawCodeSection = false;
  let sawDataSection = false;
  while (!r.atEnd) {
    r.section = 'header';
    const idOffset = r.pos;
    const id = r.u8();
    if (id === TAG_SECTION_ID) throw unsupportedFeature(r, 'exception handling (tag section, id 13)', idOffset);
    const name = SECTION_NAMES[id];
    if (name === undefined) throw r.fail(`malformed section id ${id}`, idOffset);
    r.section = name;
    const sizeOffset = r.pos;
    const size = r.u32();
    const end = r.pos + size;
    if (end > bytes.length) throw r.fail(`section size ${size} runs past the end of the file (unexpected end)`, sizeOffset);
    if (id !== 0) {
      const order = SECTION_ORDER.get(id)!;
      if (order <= lastOrder) throw r.fail(`unexpected '${name}' section: duplicate or out of order (junk after last section)`, idOffset);
      lastOrder = order;
    }
    if (id === 10) sawCodeSection = true;
    if (id === 11) sawDataSection = true;
    r.end = end;
    decodeSection(r, id, parts);
    if (r.pos !== end) throw r.fail(`section size mismatch: ${end - r.pos} bytes left over`, r.pos);
    r.end = bytes.length;
  }
  checkCounts(r, parts, sawCodeSection, sawDataSection);
  if (parts.deferred.length > 0) throw parts.deferred[0]!;
  return finish(parts);
}

function readHeader(r: Reader): void {
  const magic = r.bytesOf(4);
  if (magic[0] !== 0x00 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) {
    throw r.fail('magic header not detected (expected \\0asm)', 0);
  }
  const version = r.bytesOf(4);
  if (version[0] !== 1 || version[1] !== 0 || version[2] !== 0 || version[3] !== 0) {
    const hexBytes = Array.from(version, hex).join(' ');
    throw r.fail(`unknown binary version ${hexBytes} (expected 01 00 00 00)`, 4);
  }
}

function decodeSection(r: Reader, id: number, parts: ModuleParts): void {
  const ctx: CodeContext = { types: parts.types, hasDataCount: parts.dataCount !== undefined, deferred: parts.deferred };
  switch (id) {
    case 0:
      return decodeCustomSection(r, parts);
    case 1:
      parts.types = r.vec(() => decodeFuncType(r));
      return;
    case 2:
      parts.imports = r.vec(() => decodeImport(r, parts));
      return;
    case 3:
      parts.functions = r.vec(() => r.u32());
      return;
    case 4:
      parts.tables = r.vec(() => decodeTable(r));
      return;
    case 5:
      parts.memories = r.vec(() => decodeMemory(r, parts));
      return;
    case 6:
      parts.globals = r.vec(() => ({ offset: r.pos, type: decodeGlobalType(r), init: decodeConstExpr(r, ctx) }));
      return;
    case 7:
      parts.exports = r.vec(() => decodeExport(r));
      return;
    case 8:
      parts.start = r.u32();
      return;
    case 9:
      parts.elements = r.vec(() => decodeElement(r, ctx));
      return;
    case 10: {
      const importedFuncs = parts.imports.filter((i) => i.desc.kind === 'func').length;
      const countOffset = r.pos;
      const count = r.u32();
      if (count !== parts.functions.length) {
        throw r.fail(`function and code section have inconsistent lengths (${parts.functions.length} vs ${count})`, countOffset);
      }
      for (let i = 0; i < count; i++) parts.codes.push(decodeFunctionBody(r, ctx, importedFuncs + i));
      return;
    }
    case 11:
      parts.datas = r.vec(() => decodeData(r, ctx));
      return;
    case 12:
      parts.dataCount = r.u32();
      return;
  }
}

function decodeCustomSection(r: Reader, parts: ModuleParts): void {
  const name = r.name();
  const contentStart = r.pos;
  r.pos = r.end;
  if (name === 'name') {
    // A malformed name section is ignored, as the spec allows: names are only debug info.
    parts.names = decodeNameSection(new Reader(r.bytes, contentStart, r.end, r.file)) ?? parts.names;
  }
}

const IMPORT_KINDS: readonly ExternKind[] = ['func', 'table', 'memory', 'global'];

function decodeExternKind(r: Reader): ExternKind {
  const offset = r.pos;
  const byte = r.u8();
  if (byte === 4) throw unsupportedFeature(r, 'exception handling (tag import/export)', offset);
  const kind = IMPORT_KINDS[byte];
  if (kind === undefined) throw r.fail(`malformed import/export kind 0x${hex(byte)}`, offset);
  return kind;
}

function decodeImport(r: Reader, parts: ModuleParts): Import {
  const offset = r.pos;
  const module = r.name();
  const name = r.name();
  const kind = decodeExternKind(r);
  let desc: ImportDesc;
  switch (kind) {
    case 'func':
      desc = { kind, typeIndex: r.u32() };
      break;
    case 'table':
      desc = { kind, type: decodeTableType(r) };
      break;
    case 'memory':
      desc = { kind, limits: decodeMemory(r, parts) };
      break;
    case 'global':
      desc = { kind, type: decodeGlobalType(r) };
      break;
  }
  return { module, name, desc, offset };
}

function decodeTable(r: Reader): TableType {
  // Typed function references prefix a table with an initialiser (0x40 0x00).
  if (r.peek() === 0x40) throw unsupportedFeature(r, 'typed function references (table initialiser)', r.pos);
  return decodeTableType(r);
}

/** A memory's limits; a second memory in the module is multi-memory, which we reject. */
function decodeMemory(r: Reader, parts: ModuleParts): Limits {
  const offset = r.pos;
  const limits = decodeLimits(r, true);
  parts.memoriesSeen++;
  if (parts.memoriesSeen > 1) throw unsupportedFeature(r, 'multi-memory (a second memory)', offset);
  return limits;
}

function decodeExport(r: Reader): Export {
  const offset = r.pos;
  const name = r.name();
  const kind = decodeExternKind(r);
  return { name, kind, index: r.u32(), offset };
}

/**
 * An element segment. Its flags: bit 0 passive or declarative (else active), bit 1 an
 * explicit table index (active) or declarative (bit 0 set), bit 2 items are expressions
 * (else function indices).
 */
function decodeElement(r: Reader, ctx: CodeContext): ElementSegment {
  const offset = r.pos;
  const flags = r.u32();
  if (flags > 7) throw r.fail(`malformed element segment flags ${flags}`, offset);
  let mode: ElementMode;
  if ((flags & 1) === 0) {
    const table = flags & 2 ? r.u32() : 0;
    mode = { kind: 'active', table, offset: decodeConstExpr(r, ctx) };
  } else {
    mode = flags & 2 ? { kind: 'declarative' } : { kind: 'passive' };
  }
  // Flags 0 and 4 (active on table 0) imply funcref and carry no element kind or type.
  const hasKind = (flags & 3) !== 0;
  let type: RefType = 'funcref';
  let items: ConstExpr[];
  if ((flags & 4) === 0) {
    if (hasKind) {
      const kindOffset = r.pos;
      const elemKind = r.u8();
      if (elemKind !== 0) throw r.fail(`malformed element kind 0x${hex(elemKind)}`, kindOffset);
    }
    items = r.vec(() => ({ kind: 'ref.func', index: r.u32() }));
  } else {
    if (hasKind) type = decodeRefType(r);
    items = r.vec(() => decodeConstExpr(r, ctx));
  }
  return { type, items, mode, offset };
}

function decodeData(r: Reader, ctx: CodeContext): DataSegment {
  const offset = r.pos;
  const flags = r.u32();
  let mode: DataMode;
  if (flags === 0) mode = { kind: 'active', memory: 0, offset: decodeConstExpr(r, ctx) };
  else if (flags === 1) mode = { kind: 'passive' };
  else if (flags === 2) {
    const memory = r.u32();
    mode = { kind: 'active', memory, offset: decodeConstExpr(r, ctx) };
  } else throw r.fail(`malformed data segment flags ${flags}`, offset);
  const length = r.u32();
  const bytes = r.bytesOf(length).slice();
  return { bytes, mode, offset };
}

/** Cross-section counts that are part of the binary format, checked after the last section. */
function checkCounts(r: Reader, parts: ModuleParts, sawCode: boolean, sawData: boolean): void {
  r.section = sawCode ? 'code' : 'function';
  if (!sawCode && parts.functions.length > 0) {
    throw r.fail(`function and code section have inconsistent lengths (${parts.functions.length} vs 0)`, r.bytes.length);
  }
  r.section = 'data';
  if (parts.dataCount !== undefined && parts.dataCount !== parts.datas.length) {
    const where = sawData ? 'the data section' : 'no data section';
    throw r.fail(`data count and data section have inconsistent lengths (${parts.dataCount} vs ${parts.datas.length} in ${where})`, r.bytes.length);
  }
}

function finish(parts: ModuleParts): WasmModule {
  const m: { -readonly [K in keyof WasmModule]: WasmModule[K] } = {
    types: parts.types,
    imports: parts.imports,
    functions: parts.functions,
    tables: parts.tables,
    memories: parts.memories,
    globals: parts.globals,
    exports: parts.exports,
    elements: parts.elements,
    datas: parts.datas,
    codes: parts.codes,
    functionNames: parts.names.functionNames,
  };
  if (parts.start !== undefined) m.start = parts.start;
  if (parts.dataCount !== undefined) m.dataCount = parts.dataCount;
  if (parts.names.moduleName !== undefined) m.moduleName = parts.names.moduleName;
  return m;
}
