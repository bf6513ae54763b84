// Planning of register, spectest imports and actions on earlier instances (no device), and
// the same small script run on QEMU: the linked modules really share one firmware.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/driver/board.js';
import { LINKING_PROVIDERS, NO_PROVIDERS, planScript, REGISTER_REASON, type ModuleUnit } from './plan.js';
import { runSpec } from './runner.js';
import { argumentBits, matchesExpected } from './values.js';
import { loadWastScript } from './wast-script.js';

const SCRIPT = `
(module $M
  (global $n (mut i32) (i32.const 40))
  (func (export "bump") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))
(register "M" $M)
(module $N
  (import "M" "bump" (func $bump (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (func (export "twice") (result i32) (drop (call $bump)) (call $bump))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "null") (result funcref) (ref.null func)))
(assert_return (invoke "twice") (i32.const 42))
(assert_return (invoke $M "bump") (i32.const 43))
(assert_return (invoke "id" (ref.extern 7)) (ref.extern 7))
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "null") (ref.null func))
(module $P)
(assert_return (invoke $M "bump") (i32.const 41))
`;

const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-plan-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'linked.wast'), SCRIPT);
const script = loadWastScript(join(dir, 'linked.wast'));

const units = (items: ReturnType<typeof planScript>): ModuleUnit[] => items.flatMap((i) => (i.kind === 'module' ? [i.unit] : []));

describe('planning linked modules', () => {
  it('links registered modules and spectest into the importer, and routes actions naming them there', () => {
    const items = planScript(script, LINKING_PROVIDERS);
    const [m, n, p] = units(items);
    expect(m!.linked).toEqual([]);
    expect(n!.linked.map((l) => [l.as, l.label])).toEqual([['M', '$M'], ['spectest', undefined]]);
    expect(n!.skipReason).toBeUndefined();
    expect(n!.actions.map((a) => a.line)).toHaveLength(5);
    expect(p!.actions).toEqual([]);
    const skips = items.flatMap((i) => (i.kind === 'result' && i.result.status === 'skip' ? [i.result.reason] : []));
    expect(skips).toEqual(['action on an earlier module instance that is not linked into the current firmware']);
  });
  it('runs an action on an earlier instance that shares nothing in that instance\'s firmware', () => {
    writeFileSync(join(dir, 'earlier.wast'), `
(module $A (global (export "g") i32 (i32.const 7)) (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1))
(module $B)
(assert_return (get $A "g") (i32.const 7))`);
    const items = planScript(loadWastScript(join(dir, 'earlier.wast')), LINKING_PROVIDERS);
    const [a, b] = units(items);
    expect(a!.actions.map((c) => c.type)).toEqual(['assert_return', 'assert_return']);
    expect(b!.actions).toEqual([]);
    expect(items.filter((i) => i.kind === 'result')).toEqual([]);
  });
  it('skips register and the importer without linking', () => {
    const items = planScript(script, NO_PROVIDERS);
    expect(units(items)[1]!.skipReason).toBe(REGISTER_REASON);
  });
});

describe('references in the harness', () => {
  it('passes ref.extern N as N+1 and null as 0', () => {
    expect(argumentBits({ type: 'externref', value: '7' })).toBe(8n);
    expect(argumentBits({ type: 'externref', value: 'null' })).toBe(0n);
    expect(argumentBits({ type: 'funcref', value: 'null' })).toBe(0n);
  });
  it('compares references as the spec expectations allow', () => {
    expect(matchesExpected({ type: 'externref', value: '7' }, 8n)).toBe(true);
    expect(matchesExpected({ type: 'externref', value: '7' }, 7n)).toBe(false);
    expect(matchesExpected({ type: 'funcref', value: 'null' }, 0n)).toBe(true);
    expect(matchesExpected({ type: 'funcref', value: 'null' }, 0x20000010n)).toBe(false);
    // `(ref.func)` / `(ref.extern)` without a value: any non-null reference.
    expect(matchesExpected({ type: 'funcref' } as never, 0x20000010n)).toBe(true);
    expect(matchesExpected({ type: 'funcref' } as never, 0n)).toBe(false);
  });
});

describe('linked modules on QEMU', () => {
  it('runs the registered module and the importer as one firmware', { timeout: 120000 }, async () => {
    const [report] = await runSpec({ board: loadBoard('mps2-an385'), files: ['linked.wast'], jobs: 2, timeoutMs: 60000, suiteDir: dir });
    const failures = report!.results.filter((r) => r.status === 'fail').map((r) => `${r.line}: ${r.reason} ${r.detail ?? ''}`);
    expect(failures).toEqual([]);
    // 3 modules + register + 5 actions in N's firmware; the action after $P is skipped.
    expect(report!.results.filter((r) => r.status === 'pass')).toHaveLength(9);
  });
});
