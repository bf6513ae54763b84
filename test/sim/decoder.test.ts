// The decoder against arm-none-eabi-objdump: for every row of the encoding table, sample
// words (the row's fixed bits, pseudo-random field values), decode them, print them, and
// compare with objdump's reading of the same bytes. Then the assembler reads our text
// back: it must give the same bytes. Every mnemonic of the table has semantics in the
// simulator.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeThumb, type DecodedInst } from '../../src/backend-thumb2/decoder.js';
import { formatDecoded } from '../../src/backend-thumb2/disassembler.js';
import { ENCODINGS, type Encoding } from '../../src/backend-thumb2/encodings.js';
import { RULES } from '../../src/sim/execute/compile.js';
import { normalizeObjdump } from '../backend/objdump-text.js';

/** A small deterministic generator (xorshift32), so failures reproduce. */
function generator(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Registers objdump and gas treat specially or refuse in most forms. */
const AVOID_REGS = new Set([13, 15]);

/** Up to `count` words that decode to `row`, with fields drawn at random (registers avoiding sp/pc). */
function samples(row: Encoding, count: number, random: () => number): DecodedInst[] {
  const found: DecodedInst[] = [];
  for (let attempt = 0; attempt < count * 40 && found.length < count; attempt++) {
    let word = row.pattern;
    for (const [name, slices] of row.fields) {
      const isReg = /^R[a-z]/.test(name) && !name.startsWith('Rd') ? true : /^R/.test(name);
      for (const slice of slices.slice(0, 1)) {
        let value = random() & ((1 << slice.width) - 1);
        if (isReg && slice.width === 4 && AVOID_REGS.has(value)) value &= 7;
        for (const s of slices) word = (word | (value << s.lsb)) >>> 0;
      }
    }
    const hw1 = row.size === 32 ? word >>> 16 : word;
    const decoded = decodeThumb(hw1, row.size === 32 ? word & 0xffff : 0);
    if (decoded?.encoding === row && predictable(decoded) && !found.some((d) => d.word === decoded.word)) found.push(decoded);
  }
  return found;
}

const SPECIAL_REGISTERS = new Set([0, 1, 2, 3, 5, 6, 7, 8, 9, 16, 17, 18, 19, 20]);

/**
 * Whether the sample is a well-defined instruction: the ARM ARM makes the others
 * UNPREDICTABLE (or reserved), and objdump and gas each print or refuse them their own way.
 */
function predictable(d: DecodedInst): boolean {
  const { operands: ops, encoding: row } = d;
  const regs = ops.regs ?? [];
  const writesBack = ops.mode !== undefined || row.name === 'T2 wb' || row.mnemonic === 'push' || row.mnemonic === 'pop' || (row.mnemonic === 'stm' && row.size === 16);
  if (writesBack && ops.rn !== undefined && (ops.rt === ops.rn || ops.rt2 === ops.rn || regs.includes(ops.rn))) return false;
  if (regs.includes(14) && regs.includes(15)) return false;
  if (ops.regs !== undefined && regs.length < (row.size === 32 ? 2 : 1)) return false;
  // Same text, and gas picks the 8-bit-immediate form: both encodings are right.
  if ((row.mnemonic === 'add' || row.mnemonic === 'sub') && row.name === 'T1' && ops.rd === ops.rn) return false;
  // objdump reads these literal loads as LDRSBT/LDRSHT (its table tries the T forms first).
  if (row.name === 'T2 lit' && ((d.word >>> 8) & 0xf) === 0xe) return false;
  const named = [ops.rd, ops.rn, ops.rm, ops.rs, ops.ra, ops.rt, ops.rt2, ops.rdLo, ops.rdHi].filter((r) => r !== undefined);
  if (row.fixed?.rn === undefined && named.some((r) => AVOID_REGS.has(r!))) return false;
  if (row.mnemonic === 'cmp' && row.name === 'T2 reg' && (ops.rn ?? 0) < 8 && (ops.rm ?? 0) < 8) return false;
  if ((row.mnemonic === 'sbfx' || row.mnemonic === 'ubfx') && (ops.lsb ?? 0) + (ops.width ?? 0) > 32) return false;
  if ((row.mnemonic === 'bfi' || row.mnemonic === 'bfc') && (ops.imm ?? 0) < (ops.lsb ?? 0)) return false;
  if ((row.mnemonic === 'mrs' || row.mnemonic === 'msr') && !SPECIAL_REGISTERS.has(ops.imm ?? -1)) return false;
  if (row.mnemonic === 'msr' && (ops.imm === 2 || (ops.imm ?? 0) >= 5 && (ops.imm ?? 0) <= 7)) return false;
  if (['dmb', 'dsb', 'isb'].includes(row.mnemonic) && ops.imm !== 15) return false;
  if ((row.mnemonic === 'cpsie' || row.mnemonic === 'cpsid') && ops.imm === 0) return false;
  if (row.mnemonic.startsWith('strex') && (ops.rd === ops.rt || ops.rd === ops.rn)) return false;
  return predictableFpu(d);
}

/** FPU register lists within S0-S31 / D0-D15 (a D list an even word count), fixed-point fraction bits >= 0. */
function predictableFpu(d: DecodedInst): boolean {
  const { operands: ops, encoding: row } = d;
  if (/^v(ldm|stm|push|pop)/.test(row.mnemonic)) {
    const words = ops.imm ?? 0;
    const double = row.name === 'T1';
    const count = double ? words / 2 : words;
    return words > 0 && (!double || words % 2 === 0) && count <= 16 && (ops.rt ?? 0) + count <= (double ? 16 : 32);
  }
  if (row.mnemonic.endsWith('.fixed')) return (ops.imm ?? -1) >= 0;
  return true;
}

function bytesOf(d: DecodedInst): number[] {
  const halves = d.size === 4 ? [d.word >>> 16, d.word & 0xffff] : [d.word];
  return halves.flatMap((h) => [h & 0xff, h >> 8]);
}

/** Our text made comparable with objdump's: absolute branch targets already; objdump's own aliases. */
function canonicalOurs(text: string): string {
  return normalizeObjdump(text)
    .replace(/^nop$/, 'mov r8, r8')
    .replace(/^(ldr\w*) (\S+), \[pc, #(-?\d+)\]$/, '$1 $2, [pc, #$3]')
    .replace(/^add (\S+), pc, #(\d+)$/, 'add $1, pc, #$2');
}
/** objdump's spellings of what only the decoder reads. */
function canonicalTheirs(text: string): string {
  // VMOV.F32's immediate: objdump prints the raw abcdefgh and the value in a comment.
  const floatImmediate = text.replace(/^(vmov\.f32\s+\S+,\s*)#\d+\s+@ 0x[0-9a-f]+\s+(\S+)$/, (_, head: string, value: string) => `${head}#${Number(value)}`);
  return normalizeObjdump(floatImmediate)
    .replace(/^adr (\S+), 0x[0-9a-f]+/, 'adr $1')
    .replace(/^(add|sub)w (\S+), pc, #(\d+)$/, 'adr $2')
    .replace(/^add (\S+), pc, #(\d+)$/, 'adr $1')
    .replace(/^mov(s?) (\S+), (\S+), rrx$/, 'rrx$1 $2, $3')
    .replace(/^ldm (\S+)/, 'ldmia $1')
    .replace(/^stm (\S+)/, 'stmia $1')
    .replace(/^ldr(\w*) (\S+), \[pc, #(-?\d+)\].*$/, 'ldr$1 $2, [pc, #$3]')
    .replace(/^svc (\d+)$/, 'svc #$1')
    .replace(/^msr cpsr_f, /, 'msr apsr, ')
    .replace(/^msr psr, /, 'msr xpsr, ')
    .replace(/^mrs (\S+), psr$/, 'mrs $1, xpsr')
    .replace(/^mrs (\S+), cpsr$/, 'mrs $1, apsr')
    .replace(/^nop$/, 'mov r8, r8')
    .replace(/, #0\]/, ']');
}

describe('decoder and disassembler against objdump and gas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-dec-'));
  const random = generator(0x5eea);
  // Addresses matter for branches: place each sample at its offset in one binary.
  const placed: { at: number; d: DecodedInst; text: string }[] = [];
  let at = 0;
  for (const row of ENCODINGS) {
    if (row.mnemonic === 'it') continue; // an IT changes how objdump reads what follows: covered by the run tests
    for (const d of samples(row, 6, random)) {
      placed.push({ at, d, text: formatDecoded(d, at) });
      at += d.size;
    }
  }
  const bytes = Uint8Array.from(placed.flatMap((p) => bytesOf(p.d)));
  writeFileSync(join(dir, 'words.bin'), bytes);
  const listing = execFileSync('arm-none-eabi-objdump', ['-D', '-b', 'binary', '-marm', '-M', 'force-thumb,reg-names-std', join(dir, 'words.bin')], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const byAddress = new Map<number, string>();
  for (const line of listing.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line);
    if (m !== null) byAddress.set(parseInt(m[1]!, 16), m[2]!.replace(/\s+<.*>$/, ''));
  }

  it('samples every row', () => {
    const rows = new Set(placed.map((p) => p.d.encoding));
    expect(ENCODINGS.filter((row) => row.mnemonic !== 'it' && !rows.has(row)).map((r) => `${r.mnemonic} ${r.name}`)).toEqual([]);
  });

  it('prints what objdump reads from the same bytes', () => {
    const mismatches: string[] = [];
    for (const p of placed) {
      const theirs = canonicalTheirs(byAddress.get(p.at) ?? '<none>');
      const ours = canonicalTheirs(canonicalOurs(p.text));
      if (ours !== theirs) mismatches.push(`${p.d.encoding.mnemonic} ${p.d.encoding.name} ${p.d.word.toString(16)}: '${ours}' vs objdump '${theirs}'`);
    }
    expect(mismatches.slice(0, 60)).toEqual([]);
  });

  it('gives text the assembler turns back into the same bytes', () => {
    // Branches print absolute targets: assemble each at its own address with .org.
    const lines = placed.map((p) => {
      const target = /(0x[0-9a-f]+)$/.exec(p.text);
      const relative = target !== null ? (Number(target[1]) - p.at) | 0 : 0;
      const text = p.d.operands.offset !== undefined ? p.text.replace(/0x[0-9a-f]+$/, `.+(${relative})`) : p.text;
      return `.org ${p.at}\n\t${text}`;
    });
    writeFileSync(join(dir, 'text.s'), `.syntax unified\n.thumb\n${lines.join('\n')}\n`);
    execFileSync('arm-none-eabi-as', ['-mthumb', '-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard', '-mimplicit-it=always', '-W', '-o', join(dir, 'text.o'), join(dir, 'text.s')], { stdio: 'pipe' });
    execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'text.o'), join(dir, 'text.bin')]);
    const gas = readFileSync(join(dir, 'text.bin'));
    const mismatches: string[] = [];
    for (const p of placed) {
      const ours = bytesOf(p.d).map((b) => b.toString(16).padStart(2, '0')).join('');
      const theirs = [...gas.subarray(p.at, p.at + p.d.size)].map((b) => b.toString(16).padStart(2, '0')).join('');
      if (ours !== theirs) mismatches.push(`${p.text}: ours ${ours} gas ${theirs}`);
    }
    expect(mismatches.slice(0, 60)).toEqual([]);
  });

  it('has semantics for every mnemonic of the table, the FPU ones included', () => {
    expect([...new Set(ENCODINGS.map((row) => row.mnemonic))].filter((m) => RULES[m] === undefined)).toEqual([]);
  });

  it('leaves UNDEFINED encodings undecoded', () => {
    expect(decodeThumb(0xde00, 0)?.encoding.mnemonic).toBe('udf'); // UDF is decoded (and faults)
    expect(decodeThumb(0xf7f0, 0xa000)?.encoding.mnemonic).toBe('udf');
    expect(decodeThumb(0xe8d0, 0xf0e0)).toBeUndefined(); // TBB space with a bad op field
    expect(decodeThumb(0xbf05, 0)?.encoding.mnemonic).toBe('it');
    expect(decodeThumb(0xbf50, 0)).toBeUndefined(); // an unallocated hint
  });
});
