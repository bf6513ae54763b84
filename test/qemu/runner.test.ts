// The QEMU runner on both boards, with a firmware of a few instructions (fixtures/tiny.s)
// so these tests do not depend on runtime-c: UART0 reaches stdout, the semihosting exit
// code becomes the result, a firmware that never exits is killed, missing tools are named.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { loadBoard, type Board } from '../../src/driver/board.js';
import { qemuArgs, runOnQemu } from '../../qemu/runner.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const outDir = mkdtempSync(join(tmpdir(), 'mcu-aot-qemu-runner-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

async function tinyFirmware(board: Board, loop: boolean): Promise<string> {
  const base = `${board.name}-${loop ? 'loop' : 'exit'}`;
  const object = join(outDir, `${base}.o`);
  const elf = join(outDir, `${base}.elf`);
  await execa('arm-none-eabi-as', [
    '--defsym', `UART_BASE=${board.console.base}`,
    '--defsym', `CMSDK=${board.console.kind === 'cmsdk-uart' ? 1 : 0}`,
    '--defsym', `LOOP=${loop ? 1 : 0}`,
    join(FIXTURES, 'tiny.s'), '-o', object,
  ]);
  await execa('arm-none-eabi-ld', ['--section-start=.vectors=0', '-Ttext=0x100', '-e', 'reset', '-o', elf, object]);
  return elf;
}

describe.each(['lm3s6965', 'mps2-an385'])('runOnQemu on %s', (boardName) => {
  const board = loadBoard(boardName);

  test('streams UART0 and returns the semihosting exit code', async () => {
    const chunks: string[] = [];
    const r = await runOnQemu(await tinyFirmware(board, false), board, { timeoutMs: 10_000, onOutput: (c) => chunks.push(c) });
    expect(r).toMatchObject({ exitCode: 5, output: 'hi\n', timedOut: false });
    expect(chunks.join('')).toBe('hi\n');
  });

  test('kills a firmware that never exits and says so', async () => {
    const started = Date.now();
    const elf = await tinyFirmware(board, true);
    const r = await runOnQemu(elf, board, { timeoutMs: 1000 });
    expect(r.timedOut).toBe(true);
    expect(r.output).toBe('hi\n');
    expect(r.exitCode).toBe(-1);
    expect(r.message).toBe(`${elf} did not exit within 1 s on ${board.name} (QEMU ${board.qemuMachine}); QEMU was killed`);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

test('builds the documented command line', () => {
  const board = loadBoard('mps2-an385');
  expect(qemuArgs('/x/app.elf', board, ['-d', 'int'])).toEqual([
    '-M', 'mps2-an385', '-nographic', '-monitor', 'none', '-serial', 'stdio',
    '-semihosting-config', 'enable=on,target=native', '-kernel', '/x/app.elf', '-d', 'int',
  ]);
});

test('an unloadable kernel is a qemu UserError', async () => {
  const board = loadBoard('lm3s6965');
  const error = await runOnQemu(join(outDir, 'missing.elf'), board, { timeoutMs: 10_000 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).code).toBe('qemu');
});

test('a missing qemu-system-arm is a toolchain UserError with the install hint', async () => {
  const savedPath = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    const error = await runOnQemu('/x/app.elf', loadBoard('lm3s6965'), { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('toolchain');
    expect((error as UserError).hint).toBe('sudo apt-get install qemu-system-arm');
  } finally {
    process.env.PATH = savedPath;
  }
});
