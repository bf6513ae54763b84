// `mcu-aot disasm app.elf`: our own disassembly of a firmware's code, function by function,
// with the Wasm names next to our symbols.
//
// It reads the same encoding table the compiler writes from (decoder.ts), so the listing
// shows exactly what the backend meant to emit, and a decoder gap shows up as `.short`.
// Functions are the sized STT_FUNC symbols in executable sections, grouped by address as
// `mcu-aot size` does (our code symbol `<prefix>$f<i>` first, then export aliases). ARM
// mapping symbols ($t/$d, from gcc's objects) say where literal pools sit; without them
// every halfword is taken as code. Annotations:
//   - a branch target as `<symbol+0xoffset>`;
//   - a `udf #kind` as its trap kind (src/ir/types.ts) and, from the module descriptors'
//     trap tables (`__mcu_module`, `<prefix>$module`; docs/abi.md), the Wasm offset.

import { readFileSync } from 'node:fs';
import { decodeThumb, isThumb32 } from '../backend-thumb2/decoder.js';
import { formatDecoded, itBlockConditions } from '../backend-thumb2/disassembler.js';
import type { Cond } from '../backend-thumb2/mir.js';
import { userError } from '../diagnostics/errors.js';
import { SHF_ALLOC, SHF_EXECINSTR, SHT_NOBITS } from '../elf/constants.js';
import { readExecutable, readLoadImage, type ExecutableFile, type ExecutableSectionHeader, type LoadImage } from '../elf/read-executable.js';
import { decodeModule } from '../frontend/decode.js';
import { loadWasm } from '../frontend/load.js';
import type { SourceOptions } from '../frontend/source-options.js';
import { TRAP_KINDS } from '../ir/types.js';
import { sizeReport, wasmFunctionNames } from './size.js';

export interface DisasmLine {
  readonly address: number;
  /** The halfwords as stored (a data word is two halfwords, low first). */
  readonly halfwords: readonly number[];
  /** 'inst': a decoded instruction; 'data': a literal (mapping symbol $d) or an undecodable halfword. */
  readonly kind: 'inst' | 'data';
  /** UAL text (branch targets as absolute addresses), or `.word`/`.short`/`.byte`. */
  readonly text: string;
  /** `<symbol+0x..>` for a branch, the trap for a `udf`. */
  readonly annotation?: string;
}

export interface FunctionListing {
  readonly address: number;
  readonly size: number;
  /** Every symbol at this address, the one shown first (our code symbol, then globals). */
  readonly symbols: readonly string[];
  /** The Wasm function's name: the module's name section or exports, else the trap table's. */
  readonly wasmName?: string;
  readonly lines: readonly DisasmLine[];
}

interface TrapSite {
  readonly pc: number;
  readonly wasmOffset: number;
  readonly functionName: string;
}

const TRAP_KIND_NAMES = new Map<number, string>(Object.entries(TRAP_KINDS).map(([name, kind]) => [kind, name]));
const DESCRIPTOR_SYMBOL = /^(__mcu_module|.+\$module)$/;
const ABI_VERSION = 1;
/** Offsets in `struct mcu_module` and the size of `struct mcu_trap_site` (docs/abi.md). */
const N_TRAPS_OFFSET = 32;
const TRAPS_OFFSET = 36;
const TRAP_SITE_SIZE = 12;

/** Bytes of the loaded image by run address: a section's address maps to its load address. */
interface Memory {
  readonly u8: (address: number) => number;
  readonly u16: (address: number) => number;
  readonly u32: (address: number) => number;
  readonly has: (address: number, size: number) => boolean;
}

function imageMemory(elf: ExecutableFile, image: LoadImage): Memory {
  const loadAddress = (address: number): number => {
    const s = elf.sections.find((x) => (x.flags & SHF_ALLOC) !== 0 && x.type !== SHT_NOBITS && address >= x.address && address < x.address + x.size);
    return s === undefined ? address : s.loadAddress + (address - s.address);
  };
  const byteAt = (address: number): number | undefined => {
    const physical = loadAddress(address);
    const seg = image.segments.find((s) => physical >= s.address && physical < s.address + s.memorySize);
    if (seg === undefined) return undefined;
    return seg.bytes[physical - seg.address] ?? 0;
  };
  const u8 = (address: number): number => byteAt(address) ?? 0;
  const u16 = (address: number): number => u8(address) | (u8(address + 1) << 8);
  return {
    u8,
    u16,
    u32: (address) => (u16(address) | (u16(address + 2) << 16)) >>> 0,
    has: (address, size) => size === 0 || (byteAt(address) !== undefined && byteAt(address + size - 1) !== undefined),
  };
}

