// A cursor over the bytes of a Wasm binary: fixed-size numbers, LEB128 integers with the
// spec's length and unused-bits checks, UTF-8 names, vectors. Every failure is a
// UserError('malformed') naming the section being read and the absolute byte offset, so a
// truncated or corrupted file is always reported, never crashed on.

import { UserError } from '../diagnostics/errors.js';

export class Reader {
  /** The section being read, for diagnostics ('header', 'type', 'code'...). */
  section = 'header';
  /** Function index of the body being read, for diagnostics in the code section. */
  func: number | undefined = undefined;

  constructor(
    readonly bytes: Uint8Array,
    /** Absolute offset of the next byte. */
    public pos = 0,
    /** One past the last byte this reader may read (a section's or body's end). */
    public end = bytes.length,
    readonly file?: string,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** A malformed-module error at `offset` (default: the current position). */
  fail(detail: string, offset = this.pos): UserError {
    return new UserError('malformed', detail, this.where(offset));
  }

  /** The location of `offset` in the current section (and function, in the code section). */
  where(offset = this.pos): { section: string; func?: number; offset: number; file?: string } {
    const loc: { section: string; func?: number; offset: number; file?: string } = { section: this.section, offset };
    if (this.func !== undefined) loc.func = this.func;
    if (this.file !== undefined) loc.file = this.file;
    return loc;
  }

  u8(): number {
    if (this.pos >= this.end) throw this.fail(this.endMessage());
    return this.bytes[this.pos++]!;
  }

  /** The next byte without consuming it. */
  peek(): number {
    if (this.pos >= this.end) throw this.fail(this.endMessage());
    return this.bytes[this.pos]!;
  }

  bytesOf(length: number): Uint8Array {
    if (length > this.end - this.pos) throw this.fail(this.endMessage());
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** Reads an unsigned LEB128 of at most `bits` bits; returns a bigint for exactness. */
  private unsignedLeb(bits: number): bigint {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0n;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i === maxBytes - 1) {
        // The last allowed byte: no continuation, and the bits beyond `bits` must be zero.
        const unusedMask = (0x7f << (bits - 7 * i)) & 0x7f;
        if (byte & 0x80) throw this.fail('integer representation too long', start);
        if (byte & unusedMask) throw this.fail('integer too large', start);
      }
      result |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return result;
    }
  }

  /** Reads a signed LEB128 of at most `bits` bits. */
  private signedLeb(bits: number): bigint {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0n;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i === maxBytes - 1) {
        if (byte & 0x80) throw this.fail('integer representation too long', start);
        // The unused high bits must all equal the sign bit (bit `bits-1` of the value).
        const usedBits = bits - 7 * i; // 1..7 bits of this byte carry the value
        const signAndUnused = byte >> (usedBits - 1); // sign bit plus the unused bits
        const allOnes = (0x7f >> (usedBits - 1));
        if (signAndUnused !== 0 && signAndUnused !== allOnes) throw this.fail('integer too large', start);
      }
      result |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) {
        const width = BigInt(7 * (i + 1));
        if (byte & 0x40) result -= 1n << width;
        return BigInt.asIntN(bits, result);
      }
    }
  }

  u32(): number {
    // Fast path for the common one-byte case.
    if (this.pos < this.end && this.bytes[this.pos]! < 0x80) return this.bytes[this.pos++]!;
    return Number(this.unsignedLeb(32));
  }

  s32(): number {
    return Number(this.signedLeb(32));
  }

  s33(): number {
    return Number(this.signedLeb(33));
  }

  s64(): bigint {
    return this.signedLeb(64);
  }

  /** f32 as its raw IEEE bits (unsigned). */
  f32Bits(): number {
    const b = this.bytesOf(4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  /** f64 as its raw IEEE bits (unsigned). */
  f64Bits(): bigint {
    const b = this.bytesOf(8);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    return v;
  }

  /** A name: a byte vector that must be well-formed UTF-8. */
  name(): string {
    const length = this.u32();
    const start = this.pos;
    const bytes = this.bytesOf(length);
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw this.fail('malformed UTF-8 encoding', start);
    }
  }

  /** A vector: a u32 count, then `count` items read by `item`. */
  vec<T>(item: (index: number) => T): T[] {
    const countOffset = this.pos;
    const count = this.u32();
    // Each item takes at least one byte: a larger count cannot be satisfied.
    if (count > this.end - this.pos) throw this.fail(`vector length ${count} exceeds the remaining bytes`, countOffset);
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(item(i));
    return out;
  }

  private endMessage(): string {
    return this.end < this.bytes.length ? `unexpected end of ${this.section} section or function` : 'unexpected end';
  }
}
