// Serialising an ELF32 little-endian ARM file from a list of sections (and, for executables,
// program headers): the file layout shared by the object writer and the executable writer.
// Layout: ELF header, program headers, section contents (each aligned), .shstrtab, section
// header table.

import {
  EF_ARM_ABI_FLOAT_SOFT,
  EF_ARM_EABI_VER5,
  ELF_HEADER_SIZE,
  ELF_MAGIC,
  ELFCLASS32,
  ELFDATA2LSB,
  ELFOSABI_NONE,
  EM_ARM,
  EV_CURRENT,
  PROGRAM_HEADER_SIZE,
  SECTION_HEADER_SIZE,
  SHT_NOBITS,
  SHT_STRTAB,
} from './constants.js';

/** A string table (.strtab, .shstrtab): offset 0 is the empty string; equal strings are shared. */
export class StringTable {
  private readonly offsets = new Map<string, number>([['', 0]]);
  private readonly chunks: Uint8Array[] = [new Uint8Array(1)];
  private length = 1;

  add(text: string): number {
    const known = this.offsets.get(text);
    if (known !== undefined) return known;
    const bytes = new TextEncoder().encode(text + '\0');
    const offset = this.length;
    this.offsets.set(text, offset);
    this.chunks.push(bytes);
    this.length += bytes.length;
    return offset;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** A growable little-endian byte buffer for tables (symbols, relocations). */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    bigger.set(this.buf);
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }
  u8(v: number): void {
    this.reserve(1);
    this.view.setUint8(this.length, v);
    this.length += 1;
  }
  u16(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export interface ElfSectionSpec {
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly align: number;
  /** File contents; for SHT_NOBITS, empty and `size` gives the memory size. */
  readonly data: Uint8Array;
  readonly size?: number;
  /** Section indices count from 1 in the order given (0 is the null section). */
  readonly link?: number;
  readonly info?: number;
  readonly entsize?: number;
}

export interface ElfSegmentSpec {
  readonly type: number;
  readonly flags: number;
  /** Index (from 1) of the one section this segment maps. */
  readonly section: number;
  readonly vaddr: number;
  readonly paddr: number;
}

export interface ElfFileSpec {
  readonly type: number;
  readonly entry: number;
  readonly sections: readonly ElfSectionSpec[];
  readonly segments: readonly ElfSegmentSpec[];
}

function alignUp(v: number, a: number): number {
  return a <= 1 ? v : Math.ceil(v / a) * a;
}

/** The ELF file for `spec`; a .shstrtab section is appended after the given sections. */
export function buildElfFile(spec: ElfFileSpec): Uint8Array {
  const shstrtab = new StringTable();
  const names = spec.sections.map((s) => shstrtab.add(s.name));
  const shstrtabName = shstrtab.add('.shstrtab');
  const sections: ElfSectionSpec[] = [
    ...spec.sections,
    { name: '.shstrtab', type: SHT_STRTAB, flags: 0, addr: 0, align: 1, data: shstrtab.bytes() },
  ];
  const nameOffsets = [...names, shstrtabName];

  let at = ELF_HEADER_SIZE + spec.segments.length * PROGRAM_HEADER_SIZE;
  const offsets: number[] = [];
  for (const s of sections) {
    at = alignUp(at, Math.max(1, s.align));
    offsets.push(at);
    if (s.type !== SHT_NOBITS) at += s.data.length;
  }
  const shoff = alignUp(at, 4);
  const total = shoff + (sections.length + 1) * SECTION_HEADER_SIZE;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);

  // ELF header.
  out.set(ELF_MAGIC, 0);
  out[4] = ELFCLASS32;
  out[5] = ELFDATA2LSB;
  out[6] = EV_CURRENT;
  out[7] = ELFOSABI_NONE;
  view.setUint16(16, spec.type, true);
  view.setUint16(18, EM_ARM, true);
  view.setUint32(20, EV_CURRENT, true);
  view.setUint32(24, spec.entry >>> 0, true);
  view.setUint32(28, spec.segments.length > 0 ? ELF_HEADER_SIZE : 0, true);
  view.setUint32(32, shoff, true);
  view.setUint32(36, EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_SOFT, true);
  view.setUint16(40, ELF_HEADER_SIZE, true);
  view.setUint16(42, spec.segments.length > 0 ? PROGRAM_HEADER_SIZE : 0, true);
  view.setUint16(44, spec.segments.length, true);
  view.setUint16(46, SECTION_HEADER_SIZE, true);
  view.setUint16(48, sections.length + 1, true);
  view.setUint16(50, sections.length, true); // .shstrtab is last

  // Program headers.
  spec.segments.forEach((seg, i) => {
    const s = sections[seg.section - 1]!;
    const base = ELF_HEADER_SIZE + i * PROGRAM_HEADER_SIZE;
    const memsz = s.type === SHT_NOBITS ? (s.size ?? 0) : s.data.length;
    view.setUint32(base, seg.type, true);
    view.setUint32(base + 4, offsets[seg.section - 1]!, true);
    view.setUint32(base + 8, seg.vaddr >>> 0, true);
    view.setUint32(base + 12, seg.paddr >>> 0, true);
    view.setUint32(base + 16, s.type === SHT_NOBITS ? 0 : s.data.length, true);
    view.setUint32(base + 20, memsz, true);
    view.setUint32(base + 24, seg.flags, true);
    view.setUint32(base + 28, Math.max(1, s.align), true);
  });

  // Contents and section headers (index 0 stays all zero).
  sections.forEach((s, i) => {
    if (s.type !== SHT_NOBITS) out.set(s.data, offsets[i]!);
    const base = shoff + (i + 1) * SECTION_HEADER_SIZE;
    view.setUint32(base, nameOffsets[i]!, true);
    view.setUint32(base + 4, s.type, true);
    view.setUint32(base + 8, s.flags, true);
    view.setUint32(base + 12, s.addr >>> 0, true);
    view.setUint32(base + 16, offsets[i]!, true);
    view.setUint32(base + 20, s.type === SHT_NOBITS ? (s.size ?? 0) : s.data.length, true);
    view.setUint32(base + 24, s.link ?? 0, true);
    view.setUint32(base + 28, s.info ?? 0, true);
    view.setUint32(base + 32, Math.max(1, s.align), true);
    view.setUint32(base + 36, s.entsize ?? 0, true);
  });
  return out;
}

/** Append one Elf32_Sym entry. */
export function writeSymbolEntry(
  w: ByteWriter,
  entry: { name: number; value: number; size: number; binding: number; type: number; shndx: number },
): void {
  w.u32(entry.name);
  w.u32(entry.value);
  w.u32(entry.size);
  w.u8((entry.binding << 4) | entry.type);
  w.u8(0); // STV_DEFAULT
  w.u16(entry.shndx);
}
