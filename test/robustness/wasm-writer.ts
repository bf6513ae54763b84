// A tiny Wasm binary writer for generated test modules: just the sections the limit tests
// need (type, function, memory, export, code, data), with LEB128 numbers. Bodies are given
// as raw instruction bytes, locals as (count, type) groups.

export const I32 = 0x7f;

export function uleb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    const byte = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest > 0 ? byte | 0x80 : byte);
  } while (rest > 0);
  return out;
}

export function sleb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export interface FuncSpec {
  readonly params: readonly number[];
  readonly results: readonly number[];
  readonly locals?: readonly [count: number, type: number][];
  /** Instructions, without the final `end`. */
  readonly body: ArrayLike<number>;
  readonly exportName?: string;
}

export interface ModuleSpec {
  readonly functions: readonly FuncSpec[];
  /** Memory pages (min), when the module has a memory. */
  readonly memoryPages?: number;
  /** Active data segments at i32 offsets. */
  readonly data?: readonly { offset: number; bytes: Uint8Array }[];
}

/** A byte sequence as a vector of chunks: avoids spreading huge arrays into one call. */
class ByteSink {
  private readonly chunks: Uint8Array[] = [];
  length = 0;
  push(bytes: ArrayLike<number>): void {
    const chunk = Uint8Array.from(bytes as ArrayLike<number>);
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function section(out: ByteSink, id: number, payload: ByteSink): void {
  out.push([id, ...uleb(payload.length)]);
  out.push(payload.bytes());
}

function vector<T>(items: readonly T[], write: (sink: ByteSink, item: T) => void): ByteSink {
  const sink = new ByteSink();
  sink.push(uleb(items.length));
  for (const item of items) write(sink, item);
  return sink;
}

export function writeModule(spec: ModuleSpec): Uint8Array {
  const out = new ByteSink();
  out.push([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  // One type per function keeps the writer simple; duplicates are legal.
  section(out, 1, vector(spec.functions, (s, f) => s.push([0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results.length), ...f.results])));
  section(out, 3, vector(spec.functions.map((_, i) => i), (s, i) => s.push(uleb(i))));
  if (spec.memoryPages !== undefined) section(out, 5, vector([spec.memoryPages], (s, pages) => s.push([0x00, ...uleb(pages)])));
  const exported = spec.functions.flatMap((f, i) => (f.exportName !== undefined ? [{ name: f.exportName, index: i }] : []));
  section(out, 7, vector(exported, (s, e) => {
    const name = new TextEncoder().encode(e.name);
    s.push([...uleb(name.length), ...name, 0x00, ...uleb(e.index)]);
  }));
  section(out, 10, vector(spec.functions, (s, f) => {
    const body = new ByteSink();
    body.push(uleb(f.locals?.length ?? 0));
    for (const [count, type] of f.locals ?? []) body.push([...uleb(count), type]);
    body.push(f.body);
    body.push([0x0b]);
    s.push(uleb(body.length));
    s.push(body.bytes());
  }));
  if (spec.data !== undefined) {
    section(out, 11, vector(spec.data, (s, d) => {
      s.push([0x00, 0x41, ...sleb(d.offset), 0x0b, ...uleb(d.bytes.length)]);
      s.push(d.bytes);
    }));
  }
  return out.bytes();
}
