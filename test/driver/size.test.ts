// `mcu-aot size`: totals checked against arm-none-eabi-size, function sizes against
// readelf's symbol table, on our firmware and on an executable gcc linked.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { build } from '../../src/driver/build.js';
import { formatSizeReport, sizeOfFirmware, sizeReport } from '../../src/driver/size.js';
import { readExecutable } from '../../src/elf/read-executable.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const APP = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory 1)
  (global $counter (mut i32) (i32.const 5))
  (data (i32.const 16) "Hi\\n")
  (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $busy (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $square (local.get $n))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
    (local.get $acc))
  (func (export "_start")
    (global.set $counter (call $busy (global.get $counter)))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
`;

/** arm-none-eabi-size's Berkeley columns. */
function binutilsSize(elf: string): { text: number; data: number; bss: number } {
  const row = execFileSync('arm-none-eabi-size', [elf], { encoding: 'utf8' }).trim().split('\n')[1]!.trim().split(/\s+/);
  return { text: Number(row[0]), data: Number(row[1]), bss: Number(row[2]) };
}

/** Sized FUNC symbols from readelf: address (Thumb bit cleared) → size. */
function readelfFunctions(elf: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of execFileSync('arm-none-eabi-readelf', ['-sW', elf], { encoding: 'utf8' }).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[3] === 'FUNC' && Number(f[2]) > 0 && f[6] !== 'UND') out.set(parseInt(f[1]!, 16) & ~1, Number(f[2]));
  }
  return out;
}

describe('mcu-aot size on our firmware', () => {
  const wat = join(dir, 'app.wat');
  const wasm = join(dir, 'app.wasm');
  const elf = join(dir, 'app.elf');
  beforeAll(async () => {
    writeFileSync(wat, APP);
    execFileSync('wat2wasm', ['--debug-names', wat, '-o', wasm]);
    await build({ input: wasm, board: loadBoard('lm3s6965'), emit: 'elf', output: elf, log: () => {} });
  }, 60_000);

  it('matches arm-none-eabi-size', async () => {
    const report = await sizeOfFirmware(elf);
    const expected = binutilsSize(elf);
    expect({ text: report.text, data: report.data, bss: report.bss }).toEqual(expected);
    expect(report.flash).toBe(expected.text + expected.data);
    expect(report.staticRam).toBe(expected.data + expected.bss);
    expect(report.sections.map((s) => s.name)).toEqual(expect.arrayContaining(['.vectors', '.text', '.rodata']));
  });

  it('lists every sized function readelf lists, largest first', async () => {
    const report = await sizeOfFirmware(elf);
    const expected = readelfFunctions(elf);
    expect(new Map(report.functions.map((f) => [f.address, f.size]))).toEqual(expected);
    const sizes = report.functions.map((f) => f.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('names Wasm functions from the module, and gives the stack and linear memory', async () => {
    const report = await sizeOfFirmware(elf, wasm);
    const names = report.functions.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['square', 'busy', 'mcu_memory_init']));
    const start = report.functions.find((f) => f.symbols.includes('wasm__start'))!;
    expect(start.symbols[0]).toMatch(/^wasm\$f\d+$/); // the code symbol first, then the export alias
    expect(report.stack?.size).toBe(loadBoard('lm3s6965').stackSize);
    expect(report.linearMemory!.address + report.linearMemory!.size).toBe(0x20010000);
    const text = formatSizeReport('app.elf', report, 3);
    expect(text).toMatch(/^app\.elf: flash \d+ bytes \(text \d+ \+ data \d+\), RAM \d+ bytes static/);
    expect(text).toContain('functions, largest first (3 of');
  });

  it('shows symbols without a module', async () => {
    const report = await sizeOfFirmware(elf);
    expect(report.functions.some((f) => /^wasm\$f\d+$/.test(f.name))).toBe(true);
  });
});

describe('mcu-aot size on a gcc-linked executable', () => {
  it('agrees with arm-none-eabi-size on text, data and bss (with a .data LMA in flash)', () => {
    const c = join(dir, 'gcc.c');
    const ld = join(dir, 'gcc.ld');
    const elf = join(dir, 'gcc.elf');
    writeFileSync(c, 'int counter = 3; int zeroed[10]; const int table[4] = {1,2,3,4};\nvoid _start(void) { zeroed[counter] = table[counter]; for (;;) {} }\n');
    writeFileSync(ld, 'MEMORY { FLASH : ORIGIN = 0, LENGTH = 64K RAM : ORIGIN = 0x20000000, LENGTH = 16K }\nSECTIONS { .text : { *(.text*) *(.rodata*) } > FLASH .data : { *(.data*) } > RAM AT > FLASH .bss : { *(.bss*) *(COMMON) } > RAM }\n');
    execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m3', '-mthumb', '-O2', '-nostdlib', '-T', ld, '-o', elf, c]);
    const parsed = readExecutable(new Uint8Array(readFileSync(elf)), elf);
    const report = sizeReport(parsed);
    expect({ text: report.text, data: report.data, bss: report.bss }).toEqual(binutilsSize(elf));
    const data = parsed.sections.find((s) => s.name === '.data')!;
    expect(data.address).toBe(0x20000000);
    expect(data.loadAddress).toBeLessThan(0x10000); // its image sits in flash
    expect(report.functions.map((f) => f.name)).toEqual(['_start']);
  });

  it('rejects a file that is not an ARM executable', () => {
    expect(() => readExecutable(new Uint8Array([1, 2, 3]), 'x.elf')).toThrow(/not an ARM ELF executable: no ELF magic/);
  });
});
