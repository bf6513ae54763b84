// Interrupt veneers (docs/abi.md, "Interrupts"): the code a vector table entry points at
// when the project binds an IRQ line (or SysTick) to a module's exported handler.
//
//     push  {r9, lr}                 ; the interrupted code's r9, and EXC_RETURN
//     movw  r9, #:lower16:__mcu_linear_memory
//     movt  r9, #:upper16:__mcu_linear_memory
//     bl    <handler>                ; an AAPCS () -> () function
//     pop   {r9, pc}                 ; r9 back; loading EXC_RETURN into pc returns
//
// r9 is not in the frame the hardware stacks, and code built without -ffixed-r9 (libgcc)
// may hold anything in it when the interrupt arrives, so the veneer sets it for the handler
// and gives the interrupted code its own back. The pair pushed keeps the 8-byte alignment
// the exception entry established. Each veneer defines the vector's strong symbol, which
// replaces runtime-c's weak default (runtime-c/mcu_interrupts.h).

import type { ObjectFile, ObjReloc, ObjSymbol } from '../elf/object.js';
import { encode } from './encoder.js';
import { LR, PC, R9, type MInst } from './mir.js';

/** Where linear memory starts: what r9 holds in Wasm code (docs/abi.md). */
export const LINEAR_MEMORY_SYMBOL = '__mcu_linear_memory';

export interface InterruptVeneerSpec {
  /** The vector symbol the veneer defines, e.g. `__mcu_irq5_handler`, `__mcu_systick_handler`. */
  readonly vector: string;
  /** The global symbol of the handler (an export's `<prefix>_<name>`). */
  readonly handler: string;
}

/** The vector symbol of IRQ line `irq` (runtime-c/mcu_interrupts.h). */
export const irqVectorSymbol = (irq: number): string => `__mcu_irq${irq}_handler`;
/** The SysTick hook clock.c calls after counting the millisecond. */
export const SYSTICK_VECTOR_SYMBOL = '__mcu_systick_handler';

export function interruptVeneerInstructions(handler: string, memoryBase: string): MInst[] {
  const base = { name: memoryBase, addend: 0 };
  return [
    { op: 'push', regs: [R9, LR] },
    { op: 'movw', rd: R9, imm: 0, sym: base },
    { op: 'movt', rd: R9, imm: 0, sym: base },
    { op: 'bl', sym: { name: handler, addend: 0 } },
    { op: 'pop', regs: [R9, PC] },
  ];
}

/** One object with a veneer per binding, each a global function named by its vector. */
export function buildInterruptVeneers(specs: readonly InterruptVeneerSpec[], memoryBase = LINEAR_MEMORY_SYMBOL): ObjectFile {
  const section = '.text.mcu_interrupt_veneers';
  const bytes: number[] = [];
  const relocs: ObjReloc[] = [];
  const defined: ObjSymbol[] = [];
  for (const spec of specs) {
    const start = bytes.length;
    for (const inst of interruptVeneerInstructions(spec.handler, memoryBase)) {
      const encoded = encode(inst, { inIT: false });
      if (encoded.reloc !== undefined) {
        const { type, symbol, addend, at } = encoded.reloc;
        relocs.push({ offset: bytes.length + at, type, symbol, addend });
      }
      for (const h of encoded.halfwords) bytes.push(h & 0xff, h >>> 8);
    }
    defined.push({ name: spec.vector, section, value: start, size: bytes.length - start, binding: 'global', type: 'func' });
  }
  const referenced = [...new Set(relocs.map((r) => r.symbol))];
  const undefinedSymbols: ObjSymbol[] = referenced.map((name) => ({ name, section: null, value: 0, size: 0, binding: 'global', type: 'notype' }));
  const sectionSymbol: ObjSymbol = { name: section, section, value: 0, size: 0, binding: 'local', type: 'section' };
  return {
    name: 'mcu-interrupts.o',
    sections: [{ name: section, kind: 'text', align: 4, bytes: Uint8Array.from(bytes), size: bytes.length, relocs }],
    symbols: [sectionSymbol, ...defined, ...undefinedSymbols],
  };
}
