// Soft-float semantics against the official spec testsuite: the float scripts' assertions
// (arithmetic and its rounding, NaN classes of results, min/max, sign operations, rounding
// to integers, sqrt, comparisons, every conversion with its traps) compiled into firmware
// and checked on QEMU by the spec runner. No failure is allowed, and minimum pass counts
// keep a runner that skips everything from passing.

import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { totals } from '../spec/report.js';
import { runSpec } from '../spec/runner.js';

/** Script -> passes it reaches (every assert_return / assert_trap it has, today). */
const MINIMUM_PASSES: Record<string, number> = {
  'f32.wast': 2512,
  'f64_cmp.wast': 2407,
  'conversions.wast': 619,
  'float_misc.wast': 441,
  'float_exprs.wast': 900,
  'float_memory.wast': 90,
};

describe('float scripts of the spec testsuite on QEMU', () => {
  it('pass with no failure', { timeout: 300_000 }, async () => {
    const reports = await runSpec({ board: loadBoard('lm3s6965'), files: Object.keys(MINIMUM_PASSES), jobs: 4 });
    expect(reports.map((r) => r.file).sort()).toEqual(Object.keys(MINIMUM_PASSES).sort());
    for (const report of reports) {
      const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.line}: ${r.reason} ${r.detail ?? ''}`);
      expect(failures, report.file).toEqual([]);
      expect(totals(report.results).passed, report.file).toBeGreaterThanOrEqual(MINIMUM_PASSES[report.file]!);
    }
  });
});
