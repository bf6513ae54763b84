// The project config, `mcu-aot.toml`: what a firmware project builds and for which board,
// so that `mcu-aot build` and `mcu-aot run` need no arguments inside the project folder.
// Command-line flags override the file; paths in the file are relative to its folder.
//
//   board = "lm3s6965"
//   input = "src/main.c"           # .wasm, .wat, .c or .ts
//   output_dir = "build"           # where `build` writes <input stem>.elf/.bin/.map
//   memory = "32K"                 # physical linear memory (default: fit to the board)
//   stack_size = "4K"              # machine stack, overrides the board's
//   opt_level = "s"                # -O0 ... -O3, -Os: the C/AssemblyScript compilers use it
//   profile = "app.profile"        # profile-guided build (mcu-aot profile writes it)
//   bounds = "mask"                # out-of-bounds accesses: "trap" (default) or "mask" (bounds-mode.ts)
//
//   [peripherals]                  # ranges the HAL's mcu.read32/write32... may touch,
//   uart1 = { base = 0x4000D000, size = 0x1000, access = "rw" }   # beyond the board's
//
//   [interrupts]                   # IRQ line (board name, number or SysTick) = handler export
//   UART0 = "on_uart0"
//
// docs/hal.md describes both. Every error names the file, the key and its line.

import { BOUNDS_MODES, type BoundsMode } from './bounds-mode.js';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { userError, type UserError } from '../diagnostics/errors.js';
import { parseOptLevel, type OptLevel } from '../frontend/source-options.js';

export const PROJECT_FILE = 'mcu-aot.toml';

export type PeripheralAccess = 'r' | 'w' | 'rw';

/** An address range the module is granted (the HAL's inline register accesses: docs/hal.md). */
export interface PeripheralGrant {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly access: PeripheralAccess;
  /** Where it was granted, `path/mcu-aot.toml:7`, for messages; absent for --grant. */
  readonly where?: string;
}

/** An IRQ line bound to an exported handler (an interrupt veneer: src/driver/interrupts.ts). */
export interface InterruptBinding {
  /** The board's name for the line, or its number as written. */
  readonly irq: string;
  readonly handler: string;
  /** Where it was bound, `path/mcu-aot.toml:12`, for messages. */
  readonly where?: string;
}

export interface ProjectConfig {
  /** Absolute path of the mcu-aot.toml. */
  readonly file: string;
  readonly board?: string;
  /** Absolute paths from here on. */
  readonly input?: string;
  readonly outputDir?: string;
  readonly profile?: string;
  readonly memory?: number;
  readonly stackSize?: number;
  readonly optLevel?: OptLevel;
  readonly bounds?: BoundsMode;
  readonly peripherals: readonly PeripheralGrant[];
  readonly interrupts: readonly InterruptBinding[];
}

const TOP_LEVEL_KEYS = ['board', 'input', 'output_dir', 'memory', 'stack_size', 'opt_level', 'profile', 'bounds', 'peripherals', 'interrupts'];
const PERIPHERAL_KEYS = ['base', 'size', 'access'];
const ADDRESS_SPACE = 2 ** 32;

/** `40960`, `40K`, `40KiB`, `1M` → bytes; undefined when the text is not a size. */
export function parseSizeText(text: string): number | undefined {
  const m = /^(\d+)\s*([kKmM]i?[bB]?)?$/.exec(text.trim());
  if (m === null) return undefined;
  const unit = (m[2] ?? '').toLowerCase()[0];
  return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
}

/** The line of the key at `path` (tables and inline tables), or of its nearest written parent. */
export function lineOfKey(text: string, path: readonly string[]): number | undefined {
  let table: string[] = [];
  let best: { line: number; depth: number } | undefined;
  const unquote = (k: string): string => k.trim().replace(/^(["'])(.*)\1$/, '$2');
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/^\s+/, '');
    const header = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (header !== null) {
      table = header[1]!.split('.').map(unquote);
      consider(table, index);
      return;
    }
    const key = /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.-]+))\s*=/.exec(line);
    if (key !== null) consider([...table, ...key[1]!.split('.').map(unquote)], index);
  });
  function consider(keyPath: readonly string[], index: number): void {
    if (keyPath.length > path.length || keyPath.some((k, i) => k !== path[i])) return;
    if (best === undefined || keyPath.length > best.depth) best = { line: index + 1, depth: keyPath.length };
  }
  return best?.line;
}

