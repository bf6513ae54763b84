// The linker: ELF32 ARM objects and archives in, firmware out (ELF executable, .bin, .hex,
// map file). The stages, in order: resolve symbols (extracting archive members on demand),
// collect live sections (gc), report undefined symbols, lay out memory, relocate, write.
// It knows ELF and relocations, never the IR.

import { userError } from '../diagnostics/errors.js';
import type { ObjectFile } from '../elf/object.js';
import { writeExecutable } from '../elf/write-executable.js';
import { allSections, collectLiveSections } from './gc.js';
import { layoutSections, LINKER_SYMBOLS } from './layout.js';
import { mapFile } from './map-file.js';
import { outputSymbols } from './output-symbols.js';
import { flashImage, intelHex } from './outputs.js';
import { relocateAll, targetAddress } from './relocate.js';
import { reportUndefined, resolveSymbols } from './resolve.js';

export interface LinkInput {
  objects: ObjectFile[];
  archives: { name: string; members: ObjectFile[] }[];
}

export interface LinkOptions {
  flash: { origin: number; size: number };
  ram: { origin: number; size: number };
  /** Machine stack, placed at the bottom of RAM: [ram.origin, ram.origin+stackSize), __stack_top = its top. */
  stackSize: number;
  /** 'Reset_Handler' */
  entry: string;
  /** Input sections with this name go first in flash (the vector table) and are GC roots. */
  vectorSection: string;
  /** Drop sections not reachable from the vector section, the entry and `keep`. */
  gcSections: boolean;
  /** Extra root symbols. */
  keep?: string[];
  /** Non-allocated sections written into the ELF as they are (e.g. `.mcu_aot.board`). */
  infoSections?: { name: string; bytes: Uint8Array }[];
  /** Linear memory after everything else in RAM: 8 bytes of memory context then the memory, 8-aligned, up to the end of RAM. */
  linearMemory?: {
    declaredBytes: number;
    physicalBytes?: number;
    /** What memory.grow may reach (the declared maximum): without physicalBytes, linear memory
     *  gets up to this much of the RAM left, so it can grow; fitting still compares the
     *  RAM left with declaredBytes only. */
    maximumBytes?: number;
  };
}

export interface LinkResult {
  elf: Uint8Array;
  bin: Uint8Array;
  hex: string;
  map: string;
  /** Global and linker-defined symbols with their addresses (functions with the Thumb bit). */
  symbols: Map<string, number>;
  /** Bytes. */
  flashUsed: number;
  ramUsed: number;
  linearMemory?: { base: number; physicalBytes: number; declaredBytes: number; fitted: boolean };
}

export function link(inputs: LinkInput, options: LinkOptions): LinkResult {
  const roots = [options.entry, ...(options.keep ?? [])];
  const table = resolveSymbols(inputs.objects, inputs.archives, new Set(LINKER_SYMBOLS), roots);
  const live = collectLiveSections(table, { vectorSection: options.vectorSection, symbols: roots }, options.gcSections);
  reportUndefined(table, live, roots);

  const layout = layoutSections(live, options);
  const contents = relocateAll(table, layout);
  const entry = targetAddress(table.resolveGlobal(options.entry), layout);
  if (entry === undefined) throw userError('link', `entry point '${options.entry}' is not in a linked section`);

  const symbols = outputSymbols(table, live, layout);
  const elf = writeExecutable({
    entry,
    sections: layout.sections.map((s) => ({ ...s, bytes: contents.get(s.name)! })),
    symbols,
    ...(options.infoSections !== undefined ? { infoSections: options.infoSections } : {}),
  });
  const image = flashImage(layout.sections, contents);
  const liveSet = new Set(live);
  const discarded = allSections(table).filter((s) => !liveSet.has(s));

  const symbolMap = new Map<string, number>();
  for (const s of symbols) {
    if (s.binding === 'local') continue;
    symbolMap.set(s.name, s.type === 'func' && s.section !== null ? (s.value | 1) >>> 0 : s.value >>> 0);
  }
  return {
    elf,
    bin: image.bytes,
    hex: intelHex(image, entry),
    map: mapFile(layout, options, discarded),
    symbols: symbolMap,
    flashUsed: layout.flashUsed,
    ramUsed: layout.ramUsed,
    ...(layout.linearMemory !== undefined ? { linearMemory: { ...layout.linearMemory } } : {}),
  };
}
