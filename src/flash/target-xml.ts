// The two XML documents a gdbserver may describe its target with, read as far as flashing
// needs them: the memory map (`qXfer:memory-map:read`: which ranges are flash, and their
// erase block size) and the target description (`qXfer:features:read`: which register
// number is sp, pc and xpsr). Servers emit small, regular XML; attributes are read with
// patterns rather than a full XML parser, which mcu-aot has no dependency for.

export interface MemoryMapRegion {
  readonly type: 'ram' | 'rom' | 'flash';
  readonly start: number;
  readonly length: number;
  /** Erase block size of a flash region. */
  readonly blockSize?: number;
}

/** Regions of a `<memory-map>` document; unknown elements are ignored. */
export function parseMemoryMap(xml: string): MemoryMapRegion[] {
  const regions: MemoryMapRegion[] = [];
  const memory = /<memory(\s[^>]*?)(\/>|>([\s\S]*?)<\/memory>)/g; // not <memory-map>
  for (const m of xml.matchAll(memory)) {
    const attrs = attributes(m[1]!);
    const type = attrs.get('type');
    const start = parseNumber(attrs.get('start'));
    const length = parseNumber(attrs.get('length'));
    if ((type !== 'ram' && type !== 'rom' && type !== 'flash') || start === undefined || length === undefined) continue;
    const block = /<property\s+name\s*=\s*["']blocksize["']\s*>\s*([^<]+?)\s*<\/property>/.exec(m[3] ?? '');
    const blockSize = parseNumber(block?.[1]);
    regions.push({ type, start, length, ...(blockSize !== undefined && blockSize > 0 ? { blockSize } : {}) });
  }
  return regions;
}

/** A register's number in `p`/`P` packets, by lower-case name. */
export type RegisterNumbers = ReadonlyMap<string, number>;

/**
 * Register numbers from a target description and the documents it includes, in document
 * order: a `<reg>` without `regnum` takes the number after the previous register's
 * (GDB's rule). `fetch` returns an included document's text.
 */
export async function registerNumbers(rootXml: string, fetch: (annex: string) => Promise<string>): Promise<RegisterNumbers> {
  const numbers = new Map<string, number>();
  let next = 0;
  const visit = async (xml: string, depth: number): Promise<void> => {
    const tags = /<reg\b([^>]*)\/?>|<xi:include\b([^>]*)\/?>/g;
    for (const m of xml.matchAll(tags)) {
      if (m[2] !== undefined) {
        const href = attributes(m[2]).get('href');
        if (href !== undefined && depth < 4) await visit(await fetch(href), depth + 1);
        continue;
      }
      const attrs = attributes(m[1]!);
      const name = attrs.get('name');
      const regnum = parseNumber(attrs.get('regnum'));
      const number = regnum ?? next;
      if (name !== undefined) numbers.set(name.toLowerCase(), number);
      next = number + 1;
    }
  };
  await visit(rootXml, 0);
  return numbers;
}

/**
 * The numbering GDB assumes for an ARM target that sends no description: r0-r15, eight
 * legacy FPA registers and fps, then cpsr (xpsr on M-profile) as 25. QEMU's gdbstub keeps it.
 */
export const CLASSIC_ARM_REGISTERS: RegisterNumbers = new Map([
  ['sp', 13],
  ['lr', 14],
  ['pc', 15],
  ['xpsr', 25],
]);

function attributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of text.matchAll(/([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attrs.set(m[1]!, m[2] ?? m[3] ?? '');
  }
  return attrs;
}

function parseNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
