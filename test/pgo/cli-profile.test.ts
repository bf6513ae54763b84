// `mcu-aot profile` through the real command (bin/mcu-aot.js over dist/): it prints the
// firmware's output and a summary, writes the profile and a self-contained HTML report, and
// writes nothing when the input is bad.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/pgo/profile.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-cli-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Prints through WASI, so the command's stdout shows the firmware's console.
const HELLO = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi <there>\\n")
  (func $shout (export "shout") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "_start")
    (local $i i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 11))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (loop $l
      (drop (call $shout (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 50))))))`;

describe('mcu-aot profile', () => {
  it('writes the profile and the HTML report, prints the output and a summary', async () => {
    const wat = join(dir, 'hello.wat');
    writeFileSync(wat, HELLO);
    const profile = join(dir, 'out', 'hello.profile');
    const html = join(dir, 'hello.html');
    // -O0: at -O2 $shout is inlined into the loop and merged into its block (a known gap, docs/profile.md).
    const result = await runCli(['profile', wat, '--board', 'lm3s6965', '-O', '0', '-o', profile, '--report', html]);
    expect(result.stderr).toMatch(/profile: \d+ functions ran, \d+ instructions, \d+ cycles \(exit 0\)/);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('hi <there>\n');
    const parsed = parseProfile(readFileSync(profile, 'utf8'), profile);
    expect(parsed.board).toBe('lm3s6965');
    const shout = parsed.functions.find((f) => f.name === 'shout')!;
    expect(shout.calls).toBe(50);

    const page = readFileSync(html, 'utf8');
    expect(page.match(/<html/g)).toHaveLength(1);
    expect(page.match(/<\/html>/g)).toHaveLength(1);
    expect(page).toContain('shout');
    expect(page).toContain('_start');
    expect(page).not.toMatch(/undefined|NaN|Infinity/);
    expect(page).not.toMatch(/<script|<link|src=|url\(/); // self-contained
    expect(page).toContain('Profile of hello.wat');
  }, 60_000);

  it('escapes names in the report', async () => {
    const wat = join(dir, 'names.wat');
    writeFileSync(wat, '(module (func (export "<b>&main") (result i32) (i32.const 3)) (func (export "main") (result i32) (i32.const 0)))');
    const html = join(dir, 'names.html');
    const result = await runCli(['profile', wat, '--board', 'lm3s6965', '-o', join(dir, 'names.profile'), '--report', html]);
    expect(result.exitCode).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).not.toContain('<b>&main');
  }, 60_000);

  it('stops at --max-cycles and still writes the profile of the run so far', async () => {
    const wat = join(dir, 'spin.wat');
    writeFileSync(wat, '(module (func (export "_start") (loop $l (br $l))))');
    const profile = join(dir, 'spin.profile');
    const result = await runCli(['profile', wat, '--board', 'lm3s6965', '-o', profile, '--max-cycles', '20000']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('stopped at the cycle limit');
    const parsed = parseProfile(readFileSync(profile, 'utf8'), profile);
    expect(parsed.run.exitCode).toBeNull();
    expect(parsed.functions[0]!.blocks.some((b) => b.count > 1000)).toBe(true);
  }, 60_000);

  it('writes nothing on a bad input', async () => {
    const bad = join(dir, 'bad');
    const wat = join(dir, 'broken.wat');
    writeFileSync(wat, '(module (func (result i32) (i64.const 1)))');
    const result = await runCli(['profile', wat, '--board', 'lm3s6965', '-o', join(bad, 'x.profile'), '--report', join(bad, 'x.html')]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error\[/m);
    expect(existsSync(bad) ? readdirSync(bad) : []).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith('broken.') && f !== 'broken.wat')).toEqual([]);
  }, 60_000);
});
