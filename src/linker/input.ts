// The linker's view of its inputs: objects (loaded from the command line or extracted from an
// archive) and their allocatable sections, with what every stage needs to name them.

import { isMappingSymbol } from '../elf/constants.js';
import type { ObjectFile, ObjSection, ObjSymbol } from '../elf/object.js';

export interface InputSection {
  readonly object: LinkObject;
  readonly section: ObjSection;
  /** `object(section)`, for messages and the map file. */
  readonly label: string;
}

export interface LinkObject {
  /** Load order; also the order of sections in the output. */
  readonly index: number;
  readonly file: ObjectFile;
  readonly sections: ReadonlyMap<string, InputSection>;
  /** Local symbols by name (mapping symbols excluded): they win over globals in this object. */
  readonly locals: ReadonlyMap<string, ObjSymbol>;
}

/** Unwind tables: the firmware never unwinds, and keeping them would pull in the personality routines. */
function isUnwindSection(name: string): boolean {
  return name.startsWith('.ARM.exidx') || name.startsWith('.ARM.extab');
}

/** Wrap an object for linking: drop unwind tables, non-allocated sections and no-op relocations. */
export function makeLinkObject(file: ObjectFile, index: number): LinkObject {
  const sections = new Map<string, InputSection>();
  const object: LinkObject = { index, file, sections, locals: new Map() };
  for (const s of file.sections) {
    if (s.kind === 'other' && !s.name.startsWith('.mcu')) continue;
    if (isUnwindSection(s.name)) continue;
    const relocs = s.relocs.filter((r) => r.type !== 'R_ARM_NONE' && r.type !== 'R_ARM_V4BX');
    sections.set(s.name, { object, section: { ...s, relocs }, label: `${file.name}(${s.name})` });
  }
  const locals = object.locals as Map<string, ObjSymbol>;
  for (const sym of file.symbols) {
    if (sym.binding === 'local' && sym.type !== 'section' && !isMappingSymbol(sym.name) && !locals.has(sym.name)) {
      locals.set(sym.name, sym);
    }
  }
  return object;
}
