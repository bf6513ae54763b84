// The comparison rules (transcript.ts), the console reader (firmware-run.ts) and the V8
// oracle (node-run.ts) on small hand-written modules, without QEMU.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModule } from '../../src/frontend/decode.js';
import { planCalls } from './call-plan.js';
import { transcriptFromConsole } from './firmware-run.js';
import { seededBytes } from './generate.js';
import { runInV8 } from './node-run.js';
import { firstMismatch, formatTranscript, sameValue, type Transcript } from './transcript.js';

function wat2wasm(text: string): Uint8Array<ArrayBuffer> {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-fuzz-test-'));
  try {
    writeFileSync(join(dir, 'm.wat'), text);
    execFileSync('wat2wasm', [join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')]);
    return new Uint8Array(readFileSync(join(dir, 'm.wasm')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MODULE = wat2wasm(`(module
  (import "fuzzing-support" "log-i32" (func $log (param i32)))
  (import "fuzzing-support" "log-f64" (func $logf (param f64)))
  (global $hang (mut i32) (i32.const 0))
  (table 2 funcref)
  (func (export "hangLimitInitializer") (global.set $hang (i32.const 3)))
  (func (export "counts") (result i32)
    (call $log (global.get $hang)) (global.set $hang (i32.const 9)) (i32.const -1))
  (func (export "divides") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "pair") (result i64 f32) (i64.const -2) (f32.const nan:0x200000))
  (func (export "nan") (call $logf (f64.div (f64.const 0) (f64.const 0))))
  (func (export "table") (call_indirect (i32.const 7)))
  (func (export "null") (call_indirect (i32.const 1))))`);

describe('the V8 oracle', () => {
  const plan = planCalls(decodeModule(MODULE));
  const oracle = runInV8(MODULE, plan);

  it('calls every exported function with zero arguments, resetting the hang limit before each', () => {
    expect(plan.hangLimitInitializer?.name).toBe('hangLimitInitializer');
    // "counts" logs 3, not 9: the reset ran again before it (and before every call).
    // x86 makes the NaN of 0/0 negative, ARM positive: Wasm allows either sign.
    const text = formatTranscript(oracle).replace('log f64:0xfff8000000000000(nan)', 'log f64:0x7ff8000000000000(nan)');
    expect(text).toBe(`instantiated
call hangLimitInitializer
  => ()
call counts
  log i32:0x3
  => i32:0xffffffff
call divides
  ! trap: integer divide by zero
call pair
  => i64:0xfffffffffffffffe f32:0x7fe00000(nan)
call nan
  log f64:0x7ff8000000000000(nan)
  => ()
call table
  ! trap: table index out of bounds
call null
  ! trap: null function or signature mismatch
`);
  });

  it('reads the same outcomes from a harness console', () => {
    // Harness indices: reset 2k, export k at 2k+1 (firmware-run.ts).
    const console = [
      'spec:ready', 'spec:0 =', 'spec:1 =', 'spec:2 =', 'fuzz:log i32 3', 'spec:3 = ffffffff', 'spec:4 =', 'spec:5 ! 2',
      'spec:6 =', 'spec:7 = fffffffffffffffe 7fc00001', 'spec:8 =', 'fuzz:log f64 fff8000000000000', 'spec:9 =',
      'spec:10 =', 'spec:11 ! 7', 'spec:12 =', 'spec:13 ! 6', 'spec:end',
    ].join('\n');
    const firmware = transcriptFromConsole(console, plan, 'unused');
    expect(firstMismatch(oracle, firmware)).toBeUndefined();
  });

  it('reports a firmware that dies in a call', () => {
    const console = 'spec:ready\nspec:0 =\nspec:1 =\nspec:2 =\nfuzz:log i32 3\nfault: HardFault at pc=0x1234\n';
    const firmware = transcriptFromConsole(console, plan, 'fault: HardFault at pc=0x1234');
    expect(firmware.calls.at(-1)).toEqual({ name: 'counts', logs: [{ type: 'i32', bits: 3n }], outcome: { kind: 'died', reason: 'fault: HardFault at pc=0x1234' } });
    expect(firstMismatch(oracle, firmware)?.kind).toBe('died');
    expect(transcriptFromConsole('fault: HardFault\n', plan, 'exit code 99').instantiationFailure).toBe('exit code 99');
  });
});

describe('comparing transcripts', () => {
  const base: Transcript = {
    calls: [
      { name: 'a', logs: [{ type: 'i32', bits: 1n }], outcome: { kind: 'return', values: [{ type: 'f32', bits: 0x7fc00000n }] } },
      { name: 'b', logs: [], outcome: { kind: 'trap', trap: 'unreachable' } },
    ],
  };
  const withCall = (i: number, call: Transcript['calls'][number]): Transcript => ({ calls: base.calls.map((c, k) => (k === i ? call : c)) });

  it('takes any NaN for any NaN, and otherwise wants the same bits', () => {
    expect(sameValue({ type: 'f32', bits: 0x7fc00000n }, { type: 'f32', bits: 0xffc00001n })).toBe(true);
    expect(sameValue({ type: 'f64', bits: 0n }, { type: 'f64', bits: 0x8000000000000000n })).toBe(false); // +0 vs -0
    expect(sameValue({ type: 'f32', bits: 0x7f800000n }, { type: 'f32', bits: 0x7fc00000n })).toBe(false); // inf vs NaN
    expect(sameValue({ type: 'externref', bits: 1n }, { type: 'externref', bits: 1n })).toBe(true);
    expect(firstMismatch(base, withCall(0, { ...base.calls[0]!, outcome: { kind: 'return', values: [{ type: 'f32', bits: 0xffffffffn }] } }))).toBeUndefined();
  });

  it('names the first difference and its kind', () => {
    const logDiff = withCall(0, { ...base.calls[0]!, logs: [{ type: 'i32', bits: 2n }] });
    expect(firstMismatch(base, logDiff)).toMatchObject({ kind: 'log', call: 'a' });
    const result = withCall(0, { ...base.calls[0]!, outcome: { kind: 'return', values: [{ type: 'f32', bits: 0n }] } });
    expect(firstMismatch(base, result)).toMatchObject({ kind: 'result', call: 'a' });
    const trapKind = withCall(1, { name: 'b', logs: [], outcome: { kind: 'trap', trap: 'integer overflow' } });
    expect(firstMismatch(base, trapKind)).toMatchObject({ kind: 'trap-kind', call: 'b' });
    // V8 has one message for both float-to-integer traps: an overflow there is fine...
    const conversion = (trap: string): Transcript => ({ calls: [{ name: 'c', logs: [], outcome: { kind: 'trap', trap } }] });
    expect(firstMismatch(conversion('invalid conversion to integer'), conversion('integer overflow'))).toBeUndefined();
    // ...but V8's division overflow is told apart, so the other way round is a mismatch.
    expect(firstMismatch(conversion('integer overflow'), conversion('invalid conversion to integer'))).toMatchObject({ kind: 'trap-kind' });
    const returned = withCall(1, { name: 'b', logs: [], outcome: { kind: 'return', values: [] } });
    expect(firstMismatch(base, returned)).toMatchObject({ kind: 'trap-vs-return', call: 'b' });
    const stack = withCall(1, { name: 'b', logs: [], outcome: { kind: 'trap', trap: 'call stack exhausted' } });
    expect(firstMismatch(base, stack)).toMatchObject({ kind: 'stack-limit', call: 'b' });
    expect(firstMismatch(base, { calls: base.calls.slice(0, 1) })).toMatchObject({ kind: 'missing-call', call: 'b' });
    expect(firstMismatch(base, { instantiationFailure: 'exit code 98', calls: [] })).toMatchObject({ kind: 'instantiation' });
  });
});

describe('seeded inputs', () => {
  it('are the same bytes for the same seed and differ between seeds', () => {
    expect(seededBytes(7)).toEqual(seededBytes(7));
    expect(seededBytes(7)).not.toEqual(seededBytes(8));
    expect(seededBytes(7).length).toBeGreaterThanOrEqual(256);
  });
});
