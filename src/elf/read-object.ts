// Read an ELF32 little-endian ARM relocatable (ours, gcc's, libgcc's members) into an
// ObjectFile. Kept: allocated sections (PROGBITS, NOBITS, init arrays, ARM unwind tables);
// dropped: debug info, notes, comments, attributes, group headers (COMDAT members become
// plain sections). REL addends are decoded from the relocated fields through the relocation
// table; COMMON symbols each get a bss section of their own; section symbols become the
// section's name in relocations; STT_FUNC values lose the Thumb bit (type func implies it).

import { userError, type Location } from '../diagnostics/errors.js';
import { readAddend, relocTypeFromCode } from './arm-relocs.js';
import {
  ABSOLUTE_SECTION,
  COMMON_SECTION_PREFIX,
  ELF_MAGIC,
  ELFCLASS32,
  ELFDATA2LSB,
  EM_ARM,
  ET_REL,
  isIgnoredSectionName,
  isMappingSymbol,
  REL_SIZE,
  SECTION_HEADER_SIZE,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_REL,
  SHT_RELA,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FILE,
  STT_FUNC,
  STT_OBJECT,
  STT_SECTION,
  SYMBOL_SIZE,
} from './constants.js';
import type { ObjectFile, ObjReloc, ObjSection, ObjSymbol, SectionKind, SymbolBinding, SymbolType } from './object.js';

interface SectionHeader {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly align: number;
}

interface RawSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly binding: number;
  readonly type: number;
  readonly shndx: number;
}

class ElfInput {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly name: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(detail: string, where: Location = {}): never {
    throw userError('input', detail, { file: this.name, ...where });
  }
  u8(o: number): number {
    this.check(o, 1);
    return this.view.getUint8(o);
  }
  u16(o: number): number {
    this.check(o, 2);
    return this.view.getUint16(o, true);
  }
  u32(o: number): number {
    this.check(o, 4);
    return this.view.getUint32(o, true);
  }
  slice(o: number, n: number): Uint8Array {
    this.check(o, n);
    return this.bytes.slice(o, o + n);
  }
  cString(o: number): string {
    let end = o;
    while (end < this.bytes.length && this.bytes[end] !== 0) end++;
    return new TextDecoder().decode(this.bytes.subarray(o, end));
  }
  private check(o: number, n: number): void {
    if (o < 0 || o + n > this.bytes.length) this.fail('truncated ELF file', { offset: o });
  }
}

function readHeaders(input: ElfInput): SectionHeader[] {
  if (input.bytes.length < 52 || ELF_MAGIC.some((b, i) => input.bytes[i] !== b)) input.fail('not an ELF file');
  if (input.u8(4) !== ELFCLASS32 || input.u8(5) !== ELFDATA2LSB) input.fail('not a 32-bit little-endian ELF file');
  if (input.u16(18) !== EM_ARM) input.fail(`not an ARM ELF file (machine ${input.u16(18)})`);
  if (input.u16(16) !== ET_REL) input.fail('not a relocatable object (ET_REL)');
  const shoff = input.u32(32);
  const shnum = input.u16(48);
  const shstrndx = input.u16(50);
  const raw = Array.from({ length: shnum }, (_, i) => {
    const b = shoff + i * SECTION_HEADER_SIZE;
    return {
      index: i,
      nameOffset: input.u32(b),
      type: input.u32(b + 4),
      flags: input.u32(b + 8),
      offset: input.u32(b + 16),
      size: input.u32(b + 20),
      link: input.u32(b + 24),
      info: input.u32(b + 28),
      align: input.u32(b + 32),
    };
  });
  const strtab = raw[shstrndx];
  if (strtab === undefined) input.fail('missing section name table');
  return raw.map((h) => ({ ...h, name: input.cString(strtab.offset + h.nameOffset) }));
}

function readSymbols(input: ElfInput, headers: readonly SectionHeader[]): RawSymbol[] {
  const symtab = headers.find((h) => h.type === SHT_SYMTAB);
  if (symtab === undefined) return [];
  const strtab = headers[symtab.link];
  if (strtab === undefined) input.fail('symbol table without a string table');
  const count = Math.floor(symtab.size / SYMBOL_SIZE);
  return Array.from({ length: count }, (_, i) => {
    const b = symtab.offset + i * SYMBOL_SIZE;
    const info = input.u8(b + 12);
    return {
      name: input.cString(strtab.offset + input.u32(b)),
      value: input.u32(b + 4),
      size: input.u32(b + 8),
      binding: info >> 4,
      type: info & 0xf,
      shndx: input.u16(b + 14),
    };
  });
}

function isKeptSection(h: SectionHeader): boolean {
  return (h.flags & SHF_ALLOC) !== 0 && !isIgnoredSectionName(h.name);
}

function sectionKind(h: SectionHeader): SectionKind {
  if (h.type === SHT_NOBITS) return 'bss';
  if ((h.flags & SHF_EXECINSTR) !== 0) return 'text';
  if ((h.flags & SHF_WRITE) !== 0) return 'data';
  return 'rodata';
}

/** Names of kept sections by header index; a repeated name (COMDAT copies) gets a `#index` suffix. */
function sectionNames(headers: readonly SectionHeader[]): Map<number, string> {
  const names = new Map<number, string>();
  const used = new Set<string>();
  for (const h of headers) {
    if (!isKeptSection(h)) continue;
    const name = used.has(h.name) ? `${h.name}#${h.index}` : h.name;
    used.add(name);
    names.set(h.index, name);
  }
  return names;
}

