// GNU binutils as the oracle for what the backend emits: write objects and raw code to a
// temporary directory and read them back through arm-none-eabi-objdump/readelf/ld/nm.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mcu-aot-backend-'));
}

export function run(tool: string, args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function writeFile(dir: string, name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** One disassembled instruction: offset, raw halfwords as objdump prints them, and its text. */
export interface DisassembledLine {
  readonly offset: number;
  readonly raw: string;
  readonly text: string;
}

/** Disassembly lines of `objdump -d` (or -D) output; relocation lines are attached to `relocs`. */
export function parseDisassembly(output: string): { lines: DisassembledLine[]; relocs: { offset: number; type: string; symbol: string }[] } {
  const lines: DisassembledLine[] = [];
  const relocs: { offset: number; type: string; symbol: string }[] = [];
  for (const line of output.split('\n')) {
    const inst = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$/.exec(line);
    if (inst !== null) {
      lines.push({ offset: parseInt(inst[1]!, 16), raw: inst[2]!.trim(), text: inst[3]!.replace(/\s+/g, ' ').replace(/\s*[;@].*$/, '').trim() });
      continue;
    }
    const reloc = /^\s*([0-9a-f]+):\s+(R_ARM_\w+)\s+(\S+)/.exec(line);
    if (reloc !== null) relocs.push({ offset: parseInt(reloc[1]!, 16), type: reloc[2]!, symbol: reloc[3]! });
  }
  return { lines, relocs };
}

/** Disassemble raw Thumb code (no object file around it). */
export function disassembleRaw(code: Uint8Array): DisassembledLine[] {
  const dir = tempDir();
  const path = writeFile(dir, 'code.bin', code);
  return parseDisassembly(run('arm-none-eabi-objdump', ['-D', '-b', 'binary', '-marm', '-M', 'force-thumb', path])).lines;
}

/** Memory contents of a linked ELF as `objdump -s` shows them: address → byte. */
export function memoryImage(elfPath: string): Map<number, number> {
  const memory = new Map<number, number>();
  for (const line of run('arm-none-eabi-objdump', ['-s', elfPath]).split('\n')) {
    const m = /^ ([0-9a-f]{4,8}) ((?:[0-9a-f]{2,8} ){1,4})/.exec(line);
    if (m === null) continue;
    let address = parseInt(m[1]!, 16);
    for (const group of m[2]!.trim().split(' ')) {
      for (let i = 0; i < group.length; i += 2) memory.set(address++, parseInt(group.slice(i, i + 2), 16));
    }
  }
  return memory;
}

export function readWord(memory: Map<number, number>, address: number): number {
  let v = 0;
  for (let i = 3; i >= 0; i--) {
    const b = memory.get(address + i);
    if (b === undefined) throw new Error(`no byte at 0x${(address + i).toString(16)}`);
    v = v * 256 + b;
  }
  return v;
}

export function readCString(memory: Map<number, number>, address: number): string {
  let s = '';
  for (let a = address; ; a++) {
    const b = memory.get(a);
    if (b === undefined || b === 0) return s;
    s += String.fromCharCode(b);
  }
}

/** Symbol addresses from `nm` (locals included). */
export function symbolAddresses(elfPath: string): Map<string, number> {
  const symbols = new Map<string, number>();
  for (const line of run('arm-none-eabi-nm', [elfPath]).split('\n')) {
    const m = /^([0-9a-f]+) \S (.+)$/.exec(line);
    if (m !== null) symbols.set(m[2]!, parseInt(m[1]!, 16));
  }
  return symbols;
}