/** Every trap site of every module descriptor in the firmware, by pc. */
function readTrapSites(elf: ExecutableFile, memory: Memory, file: string): Map<number, TrapSite> {
  const sites = new Map<number, TrapSite>();
  for (const d of elf.symbols.filter((s) => s.type === 'object' && s.section !== undefined && DESCRIPTOR_SYMBOL.test(s.name))) {
    const bad = (what: string): never => {
      throw userError('input', `module descriptor '${d.name}': ${what}`, { file });
    };
    if (!memory.has(d.value, TRAPS_OFFSET + 4)) bad('outside the loaded image');
    if (memory.u32(d.value) !== ABI_VERSION) bad(`ABI version ${memory.u32(d.value)}, expected ${ABI_VERSION}`);
    const count = memory.u32(d.value + N_TRAPS_OFFSET);
    const table = memory.u32(d.value + TRAPS_OFFSET);
    if (count > 0 && !memory.has(table, count * TRAP_SITE_SIZE)) bad('trap table outside the loaded image');
    for (let i = 0; i < count; i++) {
      const at = table + i * TRAP_SITE_SIZE;
      const pc = memory.u32(at);
      sites.set(pc, { pc, wasmOffset: memory.u32(at + 4), functionName: readCString(memory, memory.u32(at + 8)) });
    }
  }
  return sites;
}

function readCString(memory: Memory, address: number): string {
  const bytes: number[] = [];
  for (let a = address; memory.has(a, 1) && memory.u8(a) !== 0 && bytes.length < 4096; a++) bytes.push(memory.u8(a));
  return new TextDecoder().decode(new Uint8Array(bytes));
}

type MappingKind = 'code' | 'data';
interface MappingPoint {
  readonly address: number;
  readonly kind: MappingKind;
}

/** The ARM mapping symbols ($t, $a code; $d data; optionally `.suffix`) of one section, by address. */
function mappingPoints(elf: ExecutableFile, section: ExecutableSectionHeader): MappingPoint[] {
  return elf.symbols
    .filter((s) => s.section === section.index && /^\$[atd](\.|$)/.test(s.name))
    .map((s): MappingPoint => ({ address: s.value, kind: s.name[1] === 'd' ? 'data' : 'code' }))
    .sort((a, b) => a.address - b.address);
}

/** [start, end) cut where the mapping symbols switch between code and data. */
function regions(points: readonly MappingPoint[], start: number, end: number): { start: number; end: number; kind: MappingKind }[] {
  let kind: MappingKind = [...points].reverse().find((p) => p.address <= start)?.kind ?? 'code';
  const out: { start: number; end: number; kind: MappingKind }[] = [];
  let from = start;
  for (const p of points.filter((q) => q.address > start && q.address < end)) {
    if (p.kind === kind) continue;
    out.push({ start: from, end: p.address, kind });
    from = p.address;
    kind = p.kind;
  }
  out.push({ start: from, end, kind });
  return out;
}

const hex = (n: number, digits = 0): string => n.toString(16).padStart(digits, '0');

function dataLines(memory: Memory, start: number, end: number): DisasmLine[] {
  const lines: DisasmLine[] = [];
  for (let a = start; a < end;) {
    if (a % 4 === 0 && end - a >= 4) {
      lines.push({ address: a, halfwords: [memory.u16(a), memory.u16(a + 2)], kind: 'data', text: `.word 0x${hex(memory.u32(a), 8)}` });
      a += 4;
    } else if (a % 2 === 0 && end - a >= 2) {
      lines.push({ address: a, halfwords: [memory.u16(a)], kind: 'data', text: `.short 0x${hex(memory.u16(a), 4)}` });
      a += 2;
    } else {
      lines.push({ address: a, halfwords: [memory.u8(a)], kind: 'data', text: `.byte 0x${hex(memory.u8(a), 2)}` });
      a += 1;
    }
  }
  return lines;
}

