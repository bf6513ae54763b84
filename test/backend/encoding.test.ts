// Encoder and printer against oracles we did not write: arm-none-eabi-as must assemble the
// printed text to exactly our bytes, and arm-none-eabi-objdump must read our bytes back as
// the same instruction. One assembler run and one objdump run cover the whole corpus.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InternalError } from '../../src/diagnostics/errors.js';
import { branchFits, encode, encodedSize, encodeWithRow, selectEncoding, type EncodeContext, type Encoded } from '../../src/backend-thumb2/encoder.js';
import { ENCODINGS } from '../../src/backend-thumb2/encodings.js';
import type { MInst } from '../../src/backend-thumb2/mir.js';
import { formatInst } from '../../src/backend-thumb2/printer.js';
import { BRANCH_EDGES, buildCorpus, type CorpusEntry } from './encoding-corpus.js';
import { normalizeObjdump, normalizeOurs } from './objdump-text.js';

// Cortex-M4 with its FPv4-SP FPU: the FPU rows (mps2-an386) assemble too.
const AS_FLAGS = ['-mthumb', '-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mimplicit-it=never'];
const PRELUDE = '.syntax unified\n.thumb\n';

interface Assembled {
  readonly entry: CorpusEntry;
  readonly encoded: Encoded;
  readonly text: string;
  /** Byte offset in the stream. */
  readonly at: number;
}

/** IT blocks stay together: an IT and the instructions in it are accepted or rejected as one. */
function units(corpus: readonly CorpusEntry[]): CorpusEntry[][] {
  const out: CorpusEntry[][] = [];
  for (const entry of corpus) {
    const last = out[out.length - 1];
    if (entry.ctx.inIT && last !== undefined) last.push(entry);
    else out.push([entry]);
  }
  return out;
}

function tryEncodeUnit(unit: readonly CorpusEntry[]): Encoded[] | undefined {
  try {
    return unit.map((e) => encode(e.inst, e.ctx));
  } catch (error) {
    if (error instanceof InternalError) return undefined;
    throw error;
  }
}

function hex(bytes: Uint8Array | readonly number[]): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function bytesOf(halfwords: readonly number[]): number[] {
  return halfwords.flatMap((h) => [h & 0xff, h >> 8]);
}

/** Our bytes as the object file holds them: REL relocations keep their addend in the field. */
function withAddendInField(entry: CorpusEntry, encoded: Encoded): readonly number[] {
  if (encoded.reloc === undefined) return encoded.halfwords;
  const { encoding, operands } = selectEncoding(entry.inst, entry.ctx);
  const patched = encodeWithRow(encoding, { ...operands, ...(entry.inst.op === 'bl' ? { offset: encoded.reloc.addend } : { imm: encoded.reloc.addend }) });
  if (patched === undefined) throw new Error(`addend ${encoded.reloc.addend} does not fit ${encoding.mnemonic} ${encoding.name}`);
  return patched;
}

