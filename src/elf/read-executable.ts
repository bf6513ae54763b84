// Read a linked ELF32 little-endian ARM executable's section headers, program headers and
// symbol table: what `mcu-aot size` (and any tool that inspects firmware) needs. It reads
// executables from any linker, not only ours; sections keep their ELF type and flags so
// callers can classify them the way binutils does. `readLoadImage` reads what a loader
// (QEMU's -kernel, a flash probe, the simulator) puts in memory: the PT_LOAD segments.

import { userError } from '../diagnostics/errors.js';
import {
  ELF_MAGIC,
  ELFCLASS32,
  ELFDATA2LSB,
  ELF_HEADER_SIZE,
  EM_ARM,
  ET_EXEC,
  PROGRAM_HEADER_SIZE,
  PT_LOAD,
  SECTION_HEADER_SIZE,
  SHN_ABS,
  SHN_LORESERVE,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_WEAK,
  STT_FILE,
  STT_FUNC,
  STT_OBJECT,
  STT_SECTION,
  SYMBOL_SIZE,
} from './constants.js';

export interface ExecutableSectionHeader {
  readonly index: number;
  readonly name: string;
  /** SHT_* */
  readonly type: number;
  /** SHF_* */
  readonly flags: number;
  /** Run address (VMA). */
  readonly address: number;
  /** Where its bytes sit in the memory map before start-up code runs (LMA): differs for .data. */
  readonly loadAddress: number;
  readonly size: number;
  /** Where its contents start in the file (meaningless for SHT_NOBITS). */
  readonly fileOffset: number;
}

export type ReadSymbolType = 'func' | 'object' | 'section' | 'file' | 'notype';

export interface ExecutableSymbolEntry {
  readonly name: string;
  /** As stored (Thumb functions have bit 0 set). */
  readonly value: number;
  readonly size: number;
  readonly type: ReadSymbolType;
  readonly binding: 'local' | 'global' | 'weak';
  /** Section index, or undefined for absolute and undefined symbols. */
  readonly section?: number;
}

/** A PT_LOAD program header: `filesz` bytes from the file go to `paddr`; the segment runs at `vaddr`, `memsz` long. */
export interface ExecutableSegment {
  readonly vaddr: number;
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  /** Where its `filesz` bytes start in the file. */
  readonly fileOffset: number;
}

export interface ExecutableFile {
  readonly entry: number;
  readonly sections: readonly ExecutableSectionHeader[];
  readonly symbols: readonly ExecutableSymbolEntry[];
  /** The PT_LOAD segments, in program header order. */
  readonly segments: readonly ExecutableSegment[];
}

type Segment = ExecutableSegment;

/** A PT_LOAD segment as a loader sees it. */
export interface LoadSegment {
  /** Physical (load) address: .data's initial image lands in flash. */
  readonly address: number;
  /** Bytes from the file; the segment is `memorySize` long, zero past these. */
  readonly bytes: Uint8Array;
  readonly memorySize: number;
}

/** What a loader writes into memory, and where execution starts. */
export interface LoadImage {
  readonly entry: number;
  readonly segments: readonly LoadSegment[];
}

/** EI_CLASS of a 64-bit ELF (ELF-64 Object File Format), only to name it in the error. */
const ELFCLASS64 = 2;

/** e_machine values a user may hand us by mistake, named in the error (ELF gABI, "Machine"). */
const MACHINE_NAMES: Readonly<Record<number, string>> = {
  3: 'x86 (i386)', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390', 40: 'ARM', 62: 'x86-64',
  83: 'AVR', 94: 'Xtensa', 183: 'AArch64', 243: 'RISC-V',
};

/** A checked ELF header: a view of the bytes and how to reject them. */
interface CheckedHeader {
  readonly view: DataView;
  readonly bad: (what: string) => never;
  readonly inFile: (offset: number, size: number, what: string) => void;
}

/**
 * Check that `bytes` are an ELF32 little-endian ARM executable; when not, say what they are
 * (not ELF at all, a 64-bit ELF, a host program, an object file).
 */
