// Builds runtime-c for a board: compiles runtime-c/*.c with arm-none-eabi-gcc into a cache
// folder and finds the matching libgcc. The cache key is a hash of every source and header,
// the flags and the compiler's version, so an edit to the runtime or a board file rebuilds
// it and nothing else does. A build goes to a temporary folder renamed into place, so a
// concurrent or interrupted build never leaves a half-filled cache entry.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { InternalError, userError } from '../diagnostics/errors.js';
import { boardsDir, type Board, type ConsoleKind } from './board.js';

export interface RuntimeBuild {
  /** Absolute paths of the runtime's relocatable objects, sorted. */
  readonly objects: string[];
  /** Absolute path of the libgcc.a for this core (soft-float and 64-bit helpers). */
  readonly libgcc: string;
}

const GCC = 'arm-none-eabi-gcc';
const TOOLCHAIN_HINT = 'sudo apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi';

/** The UART driver file and the define that selects it, per console kind. */
const CONSOLE_DRIVERS: Record<ConsoleKind, { file: string; define: string }> = {
  'pl011': { file: 'console_pl011.c', define: 'MCU_CONSOLE_PL011' },
  'cmsdk-uart': { file: 'console_cmsdk_uart.c', define: 'MCU_CONSOLE_CMSDK' },
};

/** The package root: the folder holding boards/ and runtime-c/. */
function packageRoot(): string {
  return dirname(boardsDir());
}

export function runtimeSourceDir(): string {
  return join(packageRoot(), 'runtime-c');
}

/** -mcpu/-mthumb/float flags: shared by compiling the runtime and asking for libgcc. */
export function targetFlags(board: Board): string[] {
  const flags = [`-mcpu=${board.cpu.core}`, '-mthumb'];
  // softfp on FPU boards: VFP instructions, but the base (soft-float) AAPCS, so runtime-c,
  // libgcc's thumb/v7e-m+fp/softfp multilib and our objects (floats as bits in r0-r3) agree.
  if (board.cpu.fpu === 'none') flags.push('-mfloat-abi=soft');
  else flags.push(`-mfpu=${board.cpu.fpu}`, '-mfloat-abi=softfp');
  return flags;
}

/** Everything passed to gcc for one runtime source file, minus -c/-o. */
export function runtimeCompileFlags(board: Board): string[] {
  if (board.clockHz === undefined) {
    throw userError('board', `board '${board.name}' does not give its processor clock`, {}, "add 'clock_hz' under [cpu] in its TOML file");
  }
  const driver = CONSOLE_DRIVERS[board.console.kind];
  if (driver === undefined) {
    throw userError('board', `board '${board.name}' has console kind '${board.console.kind}', which runtime-c has no driver for`, {}, `known kinds: ${Object.keys(CONSOLE_DRIVERS).join(', ')}`);
  }
  return [
    ...targetFlags(board),
    '-ffixed-r9', // r9 is the linear memory base everywhere (docs/abi.md)
    '-Os',
    '-ffunction-sections',
    '-fdata-sections',
    '-ffreestanding',
    '-fno-builtin',
    // Keep gcc from turning copy/zero loops into memcpy/memset calls: there is no libc.
    '-fno-tree-loop-distribute-patterns',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-nostdlib',
    `-D${driver.define}`,
    `-DMCU_CONSOLE_BASE=0x${board.console.base.toString(16)}u`,
    `-DMCU_CPU_HZ=${board.clockHz}u`,
    ...(board.cpu.fpu !== 'none' ? ['-DMCU_HAS_FPU'] : []),
  ];
}

/** The C files of runtime-c this board needs: all but the other boards' UART drivers. */
export function runtimeSources(board: Board): string[] {
  const driverFiles = new Set(Object.values(CONSOLE_DRIVERS).map((d) => d.file));
  const mine = CONSOLE_DRIVERS[board.console.kind]?.file;
  return readdirSync(runtimeSourceDir())
    .filter((f) => f.endsWith('.c') && (!driverFiles.has(f) || f === mine))
    .sort();
}

/** Runs arm-none-eabi-gcc, turning "not installed" into the toolchain UserError. */
async function gcc(args: string[]): Promise<string> {
  const result = await execa(GCC, args, { reject: false });
  if ((result as { code?: string }).code === 'ENOENT') {
    throw userError('toolchain', `'${GCC}' not found on PATH`, {}, TOOLCHAIN_HINT);
  }
  if (result.exitCode !== 0) {
    const stderr = String(result.stderr).trim();
    // runtime-c is ours and must always compile: a failure is our bug, not the user's.
    throw new InternalError('runtime-c build', `${GCC} ${args.join(' ')} failed`, stderr);
  }
  return String(result.stdout);
}

function cacheKey(board: Board, sources: string[], flags: string[], gccVersion: string): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ flags, gccVersion }));
  const dir = runtimeSourceDir();
  // Headers too: a change to mcu_module.h must rebuild everything.
  const inputs = readdirSync(dir).filter((f) => f.endsWith('.h') || sources.includes(f)).sort();
  for (const file of inputs) {
    hash.update(`\0${file}\0`);
    hash.update(readFileSync(join(dir, file)));
  }
  return `${board.name}-${hash.digest('hex').slice(0, 16)}`;
}

function cacheRoot(): string {
  return join(packageRoot(), 'node_modules', '.cache', 'mcu-aot', 'runtime');
}

function objectName(source: string): string {
  return source.replace(/\.c$/, '.o');
}

async function compileInto(dir: string, sources: string[], flags: string[]): Promise<void> {
  const srcDir = runtimeSourceDir();
  await Promise.all(sources.map((f) => gcc([...flags, '-c', join(srcDir, f), '-o', join(dir, objectName(f))])));
}

/** Drops this board's builds from older sources or flags, so the cache does not grow forever. */
function removeStaleBuilds(board: Board, current: string): void {
  const own = new RegExp(`^${board.name.replace(/[.]/g, '\\.')}-[0-9a-f]{16}$`);
  for (const entry of readdirSync(cacheRoot())) {
    const path = join(cacheRoot(), entry);
    if (own.test(entry) && path !== current) rmSync(path, { recursive: true, force: true });
  }
}

/** Compiles runtime-c for `board` (or reuses the cached build) and locates libgcc. */
export async function buildRuntime(board: Board): Promise<RuntimeBuild> {
  const flags = runtimeCompileFlags(board);
  const sources = runtimeSources(board);
  const gccVersion = (await gcc(['-dumpfullversion'])).trim();
  const finalDir = join(cacheRoot(), cacheKey(board, sources, flags, gccVersion));
  const objects = sources.map((f) => join(finalDir, objectName(f)));
  if (!objects.every((o) => existsSync(o))) {
    mkdirSync(cacheRoot(), { recursive: true });
    const tempDir = mkdtempSync(`${finalDir}.tmp-`);
    try {
      await compileInto(tempDir, sources, flags);
      rmSync(finalDir, { recursive: true, force: true });
      renameSync(tempDir, finalDir);
      removeStaleBuilds(board, finalDir);
    } catch (e) {
      rmSync(tempDir, { recursive: true, force: true });
      // Another build of the same key may have won the rename: its result is as good.
      if (!objects.every((o) => existsSync(o))) throw e;
    }
  }
  const libgcc = (await gcc([...targetFlags(board), '-print-libgcc-file-name'])).trim();
  return { objects, libgcc };
}
