// Every input the fuzzer ever reported (test/fuzz/regressions/*.wasm, minimised) goes
// through the whole compile again: it must compile, or be refused with a UserError.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkInput } from '../../fuzz/check-input.js';
import { loadBoard } from '../../src/driver/board.js';
import { tmpdir } from 'node:os';

const DIR = new URL('./regressions/', import.meta.url).pathname;
const inputs = readdirSync(DIR).filter((f) => f.endsWith('.wasm')).sort();

describe('fuzz regressions', () => {
  it('has regression inputs', () => expect(inputs.length).toBeGreaterThan(0));
  it.each(inputs)('%s compiles or is cleanly refused', async (file) => {
    const verdict = await checkInput(new Uint8Array(readFileSync(DIR + file)), 'compile', { board: loadBoard('lm3s6965'), scratchDir: tmpdir() });
    expect(verdict.outcome === 'finding' ? verdict.message : verdict.outcome).toMatch(/^(compiled|refused)$/);
  }, 60_000);
});
