// Serialise an ObjectFile as a standard ELF32 little-endian ARM relocatable (EABI v5):
// content sections each followed by its SHT_REL section (.rel<name>, addends stored in the
// relocated fields), then .ARM.attributes, .symtab (locals first: section symbols, mapping symbols, local
// symbols; then globals) and .strtab. arm-none-eabi-readelf/objdump/ld read it.
//
// Mapping symbols: the writer adds `$t` at offset 0 of every text section that has no mapping
// symbol there. A producer that puts data in a text section (literal pools) adds `$d` at the
// start of the data and `$t` where code resumes, as local notype symbols.

import { InternalError } from '../diagnostics/errors.js';
import { armAttributes, type ArmArchitecture } from './arm-attributes.js';
import { writeAddend, ARM_RELOCS } from './arm-relocs.js';
import {
  ABSOLUTE_SECTION,
  ET_REL,
  isMappingSymbol,
  REL_SIZE,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_INFO_LINK,
  SHF_WRITE,
  SHN_ABS,
  SHN_UNDEF,
  SHT_ARM_ATTRIBUTES,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_REL,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
  SYMBOL_SIZE,
} from './constants.js';
import { buildElfFile, ByteWriter, StringTable, writeSymbolEntry, type ElfSectionSpec } from './elf-file-builder.js';
import type { ObjectFile, ObjSection, ObjSymbol, SectionKind, SymbolBinding, SymbolType } from './object.js';

const SECTION_FLAGS: Record<SectionKind, number> = {
  text: SHF_ALLOC | SHF_EXECINSTR,
  rodata: SHF_ALLOC,
  data: SHF_ALLOC | SHF_WRITE,
  bss: SHF_ALLOC | SHF_WRITE,
  other: 0,
};
const BINDINGS: Record<SymbolBinding, number> = { local: STB_LOCAL, global: STB_GLOBAL, weak: STB_WEAK };
const TYPES: Record<SymbolType, number> = { func: STT_FUNC, object: STT_OBJECT, notype: STT_NOTYPE, section: STT_SECTION };

interface SymbolRow {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly binding: number;
  readonly type: number;
  readonly shndx: number;
}

function fail(obj: ObjectFile, message: string): never {
  throw new InternalError('elf object writer', `${obj.name}: ${message}`);
}

/** Section header index (from 1) of each content section, in file order (content, then its .rel). */
function assignSectionIndices(obj: ObjectFile): Map<string, number> {
  const indices = new Map<string, number>();
  let next = 1;
  for (const s of obj.sections) {
    if (indices.has(s.name)) fail(obj, `duplicate section '${s.name}'`);
    indices.set(s.name, next);
    next += s.relocs.length > 0 ? 2 : 1;
  }
  return indices;
}

function symbolRows(obj: ObjectFile, sectionIndex: Map<string, number>): { rows: SymbolRow[]; firstGlobal: number } {
  const shndxOf = (sym: ObjSymbol): number => {
    if (sym.section === null) return SHN_UNDEF;
    if (sym.section === ABSOLUTE_SECTION) return SHN_ABS;
    const idx = sectionIndex.get(sym.section);
    if (idx === undefined) fail(obj, `symbol '${sym.name}' is in unknown section '${sym.section}'`);
    return idx;
  };
  const isText = (name: string | null): boolean => obj.sections.find((s) => s.name === name)?.kind === 'text';
  const toRow = (sym: ObjSymbol): SymbolRow => ({
    name: sym.name,
    // Thumb functions carry the T bit in st_value (AAELF 5.5.3).
    value: sym.type === 'func' && isText(sym.section) ? sym.value | 1 : sym.value,
    size: sym.size,
    binding: BINDINGS[sym.binding],
    type: TYPES[sym.type],
    shndx: shndxOf(sym),
  });

  const rows: SymbolRow[] = [{ name: '', value: 0, size: 0, binding: STB_LOCAL, type: STT_NOTYPE, shndx: 0 }];
  for (const s of obj.sections) {
    rows.push({ name: '', value: 0, size: 0, binding: STB_LOCAL, type: STT_SECTION, shndx: sectionIndex.get(s.name)! });
  }
  for (const s of obj.sections) {
    const hasMapping = obj.symbols.some((m) => m.section === s.name && m.value === 0 && isMappingSymbol(m.name));
    if (s.kind === 'text' && !hasMapping) {
      rows.push({ name: '$t', value: 0, size: 0, binding: STB_LOCAL, type: STT_NOTYPE, shndx: sectionIndex.get(s.name)! });
    }
  }
  const named = obj.symbols.filter((s) => s.type !== 'section');
  for (const sym of named) if (sym.binding === 'local') rows.push(toRow(sym));
  const firstGlobal = rows.length;
  for (const sym of named) if (sym.binding !== 'local') rows.push(toRow(sym));

  // Relocations may name symbols the producer did not list (imports): add them as undefined globals.
  const known = new Set([...named.map((s) => s.name), ...obj.sections.map((s) => s.name)]);
  for (const s of obj.sections) {
    for (const r of s.relocs) {
      if (known.has(r.symbol)) continue;
      known.add(r.symbol);
      rows.push({ name: r.symbol, value: 0, size: 0, binding: STB_GLOBAL, type: STT_NOTYPE, shndx: SHN_UNDEF });
    }
  }
  return { rows, firstGlobal };
}

