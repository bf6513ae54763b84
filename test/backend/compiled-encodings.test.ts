// The compiled rows (compiled-encodings.ts) against the plain reading of the encoding table
// (reference-encoder.ts): for every operand form of every corpus instruction, every row of
// its mnemonic, both flag settings, the same word or the same refusal. Together with
// encoding.test.ts (our bytes against arm-none-eabi-as) this pins the fast encoder to the table.

import { describe, expect, it } from 'vitest';
import { COMPILED_ROWS, ROWS_BY_MNEMONIC } from '../../src/backend-thumb2/compiled-encodings.js';
import { ENCODINGS } from '../../src/backend-thumb2/encodings.js';
import { operandForms, type Operands } from '../../src/backend-thumb2/selection.js';
import { BRANCH_EDGES, buildCorpus } from './encoding-corpus.js';
import { referenceWord } from './reference-encoder.js';

/** Every operand set the selector offers for the corpus (branches at every edge offset). */
function operandSets(): { mnemonic: string; operands: Operands }[] {
  const sets: { mnemonic: string; operands: Operands }[] = [];
  for (const { inst, ctx } of buildCorpus()) {
    const offsets = inst.op === 'b' || inst.op === 'cbz' || inst.op === 'cbnz' ? BRANCH_EDGES : [undefined];
    for (const branchOffset of offsets) {
      for (const form of operandForms(inst, { ...ctx, ...(branchOffset !== undefined && { branchOffset }) })) sets.push({ mnemonic: form.mnemonic, operands: form.operands });
    }
  }
  return sets;
}

describe('compiled encoding rows', () => {
  const sets = operandSets();

  it('give the table-driven word (or refusal) for every row, operand set and flag setting', () => {
    const encodedByRow = new Map<string, number>();
    let compared = 0;
    for (const { mnemonic, operands } of sets) {
      const rows = ROWS_BY_MNEMONIC.get(mnemonic);
      expect(rows, mnemonic).toBeDefined();
      for (const row of [...rows![16], ...rows![32]]) {
        for (const setsFlags of [false, true]) {
          const expected = referenceWord(row.encoding, operands, setsFlags);
          const actual = row.place(operands, setsFlags);
          if (actual !== expected) expect.fail(`${row.encoding.mnemonic} ${row.encoding.name} ${JSON.stringify(operands)} S=${setsFlags}: ${actual?.toString(16)} != ${expected?.toString(16)}`);
          compared++;
          if (actual !== undefined) {
            const key = `${row.encoding.mnemonic} ${row.encoding.name}`;
            encodedByRow.set(key, (encodedByRow.get(key) ?? 0) + 1);
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    // Every selectable row was exercised with operands it accepts, not only refusals.
    const selectable = ENCODINGS.filter((e) => e.decodeOnly !== true).map((e) => `${e.mnemonic} ${e.name}`);
    expect(selectable.filter((key) => !encodedByRow.has(key))).toEqual([]);
  });

  it('compile every row of the table, decode-only ones included, keeping table order within a size', () => {
    expect([...COMPILED_ROWS.keys()]).toEqual(ENCODINGS);
    for (const [mnemonic, rows] of ROWS_BY_MNEMONIC) {
      const inTable = ENCODINGS.filter((e) => e.mnemonic === mnemonic && e.decodeOnly !== true);
      expect([...rows[16], ...rows[32]].map((r) => r.encoding)).toEqual(inTable);
    }
  });

  it('refuse operands a row does not name, and rows missing a required operand', () => {
    const add16 = ROWS_BY_MNEMONIC.get('add')![16][0]!;
    const accepted = sets.find((s) => s.mnemonic === 'add' && add16.place(s.operands, true) !== undefined)!.operands;
    expect(add16.place({ ...accepted, rt2: 3 }, true)).toBeUndefined();
    expect(add16.place({ ...accepted, rd: undefined }, true)).toBeUndefined();
  });
});
