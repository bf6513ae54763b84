// C input: `mcu-aot build app.c` compiles the file with clang's wasm32-wasi target and
// wasi-libc, then hands the .wasm to the one real frontend. This is a convenience only: a
// user with another toolchain (wasi-sdk, emscripten's standalone mode, Zig) builds the
// .wasm themselves and gives us that.
//
// Memory is sized for a microcontroller: one 64 KiB page of initial memory (the least a
// module with memory can declare; the build fits it to the board's RAM) and an 8 KiB
// shadow stack instead of wasm-ld's 64 KiB default, which would not fit any small board.

import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { userError } from '../diagnostics/errors.js';
import { compileFailure, type SourceOptions } from './source-options.js';

export const C_TOOLCHAIN_INSTALL = 'sudo apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32';

/** Tried in this order on PATH: Debian's versioned name first (the one we test), then any clang. */
const CLANG_NAMES = ['clang-14', 'clang'];

/** Where Debian's wasi-libc package puts the sysroot (clang-14 finds it there by itself). */
const DEBIAN_WASI_LIBC = '/usr/lib/wasm32-wasi/libc.a';
const DEBIAN_WASI_HEADERS = '/usr/include/wasm32-wasi/stdio.h';

const WASM_PAGE = 65536;
/** The shadow stack in linear memory that clang-compiled code uses for address-taken locals. */
export const C_SHADOW_STACK_BYTES = 8192;

/** The first executable named `name` on a PATH-style list of folders, or undefined. */
export function findOnPath(name: string, pathList: string = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of pathList.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export function findClang(pathList?: string): string | undefined {
  for (const name of CLANG_NAMES) {
    const found = findOnPath(name, pathList);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * clang's two runs for one C file: compile to an object, then link with wasi-libc.
 * `WASI_SYSROOT` points clang at a wasi-libc sysroot other than Debian's (a wasi-sdk
 * installation, say). The link has no -O: given one, clang-14's driver runs wasm-opt
 * whenever it finds it on PATH, and wasm-opt drops the name section, which would leave C
 * functions nameless (`f12`) in trap messages, `mcu-aot size` and `mcu-aot disasm`.
 */
export function clangCommands(input: string, object: string, output: string, options: SourceOptions, sysroot?: string): { compile: string[]; link: string[] } {
  const target = ['--target=wasm32-wasi', ...(sysroot !== undefined ? [`--sysroot=${sysroot}`] : [])];
  return {
    compile: [...target, `-O${options.optLevel ?? '2'}`, '-c', '-o', object, input],
    link: [...target, `-Wl,--initial-memory=${WASM_PAGE}`, '-z', `stack-size=${C_SHADOW_STACK_BYTES}`, '-o', output, object],
  };
}

function checkWasiLibc(sysroot: string | undefined): void {
  const required = sysroot !== undefined ? [join(sysroot, 'lib', 'wasm32-wasi', 'libc.a')] : [DEBIAN_WASI_LIBC, DEBIAN_WASI_HEADERS];
  for (const path of required) {
    try {
      accessSync(path, constants.R_OK);
    } catch {
      throw userError('toolchain', `wasi-libc is not installed (no '${path}'): C input needs it`, {}, C_TOOLCHAIN_INSTALL);
    }
  }
}

/** clang failed because a piece of the toolchain (not the user's code) is missing. */
function missingToolchainPiece(stderr: string): string | undefined {
  if (/libclang_rt\.builtins-wasm32\.a/.test(stderr)) return "compiler-rt's wasm32 builtins (libclang_rt.builtins-wasm32.a)";
  if (/wasm-ld.*(doesn't exist|not found)|unable to execute command.*wasm-ld/i.test(stderr)) return 'the wasm32 linker (wasm-ld)';
  return undefined;
}

/** Compile a C file to a Wasm module. Errors in the user's code are clang's own messages (file:line), then a UserError. */
export async function compileC(file: string, options: SourceOptions = {}): Promise<Uint8Array> {
  const clang = findClang();
  if (clang === undefined) {
    throw userError('toolchain', `clang is not installed (looked for ${CLANG_NAMES.join(', ')} on PATH): C input needs it`, { file }, C_TOOLCHAIN_INSTALL);
  }
  const sysroot = process.env['WASI_SYSROOT'];
  checkWasiLibc(sysroot);
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-clang-'));
  try {
    const output = join(dir, 'module.wasm');
    const { compile, link } = clangCommands(file, join(dir, 'module.o'), output, options, sysroot);
    for (const args of [compile, link]) {
      const result = await execa(clang, args, { reject: false, all: true });
      const diagnostics = String(result.all ?? '').trimEnd();
      const missing = missingToolchainPiece(diagnostics);
      if (missing !== undefined) throw userError('toolchain', `${missing} is not installed: C input needs it`, { file }, C_TOOLCHAIN_INSTALL);
      if (diagnostics !== '') options.log?.(diagnostics);
      if (result.exitCode !== 0) throw compileFailure(`${clang} exited with code ${result.exitCode ?? 'unknown'}`, diagnostics, options, file);
    }
    return new Uint8Array(readFileSync(output));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
