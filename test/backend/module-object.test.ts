// The module object checked by GNU binutils: readelf must show the symbols and relocations
// docs/abi.md promises, ld must link it with C code for the imports, and the linked
// __mcu_module must have exactly runtime-c/mcu_module.h's layout.

import { beforeAll, describe, expect, it } from 'vitest';
import type { EmittedFunction } from '../../src/backend-thumb2/emit.js';
import { buildModuleObject } from '../../src/backend-thumb2/module-object.js';
import { writeObject } from '../../src/elf/write-object.js';
import { createFunction, type Signature } from '../../src/ir/function.js';
import type { IrModule } from '../../src/ir/module.js';
import { memoryImage, readCString, readWord, run, symbolAddresses, tempDir, writeFile } from './object-oracle.js';

const SIGS: Signature[] = [
  { params: [], results: [] },
  { params: [], results: ['i32'] },
  { params: ['i32'], results: ['i32'] },
];

/** Machine code as little-endian halfwords. */
function code(...halfwords: number[]): Uint8Array {
  const bytes = new Uint8Array(2 * halfwords.length);
  halfwords.forEach((h, i) => {
    bytes[2 * i] = h & 0xff;
    bytes[2 * i + 1] = h >>> 8;
  });
  return bytes;
}

// f1 `caller`: push {lr}; bl env__ext; udf #2; pop {pc}  (10 bytes: f2 needs padding)
const CALLER: EmittedFunction = {
  bytes: code(0xb500, 0xf000, 0xf800, 0xde02, 0xbd00),
  relocs: [{ offset: 2, type: 'R_ARM_THM_CALL', symbol: 'env__ext', addend: -4 }],
  trapSites: [{ offset: 6, kind: 2, srcOffset: 0x55 }],
  blockOffsets: [0],
};
// f2 `main`: movs r0, #42; bx lr
const MAIN: EmittedFunction = { bytes: code(0x202a, 0x4770), relocs: [], trapSites: [], blockOffsets: [0] };
// f3 `init` (the start function): udf #4; nop; bx lr
const INIT: EmittedFunction = {
  bytes: code(0xde04, 0xbf00, 0x4770),
  relocs: [],
  trapSites: [{ offset: 0, kind: 4, srcOffset: 0x77 }],
  blockOffsets: [0],
};

function sampleModule(overrides: Partial<IrModule> = {}): IrModule {
  return {
    prefix: 'wasm',
    signatures: SIGS,
    canonicalSig: [0, 1, 2],
    functions: [
      { index: 0, name: 'ext', sigIndex: 0, import: { module: 'env', name: 'ext' }, exports: [] },
      { index: 1, name: 'caller', sigIndex: 0, exports: ['run', 'run-too'] },
      { index: 2, name: 'main', sigIndex: 1, exports: ['main'] },
      { index: 3, name: 'init', sigIndex: 0, exports: [] },
    ],
    bodies: [createFunction(1, 'caller', SIGS[0]!), createFunction(2, 'main', SIGS[1]!), createFunction(3, 'init', SIGS[0]!)],
    globals: [
      { type: 'i32', mutable: true, init: -5, exports: [] },
      { type: 'i64', mutable: false, init: 0x1122334455667788n, exports: [] },
      { type: 'f32', mutable: false, init: 0x3fc00000, exports: [] },
    ],
    memory: { minPages: 2, exports: [] },
    tables: [{ minSize: 5, elements: [3, null, 0, 2] }],
    data: [
      { offset: 16, bytes: new TextEncoder().encode('hello') },
      { offset: 1024, bytes: Uint8Array.of(1, 2, 3) },
    ],
    start: 3,
    ...overrides,
  };
}

