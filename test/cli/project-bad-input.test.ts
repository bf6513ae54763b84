// Bad project settings through the real command: each is one error line naming the
// mcu-aot.toml line (or the flag) and the key, exit 1, and nothing written, not even the
// output folder. Covers unknown keys and wrong types, a handler the module does not export,
// and a peripheral grant over the RAM the runtime owns or over flash.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'mcu-aot-project-bad-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const APP = '(module (memory 1) (func (export "_start")) (func (export "on_tick")))\n';

/** A project folder with `toml` as its config and src/app.wat as its input. */
function project(name: string, toml: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'mcu-aot.toml'), `board = "lm3s6965"\ninput = "src/app.wat"\noutput_dir = "build"\n${toml}`);
  writeFileSync(join(dir, 'src', 'app.wat'), APP);
  return dir;
}

/** `mcu-aot build` in the project: its one error line, after checking exit 1 and no output. */
async function buildFails(dir: string, args: string[] = []): Promise<string> {
  const before = readdirSync(dir).sort();
  const result = await runCli(['build', ...args], { cwd: dir });
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toBe('');
  expect(existsSync(join(dir, 'build'))).toBe(false);
  expect(readdirSync(dir).sort()).toEqual(before);
  const [line, ...rest] = result.stderr.trimEnd().split('\n');
  expect(rest.every((l) => l.startsWith('  hint: '))).toBe(true);
  return line!;
}

describe('a bad mcu-aot.toml', () => {
  it('names the file:line of an unknown key, and the key', async () => {
    const dir = project('unknown-key', 'stack = "4K"\n');
    expect(await buildFails(dir)).toMatch(/^error\[config\]: project config error: key 'stack': unknown key \(known: .*stack_size.*\) in .*unknown-key\/mcu-aot\.toml:4$/);
  });

  it('names the file:line of an unknown key inside a peripheral', async () => {
    const dir = project('unknown-peripheral-key', '\n[peripherals]\ntimer0 = { base = 0x40030000, length = 0x1000 }\n');
    expect(await buildFails(dir)).toMatch(/key 'peripherals\.timer0\.length': unknown key .* in .*unknown-peripheral-key\/mcu-aot\.toml:6$/);
  });

  it('names the file:line of a value of the wrong type, and the key', async () => {
    const dir = project('wrong-type', 'memory = true\n');
    expect(await buildFails(dir)).toMatch(/^error\[config\]: project config error: key 'memory': expected a size such as 32K or 40960, got true in .*wrong-type\/mcu-aot\.toml:4$/);
    const board = project('board-number', '');
    writeFileSync(join(board, 'mcu-aot.toml'), 'input = "src/app.wat"\nboard = 6965\n');
    expect(await buildFails(board)).toMatch(/key 'board': expected a non-empty string, got 6965 in .*board-number\/mcu-aot\.toml:2$/);
  });

  it('names the file:line of a handler the module does not export', async () => {
    const dir = project('no-handler', '\n[interrupts]\nSysTick = "on_tick"\nUART0 = "on_uart0"\n');
    const line = await buildFails(dir);
    expect(line).toMatch(/^error\[interrupts\]: interrupt binding error: the handler 'on_uart0' bound to UART0 is not an exported function in .*no-handler\/mcu-aot\.toml:7$/);
  });

  it('names the file:line of an IRQ line the board does not have', async () => {
    const dir = project('no-irq', '\n[interrupts]\nUART7 = "on_tick"\n');
    expect(await buildFails(dir)).toMatch(/'UART7' is not an IRQ line of board lm3s6965 in .*no-irq\/mcu-aot\.toml:6$/);
  });
});

describe('a peripheral grant over memory', () => {
  it('over the RAM the runtime owns names the grant\'s file:line and the RAM range', async () => {
    const dir = project('grant-ram', '\n[peripherals]\nuart1 = { base = 0x4000D000, size = 0x1000 }\nscratch = { base = 0x2000F000, size = 0x2000 }\n');
    expect(await buildFails(dir)).toBe(
      "error[config]: project config error: peripheral grant 'scratch' 0x2000f000-0x20010fff overlaps lm3s6965's RAM 0x20000000-0x2000ffff in "
      + `${join(dir, 'mcu-aot.toml')}:7`);
  });

  it('over flash, from --grant, names the flag and the flash range', async () => {
    const dir = project('grant-flash', '');
    const line = await buildFails(dir, ['--grant', 'rom=0x3f000:0x2000:r']);
    expect(line).toBe("error[usage]: usage error: peripheral grant 'rom' (--grant) 0x0003f000-0x00040fff overlaps lm3s6965's flash 0x00000000-0x0003ffff");
  });

  it('next to memory is accepted', async () => {
    const dir = project('grant-beside', '\n[peripherals]\nafter_ram = { base = 0x20010000, size = 0x1000, access = "r" }\n');
    const result = await runCli(['build'], { cwd: dir });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(dir, 'build', 'app.elf'))).toBe(true);
  });
});
