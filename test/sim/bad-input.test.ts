// What the simulator says about files that are not firmware for it: not ELF at all, a
// 64-bit ELF, an ELF for another machine (the host's own /bin/true), an unlinked object.
// Each is one line naming the file and what is wrong, never a crash.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { loadBoard } from '../../src/driver/board.js';
import { readLoadImage } from '../../src/elf/read-executable.js';
import { EXIT_CYCLE_LIMIT, exitCodeOf, simulateElf } from '../../src/sim/simulate.js';

const work = mkdtempSync(join(tmpdir(), 'mcu-aot-sim-bad-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const board = loadBoard('lm3s6965');

function rejection(bytes: Uint8Array, file: string): string {
  try {
    simulateElf(bytes, file, board);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

/** A minimal linked ARM executable (the reset vector spins). */
function armExecutable(): Uint8Array {
  writeFileSync(join(work, 'spin.s'), '.syntax unified\n.thumb\n.section .vectors\n.word 0x20001000\n.word reset + 1\n.text\n.thumb_func\nreset:\n  b reset\n');
  execFileSync('arm-none-eabi-as', ['-mthumb', '-mcpu=cortex-m3', join(work, 'spin.s'), '-o', join(work, 'spin.o')]);
  writeFileSync(join(work, 'spin.ld'), 'SECTIONS { .text 0 : { KEEP(*(.vectors)) *(.text*) } }');
  execFileSync('arm-none-eabi-ld', ['-T', join(work, 'spin.ld'), join(work, 'spin.o'), '-o', join(work, 'spin.elf')]);
  return readFileSync(join(work, 'spin.elf'));
}

describe('bad input to the simulator', () => {
  it('names a file that is not ELF', () => {
    expect(rejection(new TextEncoder().encode('hello, world\n'), 'notes.elf')).toBe(
      'cannot read input: not an ARM ELF executable: no ELF magic (this is not an ELF file) in notes.elf');
  });

  it('names a 64-bit ELF and its machine (the host\'s /bin/true)', () => {
    expect(rejection(readFileSync('/bin/true'), '/bin/true')).toMatch(
      /^cannot read input: not an ARM ELF executable: a 64-bit ELF \(ELFCLASS64\) for (x86-64|AArch64); firmware is a 32-bit ARM executable in \/bin\/true$/);
  });

  it('names the machine of a 32-bit ELF for another architecture', () => {
    const elf = armExecutable().slice();
    new DataView(elf.buffer).setUint16(18, 3, true); // e_machine: EM_386
    expect(rejection(elf, 'x86.elf')).toBe('cannot read input: not an ARM ELF executable: an ELF for x86 (i386) (e_machine 3), not ARM in x86.elf');
  });

  it('says an object file must be linked first', () => {
    expect(rejection(readFileSync(join(work, 'spin.o')), 'spin.o')).toContain('not an executable (ET_EXEC): a relocatable object must be linked first in spin.o');
  });

  it('reads the load image of a linked ARM executable', () => {
    const image = readLoadImage(armExecutable(), 'spin.elf');
    expect(image.segments.map((s) => s.address)).toEqual([0]);
    expect(new DataView(image.segments[0]!.bytes.buffer, image.segments[0]!.bytes.byteOffset).getUint32(4, true)).toBe(0x9);
  });

  it('ends a firmware that never exits at the cycle limit with its own error code', () => {
    const result = simulateElf(armExecutable(), 'spin.elf', board, { maxCycles: 10_000 });
    expect(result.stop).toEqual({ kind: 'limit' });
    expect(() => exitCodeOf(result, 10_000, 'spin.elf')).toThrow(/^cycle limit reached: no exit after 10000 cycles \(raise --max-cycles if the program needs longer\) in spin\.elf$/);
    expect(EXIT_CYCLE_LIMIT).toBe(124);
  });
});