/** Reads and checks one config file's text. */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  const at: At = (path) => {
    const line = lineOfKey(text, path);
    return line !== undefined ? `${file}:${line}` : file;
  };
  const fail = (path: readonly string[], detail: string): UserError => userError('config', `key '${path.join('.')}': ${detail}`, { file: at(path) });
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? `${file}:${e.line}` : file;
    throw userError('config', `not valid TOML: ${(e as Error).message.split('\n')[0]}`, { file: where });
  }
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_KEYS.includes(key)) throw fail([key], `unknown key (known: ${TOP_LEVEL_KEYS.join(', ')})`);
  }
  const dir = dirname(resolve(file));
  const string = (key: string): string | undefined => {
    const v = doc[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw fail([key], `expected a non-empty string, got ${describe(v)}`);
    return v;
  };
  const path = (key: string): string | undefined => {
    const v = string(key);
    return v === undefined ? undefined : resolve(dir, v);
  };
  const size = (key: string): number | undefined => {
    const v = doc[key];
    if (v === undefined) return undefined;
    const bytes = typeof v === 'string' ? parseSizeText(v) : typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined;
    if (bytes === undefined || !Number.isInteger(bytes) || bytes <= 0) throw fail([key], `expected a size such as 32K or 40960, got ${describe(v)}`);
    return bytes;
  };
  const optText = string('opt_level');
  const optLevel = optText === undefined ? undefined : parseOptLevel(optText);
  if (optText !== undefined && optLevel === undefined) throw fail(['opt_level'], `expected one of -O0, -O1, -O2, -O3, -Os, got ${describe(optText)}`);
  const bounds = string('bounds');
  if (bounds !== undefined && !(BOUNDS_MODES as readonly string[]).includes(bounds)) throw fail(['bounds'], `expected "trap" or "mask", got ${describe(bounds)}`);
  const board = string('board');
  const input = path('input');
  const outputDir = path('output_dir');
  const profile = path('profile');
  const memory = size('memory');
  const stackSize = size('stack_size');
  return {
    file: resolve(file),
    ...(board !== undefined ? { board } : {}),
    ...(input !== undefined ? { input } : {}),
    ...(outputDir !== undefined ? { outputDir } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(memory !== undefined ? { memory } : {}),
    ...(stackSize !== undefined ? { stackSize } : {}),
    ...(optLevel !== undefined ? { optLevel } : {}),
    ...(bounds !== undefined ? { bounds: bounds as BoundsMode } : {}),
    peripherals: peripheralGrants(doc['peripherals'], fail, at),
    interrupts: interruptBindings(doc['interrupts'], fail, at),
  };
}

type Fail = (path: readonly string[], detail: string) => UserError;
/** `file:line` of a key in the config (or the file alone when the line is unknown). */
type At = (path: readonly string[]) => string;

function peripheralGrants(table: unknown, fail: Fail, at: At): PeripheralGrant[] {
  if (table === undefined) return [];
  if (!isTable(table)) throw fail(['peripherals'], 'expected a table of name = { base, size, access }');
  return Object.entries(table).map(([name, entry]) => {
    if (!isTable(entry)) throw fail(['peripherals', name], `expected { base = <address>, size = <bytes>, access = "rw" }, got ${describe(entry)}`);
    for (const key of Object.keys(entry)) {
      if (!PERIPHERAL_KEYS.includes(key)) throw fail(['peripherals', name, key], `unknown key (known: ${PERIPHERAL_KEYS.join(', ')})`);
    }
    const integer = (key: string, min: number): number => {
      const v = entry[key];
      const n = typeof v === 'number' || typeof v === 'bigint' ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < min || n >= ADDRESS_SPACE) throw fail(['peripherals', name, key], `expected an integer address or size below 2^32, got ${describe(v)}`);
      return n;
    };
    const base = integer('base', 0);
    const size = integer('size', 1);
    if (base + size > ADDRESS_SPACE) throw fail(['peripherals', name, 'size'], `range 0x${base.toString(16)} + 0x${size.toString(16)} runs past the 32-bit address space`);
    const access = entry['access'] ?? 'rw';
    if (access !== 'r' && access !== 'w' && access !== 'rw') throw fail(['peripherals', name, 'access'], `expected "r", "w" or "rw", got ${describe(access)}`);
    return { name, base, size, access, where: at(['peripherals', name]) };
  });
}

