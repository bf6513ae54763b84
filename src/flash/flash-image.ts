// What a firmware ELF asks to have written, as a flash probe sees it: the file bytes of each
// PT_LOAD segment at its physical (load) address, so .data's initial values land in flash
// next to the code. Zero-fill past a segment's file bytes (.bss) is the start-up code's job,
// not the probe's. Touching segments are merged so each range is written and verified once.

import { readFileSync } from 'node:fs';
import { userError } from '../diagnostics/errors.js';
import { readLoadImage } from '../elf/read-executable.js';

export interface FlashRange {
  readonly address: number;
  readonly bytes: Uint8Array;
}

export interface FlashImage {
  readonly file: string;
  readonly entry: number;
  /** Sorted by address, non-overlapping, non-empty. */
  readonly ranges: readonly FlashRange[];
}

export function readFlashImage(file: string): FlashImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw userError('input', `cannot read '${file}': ${(e as Error).message}`);
  }
  const elf = readLoadImage(bytes, file);
  const pieces = elf.segments
    .filter((s) => s.bytes.length > 0)
    .map((s) => ({ address: s.address, bytes: s.bytes }))
    .sort((a, b) => a.address - b.address);
  if (pieces.length === 0) throw userError('input', 'the ELF has no bytes to load (every PT_LOAD segment is empty)', { file });
  return { file, entry: elf.entry, ranges: mergeTouching(pieces, file) };
}

function mergeTouching(pieces: readonly FlashRange[], file: string): FlashRange[] {
  const merged: FlashRange[] = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    const lastEnd = last === undefined ? -1 : last.address + last.bytes.length;
    if (last !== undefined && piece.address < lastEnd) {
      throw userError('input', `load segments overlap at 0x${piece.address.toString(16)}`, { file });
    }
    if (last !== undefined && piece.address === lastEnd) {
      const joined = new Uint8Array(last.bytes.length + piece.bytes.length);
      joined.set(last.bytes);
      joined.set(piece.bytes, last.bytes.length);
      merged[merged.length - 1] = { address: last.address, bytes: joined };
    } else {
      merged.push(piece);
    }
  }
  return merged;
}

/** The 32-bit word at `address` in the image, when the image holds it. */
export function imageWord(image: FlashImage, address: number): number | undefined {
  const range = image.ranges.find((r) => address >= r.address && address + 4 <= r.address + r.bytes.length);
  if (range === undefined) return undefined;
  const at = address - range.address;
  return new DataView(range.bytes.buffer, range.bytes.byteOffset + at, 4).getUint32(0, true);
}

export const totalBytes = (image: FlashImage): number => image.ranges.reduce((n, r) => n + r.bytes.length, 0);
