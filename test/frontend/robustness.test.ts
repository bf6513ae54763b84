// No input may make the decoder or validator throw anything but a UserError. A valid module
// that uses every section is truncated at every byte and has every bit flipped once, plus
// seeded random multi-byte corruptions. Node's WebAssembly engine is the oracle for the
// verdict: a module we accept it must accept, and a module it accepts we must accept
// unless we name an unsupported feature.

import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { watToBinary } from '../../src/frontend/load.js';
import { validateModule } from '../../src/frontend/validate.js';

const SOURCE = `(module
  (type $binop (func (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (import "env" "g" (global $g i32))
  (table $t 4 funcref)
  (table $x 1 externref)
  (memory 1 2)
  (global $counter (mut i64) (i64.const 42))
  (global $f f32 (f32.const 1.5))
  (export "add" (func $add))
  (export "mem" (memory 0))
  (start $init)
  (elem (table $t) (i32.const 0) func $add $sub)
  (elem declare func $init)
  (data (i32.const 8) "hello")
  (data "passive")
  (func $init (call $log (global.get $g)))
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func (export "run") (param $n i32) (result i32) (local $i i32) (local $acc f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (f64.add (local.get $acc) (f64.convert_i32_u (local.get $i))))
        (i32.store8 offset=3 (local.get $i) (i32.load16_s (local.get $i)))
        (global.set $counter (i64.extend_i32_s (i32.trunc_sat_f64_s (local.get $acc))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 2))
    (drop (table.grow $x (ref.null extern) (i32.const 1)))
    (drop (ref.func $init))
    (if (result i32) (local.get $n)
      (then (call_indirect $t (type $binop) (i32.const 1) (i32.const 2) (i32.const 0)))
      (else (select (i32.const 3) (i32.const 4) (local.get $n))))
    (br_table 0 0 (i32.const 5))))`;

type Verdict = 'accepted' | UserError['code'];

function verdict(bytes: Uint8Array): Verdict {
  try {
    validateModule(decodeModule(bytes));
    return 'accepted';
  } catch (error) {
    if (error instanceof UserError) return error.code;
    throw new Error(`non-UserError escaped on a ${bytes.length}-byte input: ${String(error)}`, { cause: error });
  }
}

/** Checks one corrupted module; returns a description when our verdict contradicts Node's. */
function disagreement(bytes: Uint8Array, what: string): string | undefined {
  const ours = verdict(bytes);
  const node = WebAssembly.validate(new Uint8Array(bytes));
  if (ours === 'accepted' && !node) return `${what}: we accept, Node rejects`;
  if (ours !== 'accepted' && ours !== 'unsupported-feature' && node) return `${what}: we reject (${ours}), Node accepts`;
  return undefined;
}

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let original: Uint8Array = new Uint8Array();

beforeAll(async () => {
  original = await watToBinary(SOURCE, 'fuzz.wat');
});

describe('robustness', () => {
  it('accepts the intact module, as Node does', () => {
    expect(WebAssembly.validate(new Uint8Array(original))).toBe(true);
    expect(verdict(original)).toBe('accepted');
  });

  it('agrees with Node on every truncation', () => {
    const problems: string[] = [];
    for (let length = 0; length < original.length; length++) {
      const problem = disagreement(original.slice(0, length), `first ${length} bytes`);
      if (problem !== undefined) problems.push(problem);
    }
    expect(problems).toEqual([]);
    // Only the bare header survives truncation: every other cut lands inside a section.
    expect(verdict(original.slice(0, 8))).toBe('accepted');
    expect(verdict(original.slice(0, 9))).toBe('malformed');
  });

  it('agrees with Node on every single-bit flip', () => {
    const problems: string[] = [];
    for (let i = 0; i < original.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = original.slice();
        copy[i]! ^= 1 << bit;
        const problem = disagreement(copy, `byte ${i} bit ${bit}`);
        if (problem !== undefined) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
  });

  it('agrees with Node on random multi-byte corruptions', () => {
    const next = random(0x5eed);
    const problems: string[] = [];
    for (let round = 0; round < 3000; round++) {
      const copy = original.slice();
      const edits = 1 + Math.floor(next() * 4);
      for (let e = 0; e < edits; e++) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
      const problem = disagreement(copy, `round ${round}`);
      if (problem !== undefined) problems.push(problem);
    }
    expect(problems).toEqual([]);
  });
});
