// Linker behaviour on small gcc-compiled programs: undefined symbols, weak references,
// memory layout and linear memory fitting, overflow errors, the .hex and map outputs.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { readObject } from '../../src/elf/read-object.js';
import { link, type LinkOptions } from '../../src/linker/link.js';
import { compileC, tempDir, tool } from '../elf/arm-tools.js';

const dir = tempDir();
const options: LinkOptions = {
  flash: { origin: 0, size: 0x40000 },
  ram: { origin: 0x20000000, size: 0x10000 },
  stackSize: 0x2000,
  entry: 'Reset_Handler',
  vectorSection: '.vectors',
  gcSections: true,
};

const main = readObject(
  compileC(
    dir,
    'main',
    `
    extern int missing_a(void); extern int missing_b(int);
    extern void optional_hook(void) __attribute__((weak));
    extern unsigned __stack_top[];
    void Reset_Handler(void);
    __attribute__((section(".vectors"), used)) const void *const vectors[2] = { __stack_top, Reset_Handler };
    int data_word = 5;
    char buffer[100];
    void Reset_Handler(void) { if (optional_hook) optional_hook(); buffer[0] = (char)data_word; for (;;) {} }
    int uses_missing(void) { return missing_a() + missing_b(2); }
    int also_missing(void) { return missing_b(3); }
  `,
  ),
  'main.o',
);

function catchError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('link', () => {
  it('lists every undefined symbol in one error, with where it is referenced', () => {
    const err = catchError(() => link({ objects: [main], archives: [] }, { ...options, gcSections: false, keep: ['not_there'] }));
    expect(err.code).toBe('link-undefined');
    expect(err.detail).toContain('missing_a (referenced from main.o(.text.uses_missing))');
    expect(err.detail).toContain('missing_b (referenced from main.o(.text.uses_missing), main.o(.text.also_missing))');
    expect(err.detail).toContain('not_there (referenced from the link options');
    expect(err.detail).not.toContain('optional_hook');
  });

  it('drops unreachable sections with gc, so their undefined references do not matter', () => {
    const result = link({ objects: [main], archives: [] }, options);
    expect(result.symbols.has('uses_missing')).toBe(false);
    expect(result.map).toMatch(/Discarded input sections[\s\S]*main\.o\(\.text\.uses_missing\)/);
  });

  it('lays out flash and RAM and defines the runtime symbols', () => {
    const result = link({ objects: [main], archives: [] }, { ...options, linearMemory: { declaredBytes: 65536 } });
    const sym = (n: string): number => result.symbols.get(n)!;
    expect(sym('vectors')).toBe(0);
    expect(sym('__stack_bottom')).toBe(0x20000000);
    expect(sym('__stack_top')).toBe(0x20002000);
    expect(sym('__data_start')).toBe(0x20002000);
    expect(sym('data_word')).toBe(0x20002000);
    expect(sym('__data_end')).toBe(0x20002004);
    expect(sym('__bss_start')).toBeLessThanOrEqual(sym('buffer'));
    expect(sym('__bss_end')).toBeGreaterThanOrEqual(sym('buffer') + 100);
    expect(sym('__flash_end')).toBe(sym('__data_load') + 4);
    expect(sym('Reset_Handler') & 1).toBe(1);
    // Linear memory: after the 8-byte context, 8-aligned, to the end of RAM, fitted.
    const base = sym('__mcu_linear_memory');
    expect(base % 8).toBe(0);
    expect(base).toBeGreaterThanOrEqual(sym('__bss_end') + 8);
    expect(sym('__mcu_linear_memory_end')).toBe(0x20010000);
    expect(result.linearMemory).toEqual({ base, physicalBytes: 0x20010000 - base, declaredBytes: 65536, fitted: true });
    expect(result.ramUsed).toBe(0x10000);
    expect(result.flashUsed).toBe(sym('__flash_end'));
    // The weak reference resolved to 0: Reset_Handler loads 0 and skips the call.
    expect(result.map).toMatch(/FLASH\s+origin 0x00000000\s+size 262144\s+used \d+/);
    expect(result.map).toMatch(/\.data\s+0x20002000\s+size 0x00000004\s+load 0x/);
    expect(result.map).toMatch(/0x20002000\s+0x00000004\s+main\.o\(\.data\.data_word\)\s+0x20002000\s+data_word/);
  });

  it('honours an explicit physical linear memory size, and rejects one that does not fit', () => {
    const small = link({ objects: [main], archives: [] }, { ...options, linearMemory: { declaredBytes: 65536, physicalBytes: 4096 } });
    expect(small.linearMemory).toMatchObject({ physicalBytes: 4096, fitted: false });
    expect(small.symbols.get('__mcu_linear_memory_end')).toBe(small.linearMemory!.base + 4096);
    const err = catchError(() =>
      link({ objects: [main], archives: [] }, { ...options, linearMemory: { declaredBytes: 65536, physicalBytes: 65536 } }),
    );
    expect(err.code).toBe('memory-fit');
  });

  it('reports flash and RAM overflow with the numbers', () => {
    const flash = catchError(() => link({ objects: [main], archives: [] }, { ...options, flash: { origin: 0, size: 16 } }));
    expect(flash.code).toBe('link');
    expect(flash.detail).toMatch(/flash overflow: the image needs \d+ bytes, flash has 16/);
    const ram = catchError(() => link({ objects: [main], archives: [] }, { ...options, stackSize: 0x10000 }));
    expect(ram.detail).toMatch(/RAM overflow: .* RAM has 65536 \(over by \d+\)/);
  });

  it('writes an Intel HEX file that objcopy reads back as the .bin', () => {
    const result = link({ objects: [main], archives: [] }, options);
    writeFileSync(join(dir, 'fw.hex'), result.hex);
    tool('arm-none-eabi-objcopy', ['-I', 'ihex', '-O', 'binary', join(dir, 'fw.hex'), join(dir, 'fw-from-hex.bin')]);
    expect(Buffer.from(result.bin).equals(readFileSync(join(dir, 'fw-from-hex.bin')))).toBe(true);
    expect(result.hex.trimEnd().split('\n').at(-1)).toBe(':00000001FF');
  });

  it('produces an ELF that readelf and objdump accept without warnings', () => {
    const result = link({ objects: [main], archives: [] }, options);
    writeFileSync(join(dir, 'fw.elf'), result.elf);
    const readelf = tool('arm-none-eabi-readelf', ['-a', '-W', join(dir, 'fw.elf')]);
    expect(readelf.stderr).toBe('');
    expect(readelf.stdout).toMatch(/Entry point address:\s+0x[0-9a-f]*[13579bdf]\b/);
    expect(readelf.stdout).toMatch(/LOAD\s+0x[0-9a-f]+ 0x20002000 0x[0-9a-f]+ 0x00004 0x00004 RW/);
    const objdump = tool('arm-none-eabi-objdump', ['-d', join(dir, 'fw.elf')]);
    expect(objdump.stderr).toBe('');
    expect(objdump.stdout).toContain('<Reset_Handler>:');
  });
});
