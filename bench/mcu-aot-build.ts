// The mcu-aot configuration: the driver's build API compiles the benchmark's Wasm module
// and links it with runtime-c for the board. The compile time is the build() call alone
// (fastest of COMPILE_TIME_RUNS); runtime-c is built (and cached) once beforehand so its
// gcc run is not counted.

import { join } from 'node:path';
import { build } from '../src/driver/build.js';
import type { Board } from '../src/driver/board.js';
import { buildRuntime } from '../src/driver/runtime.js';
import { fastestRun } from './timing.js';
import type { WasmModule } from './wasm-build.js';

/** The ELF symbol mcu-aot gives defined Wasm function `index` (docs/abi.md). */
export const mcuAotFunctionSymbol = (index: number): string => `wasm$f${index}`;

export interface McuAotBuild {
  readonly elf: string;
  readonly compileMs: number;
  /** What the build printed (e.g. the linear-memory fitting note). */
  readonly notes: readonly string[];
}

/** `keepOutOfLine`: the timed-region markers, which the instruction counter sees only when they are called. */
export async function buildMcuAot(module: WasmModule, name: string, board: Board, dir: string, keepOutOfLine: readonly string[] = []): Promise<McuAotBuild> {
  await buildRuntime(board);
  const elf = join(dir, `${name}.elf`);
  const notes: string[] = [];
  const compileMs = await fastestRun(async () => {
    notes.length = 0;
    await build({ input: module.wasm, board, emit: 'elf', output: elf, keepOutOfLine, log: (line) => notes.push(line) });
  });
  return { elf, compileMs, notes };
}

/** Wasm function index of a named function (name section), for marker and code-size lookups. */
export function functionIndex(module: WasmModule, name: string): number | undefined {
  for (const [index, fn] of module.functionNames) if (fn === name) return index;
  return undefined;
}
