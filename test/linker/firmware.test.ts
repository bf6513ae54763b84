// End to end: a C firmware compiled by arm-none-eabi-gcc, linked by our linker with libgcc.a,
// booted in QEMU on two boards. Checks console output, exit code and the .bin against objcopy.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArchive } from '../../src/elf/archive.js';
import { readObject } from '../../src/elf/read-object.js';
import { link, type LinkOptions } from '../../src/linker/link.js';
import { compileC, libgccPath, runQemu, tempDir, tool } from '../elf/arm-tools.js';

const source = readFileSync(new URL('./fixtures/firmware.c', import.meta.url), 'utf8');
const EXPECTED = 'q=1234567890 r=123 data=7 bss=0 ok\n';

const boards: { machine: string; options: Pick<LinkOptions, 'flash' | 'ram' | 'stackSize'> }[] = [
  { machine: 'lm3s6965evb', options: { flash: { origin: 0, size: 0x40000 }, ram: { origin: 0x20000000, size: 0x10000 }, stackSize: 0x2000 } },
  { machine: 'mps2-an385', options: { flash: { origin: 0, size: 0x400000 }, ram: { origin: 0x20000000, size: 0x400000 }, stackSize: 0x10000 } },
];

describe('firmware linked with libgcc runs in QEMU', () => {
  const dir = tempDir();
  const fw = readObject(compileC(dir, 'firmware', source), 'firmware.o');
  const libgcc = readArchive(new Uint8Array(readFileSync(libgccPath())), 'libgcc.a');

  for (const board of boards) {
    it(`on ${board.machine}`, () => {
      const result = link(
        { objects: [fw], archives: [libgcc] },
        { ...board.options, entry: 'Reset_Handler', vectorSection: '.vectors', gcSections: true, linearMemory: { declaredBytes: 65536 } },
      );
      const elfPath = join(dir, `${board.machine}.elf`);
      writeFileSync(elfPath, result.elf);
      const run = runQemu(board.machine, elfPath);
      expect(run.stdout + run.stderr).toContain(EXPECTED);
      expect(run.status).toBe(42);

      // The raw image is exactly what objcopy makes of our ELF.
      const binPath = join(dir, `${board.machine}.bin`);
      tool('arm-none-eabi-objcopy', ['-O', 'binary', elfPath, binPath]);
      expect(Buffer.from(result.bin).equals(readFileSync(binPath))).toBe(true);

      // gc dropped the unreferenced function; libgcc's division was pulled in.
      expect(result.symbols.has('unused_function')).toBe(false);
      expect(result.symbols.has('__aeabi_uldivmod')).toBe(true);
      expect(result.map).toContain('libgcc.a(');
      expect(result.flashUsed).toBe(result.bin.length);
    });
  }
});
