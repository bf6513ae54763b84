// Symbol names of a module's entities in the object file (docs/abi.md, "Symbols").

import type { ImportName, IrModule } from '../ir/module.js';

/** Characters outside [A-Za-z0-9_] become `_xx` (two hex digits per UTF-8 byte). */
export function mangle(name: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(name)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The symbol a call to function `index` targets: the import's C symbol or the local code symbol. */
export function functionSymbol(mod: IrModule, index: number): string {
  const decl = mod.functions[index];
  if (decl?.import !== undefined) return boundSymbol(decl.import);
  return `${mod.prefix}$f${index}`;
}

/** An import's symbol: the export a multi-module build bound it to, else `<module>__<name>`. */
export const boundSymbol = (imp: ImportName): string => imp.symbol ?? importSymbol(imp.module, imp.name);

export const importSymbol = (module: string, name: string): string => `${mangle(module)}__${mangle(name)}`;
export const exportSymbol = (mod: IrModule, exportName: string): string => `${mod.prefix}_${mangle(exportName)}`;
/** A global's storage: its own, or the exporter's for an imported one. */
export function globalSymbol(mod: IrModule, index: number): string {
  const imp = mod.globals[index]?.import;
  return imp === undefined ? `${mod.prefix}$g${index}` : boundSymbol(imp);
}
/** A table's header (docs/abi.md): its own, or the exporter's for an imported one. */
export function tableSymbol(mod: IrModule, index: number): string {
  const imp = mod.tables[index]?.import;
  return imp === undefined ? `${mod.prefix}$table${index}` : boundSymbol(imp);
}
/** The descriptor {code, signature id} that a reference to function `index` points at. */
export const funcRefSymbol = (mod: IrModule, index: number): string => `${mod.prefix}$ref${index}`;
/** The entry veneer of defined function `index`: sets r9 to the module's memory, then calls it. */
export const veneerSymbol = (mod: IrModule, index: number): string => `${mod.prefix}$v${index}`;
/** Element segment `index`'s items, and the RAM word holding its current length (0 once dropped). */
export const elemItemsSymbol = (mod: IrModule, index: number): string => `${mod.prefix}$elem${index}`;
export const elemLengthSymbol = (mod: IrModule, index: number): string => `${mod.prefix}$elemlen${index}`;
/** A memory this module defines outside the primary one (multi-module builds). */
export const ownMemorySymbol = (prefix: string): string => `${prefix}$memory`;
/** The module descriptor of a module other than the entry of a multi-module build. */
export const moduleDescriptorSymbol = (prefix: string): string => `${prefix}$module`;
export const MODULE_DESCRIPTOR_SYMBOL = '__mcu_module';
