// Tables and element segments at module level (docs/abi.md, "Tables and references").
//
// The IR table index space is Wasm's: imported tables first. A defined table gets its
// initial contents at build time from the active element segments, in order. It stays in
// flash while nothing can change it; it lives in RAM (its image copied there at reset,
// like any initialised data) when the module mutates it (table.set/grow/fill/copy/init)
// or shares it (exported). A RAM table reserves room to grow: up to its declared maximum,
// but at most `tableGrowth` elements beyond its minimum.
//
// Active segments that write into an imported table cannot be baked into an image the
// exporter owns: they become TableInits that runtime-c applies at instantiation.

import { UserError, type Location } from '../../diagnostics/errors.js';
import type { ElemSegmentDecl, TableDecl, TableInit } from '../../ir/module.js';
import type { ConstExpr, ElementSegment, WasmModule } from '../module.js';
import { constantOffset, type ConstEnv } from './constants.js';

/** Largest table we lay out: 4 bytes per element, so already 256 KiB. */
const MAX_TABLE_ELEMENTS = 1 << 16;
/** Default room a RAM table without a (smaller) declared maximum has to grow. */
export const DEFAULT_TABLE_GROWTH = 1024;

/** Instructions that change a table, and which immediate names that table. */
const MUTATING: Readonly<Record<string, 'index' | 'index2'>> = {
  'table.set': 'index',
  'table.grow': 'index',
  'table.fill': 'index',
  'table.copy': 'index',
  'table.init': 'index2',
};

export interface LoweredTables {
  readonly tables: TableDecl[];
  readonly elemSegments: ElemSegmentDecl[];
  readonly tableInits: TableInit[];
}

export function lowerTables(m: WasmModule, file: string | undefined, env: ConstEnv, tableGrowth = DEFAULT_TABLE_GROWTH): LoweredTables {
  const imported = m.imports.flatMap((imp) => (imp.desc.kind === 'table' ? [{ imp, type: imp.desc.type }] : []));
  const mutated = mutatedTables(m);
  const exportsOf = (index: number): string[] => m.exports.filter((e) => e.kind === 'table' && e.index === index).map((e) => e.name);

  const tables: TableDecl[] = imported.map(({ imp, type }, index) => ({
    minSize: type.limits.min,
    ...(type.limits.max !== undefined && { maxSize: type.limits.max }),
    elements: [],
    elemType: type.elem,
    import: { module: imp.module, name: imp.name },
    exports: exportsOf(index),
  }));
  const contents = m.tables.map((t, i) => {
    const index = imported.length + i;
    if (t.limits.min > MAX_TABLE_ELEMENTS) {
      const where: Location = { section: 'table', context: `table ${index}`, file };
      throw new UserError('unsupported', `table ${index} of ${t.limits.min} elements (at most ${MAX_TABLE_ELEMENTS})`, where);
    }
    return new Array<number | null>(t.limits.min).fill(null);
  });

  const tableInits: TableInit[] = [];
  m.elements.forEach((segment, index) => {
    if (segment.mode.kind !== 'active') return;
    const where: Location = { section: 'element', offset: segment.offset, file };
    const start = constantOffset(segment.mode.offset, `offset of element segment ${index}`, where, env);
    const items = segment.items.map((item) => elementValue(item, index, where));
    if (segment.mode.table < imported.length) {
      tableInits.push({ table: segment.mode.table, offset: start, items });
      return;
    }
    const table = contents[segment.mode.table - imported.length];
    if (table === undefined) throw new UserError('invalid', `element segment ${index} names table ${segment.mode.table}, which does not exist`, where);
    checkFits(start, items.length, table.length, index, segment, where);
    items.forEach((item, i) => {
      table[start + i] = item;
    });
  });

  m.tables.forEach((t, i) => {
    const index = imported.length + i;
    const exports = exportsOf(index);
    const inRam = mutated.has(index) || exports.length > 0;
    const capacity = Math.min(t.limits.max ?? Infinity, t.limits.min + tableGrowth, MAX_TABLE_ELEMENTS);
    tables.push({
      minSize: t.limits.min,
      ...(t.limits.max !== undefined && { maxSize: t.limits.max }),
      elements: contents[i]!,
      elemType: t.elem,
      exports,
      ...(inRam && { capacity: Math.max(capacity, t.limits.min) }),
    });
  });

  const elemSegments = m.elements.map((segment, index): ElemSegmentDecl => {
    const where: Location = { section: 'element', offset: segment.offset, file };
    return { items: segment.items.map((item) => elementValue(item, index, where)), passive: segment.mode.kind === 'passive' };
  });
  return { tables, elemSegments, tableInits };
}

/** Indices of the tables some instruction of the module changes. */
function mutatedTables(m: WasmModule): Set<number> {
  const out = new Set<number>();
  for (const code of m.codes) {
    for (const ins of code.body) {
      const field = MUTATING[ins.op];
      if (field !== undefined) out.add(ins[field] ?? 0);
    }
  }
  return out;
}

/** Instantiation fails on a segment beyond its table (checked after the earlier ones wrote). */
function checkFits(start: number, count: number, size: number, index: number, segment: ElementSegment, where: Location): void {
  if (start + count <= size) return;
  const table = segment.mode.kind === 'active' ? segment.mode.table : 0;
  throw new UserError(
    'uninstantiable',
    `out of bounds table access: element segment ${index} (${count} elements at ${start}) does not fit table ${table} of ${size} elements`,
    where,
  );
}

/** An element item as a function index or null. */
function elementValue(item: ConstExpr, segment: number, where: Location): number | null {
  if (item.kind === 'ref.func') return item.index;
  if (item.kind === 'ref.null') return null;
  throw new UserError('unsupported', `${item.kind} as an item of element segment ${segment}`, where);
}
