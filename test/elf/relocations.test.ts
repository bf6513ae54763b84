// The relocation table against GNU ld: an object written by writeObject with every relocation
// type we support is linked by arm-none-eabi-ld and by our linker at the same addresses; the
// resulting code must be byte-identical. Calls span more than 4 MiB so the J1/J2 bits of BL
// are exercised in both directions.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRelocation, readAddend, writeAddend } from '../../src/elf/arm-relocs.js';
import type { ObjectFile, ObjReloc, ObjSection } from '../../src/elf/object.js';
import { readObject } from '../../src/elf/read-object.js';
import { writeObject } from '../../src/elf/write-object.js';
import { link } from '../../src/linker/link.js';
import { tempDir, tool } from './arm-tools.js';

function halfwords(...hw: number[]): number[] {
  return hw.flatMap((h) => [h & 0xff, h >> 8]);
}

const PAD = 0x500000; // 5 MiB between the caller and the far callee

/** .text: code using every relocation type; .text.pad: padding; .text.far: a far function calling back. */
function testObject(): ObjectFile {
  const code: number[] = [];
  const relocs: ObjReloc[] = [];
  const at = (type: ObjReloc['type'], symbol: string, addend: number, bytes: number[]): void => {
    relocs.push({ offset: code.length, type, symbol, addend });
    code.push(...bytes);
  };
  at('R_ARM_THM_CALL', 'far_callee', -4, halfwords(0xf000, 0xf800)); // bl far_callee
  at('R_ARM_THM_JUMP24', 'far_callee', -4, halfwords(0xf000, 0xb800)); // b.w far_callee
  at('R_ARM_THM_CALL', 'near', -4, halfwords(0xf000, 0xf800)); // bl near (local)
  at('R_ARM_THM_JUMP19', 'near', -4, halfwords(0xf000, 0x8000)); // beq.w near
  at('R_ARM_THM_JUMP11', 'near', -4, halfwords(0xe000)); // b near
  at('R_ARM_THM_JUMP8', 'near', -4, halfwords(0xd100)); // bne near
  at('R_ARM_THM_MOVW_ABS_NC', 'counter', 12, halfwords(0xf240, 0x0000)); // movw r0, #:lower16:counter+12
  at('R_ARM_THM_MOVT_ABS', 'counter', 12, halfwords(0xf2c0, 0x0000)); // movt r0, #:upper16:counter+12
  at('R_ARM_THM_PC8', 'pool', -4, halfwords(0x4800)); // ldr r0, pool
  at('R_ARM_THM_PC12', 'pool', -4, halfwords(0xf8df, 0x1000)); // ldr.w r1, pool
  code.push(...halfwords(0x4770)); // near: bx lr
  const near = code.length - 2;
  if (code.length % 4 !== 0) code.push(...halfwords(0xbf00)); // nop: align the pool
  const pool = code.length;
  at('R_ARM_ABS32', 'far_callee', 0, [0, 0, 0, 0]);
  at('R_ARM_ABS32', 'counter', 3, [0, 0, 0, 0]);
  at('R_ARM_TARGET1', 'counter', 0, [0, 0, 0, 0]);
  at('R_ARM_REL32', 'far_callee', 8, [0, 0, 0, 0]);
  at('R_ARM_PREL31', 'near', 0, [0, 0, 0, 0x80]);

  const farCode = halfwords(0xf000, 0xf800, 0x4770); // bl f; bx lr
  const text: ObjSection = { name: '.text', kind: 'text', align: 4, bytes: new Uint8Array(code), size: code.length, relocs };
  const pad: ObjSection = { name: '.text.pad', kind: 'text', align: 4, bytes: new Uint8Array(PAD), size: PAD, relocs: [] };
  const far: ObjSection = {
    name: '.text.far',
    kind: 'text',
    align: 4,
    bytes: new Uint8Array(farCode),
    size: farCode.length,
    relocs: [{ offset: 0, type: 'R_ARM_THM_CALL', symbol: 'f', addend: -4 }],
  };
  const data: ObjSection = { name: '.data', kind: 'data', align: 4, bytes: new Uint8Array(16), size: 16, relocs: [] };
  return {
    name: 'relocs.o',
    sections: [text, pad, far, data],
    symbols: [
      { name: 'near', section: '.text', value: near, size: 2, binding: 'local', type: 'func' },
      { name: '$d', section: '.text', value: pool, size: 0, binding: 'local', type: 'notype' },
      { name: 'pool', section: '.text', value: pool, size: 4, binding: 'local', type: 'object' },
      { name: 'f', section: '.text', value: 0, size: pool, binding: 'global', type: 'func' },
      { name: 'far_callee', section: '.text.far', value: 0, size: farCode.length, binding: 'global', type: 'func' },
      { name: 'counter', section: '.data', value: 0, size: 16, binding: 'global', type: 'object' },
    ],
  };
}

