// The decoder: what each section decodes to (modules assembled by wabt from text), and
// the errors for malformed and unsupported input (modules assembled by hand), each of
// which must name the section and the byte offset.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { watToBinary } from '../../src/frontend/load.js';
import { body, bytes, HEADER, moduleWithBody, name, section, u32, vec } from './wasm-bytes.js';

const wat = (text: string): Promise<Uint8Array> => watToBinary(text, 'test.wat');

function decodeError(input: Uint8Array): UserError {
  try {
    decodeModule(input, 'test.wasm');
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected the decoder to reject the module');
}

describe('sections', () => {
  it('decodes types, imports, functions, tables, memories, globals, exports and start', async () => {
    const m = decodeModule(
      await wat(`(module
        (type (func (param i32 i64) (result f32 f64)))
        (import "env" "f" (func (type 0)))
        (import "env" "t" (table 2 funcref))
        (import "env" "g" (global (mut i32)))
        (memory 1 4)
        (table 3 10 externref)
        (global $c i64 (i64.const -5))
        (global f64 (f64.const 1.5))
        (func $start)
        (func (param i32 i64) (result f32 f64) (f32.const 0) (f64.const 0))
        (export "mem" (memory 0))
        (export "two" (func 2))
        (start $start))`),
    );
    expect(m.types).toEqual([
      { params: ['i32', 'i64'], results: ['f32', 'f64'] },
      { params: [], results: [] },
    ]);
    expect(m.imports.map((i) => [i.module, i.name, i.desc])).toEqual([
      ['env', 'f', { kind: 'func', typeIndex: 0 }],
      ['env', 't', { kind: 'table', type: { elem: 'funcref', limits: { min: 2 } } }],
      ['env', 'g', { kind: 'global', type: { type: 'i32', mutable: true } }],
    ]);
    expect(m.functions).toEqual([1, 0]);
    expect(m.memories).toEqual([{ min: 1, max: 4 }]);
    expect(m.tables).toEqual([{ elem: 'externref', limits: { min: 3, max: 10 } }]);
    expect(m.globals.map((g) => [g.type, g.init])).toEqual([
      [{ type: 'i64', mutable: false }, { kind: 'i64.const', value: -5n }],
      [{ type: 'f64', mutable: false }, { kind: 'f64.const', bits: 0x3ff8000000000000n }],
    ]);
    expect(m.exports.map((e) => [e.name, e.kind, e.index])).toEqual([
      ['mem', 'memory', 0],
      ['two', 'func', 2],
    ]);
    expect(m.start).toBe(1);
  });

  it('decodes bodies: locals expanded, instructions with absolute offsets and immediates', async () => {
    const input = await wat(`(module (memory 1)
      (func (param i32) (result i32) (local i64 i64 f32)
        (block (result i32)
          (i32.load16_u offset=8 align=2 (local.get 0))
          (br_table 0 1 0 (i32.const -1)))))`);
    const m = decodeModule(input);
    const code = m.codes[0]!;
    expect(code.locals).toEqual(['i64', 'i64', 'f32']);
    expect(code.body.map((i) => i.op)).toEqual(['block', 'local.get', 'i32.load16_u', 'i32.const', 'br_table', 'end', 'end']);
    expect(code.body[0]!.offset).toBe(code.codeOffset);
    for (const instr of code.body) {
      // The byte at each offset is the instruction's opcode (0x02 block, 0x20 local.get...).
      const expected = { block: 0x02, 'local.get': 0x20, 'i32.load16_u': 0x2f, 'i32.const': 0x41, br_table: 0x0e, end: 0x0b }[instr.op];
      expect(input[instr.offset]).toBe(expected);
    }
    expect(code.body[0]!.blockType).toEqual({ params: [], results: ['i32'] });
    expect(code.body[2]!.memarg).toEqual({ align: 1, offset: 8 }); // log2 of align=2
    expect(code.body[3]!.value).toBe(-1);
    expect(code.body[4]).toMatchObject({ depths: [0, 1], index: 0 });
  });

  it('decodes multi-value block types by type index', async () => {
    const m = decodeModule(await wat(`(module (func (result i32 i32)
      (block (result i32 i32) (i32.const 1) (i32.const 2))))`));
    expect(m.codes[0]!.body[0]!.blockType).toEqual({ params: [], results: ['i32', 'i32'] });
  });

  it('decodes every element segment form', async () => {
    const m = decodeModule(
      await wat(`(module
        (table 4 funcref) (table $e 2 externref)
        (func $f)
        (elem (i32.const 1) $f $f)
        (elem func $f)
        (elem declare func $f)
        (elem (table $e) (i32.const 0) externref (ref.null extern))
        (elem funcref (ref.func $f) (ref.null func)))`),
    );
    expect(m.elements.map((e) => [e.type, e.mode.kind, e.items])).toEqual([
      ['funcref', 'active', [{ kind: 'ref.func', index: 0 }, { kind: 'ref.func', index: 0 }]],
      ['funcref', 'passive', [{ kind: 'ref.func', index: 0 }]],
      ['funcref', 'declarative', [{ kind: 'ref.func', index: 0 }]],
      ['externref', 'active', [{ kind: 'ref.null', type: 'externref' }]],
      ['funcref', 'passive', [{ kind: 'ref.func', index: 0 }, { kind: 'ref.null', type: 'funcref' }]],
    ]);
    expect(m.elements[3]!.mode).toEqual({ kind: 'active', table: 1, offset: { kind: 'i32.const', value: 0 } });
  });

  it('decodes active and passive data segments and the data count', async () => {
    const m = decodeModule(
      await wat(`(module (memory 1)
        (data (i32.const 16) "hi")
        (data "passive")
        (func (data.drop 1)))`),
    );
    expect(m.dataCount).toBe(2);
    expect(m.datas[0]!.mode).toEqual({ kind: 'active', memory: 0, offset: { kind: 'i32.const', value: 16 } });
    expect(new TextDecoder().decode(m.datas[0]!.bytes)).toBe('hi');
    expect(m.datas[1]!.mode).toEqual({ kind: 'passive' });
  });

  it('reads the function names wat2wasm --debug-names writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-names-'));
    try {
      writeFileSync(join(dir, 'n.wat'), '(module $app (import "env" "ext" (func $ext)) (func $first) (func $second))');
      execFileSync('wat2wasm', ['--debug-names', join(dir, 'n.wat'), '-o', join(dir, 'n.wasm')]);
      const m = decodeModule(new Uint8Array(readFileSync(join(dir, 'n.wasm'))));
      expect([...m.functionNames]).toEqual([[0, 'ext'], [1, 'first'], [2, 'second']]);
      expect(m.moduleName).toBe('app');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads function names from the name section and ignores a malformed one', () => {
    const nameSection = (content: number[]): number[] => section(0, [...name('name'), ...content]);
    const functionNames = [0x01, ...u32(vec([[0x00, ...name('main')]]).length), ...vec([[0x00, ...name('main')]])];
    const moduleName = [0x00, ...u32(name('app').length), ...name('app')];
    const good = moduleWithBody([0x0b], [], []);
    const m = decodeModule(bytes([...good], nameSection([...moduleName, ...functionNames])));
    expect(m.functionNames.get(0)).toBe('main');
    expect(m.moduleName).toBe('app');
    const broken = decodeModule(bytes([...good], nameSection([0x01, 0x09, 0x01, 0x00])));
    expect(broken.functionNames.size).toBe(0);
  });
});

