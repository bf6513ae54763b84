// Memory layout: which output section each input section goes to, and every address.
//
//   FLASH: .vectors (the vector section, at the origin) | .text | .rodata (+ .mcu*) | .data image
//   RAM:   machine stack | .data | .bss (+COMMON) | memory context (8 bytes) | linear memory
//
// The stack sits at the bottom of RAM so that overflowing it faults below RAM instead of
// corrupting data. Linear memory gets the rest of RAM (or the requested physical size).

import { userError } from '../diagnostics/errors.js';
import type { ExecutableSectionKind } from '../elf/write-executable.js';
import type { InputSection } from './input.js';
import type { LinkOptions } from './link.js';

export interface Placement {
  readonly input: InputSection;
  readonly address: number;
}

export interface OutputSection {
  readonly name: string;
  readonly kind: ExecutableSectionKind;
  readonly vma: number;
  readonly lma: number;
  readonly align: number;
  readonly size: number;
  readonly placements: readonly Placement[];
}

export interface LinearMemoryLayout {
  readonly base: number;
  readonly physicalBytes: number;
  readonly declaredBytes: number;
  readonly fitted: boolean;
}

export interface Layout {
  /** Non-empty output sections in address order (flash first). */
  readonly sections: readonly OutputSection[];
  readonly addressOf: ReadonlyMap<InputSection, number>;
  /** The symbols the linker defines (__stack_top, __data_load, ...). */
  readonly linkerSymbols: ReadonlyMap<string, number>;
  readonly flashUsed: number;
  readonly ramUsed: number;
  readonly linearMemory?: LinearMemoryLayout;
}

/** The names of the symbols the linker defines; objects may reference them. */
export const LINKER_SYMBOLS = [
  '__stack_bottom',
  '__stack_top',
  '__data_load',
  '__data_start',
  '__data_end',
  '__bss_start',
  '__bss_end',
  '__mcu_linear_memory',
  '__mcu_linear_memory_end',
  '__flash_end',
] as const;

const MEMORY_CONTEXT_BYTES = 8;

type Slot = 'vectors' | 'text' | 'rodata' | 'data' | 'bss';

function slotOf(s: InputSection, vectorSection: string): Slot | undefined {
  const { name, kind } = s.section;
  if (name === vectorSection) return 'vectors';
  if (name.startsWith('.mcu') && kind !== 'bss' && kind !== 'data') return 'rodata';
  return kind === 'other' ? undefined : kind;
}

function alignUp(v: number, a: number): number {
  return Math.ceil(v / a) * a;
}

/** Place `inputs` one after another from `start`; returns the placements and the end. */
function pack(inputs: readonly InputSection[], start: number): { placements: Placement[]; end: number; align: number } {
  let at = start;
  let align = 4;
  const placements: Placement[] = [];
  for (const input of inputs) {
    const a = Math.max(1, input.section.align);
    align = Math.max(align, a);
    at = alignUp(at, a);
    placements.push({ input, address: at });
    at += input.section.size;
  }
  return { placements, end: at, align };
}

function hex(v: number): string {
  return `0x${v.toString(16)}`;
}

function fitLinearMemory(options: LinkOptions, base: number, ramEnd: number): LinearMemoryLayout | undefined {
  const request = options.linearMemory;
  if (request === undefined) return undefined;
  const available = Math.max(0, Math.floor((ramEnd - base) / 8) * 8);
  if (request.physicalBytes !== undefined) {
    if (request.physicalBytes > available) {
      throw userError(
        'memory-fit',
        `${request.physicalBytes} bytes of linear memory requested, ${available} bytes of RAM left at ${hex(base)}`,
      );
    }
    return { base, physicalBytes: request.physicalBytes, declaredBytes: request.declaredBytes, fitted: false };
  }
  const wanted = Math.max(request.declaredBytes, request.maximumBytes ?? 0);
  const physicalBytes = Math.min(wanted, available);
  return { base, physicalBytes, declaredBytes: request.declaredBytes, fitted: available < request.declaredBytes };
}

