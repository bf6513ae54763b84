// What the fuzzer does with one input, inside a worker: the whole compile in process
// (decode -> validate -> lower -> IR passes with the verifier -> Thumb-2 -> ELF object),
// for a sample also the link with runtime-c, and for another sample the driver's `build`
// with an output path in a fresh folder, to catch an output left behind after an error.
// An input either compiles or is refused with a UserError; anything else is a finding.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InternalError, UserError } from '../src/diagnostics/errors.js';
import type { Board } from '../src/driver/board.js';
import { build, compileBytesToObject } from '../src/driver/build.js';
import { linkWithRuntime, type FirmwareRuntime } from '../src/driver/link-firmware.js';
import { writeObject } from '../src/elf/write-object.js';

/** compile: to an object in memory; link: and with runtime-c; build: the driver, to files. */
export type CheckMode = 'compile' | 'link' | 'build';

export type FindingKind = 'internal-error' | 'crash' | 'hang' | 'memory' | 'output-left-behind' | 'worker-died';

export type Verdict =
  | { readonly outcome: 'compiled' }
  | { readonly outcome: 'refused'; readonly code: string }
  | { readonly outcome: 'finding'; readonly kind: FindingKind; readonly message: string; readonly stack?: string };

export interface CheckEnvironment {
  readonly board: Board;
  /** Needed for 'link'. */
  readonly runtime?: FirmwareRuntime;
  /** Where 'build' makes its scratch folders. */
  readonly scratchDir: string;
}

const quiet = (): void => undefined;

/** An exception as a verdict: UserError is a clean refusal, everything else a finding. */
export function classifyError(error: unknown): Verdict {
  if (error instanceof UserError) return { outcome: 'refused', code: error.code };
  if (error instanceof InternalError) return finding('internal-error', error);
  return finding('crash', error);
}

function finding(kind: FindingKind, error: unknown): Verdict {
  if (error instanceof Error) {
    return { outcome: 'finding', kind, message: `${error.name}: ${error.message}`, ...(error.stack !== undefined && { stack: error.stack }) };
  }
  return { outcome: 'finding', kind, message: String(error) };
}

export async function checkInput(bytes: Uint8Array, mode: CheckMode, env: CheckEnvironment): Promise<Verdict> {
  if (mode === 'build') return checkBuild(bytes, env);
  try {
    const { object, ir } = compileBytesToObject(bytes, 'fuzz.wasm', { board: env.board, log: quiet });
    writeObject(object);
    if (mode === 'link') {
      if (env.runtime === undefined) throw new Error('link mode needs the runtime');
      linkWithRuntime(env.runtime, [object], { memory: ir.memory });
    }
    return { outcome: 'compiled' };
  } catch (error) {
    return classifyError(error);
  }
}

/** The driver's build with `-o` into a fresh folder: after an error the folder must hold
 *  only the input; after success, the firmware and its companions, and no temporary file. */
async function checkBuild(bytes: Uint8Array, env: CheckEnvironment): Promise<Verdict> {
  const dir = mkdtempSync(join(env.scratchDir, 'build-'));
  try {
    const input = join(dir, 'input.wasm');
    writeFileSync(input, bytes);
    let verdict: Verdict;
    try {
      await build({ input, board: env.board, output: join(dir, 'out', 'app.elf'), emit: 'elf', log: quiet });
      verdict = { outcome: 'compiled' };
    } catch (error) {
      verdict = classifyError(error);
    }
    const left = listTree(dir).filter((f) => f !== 'input.wasm' && f !== 'out');
    const expected = verdict.outcome === 'compiled' ? ['out/app.bin', 'out/app.elf', 'out/app.map'] : [];
    const unexpected = left.filter((f) => !expected.includes(f));
    if (unexpected.length > 0 && verdict.outcome !== 'finding') {
      return { outcome: 'finding', kind: 'output-left-behind', message: `after ${verdict.outcome === 'compiled' ? 'a build' : 'an error'}: ${unexpected.join(', ')}` };
    }
    return verdict;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = prefix + entry.name;
    return entry.isDirectory() ? [path, ...listTree(join(dir, entry.name), `${path}/`)] : [path];
  }).sort();
}
