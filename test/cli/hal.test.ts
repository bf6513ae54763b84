// The project config's [peripherals] and [interrupts], and --grant, reaching the build
// through the CLI: a SysTick handler and an extra UART granted by mcu-aot.toml run on QEMU;
// a constant register address outside the grants fails to build until --grant grants it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'mcu-aot-hal-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** lm3s6965's UART1 (0x4000d000, not granted by the board) is read; UART0 prints. */
const APP = `(module
  (import "mcu" "read32" (func $read32 (param i32) (result i32)))
  (import "mcu" "write32" (func $write32 (param i32 i32)))
  (import "mcu" "wait_for_interrupt" (func $wfi))
  (memory 1)
  (func (export "on_tick") (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))))
  (func (export "_start")
    (drop (call $read32 (i32.const 0x4000d018)))
    (loop $sleep (call $wfi) (br_if $sleep (i32.lt_u (i32.load (i32.const 0)) (i32.const 10))))
    (call $write32 (i32.const 0x4000c000) (i32.const 0x74))
    (call $write32 (i32.const 0x4000c000) (i32.const 10))))
`;

describe('HAL settings from the project and the command line', () => {
  it('[peripherals] and [interrupts] in mcu-aot.toml reach the build', async () => {
    const dir = join(root, 'project');
    await runCli(['init', dir, '--lang', 'wat']);
    writeFileSync(join(dir, 'src', 'main.wat'), APP);
    writeFileSync(join(dir, 'mcu-aot.toml'), `board = "lm3s6965"
input = "src/main.wat"
output_dir = "build"

[peripherals]
uart1 = { base = 0x4000D000, size = 0x1000, access = "r" }

[interrupts]
SysTick = "on_tick"
`);
    const run = await runCli(['run'], { cwd: dir });
    expect(run.stdout).toBe('t\n');
    expect(run.exitCode).toBe(0);
  }, 60_000);

  it('--grant grants a range the board does not', async () => {
    const input = join(root, 'grant.wat');
    writeFileSync(input, APP);
    const denied = await runCli(['build', input, '--board', 'lm3s6965']);
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toContain('peripheral access not granted: mcu.read32 at 0x4000d018');
    const granted = await runCli(['build', input, '--board', 'lm3s6965', '--grant', 'uart1=0x4000d000:0x1000:r']);
    expect(granted.stderr).not.toMatch(/error/);
    expect(granted.exitCode).toBe(0);
    const bad = await runCli(['build', input, '--board', 'lm3s6965', '--grant', 'uart1']);
    expect(bad.stderr).toContain("'uart1' is not name=base:size[:access]");
    expect(bad.exitCode).not.toBe(0);
  }, 60_000);
});
