// Lowering whole C programs compiled by clang (wasm32-wasi, -O2, with wasi-libc): every
// function of a hello world and of a program with loops, 64-bit arithmetic, a switch and
// indirect calls must lower to IR that the verifier accepts.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { IrModule } from '../../src/ir/module.js';
import { expectVerified, lowerBinary } from './lower-support.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

function compileC(source: string, name: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-lower-'));
  const c = join(dir, `${name}.c`);
  const wasm = join(dir, `${name}.wasm`);
  writeFileSync(c, source);
  execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', '-o', wasm, c, '-Wl,--initial-memory=65536', '-z', 'stack-size=8192']);
  return readFileSync(wasm);
}

function opsOf(ir: IrModule): Set<string> {
  return new Set(ir.bodies.flatMap((f) => f.blocks.flatMap((b) => b.insts.map((i) => i.op))));
}

describe('hello world (puts)', () => {
  const ir = lowerBinary(compileC('#include <stdio.h>\nint main(void) { puts("hello, world"); return 0; }\n', 'hello'));

  test('every function verifies', () => {
    expect(ir.bodies.length).toBeGreaterThanOrEqual(5);
    expectVerified(ir);
  });

  test('wasi imports, the _start export, memory and the string in a data segment', () => {
    const imports = ir.functions.filter((f) => f.import !== undefined).map((f) => f.import!.name);
    expect(imports).toContain('fd_write');
    expect(ir.functions.find((f) => f.exports.includes('_start'))).toBeDefined();
    expect(ir.memory?.minPages).toBe(1);
    const text = ir.data.map((d) => Buffer.from(d.bytes).toString('latin1')).join('');
    expect(text).toContain('hello, world');
  });
});

describe('loops, i64 and indirect calls', () => {
  const ir = lowerBinary(compileC(readFileSync(join(FIXTURES, 'lower-loops.c'), 'utf8'), 'loops'));

  test('every function verifies', () => {
    expectVerified(ir);
  });

  test('the program exercises loops, 64-bit operations, br_table and call_indirect', () => {
    const used = opsOf(ir);
    for (const op of ['br_table', 'call_indirect', 'imul', 'ushr', 'load', 'store', 'brif']) expect(used, op).toContain(op);
    const i64 = ir.bodies.some((f) => f.values.some((v) => v.type === 'i64'));
    expect(i64).toBe(true);
    expect(ir.tables[0]!.elements.filter((e) => e !== null).length).toBeGreaterThanOrEqual(3);
  });
});
