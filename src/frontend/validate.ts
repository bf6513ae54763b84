// Module validation (the spec's "Validation > Modules"): every index in range, limits within
// bounds, constant expressions of the right type and form, unique export names, a start
// function of type [] -> [], element and data segments that fit their tables and memory,
// and every function body (validate-code.ts). Errors are UserError('invalid') pointing at
// the section and the entry's (or instruction's) byte offset.
//
// Constant expressions follow the testsuite this project targets: global.get may read only
// an imported, immutable global, in every constant expression.

import { UserError, type Location } from '../diagnostics/errors.js';
import type { ConstExpr, FuncType, GlobalType, Limits, TableType, ValType, WasmModule } from './module.js';
import { validateBody, type ModuleContext } from './validate-code.js';

/** Largest memory in 64 KiB pages (4 GiB). */
const MAX_MEMORY_PAGES = 65536;

/** Where an error is reported: a section and an entry's offset, plus the file. */
type Site = { readonly section: string; readonly offset?: number };

export function validateModule(m: WasmModule, file?: string): void {
  const invalid = (detail: string, site: Site): UserError => {
    const where: Location = { section: site.section };
    if (site.offset !== undefined) where.offset = site.offset;
    if (file !== undefined) where.file = file;
    return new UserError('invalid', detail, where);
  };
  const ctx = buildContext(m, file, invalid);
  checkImportsAndDefinitions(m, ctx, invalid);
  checkGlobals(m, ctx, invalid);
  checkExports(m, ctx, invalid);
  checkStart(m, ctx, invalid);
  checkElements(m, ctx, invalid);
  checkDatas(m, ctx, invalid);
  checkCode(m, ctx, invalid);
}

type Invalid = (detail: string, site: Site) => UserError;

/** What bodies see, plus what constant expressions need: how many globals are imported. */
type ValidationContext = ModuleContext & { readonly importedGlobals: number };

/** The index spaces (imports first) and C.refs, resolving type indices as it goes. */
function buildContext(m: WasmModule, file: string | undefined, invalid: Invalid): ValidationContext {
  const typeAt = (index: number, site: Site): FuncType => {
    const t = m.types[index];
    if (t === undefined) throw invalid(`unknown type ${index}`, site);
    return t;
  };
  const funcs: FuncType[] = [];
  const tables: TableType[] = [];
  const memories: Limits[] = [];
  const globals: GlobalType[] = [];
  for (const imp of m.imports) {
    const site = { section: 'import', offset: imp.offset };
    if (imp.desc.kind === 'func') funcs.push(typeAt(imp.desc.typeIndex, site));
    else if (imp.desc.kind === 'table') tables.push(imp.desc.type);
    else if (imp.desc.kind === 'memory') memories.push(imp.desc.limits);
    else globals.push(imp.desc.type);
  }
  const importedGlobals = globals.length;
  m.functions.forEach((typeIndex, i) => {
    const body = m.codes[i];
    funcs.push(typeAt(typeIndex, body === undefined ? { section: 'function' } : { section: 'code', offset: body.offset }));
  });
  tables.push(...m.tables);
  memories.push(...m.memories);
  globals.push(...m.globals.map((g) => g.type));
  const ctx: ValidationContext = {
    types: m.types,
    funcs,
    tables,
    memories,
    globals,
    elems: m.elements.map((e) => e.type),
    datas: m.dataCount ?? m.datas.length,
    refs: declaredFunctionReferences(m),
    importedGlobals,
  };
  return file === undefined ? ctx : { ...ctx, file };
}

/** C.refs: functions referenced outside function bodies (globals, elements, exports). */
function declaredFunctionReferences(m: WasmModule): Set<number> {
  const refs = new Set<number>();
  const add = (e: ConstExpr): void => {
    if (e.kind === 'ref.func') refs.add(e.index);
  };
  for (const g of m.globals) add(g.init);
  for (const seg of m.elements) seg.items.forEach(add);
  for (const exp of m.exports) if (exp.kind === 'func') refs.add(exp.index);
  return refs;
}

function checkTableLimits(limits: Limits, site: Site, invalid: Invalid): void {
  if (limits.max !== undefined && limits.min > limits.max) {
    throw invalid(`size minimum must not be greater than maximum (table ${limits.min} > ${limits.max})`, site);
  }
}

function checkMemoryLimits(limits: Limits, site: Site, invalid: Invalid): void {
  if (limits.min > MAX_MEMORY_PAGES) throw invalid(`memory size must be at most 65536 pages (4GiB), minimum is ${limits.min}`, site);
  if (limits.max !== undefined) {
    if (limits.max > MAX_MEMORY_PAGES) throw invalid(`memory size must be at most 65536 pages (4GiB), maximum is ${limits.max}`, site);
    if (limits.min > limits.max) throw invalid(`size minimum must not be greater than maximum (memory ${limits.min} > ${limits.max})`, site);
  }
}