export function layoutSections(live: readonly InputSection[], options: LinkOptions): Layout {
  const bySlot = new Map<Slot, InputSection[]>();
  for (const s of live) {
    const slot = slotOf(s, options.vectorSection);
    if (slot === undefined) continue;
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), s]);
  }
  const inputsOf = (slot: Slot): InputSection[] => bySlot.get(slot) ?? [];
  const sections: OutputSection[] = [];
  const addressOf = new Map<InputSection, number>();
  const emit = (name: string, kind: ExecutableSectionKind, vma: number, lma: number, inputs: readonly InputSection[]): number => {
    const { placements, end, align } = pack(inputs, vma);
    for (const p of placements) addressOf.set(p.input, p.address);
    const size = end - vma;
    if (size > 0) sections.push({ name, kind, vma, lma, align, size, placements });
    return end;
  };

  // Flash.
  const vectors = inputsOf('vectors');
  const vectorKind = vectors.some((s) => s.section.kind === 'text') ? 'text' : 'rodata';
  let flash = emit('.vectors', vectorKind, options.flash.origin, options.flash.origin, vectors);
  flash = alignUp(flash, pack(inputsOf('text'), 0).align);
  flash = emit('.text', 'text', flash, flash, inputsOf('text'));
  flash = alignUp(flash, pack(inputsOf('rodata'), 0).align);
  flash = emit('.rodata', 'rodata', flash, flash, inputsOf('rodata'));

  // RAM, with .data's image in flash.
  const ram = options.ram;
  const stackTop = ram.origin + alignUp(options.stackSize, 8);
  const dataAlign = pack(inputsOf('data'), 0).align;
  const dataStart = alignUp(stackTop, dataAlign);
  const dataLoad = alignUp(flash, dataAlign);
  const dataEnd = emit('.data', 'data', dataStart, dataLoad, inputsOf('data'));
  const flashEnd = dataLoad + (dataEnd - dataStart);
  const bssStart = alignUp(dataEnd, pack(inputsOf('bss'), 0).align);
  const bssEnd = emit('.bss', 'bss', bssStart, bssStart, inputsOf('bss'));
  const context = alignUp(bssEnd, 8);
  const linearBase = context + MEMORY_CONTEXT_BYTES;
  const ramEnd = ram.origin + ram.size;

  const flashLimit = options.flash.origin + options.flash.size;
  if (flashEnd > flashLimit) {
    throw userError(
      'link',
      `flash overflow: the image needs ${flashEnd - options.flash.origin} bytes, flash has ${options.flash.size} (over by ${flashEnd - flashLimit})`,
    );
  }
  if (linearBase > ramEnd) {
    throw userError(
      'link',
      `RAM overflow: stack ${options.stackSize} + data ${dataEnd - dataStart} + bss ${bssEnd - bssStart} + memory context need ${linearBase - ram.origin} bytes, RAM has ${ram.size} (over by ${linearBase - ramEnd})`,
    );
  }
  const linearMemory = fitLinearMemory(options, linearBase, ramEnd);
  const linearEnd = linearBase + (linearMemory?.physicalBytes ?? 0);

  const linkerSymbols = new Map<string, number>([
    ['__stack_bottom', ram.origin],
    ['__stack_top', stackTop],
    ['__data_load', dataLoad],
    ['__data_start', dataStart],
    ['__data_end', dataEnd],
    ['__bss_start', bssStart],
    ['__bss_end', bssEnd],
    ['__mcu_linear_memory', linearBase],
    ['__mcu_linear_memory_end', linearEnd],
    ['__flash_end', flashEnd],
  ]);
  return {
    sections,
    addressOf,
    linkerSymbols,
    flashUsed: flashEnd - options.flash.origin,
    ramUsed: (linearMemory !== undefined ? linearEnd : bssEnd) - ram.origin,
    ...(linearMemory !== undefined ? { linearMemory } : {}),
  };
}
