// Reading an input module from disk: .wasm as is, .wat/.wast text through wabt's text
// parser (a maintained implementation of the text format; the binary it writes is then
// decoded and validated by us like any other). Only the features mcu-aot accepts are
// enabled in the parser, so text using a rejected proposal fails early with wabt's message.

import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { UserError } from '../diagnostics/errors.js';
import { compileSource, isSourceExtension } from './from-source.js';
import type { SourceOptions } from './source-options.js';

export interface LoadedWasm {
  readonly bytes: Uint8Array;
  readonly file: string;
}

/** The post-MVP features of Wasm 2.0 that mcu-aot accepts (SIMD excluded). */
const ACCEPTED_FEATURES = {
  mutable_globals: true,
  sign_extension: true,
  sat_float_to_int: true,
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
  simd: false,
  threads: false,
  exceptions: false,
  tail_call: false,
  memory64: false,
  gc: false,
  function_references: false,
};

export async function loadWasm(path: string, source: SourceOptions = {}): Promise<LoadedWasm> {
  const extension = extname(path).toLowerCase();
  if (isSourceExtension(extension)) return { bytes: await compileSource(path, extension, source), file: path };
  if (extension !== '.wasm' && extension !== '.wat' && extension !== '.wast') {
    throw new UserError('input', `unknown input extension '${extension || '(none)'}' (expected .wasm, .wat, .wast, .c or .ts)`, { file: path });
  }
  let contents: Buffer;
  try {
    contents = await readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError('input', reason, { file: path });
  }
  if (extension === '.wasm') return { bytes: new Uint8Array(contents.buffer, contents.byteOffset, contents.byteLength), file: path };
  return { bytes: await watToBinary(contents.toString('utf8'), path), file: path };
}

/** Assembles WebAssembly text into a binary module with wabt. */
export async function watToBinary(text: string, file: string): Promise<Uint8Array> {
  const wabt = await (await import('wabt')).default();
  let module: ReturnType<typeof wabt.parseWat> | undefined;
  try {
    module = wabt.parseWat(file, text, ACCEPTED_FEATURES);
    module.resolveNames();
    return module.toBinary({}).buffer;
  } catch (error) {
    throw new UserError('wat-syntax', firstErrorLine(error), { file });
  } finally {
    module?.destroy();
  }
}

/** wabt's messages start with a "parseWat failed:" banner; the first real line follows. */
function firstErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !/^\w+ failed:$/.test(l));
  return lines[0] ?? message.trim();
}