function checkImportsAndDefinitions(m: WasmModule, ctx: ModuleContext, invalid: Invalid): void {
  for (const imp of m.imports) {
    const site = { section: 'import', offset: imp.offset };
    if (imp.desc.kind === 'table') checkTableLimits(imp.desc.type.limits, site, invalid);
    if (imp.desc.kind === 'memory') checkMemoryLimits(imp.desc.limits, site, invalid);
  }
  for (const table of m.tables) checkTableLimits(table.limits, { section: 'table' }, invalid);
  for (const memory of m.memories) checkMemoryLimits(memory, { section: 'memory' }, invalid);
  if (ctx.memories.length > 1) {
    const where: Location = { section: 'memory' };
    if (ctx.file !== undefined) where.file = ctx.file;
    throw new UserError('unsupported-feature', `multi-memory (${ctx.memories.length} memories)`, where);
  }
}

/** The type of a constant expression, checking its indices and that it is constant. */
function constExprType(e: ConstExpr, ctx: ValidationContext, site: Site, invalid: Invalid): ValType {
  switch (e.kind) {
    case 'i32.const':
    case 'i64.const':
    case 'f32.const':
    case 'f64.const':
      return e.kind.slice(0, 3) as ValType;
    case 'ref.null':
      return e.type;
    case 'ref.func':
      if (e.index >= ctx.funcs.length) throw invalid(`unknown function ${e.index}`, site);
      return 'funcref';
    case 'global.get': {
      if (e.index >= ctx.importedGlobals) {
        throw invalid(`unknown global ${e.index}: a constant expression may only read imported globals`, site);
      }
      const g = ctx.globals[e.index]!;
      if (g.mutable) throw invalid(`constant expression required: global ${e.index} is mutable`, site);
      return g.type;
    }
  }
}

function checkConstExpr(e: ConstExpr, expected: ValType, ctx: ValidationContext, site: Site, invalid: Invalid): void {
  const actual = constExprType(e, ctx, site, invalid);
  if (actual !== expected) throw invalid(`type mismatch: constant expression of type ${actual}, expected ${expected}`, site);
}

function checkGlobals(m: WasmModule, ctx: ValidationContext, invalid: Invalid): void {
  for (const g of m.globals) checkConstExpr(g.init, g.type.type, ctx, { section: 'global', offset: g.offset }, invalid);
}

function checkExports(m: WasmModule, ctx: ModuleContext, invalid: Invalid): void {
  const seen = new Set<string>();
  for (const exp of m.exports) {
    const site = { section: 'export', offset: exp.offset };
    if (seen.has(exp.name)) throw invalid(`duplicate export name '${exp.name}'`, site);
    seen.add(exp.name);
    const count = { func: ctx.funcs, table: ctx.tables, memory: ctx.memories, global: ctx.globals }[exp.kind].length;
    if (exp.index >= count) throw invalid(`unknown ${exp.kind} ${exp.index} in export '${exp.name}'`, site);
  }
}

function checkStart(m: WasmModule, ctx: ModuleContext, invalid: Invalid): void {
  if (m.start === undefined) return;
  const site = { section: 'start' };
  const type = ctx.funcs[m.start];
  if (type === undefined) throw invalid(`unknown function ${m.start} as start function`, site);
  if (type.params.length > 0 || type.results.length > 0) {
    throw invalid(`start function ${m.start} must have type [] -> [], has [${type.params.join(' ')}] -> [${type.results.join(' ')}]`, site);
  }
}

function checkElements(m: WasmModule, ctx: ValidationContext, invalid: Invalid): void {
  for (const seg of m.elements) {
    const site = { section: 'element', offset: seg.offset };
    for (const item of seg.items) checkConstExpr(item, seg.type, ctx, site, invalid);
    if (seg.mode.kind !== 'active') continue;
    const table = ctx.tables[seg.mode.table];
    if (table === undefined) throw invalid(`unknown table ${seg.mode.table}`, site);
    if (table.elem !== seg.type) throw invalid(`type mismatch: element segment of ${seg.type} for a table of ${table.elem}`, site);
    checkConstExpr(seg.mode.offset, 'i32', ctx, site, invalid);
  }
}

function checkDatas(m: WasmModule, ctx: ValidationContext, invalid: Invalid): void {
  for (const seg of m.datas) {
    if (seg.mode.kind !== 'active') continue;
    const site = { section: 'data', offset: seg.offset };
    if (seg.mode.memory >= ctx.memories.length) throw invalid(`unknown memory ${seg.mode.memory}`, site);
    checkConstExpr(seg.mode.offset, 'i32', ctx, site, invalid);
  }
}

function checkCode(m: WasmModule, ctx: ModuleContext, invalid: Invalid): void {
  if (m.codes.length !== m.functions.length) {
    throw invalid(`${m.functions.length} functions declared but ${m.codes.length} bodies`, { section: 'code' });
  }
  const importedFuncs = ctx.funcs.length - m.functions.length;
  m.codes.forEach((body, i) => validateBody(ctx, importedFuncs + i, ctx.funcs[importedFuncs + i]!, body));
}