describe('malformed modules', () => {
  it('rejects a truncated file', () => {
    const e = decodeError(new Uint8Array([0x00, 0x61, 0x73]));
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/unexpected end/);
    expect(e.message).toContain('test.wasm');
  });

  it('rejects a wrong magic number and a wrong version', () => {
    expect(decodeError(bytes([0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0])).detail).toMatch(/magic header not detected/);
    const version = decodeError(bytes([0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0]));
    expect(version.detail).toMatch(/unknown binary version/);
    expect(version.where.offset).toBe(4);
  });

  it('rejects a section whose size does not match its content', () => {
    // Type section claiming 5 bytes around a 4-byte function type: one byte left over.
    const e = decodeError(bytes(HEADER, [0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00]));
    expect(e.detail).toMatch(/section size mismatch/);
    expect(e.message).toContain("section 'type'");
    expect(e.message).toContain('offset 0xe'); // the first byte left over
  });

  it('rejects a section running past the end of the file', () => {
    const e = decodeError(bytes(HEADER, [0x01, 0x20, 0x00]));
    expect(e.detail).toMatch(/runs past the end of the file/);
    expect(e.where).toMatchObject({ section: 'type', offset: 9 });
  });

  it('rejects sections out of order, duplicated, or with an unknown id', () => {
    const memory = section(5, vec([[0x00, 0x01]]));
    const types = section(1, vec([]));
    expect(decodeError(bytes(HEADER, memory, types)).detail).toMatch(/out of order/);
    expect(decodeError(bytes(HEADER, types, types)).detail).toMatch(/duplicate/);
    const unknown = decodeError(bytes(HEADER, [0x0e, 0x00]));
    expect(unknown.detail).toBe('malformed section id 14');
    expect(unknown.where.offset).toBe(8);
  });

  it('rejects function and code sections of different lengths', () => {
    const e = decodeError(bytes(HEADER, section(1, vec([[0x60, 0, 0]])), section(3, vec([[0], [0]]))));
    expect(e.detail).toMatch(/function and code section have inconsistent lengths/);
  });

  it('rejects more locals than the limit', () => {
    const e = decodeError(moduleWithBody([0x0b], [[40000, 0x7f], [20000, 0x7e]]));
    expect(e.detail).toMatch(/too many locals \(60000; the limit is 50000\)/);
    expect(e.where).toMatchObject({ section: 'code', func: 0 });
  });

  it('rejects an unknown opcode and bytes after the final end', () => {
    const illegal = decodeError(moduleWithBody([0x27, 0x0b]));
    expect(illegal.detail).toBe('illegal opcode 0x27');
    expect(illegal.where).toMatchObject({ section: 'code', func: 0 });
    expect(decodeError(moduleWithBody([0x0b, 0x01])).detail).toMatch(/after its final end/);
  });

  it('rejects memory.init without a data count section', () => {
    const memory = section(5, vec([[0x00, 0x01]]));
    const code = [0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x08, 0x00, 0x00, 0x0b];
    expect(decodeError(moduleWithBody(code, [], memory)).detail).toBe('data count section required');
  });

  it('rejects a data count that disagrees with the data section', () => {
    const e = decodeError(bytes(HEADER, section(12, [0x02])));
    expect(e.detail).toMatch(/data count and data section have inconsistent lengths/);
  });

  it('rejects a malformed UTF-8 export name', () => {
    const e = decodeError(bytes(HEADER, section(7, [0x01, 0x01, 0xff, 0x00, 0x00])));
    expect(e.detail).toBe('malformed UTF-8 encoding');
    expect(e.where).toMatchObject({ section: 'export', offset: 12 });
  });
});

