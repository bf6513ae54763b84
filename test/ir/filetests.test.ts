// Runs the IR filetests in test/ir/filetests/*.ir. A file is:
//
//   ; test: <kind>          first line; kinds below
//   <IR text>               the input
//   ; <expected output>     the trailing run of comment lines: what the test must produce
//
// Kinds:
//   roundtrip              print(parse(input)); the runner also checks that parsing that
//                          output prints it again unchanged
//   verify                 `error: <message>` per verifier error, or `ok`
//   parse-error            `error: <line>:<column>: <reason>` from IrParseError
//   pass <name> [<name>]   the functions after running the passes in order (the verifier
//                          runs on the input and after each pass and must pass); the
//                          file's functions make the module the passes see (inline)
//
// MCU_AOT_UPDATE_FILETESTS=1 rewrites the expectations with the actual output; review the
// diff before committing it.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IrFunction } from '../../src/ir/function.js';
import type { IrModule } from '../../src/ir/module.js';
import { IrParseError, parseFunctions } from '../../src/ir/parser.js';
import { PIPELINE } from '../../src/ir/pipeline.js';
import { printModule } from '../../src/ir/printer.js';
import { assertValid, verifyFunction } from '../../src/ir/verifier.js';

const DIR = fileURLToPath(new URL('./filetests/', import.meta.url));
const UPDATE = process.env['MCU_AOT_UPDATE_FILETESTS'] === '1';

interface FileTest {
  readonly kind: string;
  readonly input: string;
  readonly expected: string;
}

function splitFileTest(text: string): FileTest {
  const lines = text.replace(/\n+$/, '').split('\n');
  const kind = /^; test: (.+)$/.exec(lines[0] ?? '')?.[1]?.trim();
  if (kind === undefined) throw new Error("a filetest starts with '; test: <kind>'");
  let start = lines.length;
  while (start > 1 && (lines[start - 1]!.startsWith(';') || lines[start - 1]!.trim() === '')) start--;
  const expected = lines.slice(start).map((l) => l.replace(/^; ?/, '')).filter((l) => l.trim() !== '');
  return { kind, input: lines.slice(0, start).join('\n').replace(/\n+$/, '') + '\n', expected: expected.join('\n') };
}

function runFileTest(kind: string, input: string): string {
  const [command, ...passNames] = kind.split(/\s+/);
  switch (command) {
    case 'roundtrip': {
      const printed = printModule(parseFunctions(input));
      if (printModule(parseFunctions(printed)) !== printed) throw new Error(`print -> parse -> print is not stable:\n${printed}`);
      return printed;
    }
    case 'verify': {
      const errors = parseFunctions(input).flatMap((f) => verifyFunction(f));
      return errors.length === 0 ? 'ok' : errors.map((e) => `error: ${e}`).join('\n');
    }
    case 'parse-error':
      try {
        parseFunctions(input);
        return 'parsed without error';
      } catch (e) {
        if (e instanceof IrParseError) return `error: ${e.message}`;
        throw e;
      }
    case 'pass': {
      const functions = parseFunctions(input);
      const context = { module: moduleOf(functions) };
      for (const f of functions) {
        assertValid(f, 'filetest input');
        for (const name of passNames) {
          const pass = PIPELINE.find((p) => p.name === name);
          if (pass === undefined) throw new Error(`unknown pass '${name}'`);
          pass.run(f, context);
          assertValid(f, name);
        }
      }
      return printModule(functions);
    }
    default:
      throw new Error(`unknown filetest kind '${kind}'`);
  }
}

/** The file's functions as one module (what inline reads): one signature per function. */
function moduleOf(functions: readonly IrFunction[]): IrModule {
  return {
    prefix: 'wasm',
    signatures: functions.map((f) => f.sig),
    canonicalSig: functions.map((_, i) => i),
    functions: functions.map((f, i) => ({ index: f.index, name: f.name, sigIndex: i, exports: [] })),
    bodies: functions,
    globals: [],
    tables: [],
    data: [],
  };
}

const asComments = (output: string): string =>
  output.replace(/\n+$/, '').split('\n').map((l) => (l === '' ? ';' : `; ${l}`)).join('\n');

describe('IR filetests', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ir')).sort();

  it('has filetests of every kind', () => {
    const kinds = new Set(files.map((f) => splitFileTest(readFileSync(DIR + f, 'utf8')).kind.split(/\s+/)[0]));
    expect([...kinds].sort()).toEqual(['parse-error', 'pass', 'roundtrip', 'verify']);
  });

  it.each(files)('%s', (file) => {
    const test = splitFileTest(readFileSync(DIR + file, 'utf8'));
    const actual = runFileTest(test.kind, test.input).replace(/\n+$/, '').split('\n').filter((l) => l.trim() !== '').join('\n');
    if (UPDATE && actual !== test.expected) {
      writeFileSync(DIR + file, `${test.input}\n${asComments(runFileTest(test.kind, test.input))}\n`);
      return;
    }
    expect(actual).toBe(test.expected);
  });
});
