// Write an ELF32 ARM executable: one PT_LOAD program header per allocated output section
// (vaddr = run address, paddr = load address, so .data's image sits in flash and QEMU/gdb
// load it there), section headers, and a symbol table (with mapping symbols) for
// arm-none-eabi-objdump and gdb.

import {
  ET_EXEC,
  PF_R,
  PF_W,
  PF_X,
  PT_LOAD,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHT_NOBITS,
  SHT_PROGBITS,
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
import { buildElfFile, ByteWriter, StringTable, writeSymbolEntry, type ElfSectionSpec, type ElfSegmentSpec } from './elf-file-builder.js';
import type { SymbolBinding, SymbolType } from './object.js';

export type ExecutableSectionKind = 'text' | 'rodata' | 'data' | 'bss';

export interface ExecutableSection {
  readonly name: string;
  readonly kind: ExecutableSectionKind;
  /** Run address. */
  readonly vma: number;
  /** Load address (differs from vma for .data, whose image is in flash). */
  readonly lma: number;
  readonly align: number;
  /** Contents; empty for bss. */
  readonly bytes: Uint8Array;
  readonly size: number;
}

export interface ExecutableSymbol {
  readonly name: string;
  /** Address (for Thumb functions even; the writer adds the T bit). */
  readonly value: number;
  readonly size: number;
  readonly type: SymbolType;
  readonly binding: SymbolBinding;
  /** Output section name, or null for an absolute symbol. */
  readonly section: string | null;
}

export interface ExecutableImage {
  /** Entry address, with the Thumb bit. */
  readonly entry: number;
  readonly sections: readonly ExecutableSection[];
  readonly symbols: readonly ExecutableSymbol[];
  /** Non-allocated sections of information for tools (e.g. `.mcu_aot.board`): in the file,
   *  never loaded, so they change neither the memory image nor .bin/.hex. */
  readonly infoSections?: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

const FLAGS: Record<ExecutableSectionKind, { section: number; segment: number }> = {
  text: { section: SHF_ALLOC | SHF_EXECINSTR, segment: PF_R | PF_X },
  rodata: { section: SHF_ALLOC, segment: PF_R },
  data: { section: SHF_ALLOC | SHF_WRITE, segment: PF_R | PF_W },
  bss: { section: SHF_ALLOC | SHF_WRITE, segment: PF_R | PF_W },
};
const BINDINGS: Record<SymbolBinding, number> = { local: STB_LOCAL, global: STB_GLOBAL, weak: STB_WEAK };
const TYPES: Record<SymbolType, number> = { func: STT_FUNC, object: STT_OBJECT, notype: STT_NOTYPE, section: STT_SECTION };

export function writeExecutable(image: ExecutableImage): Uint8Array {
  const sections: ElfSectionSpec[] = [];
  const segments: ElfSegmentSpec[] = [];
  const indexOf = new Map<string, number>();
  for (const s of image.sections) {
    const bss = s.kind === 'bss';
    sections.push({
      name: s.name,
      type: bss ? SHT_NOBITS : SHT_PROGBITS,
      flags: FLAGS[s.kind].section,
      addr: s.vma,
      align: s.align,
      data: bss ? new Uint8Array(0) : s.bytes,
      size: s.size,
    });
    indexOf.set(s.name, sections.length);
    segments.push({ type: PT_LOAD, flags: FLAGS[s.kind].segment, section: sections.length, vaddr: s.vma, paddr: s.lma });
  }
  for (const info of image.infoSections ?? []) {
    sections.push({ name: info.name, type: SHT_PROGBITS, flags: 0, addr: 0, align: 1, data: info.bytes });
  }
  const kindOf = new Map(image.sections.map((s) => [s.name, s.kind]));

  const strtab = new StringTable();
  const symtab = new ByteWriter();
  writeSymbolEntry(symtab, { name: 0, value: 0, size: 0, binding: STB_LOCAL, type: STT_NOTYPE, shndx: 0 });
  // Symbols of sections that were left out (empty) are dropped.
  const present = image.symbols.filter((s) => s.section === null || indexOf.has(s.section));
  const locals = present.filter((s) => s.binding === 'local');
  const firstGlobal = 1 + locals.length;
  for (const sym of [...locals, ...present.filter((s) => s.binding !== 'local')]) {
    const shndx = sym.section === null ? SHN_ABS : indexOf.get(sym.section)!;
    const thumb = sym.type === 'func' && sym.section !== null && kindOf.get(sym.section) === 'text';
    writeSymbolEntry(symtab, {
      name: strtab.add(sym.name),
      value: thumb ? (sym.value | 1) >>> 0 : sym.value >>> 0,
      size: sym.size,
      binding: BINDINGS[sym.binding],
      type: TYPES[sym.type],
      shndx,
    });
  }
  const symtabIndex = sections.length + 1;
  sections.push({
    name: '.symtab',
    type: SHT_SYMTAB,
    flags: 0,
    addr: 0,
    align: 4,
    data: symtab.bytes(),
    link: symtabIndex + 1,
    info: firstGlobal,
    entsize: SYMBOL_SIZE,
  });
  sections.push({ name: '.strtab', type: SHT_STRTAB, flags: 0, addr: 0, align: 1, data: strtab.bytes() });
  return buildElfFile({ type: ET_EXEC, entry: image.entry, sections, segments });
}
