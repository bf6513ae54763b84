// What a module object needs when it is one of several modules in a firmware (docs/abi.md,
// "Several modules in one firmware"):
//
//   .text.mcu_veneers  an entry veneer per function reachable from outside (exports,
//                      references, the start function) when the module has a memory:
//                      it switches r9 to this module's memory for the call
//   .rodata.mcu_instance
//                      `<prefix>$instance`, the record runtime-c's modules.c instantiates
//                      the module from, and its table initialisers (active element
//                      segments into imported tables)
//   .bss.mcu_memory    a memory this module defines outside the primary one: 8 bytes of
//                      memory context, then `<prefix>$memory`, the base

import type { ObjectFile, ObjSection, ObjSymbol } from '../elf/object.js';
import type { IrModule } from '../ir/module.js';
import { referencedFunctions, writeRef } from './module-references.js';
import { SectionBuilder } from './module-object.js';
import { boundSymbol, exportSymbol, functionSymbol, ownMemorySymbol, tableSymbol, veneerSymbol } from './symbols.js';
import { encodeVeneer } from './veneers.js';

export interface MultiModuleOptions {
  /** The entry module keeps the descriptor name __mcu_module; the others get `<prefix>$module`. */
  readonly entry: boolean;
  /** Bytes to reserve for a memory this module defines outside the primary one. Absent: a
   *  memory it defines is the primary one, at __mcu_linear_memory. */
  readonly ownMemoryBytes?: number;
}

/** The memory-context size below a memory base: [base-8] pages, [base-4] bound. */
const MEMORY_CONTEXT_BYTES = 8;
const PRIMARY_MEMORY = '__mcu_linear_memory';
export const instanceSymbol = (prefix: string): string => `${prefix}$instance`;

/** The symbol of this module's memory base (what r9 holds in its code), if it has one. */
export function memoryBaseSymbol(mod: IrModule, opts: MultiModuleOptions): string | undefined {
  if (mod.memory === undefined) return undefined;
  if (mod.memory.import !== undefined) return boundSymbol(mod.memory.import);
  return opts.ownMemoryBytes !== undefined ? ownMemorySymbol(mod.prefix) : PRIMARY_MEMORY;
}

/** Defined functions that get an entry veneer: those reachable from outside, when the module has a memory. */
export function veneeredFunctions(mod: IrModule, opts: MultiModuleOptions): Set<number> {
  if (memoryBaseSymbol(mod, opts) === undefined) return new Set();
  const defined = (i: number): boolean => mod.functions[i]?.import === undefined;
  const indices = [
    ...mod.functions.filter((f) => f.exports.length > 0).map((f) => f.index),
    ...referencedFunctions(mod),
    ...(mod.start === undefined ? [] : [mod.start]),
  ];
  return new Set(indices.filter(defined).sort((a, b) => a - b));
}

export interface InstanceSections {
  readonly builders: SectionBuilder[];
  readonly bss?: { section: ObjSection; symbols: ObjSymbol[] };
}

/** The veneers, the instance record and the own memory of a module in a multi-module build. */
export function buildInstanceSections(mod: IrModule, opts: MultiModuleOptions, descriptorSymbol: string): InstanceSections {
  const base = memoryBaseSymbol(mod, opts);
  const text = new SectionBuilder('.text.mcu_veneers', 'text', 4);
  for (const index of veneeredFunctions(mod, opts)) {
    const veneer = encodeVeneer(mod, index, functionSymbol(mod, index), base!);
    text.alignTo(4);
    const at = text.size;
    text.appendBytes(veneer.bytes);
    for (const r of veneer.relocs) text.addReloc({ ...r, offset: r.offset + at });
    text.defineSymbol(veneerSymbol(mod, index), at, veneer.bytes.length, 'local', 'func');
    for (const name of mod.functions[index]!.exports) text.defineSymbol(exportSymbol(mod, name), at, veneer.bytes.length, 'global', 'func');
  }

  // struct mcu_instance and its struct mcu_table_init array (runtime-c/mcu_module.h).
  const rodata = new SectionBuilder('.rodata.mcu_instance', 'rodata', 4);
  const inits = mod.tableInits ?? [];
  rodata.pointer(descriptorSymbol);
  rodata.optionalPointer(base);
  rodata.word(opts.ownMemoryBytes ?? 0);
  rodata.word(inits.length);
  rodata.optionalPointer(inits.length === 0 ? undefined : rodata.name, 24);
  rodata.word(0); // reserved, keeps the table initialisers 8-aligned in the record's size
  rodata.defineSymbol(instanceSymbol(mod.prefix), 0, 24, 'global', 'object');
  const itemsAt = 24 + 16 * inits.length;
  let cursor = itemsAt;
  for (const init of inits) {
    rodata.pointer(tableSymbol(mod, init.table));
    rodata.word(init.offset);
    rodata.word(init.items.length);
    rodata.pointerHere(cursor);
    cursor += 4 * init.items.length;
  }
  for (const init of inits) for (const item of init.items) writeRef(mod, item, rodata);

  const builders = [text, rodata];
  if (opts.ownMemoryBytes === undefined || mod.memory === undefined || mod.memory.import !== undefined) return { builders };
  const size = MEMORY_CONTEXT_BYTES + opts.ownMemoryBytes;
  const section: ObjSection = { name: '.bss.mcu_memory', kind: 'bss', align: 8, bytes: new Uint8Array(0), size, relocs: [] };
  const symbol: ObjSymbol = { name: ownMemorySymbol(mod.prefix), section: section.name, value: MEMORY_CONTEXT_BYTES, size: opts.ownMemoryBytes, binding: 'global', type: 'object' };
  return { builders, bss: { section, symbols: [symbol] } };
}

/** The glue object of a multi-module build: __mcu_instances (every module's instance
 *  record, in instantiation order) and __mcu_instance_count (runtime-c/mcu_instance.h). */
export function buildInstanceList(prefixes: readonly string[]): ObjectFile {
  const rodata = new SectionBuilder('.rodata.mcu_instances', 'rodata', 4);
  rodata.word(prefixes.length);
  rodata.defineSymbol('__mcu_instance_count', 0, 4, 'global', 'object');
  for (const prefix of prefixes) rodata.pointer(instanceSymbol(prefix));
  rodata.defineSymbol('__mcu_instances', 4, 4 * prefixes.length, 'global', 'object');
  const section = rodata.finish();
  const undefinedSymbols: ObjSymbol[] = prefixes.map((p) => ({ name: instanceSymbol(p), section: null, value: 0, size: 0, binding: 'global', type: 'notype' }));
  const sectionSymbol: ObjSymbol = { name: section.name, section: section.name, value: 0, size: 0, binding: 'local', type: 'section' };
  return { name: 'mcu-instances.o', sections: [section], symbols: [sectionSymbol, ...rodata.symbols, ...undefinedSymbols] };
}
