// Entry veneers (docs/abi.md, "Several modules in one firmware"): in a firmware of several
// modules, r9 is the linear memory base of the module whose code runs. Every way into a
// module from outside (its exports, the function references it hands out, its start
// function) goes through a veneer that saves the caller's r9, loads the module's own
// memory base, calls the function and restores r9:
//
//     push  {r9, lr}
//     sub   sp, sp, #N          ; only when arguments are passed on the stack:
//     ldr   r12, [sp, #N+8+k]   ;   copy them below the saved pair, so the callee
//     str   r12, [sp, #k]       ;   finds them at [sp] as the AAPCS wants
//     movw  r9, #:lower16:base
//     movt  r9, #:upper16:base
//     bl    <function>
//     add   sp, sp, #N
//     pop   {r9, pc}
//
// The pair pushed keeps the stack 8-byte aligned; results in r0-r3 pass through.

import type { ObjReloc } from '../elf/object.js';
import type { IrModule } from '../ir/module.js';
import { encode } from './encoder.js';
import { assignArguments } from './isel/calls.js';
import { LR, PC, R9, SP, type MInst } from './mir.js';

/** r12 (IP): free to clobber in a veneer, as in any AAPCS veneer. */
const IP = 12;

export interface Veneer {
  /** Defined function index. */
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly relocs: readonly ObjReloc[];
}

/** The instructions of the veneer for function `index` that calls `target` with r9 = `memoryBase`. */
export function veneerInstructions(mod: IrModule, index: number, target: string, memoryBase: string): MInst[] {
  const decl = mod.functions[index]!;
  const sig = mod.signatures[decl.sigIndex]!;
  const stackBytes = (assignArguments(sig.params).stackBytes + 7) & ~7;
  const copies: MInst[] = [];
  for (let k = 0; k < stackBytes; k += 4) {
    copies.push({ op: 'ldr', rt: IP, addr: { kind: 'imm', rn: SP, offset: stackBytes + 8 + k } });
    copies.push({ op: 'str', rt: IP, addr: { kind: 'imm', rn: SP, offset: k } });
  }
  const reserve: MInst[] = stackBytes === 0 ? [] : [{ op: 'sub', rd: SP, rn: SP, src: { kind: 'imm', value: stackBytes }, s: 'keep' }];
  const release: MInst[] = stackBytes === 0 ? [] : [{ op: 'add', rd: SP, rn: SP, src: { kind: 'imm', value: stackBytes }, s: 'keep' }];
  return [
    { op: 'push', regs: [R9, LR] },
    ...reserve,
    ...copies,
    { op: 'movw', rd: R9, imm: 0, sym: { name: memoryBase, addend: 0 } },
    { op: 'movt', rd: R9, imm: 0, sym: { name: memoryBase, addend: 0 } },
    { op: 'bl', sym: { name: target, addend: 0 } },
    ...release,
    { op: 'pop', regs: [R9, PC] },
  ];
}

/** Encodes a veneer: its bytes and the relocations of its movw/movt and bl. */
export function encodeVeneer(mod: IrModule, index: number, target: string, memoryBase: string): Veneer {
  const halfwords: number[] = [];
  const relocs: ObjReloc[] = [];
  for (const inst of veneerInstructions(mod, index, target, memoryBase)) {
    const encoded = encode(inst, { inIT: false });
    if (encoded.reloc !== undefined) {
      const { type, symbol, addend, at } = encoded.reloc;
      relocs.push({ offset: 2 * halfwords.length + at, type, symbol, addend });
    }
    halfwords.push(...encoded.halfwords);
  }
  const bytes = new Uint8Array(2 * halfwords.length);
  halfwords.forEach((h, i) => {
    bytes[2 * i] = h & 0xff;
    bytes[2 * i + 1] = h >>> 8;
  });
  return { index, bytes, relocs };
}
