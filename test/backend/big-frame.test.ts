// Frames over 4 KiB (frame.ts): sp moves by a register (sub.w sp, sp, r12) and spill slots
// beyond [sp, #4095] are reached through a base register. A function keeping 1,100 loaded
// values live at once runs on QEMU through the spec runner; the expected sum is arithmetic.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { runSpec } from '../spec/runner.js';

const LIVE = 1100;

function bigFrameScript(): string {
  const locals = Array.from({ length: LIVE }, (_, k) => `(local $l${k} i32)`).join(' ');
  const loads = Array.from({ length: LIVE }, (_, k) => `(local.set $l${k} (i32.load offset=${4 * k} (local.get $base)))`).join('\n');
  // Sum in reverse so the first loads stay live until the end.
  let sum = `(local.get $l${LIVE - 1})`;
  for (let k = LIVE - 2; k >= 0; k--) sum = `(i32.add ${sum} (local.get $l${k}))`;
  return `(module (memory 1)
  (func (export "sum") (param $base i32) (result i32) (local $k i32) ${locals}
    (loop $fill
      (i32.store (i32.add (local.get $base) (i32.shl (local.get $k) (i32.const 2))) (i32.add (i32.mul (local.get $k) (i32.const 3)) (i32.const 1)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $k) (i32.const ${LIVE}))))
    ${loads}
    ${sum}))
(assert_return (invoke "sum" (i32.const 64)) (i32.const ${(3 * LIVE * (LIVE - 1)) / 2 + LIVE}))
`;
}

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-big-frame-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keeps 1,100 values live across a frame over 4 KiB on QEMU', { timeout: 120000 }, async () => {
  writeFileSync(join(dir, 'big-frame.wast'), bigFrameScript());
  const [report] = await runSpec({ board: loadBoard('mps2-an385'), files: ['big-frame.wast'], jobs: 1, timeoutMs: 60000, suiteDir: dir });
  expect(report!.results.map((r) => `${r.status} ${r.reason ?? ''} ${r.detail ?? ''}`.trim())).toEqual(['pass', 'pass']);
});
