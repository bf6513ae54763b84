// The reference side of a module object (docs/abi.md, "Tables and references"):
//
//   .rodata.mcu_refs   one descriptor {code | 1, canonical signature id} per function
//                      something can reference; the tables that never change; the items
//                      of every element segment
//   .data.mcu_tables   the tables that live in RAM (the startup copy of .data gives them
//                      their initial image); one length word per element segment
//
// A table is {size, capacity, element[capacity]}; an element is 0 or a descriptor address.

import { InternalError } from '../diagnostics/errors.js';
import type { IrModule, TableDecl } from '../ir/module.js';
import { SectionBuilder } from './module-object.js';
import { elemItemsSymbol, elemLengthSymbol, exportSymbol, funcRefSymbol, functionSymbol, tableSymbol, veneerSymbol } from './symbols.js';

export interface ReferenceSections {
  readonly rodata: SectionBuilder;
  readonly data: SectionBuilder;
}

/**
 * Builds both sections. `viaVeneer(index)` says whether a reference to defined function
 * `index` must enter through its veneer (multi-module builds, docs/abi.md).
 */
export function buildReferenceSections(mod: IrModule, viaVeneer: (index: number) => boolean): ReferenceSections {
  const rodata = new SectionBuilder('.rodata.mcu_refs', 'rodata', 4);
  const data = new SectionBuilder('.data.mcu_tables', 'data', 4);
  for (const index of referencedFunctions(mod)) writeFuncRef(mod, index, viaVeneer(index), rodata);
  mod.tables.forEach((t, i) => {
    if (t.import !== undefined) return;
    writeTable(mod, t, i, t.capacity === undefined ? rodata : data);
  });
  (mod.elemSegments ?? []).forEach((seg, i) => {
    rodata.alignTo(4);
    const at = rodata.size;
    for (const item of seg.items) writeRef(mod, item, rodata);
    rodata.defineSymbol(elemItemsSymbol(mod, i), at, 4 * seg.items.length, 'local', 'object');
    data.alignTo(4);
    data.defineSymbol(elemLengthSymbol(mod, i), data.size, 4, 'local', 'object');
    data.word(seg.passive ? seg.items.length : 0); // active and declarative segments start dropped
  });
  return { rodata, data };
}

/** Every function index a reference can name: table contents, element items, ref.func,
 *  reference globals, exported functions (another module may put them in a table). */
export function referencedFunctions(mod: IrModule): number[] {
  const out = new Set<number>();
  const add = (item: number | null | undefined): void => {
    if (item !== null && item !== undefined) out.add(item);
  };
  for (const t of mod.tables) t.elements.forEach(add);
  for (const seg of mod.elemSegments ?? []) seg.items.forEach(add);
  for (const init of mod.tableInits ?? []) init.items.forEach(add);
  for (const g of mod.globals) add(g.initFunc);
  for (const body of mod.bodies) {
    for (const block of body.blocks) for (const inst of block.insts) if (inst.op === 'func_ref') add(inst.index);
  }
  return [...out].sort((a, b) => a - b);
}

/** A pointer to function `index`'s descriptor, or 0 for null. */
export function writeRef(mod: IrModule, item: number | null, section: SectionBuilder): void {
  if (item === null) section.word(0);
  else section.pointer(funcRefSymbol(mod, item));
}

function writeFuncRef(mod: IrModule, index: number, viaVeneer: boolean, rodata: SectionBuilder): void {
  const decl = mod.functions[index];
  const sig = decl === undefined ? undefined : mod.canonicalSig[decl.sigIndex];
  if (decl === undefined || sig === undefined) throw new InternalError('module object', `reference to function ${index} without a signature`);
  rodata.alignTo(4);
  const at = rodata.size;
  // Against an STT_FUNC symbol, so the linker sets the Thumb bit.
  rodata.pointer(decl.import === undefined && viaVeneer ? veneerSymbol(mod, index) : functionSymbol(mod, index));
  rodata.word(sig);
  rodata.defineSymbol(funcRefSymbol(mod, index), at, 8, 'local', 'object');
}

function writeTable(mod: IrModule, t: TableDecl, index: number, section: SectionBuilder): void {
  const size = Math.max(t.minSize, t.elements.length);
  const capacity = Math.max(t.capacity ?? size, size);
  section.alignTo(4);
  const at = section.size;
  section.word(size);
  section.word(capacity);
  for (let i = 0; i < capacity; i++) writeRef(mod, t.elements[i] ?? null, section);
  const bytes = 8 + 4 * capacity;
  section.defineSymbol(tableSymbol(mod, index), at, bytes, 'local', 'object');
  for (const name of t.exports ?? []) section.defineSymbol(exportSymbol(mod, name), at, bytes, 'global', 'object');
}
