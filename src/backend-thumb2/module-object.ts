// The module object: a module's emitted functions, globals, tables, data segments, trap
// table and module descriptor, as one ELF relocatable object (docs/abi.md).
//
// Layout, in this order so that compiling twice gives identical bytes:
//   .text    every defined function, each 4-aligned, in function index order
//   .data    one word (i32/f32) or two (i64/f64) per defined global, little-endian;
//            then one data.drop flag byte per data segment
//   .rodata  __mcu_module, tables, the data segment table, the trap table, the
//            memory.init segment table, data segment bytes (active, then passive),
//            function name strings

import { InternalError } from '../diagnostics/errors.js';
import type { ObjectFile, ObjReloc, ObjSection, ObjSymbol, SectionKind } from '../elf/object.js';
import type { IrModule } from '../ir/module.js';
import type { EmittedFunction } from './emit.js';
import { buildInstanceSections, veneeredFunctions, type MultiModuleOptions } from './module-instance.js';
import { buildReferenceSections } from './module-references.js';
import { buildProfileMap, encodeProfileMap, PROFILE_MAP_SECTION } from './profile-map.js';
import { MODULE_DESCRIPTOR_SYMBOL, exportSymbol, funcRefSymbol, functionSymbol, globalSymbol, moduleDescriptorSymbol, veneerSymbol } from './symbols.js';

export interface ModuleObjectOptions {
  /** Name of the export the runtime calls as the program's entry, () -> (). Default "_start". */
  entryExport?: string;
  /** Object name for messages. Default "<prefix>.o". */
  objectName?: string;
  /** Set when the module is one of several in a firmware (module-instance.ts). */
  multiModule?: MultiModuleOptions;
  /** Add the profile map (profile-map.ts) as the non-allocated section `.mcu_aot.pgo_map`. */
  profileMap?: boolean;
}

const ABI_VERSION = 1;
const NO_MAX_PAGES = 0xffffffff;
/** Thumb `nop` (T1): pads between functions so that disassembly stays in step. */
const THUMB_NOP = 0xbf00;
const DESCRIPTOR_SIZE = 52;
const TRAP_SITE_SIZE = 12;
const DATA_SEGMENT_SIZE = 12;
/** struct mcu_segment: { bytes, size } per data segment, for memory.init. */
const SEGMENT_ENTRY_SIZE = 8;

/** Bytes, relocations and symbols of one section under construction. */
export class SectionBuilder {
  private bytes: number[] = [];
  readonly relocs: ObjReloc[] = [];
  readonly symbols: ObjSymbol[] = [];

  constructor(
    readonly name: string,
    readonly kind: SectionKind,
    readonly align: number,
  ) {}

  get size(): number {
    return this.bytes.length;
  }

  /** Pad to a multiple of `alignment` with `fill` halfwords (or zero bytes). */
  alignTo(alignment: number, fillHalfword?: number): void {
    while (this.bytes.length % alignment !== 0) {
      if (fillHalfword !== undefined && this.bytes.length % 2 === 0 && alignment - (this.bytes.length % alignment) >= 2) {
        this.bytes.push(fillHalfword & 0xff, fillHalfword >>> 8);
      } else {
        this.bytes.push(0);
      }
    }
  }

  appendBytes(data: Uint8Array): void {
    for (const b of data) this.bytes.push(b);
  }

  word(value: number): void {
    const v = value >>> 0;
    this.bytes.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  }

  /** A 32-bit pointer to `symbol + addend`, filled in by the linker (R_ARM_ABS32). */
  pointer(symbol: string, addend = 0): void {
    this.relocs.push({ offset: this.size, type: 'R_ARM_ABS32', symbol, addend });
    this.word(0);
  }

  /** A pointer into this same section, `offset` bytes from its start. */
  pointerHere(offset: number): void {
    this.pointer(this.name, offset);
  }

  /** A null pointer when `symbol` is undefined, else a pointer to `symbol + addend`. */
  optionalPointer(symbol: string | undefined, addend = 0): void {
    if (symbol === undefined) this.word(0);
    else this.pointer(symbol, addend);
  }

  addReloc(r: ObjReloc): void {
    this.relocs.push(r);
  }

  defineSymbol(name: string, value: number, size: number, binding: ObjSymbol['binding'], type: ObjSymbol['type']): void {
    this.symbols.push({ name, section: this.name, value, size, binding, type });
  }

  finish(): ObjSection {
    return { name: this.name, kind: this.kind, align: this.align, bytes: Uint8Array.from(this.bytes), size: this.bytes.length, relocs: this.relocs };
  }
}

