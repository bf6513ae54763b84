// Node's WebAssembly engine as the oracle for the codegen run tests: call exports with the
// same arguments and format results (or traps) exactly as the QEMU harness prints them.

import { TRAP_KINDS } from '../../src/ir/types.js';
import type { RunCase } from './run-harness.js';

const V8_TRAPS: readonly [RegExp, number][] = [
  [/unreachable/, TRAP_KINDS['unreachable']],
  [/divide by zero|remainder by zero/, TRAP_KINDS['integer divide by zero']],
  [/divide result unrepresentable|integer overflow/, TRAP_KINDS['integer overflow']],
  [/memory access out of bounds/, TRAP_KINDS['out of bounds memory access']],
  [/table index is out of bounds/, TRAP_KINDS['undefined element']],
  [/null function|uninitialized element/, TRAP_KINDS['uninitialized element']],
  [/signature mismatch/, TRAP_KINDS['indirect call type mismatch']],
];

export async function instantiateWat(text: string): Promise<WebAssembly.Exports> {
  const wabt = await (await import('wabt')).default();
  const parsed = wabt.parseWat('oracle.wat', text);
  const { buffer } = parsed.toBinary({});
  parsed.destroy();
  return new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(buffer))).exports;
}

/** Expected harness lines for `cases`, run in order on one instance (memory persists). */
export function expectedLines(exports: WebAssembly.Exports, cases: readonly RunCase[]): string[] {
  return cases.map((c) => {
    const fn = exports[c.fn] as (...args: unknown[]) => unknown;
    const args = c.args.map((a, i) => (c.params[i] === 'i64' ? BigInt.asIntN(64, a) : Number(BigInt.asIntN(32, a))));
    try {
      const r = fn(...args);
      const bits = c.result === undefined ? 0n : c.result === 'i64' ? BigInt.asUintN(64, r as bigint) : BigInt.asUintN(32, BigInt(r as number));
      return `r=${bits.toString(16).padStart(16, '0')}`;
    } catch (e) {
      const message = (e as Error).message;
      const kind = V8_TRAPS.find(([re]) => re.test(message))?.[1];
      if (kind === undefined) throw e;
      return `T${String(kind).padStart(3, '0')}`;
    }
  });
}
