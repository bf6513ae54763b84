// The oracle: the module in Node's own WebAssembly engine (V8), its `fuzzing-support` logs
// recorded, each planned call made with zero arguments and its result or trap noted.

import type { ValType } from '../../src/frontend/module.js';
import { v8TrapKind } from '../support/node-oracle.js';
import type { CallPlan, ExportCall } from './call-plan.js';
import { trapClass, type CallRecord, type Outcome, type Transcript, type Value } from './transcript.js';

const f32Bits = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]!);
const f64Bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0]!;

/** A value V8 handed to JS, as raw bits of Wasm type `type`. */
export function jsValue(type: ValType, x: unknown): Value {
  switch (type) {
    case 'i32': return { type, bits: BigInt((x as number) >>> 0) };
    case 'i64': return { type, bits: BigInt.asUintN(64, x as bigint) };
    case 'f32': return { type, bits: f32Bits(x as number) };
    case 'f64': return { type, bits: f64Bits(x as number) };
    case 'funcref':
    case 'externref': return { type, bits: x === null ? 0n : 1n };
  }
}

const zeroArgument = (type: ValType): unknown => (type === 'i64' ? 0n : type === 'funcref' || type === 'externref' ? null : 0);

function outcomeOf(call: ExportCall, invoke: () => unknown): Outcome {
  let result: unknown;
  try {
    result = invoke();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const kind = v8TrapKind(message);
    return kind !== undefined ? { kind: 'trap', trap: trapClass(kind) } : { kind: 'died', reason: `host error: ${message}` };
  }
  const values = call.results.length === 1 ? [result] : call.results.length === 0 ? [] : [...(result as Iterable<unknown>)];
  return { kind: 'return', values: call.results.map((t, i) => jsValue(t, values[i])) };
}

/** Run `plan` on `wasm` in V8. */
export function runInV8(wasm: Uint8Array<ArrayBuffer>, plan: CallPlan): Transcript {
  let logs: Value[] = [];
  const log = (type: ValType) => (x: unknown): void => {
    logs.push(jsValue(type, x));
  };
  const imports = {
    'fuzzing-support': { 'log-i32': log('i32'), 'log-i64': log('i64'), 'log-f32': log('f32'), 'log-f64': log('f64') },
  };
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), imports);
  } catch (e) {
    return { instantiationFailure: e instanceof Error ? e.message : String(e), calls: [] };
  }
  const exported = (name: string): ((...args: unknown[]) => unknown) => instance.exports[name] as (...args: unknown[]) => unknown;
  const calls: CallRecord[] = [];
  for (const call of plan.calls) {
    if (plan.hangLimitInitializer !== undefined) exported(plan.hangLimitInitializer.name)();
    logs = [];
    const outcome = outcomeOf(call, () => exported(call.name)(...call.params.map(zeroArgument)));
    calls.push({ name: call.name, logs, outcome });
  }
  return { calls };
}