const LD_SCRIPT = `ENTRY(f)
SECTIONS {
  .text 0x1000 : { *(.text) *(.text.pad) *(.text.far) }
  .data 0x20000000 : { *(.data) }
}
`;

describe('ARM relocations agree with GNU ld', () => {
  it('links to the same bytes as arm-none-eabi-ld', () => {
    const dir = tempDir();
    const obj = testObject();
    writeFileSync(join(dir, 'relocs.o'), writeObject(obj));
    writeFileSync(join(dir, 'link.ld'), LD_SCRIPT);
    const ld = tool('arm-none-eabi-ld', ['-T', join(dir, 'link.ld'), join(dir, 'relocs.o'), '-o', join(dir, 'ld.elf')]);
    expect(ld.stderr).toBe('');
    tool('arm-none-eabi-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'ld.elf'), join(dir, 'ld.bin')]);
    const expected = readFileSync(join(dir, 'ld.bin'));

    const ours = link(
      { objects: [readObject(writeObject(obj), 'relocs.o')], archives: [] },
      {
        flash: { origin: 0x1000, size: 0x1000000 },
        ram: { origin: 0x20000000, size: 0x10000 },
        stackSize: 0,
        entry: 'f',
        vectorSection: '.vectors',
        gcSections: false,
      },
    );
    const text = ours.bin.subarray(0, expected.length);
    const firstDifference = text.findIndex((b, i) => b !== expected[i]);
    expect(firstDifference).toBe(-1);
    const nm = tool('arm-none-eabi-nm', [join(dir, 'ld.elf')]).stdout;
    const ldFarCallee = Number.parseInt(/^([0-9a-f]+) T far_callee$/m.exec(nm)![1]!, 16);
    expect(ours.symbols.get('far_callee')).toBe(ldFarCallee | 1);
  });

  it('reports a branch that cannot reach its target', () => {
    const obj = testObject();
    const text = obj.sections[0]!;
    const bad: ObjectFile = {
      ...obj,
      sections: [{ ...text, relocs: [...text.relocs, { offset: 16, type: 'R_ARM_THM_JUMP11', symbol: 'far_callee', addend: -4 }] }, ...obj.sections.slice(1)],
    };
    const options = {
      flash: { origin: 0x1000, size: 0x1000000 },
      ram: { origin: 0x20000000, size: 0x10000 },
      stackSize: 0,
      entry: 'f',
      vectorSection: '.vectors',
      gcSections: false,
    };
    expect(() => link({ objects: [bad], archives: [] }, options)).toThrow(/R_ARM_THM_JUMP11 .*out of range.*relocs\.o\(\.text\)\+0x10/);
  });

  it('stores and reads back in-place addends, rejecting what a field cannot hold', () => {
    const bl = new Uint8Array(halfwords(0xf000, 0xf800));
    expect(writeAddend('R_ARM_THM_CALL', bl, 0, -4)).toBeUndefined();
    expect([...bl]).toEqual(halfwords(0xf7ff, 0xfffe)); // what gas writes for `bl sym`
    expect(readAddend('R_ARM_THM_CALL', bl, 0)).toBe(-4);
    const b8 = new Uint8Array(halfwords(0xd000));
    expect(writeAddend('R_ARM_THM_JUMP8', b8, 0, 1000)).toMatch(/does not fit/);
    const movt = new Uint8Array(halfwords(0xf2c0, 0));
    expect(writeAddend('R_ARM_THM_MOVT_ABS', movt, 0, -32768)).toBeUndefined();
    expect(readAddend('R_ARM_THM_MOVT_ABS', movt, 0)).toBe(-32768);
    const call = new Uint8Array(halfwords(0xf000, 0xf800));
    expect(applyRelocation('R_ARM_THM_CALL', call, 0, { S: 0x2000, A: -4, P: 0x1000, T: 0 })).toMatch(/not a Thumb function/);
  });
});
