// The byte-level framing of the GDB Remote Serial Protocol: `$payload#cs` packets with a
// modulo-256 checksum, `+`/`-` acknowledgements, the `}` escape for binary data and the
// `*` run-length encoding servers may use in replies. Pure functions and one incremental
// reader: the client (gdb-remote.ts) owns the socket, this file owns the bytes.

const DOLLAR = 0x24;
const HASH = 0x23;
const ESCAPE = 0x7d;
const STAR = 0x2a;
const PLUS = 0x2b;
const MINUS = 0x2d;
/** The GDB docs: a run-length count character is the repeat count plus 29. */
const RLE_BIAS = 29;

/** Modulo-256 sum of the payload bytes: what follows `#` as two lower-case hex digits. */
export function checksum(payload: Uint8Array): number {
  let sum = 0;
  for (const b of payload) sum = (sum + b) & 0xff;
  return sum;
}

/** `$payload#cs` as bytes. The payload is sent as is: escape binary data first. */
export function framePacket(payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? ascii(payload) : payload;
  const out = new Uint8Array(body.length + 4);
  out[0] = DOLLAR;
  out.set(body, 1);
  out[body.length + 1] = HASH;
  out.set(ascii(checksum(body).toString(16).padStart(2, '0')), body.length + 2);
  return out;
}

/** Binary data for `X` and `vFlashWrite`: `#`, `$`, `}` and `*` become `}` + (byte ^ 0x20). */
export function escapeBinary(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const b of data) {
    if (b === HASH || b === DOLLAR || b === ESCAPE || b === STAR) out.push(ESCAPE, b ^ 0x20);
    else out.push(b);
  }
  return Uint8Array.from(out);
}

/** How many bytes `escapeBinary` makes of data[from, from + count). */
export function escapedLength(data: Uint8Array, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const b = data[i]!;
    n += b === HASH || b === DOLLAR || b === ESCAPE || b === STAR ? 2 : 1;
  }
  return n;
}

/** A reply payload as its data: `}` escapes undone and `x*N` runs expanded. */
export function decodeReply(payload: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < payload.length; i++) {
    const b = payload[i]!;
    if (b === ESCAPE && i + 1 < payload.length) {
      out.push(payload[++i]! ^ 0x20);
    } else if (b === STAR && out.length > 0 && i + 1 < payload.length) {
      const repeat = payload[++i]! - RLE_BIAS;
      const last = out[out.length - 1]!;
      for (let r = 0; r < repeat; r++) out.push(last);
    } else {
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}

export const toHex = (data: Uint8Array): string => Buffer.from(data).toString('hex');

/** Hex digits to bytes; undefined when the text is not whole bytes of hex. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

/** A 32-bit register value as the target sends it: little-endian bytes in hex. */
export const u32LittleEndianHex = (value: number): string => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return toHex(bytes);
};

export const ascii = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
export const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** One thing the server sent: an acknowledgement or a packet (checksum checked). */
export type Frame =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak' }
  | { readonly kind: 'packet'; readonly payload: Uint8Array; readonly checksumOk: boolean };

/**
 * Incremental reader: feed it bytes as they arrive, take whole frames out. Bytes between
 * frames that mean nothing (line noise) are skipped, as a stub must.
 */
export class FrameReader {
  private buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Frame[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const frames: Frame[] = [];
    let at = 0;
    while (at < joined.length) {
      const b = joined[at]!;
      if (b === PLUS || b === MINUS) {
        frames.push({ kind: b === PLUS ? 'ack' : 'nak' });
        at++;
        continue;
      }
      if (b !== DOLLAR) {
        at++;
        continue;
      }
      const hash = joined.indexOf(HASH, at + 1);
      if (hash < 0 || hash + 2 >= joined.length) break; // incomplete: wait for more bytes
      const payload = joined.slice(at + 1, hash);
      const sent = Number.parseInt(latin1(joined.subarray(hash + 1, hash + 3)), 16);
      frames.push({ kind: 'packet', payload, checksumOk: sent === checksum(payload) });
      at = hash + 3;
    }
    this.buffer = joined.slice(at);
    return frames;
  }
}
