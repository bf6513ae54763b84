// End-to-end test programs: test/e2e/programs/<name>.wat or .c, with the expected console
// output beside them in <name>.expected and the expected exit code (and trap) in header
// comments:
//   ;; exit: 102
//   ;; trap: integer divide by zero in div_by
//   ;; boards: mps2-an385          (only when some board cannot run it)
// .wat programs get test/e2e/prelude.wat (printing helpers) spliced in after `(module`.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';

export const PROGRAMS_DIR = new URL('../e2e/programs/', import.meta.url).pathname;
const PRELUDE = new URL('../e2e/prelude.wat', import.meta.url).pathname;

export interface Program {
  readonly name: string;
  /** A .wasm file ready to build and to run in Node. */
  readonly wasmPath: string;
  readonly expectedOutput: string;
  readonly expectedExit: number;
  /** `<kind> in <function>` when the program ends in a trap. */
  readonly expectedTrap?: string;
  /** The boards it runs on (`;; boards: a b`), when not every board can run it. */
  readonly boards?: readonly string[];
}

export function listPrograms(): string[] {
  return readdirSync(PROGRAMS_DIR)
    .filter((f) => f.endsWith('.wat') || f.endsWith('.c'))
    .sort();
}

/** Prepare a program: splice the prelude or compile the C, and read its expectations. */
export function loadProgram(file: string, workDir: string = mkdtempSync(join(tmpdir(), 'mcu-aot-e2e-'))): Program {
  const source = readFileSync(join(PROGRAMS_DIR, file), 'utf8');
  const name = basename(file, extname(file));
  const wasmPath = join(workDir, `${name}.wasm`);
  // `// clang: -lc-printscan-long-double` adds arguments (wasi-libc's printf leaves %Lf out unless asked).
  const clangExtra = /^\/\/ clang: (.*)$/m.exec(source)?.[1]?.trim().split(/\s+/) ?? [];
  if (file.endsWith('.wat')) {
    const watPath = join(workDir, `${name}.wat`);
    writeFileSync(watPath, spliceprelude(source));
    execFileSync('wat2wasm', ['--debug-names', watPath, '-o', wasmPath]);
  } else {
    execFileSync('clang-14', [
      '--target=wasm32-wasi', '-O2', '-o', wasmPath, join(PROGRAMS_DIR, file),
      '-Wl,--initial-memory=65536', '-z', 'stack-size=8192', ...clangExtra,
    ]);
  }
  const header = (key: string): string | undefined => new RegExp(`^(?:;;|//) ${key}: (.*)$`, 'm').exec(source)?.[1]?.trim();
  const expectedFile = join(PROGRAMS_DIR, `${name}.expected`);
  const trap = header('trap');
  const boards = header('boards');
  return {
    name,
    wasmPath,
    expectedOutput: existsSync(expectedFile) ? readFileSync(expectedFile, 'utf8') : '',
    expectedExit: Number(header('exit') ?? '0'),
    ...(trap !== undefined ? { expectedTrap: trap } : {}),
    ...(boards !== undefined ? { boards: boards.split(/\s+/) } : {}),
  };
}

function spliceprelude(source: string): string {
  const at = source.indexOf('(module');
  if (at < 0) throw new Error('program has no (module');
  const end = at + '(module'.length;
  return `${source.slice(0, end)}\n${readFileSync(PRELUDE, 'utf8')}\n${source.slice(end)}`;
}
