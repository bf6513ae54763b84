// Emitting hand-built machine functions and reading them back through arm-none-eabi-objdump:
// the emitted function is wrapped in an object by the ELF writer and disassembled.

import { emitFunction, type EmittedFunction } from '../../src/backend-thumb2/emit.js';
import type { MBlock, MFunction, MInst } from '../../src/backend-thumb2/mir.js';
import type { ObjectFile } from '../../src/elf/object.js';
import { writeObject } from '../../src/elf/write-object.js';
import { parseDisassembly, run, tempDir, writeFile, type DisassembledLine } from './object-oracle.js';

export const NOP: MInst = { op: 'nop' };
export const RETURN: MInst = { op: 'bx', rm: 14 };

export const block = (insts: MInst[], srcOffset = 0): MBlock => ({ insts, srcOffset });
export const fn = (...blocks: MBlock[]): MFunction => ({ symbol: 'f', name: 'f', wasmIndex: 0, blocks });
export const repeat = (inst: MInst, n: number): MInst[] => Array.from({ length: n }, () => inst);

export interface Listing {
  readonly emitted: EmittedFunction;
  readonly lines: DisassembledLine[];
  readonly relocs: { offset: number; type: string; symbol: string }[];
}

/** Emit, write as an object with one function symbol, and disassemble it (or just the [start, stop) windows). */
export function emitAndDisassemble(mf: MFunction, ...windows: [number, number][]): Listing {
  const emitted = emitFunction(mf);
  const obj: ObjectFile = {
    name: 'emit-test.o',
    sections: [{ name: '.text', kind: 'text', align: 4, bytes: emitted.bytes, size: emitted.bytes.length, relocs: emitted.relocs }],
    symbols: [{ name: 'f', section: '.text', value: 0, size: emitted.bytes.length, binding: 'global', type: 'func' }],
  };
  const path = writeFile(tempDir(), 'f.o', writeObject(obj));
  const ranges = windows.length === 0 ? [[]] : windows.map(([start, stop]) => [`--start-address=${start}`, `--stop-address=${stop}`]);
  const parts = ranges.map((range) => parseDisassembly(run('arm-none-eabi-objdump', ['-dr', ...range, path])));
  return { emitted, lines: parts.flatMap((p) => p.lines), relocs: parts.flatMap((p) => p.relocs) };
}

/** The instruction objdump shows at `offset`, as "mnemonic operands" with the <f+0x..> comment dropped. */
export function at(listing: Listing, offset: number): string {
  const line = listing.lines.find((l) => l.offset === offset);
  if (line === undefined) throw new Error(`no instruction at 0x${offset.toString(16)}:\n${listing.lines.map((l) => `${l.offset.toString(16)}: ${l.text}`).join('\n')}`);
  return line.text.replace(/\s*<[^>]*>$/, '');
}

export const hex = (n: number): string => n.toString(16);

/**
 * Forward branch from block 0 over `n` padding instructions in block 1 to block 2; the
 * padding decides the offset exactly.
 */
export const forward = (branch: MInst, pad: MInst, n: number): MFunction => fn(block([branch]), block(repeat(pad, n)), block([RETURN]));
/** Backward branch from block 1 to block 0, over `n` padding instructions. */
export const backward = (branch: MInst, pad: MInst, n: number): MFunction => fn(block(repeat(pad, n)), block([branch]), block([RETURN]));
