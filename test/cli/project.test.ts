// Projects: `mcu-aot init` scaffolds that build and run on QEMU with no arguments, the
// config's settings reaching the build, flags overriding them, and config errors.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'mcu-aot-project-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A global symbol's value from the firmware's symbol table, as readelf prints it. */
function symbolValue(elf: string, name: string): number {
  const line = execFileSync('arm-none-eabi-readelf', ['-sW', elf], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.trim().split(/\s+/)[7] === name);
  if (line === undefined) throw new Error(`no symbol ${name} in ${elf}`);
  return parseInt(line.trim().split(/\s+/)[1]!, 16);
}

describe('mcu-aot init', () => {
  it.each([
    ['c', 'src/main.c'],
    ['assemblyscript', 'src/main.ts'],
    ['wat', 'src/main.wat'],
  ])('--lang %s scaffolds a project that `mcu-aot run` boots on QEMU', async (lang, source) => {
    const dir = join(root, `hello-${lang}`);
    const init = await runCli(['init', dir, '--lang', lang]);
    expect(init.stderr).toContain('created mcu-aot.toml');
    expect(init.exitCode).toBe(0);
    expect(existsSync(join(dir, source))).toBe(true);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('/build/\n');
    const run = await runCli(['run'], { cwd: dir });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.stdout).toBe(`Hello from hello-${lang} on lm3s6965!\n`);
    expect(run.exitCode).toBe(0);
  }, 60_000);

  it('uses the board it is given', async () => {
    const dir = join(root, 'on-mps2');
    expect((await runCli(['init', dir, '--lang', 'wat', '--board', 'mps2-an385'])).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'mcu-aot.toml'), 'utf8')).toMatch(/^board = "mps2-an385"$/m);
    const run = await runCli(['run'], { cwd: dir });
    expect(run.stdout).toBe('Hello from on-mps2 on mps2-an385!\n');
  }, 30_000);

  it('refuses to overwrite anything and writes nothing', async () => {
    const dir = join(root, 'taken');
    expect((await runCli(['init', dir, '--lang', 'wat'])).exitCode).toBe(0);
    rmSync(join(dir, 'src'), { recursive: true });
    const again = await runCli(['init', dir, '--lang', 'c']);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/error\[init\].*'mcu-aot.toml', '.gitignore' already exist/);
    expect(existsSync(join(dir, 'src'))).toBe(false);
  });

  it('rejects an unknown board before writing', async () => {
    const dir = join(root, 'no-board');
    const result = await runCli(['init', dir, '--board', 'nope']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/unknown board 'nope'/);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('mcu-aot.toml', () => {
  const project = (name: string, toml: string): string => {
    const dir = join(root, name);
    execFileSync('mkdir', ['-p', join(dir, 'src')]);
    writeFileSync(join(dir, 'mcu-aot.toml'), toml);
    writeFileSync(join(dir, 'src', 'app.wat'), '(module (memory 1) (func (export "_start")))\n');
    return dir;
  };

  it('build takes board, input, output_dir and stack_size from the config', async () => {
    const dir = project('configured', 'board = "lm3s6965"\ninput = "src/app.wat"\noutput_dir = "out"\nstack_size = "4K"\nmemory = "16K"\n');
    const result = await runCli(['build'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const elf = join(dir, 'out', 'app.elf');
    expect(symbolValue(elf, '__stack_top') - symbolValue(elf, '__stack_bottom')).toBe(4096);
    expect(symbolValue(elf, '__mcu_linear_memory_end') - symbolValue(elf, '__mcu_linear_memory')).toBe(16384);
  });

  it('size reads the project\'s firmware and agrees with arm-none-eabi-size', async () => {
    const dir = project('sized', 'board = "lm3s6965"\ninput = "src/app.wat"\noutput_dir = "out"\n');
    expect((await runCli(['build'], { cwd: dir })).exitCode).toBe(0);
    const result = await runCli(['size', '-n', '100'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const [text, data, bss] = execFileSync('arm-none-eabi-size', [join(dir, 'out', 'app.elf')], { encoding: 'utf8' }).split('\n')[1]!.trim().split(/\s+/).map(Number);
    expect(result.stdout).toContain(`flash ${text! + data!} bytes (text ${text} + data ${data}), RAM ${data! + bss!} bytes static (data ${data} + bss ${bss})`);
    expect(result.stdout).toMatch(/^\s+\d+\s+_start\s+\[wasm\$f0, wasm__start\]$/m); // named from the project's input
  });

  it('flags override the config', async () => {
    const dir = project('overridden', 'board = "lm3s6965"\ninput = "src/app.wat"\noutput_dir = "out"\nstack_size = "4K"\n');
    const result = await runCli(['build', '--board', 'mps2-an385', '--stack-size', '2K', '-o', 'x.elf'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const elf = join(dir, 'x.elf');
    expect(symbolValue(elf, '__stack_top') - symbolValue(elf, '__stack_bottom')).toBe(2048);
    // Built for mps2-an385: linear memory ends past the end of lm3s6965's 64 KiB of RAM.
    expect(symbolValue(elf, '__mcu_linear_memory_end')).toBeGreaterThan(0x20010000);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a config error names the file, the line and the key, and exits 1', async () => {
    const dir = project('broken', 'board = "lm3s6965"\ninput = "src/app.wat"\nstack_size = "big"\n');
    const result = await runCli(['build'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error\[config\]: project config error: key 'stack_size': expected a size .* in .*broken\/mcu-aot\.toml:3$/m);
  });

  it('without a config or arguments, build says what is missing', async () => {
    const dir = mkdtempSync(join(root, 'empty-'));
    const result = await runCli(['build'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/error\[usage\].*no input file given and there is no mcu-aot.toml here/);
  });
});
