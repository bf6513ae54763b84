// The executable's symbol table: every named symbol of the live sections at its final address
// (locals too, and the mapping symbols that tell disassemblers code from data), the winning
// definition of each global, and the linker-defined symbols.

import { ABSOLUTE_SECTION, isMappingSymbol } from '../elf/constants.js';
import type { ExecutableSymbol } from '../elf/write-executable.js';
import type { InputSection } from './input.js';
import type { Layout } from './layout.js';
import type { SymbolTable } from './resolve.js';

export function outputSymbols(table: SymbolTable, live: readonly InputSection[], layout: Layout): ExecutableSymbol[] {
  const outputOf = new Map<InputSection, string>();
  for (const out of layout.sections) for (const p of out.placements) outputOf.set(p.input, out.name);
  const symbols: ExecutableSymbol[] = [];

  for (const input of live) {
    const address = layout.addressOf.get(input);
    const section = outputOf.get(input);
    if (address === undefined || section === undefined) continue;
    const own = input.object.file.symbols.filter((s) => s.section === input.section.name && s.type !== 'section');
    if (input.section.kind === 'text' && !own.some((s) => s.value === 0 && isMappingSymbol(s.name))) {
      symbols.push({ name: '$t', value: address, size: 0, type: 'notype', binding: 'local', section });
    }
    for (const sym of own) {
      // Only the definition that won resolution appears as a global.
      if (sym.binding !== 'local' && table.globals.get(sym.name)?.symbol !== sym) continue;
      symbols.push({ name: sym.name, value: address + sym.value, size: sym.size, type: sym.type, binding: sym.binding, section });
    }
  }
  for (const [name, def] of table.globals) {
    if (def.symbol.section === ABSOLUTE_SECTION) {
      symbols.push({ name, value: def.symbol.value, size: 0, type: def.symbol.type, binding: def.symbol.binding, section: null });
    }
  }
  for (const [name, value] of layout.linkerSymbols) {
    if (!table.globals.has(name)) symbols.push({ name, value, size: 0, type: 'notype', binding: 'global', section: null });
  }
  return symbols;
}