describe('unsupported features', () => {
  const feature = (input: Uint8Array): UserError => {
    const e = decodeError(input);
    expect(e.code).toBe('unsupported-feature');
    return e;
  };

  it('names SIMD with the opcode and its offset', () => {
    const e = feature(moduleWithBody([0xfd, 0x0c, ...new Array(16).fill(0), 0x1a, 0x0b]));
    expect(e.detail).toBe('SIMD (opcode 0xfd)');
    // header 8 + type section 6 + function section 4 + code section id/size/count/body size/locals 5
    expect(e.where).toMatchObject({ section: 'code', func: 0, offset: 23 });
    expect(e.message).toBe("unsupported WebAssembly feature: SIMD (opcode 0xfd) (section 'code', function 0, offset 0x17) in test.wasm");
  });

  it.each([
    ['threads/atomics', [0xfe, 0x03, 0x00, 0x0b]],
    ['exception handling (try)', [0x06, 0x40, 0x0b, 0x0b]],
    ['exception handling (throw)', [0x08, 0x00, 0x0b]],
    ['tail calls (return_call)', [0x12, 0x00, 0x0b]],
    ['tail calls (return_call_indirect)', [0x13, 0x00, 0x00, 0x0b]],
    ['typed function references (call_ref)', [0x14, 0x00, 0x0b]],
  ])('names %s', (name, code) => {
    expect(feature(moduleWithBody(code)).detail).toMatch(name);
  });

  it('names memory64, shared memory and multi-memory', () => {
    expect(feature(bytes(HEADER, section(5, vec([[0x04, 0x01]])))).detail).toBe('memory64 (limits flags 0x04)');
    expect(feature(bytes(HEADER, section(5, vec([[0x03, 0x01, 0x02]])))).detail).toMatch(/^threads \(shared memory/);
    const two = feature(bytes(HEADER, section(5, vec([[0x00, 0x01], [0x00, 0x01]]))));
    expect(two.detail).toBe('multi-memory (a second memory)');
    expect(two.where).toMatchObject({ section: 'memory', offset: 13 });
    const memory = section(5, vec([[0x00, 0x01]]));
    expect(feature(moduleWithBody([0x3f, 0x01, 0x1a, 0x0b], [], memory)).detail).toBe('multi-memory (memory index 1)');
  });

  it('names v128 locals as SIMD', () => {
    expect(feature(moduleWithBody([0x0b], [[1, 0x7b]])).detail).toBe('SIMD (v128 type) (type 0x7b)');
  });

  it('names the exception-handling tag section', () => {
    expect(feature(bytes(HEADER, section(13, []))).detail).toMatch(/exception handling/);
  });
});

describe('decoded bodies keep structure', () => {
  it('rejects an else outside an if', () => {
    expect(decodeError(moduleWithBody([0x02, 0x40, 0x05, 0x0b, 0x0b])).detail).toBe('else without a matching if');
  });

  it('records the body offset and first-instruction offset', () => {
    const input = moduleWithBody([0x01, 0x0b], [[2, 0x7f]]);
    const code = decodeModule(input).codes[0]!;
    expect(input[code.offset]).toBe(body([[2, 0x7f]], [0x01, 0x0b])[0]); // the size byte
    expect(input[code.codeOffset]).toBe(0x01);
    expect(code.locals).toEqual(['i32', 'i32']);
  });
});
