// Lowers a decoded, validated Wasm module to an IR module: signatures, the function index
// space with names and exports, the bodies of the defined functions, globals, memory,
// tables with their initial contents, active data segments and the start function.
//
// Imported globals, memories and tables keep their import name: the backend reaches them
// through the exporter's symbols (docs/abi.md, "Several modules in one firmware").

import { UserError, type Location } from '../../diagnostics/errors.js';
import type { DataInit, FunctionDecl, GlobalDecl, IrModule, MemoryDecl } from '../../ir/module.js';
import { importCount, type ExternKind, type ValType, type WasmModule } from '../module.js';
import { constantOffset, constantValue, type ConstEnv } from './constants.js';
import { lowerFunction } from './function.js';
import { checkHalImports, type HalOptions } from './hal.js';
import { canonicalSignatures, irSignature } from './signatures.js';
import { lowerTables } from './tables.js';

export interface LowerOptions {
  /** Symbol prefix of this module (docs/abi.md). */
  readonly prefix: string;
  /** Input file, for diagnostics. */
  readonly file?: string;
  /** Values of imported immutable globals for constant expressions (multi-module builds). */
  readonly importedGlobal?: ConstEnv['importedGlobal'];
  /** Elements a RAM table may grow beyond its minimum (docs/abi.md); default 1024. */
  readonly tableGrowth?: number;
  /** Peripheral ranges the HAL's inline register accesses may touch (board + project). */
  readonly hal?: HalOptions;
}

export function lowerModule(m: WasmModule, opts: LowerOptions): IrModule {
  const { file } = opts;
  const env: ConstEnv = { m, ...(opts.importedGlobal !== undefined && { importedGlobal: opts.importedGlobal }) };
  const functions = functionDecls(m);
  const imported = importCount(m, 'func');
  withFile(file, () => checkHalImports(m));
  const bodies = m.codes.map((code, i) => withFile(file, () => lowerFunction(m, imported + i, functions[imported + i]!.name, code, opts.hal)));
  const memory = memoryDecl(m);
  const ir: IrModule = {
    prefix: opts.prefix,
    signatures: m.types.map(irSignature),
    canonicalSig: canonicalSignatures(m.types),
    functions,
    bodies,
    globals: globalDecls(m, file, env),
    ...lowerTables(m, file, env, opts.tableGrowth),
    data: dataInits(m, file, env),
    ...dataSegments(m),
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

/** The global index space: imports (storage in the exporter) then defined globals. A
 *  reference global is an i32; a ref.func initialiser names its function. */
function globalDecls(m: WasmModule, file: string | undefined, env: ConstEnv): GlobalDecl[] {
  const irType = (t: ValType) => (t === 'funcref' || t === 'externref' ? 'i32' : t);
  const imported = m.imports.flatMap((imp, i): GlobalDecl[] => {
    if (imp.desc.kind !== 'global') return [];
    const index = m.imports.slice(0, i).filter((x) => x.desc.kind === 'global').length;
    const { type, mutable } = imp.desc.type;
    return [{ type: irType(type), mutable, init: 0, import: { module: imp.module, name: imp.name }, exports: exportNames(m, 'global', index) }];
  });
  const defined = m.globals.map((g, i): GlobalDecl => {
    const index = imported.length + i;
    const where: Location = { section: 'global', offset: g.offset, file };
    const base = { type: irType(g.type.type), mutable: g.type.mutable, exports: exportNames(m, 'global', index) };
    if (g.init.kind === 'ref.func') return { ...base, init: 0, initFunc: g.init.index };
    return { ...base, init: constantValue(g.init, `initializer of global ${index}`, where, env) };
  });
  return [...imported, ...defined];
}

/** Memory 0, defined or imported (an imported one is the exporter's: docs/abi.md). */
function memoryDecl(m: WasmModule): MemoryDecl | undefined {
  const imported = m.imports.find((imp) => imp.desc.kind === 'memory');
  const limits = imported?.desc.kind === 'memory' ? imported.desc.limits : m.memories[0];
  if (limits === undefined) return undefined;
  const decl: MemoryDecl = {
    minPages: limits.min,
    exports: exportNames(m, 'memory', 0),
    ...(imported !== undefined && { import: { module: imported.module, name: imported.name } }),
  };
  return limits.max === undefined ? decl : { ...decl, maxPages: limits.max };
}

/** Every data segment for memory.init and data.drop, when the module has data segments. */
function dataSegments(m: WasmModule): Pick<IrModule, 'dataSegments'> {
  if (m.datas.length === 0) return {};
  return { dataSegments: m.datas.map((d) => (d.mode.kind === 'passive' ? d.bytes : null)) };
}

/** Active data segments with constant offsets; passive ones only serve memory.init. */
function dataInits(m: WasmModule, file: string | undefined, env: ConstEnv): DataInit[] {
  return m.datas.flatMap((d, i) => {
    if (d.mode.kind !== 'active') return [];
    const where: Location = { section: 'data', offset: d.offset, file };
    return [{ offset: constantOffset(d.mode.offset, `offset of data segment ${i}`, where, env), bytes: d.bytes }];
  });
}