describe('module object', () => {
  let dir: string;
  let objPath: string;
  let elfPath: string;

  beforeAll(() => {
    dir = tempDir();
    const obj = buildModuleObject(sampleModule(), [CALLER, MAIN, INIT]);
    objPath = writeFile(dir, 'module.o', writeObject(obj));
    writeFile(dir, 'ext.c', 'void env__ext(void) {}\n');
    run('arm-none-eabi-gcc', ['-mcpu=cortex-m3', '-mthumb', '-O2', '-c', `${dir}/ext.c`, '-o', `${dir}/ext.o`]);
    elfPath = `${dir}/linked.elf`;
    run('arm-none-eabi-ld', ['-e', '0', '--no-warn-rwx-segments', '-Ttext=0x8000', objPath, `${dir}/ext.o`, '-o', elfPath]);
  });

  it('has the symbols docs/abi.md names', () => {
    const table = run('arm-none-eabi-readelf', ['-sW', objPath]);
    const rows = new Map<string, string[]>();
    for (const line of table.split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols.length === 8) rows.set(cols[7]!, cols.slice(1, 7));
    }
    // [value, size, type, bind, vis, ndx]
    expect(rows.get('wasm$f1')).toEqual(['00000001', '10', 'FUNC', 'LOCAL', 'DEFAULT', '1']);
    expect(rows.get('wasm$f2')).toEqual(['0000000d', '4', 'FUNC', 'LOCAL', 'DEFAULT', '1']);
    expect(rows.get('wasm$f3')).toEqual(['00000011', '6', 'FUNC', 'LOCAL', 'DEFAULT', '1']);
    expect(rows.get('wasm_run')).toEqual(['00000001', '10', 'FUNC', 'GLOBAL', 'DEFAULT', '1']);
    expect(rows.get('wasm_run_2dtoo')).toEqual(['00000001', '10', 'FUNC', 'GLOBAL', 'DEFAULT', '1']);
    expect(rows.get('wasm_main')).toEqual(['0000000d', '4', 'FUNC', 'GLOBAL', 'DEFAULT', '1']);
    expect(rows.get('wasm$g0')?.slice(1, 4)).toEqual(['4', 'OBJECT', 'LOCAL']);
    expect(rows.get('wasm$g1')?.slice(1, 4)).toEqual(['8', 'OBJECT', 'LOCAL']);
    expect(rows.get('wasm$table0')?.slice(1, 4)).toEqual(['28', 'OBJECT', 'LOCAL']); // {size, capacity} + 5 refs
    expect(rows.get('wasm$ref3')?.slice(1, 4)).toEqual(['8', 'OBJECT', 'LOCAL']);
    expect(rows.get('__mcu_module')?.slice(1, 4)).toEqual(['52', 'OBJECT', 'GLOBAL']);
    expect(rows.get('env__ext')).toEqual(['00000000', '0', 'NOTYPE', 'GLOBAL', 'DEFAULT', 'UND']);
  });

  it('relocates calls, table entries and descriptor pointers', () => {
    const relocs = run('arm-none-eabi-readelf', ['-rW', objPath]);
    const textRelocs = relocs.split("Relocation section '.rel.rodata'")[0]!;
    expect(textRelocs).toMatch(/00000002\s+\S+\s+R_ARM_THM_CALL\s+00000000\s+env__ext/);
    const rodata = relocs.split("Relocation section '.rel.rodata'")[1]!;
    const lines = rodata.split('\n').filter((l) => l.includes('R_ARM_ABS32'));
    const at = (offset: number): string => lines.find((l) => l.startsWith(offset.toString(16).padStart(8, '0')))?.trim() ?? '';
    expect(at(4)).toMatch(/wasm\$f3$/); // start
    expect(at(12)).toMatch(/wasm\$f2$/); // main
    // Descriptors {code, sig} (functions 0, 2, 3 in index order), then the table's refs.
    const refs = relocs.split("Relocation section '.rel.rodata.mcu_refs'")[1]!.split('\n').filter((l) => l.includes('R_ARM_ABS32'));
    const ref = (offset: number): string => refs.find((l) => l.startsWith(offset.toString(16).padStart(8, '0')))?.trim() ?? '';
    expect(ref(0)).toMatch(/env__ext$/);
    expect(ref(8)).toMatch(/wasm\$f2$/);
    expect(ref(16)).toMatch(/wasm\$f3$/);
    expect(ref(24 + 8)).toMatch(/wasm\$ref3$/); // table[0]
    expect(ref(24 + 16)).toMatch(/wasm\$ref0$/); // table[2]: an import
    expect(ref(24 + 20)).toMatch(/wasm\$ref2$/); // table[3]
  });

  it('links with C, and __mcu_module has the layout of mcu_module.h', () => {
    const symbols = symbolAddresses(elfPath);
    const memory = memoryImage(elfPath);
    const fn = (name: string): number => symbols.get(name)!;
    const desc = fn('__mcu_module');
    const word = (i: number): number => readWord(memory, desc + 4 * i);

    expect(word(0)).toBe(1); // abi_version
    expect(word(1)).toBe(fn('wasm$f3') | 1); // start, Thumb bit set by the linker
    expect(word(2)).toBe(0); // entry: no "_start" export
    expect(word(3)).toBe(fn('wasm$f2') | 1); // main
    expect(word(4)).toBe(2); // memory_pages
    expect(word(5)).toBe(0xffffffff); // no maximum
    expect(word(6)).toBe(2); // n_data

    const segments = word(7);
    expect(readWord(memory, segments)).toBe(16);
    expect(readCString(memory, readWord(memory, segments + 4)).slice(0, 5)).toBe('hello');
    expect(readWord(memory, segments + 8)).toBe(5);
    expect(readWord(memory, segments + 12)).toBe(1024);
    const second = readWord(memory, segments + 16);
    expect([0, 1, 2].map((i) => memory.get(second + i))).toEqual([1, 2, 3]);
    expect(readWord(memory, segments + 20)).toBe(3);

    expect(word(8)).toBe(2); // n_traps
    const traps = word(9);
    const site = (i: number): [number, number, string] => [
      readWord(memory, traps + 12 * i),
      readWord(memory, traps + 12 * i + 4),
      readCString(memory, readWord(memory, traps + 12 * i + 8)),
    ];
    // The pc is the udf itself, without the Thumb bit.
    expect(site(0)).toEqual([(fn('wasm$f1') & ~1) + 6, 0x55, 'caller']);
    expect(site(1)).toEqual([fn('wasm$f3') & ~1, 0x77, 'init']);
    expect(memory.get(site(0)[0])).toBe(0x02);
    expect(memory.get(site(0)[0] + 1)).toBe(0xde);
    expect(memory.get(site(1)[0] + 1)).toBe(0xde);
  });

  it('fills tables with Thumb code addresses and canonical signature ids', () => {
    const symbols = symbolAddresses(elfPath);
    const memory = memoryImage(elfPath);
    const table = symbols.get('wasm$table0')!;
    expect([readWord(memory, table), readWord(memory, table + 4)]).toEqual([5, 5]); // size, capacity
    // An element is 0 or the address of a descriptor {code | 1, canonical signature id}.
    const entry = (i: number): [number, number] | 0 => {
      const ref = readWord(memory, table + 8 + 4 * i);
      return ref === 0 ? 0 : [readWord(memory, ref), readWord(memory, ref + 4)];
    };
    expect(entry(0)).toEqual([symbols.get('wasm$f3')! | 1, 0]);
    expect(entry(1)).toBe(0);
    expect(entry(2)).toEqual([symbols.get('env__ext')! | 1, 0]);
    expect(entry(3)).toEqual([symbols.get('wasm$f2')! | 1, 1]);
    expect(entry(4)).toBe(0);
  });

  it('places globals in .data with their initial values', () => {
    const symbols = symbolAddresses(elfPath);
    const memory = memoryImage(elfPath);
    expect(readWord(memory, symbols.get('wasm$g0')!)).toBe(0xfffffffb);
    const g1 = symbols.get('wasm$g1')!;
    expect(g1 % 8).toBe(0);
    expect([readWord(memory, g1), readWord(memory, g1 + 4)]).toEqual([0x55667788, 0x11223344]);
    expect(readWord(memory, symbols.get('wasm$g2')!)).toBe(0x3fc00000);
  });

  it('pads between functions with nops and calls the import through the linker', () => {
    const listing = run('arm-none-eabi-objdump', ['-d', elfPath]);
    const caller = listing.split('<wasm_run>:')[1]!.split('\n\n')[0]!;
    expect(caller).toMatch(/bl\s+[0-9a-f]+ <env__ext>/);
    expect(caller).toMatch(/udf\s+#2/);
    expect(caller).toMatch(/nop/);
  });

  it('names the entry export when it is () -> (), and then ignores main', () => {
    const withStart = sampleModule({
      functions: [
        { index: 0, name: 'ext', sigIndex: 0, import: { module: 'env', name: 'ext' }, exports: [] },
        { index: 1, name: 'caller', sigIndex: 0, exports: ['_start'] },
        { index: 2, name: 'main', sigIndex: 1, exports: ['main'] },
        { index: 3, name: 'init', sigIndex: 0, exports: [] },
      ],
      start: undefined,
      memory: { minPages: 1, maxPages: 3, exports: [] },
      data: [],
    });
    const obj = buildModuleObject(withStart, [CALLER, MAIN, INIT]);
    const rodata = obj.sections.find((s) => s.name === '.rodata')!;
    const relocAt = (offset: number): string | undefined => rodata.relocs.find((r) => r.offset === offset)?.symbol;
    expect(relocAt(4)).toBeUndefined(); // no start function
    expect(relocAt(8)).toBe('wasm$f1'); // entry
    expect(relocAt(12)).toBeUndefined(); // main is unused when there is an entry
    expect(relocAt(28)).toBeUndefined(); // no data segments: null pointer
    const view = new DataView(rodata.bytes.buffer, rodata.bytes.byteOffset);
    expect([view.getUint32(16, true), view.getUint32(20, true), view.getUint32(24, true)]).toEqual([1, 3, 0]);
  });

  it('is deterministic', () => {
    const a = writeObject(buildModuleObject(sampleModule(), [CALLER, MAIN, INIT]));
    const b = writeObject(buildModuleObject(sampleModule(), [CALLER, MAIN, INIT]));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
