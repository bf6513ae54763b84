// The simulator against QEMU on spec firmware: a representative set of scripts runs with
// `--engine both`, so every harness firmware boots on QEMU and in src/sim, and any
// difference in console output or exit code fails the command whose result differs. The
// assertions themselves are still judged against the official testsuite's expectations.
// mps2-an385 (Cortex-M3: soft float) covers integer, memory, table and trap paths;
// mps2-an386 (Cortex-M4F) runs float scripts through the simulator's FPU.

import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
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
    'br_table.wast': 160,
    // Deep recursion: the prologue's stack limit check, its UDF and the trap it becomes.
    'skip-stack-guard-page.wast': 10,
  },
  'mps2-an386': {
    'f32.wast': 2400,
    'f64.wast': 2400,
    'float_exprs.wast': 850,
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
    expect(reports.map((r) => r.file).sort()).toEqual(Object.keys(subset).sort());
  });
});
