// GNU `ar` archives (libgcc.a): "!<arch>\n", then members with 60-byte headers, each padded to
// an even size. Special members: "/" is the symbol index (armap: big-endian count, member
// header offsets, NUL-terminated names), "//" holds long member names ("name/\n" each,
// referenced as "/<offset>"), "/SYM64/" is a 64-bit index we do not need.

import { userError } from '../diagnostics/errors.js';
import type { ObjectFile } from './object.js';
import { readObject } from './read-object.js';

const MAGIC = '!<arch>\n';
const HEADER_SIZE = 60;

export interface Archive {
  readonly name: string;
  /** The object members, in archive order. */
  readonly members: ObjectFile[];
  /** Defined global symbol -> index in `members`, from the archive's own symbol index. */
  readonly symbolIndex: Map<string, number>;
}

interface RawMember {
  readonly name: string;
  readonly headerOffset: number;
  readonly data: Uint8Array;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function rawMembers(bytes: Uint8Array, name: string): RawMember[] {
  const fail = (detail: string, offset: number): never => {
    throw userError('input', detail, { file: name, offset });
  };
  if (bytes.length < MAGIC.length || ascii(bytes, 0, MAGIC.length) !== MAGIC) fail('not an ar archive', 0);
  const members: RawMember[] = [];
  let at = MAGIC.length;
  while (at + HEADER_SIZE <= bytes.length) {
    if (ascii(bytes, at + 58, 2) !== '`\n') fail('corrupt archive member header', at);
    const size = Number.parseInt(ascii(bytes, at + 48, 10).trim(), 10);
    if (!Number.isFinite(size) || at + HEADER_SIZE + size > bytes.length) fail('truncated archive member', at);
    members.push({
      name: ascii(bytes, at, 16).trimEnd(),
      headerOffset: at,
      data: bytes.subarray(at + HEADER_SIZE, at + HEADER_SIZE + size),
    });
    at += HEADER_SIZE + size + (size & 1);
  }
  return members;
}

function memberName(raw: string, longNames: Uint8Array | undefined): string {
  if (raw.startsWith('/') && /^\/\d+$/.test(raw) && longNames !== undefined) {
    const start = Number(raw.slice(1));
    let end = start;
    while (end < longNames.length && longNames[end] !== 0x0a) end++;
    return ascii(longNames, start, end - start).replace(/\/$/, '');
  }
  return raw.replace(/\/$/, '');
}

/** Parse the "/" symbol index into name -> member header offset. */
function readArmap(data: Uint8Array): Map<string, number> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = view.getUint32(0, false);
  const offsets = Array.from({ length: count }, (_, i) => view.getUint32(4 + 4 * i, false));
  const map = new Map<string, number>();
  let at = 4 + 4 * count;
  for (const offset of offsets) {
    let end = at;
    while (end < data.length && data[end] !== 0) end++;
    const symbol = ascii(data, at, end - at);
    if (!map.has(symbol)) map.set(symbol, offset);
    at = end + 1;
  }
  return map;
}

/** Read a GNU ar archive of ELF32 ARM objects. Members are named `archive(member)` in messages. */
export function readArchive(bytes: Uint8Array, name: string): Archive {
  const raw = rawMembers(bytes, name);
  const longNames = raw.find((m) => m.name === '//')?.data;
  const armapMember = raw.find((m) => m.name === '/');
  const members: ObjectFile[] = [];
  const indexByHeader = new Map<number, number>();
  for (const m of raw) {
    if (m.name === '/' || m.name === '//' || m.name === '/SYM64/') continue;
    indexByHeader.set(m.headerOffset, members.length);
    members.push(readObject(m.data.slice(), `${name}(${memberName(m.name, longNames)})`));
  }
  const symbolIndex = new Map<string, number>();
  if (armapMember !== undefined) {
    for (const [symbol, header] of readArmap(armapMember.data)) {
      const index = indexByHeader.get(header);
      if (index !== undefined) symbolIndex.set(symbol, index);
    }
  } else {
    members.forEach((m, index) => {
      for (const s of m.symbols) {
        if (s.section !== null && s.binding !== 'local' && !symbolIndex.has(s.name)) symbolIndex.set(s.name, index);
      }
    });
  }
  return { name, members, symbolIndex };
}