/** Symbol table index a relocation's symbol name refers to: a named symbol first, then a section symbol. */
function relocSymbolIndex(rows: readonly SymbolRow[], obj: ObjectFile, sectionIndex: Map<string, number>): (name: string) => number {
  const byName = new Map<string, number>();
  rows.forEach((r, i) => {
    if (r.name !== '' && !isMappingSymbol(r.name) && !byName.has(r.name)) byName.set(r.name, i);
  });
  const sectionSymbol = new Map<number, number>();
  rows.forEach((r, i) => {
    if (r.type === STT_SECTION) sectionSymbol.set(r.shndx, i);
  });
  return (name) => {
    const named = byName.get(name);
    if (named !== undefined) return named;
    const shndx = sectionIndex.get(name);
    if (shndx !== undefined) return sectionSymbol.get(shndx)!;
    fail(obj, `relocation against unknown symbol '${name}'`);
  };
}

function contentsWithAddends(obj: ObjectFile, s: ObjSection): Uint8Array {
  const bytes = s.kind === 'bss' ? new Uint8Array(0) : s.bytes.slice();
  if (s.kind === 'bss' && s.relocs.length > 0) fail(obj, `bss section '${s.name}' has relocations`);
  for (const r of s.relocs) {
    const err = writeAddend(r.type, bytes, r.offset, r.addend);
    if (err !== undefined) fail(obj, `${s.name}+0x${r.offset.toString(16)}: ${err}`);
  }
  return bytes;
}

export interface WriteObjectOptions {
  /** Architecture recorded in .ARM.attributes (default v7-M, Cortex-M3). */
  readonly arch?: ArmArchitecture;
}

/** The ELF32 ARM relocatable object for `obj`. */
export function writeObject(obj: ObjectFile, options: WriteObjectOptions = {}): Uint8Array {
  const sectionIndex = assignSectionIndices(obj);
  const { rows, firstGlobal } = symbolRows(obj, sectionIndex);
  const symbolOf = relocSymbolIndex(rows, obj, sectionIndex);
  const contentCount = obj.sections.reduce((n, s) => n + (s.relocs.length > 0 ? 2 : 1), 0);
  const symtabIndex = contentCount + 2; // after .ARM.attributes
  const strtabIndex = contentCount + 3;

  const sections: ElfSectionSpec[] = [];
  for (const s of obj.sections) {
    const bss = s.kind === 'bss';
    sections.push({
      name: s.name,
      type: bss ? SHT_NOBITS : SHT_PROGBITS,
      flags: SECTION_FLAGS[s.kind],
      addr: 0,
      align: s.align,
      data: contentsWithAddends(obj, s),
      size: bss ? s.size : s.bytes.length,
    });
    if (s.relocs.length === 0) continue;
    const rel = new ByteWriter();
    for (const r of s.relocs) {
      rel.u32(r.offset);
      rel.u32((symbolOf(r.symbol) << 8) | ARM_RELOCS[r.type].code);
    }
    sections.push({
      name: `.rel${s.name}`,
      type: SHT_REL,
      flags: SHF_INFO_LINK,
      addr: 0,
      align: 4,
      data: rel.bytes(),
      link: symtabIndex,
      info: sectionIndex.get(s.name)!,
      entsize: REL_SIZE,
    });
  }

  sections.push({
    name: '.ARM.attributes',
    type: SHT_ARM_ATTRIBUTES,
    flags: 0,
    addr: 0,
    align: 1,
    data: armAttributes(options.arch ?? 'v7-M'),
  });

  const strtab = new StringTable();
  const symtab = new ByteWriter();
  for (const r of rows) writeSymbolEntry(symtab, { ...r, name: strtab.add(r.name) });
  sections.push({
    name: '.symtab',
    type: SHT_SYMTAB,
    flags: 0,
    addr: 0,
    align: 4,
    data: symtab.bytes(),
    link: strtabIndex,
    info: firstGlobal,
    entsize: SYMBOL_SIZE,
  });
  sections.push({ name: '.strtab', type: SHT_STRTAB, flags: 0, addr: 0, align: 1, data: strtab.bytes() });
  return buildElfFile({ type: ET_REL, entry: 0, sections, segments: [] });
}
