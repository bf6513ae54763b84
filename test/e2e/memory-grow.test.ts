// memory.grow against the physical memory the board gives the module (docs/abi.md
// "Linear memory"): growing fails with -1 beyond the declared maximum, and also beyond the
// physical size, where Node (no physical limit) would succeed; memory.size keeps reporting
// the declared pages when the memory was fitted below them. Runs on QEMU.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';

const work = mkdtempSync(join(tmpdir(), 'mcu-aot-grow-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PAGE = 65536;

/** A module with `memory` that prints, one line each, the result of every step:
 *  `(grow N)` prints memory.grow's result, `size` prints memory.size. */
function growProgram(memory: string, steps: readonly (number | 'size')[]): string {
  const body = steps
    .map((s) => (s === 'size' ? '(call $show (memory.size))' : `(call $show (memory.grow (i32.const ${s})))`))
    .join('\n    ');
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory ${memory})
  ;; prints v as a signed decimal line, built backwards from byte 63
  (func $show (param $v i32)
    (local $p i32) (local $neg i32)
    (local.set $neg (i32.lt_s (local.get $v) (i32.const 0)))
    (if (local.get $neg) (then (local.set $v (i32.sub (i32.const 0) (local.get $v)))))
    (local.set $p (i32.const 63))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $digits (local.get $v)))
    (if (local.get $neg) (then
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.const 45))))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.sub (i32.const 64) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    ${body}))
`;
}

async function runGrow(name: string, boardName: string, memory: string, steps: readonly (number | 'size')[], physical?: number): Promise<string[]> {
  const board = loadBoard(boardName);
  const input = join(work, `${name}.wat`);
  writeFileSync(input, growProgram(memory, steps));
  const elf = join(work, `${name}.elf`);
  await build({ input, board, emit: 'elf', output: elf, log: () => {}, ...(physical !== undefined ? { memory: physical } : {}) });
  const result = await runOnQemu(elf, board, { timeoutMs: 20_000 });
  expect(result.exitCode).toBe(0);
  return result.output.trimEnd().split('\n');
}

describe('memory.grow on QEMU', () => {
  it('fails beyond the physical size even under the declared maximum (mps2-an385, --memory 2 pages)', async () => {
    const out = await runGrow('physical', 'mps2-an385', '1 4', [1, 1, 'size', 0, 'size'], 2 * PAGE);
    expect(out).toEqual(['1', '-1', '2', '2', '2']);
  });

  it('fails beyond the declared maximum (mps2-an385)', async () => {
    const out = await runGrow('maximum', 'mps2-an385', '1 3', [2, 1, 'size', 65535, -1, 'size'], undefined);
    expect(out).toEqual(['1', '-1', '3', '-1', '-1', '3']);
  });

  it('grows a memory without a maximum into the RAM left (mps2-an385)', async () => {
    const out = await runGrow('unbounded', 'mps2-an385', '1', [40, 'size', 1000, 'size'], undefined);
    expect(out).toEqual(['1', '41', '-1', '41']);
  });

  it('keeps reporting the declared pages of a fitted memory, which cannot grow (lm3s6965)', async () => {
    const out = await runGrow('fitted', 'lm3s6965', '1 4', ['size', 0, 1, 'size'], undefined);
    expect(out).toEqual(['1', '1', '-1', '1']);
  });
});