/** Instructions of [start, end), with IT blocks tracked; a halfword no row decodes is `.short`. */
interface CodeLine {
  readonly line: DisasmLine;
  /** A branch's target address. */
  readonly target?: number;
  /** A `udf`'s immediate: the trap kind of our trap sites. */
  readonly udf?: number;
}

function codeLines(memory: Memory, start: number, end: number): CodeLine[] {
  const out: CodeLine[] = [];
  let itConds: Cond[] = [];
  let a = start;
  for (; a + 2 <= end;) {
    const hw1 = memory.u16(a);
    const wide = isThumb32(hw1) && a + 4 <= end;
    const hw2 = wide ? memory.u16(a + 2) : 0;
    const decoded = isThumb32(hw1) && !wide ? undefined : decodeThumb(hw1, hw2);
    if (decoded === undefined) {
      // One halfword at a time: if this was data, the next halfword may be code again.
      out.push({ line: { address: a, halfwords: [hw1], kind: 'data', text: `.short 0x${hex(hw1, 4)}` } });
      itConds = [];
      a += 2;
      continue;
    }
    const text = formatDecoded(decoded, a, itConds.shift());
    if (decoded.encoding.mnemonic === 'it') itConds = itBlockConditions(decoded);
    const isBranch = decoded.encoding.syntax.includes('{offset}');
    const target = isBranch ? (a + 4 + (decoded.operands.offset ?? 0)) >>> 0 : undefined;
    const udf = decoded.encoding.mnemonic === 'udf' ? decoded.operands.imm : undefined;
    const line: DisasmLine = { address: a, halfwords: decoded.size === 4 ? [hw1, hw2] : [hw1], kind: 'inst', text };
    out.push({ line, ...(target !== undefined ? { target } : {}), ...(udf !== undefined ? { udf } : {}) });
    a += decoded.size;
  }
  if (a < end) out.push({ line: dataLines(memory, a, end)[0]! });
  return out;
}

/** `<symbol+0xoffset>` of the function holding `address` (the nearest one below it otherwise). */
function symbolize(functions: readonly { address: number; symbols: readonly string[] }[], address: number): string | undefined {
  let best: { address: number; symbols: readonly string[] } | undefined;
  for (const f of functions) if (f.address <= address && (best === undefined || f.address > best.address)) best = f;
  if (best === undefined) return undefined;
  const offset = address - best.address;
  return `<${best.symbols[0]}${offset === 0 ? '' : `+0x${hex(offset)}`}>`;
}

/** `trap: <kind> at wasm offset 0x..`, with `in <function>` for a site inlined from another function. */
function trapAnnotation(line: DisasmLine, kind: number, sites: ReadonlyMap<number, TrapSite>, wasmName: string | undefined): string | undefined {
  const name = TRAP_KIND_NAMES.get(kind);
  if (name === undefined) return undefined;
  const site = sites.get(line.address);
  if (site === undefined) return `trap: ${name}`;
  const inlined = wasmName !== undefined && site.functionName !== wasmName ? ` in ${site.functionName}` : '';
  return `trap: ${name}${inlined} at wasm offset 0x${hex(site.wasmOffset)}`;
}

/** The Wasm name the trap table gives the code at [start, end): only when every site there
 *  agrees, since a site inlined from another function names that one. */
function nameFromTrapSites(sites: ReadonlyMap<number, TrapSite>, start: number, end: number): string | undefined {
  const names = new Set([...sites.values()].filter((t) => t.pc >= start && t.pc < end).map((t) => t.functionName));
  return names.size === 1 ? [...names][0] : undefined;
}

/**
 * The listing of every function in the firmware's executable sections, in address order.
 * `names` maps Wasm function indices to names (wasmFunctionNames of the module).
 */
