// Symbol names of a module's entities in the object file (docs/abi.md, "Symbols").

import type { IrModule } from '../ir/module.js';

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
  if (decl?.import !== undefined) return importSymbol(decl.import.module, decl.import.name);
  return `${mod.prefix}$f${index}`;
}

export const importSymbol = (module: string, name: string): string => `${mangle(module)}__${mangle(name)}`;
export const exportSymbol = (mod: IrModule, exportName: string): string => `${mod.prefix}_${mangle(exportName)}`;
export const globalSymbol = (mod: IrModule, index: number): string => `${mod.prefix}$g${index}`;
export const tableSymbol = (mod: IrModule, index: number): string => `${mod.prefix}$table${index}`;
export const MODULE_DESCRIPTOR_SYMBOL = '__mcu_module';
