// The spectest provider (spectest.wat + spectest-host.c) in a multi-module firmware on QEMU:
// a module importing its printers, globals, table and memory, as the testsuite's do.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard } from '../../src/driver/board.js';
import { buildFirmware } from '../../src/driver/multi-module.js';
import { spectestHostObject, spectestModule } from './spectest.js';

const work = mkdtempSync(join(tmpdir(), 'mcu-aot-spectest-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const USER = `(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (import "spectest" "print" (func $print))
  (import "spectest" "global_i32" (global $g i32))
  (import "spectest" "global_i64" (global $g64 i64))
  (import "spectest" "table" (table $t 10 20 funcref))
  (import "spectest" "memory" (memory 1 2))
  (elem (table $t) (i32.const 9) func $seven)
  (data (global.get $g) "\\2a")
  (type $v2i (func (result i32)))
  (func $seven (result i32) (i32.const 7))
  (func (export "_start")
    (call $print_i32 (global.get $g))
    (call $print_i32 (i32.const -5))
    (call $print_i64 (global.get $g64))
    (call $print_i64 (i64.const -9223372036854775808))
    (call $print_i32 (i32.load8_u (i32.const 666)))
    (call $print_i32 (call_indirect $t (type $v2i) (i32.const 9)))
    (call $print_i32 (table.size $t))
    (call $print_i32 (memory.size))
    (call $print)))`;

it('serves printers, globals, table and memory to an importing module on QEMU', async () => {
  const board = loadBoard('mps2-an385');
  writeFileSync(join(work, 'user.wat'), USER);
  execFileSync('wat2wasm', [join(work, 'user.wat'), '-o', join(work, 'user.wasm')]);
  const user = { name: 'user', wasm: new Uint8Array(readFileSync(join(work, 'user.wasm'))) };
  const { link } = await buildFirmware([spectestModule(), user], board, { extraObjects: [spectestHostObject(board)] });
  writeFileSync(join(work, 'fw.elf'), link.elf);
  const result = await runOnQemu(join(work, 'fw.elf'), board, { timeoutMs: 20_000 });
  expect(result.output).toBe(
    ['666 : i32', '-5 : i32', '666 : i64', '-9223372036854775808 : i64', '42 : i32', '7 : i32', '10 : i32', '1 : i32', '', ''].join('\n'),
  );
  expect(result.exitCode).toBe(0);
});