export function disassembleFirmware(bytes: Uint8Array, file: string, names: ReadonlyMap<number, string> = new Map()): FunctionListing[] {
  const elf = readExecutable(bytes, file);
  const memory = imageMemory(elf, readLoadImage(bytes, file));
  const traps = readTrapSites(elf, memory, file);
  const code = elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && (s.flags & SHF_ALLOC) !== 0 && s.type !== SHT_NOBITS);
  const sectionOf = (address: number): ExecutableSectionHeader | undefined => code.find((s) => address >= s.address && address < s.address + s.size);
  const functions = sizeReport(elf, names)
    .functions.filter((f) => sectionOf(f.address) !== undefined)
    .sort((a, b) => a.address - b.address);
  const mapping = new Map(code.map((s) => [s.index, mappingPoints(elf, s)]));
  return functions.map((f): FunctionListing => {
    const section = sectionOf(f.address)!;
    const end = Math.min(f.address + f.size, section.address + section.size);
    const fromModule = f.name !== f.symbols[0] ? f.name : undefined;
    const wasmName = fromModule ?? nameFromTrapSites(traps, f.address, end);
    const lines: DisasmLine[] = [];
    for (const r of regions(mapping.get(section.index) ?? [], f.address, end)) {
      if (r.kind === 'data') {
        lines.push(...dataLines(memory, r.start, r.end));
        continue;
      }
      for (const { line, target, udf } of codeLines(memory, r.start, r.end)) {
        const annotation = target !== undefined ? symbolize(functions, target) : udf !== undefined ? trapAnnotation(line, udf, traps, wasmName) : undefined;
        lines.push(annotation !== undefined ? { ...line, annotation } : line);
      }
    }
    return { address: f.address, size: f.size, symbols: f.symbols, ...(wasmName !== undefined ? { wasmName } : {}), lines };
  });
}

/** The functions `wanted` names: by any of their symbols (`wasm$f3`, `wasm_main`, a C name) or Wasm name. */
export function selectFunction(listings: readonly FunctionListing[], wanted: string, file: string): FunctionListing[] {
  const found = listings.filter((f) => f.symbols.includes(wanted) || f.wasmName === wanted);
  if (found.length > 0) return found;
  const known = knownNames(listings);
  const near = known.filter((n) => n.toLowerCase().includes(wanted.toLowerCase()));
  const shown = [...new Set([...near, ...known])].slice(0, 8);
  throw userError('usage', `no function '${wanted}'`, { file }, `known functions include ${shown.map((n) => `'${n}'`).join(', ')} (${listings.length} in all)`);
}

/** Names a user would type: Wasm names first, then export symbols, then the rest. */
function knownNames(listings: readonly FunctionListing[]): string[] {
  const wasm = listings.flatMap((f) => (f.wasmName !== undefined ? [f.wasmName] : []));
  const symbols = listings.flatMap((f) => f.symbols);
  const exported = symbols.filter((s) => /^[A-Za-z0-9]+_/.test(s) && !s.startsWith('__'));
  return [...new Set([...wasm, ...exported, ...symbols])];
}

export function formatListing(listings: readonly FunctionListing[]): string {
  const out: string[] = [];
  for (const f of listings) {
    const [shown, ...aliases] = f.symbols;
    const wasm = f.wasmName !== undefined ? ` (${f.wasmName})` : '';
    const also = aliases.length > 0 ? ` [${aliases.join(', ')}]` : '';
    out.push(`${hex(f.address, 8)} ${shown}${wasm}${also}:`);
    for (const l of f.lines) {
      const words = l.halfwords.map((h) => hex(h, l.text.startsWith('.byte') ? 2 : 4)).join(' ');
      const note = l.annotation === undefined ? '' : l.annotation.startsWith('<') ? ` ${l.annotation}` : `  ; ${l.annotation}`;
      out.push(`${hex(l.address).padStart(8)}:  ${words.padEnd(10)}  ${l.text}${note}`);
    }
    out.push('');
  }
  return out.join('\n');
}

export interface DisasmOptions {
  /** The module the firmware was built from, for Wasm names (compiled again when C or AssemblyScript). */
  readonly module?: string;
  /** Only this function: a symbol or a Wasm name. */
  readonly function?: string;
  readonly source?: SourceOptions;
}

/** Reads the firmware (and the module, when given) and lists its functions. */
export async function disasmFirmware(elfPath: string, options: DisasmOptions = {}): Promise<FunctionListing[]> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(elfPath);
  } catch (e) {
    throw userError('input', (e as Error).message, { file: elfPath });
  }
  let names = new Map<number, string>();
  if (options.module !== undefined) {
    const loaded = await loadWasm(options.module, options.source ?? {});
    names = wasmFunctionNames(decodeModule(loaded.bytes, loaded.file));
  }
  const listings = disassembleFirmware(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), elfPath, names);
  return options.function === undefined ? listings : selectFunction(listings, options.function, elfPath);
}
