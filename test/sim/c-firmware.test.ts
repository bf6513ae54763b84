// Firmware written in C and built by arm-none-eabi-gcc -O2 and -Os (so libgcc, LDM/STM,
// TBB/TBH, bit fields, saturation, soft float and faults all appear) runs the same in the
// simulator as on QEMU: same console output, same exit code. A fault inside the HardFault
// handler ends as a lockup, reported cleanly.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard, type Board } from '../../src/driver/board.js';
import { describeStop, simulateElf } from '../../src/sim/simulate.js';

const FIRMWARE = new URL('./firmware/', import.meta.url).pathname;
const LIMIT = 500_000_000;
const work = mkdtempSync(join(tmpdir(), 'mcu-aot-sim-c-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function linkerScript(board: Board): string {
  const hex = (n: number): string => `0x${n.toString(16)}`;
  return `MEMORY { FLASH (rx) : ORIGIN = ${hex(board.flash.origin)}, LENGTH = ${hex(board.flash.size)}
  RAM (rwx) : ORIGIN = ${hex(board.ram.origin)}, LENGTH = ${hex(board.ram.size)} }
SECTIONS {
  .text : { KEEP(*(.vectors)) *(.text*) *(.rodata*) } > FLASH
  .data : { __data_start = .; *(.data*) . = ALIGN(4); __data_end = .; } > RAM AT > FLASH
  __data_load = LOADADDR(.data);
  .bss (NOLOAD) : { __bss_start = .; *(.bss*) *(COMMON) . = ALIGN(4); __bss_end = .; } > RAM
  __stack_top = ORIGIN(RAM) + LENGTH(RAM);
}`;
}

function buildFirmware(program: string, board: Board, opt: '-O2' | '-Os'): string {
  const script = join(work, `${board.name}.ld`);
  writeFileSync(script, linkerScript(board));
  const elf = join(work, `${program}-${board.name}${opt}.elf`);
  const console = board.console.kind === 'pl011' ? '-DCONSOLE_PL011' : '-DCONSOLE_CMSDK';
  execFileSync('arm-none-eabi-gcc', [
    '-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft', opt, '-ffreestanding', '-nostdlib', '-nostartfiles', '-fno-builtin',
    console, `-DCONSOLE_BASE=0x${board.console.base.toString(16)}u`, '-T', script,
    join(FIRMWARE, 'crt.c'), join(FIRMWARE, `${program}.c`), '-lgcc', '-o', elf,
  ], { stdio: 'pipe' });
  return elf;
}

const PROGRAMS = ['divmod64', 'memops', 'bits', 'udf', 'wild', 'divzero'];

describe.each(['lm3s6965', 'mps2-an385'])('C firmware on %s', (boardName) => {
  const board = loadBoard(boardName);
  it.each(PROGRAMS.flatMap((p) => [[p, '-O2'], [p, '-Os']] as const))('%s %s matches QEMU', async (program, opt) => {
    const elf = buildFirmware(program, board, opt);
    const qemu = await runOnQemu(elf, board, { timeoutMs: 30_000 });
    const sim = simulateElf(readFileSync(elf), elf, board, { maxInstructions: LIMIT });
    expect(qemu.timedOut).toBe(false);
    expect(sim.output).toBe(qemu.output);
    expect(describeStop(sim.stop, LIMIT)).toBe(`exited with code ${qemu.exitCode}`);
  }, 60_000);

  it('uses what it is meant to test: libgcc division, LDM/STM, LDRD/STRD, TBB, SSAT/USAT, BFI/UBFX, UDF', () => {
    const text = ['divmod64', 'memops', 'bits', 'udf'].map((p) =>
      execFileSync('arm-none-eabi-objdump', ['-d', buildFirmware(p, board, '-O2')], { encoding: 'utf8' })).join('\n');
    for (const needle of ['__aeabi_uldivmod', '__aeabi_ldivmod', 'ldmia', 'stm', 'tbb', 'ldrd', 'strd', 'ssat', 'usat', 'bfi', 'ubfx', 'udf', 'clz', 'rbit', 'rev']) {
      expect(text, needle).toContain(needle);
    }
  });
});

describe('faults the handler cannot take', () => {
  it('reports a fault inside the HardFault handler as a lockup', () => {
    const board = loadBoard('lm3s6965');
    const source = join(work, 'lockup.s');
    writeFileSync(source, `.syntax unified\n.thumb\n.section .vectors\n.word 0x20001000\n.word reset + 1\n.word reset + 1\n.word hardfault + 1\n.text\n.thumb_func\nreset:\n  udf #1\n.thumb_func\nhardfault:\n  nop\n  udf #2\n`);
    const object = join(work, 'lockup.o');
    const elf = join(work, 'lockup.elf');
    execFileSync('arm-none-eabi-as', ['-mthumb', '-mcpu=cortex-m3', source, '-o', object]);
    writeFileSync(join(work, 'lockup.ld'), 'SECTIONS { .text 0 : { KEEP(*(.vectors)) *(.text*) } }');
    execFileSync('arm-none-eabi-ld', ['-T', join(work, 'lockup.ld'), object, '-o', elf]);
    const sim = simulateElf(readFileSync(elf), elf, board, { maxInstructions: 1000 });
    // hardfault: nop at 0x12, udf at 0x14.
    expect(describeStop(sim.stop, 1000)).toMatch(/^lockup at pc=0x14: /);
  });
});
