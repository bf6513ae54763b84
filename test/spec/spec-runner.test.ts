// The spec runner end to end on a few small scripts: every assertion is checked on QEMU
// (mps2-an385: 4 MiB, so memory.grow in block.wast has room; lm3s6965 fits linear memory
// to 55 KiB and cannot grow it) against the official testsuite's expectations, so a miscompile, a broken trap
// hook or a broken harness shows up as a failure here. Minimum pass counts keep a runner
// that silently skips everything from passing.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { HARNESS_ENTRY, harnessSource } from './harness-source.js';
import { parseHarnessOutput } from './module-firmware.js';
import { compileHarnessC } from '../../src/driver/harness-firmware.js';
import { groupReasons, totals } from './report.js';
import { runSpec } from './runner.js';
import { matchesExpected } from './values.js';

/** Script -> passes it must reach today (the suite's own counts are higher: skips allowed). */
const MINIMUM_PASSES: Record<string, number> = {
  'i32.wast': 450,
  'i64.wast': 400,
  'br_table.wast': 160,
  'block.wast': 150,
  // assert_trap across many trap kinds: exercises the trap hook's resume path.
  'unreachable.wast': 60,
  // multi-value results: struct-returning calls (docs/abi.md).
  'fac.wast': 6,
};

describe('spec runner on QEMU', () => {
  it('passes the small scripts with no failure', { timeout: 120000 }, async () => {
    const reports = await runSpec({ board: loadBoard('mps2-an385'), files: Object.keys(MINIMUM_PASSES), jobs: 2, timeoutMs: 60000 });
    for (const report of reports) {
      const t = totals(report.results);
      const failures = report.results.filter((r) => r.status === 'fail').map((r) => `${r.line}: ${r.reason} ${r.detail ?? ''}`);
      expect(failures, report.file).toEqual([]);
      expect(t.passed, report.file).toBeGreaterThanOrEqual(MINIMUM_PASSES[report.file] ?? 0);
      // Every skip says why.
      expect(groupReasons(report.results, 'skip').every(([reason]) => reason.length > 0)).toBe(true);
    }
    // fac.wast is all skipped or passed; it must still be accounted for, command by command.
    expect(reports.find((r) => r.file === 'fac.wast')!.results).toHaveLength(8);
  });
});

describe('NaN classes of the spec', () => {
  const f32 = (value: string) => ({ type: 'f32' as const, value });
  const f64 = (value: string) => ({ type: 'f64' as const, value });
  it('canonical accepts only the quiet NaN without payload, either sign', () => {
    expect(matchesExpected(f32('nan:canonical'), 0x7fc00000n)).toBe(true);
    expect(matchesExpected(f32('nan:canonical'), 0xffc00000n)).toBe(true);
    expect(matchesExpected(f32('nan:canonical'), 0x7fc00001n)).toBe(false);
    expect(matchesExpected(f32('nan:canonical'), 0x7f800001n)).toBe(false);
    expect(matchesExpected(f64('nan:canonical'), 0xfff8000000000000n)).toBe(true);
    expect(matchesExpected(f64('nan:canonical'), 0x7ff8000000000001n)).toBe(false);
  });
  it('arithmetic accepts any quiet NaN, rejects signalling NaNs and infinities', () => {
    expect(matchesExpected(f32('nan:arithmetic'), 0x7fc00001n)).toBe(true);
    expect(matchesExpected(f32('nan:arithmetic'), 0xffffffffn)).toBe(true);
    expect(matchesExpected(f32('nan:arithmetic'), 0x7fa00000n)).toBe(false);
    expect(matchesExpected(f32('nan:arithmetic'), 0x7f800000n)).toBe(false);
    expect(matchesExpected(f64('nan:arithmetic'), 0x7ffc000000000000n)).toBe(true);
    expect(matchesExpected(f64('nan:arithmetic'), 0x7ff4000000000000n)).toBe(false);
  });
  it('other floats compare bit for bit (-0 is not +0)', () => {
    expect(matchesExpected(f32('2147483648'), 0x80000000n)).toBe(true);
    expect(matchesExpected(f32('0'), 0x80000000n)).toBe(false);
  });
});

describe('harness protocol', () => {
  it('parses returns, traps, the markers and keeps other console lines', () => {
    const out = parseHarnessOutput('spec:ready\nspec:0 = 2a\nspec:1 =\nspec:2 ! 4\nnote: x\nspec:end\n');
    expect(out.ready && out.ended).toBe(true);
    expect(out.outcomes.get(0)).toEqual({ kind: 'return', values: [42n] });
    expect(out.outcomes.get(1)).toEqual({ kind: 'return', values: [] });
    expect(parseHarnessOutput('spec:7 = 1 ffffffffffffffff\n').outcomes.get(7)).toEqual({ kind: 'return', values: [1n, 2n ** 64n - 1n] });
    expect(out.outcomes.get(2)).toEqual({ kind: 'trap', trap: 4 });
    expect(out.otherLines).toEqual(['note: x']);
  });
  it('reads a memory.grow the board refused, per call, apart from the call\'s result', () => {
    const out = parseHarnessOutput('spec:ready\nspec:3 = ffffffff\nspec:3 ~ 803\nspec:end\n');
    expect(out.outcomes.get(3)).toEqual({ kind: 'return', values: [0xffffffffn] });
    expect([...out.refusedGrowth]).toEqual([[3, 803]]);
    expect(out.otherLines).toEqual([]);
  });
  it('compiles warning-free with no call, a get and a multi-result call', async () => {
    const board = loadBoard('lm3s6965');
    for (const calls of [[], [
      { kind: 'get' as const, symbol: 'g', type: 'i64' as const },
      { kind: 'invoke' as const, symbol: 'f', params: ['i32' as const], results: ['i64' as const, 'f32' as const], args: [1n] },
    ]]) {
      const object = await compileHarnessC(board, harnessSource(calls), mkdtempSync(join(tmpdir(), 'spec-harness-')), 'spec harness');
      expect(object.symbols.some((s) => s.name === HARNESS_ENTRY && s.section !== null)).toBe(true);
    }
  });
  it('generates one entry point that starts at the requested call', () => {
    const src = harnessSource([{ kind: 'invoke', symbol: 'wasm_f', params: ['f64'], results: ['f32'], args: [1n] }], 1);
    expect(src).toContain(`void ${HARNESS_ENTRY}(void)`);
    expect(src).toContain('#define SPEC_FIRST 1u');
    expect(src).toContain('float (*)(double)');
  });
});
