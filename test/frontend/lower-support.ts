// Shared helpers of the lowering tests: .wat text -> binary (wabt) -> decoded module ->
// IR module, with every function checked by the IR verifier.

import wabtInit from 'wabt';
import { expect } from 'vitest';
import { decodeModule } from '../../src/frontend/decode.js';
import { validateModule } from '../../src/frontend/validate.js';
import { lowerModule, type LowerOptions } from '../../src/frontend/lower/module.js';
import type { Block, Inst, IrFunction } from '../../src/ir/function.js';
import type { IrModule } from '../../src/ir/module.js';
import { printFunction } from '../../src/ir/printer.js';
import { verifyContextFor, verifyFunction } from '../../src/ir/verifier.js';

const wabt = await wabtInit();

export function watToWasm(text: string): Uint8Array {
  const features = { multi_value: true, sign_extension: true, bulk_memory: true, reference_types: true };
  const module = wabt.parseWat('test.wat', text, features);
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({ write_debug_names: true }).buffer;
  } finally {
    module.destroy();
  }
}

/** Decode, validate and lower, as the build does. */
export function lowerBinary(bytes: Uint8Array, opts: Partial<LowerOptions> = {}): IrModule {
  const m = decodeModule(bytes, 'test.wasm');
  validateModule(m, 'test.wasm');
  return lowerModule(m, { prefix: 'wasm', file: 'test.wasm', ...opts });
}

/** Lowers the module and checks every body with the verifier. */
export function lowerWat(text: string, opts: Partial<LowerOptions> = {}): IrModule {
  const ir = lowerBinary(watToWasm(text), opts);
  expectVerified(ir);
  return ir;
}

export function expectVerified(ir: IrModule): void {
  const ctx = verifyContextFor(ir);
  for (const f of ir.bodies) {
    const errors = verifyFunction(f, ctx);
    expect(errors, `${f.name}:\n${printFunction(f)}`).toEqual([]);
  }
}

/** The body of the function named `name`. */
export function body(ir: IrModule, name: string): IrFunction {
  const f = ir.bodies.find((b) => b.name === name);
  if (f === undefined) throw new Error(`no function ${name}`);
  return f;
}

export function allInsts(f: IrFunction): Inst[] {
  return f.blocks.flatMap((b) => b.insts);
}

export function ops(f: IrFunction): string[] {
  return allInsts(f).map((i) => i.op);
}

export function lastInst(b: Block): Inst {
  return b.insts[b.insts.length - 1]!;
}

/** The error thrown by `fn`, which must throw. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}
