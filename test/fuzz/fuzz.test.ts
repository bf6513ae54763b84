// The fuzzer itself: its mutations are reproducible from the seed, its minimiser shrinks,
// its pool reports a hang and a heap blow-up as findings, and a short fixed-seed run over
// real modules finds nothing (the long runs are `npm run fuzz`). Workers run dist/: the
// test needs `npm run build` (npm test's pretest does it).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeInput, runCampaign } from '../../fuzz/campaign.js';
import { loadCorpus, type Seed } from '../../fuzz/corpus.js';
import { minimise } from '../../fuzz/minimise.js';
import { Prng } from '../../fuzz/prng.js';
import { encodeLeb, readLeb, scanLayout } from '../../fuzz/wasm-layout.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'mcu-aot-fuzz-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('fuzzer parts', () => {
  it('draws the same numbers from the same seed and input number', () => {
    const a = Prng.forInput(7, 12);
    const b = Prng.forInput(7, 12);
    const c = Prng.forInput(7, 13);
    const draw = (p: Prng) => Array.from({ length: 5 }, () => p.next());
    expect(draw(a)).toEqual(draw(b));
    expect(draw(Prng.forInput(7, 12))).not.toEqual(draw(c));
  });

  it('encodes LEB128 as the spec does, over-long on request', () => {
    expect(encodeLeb(624485)).toEqual([0xe5, 0x8e, 0x26]); // the classic example
    expect(encodeLeb(1, 5)).toEqual([0x81, 0x80, 0x80, 0x80, 0x00]);
    expect(readLeb(Uint8Array.from([0x81, 0x80, 0x80, 0x80, 0x00]), 0)).toEqual({ offset: 0, length: 5, value: 1 });
  });

  it('minimises to the bytes that matter', async () => {
    const input = Uint8Array.from({ length: 200 }, (_, i) => (i === 77 || i === 150 ? 0xee : i & 0x7f));
    const small = await minimise(input, { budget: 2000, stillFails: async (b) => b.filter((x) => x === 0xee).length === 2 });
    expect(Array.from(small)).toEqual([0xee, 0xee]);
  });
});

describe('a fixed-seed fuzzing run', () => {
  let corpus: Seed[] = [];
  it('loads real seed modules', async () => {
    corpus = await loadCorpus({
      root: ROOT, specDir: '/work/shared/wasm-testsuite', withC: false, maxSeedBytes: 64 * 1024,
      specScripts: ['block.wast', 'br_table.wast', 'call_indirect.wast', 'i64.wast', 'f32.wast', 'memory.wast', 'bulk.wast', 'ref_func.wast', 'table_copy.wast', 'global.wast', 'loop.wast', 'if.wast'],
    });
    expect(corpus.length).toBeGreaterThan(30);
    for (const s of corpus) expect(scanLayout(s.bytes).sections.length).toBeGreaterThan(0);
    const options = { seed: 1, corpus, linkEvery: 25, buildEvery: 100 };
    expect(makeInput(options, 5).bytes).toEqual(makeInput(options, 5).bytes);
  }, 60_000);

  it('compiles 2,000 mutants of them without a finding', async () => {
    const report = await runCampaign({
      runs: 2000, seed: 20251125, corpus, board: 'lm3s6965', workers: 2, timeoutMs: 60_000, heapMb: 1024,
      linkEvery: 25, buildEvery: 200, scratchDir: scratch, minimiseBudget: 100,
    });
    expect(report.findings.map((f) => `${f.signature} (input ${f.input}: ${f.seedName} + ${f.mutations.join(', ')})`)).toEqual([]);
    expect(report.runs).toBe(2000);
    expect(report.compiled).toBeGreaterThan(50); // the mutants reach the backend, not only the decoder
  }, 240_000);
});