interface PlacedFunction {
  readonly index: number;
  readonly name: string;
  readonly offset: number;
  readonly code: EmittedFunction;
}

export function buildModuleObject(mod: IrModule, functions: readonly EmittedFunction[], opts: ModuleObjectOptions = {}): ObjectFile {
  if (functions.length !== mod.bodies.length) {
    throw new InternalError('module object', `${functions.length} emitted functions for ${mod.bodies.length} bodies`);
  }
  const text = new SectionBuilder('.text', 'text', 4);
  const data = new SectionBuilder('.data', 'data', 8);
  const rodata = new SectionBuilder('.rodata', 'rodata', 4);

  const multi = opts.multiModule;
  const veneered = multi === undefined ? new Set<number>() : veneeredFunctions(mod, multi);
  const descriptorSymbol = multi === undefined || multi.entry ? MODULE_DESCRIPTOR_SYMBOL : moduleDescriptorSymbol(mod.prefix);
  const placed = placeFunctions(mod, functions, text, veneered);
  placeGlobals(mod, data);
  const droppedFlags = placeSegmentDroppedFlags(mod, data);
  buildReadOnlyData(mod, placed, rodata, opts.entryExport ?? '_start', droppedFlags, { descriptorSymbol, veneered });
  const references = buildReferenceSections(mod, (index) => veneered.has(index));
  const instance = multi === undefined ? undefined : buildInstanceSections(mod, multi, descriptorSymbol);

  // An empty section stays when it defines symbols: code may name them (an empty element segment's items).
  const builders = [text, data, rodata, references.rodata, references.data, ...(instance?.builders ?? [])].filter((b) => b === text || b === data || b === rodata || b.size > 0 || b.symbols.length > 0);
  const sections = [
    ...builders.map((s) => s.finish()),
    ...(instance?.bss === undefined ? [] : [instance.bss.section]),
    ...(opts.profileMap === true ? [profileMapSection(mod, placed)] : []),
  ];
  const sectionSymbols: ObjSymbol[] = sections.map((s) => ({ name: s.name, section: s.name, value: 0, size: 0, binding: 'local', type: 'section' }));
  const symbols = [...sectionSymbols, ...builders.flatMap((b) => b.symbols), ...(instance?.bss?.symbols ?? [])];
  const undefinedSymbols = collectUndefinedSymbols(sections, symbols);
  return { name: opts.objectName ?? `${mod.prefix}.o`, sections, symbols: [...orderLocalsFirst(symbols), ...undefinedSymbols] };
}

/** The profile map of the placed functions, as a non-allocated section. */
function profileMapSection(mod: IrModule, placed: readonly PlacedFunction[]): ObjSection {
  const map = buildProfileMap(mod, placed.map((p) => ({
    index: p.index,
    name: p.name,
    size: p.code.bytes.length,
    blockOffsets: p.code.blockOffsets,
    sites: p.code.sites ?? { branches: [], calls: [], blockKeys: [] },
  })));
  const bytes = encodeProfileMap(map);
  return { name: PROFILE_MAP_SECTION, kind: 'other', align: 1, bytes, size: bytes.length, relocs: [] };
}

/** .text: each function 4-aligned, with its local symbol and a global alias per export name. */
function placeFunctions(mod: IrModule, functions: readonly EmittedFunction[], text: SectionBuilder, veneered: ReadonlySet<number>): PlacedFunction[] {
  return mod.bodies.map((body, i) => {
    const code = functions[i]!;
    text.alignTo(4, THUMB_NOP);
    const offset = text.size;
    text.appendBytes(code.bytes);
    for (const r of code.relocs) text.addReloc({ ...r, offset: r.offset + offset });
    text.defineSymbol(functionSymbol(mod, body.index), offset, code.bytes.length, 'local', 'func');
    const decl = mod.functions[body.index];
    if (decl === undefined) throw new InternalError('module object', `body ${i} has function index ${body.index} outside the index space`);
    // A veneered function's exports name its veneer (module-instance.ts).
    if (!veneered.has(body.index)) for (const name of decl.exports) text.defineSymbol(exportSymbol(mod, name), offset, code.bytes.length, 'global', 'func');
    return { index: body.index, name: decl.name || body.name, offset, code };
  });
}

