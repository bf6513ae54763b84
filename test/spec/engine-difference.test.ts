// `--engine both` must catch a simulator that disagrees with QEMU: here the simulator is
// wrapped so that it misreports one call's result, or the exit code, and the runner has
// to fail exactly the command concerned, naming the script, the line and both outputs.
// The pure parts (what counts as a difference, how it is shown) are checked on their own.

import { describe, expect, it, vi } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import type { SimulateResult } from '../../src/sim/simulate.js';
import { describeDifference, engineDifference, type Boot } from './boot-engine.js';
import { runSpec } from './runner.js';

/** How the wrapped simulator lies about its run. */
const tamper = vi.hoisted(() => ({ current: (r: SimulateResult): SimulateResult => r }));

vi.mock('../../src/sim/simulate.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/sim/simulate.js')>();
  return { ...real, simulateElf: (...args: Parameters<typeof real.simulateElf>) => tamper.current(real.simulateElf(...args)) };
});

const runFac = () => runSpec({ board: loadBoard('mps2-an385'), files: ['fac.wast'], jobs: 1, timeoutMs: 60_000, engine: 'both' });

describe('a simulator that differs from QEMU', () => {
  it('fails the call whose result it misreports, with both outputs', { timeout: 120_000 }, async () => {
    // Call 1 of fac.wast's harness is line 103: fac-iter 25 = 7034535277573963776 (0x619fb0907bc00000).
    tamper.current = (r) => ({ ...r, output: r.output.replace(/^spec:1 = [0-9a-f]+$/m, 'spec:1 = 0') });
    const [report] = await runFac();
    const failures = report!.results.filter((r) => r.status === 'fail');
    expect(failures.map((f) => [f.file, f.line, f.reason])).toEqual([['fac.wast', 103, 'simulator differs from QEMU']]);
    expect(failures[0]!.detail).toMatch(/^line 103: assert_return "fac-iter"\(.*\): from console line \d+: qemu exit 0: "spec:1 = 619fb0907bc00000" .* \| sim exit 0: "spec:1 = 0"/);
  });
  it('fails the module command when only the exit code differs', { timeout: 120_000 }, async () => {
    tamper.current = (r) => ({ ...r, stop: { kind: 'exit', code: 7 } });
    const [report] = await runFac();
    const failures = report!.results.filter((r) => r.status === 'fail');
    expect(failures.map((f) => [f.line, f.type, f.reason])).toEqual([[1, 'module', 'simulator differs from QEMU']]);
    expect(failures[0]!.detail).toContain('same console output: qemu exit 0: (no more output) | sim exit 7');
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
    expect(engineDifference(boot('x\n', 0), boot('x\n', -1, { stopNote: 'lockup at pc=0x100: x' }))).toBeDefined();
    expect(engineDifference(boot('x\n', 0), boot('x\n', -1, { timedOut: true }))).toBeDefined();
  });
  it('is no difference when QEMU timed out: its output is cut anywhere', () => {
    expect(engineDifference(boot('spec:ready\n', -1, { timedOut: true }), boot('spec:ready\nspec:0 = 1\n'))).toBeUndefined();
  });
  it('shows both boots from the first console line where they part', () => {
    const diff = engineDifference(boot('spec:ready\nspec:0 = 1\nspec:end\n'), boot('spec:ready\nspec:0 = 2\nspec:end\n', 0))!;
    expect(describeDifference(diff)).toBe('from console line 2: qemu exit 0: "spec:0 = 1" "spec:end" "" | sim exit 0: "spec:0 = 2" "spec:end" ""');
    const stop = engineDifference(boot('a\n', 0), boot('a\n', -1, { stopNote: 'lockup at pc=0x10: bad' }))!;
    expect(describeDifference(stop)).toBe('same console output: qemu exit 0: (no more output) | sim lockup at pc=0x10: bad: (no more output)');
  });
});