describe('Thumb-2 encoder and printer against arm-none-eabi-as and objdump', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcu-aot-enc-'));
  const assembled: Assembled[] = [];
  const rejected: CorpusEntry[][] = [];
  let gasBytes = new Uint8Array();
  let ours: number[] = [];

  beforeAll(() => {
    let at = 0;
    for (const unit of units(buildCorpus())) {
      const encodedUnit = tryEncodeUnit(unit);
      if (encodedUnit === undefined) {
        rejected.push(unit);
        continue;
      }
      unit.forEach((entry, i) => {
        const encoded = encodedUnit[i]!;
        assembled.push({ entry, encoded, text: formatInst(entry.inst, entry.ctx), at });
        at += encoded.halfwords.length * 2;
      });
    }
    ours = assembled.flatMap((a) => bytesOf(withAddendInField(a.entry, a.encoded)));
    writeFileSync(join(dir, 'corpus.s'), PRELUDE + assembled.map((a) => `\t${a.text}\n`).join(''));
    execFileSync('arm-none-eabi-as', [...AS_FLAGS, '-o', join(dir, 'corpus.o'), join(dir, 'corpus.s')], { stdio: 'pipe' });
    execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'corpus.o'), join(dir, 'gas.bin')]);
    gasBytes = readFileSync(join(dir, 'gas.bin'));
    writeFileSync(join(dir, 'ours.bin'), Uint8Array.from(ours));
  });

  it('covers every row of the encoding table', () => {
    const used = new Set(assembled.map((a) => selectEncoding(a.entry.inst, a.entry.ctx).encoding));
    // NOP.W is never the shortest NOP; it is in the table for the decoder.
    // Decode-only rows (what gcc emits for runtime-c and libgcc) have their own round trip in test/sim/decoder.test.ts.
    const unused = ENCODINGS.filter((row) => !used.has(row) && !(row.mnemonic === 'nop' && row.size === 32) && row.decodeOnly !== true);
    expect(unused.map((row) => `${row.mnemonic} ${row.name}`)).toEqual([]);
    expect(assembled.length).toBeGreaterThan(3000);
  });

  it('assembles the printed text to exactly the encoded bytes', () => {
    const mismatches: string[] = [];
    for (const a of assembled) {
      const mine = bytesOf(withAddendInField(a.entry, a.encoded));
      const theirs = gasBytes.subarray(a.at, a.at + mine.length);
      if (hex(mine) !== hex(theirs)) mismatches.push(`${a.text}: ours ${hex(mine)} gas ${hex(theirs)}`);
      if (mismatches.length > 200) break;
    }
    expect(mismatches).toEqual([]);
    expect(gasBytes.length).toBe(ours.length);
  });

  it('disassembles our bytes to the printed instruction', () => {
    const listing = execFileSync('arm-none-eabi-objdump', ['-D', '-b', 'binary', '-marm', '-M', 'force-thumb,reg-names-std', join(dir, 'ours.bin')], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const byAddress = new Map<number, string>();
    for (const line of listing.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line);
      if (m !== null) byAddress.set(parseInt(m[1]!, 16), m[2]!);
    }
    const mismatches: string[] = [];
    for (const a of assembled) {
      const theirs = normalizeObjdump(byAddress.get(a.at) ?? '<none>');
      const mine = normalizeOurs(a.text, a.at);
      if (mine !== theirs) mismatches.push(`${a.at.toString(16)}: ${a.text} -> '${mine}' vs objdump '${theirs}'`);
      if (mismatches.length > 200) break;
    }
    expect(mismatches).toEqual([]);
  });

  it('rejects only what the assembler rejects too', () => {
    // Print rejected instructions in plain UAL and expect an assembler error on each line.
    const lines = rejected.flatMap((unit) => unit.map((e) => plainText(e.inst, e.ctx)));
    const source = PRELUDE + lines.map((l) => `\t${l}\n`).join('');
    writeFileSync(join(dir, 'rejected.s'), source);
    const result = spawnSync('arm-none-eabi-as', [...AS_FLAGS, '-o', join(dir, 'rejected.o'), join(dir, 'rejected.s')], { encoding: 'utf8' });
    const errorLines = new Set([...result.stderr.matchAll(/rejected\.s:(\d+): Error/g)].map((m) => Number(m[1])));
    const accepted = lines.filter((line, i) => !line.startsWith('it') && !errorLines.has(i + 3) && !KNOWN_STRICTER.some((re) => re.test(line)));
    expect(accepted).toEqual([]);
    expect(rejected.length).toBeGreaterThan(50);
  });
});

/**
 * Where we refuse what gas accepts, on purpose: logical ops with S and a complemented
 * immediate (ANDS #x as BICS #~x changes the carry flag), and UNPREDICTABLE register uses.
 */
const KNOWN_STRICTER: readonly RegExp[] = [/^(and|orr|bic|orn|mov|mvn)s /];

