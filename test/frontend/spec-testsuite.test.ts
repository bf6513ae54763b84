// The official WebAssembly spec testsuite as the decoder's and validator's oracle. Each
// .wast script is converted by wabt's `wast2json` (binary modules written as .wasm files),
// then for every command that is about a binary module:
//   module, assert_return's module, assert_unlinkable, assert_uninstantiable
//                                       -> decodes and validates (linking is not our concern here)
//   assert_malformed (binary)           -> UserError 'malformed' or 'unsupported-feature'
//   assert_invalid (binary)             -> UserError 'invalid' or 'malformed'
// Skipped, with the reason counted: assert_malformed with module_type "text" (they test a
// text parser, not ours), and commands that carry no module (assertions on actions).
//
// One deliberate difference: a second memory is "invalid" in Wasm 2.0; mcu-aot names it as
// the multi-memory proposal ('unsupported-feature'), so assert_invalid "multiple memories"
// also accepts that.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';
import { validateModule } from '../../src/frontend/validate.js';

const SUITE = '/work/shared/wasm-testsuite';
const WAST_FILES = readdirSync(SUITE).filter((f) => f.endsWith('.wast')).sort();

interface Command {
  type: string;
  line: number;
  filename?: string;
  text?: string;
  module_type?: 'binary' | 'text';
}

type Outcome = 'ok' | UserError['code'] | 'crash';

const ACCEPTED: Record<string, readonly Outcome[]> = {
  module: ['ok'],
  assert_unlinkable: ['ok'],
  assert_uninstantiable: ['ok'],
  assert_malformed: ['malformed', 'unsupported-feature'],
  assert_invalid: ['invalid', 'malformed'],
};

function accepted(cmd: Command): readonly Outcome[] {
  if (cmd.type === 'assert_invalid' && cmd.text === 'multiple memories') return ['unsupported-feature'];
  return ACCEPTED[cmd.type]!;
}

function run(bytes: Uint8Array): { outcome: Outcome; message: string } {
  try {
    validateModule(decodeModule(bytes));
    return { outcome: 'ok', message: '' };
  } catch (error) {
    if (error instanceof UserError) return { outcome: error.code, message: error.message };
    return { outcome: 'crash', message: String(error) };
  }
}

let workDir = '';
const totals = { checked: 0, passed: 0, skippedText: 0 };

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'mcu-aot-spec-'));
  for (const file of WAST_FILES) {
    const stem = basename(file, '.wast');
    execFileSync('wast2json', [join(SUITE, file), '-o', join(workDir, `${stem}.json`)], { stdio: 'pipe' });
  }
});

afterAll(() => {
  if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
  console.log(
    `spec testsuite: ${totals.passed}/${totals.checked} binary-module commands as expected, ` +
      `${totals.skippedText} text-format assert_malformed skipped, ${WAST_FILES.length} scripts`,
  );
});

describe('spec testsuite (decode + validate)', () => {
  it('has the scripts the brief requires', () => {
    for (const required of ['binary', 'binary-leb128', 'custom', 'block', 'br_table', 'unreached-invalid', 'utf8-invalid-encoding', 'bulk', 'align']) {
      expect(WAST_FILES).toContain(`${required}.wast`);
    }
  });

  it.each(WAST_FILES)('%s', (file) => {
    const stem = basename(file, '.wast');
    const script = JSON.parse(readFileSync(join(workDir, `${stem}.json`), 'utf8')) as { commands: Command[] };
    const failures: string[] = [];
    for (const cmd of script.commands) {
      if (cmd.filename === undefined || !(cmd.type in ACCEPTED)) continue; // actions and assertions on them
      if (cmd.module_type === 'text' || !cmd.filename.endsWith('.wasm')) {
        totals.skippedText++;
        continue;
      }
      const { outcome, message } = run(new Uint8Array(readFileSync(join(workDir, cmd.filename))));
      totals.checked++;
      if (accepted(cmd).includes(outcome)) totals.passed++;
      else failures.push(`${file}:${cmd.line} ${cmd.type} "${cmd.text ?? ''}" -> ${outcome} ${message}`);
    }
    expect(failures).toEqual([]);
  });
});