/** .data: a defined global's initial value, little-endian, low word first for 64-bit types. */
function placeGlobals(mod: IrModule, data: SectionBuilder): void {
  mod.globals.forEach((g, index) => {
    if (g.import !== undefined) return; // the exporter's storage (symbols.ts globalSymbol)
    const wide = g.type === 'i64' || g.type === 'f64';
    data.alignTo(wide ? 8 : 4);
    const offset = data.size;
    const bits = BigInt.asUintN(64, BigInt(g.init));
    if (g.initFunc !== undefined) data.pointer(funcRefSymbol(mod, g.initFunc));
    else data.word(Number(bits & 0xffffffffn));
    if (wide) data.word(Number(bits >> 32n));
    data.defineSymbol(globalSymbol(mod, index), offset, wide ? 8 : 4, 'local', 'object');
    // Exported: a global symbol `<prefix>_<name>` at the storage, for importers and C.
    for (const name of g.exports) data.defineSymbol(exportSymbol(mod, name), offset, wide ? 8 : 4, 'global', 'object');
  });
}

/** .data: one byte per data segment, set by data.drop (runtime-c/bulk_memory.c); its offset. */
function placeSegmentDroppedFlags(mod: IrModule, data: SectionBuilder): number | undefined {
  const count = mod.dataSegments?.length ?? 0;
  if (count === 0) return undefined;
  data.alignTo(4);
  const offset = data.size;
  data.appendBytes(new Uint8Array(count));
  data.alignTo(4);
  data.defineSymbol(`${mod.prefix}$data_dropped`, offset, count, 'local', 'object');
  return offset;
}

/** How the descriptor is named and which functions it must enter through veneers. */
interface DescriptorNaming {
  readonly descriptorSymbol: string;
  readonly veneered: ReadonlySet<number>;
}

function buildReadOnlyData(mod: IrModule, placed: readonly PlacedFunction[], rodata: SectionBuilder, entryExport: string, droppedFlags: number | undefined, naming: DescriptorNaming): void {
  // Fixed-size parts first, so every offset is known before the variable-size parts.
  const descriptorOffset = 0;
  let cursor = DESCRIPTOR_SIZE;
  const dataTableOffset = cursor;
  cursor += DATA_SEGMENT_SIZE * mod.data.length;
  const traps = collectTrapSites(placed);
  const trapTableOffset = cursor;
  cursor += TRAP_SITE_SIZE * traps.length;
  const segments = mod.dataSegments ?? [];
  const segmentTableOffset = cursor;
  cursor += SEGMENT_ENTRY_SIZE * segments.length;
  const segmentOffsets: number[] = [];
  for (const seg of mod.data) {
    segmentOffsets.push(cursor);
    cursor += seg.bytes.length;
  }
  const passiveOffsets = segments.map((bytes) => {
    const at = cursor;
    cursor += bytes?.length ?? 0;
    return at;
  });
  const nameOffsets = new Map<number, number>();
  const encoder = new TextEncoder();
  const named = new Set(traps.map((t) => t.funcIndex));
  for (const p of placed) {
    if (!named.has(p.index)) continue;
    nameOffsets.set(p.index, cursor);
    cursor += encoder.encode(p.name).length + 1;
  }

  writeDescriptor(mod, rodata, entryExport, naming.veneered, {
    nData: mod.data.length,
    dataTable: mod.data.length > 0 ? dataTableOffset : undefined,
    nTraps: traps.length,
    trapTable: traps.length > 0 ? trapTableOffset : undefined,
    nSegments: segments.length,
    segmentTable: segments.length > 0 ? segmentTableOffset : undefined,
    droppedFlags,
  });
  rodata.defineSymbol(naming.descriptorSymbol, descriptorOffset, DESCRIPTOR_SIZE, 'global', 'object');

  expectAt(rodata, dataTableOffset, 'data segment table');
  mod.data.forEach((seg, i) => {
    rodata.word(seg.offset);
    rodata.pointerHere(segmentOffsets[i]!);
    rodata.word(seg.bytes.length);
  });

  expectAt(rodata, trapTableOffset, 'trap table');
  for (const t of traps) {
    rodata.pointer('.text', t.pc);
    rodata.word(t.srcOffset);
    rodata.pointerHere(nameOffsets.get(t.funcIndex)!);
  }

  expectAt(rodata, segmentTableOffset, 'segment table');
  segments.forEach((bytes, i) => {
    if (bytes === null) rodata.word(0);
    else rodata.pointerHere(passiveOffsets[i]!);
    rodata.word(bytes?.length ?? 0);
  });

  mod.data.forEach((seg, i) => {
    expectAt(rodata, segmentOffsets[i]!, `data segment ${i}`);
    rodata.appendBytes(seg.bytes);
  });
  segments.forEach((bytes, i) => {
    expectAt(rodata, passiveOffsets[i]!, `passive data segment ${i}`);
    if (bytes !== null) rodata.appendBytes(bytes);
  });

  for (const p of placed) {
    const at = nameOffsets.get(p.index);
    if (at === undefined) continue;
    expectAt(rodata, at, `name of function ${p.index}`);
    rodata.appendBytes(encoder.encode(p.name));
    rodata.appendBytes(new Uint8Array(1));
  }
}

