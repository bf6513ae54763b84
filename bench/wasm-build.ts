// The Wasm module of a benchmark program, as both Wasm configurations (wasm2c and mcu-aot)
// take it: clang-14 --target=wasm32-wasi -O2 compiles each C file, wasm-ld links them with
// wasi-libc (for memcpy, strcmp and friends) without its start files, and our entry
// (ports/wasm/entry.c) exports `main`.
//
// wasm-ld is called directly instead of through the clang driver because the driver runs
// binaryen's wasm-opt over the output whenever wasm-opt is on PATH: that would add a
// second optimiser (and inlining across files) that the native builds do not get, and it
// drops the name section the harness reads. Without --initial-memory wasm-ld declares just
// the pages that data and the stack need, which keeps linear memory small.

import { join } from 'node:path';
import { PORTS_DIR, type BenchProgram } from './programs.js';
import { CLANG, runTool, WASM_LD, WASM_OBJDUMP } from './toolchain.js';

export const WASM_STACK_BYTES = 32 * 1024;
const WASI_SYSROOT_LIB = '/usr/lib/wasm32-wasi';

export interface WasmModule {
  readonly wasm: string;
  /** Function index -> name, from the module's name section. */
  readonly functionNames: ReadonlyMap<number, string>;
  /** Declared initial memory in 64 KiB pages. */
  readonly memoryPages: number;
  /** Whether the module imports from wasi_snapshot_preview1 (it prints). */
  readonly importsWasi: boolean;
}

async function builtinsArchive(): Promise<string> {
  return (await runTool(CLANG, ['--target=wasm32-wasi', '--print-libgcc-file-name'])).trim();
}

export async function buildWasmModule(program: BenchProgram, dir: string): Promise<WasmModule> {
  const sources = [...program.ownSources, ...program.supportSources, join(PORTS_DIR, 'wasm', 'entry.c')];
  const flags = [
    '--target=wasm32-wasi', '-O2',
    ...program.includeDirs.map((d) => `-I${d}`), ...program.defines.map((d) => `-D${d}`),
  ];
  const objects = await Promise.all(sources.map(async (source, i) => {
    const object = join(dir, `wasm-${i.toString()}.o`);
    await runTool(CLANG, [...flags, '-c', source, '-o', object]);
    return object;
  }));
  const wasm = join(dir, `${program.name}.wasm`);
  await runTool(WASM_LD, [
    '-m', 'wasm32', `-L${WASI_SYSROOT_LIB}`, '--no-entry', '-z', `stack-size=${WASM_STACK_BYTES}`,
    ...objects, '-lc', await builtinsArchive(), '-o', wasm,
  ]);
  return { wasm, ...(await describeModule(wasm)) };
}

/** Reads function names, memory size and imports from `wasm-objdump -x`. */
export async function describeModule(wasm: string): Promise<Omit<WasmModule, 'wasm'>> {
  const text = await runTool(WASM_OBJDUMP, ['-x', wasm]);
  const functionNames = new Map<number, string>();
  for (const m of text.matchAll(/^ - func\[(\d+)\] sig=\d+ <([^>]+)>/gm)) functionNames.set(Number(m[1]), m[2]!);
  const pages = /memory\[0\] pages: initial=(\d+)/.exec(text);
  return {
    functionNames,
    memoryPages: pages !== null ? Number(pages[1]) : 0,
    importsWasi: /<- wasi_snapshot_preview1\./.test(text),
  };
}
