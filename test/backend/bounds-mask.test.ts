// --bounds=mask on QEMU: out-of-bounds stores wrap inside the power-of-two linear memory
// (never trapping, never touching the global that lives just below it), in-bounds
// accesses keep their meaning, and the same module built with --bounds=trap traps.
// A memory size that is not a power of two is refused.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { UserError } from '../../src/diagnostics/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-bounds-mask-'));
const board = loadBoard('mps2-an385');

/** Exit 0 when every wrapped access landed where masking says; 1-5 name the failed check. */
const PROGRAM = `(module
  (memory 1)
  (global $canary (mut i32) (i32.const 0x1234))
  (func (export "main") (result i32)
    ;; 65536 + 16 wraps to 16.
    (i32.store (i32.const 65552) (i32.const 0xaabbccdd))
    (if (i32.ne (i32.load (i32.const 16)) (i32.const 0xaabbccdd)) (then (return (i32.const 1))))
    ;; The address plus the offset wraps modulo 2^32, then modulo the memory: 0xfffffff0 + 0x30 -> 0x20.
    (i32.store offset=0x30 (i32.const 0xfffffff0) (i32.const 77))
    (if (i32.ne (i32.load (i32.const 0x20)) (i32.const 77)) (then (return (i32.const 2))))
    ;; An 8-byte store at the last address ends in the 8 spare bytes, not outside.
    (i64.store (i32.const -1) (i64.const -1))
    (if (i32.ne (i32.load8_u (i32.const 65535)) (i32.const 255)) (then (return (i32.const 3))))
    ;; Stores far below and far above never reach the global that sits below linear memory.
    (i32.store (i32.const -4) (i32.const 0))
    (i32.store (i32.const -8) (i32.const 0))
    (i32.store (i32.const 0x7ffffffc) (i32.const 0))
    (if (i32.ne (global.get $canary) (i32.const 0x1234)) (then (return (i32.const 4))))
    ;; In bounds, nothing changes.
    (i32.store (i32.const 100) (i32.const 5))
    (if (i32.ne (i32.load (i32.const 100)) (i32.const 5)) (then (return (i32.const 5))))
    (i32.const 0)))`;

async function firmware(name: string, bounds: 'trap' | 'mask', memory?: number): Promise<string> {
  const input = join(dir, `${name}.wat`);
  writeFileSync(input, PROGRAM);
  const output = join(dir, `${name}.elf`);
  await build({ input, board, emit: 'elf', output, bounds, log: () => {}, ...(memory !== undefined ? { memory } : {}) });
  return output;
}

describe('--bounds=mask', () => {
  it('wraps out-of-bounds accesses inside linear memory and keeps in-bounds ones exact', async () => {
    const result = await runOnQemu(await firmware('mask', 'mask'), board, { timeoutMs: 20_000 });
    expect(result.output).not.toContain('trap');
    expect(result.exitCode).toBe(0);
  }, 30_000);

  it('--bounds=trap traps on the first out-of-bounds store of the same module', async () => {
    const result = await runOnQemu(await firmware('trap', 'trap'), board, { timeoutMs: 20_000 });
    expect(result.output).toContain('trap: out of bounds memory access');
    expect(result.exitCode).toBe(104);
  }, 30_000);

  it('refuses a memory size that is not a power of two', async () => {
    await expect(firmware('odd', 'mask', 48 * 1024)).rejects.toThrow(UserError);
    await expect(firmware('odd', 'mask', 48 * 1024)).rejects.toThrow(/power-of-two/);
  });
});
