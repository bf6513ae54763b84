// Section garbage collection: keep the sections reachable through relocations from the
// roots (the vector table sections, the entry point, the `keep` symbols); drop the rest.
// Without gc every allocatable section of every loaded object is kept.

import type { InputSection } from './input.js';
import type { SymbolTable } from './resolve.js';

export interface GcRoots {
  readonly vectorSection: string;
  /** Global symbol names (entry, keep). */
  readonly symbols: readonly string[];
}

/** Every allocatable input section, in load order. */
export function allSections(table: SymbolTable): InputSection[] {
  return table.objects.flatMap((o) => [...o.sections.values()]);
}

/** The sections to link, in load order. */
export function collectLiveSections(table: SymbolTable, roots: GcRoots, gcSections: boolean): InputSection[] {
  const all = allSections(table);
  if (!gcSections) return all;
  const live = new Set<InputSection>();
  const work: InputSection[] = [];
  const mark = (s: InputSection): void => {
    if (live.has(s)) return;
    live.add(s);
    work.push(s);
  };
  for (const s of all) if (s.section.name === roots.vectorSection) mark(s);
  for (const name of roots.symbols) {
    const target = table.resolveGlobal(name);
    if (target.kind === 'section') mark(target.section);
  }
  for (let s = work.pop(); s !== undefined; s = work.pop()) {
    for (const r of s.section.relocs) {
      const target = table.resolve(s.object, r.symbol);
      if (target.kind === 'section') mark(target.section);
    }
  }
  return all.filter((s) => live.has(s));
}
