// `mcu-aot sim` end to end (the built command: npm run build first): builds a .wat, prints
// the console, exits with the firmware's code; --max-cycles stops a runaway firmware with a
// clear message and exit code 124; --stats reports instructions, cycles and speed on stderr;
// an .elf runs as is, and a file that is an ELF for something else is refused by name.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { loadProgram } from '../support/programs.js';

const work = mkdtempSync(join(tmpdir(), 'mcu-aot-cli-sim-'));

describe('mcu-aot sim', () => {
  it('runs a .wasm with its output and exit code, and prints --stats', async () => {
    const program = loadProgram('switch.wat', work);
    const result = await runCli(['sim', program.wasmPath, '--board', 'mps2-an385', '--stats']);
    expect(result.stdout).toBe(program.expectedOutput);
    expect(result.exitCode).toBe(program.expectedExit);
    expect(result.stderr).toMatch(/^instructions: \d+\ncycles: \d+ \(CPI [\d.]+\)\nsimulator speed: [\d.]+ MIPS/m);
  }, 60_000);

  it('stops a firmware that never exits at --max-cycles', async () => {
    const spin = join(work, 'spin.wat');
    writeFileSync(spin, '(module (func (export "_start") (loop $l (br $l))))');
    const result = await runCli(['sim', spin, '--board', 'lm3s6965', '--max-cycles', '100000']);
    expect(result.exitCode).toBe(124);
    expect(result.stderr).toContain(`error[cycle-limit]: cycle limit reached: no exit after 100000 cycles (raise --max-cycles if the program needs longer) in ${spin}`);
  }, 60_000);

  it('refuses a host program (/bin/true) as the ELF it is, naming the file and its class', async () => {
    const result = await runCli(['sim', '/bin/true', '--board', 'lm3s6965']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error\[input\]: cannot read input: not an ARM ELF executable: a 64-bit ELF \(ELFCLASS64\) for \S+; firmware is a 32-bit ARM executable in \/bin\/true$/m);
  }, 60_000);

  it('runs a built .elf and reports a trap like QEMU does', async () => {
    const program = loadProgram('trap-unreachable.wat', work);
    const elf = join(work, 'trap.elf');
    const built = await runCli(['build', program.wasmPath, '--board', 'lm3s6965', '-o', elf]);
    expect(built.exitCode).toBe(0);
    expect(readFileSync(elf).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    const result = await runCli(['sim', elf, '--board', 'lm3s6965']);
    expect(result.exitCode).toBe(101);
    expect(result.stdout).toMatch(/^trap: unreachable in \S+ at wasm offset 0x[0-9a-f]+$/m);
  }, 60_000);
});
