// `mcu-aot disasm`: the command over a built firmware and inside a project. What the listing
// says is checked against objdump in test/driver/disasm.test.ts; here: arguments, defaults,
// exit codes.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-cli-disasm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HELLO = new URL('../../examples/hello.wat', import.meta.url).pathname;

/** The address of a global function symbol, as readelf gives it (Thumb bit cleared). */
function functionAddress(elf: string, name: string): number {
  const row = execFileSync('arm-none-eabi-readelf', ['-sW', elf], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[3] === 'FUNC' && f[7] === name);
  if (row === undefined) throw new Error(`no function ${name} in ${elf}`);
  return parseInt(row[1]!, 16) & ~1;
}

describe('mcu-aot disasm', () => {
  it('lists one function by Wasm name, with its header and annotated code', async () => {
    const elf = join(dir, 'hello.elf');
    expect((await runCli(['build', HELLO, '--board', 'lm3s6965', '-o', elf])).exitCode).toBe(0);
    const result = await runCli(['disasm', elf, '--module', HELLO, '--function', '_start']);
    expect(result.exitCode).toBe(0);
    const [header, ...lines] = result.stdout.trimEnd().split('\n');
    const address = functionAddress(elf, 'wasm__start').toString(16).padStart(8, '0');
    expect(header).toMatch(new RegExp(`^${address} wasm\\$f\\d+ \\(_start\\) \\[wasm__start\\]:$`));
    expect(lines.every((l) => /^\s+[0-9a-f]+:  [0-9a-f]{4}( [0-9a-f]{4})?\s+\S/.test(l))).toBe(true);
    expect(result.stdout).toMatch(/bl 0x[0-9a-f]+ <wasi_snapshot_preview1__fd_write>$/m);
    expect(result.stdout).toMatch(/udf\.n #9  ; trap: call stack exhausted at wasm offset 0x[0-9a-f]+$/m);
  }, 30_000);

  it('fails on an unknown function with exit 1, naming functions it has', async () => {
    const elf = join(dir, 'hello2.elf');
    expect((await runCli(['build', HELLO, '--board', 'lm3s6965', '-o', elf])).exitCode).toBe(0);
    const result = await runCli(['disasm', elf, '--function', 'no_such']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error\[usage\]: usage error: no function 'no_such' in .*hello2\.elf$/m);
    expect(result.stderr).toMatch(/hint: known functions include '.+' \(\d+ in all\)/);
  }, 30_000);

  it('reads the project\'s firmware and module by default', async () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'mcu-aot.toml'), 'board = "lm3s6965"\ninput = "src/app.wat"\noutput_dir = "out"\n');
    writeFileSync(join(project, 'src', 'app.wat'), '(module (func $twice (export "twice") (param i32) (result i32) (i32.add (local.get 0) (local.get 0))) (func (export "_start")))\n');
    expect((await runCli(['build'], { cwd: project })).exitCode).toBe(0);
    const result = await runCli(['disasm', '--function', 'twice'], { cwd: project });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^[0-9a-f]{8} wasm\$f0 \(twice\) \[wasm_twice\]:\n\s+[0-9a-f]+:  [0-9a-f]{4}\s+add\S* r0, r0, r0\n/);
  }, 30_000);

  it('says what to pass outside a project', async () => {
    const result = await runCli(['disasm'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/no firmware given and no mcu-aot.toml/);
  });
});
