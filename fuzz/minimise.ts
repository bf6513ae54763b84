// Delta debugging over bytes (Zeller's ddmin, complements only): cut the input into n
// chunks, keep any complement that still shows the same finding, refine the cut when none
// does, until single bytes cannot be removed or the test budget is spent.

export interface MinimiseOptions {
  /** Whether `bytes` still shows the finding being minimised. */
  readonly stillFails: (bytes: Uint8Array) => Promise<boolean>;
  /** At most this many calls of stillFails. */
  readonly budget: number;
}

function without(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(bytes.length - (end - start));
  out.set(bytes.subarray(0, start), 0);
  out.set(bytes.subarray(end), start);
  return out;
}

export async function minimise(input: Uint8Array, opts: MinimiseOptions): Promise<Uint8Array> {
  let current = input;
  let chunks = 2;
  let tests = 0;
  while (current.length >= 2 && tests < opts.budget) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    for (let start = 0; start < current.length && tests < opts.budget; start += size) {
      const candidate = without(current, start, Math.min(start + size, current.length));
      tests++;
      if (await opts.stillFails(candidate)) {
        current = candidate;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (chunks >= current.length) break;
    chunks = Math.min(chunks * 2, current.length);
  }
  return current;
}
