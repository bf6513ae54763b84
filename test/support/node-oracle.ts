// Runs a module in Node's own WebAssembly engine with Node's WASI: the oracle the firmware's
// console output and exit code are compared with. Traps become the firmware's exit codes
// (docs/abi.md: 100 + trap kind), recognised from V8's messages.

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { TRAP_KINDS, type TrapKind } from '../../src/ir/types.js';

export interface OracleResult {
  readonly output: string;
  readonly exitCode: number;
  readonly trap?: TrapKind;
}

const V8_TRAPS: readonly [RegExp, TrapKind][] = [
  [/unreachable/, 'unreachable'],
  [/divide by zero|remainder by zero/, 'integer divide by zero'],
  [/divide result unrepresentable|integer overflow/, 'integer overflow'],
  [/memory access out of bounds/, 'out of bounds memory access'],
  [/float unrepresentable/, 'invalid conversion to integer'],
  [/table index is out of bounds/, 'undefined element'],
  [/function signature mismatch/, 'indirect call type mismatch'],
  [/Maximum call stack size exceeded/, 'call stack exhausted'],
];

/** Our trap kind for a V8 trap message, or undefined when the error is not a Wasm trap. */
export function v8TrapKind(message: string): TrapKind | undefined {
  return V8_TRAPS.find(([pattern]) => pattern.test(message))?.[1];
}

export function runInNode(wasm: Uint8Array<ArrayBuffer>): OracleResult {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-node-'));
  const outPath = join(dir, 'stdout');
  const fd = openSync(outPath, 'w');
  let exitCode: number;
  let trap: TrapKind | undefined;
  try {
    const wasi = new WASI({ version: 'preview1', args: ['app'], env: {}, returnOnExit: true, stdout: fd, stderr: fd });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), wasi.getImportObject() as WebAssembly.Imports);
    try {
      exitCode = wasi.start(instance);
    } catch (e) {
      const message = (e as Error).message;
      trap = v8TrapKind(message);
      if (trap === undefined) throw e;
      exitCode = 100 + TRAP_KINDS[trap];
    }
  } finally {
    closeSync(fd);
  }
  const output = readFileSync(outPath, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return { output, exitCode, ...(trap !== undefined ? { trap } : {}) };
}
