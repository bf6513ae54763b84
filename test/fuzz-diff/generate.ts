// Random valid modules: seeded random bytes turned into a module by binaryen's
// translate-to-fuzz mode (`wasm-opt <bytes> -ttf`), limited to the features mcu-aot
// compiles (docs: Wasm 2.0 without SIMD, threads, exceptions, tail calls, GC, memory64).
//
// What -ttf emits (binaryen 108, checked with wasm-objdump): function imports
// `fuzzing-support.log-{i32,i64,f32,f64}` and nothing else with these features; an export
// `hangLimitInitializer` that resets a global every loop and call decrements, trapping
// with `unreachable` at zero, so no export can run forever as long as the runner calls it
// before each export (binaryen's own JS wrapper, `-ejw`, does exactly that); `hashMemory`;
// and exports whose parameters the runner fills with zeros.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../src/diagnostics/errors.js';
import { decodeModule } from '../../src/frontend/decode.js';

const run = promisify(execFile);

/**
 * A binaryen tool from the system (Debian's binaryen), never `node_modules/.bin`: under
 * `npm run` that comes first on PATH and holds binaryen.js's `wasm-opt` (a dependency of
 * assemblyscript), a different version that is fifty times slower and turns the same seed
 * into a different module.
 */
export function binaryenTool(name: 'wasm-opt' | 'wasm-reduce'): string {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '' && !d.includes('node_modules'));
  return dirs.map((d) => join(d, name)).find((path) => existsSync(path)) ?? name;
}

/** Wasm 2.0 minus what mcu-aot rejects; every other feature binaryen knows is off. */
export const FUZZ_FEATURES: readonly string[] = [
  '--enable-sign-ext', '--enable-mutable-globals', '--enable-nontrapping-float-to-int',
  '--enable-bulk-memory', '--enable-reference-types', '--enable-multivalue',
  '--disable-simd', '--disable-threads', '--disable-exception-handling', '--disable-tail-call',
  '--disable-gc', '--disable-memory64', '--disable-typed-function-references',
  '--disable-relaxed-simd', '--disable-extended-const',
];

/** Smallest and largest random input: -ttf makes bigger modules from more bytes. */
const MIN_INPUT_BYTES = 256;
const MAX_INPUT_BYTES = 4096;

/** SplitMix32-style generator: the same seed gives the same bytes on every machine. */
export function seededBytes(seed: number): Uint8Array {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const length = MIN_INPUT_BYTES + (next() % (MAX_INPUT_BYTES - MIN_INPUT_BYTES + 1));
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    const word = next();
    for (let k = 0; k < 4 && i + k < length; k++) bytes[i + k] = (word >>> (8 * k)) & 0xff;
  }
  return bytes;
}

/** FUZZ_FEATURES without reference types (see generateModule). */
const WITHOUT_REFERENCE_TYPES = [...FUZZ_FEATURES.filter((f) => f !== '--enable-reference-types'), '--disable-reference-types'];

export interface GeneratedModule {
  readonly seed: number;
  readonly wasmPath: string;
  readonly wasm: Uint8Array<ArrayBuffer>;
  /** Whether the module may use reference types (generateModule says when it may not). */
  readonly referenceTypes: boolean;
}

/**
 * Binaryen 108's -ttf with reference types sometimes uses GC types (`i31ref`) although GC
 * is disabled; V8 accepts them, mcu-aot rightly does not. Any other decoding error is
 * left for the run to report: that one would be ours.
 */
function usesUnsupportedFeature(wasm: Uint8Array): boolean {
  try {
    decodeModule(wasm);
    return false;
  } catch (e) {
    return e instanceof UserError && e.code === 'unsupported-feature';
  }
}

/**
 * The module of `seed`, written to `dir/module.wasm`. Binaryen 108's -ttf with reference
 * types often writes an invalid module (an `anyref` global initialised with a funcref,
 * which V8 and wabt reject too) or one with GC types; the same bytes are then translated
 * without reference types, so every seed still gives a module mcu-aot must compile.
 */
export async function generateModule(seed: number, dir: string): Promise<GeneratedModule> {
  const input = join(dir, 'random.bin');
  const wasmPath = join(dir, 'module.wasm');
  writeFileSync(input, seededBytes(seed));
  for (const features of [FUZZ_FEATURES, WITHOUT_REFERENCE_TYPES]) {
    await run(binaryenTool('wasm-opt'), [input, '-ttf', ...features, '-o', wasmPath]);
    const wasm = new Uint8Array(readFileSync(wasmPath));
    if (WebAssembly.validate(wasm) && !usesUnsupportedFeature(wasm)) return { seed, wasmPath, wasm, referenceTypes: features === FUZZ_FEATURES };
  }
  throw new Error(`seed ${seed}: binaryen's -ttf wrote an invalid module even without reference types`);
}

/**
 * `wasmPath` instrumented by binaryen's `--denan` (every float result that is a NaN becomes
 * 0), written to `outPath`: the same program without the NaN bits Wasm leaves open.
 */
export async function denanModule(wasmPath: string, outPath: string): Promise<void> {
  await run(binaryenTool('wasm-opt'), [wasmPath, ...FUZZ_FEATURES, '--denan', '-o', outPath]);
}
