// Lowers a decoded, validated Wasm module to an IR module: signatures, the function index
// space with names and exports, the bodies of the defined functions, globals, memory,
// tables with their initial contents, active data segments and the start function.
//
// Imported globals, memories and tables are not supported yet; a module that declares
// one is rejected, naming the import.

import { UserError, type Location } from '../../diagnostics/errors.js';
import type { DataInit, FunctionDecl, GlobalDecl, IrModule, MemoryDecl } from '../../ir/module.js';
import { importCount, type ExternKind, type WasmModule } from '../module.js';
import { constantOffset, constantValue } from './constants.js';
import { lowerFunction } from './function.js';
import { canonicalSignatures, irSignature } from './signatures.js';
import { lowerTables } from './tables.js';

export interface LowerOptions {
  /** Symbol prefix of this module (docs/abi.md). */
  readonly prefix: string;
  /** Input file, for diagnostics. */
  readonly file?: string;
}

export function lowerModule(m: WasmModule, opts: LowerOptions): IrModule {
  const { file } = opts;
  rejectUnsupportedImports(m, file);
  const functions = functionDecls(m);
  const imported = importCount(m, 'func');
  const bodies = m.codes.map((code, i) => withFile(file, () => lowerFunction(m, imported + i, functions[imported + i]!.name, code)));
  const memory = memoryDecl(m);
  const ir: IrModule = {
    prefix: opts.prefix,
    signatures: m.types.map(irSignature),
    canonicalSig: canonicalSignatures(m.types),
    functions,
    bodies,
    globals: globalDecls(m, file),
    tables: lowerTables(m, file),
    data: dataInits(m, file),
  };
  return { ...ir, ...(memory && { memory }), ...(m.start !== undefined && { start: m.start }) };
}

/** Adds the input file to a UserError raised while lowering a function. */
function withFile<T>(file: string | undefined, lower: () => T): T {
  try {
    return lower();
  } catch (e) {
    if (e instanceof UserError && file !== undefined && e.where.file === undefined) {
      throw new UserError(e.code, e.detail, { ...e.where, file }, e.hint);
    }
    throw e;
  }
}

function rejectUnsupportedImports(m: WasmModule, file: string | undefined): void {
  for (const imp of m.imports) {
    if (imp.desc.kind === 'func') continue;
    const where: Location = { section: 'import', offset: imp.offset, file };
    throw new UserError('unsupported', `imported ${imp.desc.kind} '${imp.module}.${imp.name}' at offset 0x${imp.offset.toString(16)}`, where);
  }
}

function exportNames(m: WasmModule, kind: ExternKind, index: number): string[] {
  return m.exports.filter((e) => e.kind === kind && e.index === index).map((e) => e.name);
}

/** The whole function index space: name (name section, first export, or f<index>), signature, import, exports. */
function functionDecls(m: WasmModule): FunctionDecl[] {
  const imports = m.imports.flatMap((imp) => (imp.desc.kind === 'func' ? [{ imp, typeIndex: imp.desc.typeIndex }] : []));
  const decl = (index: number, sigIndex: number): FunctionDecl => {
    const exports = exportNames(m, 'func', index);
    const name = m.functionNames.get(index) ?? exports[0] ?? `f${index}`;
    return { index, name, sigIndex, exports };
  };
  return [
    ...imports.map(({ imp, typeIndex }, i) => ({ ...decl(i, typeIndex), import: { module: imp.module, name: imp.name } })),
    ...m.functions.map((typeIndex, i) => decl(imports.length + i, typeIndex)),
  ];
}

function globalDecls(m: WasmModule, file: string | undefined): GlobalDecl[] {
  return m.globals.map((g, i) => {
    const where: Location = { section: 'global', offset: g.offset, file };
    const type = g.type.type;
    if (type === 'funcref' || type === 'externref') {
      throw new UserError('unsupported', `${type} global ${i} at offset 0x${g.offset.toString(16)}`, where);
    }
    const init = constantValue(g.init, `initializer of global ${i}`, where);
    return { type, mutable: g.type.mutable, init, exports: exportNames(m, 'global', i) };
  });
}

function memoryDecl(m: WasmModule): MemoryDecl | undefined {
  const limits = m.memories[0];
  if (limits === undefined) return undefined;
  const decl: MemoryDecl = { minPages: limits.min, exports: exportNames(m, 'memory', 0) };
  return limits.max === undefined ? decl : { ...decl, maxPages: limits.max };
}

/** Active data segments with constant offsets; passive ones only serve memory.init. */
function dataInits(m: WasmModule, file: string | undefined): DataInit[] {
  return m.datas.flatMap((d, i) => {
    if (d.mode.kind !== 'active') return [];
    const where: Location = { section: 'data', offset: d.offset, file };
    return [{ offset: constantOffset(d.mode.offset, `offset of data segment ${i}`, where), bytes: d.bytes }];
  });
}