interface DescriptorTables {
  nData: number;
  dataTable: number | undefined;
  nTraps: number;
  trapTable: number | undefined;
  nSegments: number;
  segmentTable: number | undefined;
  /** Offset of the dropped flags in .data. */
  droppedFlags: number | undefined;
}

/** struct mcu_module (runtime-c/mcu_module.h), field by field. */
function writeDescriptor(mod: IrModule, rodata: SectionBuilder, entryExport: string, veneered: ReadonlySet<number>, tables: DescriptorTables): void {
  const entry = exportedFunctionWithSignature(mod, entryExport, [], []);
  const main = entry === undefined ? exportedFunctionWithSignature(mod, 'main', [], ['i32']) : undefined;
  // Through the veneer when there is one: runtime-c calls them with the primary memory in r9.
  const code = (index: number | undefined): string | undefined =>
    index === undefined ? undefined : veneered.has(index) ? veneerSymbol(mod, index) : functionSymbol(mod, index);
  rodata.word(ABI_VERSION);
  rodata.optionalPointer(code(mod.start));
  rodata.optionalPointer(code(entry));
  rodata.optionalPointer(code(main));
  rodata.word(mod.memory?.minPages ?? 0);
  rodata.word(mod.memory?.maxPages ?? NO_MAX_PAGES);
  rodata.word(tables.nData);
  rodata.optionalPointer(tables.dataTable === undefined ? undefined : rodata.name, tables.dataTable);
  rodata.word(tables.nTraps);
  rodata.optionalPointer(tables.trapTable === undefined ? undefined : rodata.name, tables.trapTable);
  rodata.word(tables.nSegments);
  rodata.optionalPointer(tables.segmentTable === undefined ? undefined : rodata.name, tables.segmentTable);
  rodata.optionalPointer(tables.droppedFlags === undefined ? undefined : '.data', tables.droppedFlags);
}

/** The index of the function exported as `name` when its signature is exactly params -> results. */
function exportedFunctionWithSignature(mod: IrModule, name: string, params: readonly string[], results: readonly string[]): number | undefined {
  const decl = mod.functions.find((f) => f.exports.includes(name));
  if (decl === undefined) return undefined;
  const sig = mod.signatures[decl.sigIndex];
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);
  return sig !== undefined && same(sig.params, params) && same(sig.results, results) ? decl.index : undefined;
}

interface TrapEntry {
  readonly pc: number;
  readonly srcOffset: number;
  /** The function a trap report names: where the trap site's code came from. */
  readonly funcIndex: number;
}

/** Every trap site as an offset in .text, sorted by that offset (the runtime searches it).
 *  A site inlined from another function names that function. */
function collectTrapSites(placed: readonly PlacedFunction[]): TrapEntry[] {
  const defined = new Set(placed.map((p) => p.index));
  const entries = placed.flatMap((p) => p.code.trapSites.map((s) => {
    const funcIndex = s.funcIndex ?? p.index;
    if (!defined.has(funcIndex)) throw new InternalError('module object', `trap site in ${p.name} comes from function ${funcIndex}, which the module does not define`);
    return { pc: p.offset + s.offset, srcOffset: s.srcOffset, funcIndex };
  }));
  return entries.sort((a, b) => a.pc - b.pc);
}

function expectAt(section: SectionBuilder, offset: number, what: string): void {
  if (section.size !== offset) throw new InternalError('module object', `${what} at ${section.size}, planned at ${offset}`);
}

/** Symbols that relocations name but no section defines: imports, as undefined globals. */
function collectUndefinedSymbols(sections: readonly ObjSection[], defined: readonly ObjSymbol[]): ObjSymbol[] {
  const known = new Set(defined.map((s) => s.name));
  const missing: string[] = [];
  for (const s of sections) {
    for (const r of s.relocs) {
      if (!known.has(r.symbol)) {
        known.add(r.symbol);
        missing.push(r.symbol);
      }
    }
  }
  return missing.map((name) => ({ name, section: null, value: 0, size: 0, binding: 'global', type: 'notype' }));
}

/** ELF wants every local symbol before the first global one. */
function orderLocalsFirst(symbols: readonly ObjSymbol[]): ObjSymbol[] {
  return [...symbols.filter((s) => s.binding === 'local'), ...symbols.filter((s) => s.binding !== 'local')];
}
