// Reads a linked ELF32 ARM executable the way a loader (QEMU's -kernel, a flash probe)
// does: the PT_LOAD program headers say which bytes go where (their physical address,
// so .data's initial image lands in flash), and the rest of each segment is zero.

import { userError } from '../diagnostics/errors.js';
import { ELF_MAGIC, ELFCLASS32, ELFDATA2LSB, EM_ARM, ET_EXEC, PROGRAM_HEADER_SIZE } from '../elf/constants.js';

const PT_LOAD = 1;

export interface LoadSegment {
  /** Physical (load) address. */
  readonly address: number;
  /** Bytes from the file; the segment is `memorySize` long, zero past these. */
  readonly bytes: Uint8Array;
  readonly memorySize: number;
}

export interface ElfImage {
  readonly entry: number;
  readonly segments: readonly LoadSegment[];
}

export function readElfImage(bytes: Uint8Array, file: string): ElfImage {
  const bad = (what: string): never => {
    throw userError('input', `not an ARM ELF executable: ${what}`, { file });
  };
  if (bytes.length < 52 || ELF_MAGIC.some((b, i) => bytes[i] !== b)) bad('no ELF magic');
  if (bytes[4] !== ELFCLASS32 || bytes[5] !== ELFDATA2LSB) bad('not 32-bit little-endian');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(16, true) !== ET_EXEC) bad('not an executable (ET_EXEC)');
  if (view.getUint16(18, true) !== EM_ARM) bad('machine is not ARM');
  const entry = view.getUint32(24, true);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (phentsize < PROGRAM_HEADER_SIZE || phoff + phnum * phentsize > bytes.length) bad('program headers out of the file');
  const segments: LoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, true) !== PT_LOAD) continue;
    const offset = view.getUint32(at + 4, true);
    const paddr = view.getUint32(at + 12, true);
    const filesz = view.getUint32(at + 16, true);
    const memsz = view.getUint32(at + 20, true);
    if (offset + filesz > bytes.length) bad(`segment ${i} extends past the end of the file`);
    segments.push({ address: paddr, bytes: bytes.subarray(offset, offset + filesz), memorySize: Math.max(memsz, filesz) });
  }
  if (segments.length === 0) bad('no PT_LOAD segment');
  return { entry, segments };
}
