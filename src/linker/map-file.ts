// The map file: memory summary, output sections with their input sections (object and
// section) and the symbols in them, the linker-defined symbols, and what gc dropped.

import { isMappingSymbol } from '../elf/constants.js';
import type { InputSection } from './input.js';
import type { Layout } from './layout.js';
import type { LinkOptions } from './link.js';

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

function percent(used: number, size: number): string {
  return size === 0 ? '-' : `${((100 * used) / size).toFixed(1)}%`;
}

function memorySummary(layout: Layout, options: LinkOptions): string[] {
  const lines = [
    'Memory summary',
    `  FLASH  origin ${hex(options.flash.origin)}  size ${options.flash.size}  used ${layout.flashUsed} (${percent(layout.flashUsed, options.flash.size)})`,
    `  RAM    origin ${hex(options.ram.origin)}  size ${options.ram.size}  used ${layout.ramUsed} (${percent(layout.ramUsed, options.ram.size)})`,
    `  stack  ${hex(layout.linkerSymbols.get('__stack_bottom')!)} .. ${hex(layout.linkerSymbols.get('__stack_top')!)}  (${options.stackSize} bytes)`,
  ];
  const lm = layout.linearMemory;
  if (lm !== undefined) {
    const note = lm.fitted ? `, fitted (declared ${lm.declaredBytes})` : '';
    lines.push(`  linear memory  ${hex(lm.base)}  physical ${lm.physicalBytes} bytes${note}`);
  }
  return lines;
}

export function mapFile(
  layout: Layout,
  options: LinkOptions,
  discarded: readonly InputSection[],
): string {
  const lines = [...memorySummary(layout, options), '', 'Output sections'];
  for (const out of layout.sections) {
    const load = out.lma !== out.vma ? `  load ${hex(out.lma)}` : '';
    lines.push(`${out.name.padEnd(16)} ${hex(out.vma)}  size ${hex(out.size)}${load}`);
    for (const { input, address } of out.placements) {
      lines.push(`  ${hex(address)}  ${hex(input.section.size)}  ${input.label}`);
      const own = input.object.file.symbols
        .filter((s) => s.section === input.section.name && s.type !== 'section' && !isMappingSymbol(s.name))
        .sort((a, b) => a.value - b.value);
      for (const s of own) lines.push(`      ${hex(address + s.value)}  ${s.name}${s.binding === 'local' ? ' (local)' : ''}`);
    }
  }
  lines.push('', 'Linker symbols');
  for (const [name, value] of layout.linkerSymbols) lines.push(`  ${hex(value)}  ${name}`);
  if (discarded.length > 0) {
    lines.push('', 'Discarded input sections (not reachable)');
    for (const d of discarded) lines.push(`  ${hex(d.section.size)}  ${d.label}`);
  }
  return lines.join('\n') + '\n';
}
