// The flashable images: a raw binary (what `arm-none-eabi-objcopy -O binary` gives for the
// same ELF: every loadable section with contents, at its load address, from the lowest load
// address, gaps filled with zeros) and Intel HEX.

import type { OutputSection } from './layout.js';

export interface FlashImage {
  /** Load address of the first byte. */
  readonly base: number;
  readonly bytes: Uint8Array;
}

export function flashImage(sections: readonly OutputSection[], contents: ReadonlyMap<string, Uint8Array>): FlashImage {
  const loaded = sections.filter((s) => s.kind !== 'bss' && s.size > 0);
  if (loaded.length === 0) return { base: 0, bytes: new Uint8Array(0) };
  const base = Math.min(...loaded.map((s) => s.lma));
  const end = Math.max(...loaded.map((s) => s.lma + s.size));
  const bytes = new Uint8Array(end - base);
  for (const s of loaded) bytes.set(contents.get(s.name)!, s.lma - base);
  return { base, bytes };
}

const HEX_DIGITS = new TextEncoder().encode('0123456789ABCDEF');

/** Intel HEX text written as ASCII bytes (a 4 MiB image is ~11 MB of text: no string churn). */
class HexWriter {
  private out: Uint8Array;
  private at = 0;
  constructor(dataBytes: number) {
    this.out = new Uint8Array(Math.ceil(dataBytes / 16) * 44 + Math.ceil(dataBytes / 0x10000) * 17 + 64);
  }
  record(type: number, address: number, data: ArrayLike<number>, start = 0, length = data.length): void {
    if (this.at + 12 + 2 * length > this.out.length) {
      const bigger = new Uint8Array(this.out.length * 2 + 64);
      bigger.set(this.out);
      this.out = bigger;
    }
    const out = this.out;
    let at = this.at;
    out[at++] = 0x3a; // ':'
    const head = [length, (address >> 8) & 0xff, address & 0xff, type];
    let sum = 0;
    for (let i = 0; i < 4 + length; i++) {
      const b = i < 4 ? head[i]! : data[start + i - 4]!;
      sum += b;
      out[at++] = HEX_DIGITS[b >> 4]!;
      out[at++] = HEX_DIGITS[b & 15]!;
    }
    const checksum = (0x100 - (sum & 0xff)) & 0xff;
    out[at++] = HEX_DIGITS[checksum >> 4]!;
    out[at++] = HEX_DIGITS[checksum & 15]!;
    out[at++] = 0x0a; // '\n'
    this.at = at;
  }
  text(): string {
    return new TextDecoder().decode(this.out.subarray(0, this.at));
  }
}

/**
 * Intel HEX: type 04 (extended linear address) whenever the upper 16 bits change, 16-byte
 * data records that never cross a 64 KiB boundary, type 05 (start linear address) with the
 * entry point, and the end-of-file record.
 */
export function intelHex(image: FlashImage, entry: number): string {
  const w = new HexWriter(image.bytes.length);
  let upper = -1;
  for (let i = 0; i < image.bytes.length; ) {
    const address = image.base + i;
    if (address >>> 16 !== upper) {
      upper = address >>> 16;
      w.record(0x04, 0, [(upper >> 8) & 0xff, upper & 0xff]);
    }
    const toBoundary = 0x10000 - (address & 0xffff);
    const n = Math.min(16, image.bytes.length - i, toBoundary);
    w.record(0x00, address & 0xffff, image.bytes, i, n);
    i += n;
  }
  w.record(0x05, 0, [(entry >>> 24) & 0xff, (entry >>> 16) & 0xff, (entry >>> 8) & 0xff, entry & 0xff]);
  w.record(0x01, 0, []);
  return w.text();
}