/** UAL text for an instruction we refused to encode (the printer only prints encodable ones). */
function plainText(inst: MInst, ctx: EncodeContext): string {
  const r = (n: number): string => (n === 13 ? 'sp' : n === 14 ? 'lr' : n === 15 ? 'pc' : `r${n}`);
  const c = 'cond' in inst && inst.cond !== undefined && inst.cond !== 'al' ? inst.cond : '';
  switch (inst.op) {
    case 'add': case 'adc': case 'sub': case 'sbc': case 'rsb': case 'and': case 'orr': case 'eor': case 'bic': case 'orn': {
      const s = inst.s === 'set' ? 's' : '';
      const src = inst.src.kind === 'imm' ? `#${inst.src.value}` : r(inst.src.rm);
      return `${inst.op}${s}${c} ${r(inst.rd)}, ${r(inst.rn)}, ${src}`;
    }
    case 'mov': case 'mvn': {
      const s = inst.s === 'set' ? 's' : '';
      return `${inst.op}${s}${c} ${r(inst.rd)}, ${inst.src.kind === 'imm' ? `#${inst.src.value}` : r(inst.src.rm)}`;
    }
    case 'lsl': case 'lsr': case 'asr': case 'ror': {
      const s = inst.s === 'set' ? 's' : '';
      return `${inst.op}${s}${c} ${r(inst.rd)}, ${r(inst.rm)}, ${inst.src.kind === 'imm' ? `#${inst.src.value}` : r(inst.src.rs)}`;
    }
    case 'cmp': case 'cmn': case 'tst': case 'teq':
      return `${inst.op}${c} ${r(inst.rn)}, ${inst.src.kind === 'imm' ? `#${inst.src.value}` : r(inst.src.rm)}`;
    case 'ldr': case 'ldrb': case 'ldrh': case 'ldrsb': case 'ldrsh': case 'str': case 'strb': case 'strh': case 'ldrd': case 'strd': {
      const a = inst.addr;
      const rt = inst.op === 'ldrd' || inst.op === 'strd' ? `${r(inst.rt)}, ${r(inst.rt2)}` : r(inst.rt);
      const mem = a.kind === 'reg' ? `[${r(a.rn)}, ${r(a.rm)}, lsl #${a.shift}]`
        : a.mode === 'post' ? `[${r(a.rn)}], #${a.offset}` : `[${r(a.rn)}, #${a.offset}]${a.mode === 'pre' ? '!' : ''}`;
      return `${inst.op}${c} ${rt}, ${mem}`;
    }
    case 'b': {
      const off = (ctx.branchOffset ?? 0) + 4;
      return `b${c}${ctx.inIT ? '' : ''} .${off >= 0 ? '+' : '-'}${Math.abs(off)}`;
    }
    case 'cbz': case 'cbnz': {
      const off = (ctx.branchOffset ?? 0) + 4;
      return `${inst.op} ${r(inst.rn)}, .${off >= 0 ? '+' : '-'}${Math.abs(off)}`;
    }
    case 'it':
      return `it${inst.mask} ${inst.firstCond}`;
    default:
      return `@ no plain text for ${JSON.stringify(inst)}`;
  }
}

