// The differential fuzzer end to end, on fixed seeds so that `npm test` stays short: each
// module runs in V8 and, built at -O0 and -O2, on QEMU and in the simulator. A failure here
// is a real disagreement: rerun it with `npm run fuzz:diff -- --seed S --runs 1` to get
// its saved finding. Costs, per module on an idle machine: ~0.3 s QEMU for both boots,
// ~1 s simulator, ~1-2 s compiling; the whole file about 20-40 s.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { fuzzFirmwareContext, type FuzzFirmwareContext } from './firmware-run.js';
import { findingSummary, isFinding } from './findings.js';
import { ALL_EXECUTORS, explainNaNs, fuzzModule, runModuleFile } from './fuzz-module.js';

/** Seeds whose modules call 7 exports each, with loops, memory and float code. */
const SEEDS = [1003, 1008];

describe('differential fuzzing on mps2-an385', () => {
  let ctx: FuzzFirmwareContext;
  let dir: string;
  beforeAll(async () => {
    ctx = await fuzzFirmwareContext(loadBoard('mps2-an385'), { qemuTimeoutMs: 30_000, simMaxInstructions: 200_000_000 });
    dir = mkdtempSync(join(tmpdir(), 'mcu-aot-fuzz-diff-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(SEEDS)('seed %i: QEMU and the simulator agree with V8 at -O0 and -O2', async (seed) => {
    const report = await fuzzModule(ctx, seed, join(dir, `seed-${seed}`));
    expect(report.buildError).toBeUndefined();
    expect(report.results.map((r) => r.executor)).toEqual(ALL_EXECUTORS);
    expect(report.exports).toBeGreaterThan(2);
    expect(isFinding(report), findingSummary(report).join('\n')).toBe(false);
  });

  it('tells a NaN sign stored to memory (allowed by Wasm) from a wrong answer', async () => {
    // From binaryen.js's -ttf: f64.max of a NaN stored to memory; V8 on x86 stores a
    // negative NaN, libgcc a positive one, and hashMemory's integer hash shows it.
    const wasmPath = join(import.meta.dirname, 'regressions', 'nan-sign-in-memory.wasm');
    const run = await runModuleFile(ctx, wasmPath, join(dir, 'nan'), ['sim-O0']);
    expect(run.buildError).toBeUndefined();
    expect(run.results[0]!.mismatch?.kind).toBe('log');
    const explained = await explainNaNs(ctx, wasmPath, join(dir, 'nan'), run.results);
    expect(explained[0]!.mismatch?.kind).toBe('nan-bits');
  });
});
