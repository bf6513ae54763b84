// The status line: silent unless stderr is a terminal outside CI, then one line rewritten in
// place, throttled within a stage, cut to the terminal's width, erased by clear().

import { describe, expect, it, vi } from 'vitest';
import { statusLine } from '../../src/cli/progress.js';
import { describeProgress } from '../../src/driver/progress.js';

function terminal(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, ...(columns !== undefined ? { columns } : {}), write: (t: string) => writes.push(t) } };
}

describe('statusLine', () => {
  it('writes nothing when stderr is not a terminal, or in CI', () => {
    for (const [isTTY, env] of [[false, {}], [true, { CI: 'true' }], [true, { CI: '1' }]] as const) {
      const { writes, stream } = terminal(isTTY);
      const line = statusLine(stream, env);
      line.update({ stage: 'compiling', done: 1, total: 9, item: 'f' });
      line.clear();
      expect(writes).toEqual([]);
    }
  });

  it('rewrites one line in place, throttles steps of a stage, and erases it once on clear', () => {
    vi.useFakeTimers();
    try {
      const { writes, stream } = terminal(true, 80);
      const line = statusLine(stream, { CI: 'false' });
      line.update({ stage: 'optimising', done: 0, total: 4, item: 'main' });
      vi.advanceTimersByTime(10);
      line.update({ stage: 'optimising', done: 1, total: 4, item: 'fib' }); // within 50 ms: held back...
      line.update({ stage: 'optimising', done: 2, total: 4, item: 'g' }); // ...replaced by a newer one
      expect(writes).toHaveLength(1);
      vi.advanceTimersByTime(40); // ...and drawn when the interval is up
      expect(writes).toHaveLength(2);
      vi.advanceTimersByTime(10);
      line.update({ stage: 'optimising', done: 3, total: 4, item: 'h' });
      line.update({ stage: 'linking', done: 0, total: 1 }); // a new stage shows at once, dropping what was held
      vi.advanceTimersByTime(100);
      line.update({ stage: 'linking', done: 0, total: 1 });
      line.clear(); // drops the held-back step too
      vi.advanceTimersByTime(100);
      line.clear();
      expect(writes).toEqual([
        '\r\x1b[2Koptimising 0/4 main',
        '\r\x1b[2Koptimising 2/4 g',
        '\r\x1b[2Klinking',
        '\r\x1b[2Klinking',
        '\r\x1b[2K',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('cuts the text to the terminal width so it never wraps', () => {
    const { writes, stream } = terminal(true, 20);
    statusLine(stream, {}).update({ stage: 'testing', done: 3, total: 40, item: 'test_a_very_long_name' });
    expect(writes[0]).toBe('\r\x1b[2Ktesting 3/40 test_…'); // 19 columns: one left for the cursor
  });
});

describe('describeProgress', () => {
  it('counts steps only when there are several', () => {
    expect(describeProgress({ stage: 'compiling', done: 12, total: 340, item: 'fib' })).toBe('compiling 12/340 fib');
    expect(describeProgress({ stage: 'linking', done: 0, total: 1 })).toBe('linking');
  });
});
