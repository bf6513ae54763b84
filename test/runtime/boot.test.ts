// runtime-c booted in QEMU on every board, with a C stand-in for a compiled module
// (fixtures/fake_module.c): exact console text and exit codes per docs/abi.md.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { TRAP_KINDS } from '../../src/ir/types.js';
import { loadBoard } from '../../src/driver/board.js';
import { runOnQemu } from '../../qemu/runner.js';
import { buildFakeFirmware, type FakeVariant, type FakeFirmwareOptions } from './fake-firmware.js';

const outDir = mkdtempSync(join(tmpdir(), 'mcu-aot-runtime-boot-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

async function boot(boardName: string, variant: FakeVariant, opts: FakeFirmwareOptions = {}, timeoutMs = 10_000) {
  const board = loadBoard(boardName);
  const elf = await buildFakeFirmware(board, variant, join(outDir, opts.memorySize?.toString(16) ?? 'default'), opts);
  return runOnQemu(elf, board, { timeoutMs });
}

describe.each(['lm3s6965', 'mps2-an385', 'mps2-an386'])('runtime-c on %s', (boardName) => {
  test('copies data segments, serves WASI, reports a listed trap and exits 100+kind', async () => {
    const r = await boot(boardName, 'HELLO');
    // "checks ok" is printed only after the fixture's checks of the memory context, zeroed
    // memory, EFAULT on out-of-bounds pointers, fdstat, args, environ and the clock passed;
    // a failed check exits with its own number instead.
    expect(r.exitCode === 104 ? 'ok' : `failed check ${r.exitCode}`).toBe('ok');
    // The test linker script gives linear memory less than one page (the rest of 64 KiB of
    // RAM), so the out-of-bounds trap also names the physical limit.
    expect(r.output).toMatch(
      new RegExp(
        '^hello from wasm\\nchecks ok\\n' +
          'trap: out of bounds memory access in fake_func at wasm offset 0x1234\\n' +
          'note: linear memory is limited to 0x[0-9a-f]+ bytes \\(physical limit of this board\\); the module declares 1 pages\\n$',
      ),
    );
    expect(r.exitCode).toBe(104);
    expect(r.timedOut).toBe(false);
  });

  test('proc_exit exits with its code', async () => {
    const r = await boot(boardName, 'PROC_EXIT');
    expect(r).toMatchObject({ output: 'bye\n', exitCode: 42 });
  });

  test('runs start, then main, and exits with what main returns', async () => {
    const r = await boot(boardName, 'MAIN');
    expect(r).toMatchObject({ output: 'start\nmain\n', exitCode: 7 });
  });

  test('a module without memory gets EFAULT for every pointer and exits 0 when entry returns', async () => {
    const r = await boot(boardName, 'NO_MEMORY');
    expect(r).toMatchObject({ output: '', exitCode: 0 });
  });

  test('a data segment past the bound is reported and exits 98', async () => {
    const r = await boot(boardName, 'SEGMENT_TOO_BIG');
    expect(r.output).toMatch(/^error: data segment 1 \(offset 0xfff0, size 0x20\) does not fit in linear memory of 0x[0-9a-f]+ bytes\n$/);
    expect(r.exitCode).toBe(98);
  });

  test('memory smaller than declared: the bound is the physical size and the trap names the limit', async () => {
    const r = await boot(boardName, 'SMALL_MEMORY', { memorySize: 0x4000 });
    expect(r.output).toBe(
      'trap: out of bounds memory access in load_far at wasm offset 0x99\n' +
        'note: linear memory is limited to 0x4000 bytes (physical limit of this board); the module declares 2 pages\n',
    );
    expect(r.exitCode).toBe(104);
  });

  test('a trap missing from the trap table still reports its kind and pc', async () => {
    const r = await boot(boardName, 'UNLISTED_TRAP');
    expect(r.output).toMatch(/^trap: unreachable at pc=0x[0-9a-f]+\n$/);
    expect(r.exitCode).toBe(101);
  });

  test('a UDF that is no trap kind is a UsageFault, exit 99', async () => {
    const r = await boot(boardName, 'UDF_FAULT');
    expect(r.output).toMatch(/^fault: UsageFault at pc=0x[0-9a-f]+ cfsr=0x10000\n$/);
    expect(r.exitCode).toBe(99);
  });

  test('executing from a never-executable address is a MemManage fault, exit 99', async () => {
    const r = await boot(boardName, 'EXEC_FAULT');
    // CFSR.IACCVIOL: the handler must not read the halfword at that pc.
    expect(r.output).toBe('fault: MemManage at pc=0xe0001000 cfsr=0x1\n');
    expect(r.exitCode).toBe(99);
  });

  test('firmware that never exits is reported as timed out', async () => {
    const started = Date.now();
    const r = await boot(boardName, 'LOOP', {}, 1500);
    expect(r.timedOut).toBe(true);
    expect(r.message).toContain('did not exit within 1.5 s');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

// The runtime's names and exit codes for every kind, checked against the IR's TRAP_KINDS.
test.each(Object.entries(TRAP_KINDS))('trap kind %s (%i) prints its name and exits 100+kind', async (name, kind) => {
  const r = await boot('mps2-an385', 'UNLISTED_TRAP', { trapKind: kind });
  expect(r.output).toMatch(new RegExp(`^trap: ${name} at pc=0x[0-9a-f]+\\n$`));
  expect(r.exitCode).toBe(100 + kind);
});
