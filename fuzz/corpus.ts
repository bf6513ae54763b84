// The seed modules the fuzzer mutates, all real: the spec testsuite's binary modules
// (converted by wabt's wast2json), the end-to-end test programs (.wat with the printing
// prelude, through wabt) and the C programs built by clang through src/frontend/from-c.ts.
// Conversions are cached under node_modules/.cache/mcu-aot/fuzz-seeds, keyed by content.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileC, findClang } from '../src/frontend/from-c.js';
import { watToBinary } from '../src/frontend/load.js';

export interface Seed {
  /** Where it came from, e.g. 'spec/i32.wast#3' or 'e2e/fib.wat'. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface CorpusOptions {
  readonly root: string;
  readonly specDir: string;
  /** Only these spec scripts (file names); all when absent. */
  readonly specScripts?: readonly string[];
  /** Build the C programs with clang (slow: about a second each, cached). */
  readonly withC: boolean;
  /** Seeds larger than this are left out: they slow every run down. */
  readonly maxSeedBytes: number;
}

const cacheDir = (root: string): string => join(root, 'node_modules', '.cache', 'mcu-aot', 'fuzz-seeds');
const key = (...parts: (string | Uint8Array)[]): string => {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p).update('\0');
  return hash.digest('hex').slice(0, 16);
};

export async function loadCorpus(opts: CorpusOptions): Promise<Seed[]> {
  const seeds = [...specSeeds(opts), ...(await programSeeds(opts))];
  return seeds.filter((s) => s.bytes.length <= opts.maxSeedBytes && s.bytes.length > 8);
}

/**
 * Scripts left out of the default seeds: their modules take tens of seconds each to compile
 * (skip-stack-guard-page has functions with about a thousand values live at once, and the
 * register allocator's interference graph grows with the square of that), so every mutant
 * would hit the per-input time limit and be reported as a hang. Name them with --spec to use them.
 */
const SLOW_SCRIPTS: readonly string[] = ['skip-stack-guard-page.wast'];

/** Binary modules of `module` commands: the ones the suite expects to be valid. */
function specSeeds(opts: CorpusOptions): Seed[] {
  if (!existsSync(opts.specDir)) return [];
  const scripts = opts.specScripts ?? readdirSync(opts.specDir).filter((f) => f.endsWith('.wast') && !SLOW_SCRIPTS.includes(f)).sort();
  const version = execFileSync('wast2json', ['--version'], { encoding: 'utf8' }).trim();
  return scripts.flatMap((script) => {
    const dir = convertScript(join(opts.specDir, script), version, cacheDir(opts.root));
    const stem = basename(script, '.wast');
    const json = JSON.parse(readFileSync(join(dir, `${stem}.json`), 'utf8')) as { commands: { type: string; filename?: string; module_type?: string }[] };
    return json.commands
      .filter((c) => c.type === 'module' && c.filename !== undefined && c.module_type !== 'text')
      .map((c, i) => ({ name: `spec/${script}#${i}`, bytes: new Uint8Array(readFileSync(join(dir, c.filename!))) }));
  });
}

/** wast2json into a temporary folder renamed into place: concurrent runs never see half. */
function convertScript(wast: string, version: string, cache: string): string {
  const stem = basename(wast, '.wast');
  const dir = join(cache, `${stem}-${key(version, readFileSync(wast))}`);
  if (existsSync(join(dir, `${stem}.json`))) return dir;
  mkdirSync(cache, { recursive: true });
  const temp = mkdtempSync(`${dir}.tmp-`);
  try {
    execFileSync('wast2json', [wast, '-o', join(temp, `${stem}.json`)], { stdio: 'pipe' });
    rmSync(dir, { recursive: true, force: true });
    renameSync(temp, dir);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(join(dir, `${stem}.json`))) throw e;
  }
  return dir;
}

async function programSeeds(opts: CorpusOptions): Promise<Seed[]> {
  const programs = join(opts.root, 'test', 'e2e', 'programs');
  if (!existsSync(programs)) return [];
  const prelude = readFileSync(join(opts.root, 'test', 'e2e', 'prelude.wat'), 'utf8');
  const seeds: Seed[] = [];
  for (const file of readdirSync(programs).sort()) {
    if (file.endsWith('.wat')) {
      const source = readFileSync(join(programs, file), 'utf8');
      seeds.push({ name: `e2e/${file}`, bytes: await watToBinary(withPrelude(source, prelude), file) });
    } else if (file.endsWith('.c') && opts.withC && findClang() !== undefined) {
      seeds.push({ name: `e2e/${file}`, bytes: await cachedC(join(programs, file), cacheDir(opts.root)) });
    }
  }
  return seeds;
}

/** The e2e programs get the printing helpers spliced in after `(module`. */
function withPrelude(source: string, prelude: string): string {
  const at = source.indexOf('(module') + '(module'.length;
  return `${source.slice(0, at)}\n${prelude}\n${source.slice(at)}`;
}

async function cachedC(file: string, cache: string): Promise<Uint8Array> {
  const path = join(cache, `${basename(file, '.c')}-${key(readFileSync(file))}.wasm`);
  if (existsSync(path)) return new Uint8Array(readFileSync(path));
  const bytes = await compileC(file, { optLevel: '2' });
  mkdirSync(cache, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, path);
  return bytes;
}