const BINDING: Record<number, SymbolBinding> = { [STB_LOCAL]: 'local', [STB_GLOBAL]: 'global', [STB_WEAK]: 'weak' };

interface SymbolTranslation {
  readonly symbols: ObjSymbol[];
  readonly commons: ObjSection[];
  /** Name to use in relocations for each symbol table index (undefined: a dropped symbol). */
  readonly relocName: (string | undefined)[];
}

function translateSymbols(
  input: ElfInput,
  raw: readonly RawSymbol[],
  names: Map<number, string>,
): SymbolTranslation {
  const symbols: ObjSymbol[] = [];
  const commons: ObjSection[] = [];
  const relocName: (string | undefined)[] = [];
  const localNames = new Set<string>();
  raw.forEach((s, i) => {
    relocName.push(undefined);
    if (i === 0 || s.type === STT_FILE) return;
    if (s.type === STT_SECTION) {
      relocName[i] = names.get(s.shndx);
      return;
    }
    const binding = BINDING[s.binding];
    if (binding === undefined) input.fail(`symbol '${s.name}' has unsupported binding ${s.binding}`);
    let section: string | null;
    let value = s.value;
    if (s.shndx === SHN_UNDEF) {
      if (binding === 'local') return;
      section = null;
    } else if (s.shndx === SHN_ABS) {
      section = ABSOLUTE_SECTION;
    } else if (s.shndx === SHN_COMMON) {
      section = COMMON_SECTION_PREFIX + s.name;
      commons.push({ name: section, kind: 'bss', align: Math.max(1, s.value), bytes: new Uint8Array(0), size: s.size, relocs: [] });
      value = 0;
    } else if (s.shndx >= SHN_LORESERVE) {
      input.fail(`symbol '${s.name}' has unsupported section index 0x${s.shndx.toString(16)}`);
    } else {
      const kept = names.get(s.shndx);
      if (kept === undefined) return; // defined in a dropped section (debug info...)
      section = kept;
    }
    let type: SymbolType = s.type === STT_OBJECT ? 'object' : 'notype';
    if (s.type === STT_FUNC) {
      // Thumb functions have bit 0 set; an even STT_FUNC would be ARM code, which we cannot call.
      const thumb = (value & 1) === 1 || section === null;
      type = thumb ? 'func' : 'notype';
      value &= ~1;
    }
    let name = s.name;
    if (binding === 'local' && !isMappingSymbol(name)) {
      // Keep local names unique within the object so relocations stay unambiguous.
      if (localNames.has(name)) name = `${name}~${i}`;
      localNames.add(name);
    }
    relocName[i] = name;
    symbols.push({ name, section, value: value >>> 0, size: s.size, binding, type });
  });
  return { symbols, commons, relocName };
}

function readRelocations(
  input: ElfInput,
  relHeader: SectionHeader,
  target: SectionHeader,
  targetName: string,
  contents: Uint8Array,
  relocName: readonly (string | undefined)[],
): ObjReloc[] {
  const entrySize = relHeader.type === SHT_RELA ? 12 : REL_SIZE;
  const count = Math.floor(relHeader.size / entrySize);
  const relocs: ObjReloc[] = [];
  for (let i = 0; i < count; i++) {
    const b = relHeader.offset + i * entrySize;
    const offset = input.u32(b);
    const info = input.u32(b + 4);
    const where: Location = { section: targetName, offset, context: `object ${input.name}` };
    const type = relocTypeFromCode(info & 0xff);
    if (type === undefined) input.fail(`unsupported ARM relocation type ${info & 0xff}`, where);
    const symbol = relocName[info >>> 8];
    if (symbol === undefined) input.fail(`relocation against a dropped or missing symbol #${info >>> 8}`, where);
    if (target.type === SHT_NOBITS && type !== 'R_ARM_NONE') input.fail('relocation in a NOBITS section', where);
    const addend =
      relHeader.type === SHT_RELA ? input.view.getInt32(b + 8, true) : readAddend(type, contents, offset);
    relocs.push({ offset, type, symbol, addend });
  }
  return relocs;
}

/** The ObjectFile in an ELF32 ARM relocatable; `name` is used in messages (file or archive(member)). */
export function readObject(bytes: Uint8Array, name: string): ObjectFile {
  const input = new ElfInput(bytes, name);
  const headers = readHeaders(input);
  const names = sectionNames(headers);
  const { symbols, commons, relocName } = translateSymbols(input, readSymbols(input, headers), names);

  const sections: ObjSection[] = [];
  for (const h of headers) {
    const sectionName = names.get(h.index);
    if (sectionName === undefined) continue;
    const nobits = h.type === SHT_NOBITS;
    const contents = nobits ? new Uint8Array(0) : input.slice(h.offset, h.size);
    const relocs = headers
      .filter((r) => (r.type === SHT_REL || r.type === SHT_RELA) && r.info === h.index)
      .flatMap((r) => readRelocations(input, r, h, sectionName, contents, relocName));
    sections.push({ name: sectionName, kind: sectionKind(h), align: Math.max(1, h.align), bytes: contents, size: h.size, relocs });
  }
  return { name, sections: [...sections, ...commons], symbols };
}
