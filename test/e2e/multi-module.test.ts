// Three modules in one firmware (test/e2e/multi-module/): lib (own memory, exported
// globals and table), mid (no memory, re-exports lib's function and global) and app (the
// entry, own memory). Node's engine instantiates the same modules with the same imports:
// the console output must match on QEMU. Also: unlinkable combinations list every problem.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { openSync, closeSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runOnQemu } from '../../qemu/runner.js';
import { loadBoard } from '../../src/driver/board.js';
import { buildFirmware, compileFirmwareModules } from '../../src/driver/multi-module.js';
import { UserError } from '../../src/diagnostics/errors.js';

const DIR = join(import.meta.dirname, 'multi-module');
const work = mkdtempSync(join(tmpdir(), 'mcu-aot-multi-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function wat(name: string, source?: string): Uint8Array<ArrayBuffer> {
  let text = source ?? readFileSync(join(DIR, `${name}.wat`), 'utf8');
  if (name === 'app') {
    const prelude = readFileSync(join(import.meta.dirname, 'prelude.wat'), 'utf8');
    text = text.replace(';; PRELUDE', prelude);
  }
  const src = join(work, `${name}.wat`);
  const out = join(work, `${name}.wasm`);
  writeFileSync(src, text);
  execFileSync('wat2wasm', ['--debug-names', src, '-o', out]);
  return new Uint8Array(readFileSync(out));
}

/** The oracle: the same three modules instantiated in Node, app's _start run under WASI. */
function runInNode(lib: Uint8Array<ArrayBuffer>, mid: Uint8Array<ArrayBuffer>, app: Uint8Array<ArrayBuffer>): string {
  const outPath = join(work, 'node-stdout');
  const fd = openSync(outPath, 'w');
  try {
    const wasi = new WASI({ version: 'preview1', args: ['app'], env: {}, returnOnExit: true, stdout: fd });
    const libI = new WebAssembly.Instance(new WebAssembly.Module(lib), {});
    const midI = new WebAssembly.Instance(new WebAssembly.Module(mid), { lib: libI.exports });
    const appI = new WebAssembly.Instance(new WebAssembly.Module(app), {
      ...(wasi.getImportObject() as WebAssembly.Imports),
      lib: libI.exports,
      mid: midI.exports,
    });
    wasi.start(appI);
  } finally {
    closeSync(fd);
  }
  return readFileSync(outPath, 'utf8');
}

describe('several modules in one firmware', () => {
  const lib = wat('lib');
  const mid = wat('mid');
  const app = wat('app');
  const modules = [
    { name: 'lib', wasm: lib },
    { name: 'mid', wasm: mid },
    { name: 'app', wasm: app },
  ];

  it.each(['mps2-an385', 'lm3s6965'])('runs on QEMU %s with the output Node gives', async (boardName) => {
    const expected = runInNode(lib, mid, app);
    expect(expected.split('\n').length).toBeGreaterThan(10);
    const board = loadBoard(boardName);
    // lm3s6965's 64 KiB of RAM cannot hold lib's whole page besides the app's memory.
    const { link } = await buildFirmware(modules, board, boardName === 'lm3s6965' ? { moduleMemory: 4096 } : {});
    const elf = join(work, `multi-${boardName}.elf`);
    writeFileSync(elf, link.elf);
    const result = await runOnQemu(elf, board, { timeoutMs: 20_000 });
    expect(result.timedOut).toBe(false);
    expect(result.output).toBe(expected);
    expect(result.exitCode).toBe(0);
  });

  it('reports every unlinkable import at once', () => {
    const bad = wat(
      'bad',
      `(module
         (import "lib" "nope" (func))
         (import "lib" "scale" (func (param i64)))
         (import "lib" "base" (global (mut i32)))
         (import "lib" "counter" (table 1 funcref))
         (import "lib" "tbl" (table 9 funcref)))`,
    );
    let error: unknown;
    try {
      compileFirmwareModules([{ name: 'lib', wasm: lib }, { name: 'bad', wasm: bad }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message).toContain("'bad' imports func 'lib.nope': module 'lib' has no export 'nope'");
    expect(message).toContain("'lib.scale': type mismatch: expected (i64) -> (), the export is (i32) -> (i32)");
    expect(message).toContain("'lib.base': type mismatch: expected mut i32, the export is i32");
    expect(message).toContain("'lib.counter' is a global");
    expect(message).toContain('minimum 4 is below 9');
  });
});
