// IR functions for the codegen run tests, each with the equivalent Wasm text, so that Node's
// WebAssembly engine computes the expected results (an oracle we did not write).

import { createFunction, FunctionBuilder, type Signature } from '../../src/ir/function.js';
import type { IrModule } from '../../src/ir/module.js';
import type { Opcode } from '../../src/ir/opcodes.js';
import type { IntCC, Type, Value } from '../../src/ir/types.js';

export interface OpFunction {
  readonly name: string;
  readonly params: readonly Type[];
  readonly result: Type | undefined;
  /** Builds the body from the entry block (params given) and returns the result, if any. */
  readonly build: (b: FunctionBuilder, params: Value[], indexOf: (name: string) => number) => Value | undefined;
  /** The Wasm function body (instructions only; may declare no locals). */
  readonly wat: string;
  /** Extra text for the Wasm module (memory, globals, helper functions). */
  readonly watModule?: string;
}

export const WASM_BINARY: Partial<Record<Opcode, string>> = {
  iadd: 'add', isub: 'sub', imul: 'mul', sdiv: 'div_s', udiv: 'div_u', srem: 'rem_s', urem: 'rem_u',
  band: 'and', bor: 'or', bxor: 'xor', shl: 'shl', sshr: 'shr_s', ushr: 'shr_u', rotl: 'rotl', rotr: 'rotr',
};
export const WASM_CC: Record<IntCC, string> = {
  eq: 'eq', ne: 'ne', slt: 'lt_s', sle: 'le_s', sgt: 'gt_s', sge: 'ge_s', ult: 'lt_u', ule: 'le_u', ugt: 'gt_u', uge: 'ge_u',
};

const constText = (t: Type, c: bigint): string => `${t}.const ${BigInt.asIntN(t === 'i64' ? 64 : 32, c)}`;

/** op(a, b) on registers. */
export function binary(t: 'i32' | 'i64', op: Opcode): OpFunction {
  return {
    name: `${t}_${op}`, params: [t, t], result: t,
    build: (b, [x, y]) => b.value(op, t, { args: [x!, y!] }),
    wat: `local.get 0 local.get 1 ${t}.${WASM_BINARY[op]}`,
  };
}

/** op(a, #c) or op(#c, a): the constant-operand lowerings. */
export function binaryConst(t: 'i32' | 'i64', op: Opcode, c: bigint, constFirst = false): OpFunction {
  const k = (b: FunctionBuilder) => b.iconst(t, c);
  return {
    name: `${t}_${op}_${constFirst ? 'cl' : 'cr'}${BigInt.asUintN(64, c).toString(16)}`, params: [t], result: t,
    build: (b, [x]) => b.value(op, t, { args: constFirst ? [k(b), x!] : [x!, k(b)] }),
    wat: constFirst ? `${constText(t, c)} local.get 0 ${t}.${WASM_BINARY[op]}` : `local.get 0 ${constText(t, c)} ${t}.${WASM_BINARY[op]}`,
  };
}

/** icmp cc as a 0/1 value. */
export function compare(t: 'i32' | 'i64', cc: IntCC, c?: bigint): OpFunction {
  return {
    name: `${t}_icmp_${cc}${c === undefined ? '' : `_c${BigInt.asUintN(64, c).toString(16)}`}`,
    params: c === undefined ? [t, t] : [t], result: 'i32',
    build: (b, [x, y]) => b.value('icmp', 'i32', { args: [x!, c === undefined ? y! : b.iconst(t, c)], cc }),
    wat: `local.get 0 ${c === undefined ? 'local.get 1' : constText(t, c)} ${t}.${WASM_CC[cc]}`,
  };
}

/** A single-argument op with the given Wasm mnemonic. */
export function unary(name: string, param: Type, result: Type, build: (b: FunctionBuilder, x: Value) => Value, wasm: string): OpFunction {
  return { name, params: [param], result, build: (b, [x]) => build(b, x!), wat: `local.get 0 ${wasm}` };
}

/** Build an IrModule with one exported function per case (export name = case name). */
export function buildModule(cases: readonly OpFunction[], extra: Partial<IrModule> = {}): IrModule {
  const signatures: Signature[] = [];
  const bodies = cases.map((c, index) => {
    const sig: Signature = { params: c.params, results: c.result === undefined ? [] : [c.result] };
    signatures.push(sig);
    const f = createFunction(index, c.name, sig);
    const b = new FunctionBuilder(f);
    const entry = b.createBlock();
    b.switchTo(entry);
    const params = c.params.map((t) => b.addBlockParam(entry, t));
    const r = c.build(b, params, (name) => cases.findIndex((x) => x.name === name));
    if (!b.isTerminated) b.emit('return', { args: r === undefined ? [] : [r] });
    return f;
  });
  return {
    prefix: 'wasm',
    signatures,
    canonicalSig: signatures.map((_, i) => i),
    functions: cases.map((c, index) => ({ index, name: c.name, sigIndex: index, exports: [c.name] })),
    bodies,
    globals: [],
    tables: [],
    data: [],
    ...extra,
  };
}

/** The Wasm text of the same functions, exported by name. */
export function watModule(cases: readonly OpFunction[], header = ''): string {
  const funcs = cases.map((c) => {
    const params = c.params.length > 0 ? ` (param ${c.params.join(' ')})` : '';
    const result = c.result === undefined ? '' : ` (result ${c.result})`;
    return `(func $${c.name} (export "${c.name}")${params}${result} ${c.wat})`;
  });
  return `(module ${header}\n${[...new Set(cases.map((c) => c.watModule ?? ''))].join('\n')}\n${funcs.join('\n')})`;
}
