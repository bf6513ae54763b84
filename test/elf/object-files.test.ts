// Object files against the GNU tools: what writeObject produces is read by readelf (without
// warnings), disassembled by objdump and linked by ld; what gcc produces is read by
// readObject with the sections, symbols and relocations readelf reports.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArchive } from '../../src/elf/archive.js';
import type { ObjectFile } from '../../src/elf/object.js';
import { readObject } from '../../src/elf/read-object.js';
import { writeObject } from '../../src/elf/write-object.js';
import { assemble, compileC, libgccPath, tempDir, tool } from './arm-tools.js';

function halfwords(...hw: number[]): Uint8Array {
  return new Uint8Array(hw.flatMap((h) => [h & 0xff, h >> 8]));
}

/** add_one(x) calls the C function `helper`, loads `table` through a literal pool and a movw/movt pair. */
const sample: ObjectFile = {
  name: 'sample.o',
  sections: [
    {
      name: '.text.add_one',
      kind: 'text',
      align: 4,
      // push {r4, lr}; bl helper; movw r1, #:lower16:table; movt r1, #:upper16:table; ldr r2, [pc, #4]; adds r0, #1; pop {r4, pc}; .word .rodata+4
      bytes: new Uint8Array([...halfwords(0xb510, 0xf000, 0xf800, 0xf240, 0x0100, 0xf2c0, 0x0100, 0x4a01, 0x3001, 0xbd10), 0, 0, 0, 0]),
      size: 24,
      relocs: [
        { offset: 2, type: 'R_ARM_THM_CALL', symbol: 'helper', addend: -4 },
        { offset: 6, type: 'R_ARM_THM_MOVW_ABS_NC', symbol: 'table', addend: 0 },
        { offset: 10, type: 'R_ARM_THM_MOVT_ABS', symbol: 'table', addend: 0 },
        { offset: 20, type: 'R_ARM_ABS32', symbol: '.rodata', addend: 4 },
      ],
    },
    { name: '.rodata', kind: 'rodata', align: 4, bytes: new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0]), size: 8, relocs: [] },
    { name: '.bss', kind: 'bss', align: 8, bytes: new Uint8Array(0), size: 16, relocs: [] },
  ],
  symbols: [
    { name: 'wasm$f0', section: '.text.add_one', value: 0, size: 20, binding: 'local', type: 'func' },
    { name: '$d', section: '.text.add_one', value: 20, size: 0, binding: 'local', type: 'notype' },
    { name: 'wasm_add_one', section: '.text.add_one', value: 0, size: 20, binding: 'global', type: 'func' },
    { name: 'table', section: '.rodata', value: 0, size: 8, binding: 'global', type: 'object' },
    { name: 'scratch', section: '.bss', value: 0, size: 16, binding: 'local', type: 'object' },
    { name: 'helper', section: null, value: 0, size: 0, binding: 'global', type: 'notype' },
  ],
};

