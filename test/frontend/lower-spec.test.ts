// The official spec testsuite as an oracle for the lowering: every module it declares
// valid must either lower to IR that the verifier accepts or be rejected as 'unsupported'
// (a feature not lowered yet), never crash or produce broken IR (or two blocks with one
// source key); modules it declares
// uninstantiable because an element segment misses its table must be rejected.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { lowerModule } from '../../src/frontend/lower/module.js';
import { printFunction } from '../../src/ir/printer.js';
import { verifyContextFor, verifyFunction } from '../../src/ir/verifier.js';

const TESTSUITE = new URL('../../../shared/wasm-testsuite/', import.meta.url).pathname;

interface Command {
  readonly type: string;
  readonly filename?: string;
  readonly text?: string;
  readonly line: number;
}

interface SpecModule {
  readonly where: string;
  readonly bytes: Uint8Array;
  readonly command: Command;
}

let modules: SpecModule[] = [];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-spec-lower-'));
  for (const wast of readdirSync(TESTSUITE).filter((f) => f.endsWith('.wast'))) {
    const json = join(dir, wast.replace(/\.wast$/, '.json'));
    execFileSync('wast2json', ['--enable-all', join(TESTSUITE, wast), '-o', json], { stdio: 'ignore' });
    const commands = (JSON.parse(readFileSync(json, 'utf8')) as { commands: Command[] }).commands;
    for (const command of commands) {
      if (command.filename?.endsWith('.wasm') !== true) continue;
      if (command.type !== 'module' && command.type !== 'assert_uninstantiable') continue;
      modules.push({ where: `${wast}:${command.line}`, bytes: readFileSync(join(dir, command.filename)), command });
    }
  }
});

type Outcome = { kind: 'lowered' } | { kind: 'rejected'; error: UserError };

function lower(m: SpecModule): Outcome {
  try {
    const ir = lowerModule(decodeModule(m.bytes), { prefix: 'spec' }); // the testsuite says it is valid
    const ctx = verifyContextFor(ir);
    for (const f of ir.bodies) {
      const errors = verifyFunction(f, ctx);
      if (errors.length > 0) expect(errors, `${m.where}\n${printFunction(f)}`).toEqual([]);
      const keys = new Set(f.blocks.map((b) => b.srcOffset));
      if (keys.size !== f.blocks.length) expect.fail(`${m.where}: block source keys repeat\n${printFunction(f)}`);
    }
    return { kind: 'lowered' };
  } catch (e) {
    if (e instanceof UserError) return { kind: 'rejected', error: e };
    throw new Error(`${m.where}: ${(e as Error).stack}`);
  }
}

test('valid modules lower to verified IR or are rejected as not supported yet', () => {
  const valid = modules.filter((m) => m.command.type === 'module');
  let lowered = 0;
  for (const m of valid) {
    const outcome = lower(m);
    if (outcome.kind === 'lowered') lowered++;
    else expect(outcome.error.code, `${m.where}: ${outcome.error.message}`).toBe('unsupported');
  }
  // Most integer-only modules (i32, i64, br_table, call_indirect, memory...) must lower.
  expect(lowered).toBeGreaterThan(300);
});

test('element segments outside their table make the module uninstantiable', () => {
  const tableErrors = modules.filter((m) => m.command.type === 'assert_uninstantiable' && m.command.text === 'out of bounds table access');
  expect(tableErrors.length).toBeGreaterThan(0);
  for (const m of tableErrors) {
    const outcome = lower(m);
    // A segment into an imported table is checked when runtime-c instantiates the module.
    if (outcome.kind === 'lowered' && decodeModule(m.bytes).imports.some((i) => i.desc.kind === 'table')) continue;
    expect(outcome.kind, m.where).toBe('rejected');
    if (outcome.kind !== 'rejected') continue;
    if (outcome.error.code === 'unsupported') continue; // e.g. an imported table
    expect(outcome.error.code, m.where).toBe('uninstantiable');
    expect(outcome.error.detail, m.where).toMatch(/^out of bounds table access: element segment/);
  }
});
