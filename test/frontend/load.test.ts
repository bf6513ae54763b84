// Loading inputs: .wasm read as is, .wat through wabt (checked against the Debian wat2wasm
// CLI's output), and the errors for bad text, unknown extensions and missing files.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { loadWasm } from '../../src/frontend/load.js';

const WAT = `(module
  (func $pair (export "pair") (param i32) (result i32 i64)
    (local.get 0) (i64.extend_i32_s (i32.extend8_s (local.get 0))))
  (memory 1)
  (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 4))))
`;

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcu-aot-load-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function loadError(path: string): Promise<UserError> {
  try {
    await loadWasm(path);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected loadWasm to fail');
}

describe('loadWasm', () => {
  it('assembles .wat to the same bytes as the wat2wasm CLI', async () => {
    const watPath = join(dir, 'm.wat');
    writeFileSync(watPath, WAT);
    const { bytes, file } = await loadWasm(watPath);
    expect(file).toBe(watPath);
    const reference = join(dir, 'reference.wasm');
    execFileSync('wat2wasm', [watPath, '-o', reference]);
    expect(Buffer.from(bytes).equals(readFileSync(reference))).toBe(true);
    expect(decodeModule(bytes).exports[0]!.name).toBe('pair');
  });

  it('reads .wasm as is', async () => {
    const path = join(dir, 'raw.wasm');
    const raw = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    writeFileSync(path, raw);
    expect([...(await loadWasm(path)).bytes]).toEqual([...raw]);
  });

  it('reports a text syntax error with the first line of the parser message', async () => {
    const path = join(dir, 'bad.wat');
    writeFileSync(path, '(module (func (i32.addd)))');
    const e = await loadError(path);
    expect(e.code).toBe('wat-syntax');
    expect(e.detail).toMatch(/bad\.wat:1:\d+: error: unexpected token/);
    expect(e.detail).not.toContain('\n');
    expect(e.where.file).toBe(path);
  });

  it('rejects SIMD in text, since the feature is not enabled', async () => {
    const path = join(dir, 'simd.wat');
    writeFileSync(path, '(module (func (drop (v128.const i32x4 0 0 0 0))))');
    expect((await loadError(path)).code).toBe('wat-syntax');
  });

  it('rejects an unknown extension and a missing file', async () => {
    const unknown = await loadError(join(dir, 'x.txt'));
    expect(unknown.code).toBe('input');
    expect(unknown.detail).toMatch(/unknown input extension '.txt'/);
    const missing = await loadError(join(dir, 'missing.wasm'));
    expect(missing.code).toBe('input');
    expect(missing.detail).toMatch(/ENOENT/);
  });
});
