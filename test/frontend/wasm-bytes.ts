// Hand-assembly of small Wasm binaries for decoder tests: sections with their sizes
// computed, function bodies, LEB128. Test input that wabt would refuse to produce
// (malformed or unsupported encodings) is written this way.

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...u32(bytes.length), ...bytes];
}

export function section(id: number, content: number[]): number[] {
  return [id, ...u32(content.length), ...content];
}

export function vec(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

/** A function body: local groups [count, type] and code (the final 0x0b included by the caller). */
export function body(localGroups: [number, number][], code: number[]): number[] {
  const content = [...vec(localGroups.map(([n, t]) => [...u32(n), t])), ...code];
  return [...u32(content.length), ...content];
}

/** A module of one function of type [] -> [] with `code` as its body (end included by the caller). */
export function moduleWithBody(code: number[], localGroups: [number, number][] = [], extraSections: number[] = []): Uint8Array {
  return new Uint8Array([
    ...HEADER,
    ...section(1, vec([[0x60, 0x00, 0x00]])),
    ...section(3, vec([[0x00]])),
    ...extraSections,
    ...section(10, vec([body(localGroups, code)])),
  ]);
}

export function bytes(...parts: number[][]): Uint8Array {
  return new Uint8Array(parts.flat());
}