function interruptBindings(table: unknown, fail: Fail, at: At): InterruptBinding[] {
  if (table === undefined) return [];
  if (!isTable(table)) throw fail(['interrupts'], 'expected a table of IRQ line = "handler export"');
  return Object.entries(table).map(([irq, handler]) => {
    if (typeof handler !== 'string' || handler === '') throw fail(['interrupts', irq], `expected the name of an exported handler function, got ${describe(handler)}`);
    return { irq, handler, where: at(['interrupts', irq]) };
  });
}

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'an array';
  if (isTable(v)) return 'a table';
  return String(v);
}

export function loadProjectConfig(file: string): ProjectConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw userError('config', `cannot read it: ${(e as Error).message}`, { file });
  }
  return parseProjectConfig(text, file);
}

/** The project config of a folder (its mcu-aot.toml), or undefined when it has none. */
export function findProjectConfig(dir: string): ProjectConfig | undefined {
  const file = join(dir, PROJECT_FILE);
  return existsSync(file) ? loadProjectConfig(file) : undefined;
}

/** What the command line gave; every field overrides the config's. */
export interface ProjectFlags {
  readonly input?: string;
  readonly board?: string;
  readonly output?: string;
  readonly memory?: number;
  readonly stackSize?: number;
  readonly optLevel?: OptLevel;
  readonly profile?: string;
  readonly bounds?: BoundsMode;
}

/** Flags merged over the config: the settings a build or run uses. */
export interface ProjectSettings {
  readonly input: string;
  readonly board: string;
  /** Main output file for `build`, when the flags or the config's output_dir decide it. */
  readonly output?: string;
  readonly memory?: number;
  readonly stackSize?: number;
  readonly optLevel?: OptLevel;
  readonly profile?: string;
  readonly bounds?: BoundsMode;
  readonly config?: ProjectConfig;
}

/** Merge flags over the config. `outputExtension` names the main output (`.elf`) placed in output_dir. */
export function resolveProjectSettings(flags: ProjectFlags, config: ProjectConfig | undefined, outputExtension: string): ProjectSettings {
  const input = flags.input ?? config?.input;
  const where = config !== undefined ? ` and ${config.file} gives none` : ` and there is no ${PROJECT_FILE} here`;
  if (input === undefined) throw userError('usage', `no input file given${where}`, {}, `pass the module (app.wasm, app.c, app.ts...) or set 'input' in ${PROJECT_FILE} (mcu-aot init creates one)`);
  const board = flags.board ?? config?.board;
  if (board === undefined) throw userError('usage', `no board given${where}`, {}, `pass --board <name> or set 'board' in ${PROJECT_FILE}; \`mcu-aot boards\` lists them`);
  const output = flags.output ?? (config?.outputDir !== undefined ? join(config.outputDir, basename(input, extname(input)) + outputExtension) : undefined);
  const pick = <K extends 'memory' | 'stackSize' | 'optLevel' | 'profile' | 'bounds'>(key: K): Partial<Record<K, NonNullable<ProjectFlags[K]>>> => {
    const v = flags[key] ?? config?.[key];
    return (v !== undefined ? { [key]: v } : {}) as Partial<Record<K, NonNullable<ProjectFlags[K]>>>;
  };
  return {
    input,
    board,
    ...(output !== undefined ? { output } : {}),
    ...pick('memory'),
    ...pick('stackSize'),
    ...pick('optLevel'),
    ...pick('profile'),
    ...pick('bounds'),
    ...(config !== undefined ? { config } : {}),
  };
}

/** The ELF that `mcu-aot build` writes for this project, when the config names its input. */
export function projectFirmware(config: ProjectConfig): string | undefined {
  if (config.input === undefined) return undefined;
  return join(config.outputDir ?? dirname(config.input), `${basename(config.input, extname(config.input))}.elf`);
}
