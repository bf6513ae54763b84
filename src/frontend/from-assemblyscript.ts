// AssemblyScript input: `mcu-aot build app.ts` compiles the file through AssemblyScript's
// compiler API (the `assemblyscript` package, in process: no shell-out), then hands the
// .wasm to the one real frontend.
//
// Settings for a microcontroller:
//  - `--runtime stub`: a bump allocator without a garbage collector. The incremental GC
//    runtime costs several KiB of flash and RAM that a small board does not have; firmware
//    allocates at start-up or not at all.
//  - no exported memory (nothing outside the firmware reads it) and no bindings.
//  - `env.abort` stays the import AssemblyScript declares by default: runtime-c provides it
//    (runtime-c/assemblyscript.c) as a trap that prints the message, file, line and column.
// AssemblyScript has no WASI layer of its own: a program prints by declaring
// `wasi_snapshot_preview1.fd_write` with `@external` (the `mcu-aot init --lang assemblyscript`
// scaffold shows how).

import { basename, dirname } from 'node:path';
import { userError } from '../diagnostics/errors.js';
import { compileFailure, type OptLevel, type SourceOptions } from './source-options.js';

const OUTPUT_NAME = 'module.wasm';

/** AssemblyScript's optimize and shrink levels for an mcu-aot optimisation level. */
export function ascLevels(level: OptLevel | undefined): { optimizeLevel: number; shrinkLevel: number } {
  switch (level) {
    case '0':
      return { optimizeLevel: 0, shrinkLevel: 0 };
    case '1':
    case '2':
    case '3':
      return { optimizeLevel: Number(level), shrinkLevel: 0 };
    case 's':
      return { optimizeLevel: 2, shrinkLevel: 2 };
    case undefined:
      return { optimizeLevel: 3, shrinkLevel: 1 };
  }
}

export function ascArguments(file: string, options: SourceOptions): string[] {
  const { optimizeLevel, shrinkLevel } = ascLevels(options.optLevel);
  // Compiling from the file's own folder keeps the paths baked into abort messages short
  // and independent of where the build was started.
  return [
    basename(file),
    '--baseDir',
    dirname(file),
    '--outFile',
    OUTPUT_NAME,
    '--runtime',
    'stub',
    '--noExportMemory',
    '--noColors',
    '--optimizeLevel',
    String(optimizeLevel),
    '--shrinkLevel',
    String(shrinkLevel),
  ];
}

/** Compile an AssemblyScript file to a Wasm module. The compiler's diagnostics (file:line) go to the log. */
export async function compileAssemblyScript(file: string, options: SourceOptions = {}): Promise<Uint8Array> {
  let asc: typeof import('assemblyscript/asc').default;
  try {
    asc = (await import('assemblyscript/asc')).default;
  } catch (e) {
    throw userError('toolchain', `the AssemblyScript compiler cannot be loaded: ${(e as Error).message.split('\n')[0]}`, { file }, 'reinstall mcu-aot with its dependencies (npm ci)');
  }
  let wasm: Uint8Array | undefined;
  let diagnostics = '';
  const collect = asc.createMemoryStream((chunk) => {
    diagnostics += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
  });
  const result = await asc.main(ascArguments(file, options), {
    stdout: collect,
    stderr: collect,
    writeFile: (name, contents) => {
      if (name.endsWith(OUTPUT_NAME) && typeof contents !== 'string') wasm = contents;
    },
  });
  const text = diagnostics.trimEnd();
  if (text !== '') options.log?.(text);
  if (result.error !== null || wasm === undefined) {
    throw compileFailure('the AssemblyScript compiler reported errors', text === '' ? (result.error?.message ?? '') : text, options, file);
  }
  return wasm;
}
