// Source-language inputs in front of Wasm, by file extension: `.c` through clang
// (from-c.ts), `.ts` through AssemblyScript (from-assemblyscript.ts). Each turns a file
// into Wasm bytes that the real frontend then decodes and validates like any .wasm.

import { access, constants } from 'node:fs/promises';
import { UserError } from '../diagnostics/errors.js';
import { compileAssemblyScript } from './from-assemblyscript.js';
import { compileC } from './from-c.js';
import type { SourceOptions } from './source-options.js';

const SOURCE_COMPILERS: Readonly<Record<string, (file: string, options: SourceOptions) => Promise<Uint8Array>>> = {
  '.c': compileC,
  '.ts': compileAssemblyScript,
};

export const SOURCE_EXTENSIONS: readonly string[] = Object.keys(SOURCE_COMPILERS);

export function isSourceExtension(extension: string): boolean {
  return Object.hasOwn(SOURCE_COMPILERS, extension);
}

/** Compile a C or AssemblyScript file (by its extension) to Wasm bytes. */
export async function compileSource(file: string, extension: string, options: SourceOptions): Promise<Uint8Array> {
  const compiler = SOURCE_COMPILERS[extension];
  if (compiler === undefined) throw new UserError('input', `no source compiler for '${extension}'`, { file });
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw new UserError('input', error instanceof Error ? error.message : String(error), { file });
  }
  return compiler(file, options);
}
