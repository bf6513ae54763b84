// The simulator against QEMU on spec firmware: a representative set of scripts runs with
// `--engine both`, so every harness firmware boots on QEMU and in src/sim, and any
// difference in console output or exit code fails the command whose result differs. The
// assertions themselves are still judged against the official testsuite's expectations.
// mps2-an385 (Cortex-M3: soft float) covers integer, memory, table and trap paths;
// mps2-an386 (Cortex-M4F) runs float scripts through the simulator's FPU.

import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { describeDifference, engineDifference, type Boot } from './boot-engine.js';
import { totals } from './report.js';
import { runSpec } from './runner.js';

/** Script -> passes it must reach on the board (skips allowed: text modules, RAM limits). */
const SUBSETS: Record<string, Record<string, number>> = {
  'mps2-an385': {
    'i64.wast': 400,
    'conversions.wast': 550,
    'traps.wast': 30,
    'call_indirect.wast': 150,
    'memory_grow.wast': 80,
    'bulk.wast': 90,
  },
  'mps2-an386': {
    'f32.wast': 2400,
    'f64_cmp.wast': 2300,
    'float_misc.wast': 430,
  },
};

describe('spec firmware: simulator against QEMU', () => {
  it.each(Object.keys(SUBSETS))('the same outputs and exit codes on %s', { timeout: 240_000 }, async (boardName) => {
    const subset = SUBSETS[boardName]!;
    const reports = await runSpec({ board: loadBoard(boardName), files: Object.keys(subset), jobs: 2, timeoutMs: 60_000, engine: 'both' });
    for (const report of reports) {
      const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.file}:${r.line} ${r.reason} ${r.detail ?? ''}`);
      expect(failures, report.file).toEqual([]);
      expect(totals(report.results).passed, report.file).toBeGreaterThanOrEqual(subset[report.file]!);
    }
    expect(reports.map((r) => r.file)).toEqual(Object.keys(subset).sort());
  });
});

describe('engine difference', () => {
  const boot = (output: string, exitCode = 0, extra: Partial<Boot> = {}): Boot => ({ output, exitCode, timedOut: false, ...extra });
  it('is none for the same output and exit code', () => {
    expect(engineDifference(boot('spec:ready\nspec:0 = 1\n'), boot('spec:ready\nspec:0 = 1\n'))).toBeUndefined();
  });
  it('is any other output, exit code or simulator stop', () => {
    expect(engineDifference(boot('spec:0 = 1\n'), boot('spec:0 = 2\n'))).toBeDefined();
    expect(engineDifference(boot('x\n', 0), boot('x\n', 3))).toBeDefined();
    expect(engineDifference(boot('x\n', 0), boot('x\n', -1, { stopNote: 'sim: lockup at pc=0x100: x' }))).toBeDefined();
    expect(engineDifference(boot('x\n', 0), boot('x\n', -1, { timedOut: true }))).toBeDefined();
  });
  it('is no difference when QEMU timed out: its output is cut anywhere', () => {
    expect(engineDifference(boot('spec:ready\n', -1, { timedOut: true }), boot('spec:ready\nspec:0 = 1\n'))).toBeUndefined();
  });
  it('shows both boots from the first console line where they part', () => {
    const diff = engineDifference(boot('spec:ready\nspec:0 = 1\nspec:end\n'), boot('spec:ready\nspec:0 = 2\nspec:end\n', 0))!;
    expect(describeDifference(diff)).toBe('from console line 2: qemu exit 0: "spec:0 = 1" "spec:end" "" | sim exit 0: "spec:0 = 2" "spec:end" ""');
    const stop = engineDifference(boot('a\n', 0), boot('a\n', -1, { stopNote: 'sim: lockup at pc=0x10: bad' }))!;
    expect(describeDifference(stop)).toBe('same console output: qemu exit 0: (no more output) | sim sim: lockup at pc=0x10: bad: (no more output)');
  });
});
