// `mcu-aot size app.elf`: where a firmware's flash and RAM go, by section and by function.
//
// Sections are classified as binutils' `size` does (Berkeley format), so the totals match
// `arm-none-eabi-size`: an allocated section is *text* when it is executable or read-only,
// *data* when it is writable with contents, *bss* when it is writable without. Flash holds
// text and data's initial image; static RAM is data + bss. The machine stack and linear
// memory are not sections: the linker's symbols (__stack_bottom/__stack_top,
// __mcu_linear_memory/__mcu_linear_memory_end) give them.
//
// Functions come from the ELF's symbol table (sized STT_FUNC symbols), largest first. Our
// own code symbols `<prefix>$f<i>` are shown with the Wasm function's name when the module
// is given (its name section, else its export names).

import { readFileSync } from 'node:fs';
import { SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS } from '../elf/constants.js';
import { readExecutable, type ExecutableFile, type ExecutableSymbolEntry } from '../elf/read-executable.js';
import { userError } from '../diagnostics/errors.js';
import { decodeModule } from '../frontend/decode.js';
import { loadWasm } from '../frontend/load.js';
import type { WasmModule } from '../frontend/module.js';
import type { SourceOptions } from '../frontend/source-options.js';

export type SizeClass = 'text' | 'data' | 'bss';

export interface SectionSize {
  readonly name: string;
  readonly class: SizeClass;
  readonly address: number;
  readonly size: number;
  readonly flash: number;
  readonly ram: number;
}

export interface FunctionSize {
  /** What to show: the Wasm name when known, else the symbol. */
  readonly name: string;
  /** Every symbol at this address (code symbol, export alias...), the chosen one first. */
  readonly symbols: readonly string[];
  readonly address: number;
  readonly size: number;
}

export interface Region {
  readonly address: number;
  readonly size: number;
}

export interface SizeReport {
  readonly text: number;
  readonly data: number;
  readonly bss: number;
  /** text + data */
  readonly flash: number;
  /** data + bss */
  readonly staticRam: number;
  readonly sections: readonly SectionSize[];
  readonly functions: readonly FunctionSize[];
  readonly stack?: Region;
  readonly linearMemory?: Region;
}

/** Wasm function names by function index (imports included): the name section, else export names. */
export function wasmFunctionNames(module: WasmModule): Map<number, string> {
  const names = new Map<number, string>();
  for (const e of module.exports) if (e.kind === 'func' && !names.has(e.index)) names.set(e.index, e.name);
  for (const [index, name] of module.functionNames) names.set(index, name);
  return names;
}

export function classifySection(type: number, flags: number): SizeClass | undefined {
  if ((flags & SHF_ALLOC) === 0) return undefined;
  if ((flags & SHF_EXECINSTR) !== 0 || (flags & SHF_WRITE) === 0) return 'text';
  return type === SHT_NOBITS ? 'bss' : 'data';
}

const CODE_SYMBOL = /^(.+)\$(f|v)(\d+)$/;

/** The name shown for a function symbol: `$f<i>` → the Wasm name, `$v<i>` → its entry veneer. */
function displayName(symbol: string, names: ReadonlyMap<number, string>): string | undefined {
  const m = CODE_SYMBOL.exec(symbol);
  if (m === null) return undefined;
  const name = names.get(Number(m[3]));
  if (name === undefined) return undefined;
  return m[2] === 'v' ? `${name} (entry veneer)` : name;
}

/** Among symbols at one address: our code symbol first, then globals, then the rest. */
function rank(s: ExecutableSymbolEntry): number {
  if (CODE_SYMBOL.test(s.name)) return 0;
  return s.binding === 'local' ? 2 : 1;
}

function functionSizes(elf: ExecutableFile, names: ReadonlyMap<number, string>): FunctionSize[] {
  const byAddress = new Map<number, ExecutableSymbolEntry[]>();
  for (const s of elf.symbols) {
    if (s.type !== 'func' || s.size === 0 || s.section === undefined) continue;
    const address = s.value & ~1;
    byAddress.set(address, [...(byAddress.get(address) ?? []), s]);
  }
  const functions: FunctionSize[] = [];
  for (const [address, symbols] of byAddress) {
    const sorted = [...symbols].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    const chosen = sorted[0]!;
    functions.push({
      name: displayName(chosen.name, names) ?? chosen.name,
      symbols: [...new Set(sorted.map((s) => s.name))],
      address,
      size: Math.max(...sorted.map((s) => s.size)),
    });
  }
  return functions.sort((a, b) => b.size - a.size || a.address - b.address);
}

