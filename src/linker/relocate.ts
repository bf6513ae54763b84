// Build each output section's bytes: copy the input sections to their addresses and apply
// their relocations through the shared ARM relocation table. Every failure (overflow, call
// to non-Thumb code) is collected and reported together.

import { userError } from '../diagnostics/errors.js';
import { applyRelocation, type RelocInput } from '../elf/arm-relocs.js';
import type { ObjReloc } from '../elf/object.js';
import type { Layout, OutputSection } from './layout.js';
import type { SymbolTable, Target } from './resolve.js';

/** NOP.W (T2), which replaces a BL to an undefined weak function, as ld does. */
const NOP_W = [0xaf, 0xf3, 0x00, 0x80];

function targetInput(target: Target, layout: Layout): Omit<RelocInput, 'A' | 'P'> | undefined {
  switch (target.kind) {
    case 'section': {
      const base = layout.addressOf.get(target.section);
      if (base === undefined) return undefined; // a dropped section: reported by the caller
      return { S: base + target.offset, T: target.thumb ? 1 : 0 };
    }
    case 'absolute':
      return { S: target.value, T: target.thumb ? 1 : 0 };
    case 'linker':
      return { S: layout.linkerSymbols.get(target.name)!, T: 0 };
    case 'undefined':
      return { S: 0, T: 0 };
  }
}

function relocateOne(
  bytes: Uint8Array,
  offset: number,
  place: number,
  r: ObjReloc,
  target: Target,
  layout: Layout,
): string | undefined {
  if (target.kind === 'undefined' && target.weak && r.type === 'R_ARM_THM_CALL') {
    bytes.set(NOP_W, offset);
    return undefined;
  }
  const input = targetInput(target, layout);
  if (input === undefined) return `'${r.symbol}' is in a discarded section`;
  return applyRelocation(r.type, bytes, offset, { ...input, A: r.addend, P: place });
}

/** The contents of `out` (empty for bss), relocated. */
function relocateSection(out: OutputSection, table: SymbolTable, layout: Layout, errors: string[]): Uint8Array {
  if (out.kind === 'bss') return new Uint8Array(0);
  const bytes = new Uint8Array(out.size);
  for (const { input, address } of out.placements) {
    const start = address - out.vma;
    bytes.set(input.section.bytes.subarray(0, input.section.size), start);
    const view = bytes.subarray(start, start + input.section.size);
    for (const r of input.section.relocs) {
      const err = relocateOne(view, r.offset, address + r.offset, r, table.resolve(input.object, r.symbol), layout);
      if (err !== undefined) errors.push(`${err} at ${input.label}+0x${r.offset.toString(16)} (symbol '${r.symbol}')`);
    }
  }
  return bytes;
}

/** Relocated contents of every output section, by name. */
export function relocateAll(table: SymbolTable, layout: Layout): Map<string, Uint8Array> {
  const errors: string[] = [];
  const contents = new Map(layout.sections.map((out) => [out.name, relocateSection(out, table, layout, errors)]));
  if (errors.length > 0) throw userError('link', `relocation failed: ${errors.join('; ')}`);
  return contents;
}

/** Address of a section-relative or absolute target, with the Thumb bit for functions. */
export function targetAddress(target: Target, layout: Layout): number | undefined {
  const input = targetInput(target, layout);
  if (input === undefined) return undefined;
  return (input.S | input.T) >>> 0;
}
