// Where the structure of a Wasm binary lives, for mutations that aim at it: the sections
// (id, size field, payload) and the LEB128 fields whose values steer the decoder (section
// sizes, entry counts, function body sizes, local declaration counts). The scan is lenient:
// it stops at the first thing that does not parse, because its input is often already
// mutated, and it only has to find targets, never to judge the module.

export interface SectionSpan {
  readonly id: number;
  /** Offset of the id byte. */
  readonly start: number;
  /** Offset of the payload (after the size field). */
  readonly payload: number;
  /** One past the payload's last byte. */
  readonly end: number;
}

/** A LEB128-encoded unsigned field: where it starts, how many bytes it takes, its value. */
export interface LebField {
  readonly offset: number;
  readonly length: number;
  readonly value: number;
}

export interface WasmLayout {
  readonly sections: readonly SectionSpan[];
  readonly fields: readonly LebField[];
}

const HEADER_BYTES = 8;
const CUSTOM_SECTION = 0;
const CODE_SECTION = 10;
const DATA_COUNT_SECTION = 12;
const START_SECTION = 8;

/** Reads an unsigned LEB128 at `offset` (up to 5 bytes); undefined when it runs off the end. */
export function readLeb(bytes: Uint8Array, offset: number, end = bytes.length): LebField | undefined {
  let value = 0;
  for (let i = 0; i < 5 && offset + i < end; i++) {
    const byte = bytes[offset + i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { offset, length: i + 1, value };
  }
  return undefined;
}

/** The unsigned LEB128 encoding of `value`, padded with continuation bytes to `minLength`. */
export function encodeLeb(value: number, minLength = 1): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    out.push(rest % 128);
    rest = Math.floor(rest / 128);
  } while (rest > 0);
  while (out.length < minLength) out.push(0);
  for (let i = 0; i < out.length - 1; i++) out[i]! |= 0x80;
  return out;
}

export function scanLayout(bytes: Uint8Array): WasmLayout {
  const sections: SectionSpan[] = [];
  const fields: LebField[] = [];
  let pos = HEADER_BYTES;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const size = readLeb(bytes, pos + 1);
    if (size === undefined) break;
    const payload = pos + 1 + size.length;
    const end = payload + size.value;
    if (end > bytes.length) break;
    sections.push({ id, start: pos, payload, end });
    fields.push(size);
    fields.push(...payloadFields(bytes, id, payload, end));
    pos = end;
  }
  return { sections, fields };
}

/** The entry count every vector section starts with; in the code section, each body's size
 *  and local declaration count as well. */
function payloadFields(bytes: Uint8Array, id: number, payload: number, end: number): LebField[] {
  if (id === CUSTOM_SECTION) return [];
  const first = readLeb(bytes, payload, end);
  if (first === undefined) return [];
  if (id === START_SECTION || id === DATA_COUNT_SECTION || id !== CODE_SECTION) return [first];
  const fields = [first];
  let pos = first.offset + first.length;
  for (let i = 0; i < first.value && pos < end; i++) {
    const bodySize = readLeb(bytes, pos, end);
    if (bodySize === undefined) break;
    fields.push(bodySize);
    const locals = readLeb(bytes, pos + bodySize.length, end);
    if (locals !== undefined) fields.push(locals);
    pos += bodySize.length + bodySize.value;
  }
  return fields;
}
