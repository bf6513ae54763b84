// Our module objects are standard ELF: GNU ld links them with runtime-c into firmware that
// runs and prints exactly what the firmware from our own linker prints.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard } from '../../src/driver/board.js';
import { build, compileToObject } from '../../src/driver/build.js';
import { buildRuntime } from '../../src/driver/runtime.js';
import { writeObject } from '../../src/elf/write-object.js';
import { tool } from '../elf/arm-tools.js';
import { loadProgram } from '../support/programs.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-gnu-ld-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LINKER_SCRIPT = new URL('../runtime/fixtures/board.ld', import.meta.url).pathname;
const PROGRAMS = ['examples/hello.wat', 'i64-arith.wat'];

describe('arm-none-eabi-ld links mcu-aot objects', () => {
  it.each(PROGRAMS)('%s: same output as our linker', async (program) => {
    const board = loadBoard('lm3s6965');
    // e2e programs need their printing prelude: loadProgram writes the spliced module.
    const source = program.startsWith('examples/')
      ? new URL(`../../${program}`, import.meta.url).pathname
      : loadProgram(program, dir).wasmPath;
    const log = (): void => {};

    const { object } = await compileToObject({ input: source, board, emit: 'obj', log });
    const objPath = join(dir, 'module.o');
    writeFileSync(objPath, writeObject(object));
    const runtime = await buildRuntime(board);
    const gnuElf = join(dir, 'gnu.elf');
    tool('arm-none-eabi-ld', ['-T', LINKER_SCRIPT, '--gc-sections', '-o', gnuElf, objPath, ...runtime.objects, runtime.libgcc]);

    const oursElf = join(dir, 'ours.elf');
    await build({ input: source, board, emit: 'elf', output: oursElf, log });

    const gnu = await runOnQemu(gnuElf, board, { timeoutMs: 20_000 });
    const ours = await runOnQemu(oursElf, board, { timeoutMs: 20_000 });
    expect(gnu.output.length).toBeGreaterThan(0);
    expect(gnu.output).toBe(ours.output);
    expect(gnu.exitCode).toBe(ours.exitCode);
  });
});