describe('writeObject', () => {
  const dir = tempDir();
  const path = join(dir, 'sample.o');
  writeFileSync(path, writeObject(sample));

  it('is read by readelf without warnings', () => {
    const { stdout, stderr } = tool('arm-none-eabi-readelf', ['-a', '-W', path]);
    expect(stderr).toBe('');
    expect(stdout).not.toMatch(/warning/i);
    expect(stdout).toContain('REL (Relocatable file)');
    expect(stdout).toContain('Version5 EABI, soft-float ABI');
    expect(stdout).toMatch(/\.rel\.text\.add_one\s+REL/);
    expect(stdout).toMatch(/R_ARM_THM_CALL\s+00000000\s+helper/);
    expect(stdout).toMatch(/R_ARM_THM_MOVT_ABS\s+00000000\s+table/);
    // Locals first, then globals (sh_info of .symtab), Thumb function values odd.
    expect(stdout).toMatch(/00000001\s+20 FUNC\s+LOCAL\s+DEFAULT\s+1 wasm\$f0/);
    expect(stdout).toMatch(/00000001\s+20 FUNC\s+GLOBAL\s+DEFAULT\s+1 wasm_add_one/);
    expect(stdout).toMatch(/Tag_CPU_arch: v7\s/);
  });

  it('is disassembled by objdump with the relocations and mapping symbols', () => {
    const { stdout, stderr } = tool('arm-none-eabi-objdump', ['-dr', path]);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/2:\s+f7ff fffe\s+bl\s+0 <helper>\s+2: R_ARM_THM_CALL\thelper/);
    expect(stdout).toMatch(/movw\tr1, #0\s+6: R_ARM_THM_MOVW_ABS_NC\ttable/);
    expect(stdout).toMatch(/ldr\tr2, \[pc, #4\]/);
    expect(stdout).toMatch(/14:\s+00000004\s+\.word\t0x00000004\s+14: R_ARM_ABS32\t\.rodata/);
  });

  it('is linked by arm-none-eabi-ld with a gcc object', () => {
    compileC(dir, 'helper', 'int helper(int x) { return x * 2; }\n');
    const entry = assemble(dir, 'entry', '.syntax unified\n.thumb\n.global _start\n.thumb_func\n_start: bl wasm_add_one\n b .\n');
    const out = join(dir, 'linked.elf');
    const ld = tool('arm-none-eabi-ld', ['-Ttext=0x8000', entry, path, join(dir, 'helper.o'), '-o', out]);
    expect(ld.stderr).toBe('');
    const nm = tool('arm-none-eabi-nm', [out]).stdout;
    const addr = (name: string): number => Number.parseInt(new RegExp(`^([0-9a-f]+) \\w ${name.replace('$', '\\$')}$`, 'm').exec(nm)![1]!, 16);
    const dump = tool('arm-none-eabi-objdump', ['-d', out]).stdout;
    expect(dump).toMatch(new RegExp(`bl\\s+${addr('helper').toString(16)} <helper>`));
    const table = addr('table');
    expect(dump).toMatch(new RegExp(`movw\\s+r1, #${table & 0xffff}`));
    // The literal is .rodata+4: table+4.
    const elf = readFileSync(out);
    expect(dump).toMatch(new RegExp(`\\.word\\s+0x${(table + 4).toString(16).padStart(8, '0')}`));
    expect(elf.length).toBeGreaterThan(0);
  });

  it('round-trips through readObject', () => {
    const back = readObject(writeObject(sample), 'sample.o');
    // The bytes now hold the addends in place; everything else is as given.
    const withoutBytes = (o: ObjectFile): unknown[] => o.sections.map((s) => ({ ...s, bytes: undefined }));
    expect(withoutBytes(back)).toEqual(withoutBytes(sample));
    expect(Buffer.from(writeObject(back)).equals(Buffer.from(writeObject(sample)))).toBe(true);
    expect(back.symbols.filter((s) => s.name !== '$t')).toEqual(
      [...sample.symbols.filter((s) => s.binding === 'local'), ...sample.symbols.filter((s) => s.binding !== 'local')],
    );
  });
});

/** readelf -r as [section, offset, type, symbol] rows. */
function readelfRelocs(path: string): string[][] {
  const rows: string[][] = [];
  let section = '';
  for (const line of tool('arm-none-eabi-readelf', ['-r', '-W', path]).stdout.split('\n')) {
    const header = /^Relocation section '\.rel(\S+)'/.exec(line);
    if (header) section = header[1]!;
    const m = /^([0-9a-f]{8})\s+[0-9a-f]{8}\s+(R_ARM_\w+)\s+[0-9a-f]{8}\s+(\S+)/.exec(line);
    if (m) rows.push([section, m[1]!, m[2]!, m[3]!]);
  }
  return rows;
}

describe('readObject on gcc objects', () => {
  const dir = tempDir();
  const source = `
    #include <stdint.h>
    static int counter;
    int values[4] = {1, 2, 3, 4};
    const char *greeting = "hello";
    __attribute__((noinline)) static int twice(int x) { return x * 2 + counter; }
    int add(int a, int b) { counter++; return twice(a) + b + values[a & 3]; }
    uint64_t divide(uint64_t a, uint64_t b) { return a / b; }
    void (*handler)(void) = (void (*)(void))add;
  `;
  const bytes = compileC(dir, 'sample', source);
  const obj = readObject(bytes, 'sample.o');

  it('gives the allocated sections with their kinds and drops the rest', () => {
    const kinds = Object.fromEntries(obj.sections.map((s) => [s.name, s.kind]));
    expect(kinds['.text.add']).toBe('text');
    expect(kinds['.text.divide']).toBe('text');
    expect(kinds['.data.values']).toBe('data');
    expect(kinds['.bss.counter']).toBe('bss');
    expect(obj.sections.find((s) => s.name === '.bss.counter')!.size).toBe(4);
    expect(kinds['.comment']).toBeUndefined();
    expect(kinds['.ARM.attributes']).toBeUndefined();
  });

  it('reads symbols with the Thumb bit cleared', () => {
    const add = obj.symbols.find((s) => s.name === 'add')!;
    expect(add).toMatchObject({ section: '.text.add', value: 0, binding: 'global', type: 'func' });
    expect(obj.symbols.find((s) => s.name === 'twice')).toMatchObject({ binding: 'local', type: 'func' });
    expect(obj.symbols.find((s) => s.name === '__aeabi_uldivmod')).toMatchObject({ section: null, binding: 'global' });
  });

  it('reads every relocation readelf lists, with the same symbols', () => {
    const expected = readelfRelocs(join(dir, 'sample.o')).filter(([s]) => !s!.startsWith('.debug') && !s!.startsWith('.ARM'));
    const actual = obj.sections.flatMap((s) =>
      s.relocs.map((r) => [s.name, r.offset.toString(16).padStart(8, '0'), r.type, r.symbol]),
    );
    const norm = (rows: string[][]): string[] => rows.map((r) => r.join(' ')).sort();
    expect(norm(actual)).toEqual(norm(expected));
    // gcc's `bl twice` stores the addend -4 in place.
    const call = obj.sections.find((s) => s.name === '.text.add')!.relocs.find((r) => r.symbol === 'twice')!;
    expect(call).toMatchObject({ type: 'R_ARM_THM_CALL', addend: -4 });
  });

  it('gives COMMON symbols a bss home', () => {
    const common = readObject(compileC(dir, 'common', 'int shared_buffer[10];\n', ['-fcommon']), 'common.o');
    const sym = common.symbols.find((s) => s.name === 'shared_buffer')!;
    const home = common.sections.find((s) => s.name === sym.section)!;
    expect(home).toMatchObject({ kind: 'bss', size: 40, align: 4 });
  });

  it('reports an unsupported relocation with object, section and offset', () => {
    const o = assemble(dir, 'got', '.syntax unified\n.thumb\n.text\nnop\nnop\n.word ext(GOT)\n');
    expect(() => readObject(new Uint8Array(readFileSync(o)), 'got.o')).toThrow(
      /unsupported ARM relocation type 26 \(section '\.text', offset 0x4, object got\.o\)/,
    );
  });
});

describe('readArchive on libgcc.a', () => {
  it('reads every member and the symbol index', () => {
    const archive = readArchive(new Uint8Array(readFileSync(libgccPath())), 'libgcc.a');
    const members = tool('arm-none-eabi-ar', ['t', libgccPath()]).stdout.trim().split('\n');
    expect(archive.members.map((m) => m.name)).toEqual(members.map((m) => `libgcc.a(${m})`));
    const index = archive.symbolIndex.get('__aeabi_uldivmod')!;
    expect(archive.members[index]!.symbols.some((s) => s.name === '__aeabi_uldivmod' && s.section !== null)).toBe(true);
  });
});
