// `mcu-aot build|run|sim app lib...`: several modules linked into one firmware by their
// import and export names; the first module is the entry.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-cli-multi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The library keeps state (a mutable global) that the app changes through an export.
const LIB = `(module
  (global $counter (export "counter") (mut i32) (i32.const 3))
  (func (export "bump") (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
  (func (export "twice") (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1))))`;

// Prints "lib says N\\n" with N = twice(counter after two bumps) = 10, as two digits.
const APP = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "mathlib" "bump" (func $bump))
  (import "mathlib" "twice" (func $twice (param i32) (result i32)))
  (import "mathlib" "counter" (global $counter (mut i32)))
  (memory 1)
  (data (i32.const 0) "\\10\\00\\00\\00\\0c\\00\\00\\00")
  (data (i32.const 16) "lib says ??\\n")
  (func (export "_start") (local $n i32)
    (call $bump)
    (call $bump)
    (local.set $n (call $twice (global.get $counter)))
    (i32.store8 (i32.const 25) (i32.add (i32.const 48) (i32.div_u (local.get $n) (i32.const 10))))
    (i32.store8 (i32.const 26) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;

const app = join(dir, 'app.wat');
const lib = join(dir, 'lib.wat');
writeFileSync(app, APP);
writeFileSync(lib, LIB);

describe('mcu-aot with several modules', () => {
  it('build links them into one firmware (name=path names the import module)', async () => {
    const out = join(dir, 'app.elf');
    const result = await runCli(['build', app, `mathlib=${lib}`, '--board', 'mps2-an385', '-o', out]);
    expect(result.stderr).toMatch(/wrote .*app\.elf/);
    expect(result.exitCode).toBe(0);
    // Both modules' code is in the one firmware: the library's exports under its prefix.
    const map = readFileSync(join(dir, 'app.map'), 'utf8');
    expect(map).toMatch(/mathlib_twice/);
    expect(map).toMatch(/__mcu_instances/);
  });

  it.each(['lm3s6965', 'mps2-an386'])('run boots them on %s: the app sees the state it gave the library', async (board) => {
    const result = await runCli(['run', app, `mathlib=${lib}`, '--board', board]);
    expect(result.stdout).toBe('lib says 10\n');
    expect(result.exitCode).toBe(0);
  });

  it('sim runs them in the simulator with the same output', async () => {
    const result = await runCli(['sim', app, `mathlib=${lib}`, '--board', 'mps2-an385']);
    expect(result.stdout).toBe('lib says 10\n');
    expect(result.exitCode).toBe(0);
  });

  it('a library given under a name nothing imports leaves the import unresolved, and says which', async () => {
    const result = await runCli(['build', app, lib, '--board', 'mps2-an385', '-o', join(dir, 'bad.elf')]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/mathlib/);
  });

  it('--emit obj refuses several modules', async () => {
    const result = await runCli(['build', app, `mathlib=${lib}`, '--board', 'mps2-an385', '--emit', 'obj', '-o', join(dir, 'app.o')]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/--emit obj takes one module/);
  });
});