function region(elf: ExecutableFile, start: string, end: string): Region | undefined {
  const value = (name: string): number | undefined => elf.symbols.find((s) => s.name === name && s.binding !== 'local')?.value;
  const a = value(start);
  const b = value(end);
  return a !== undefined && b !== undefined && b >= a ? { address: a, size: b - a } : undefined;
}

export function sizeReport(elf: ExecutableFile, names: ReadonlyMap<number, string> = new Map()): SizeReport {
  const sections: SectionSize[] = [];
  for (const s of elf.sections) {
    const cls = classifySection(s.type, s.flags);
    if (cls === undefined || s.size === 0) continue;
    sections.push({
      name: s.name,
      class: cls,
      address: s.address,
      size: s.size,
      flash: cls === 'bss' ? 0 : s.size,
      ram: cls === 'text' ? 0 : s.size,
    });
  }
  const total = (cls: SizeClass): number => sections.filter((s) => s.class === cls).reduce((n, s) => n + s.size, 0);
  const text = total('text');
  const data = total('data');
  const bss = total('bss');
  const stack = region(elf, '__stack_bottom', '__stack_top');
  const linearMemory = region(elf, '__mcu_linear_memory', '__mcu_linear_memory_end');
  return {
    text,
    data,
    bss,
    flash: text + data,
    staticRam: data + bss,
    sections,
    functions: functionSizes(elf, names),
    ...(stack !== undefined ? { stack } : {}),
    ...(linearMemory !== undefined ? { linearMemory } : {}),
  };
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/** The report as `mcu-aot size` prints it; `maxFunctions` limits the function list. */
export function formatSizeReport(file: string, r: SizeReport, maxFunctions: number): string {
  const lines = [
    `${file}: flash ${r.flash} bytes (text ${r.text} + data ${r.data}), RAM ${r.staticRam} bytes static (data ${r.data} + bss ${r.bss})`,
  ];
  const extra = [
    ...(r.stack !== undefined ? [`stack ${r.stack.size} bytes at ${hex(r.stack.address)}`] : []),
    ...(r.linearMemory !== undefined ? [`linear memory ${r.linearMemory.size} bytes at ${hex(r.linearMemory.address)}`] : []),
  ];
  if (extra.length > 0) lines.push(`  plus ${extra.join(', ')}`);
  lines.push('', `${'section'.padEnd(20)} ${'flash'.padStart(8)} ${'RAM'.padStart(8)}  address`);
  for (const s of r.sections) {
    lines.push(`${s.name.padEnd(20)} ${String(s.flash).padStart(8)} ${String(s.ram).padStart(8)}  ${hex(s.address)}`);
  }
  const shown = r.functions.slice(0, maxFunctions);
  lines.push('', `functions, largest first (${shown.length} of ${r.functions.length}):`);
  for (const f of shown) {
    const others = f.symbols.filter((s) => s !== f.name);
    lines.push(`${String(f.size).padStart(8)}  ${f.name}${others.length > 0 ? `  [${others.join(', ')}]` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Reads the firmware and, when given, the module it was built from (for function names).
 * A C or AssemblyScript module is compiled again: pass the same optimisation level as the
 * build, or the function indices may not match.
 */
export async function sizeOfFirmware(elfPath: string, modulePath?: string, source: SourceOptions = {}): Promise<SizeReport> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(elfPath);
  } catch (e) {
    throw userError('input', (e as Error).message, { file: elfPath });
  }
  const elf = readExecutable(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), elfPath);
  if (modulePath === undefined) return sizeReport(elf);
  const loaded = await loadWasm(modulePath, source);
  return sizeReport(elf, wasmFunctionNames(decodeModule(loaded.bytes, loaded.file)));
}
