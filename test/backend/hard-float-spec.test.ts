// Hard-float f32 against the official spec testsuite: the f32 scripts (arithmetic and its
// rounding, subnormals, NaN classes of results, sqrt, comparisons with NaN, every f32 <-> i32
// conversion with its traps and saturation) compiled for mps2-an386, whose code runs them on
// the FPU, and checked on QEMU. Traps inside FPU code come back through the trap hook with
// the extended (FP) exception frame. No failure is allowed; minimum pass counts keep a runner
// that skips everything from passing.

import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { totals } from '../spec/report.js';
import { runSpec } from '../spec/runner.js';

/** Script -> passes it reaches (every assert_return / assert_trap it has, today). */
const MINIMUM_PASSES: Record<string, number> = {
  'f32.wast': 2512,
  'f32_cmp.wast': 2407,
  'conversions.wast': 619,
  'float_exprs.wast': 900,
  'float_misc.wast': 441,
};

describe('f32 scripts of the spec testsuite on QEMU mps2-an386 (FPv4-SP)', () => {
  it('pass with no failure', { timeout: 300_000 }, async () => {
    const reports = await runSpec({ board: loadBoard('mps2-an386'), files: Object.keys(MINIMUM_PASSES), jobs: 4 });
    expect(reports.map((r) => r.file).sort()).toEqual(Object.keys(MINIMUM_PASSES).sort());
    for (const report of reports) {
      const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.line}: ${r.reason} ${r.detail ?? ''}`);
      expect(failures, report.file).toEqual([]);
      expect(totals(report.results).passed, report.file).toBeGreaterThanOrEqual(MINIMUM_PASSES[report.file]!);
    }
  });
});