describe('sizes and branch ranges', () => {
  it('encodedSize equals the encoded length for the whole corpus', () => {
    for (const { inst, ctx } of buildCorpus()) {
      let encoded: Encoded;
      try {
        encoded = encode(inst, ctx);
      } catch {
        expect(() => encodedSize(inst, ctx)).toThrow(InternalError);
        continue;
      }
      expect(encodedSize(inst, ctx)).toBe(encoded.halfwords.length * 2);
    }
  });

  const b = (offset: number, cond?: 'eq', inIT = false): number => encodedSize(cond === undefined ? { op: 'b', target: 0 } : { op: 'b', target: 0, cond }, { inIT, branchOffset: offset });

  it('switches B forms at the first offset out of range', () => {
    expect([b(-256, 'eq'), b(254, 'eq'), b(-258, 'eq'), b(256, 'eq')]).toEqual([2, 2, 4, 4]);
    expect([b(-2048), b(2046), b(-2050), b(2048)]).toEqual([2, 2, 4, 4]);
    expect([b(-2048, 'eq', true), b(2048, 'eq', true)]).toEqual([2, 4]);
    expect([b(-1048576, 'eq'), b(1048574, 'eq')]).toEqual([4, 4]);
    expect(() => b(1048576, 'eq')).toThrow(InternalError);
    expect(() => b(-1048578, 'eq')).toThrow(InternalError);
    expect([b(-16777216), b(16777214)]).toEqual([4, 4]);
    expect(() => b(16777216)).toThrow(InternalError);
    expect(() => b(-16777218)).toThrow(InternalError);
    expect(() => b(3)).toThrow(InternalError);
    for (const edge of BRANCH_EDGES) expect(branchFits({ op: 'b', target: 0 }, edge)).toBe(edge >= -2048 && edge <= 2046);
  });

  it('knows the CBZ range: forward 0..126 only', () => {
    const cbz: MInst = { op: 'cbz', rn: 0, target: 0 };
    expect([0, 126, 128, -2, 1].map((o) => branchFits(cbz, o))).toEqual([true, true, false, false, false]);
    expect(() => encode(cbz, { inIT: false, branchOffset: 128 })).toThrow(InternalError);
    expect(() => encode(cbz, { inIT: true, branchOffset: 0 })).toThrow(InternalError);
    expect([254, 256].map((o) => branchFits({ op: 'b', target: 0, cond: 'ne' }, o))).toEqual([true, false]);
  });
});

describe('encoder contract', () => {
  const ctx = { inIT: false };
  it('refuses copy, virtual registers and flag modes it cannot honour', () => {
    expect(() => encode({ op: 'copy', rd: 0, rm: 1 }, ctx)).toThrow(InternalError);
    expect(() => encode({ op: 'add', rd: 64, rn: 0, src: { kind: 'reg', rm: 1 }, s: 'any' }, ctx)).toThrow(InternalError);
    // MULS exists only as the 16-bit low-register form outside IT.
    expect(() => encode({ op: 'mul', rd: 8, rn: 1, rm: 8, s: 'set' }, ctx)).toThrow(InternalError);
    expect(() => encode({ op: 'mul', rd: 1, rn: 2, rm: 1, s: 'set', cond: 'eq' }, { inIT: true })).toThrow(InternalError);
    expect(() => encode({ op: 'ldr', rt: 1, addr: { kind: 'imm', rn: 1, offset: 4, mode: 'pre' } }, ctx)).toThrow(InternalError);
  });

  it('picks flag-setting 16-bit forms only where the flag mode allows', () => {
    const add = (s: 'set' | 'keep' | 'any', inIT: boolean): number =>
      encodedSize({ op: 'add', rd: 1, rn: 2, src: { kind: 'reg', rm: 3 }, s, ...(inIT ? { cond: 'eq' as const } : {}) }, { inIT });
    expect([add('set', false), add('any', false), add('keep', false)]).toEqual([2, 2, 4]);
    expect([add('set', true), add('any', true), add('keep', true)]).toEqual([4, 2, 2]);
  });

  it('reports the relocations of bl and movw/movt with a symbol', () => {
    expect(encode({ op: 'bl', sym: { name: 'f', addend: 0 } }, ctx).reloc).toEqual({ type: 'R_ARM_THM_CALL', symbol: 'f', addend: -4, at: 0 });
    const movw = encode({ op: 'movw', rd: 3, imm: 0, sym: { name: 'g', addend: 8 } }, ctx);
    expect(movw.reloc).toEqual({ type: 'R_ARM_THM_MOVW_ABS_NC', symbol: 'g', addend: 8, at: 0 });
    expect(movw.halfwords).toEqual([0xf240, 0x0300]);
    expect(encode({ op: 'movt', rd: 3, imm: 0, sym: { name: 'g', addend: 0 } }, ctx).reloc?.type).toBe('R_ARM_THM_MOVT_ABS');
  });
});
