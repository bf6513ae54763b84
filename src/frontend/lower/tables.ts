// Tables and their initial contents: every defined funcref table, filled in order by the
// ACTIVE element segments (constant offsets). Passive and declarative segments only matter
// to table.init and ref.func, which are not supported yet.

import { UserError, type Location } from '../../diagnostics/errors.js';
import type { TableDecl } from '../../ir/module.js';
import type { ConstExpr, ElementSegment, WasmModule } from '../module.js';
import { constantOffset } from './constants.js';

/** Largest table we lay out: 8 bytes of flash per element, so already 512 KiB. */
const MAX_TABLE_ELEMENTS = 1 << 16;

export function lowerTables(m: WasmModule, file: string | undefined): TableDecl[] {
  const contents = m.tables.map((t, index) => {
    const where: Location = { section: 'table', context: `table ${index}`, file };
    if (t.elem !== 'funcref') throw new UserError('unsupported', `${t.elem} table ${index}`, where);
    if (t.limits.min > MAX_TABLE_ELEMENTS) {
      throw new UserError('unsupported', `table ${index} of ${t.limits.min} elements (at most ${MAX_TABLE_ELEMENTS})`, where);
    }
    return new Array<number | null>(t.limits.min).fill(null);
  });
  m.elements.forEach((segment, index) => {
    if (segment.mode.kind === 'active') initialise(contents, segment, index, file);
  });
  return m.tables.map((t, i) => {
    const decl: TableDecl = { minSize: t.limits.min, elements: contents[i]! };
    return t.limits.max === undefined ? decl : { ...decl, maxSize: t.limits.max };
  });
}

/** Writes an active segment's items into its table, as instantiation does. */
function initialise(contents: (number | null)[][], segment: ElementSegment, index: number, file: string | undefined): void {
  if (segment.mode.kind !== 'active') return;
  const where: Location = { section: 'element', offset: segment.offset, file };
  const table = contents[segment.mode.table];
  if (table === undefined) throw new UserError('invalid', `element segment ${index} names table ${segment.mode.table}, which does not exist`, where);
  const start = constantOffset(segment.mode.offset, `offset of element segment ${index}`, where);
  if (start + segment.items.length > table.length) {
    throw new UserError(
      'invalid',
      `uninstantiable: element segment ${index} (${segment.items.length} elements at ${start}) does not fit table ${segment.mode.table} of ${table.length} elements`,
      where,
    );
  }
  segment.items.forEach((item, i) => {
    table[start + i] = elementValue(item, index, where);
  });
}

function elementValue(item: ConstExpr, segment: number, where: Location): number | null {
  if (item.kind === 'ref.func') return item.index;
  if (item.kind === 'ref.null') return null;
  throw new UserError('unsupported', `${item.kind} as an item of element segment ${segment}`, where);
}
