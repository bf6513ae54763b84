// A spec testsuite script (.wast) as the commands wabt's `wast2json` writes: the JSON's
// command list, with every module written beside it as a .wasm (binary) or .wat (text)
// file. Conversions are cached per script content, so only the first run pays for them.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A value in a command: integers and float bits as unsigned decimal strings, or a NaN class. */
export interface WastValue {
  readonly type: 'i32' | 'i64' | 'f32' | 'f64' | 'externref' | 'funcref' | 'v128';
  /** 'nan:canonical' / 'nan:arithmetic' for float results; 'null' for references. */
  readonly value: string;
}

export interface WastAction {
  readonly type: 'invoke' | 'get';
  /** The module's `$name` when the action names one; otherwise the latest module. */
  readonly module?: string;
  readonly field: string;
  readonly args?: readonly WastValue[];
}

export type CommandType =
  | 'module'
  | 'action'
  | 'assert_return'
  | 'assert_trap'
  | 'assert_exhaustion'
  | 'assert_malformed'
  | 'assert_invalid'
  | 'assert_unlinkable'
  | 'assert_uninstantiable'
  | 'register';

export interface WastCommand {
  readonly type: CommandType;
  readonly line: number;
  /** Module file (module and assert_* on modules), relative to the script's folder. */
  readonly filename?: string;
  /** `$name` of a module command; the registered module for register. */
  readonly name?: string;
  /** register: the import module name it registers under. */
  readonly as?: string;
  readonly module_type?: 'binary' | 'text';
  readonly action?: WastAction;
  readonly expected?: readonly WastValue[];
  /** The failure text of assert_trap/assert_invalid/... */
  readonly text?: string;
}

export interface WastScript {
  /** The .wast file name, e.g. "i32.wast". */
  readonly file: string;
  readonly commands: readonly WastCommand[];
  /** Folder holding the converted module files. */
  readonly dir: string;
}

export const SPEC_SUITE_DIR = '/work/shared/wasm-testsuite';

/** node_modules/.cache/mcu-aot/spec, beside the runtime-c build cache. */
function cacheRoot(): string {
  const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return join(packageRoot, 'node_modules', '.cache', 'mcu-aot', 'spec');
}

/** The version string of the wast2json in use (part of the cache key). */
export function wast2jsonVersion(): string {
  return execFileSync('wast2json', ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * Convert `wastPath` with wast2json (or reuse the cached conversion of the same content by
 * the same wast2json) and read its commands. The conversion goes to a temporary folder that
 * is renamed into place, so concurrent runs never see half a conversion.
 */
export function loadWastScript(wastPath: string, version = wast2jsonVersion()): WastScript {
  const source = readFileSync(wastPath);
  const stem = basename(wastPath, '.wast');
  const key = createHash('sha256').update(version).update('\0').update(source).digest('hex').slice(0, 16);
  const dir = join(cacheRoot(), `${stem}-${key}`);
  const json = join(dir, `${stem}.json`);
  if (!existsSync(json)) {
    mkdirSync(cacheRoot(), { recursive: true });
    const temp = mkdtempSync(`${dir}.tmp-`);
    try {
      execFileSync('wast2json', [wastPath, '-o', join(temp, `${stem}.json`)], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
      renameSync(temp, dir);
    } catch (e) {
      rmSync(temp, { recursive: true, force: true });
      if (!existsSync(json)) throw e;
    }
  }
  const parsed = JSON.parse(readFileSync(json, 'utf8')) as { commands: WastCommand[] };
  return { file: basename(wastPath), commands: parsed.commands, dir };
}

/** Every script of the suite, sorted by name. */
export function suiteFiles(suiteDir = SPEC_SUITE_DIR): string[] {
  return readdirSync(suiteDir).filter((f) => f.endsWith('.wast')).sort();
}