function checkHeader(bytes: Uint8Array, file: string): CheckedHeader {
  const bad = (what: string): never => {
    throw userError('input', `not an ARM ELF executable: ${what}`, { file });
  };
  if (bytes.length < 6 || ELF_MAGIC.some((b, i) => bytes[i] !== b)) bad('no ELF magic (this is not an ELF file)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = bytes.length >= 20 ? view.getUint16(18, bytes[5] === ELFDATA2LSB) : -1;
  const machineName = MACHINE_NAMES[machine] ?? `machine ${machine}`;
  if (bytes[4] === ELFCLASS64) bad(`a 64-bit ELF (ELFCLASS64) for ${machineName}; firmware is a 32-bit ARM executable`);
  if (bytes[4] !== ELFCLASS32 || bytes[5] !== ELFDATA2LSB) bad('not 32-bit little-endian');
  if (bytes.length < ELF_HEADER_SIZE) bad('the ELF header is cut short');
  if (machine !== EM_ARM) bad(`an ELF for ${machineName} (e_machine ${machine}), not ARM`);
  if (view.getUint16(16, true) !== ET_EXEC) bad('not an executable (ET_EXEC): a relocatable object must be linked first');
  const inFile = (offset: number, size: number, what: string): void => {
    if (offset + size > bytes.length) bad(`${what} extends past the end of the file`);
  };
  return { view, bad, inFile };
}

/** The PT_LOAD segments of an ARM executable, at their physical (load) addresses. */
export function readLoadImage(bytes: Uint8Array, file: string): LoadImage {
  const { view, bad, inFile } = checkHeader(bytes, file);
  const segments = readSegments(view, inFile, bad).map((s): LoadSegment => {
    inFile(s.fileOffset, s.filesz, `the segment at 0x${s.paddr.toString(16)}`);
    return { address: s.paddr, bytes: bytes.subarray(s.fileOffset, s.fileOffset + s.filesz), memorySize: Math.max(s.memsz, s.filesz) };
  });
  if (segments.length === 0) bad('no PT_LOAD segment');
  return { entry: view.getUint32(24, true), segments };
}

export function readExecutable(bytes: Uint8Array, file: string): ExecutableFile {
  const { view, bad, inFile } = checkHeader(bytes, file);
  const entry = view.getUint32(24, true);

  const segments = readSegments(view, inFile, bad);
  const shoff = view.getUint32(32, true);
  const shentsize = view.getUint16(46, true);
  const shnum = view.getUint16(48, true);
  const shstrndx = view.getUint16(50, true);
  if (shnum > 0 && shentsize < SECTION_HEADER_SIZE) bad('section header entries too small');
  inFile(shoff, shnum * shentsize, 'section header table');
  const raw = Array.from({ length: shnum }, (_, index) => {
    const at = shoff + index * shentsize;
    return {
      index,
      nameOffset: view.getUint32(at, true),
      type: view.getUint32(at + 4, true),
      flags: view.getUint32(at + 8, true),
      address: view.getUint32(at + 12, true),
      offset: view.getUint32(at + 16, true),
      size: view.getUint32(at + 20, true),
      link: view.getUint32(at + 24, true),
      entsize: view.getUint32(at + 36, true),
    };
  });
  const strtab = (sectionIndex: number) => {
    const s = raw[sectionIndex] ?? bad(`string table ${sectionIndex} does not exist`);
    inFile(s.offset, s.size, `string table ${sectionIndex}`);
    return (offset: number): string => {
      if (offset >= s.size) bad(`string offset ${offset} outside string table ${sectionIndex}`);
      const start = s.offset + offset;
      let end = start;
      while (end < s.offset + s.size && bytes[end] !== 0) end++;
      return new TextDecoder().decode(bytes.subarray(start, end));
    };
  };
  const sectionName = shnum > 0 ? strtab(shstrndx) : () => '';
  const sections = raw.map((s): ExecutableSectionHeader => ({
    index: s.index,
    name: sectionName(s.nameOffset),
    type: s.type,
    flags: s.flags,
    address: s.address,
    loadAddress: loadAddressOf(s.address, s.size, segments),
    size: s.size,
    fileOffset: s.offset,
  }));

  const symbols: ExecutableSymbolEntry[] = [];
  for (const table of raw.filter((s) => s.type === SHT_SYMTAB)) {
    inFile(table.offset, table.size, 'symbol table');
    const names = strtab(table.link);
    const count = Math.floor(table.size / Math.max(table.entsize, SYMBOL_SIZE));
    for (let i = 1; i < count; i++) {
      const at = table.offset + i * Math.max(table.entsize, SYMBOL_SIZE);
      const info = view.getUint8(at + 12);
      const shndx = view.getUint16(at + 14, true);
      symbols.push({
        name: names(view.getUint32(at, true)),
        value: view.getUint32(at + 4, true),
        size: view.getUint32(at + 8, true),
        type: symbolType(info & 0xf),
        binding: info >> 4 === STB_WEAK ? 'weak' : info >> 4 === STB_GLOBAL ? 'global' : 'local',
        ...(shndx !== 0 && shndx !== SHN_ABS && shndx < SHN_LORESERVE ? { section: shndx } : {}),
      });
    }
  }
  return { entry, sections, symbols, segments };
}

function readSegments(view: DataView, inFile: (offset: number, size: number, what: string) => void, bad: (what: string) => never): Segment[] {
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (phnum === 0) return [];
  if (phentsize < PROGRAM_HEADER_SIZE) bad('program header entries too small');
  inFile(phoff, phnum * phentsize, 'program header table');
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, true) !== PT_LOAD) continue;
    segments.push({ vaddr: view.getUint32(at + 8, true), paddr: view.getUint32(at + 12, true), filesz: view.getUint32(at + 16, true), memsz: view.getUint32(at + 20, true), fileOffset: view.getUint32(at + 4, true) });
  }
  return segments;
}

/** The LMA of a section: its address moved by the offset of the PT_LOAD segment holding it. */
function loadAddressOf(address: number, size: number, segments: readonly Segment[]): number {
  const seg = segments.find((s) => address >= s.vaddr && address + size <= s.vaddr + s.memsz && size > 0);
  return seg === undefined ? address : (seg.paddr + (address - seg.vaddr)) >>> 0;
}

function symbolType(code: number): ReadSymbolType {
  switch (code) {
    case STT_FUNC:
      return 'func';
    case STT_OBJECT:
      return 'object';
    case STT_SECTION:
      return 'section';
    case STT_FILE:
      return 'file';
    default:
      return 'notype';
  }
}
