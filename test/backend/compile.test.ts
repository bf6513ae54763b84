// compileModule end to end: Wasm text -> wat2wasm -> frontend -> IR -> object, written by
// the ELF writer, linked by arm-none-eabi-ld with a C stub for the import. The oracles are
// binutils for the object and the linked image, and wasm-objdump for the Wasm offsets the
// trap table must report.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModule } from '../../src/backend-thumb2/compile.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { lowerModule } from '../../src/frontend/lower/module.js';
import { validateModule } from '../../src/frontend/validate.js';
import { writeObject } from '../../src/elf/write-object.js';
import type { IrModule } from '../../src/ir/module.js';
import { memoryImage, readCString, readWord, run, symbolAddresses, tempDir, writeFile } from './object-oracle.js';

const WAT = `(module
  (import "env" "put" (func $put (param i32)))
  (memory 1 4)
  (global $g (mut i32) (i32.const 5))
  (table 3 funcref)
  (elem (i32.const 0) $fact $main)
  (data (i32.const 16) "hi there")
  (func $fact (param i32) (result i32)
    local.get 0
    i32.eqz
    if (result i32) i32.const 1 else local.get 0 local.get 0 i32.const 1 i32.sub call $fact i32.mul end)
  (func $div (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func $main (export "main") (result i32)
    i32.const 5 call $fact call $put
    i32.const 10 i32.const 2 call $div
    global.get $g i32.add
    i32.const 4 i32.load offset=16 i32.add))
`;

/** Offsets of Wasm instructions by mnemonic, as wasm-objdump -d prints them. */
function instructionOffsets(wasmPath: string, mnemonic: string): number[] {
  return run('wasm-objdump', ['-d', wasmPath])
    .split('\n')
    .map((line) => /^ ([0-9a-f]+): [0-9a-f ]+\| +(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[2]!.startsWith(mnemonic))
    .map((m) => parseInt(m[1]!, 16));
}

describe('compileModule', () => {
  let dir: string;
  let wasmPath: string;
  let ir: () => IrModule;
  let elfPath: string;

  beforeAll(() => {
    dir = tempDir();
    const watPath = writeFile(dir, 'm.wat', WAT);
    wasmPath = `${dir}/m.wasm`;
    run('wat2wasm', ['--debug-names', watPath, '-o', wasmPath]);
    ir = () => {
      const m = decodeModule(new Uint8Array(readFileSync(wasmPath)));
      validateModule(m);
      return lowerModule(m, { prefix: 'wasm' });
    };
    const objPath = writeFile(dir, 'm.o', writeObject(compileModule(ir())));
    writeFile(dir, 'put.c', 'volatile int last;\nvoid env__put(int v) { last = v; }\n');
    run('arm-none-eabi-gcc', ['-mcpu=cortex-m3', '-mthumb', '-O2', '-ffixed-r9', '-c', `${dir}/put.c`, '-o', `${dir}/put.o`]);
    elfPath = `${dir}/m.elf`;
    // __stack_bottom: the stack limit compiled prologues check against (docs/abi.md).
    run('arm-none-eabi-ld', ['-e', '0', '--no-warn-rwx-segments', '-Ttext=0x10000', '--defsym=__stack_bottom=0x20000000', objPath, `${dir}/put.o`, '-o', elfPath]);
  });

  it('is deterministic: compiling twice gives identical bytes', () => {
    const a = writeObject(compileModule(ir()));
    const b = writeObject(compileModule(ir()));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('starts every function at a 4-byte boundary and exports main', () => {
    const symbols = symbolAddresses(elfPath);
    for (const name of ['wasm$f1', 'wasm$f2', 'wasm$f3']) expect(symbols.get(name)! % 4).toBe(0);
    expect(symbols.get('wasm_main')).toBe(symbols.get('wasm$f3'));
    const listing = run('arm-none-eabi-objdump', ['-d', elfPath]);
    expect(listing).toMatch(/bl\s+[0-9a-f]+ <env__put>/);
  });

  it('points the descriptor at main and at trap sites that are udf instructions at the Wasm offsets', () => {
    const symbols = symbolAddresses(elfPath);
    const memory = memoryImage(elfPath);
    const desc = symbols.get('__mcu_module')!;
    expect(readWord(memory, desc + 12)).toBe(symbols.get('wasm$f3')! | 1);
    expect([readWord(memory, desc + 16), readWord(memory, desc + 20), readWord(memory, desc + 24)]).toEqual([1, 4, 1]);

    const count = readWord(memory, desc + 32);
    const table = readWord(memory, desc + 36);
    const sites = Array.from({ length: count }, (_, i) => ({
      pc: readWord(memory, table + 12 * i),
      wasmOffset: readWord(memory, table + 12 * i + 4),
      name: readCString(memory, readWord(memory, table + 12 * i + 8)),
    }));
    expect(sites.map((s) => s.pc)).toEqual([...sites.map((s) => s.pc)].sort((a, b) => a - b));
    for (const s of sites) expect(memory.get(s.pc + 1)).toBe(0xde); // udf #kind

    const divide = instructionOffsets(wasmPath, 'i32.div_s')[0]!;
    const load = instructionOffsets(wasmPath, 'i32.load')[0]!;
    const kind = (s: { pc: number }): number => memory.get(s.pc)!;
    // div_s traps on zero (kind 2) and on overflow (kind 3); the load is bounds-checked (kind 4).
    expect(sites.filter((s) => s.name === 'div').map((s) => [kind(s), s.wasmOffset]).sort()).toEqual([[2, divide], [3, divide]]);
    expect(sites.filter((s) => s.name === 'main' && kind(s) !== 9).map((s) => [kind(s), s.wasmOffset])).toEqual([[4, load]]);
    // main calls, so its prologue checks the stack limit: one 'call stack exhausted' site (kind 9).
    expect(sites.filter((s) => s.name === 'main' && kind(s) === 9)).toHaveLength(1);
  });

  it('fills the table with the elements and the data segment with its bytes', () => {
    const symbols = symbolAddresses(elfPath);
    const memory = memoryImage(elfPath);
    // docs/abi.md "Tables and references": {size, capacity, element[]}, an element being
    // the address of a funcref descriptor {code | 1, canonical signature id}, null 0.
    const table = symbols.get('wasm$table0')!;
    expect([readWord(memory, table), readWord(memory, table + 4)]).toEqual([3, 3]);
    const [ref0, ref1] = [readWord(memory, table + 8), readWord(memory, table + 12)];
    expect(readWord(memory, ref0)).toBe(symbols.get('wasm$f1')! | 1);
    expect(readWord(memory, ref1)).toBe(symbols.get('wasm$f3')! | 1);
    const mod = ir();
    const sigOf = (f: number): number => mod.canonicalSig[mod.functions[f]!.sigIndex]!;
    expect([readWord(memory, ref0 + 4), readWord(memory, ref1 + 4)]).toEqual([sigOf(1), sigOf(3)]);
    expect(sigOf(1)).not.toBe(sigOf(3));
    expect(readWord(memory, table + 16)).toBe(0);

    const desc = symbols.get('__mcu_module')!;
    const segment = readWord(memory, desc + 28);
    expect(readWord(memory, segment)).toBe(16);
    const bytes = readWord(memory, segment + 4);
    expect(String.fromCharCode(...Array.from({ length: 8 }, (_, i) => memory.get(bytes + i)!))).toBe('hi there');
    expect(readWord(memory, segment + 8)).toBe(8);
    expect(readWord(memory, symbols.get('wasm$g0')!)).toBe(5);
  });
});
