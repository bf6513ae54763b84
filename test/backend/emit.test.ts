// Emission checked against arm-none-eabi-objdump: hand-built machine functions (physical
// registers) are emitted, wrapped in an object by the ELF writer and disassembled. Branch
// relaxation is probed at the exact range boundary of every branch form, with blocks padded
// to the boundary.

import { describe, expect, it } from 'vitest';
import { emitFunction } from '../../src/backend-thumb2/emit.js';
import type { MFunction, MInst } from '../../src/backend-thumb2/mir.js';
import { NOP, RETURN, at, backward, block, emitAndDisassemble, fn, forward, hex, repeat } from './emit-listing.js';

describe('emitFunction: straight-line code', () => {
  it('encodes instructions in order and drops a branch to the next block', () => {
    const listing = emitAndDisassemble(
      fn(
        block([{ op: 'push', regs: [4, 14] }, { op: 'add', rd: 0, rn: 0, src: { kind: 'reg', rm: 1 }, s: 'any' }, { op: 'b', target: 1 }]),
        block([]),
        block([{ op: 'b', target: 3 }]),
        block([{ op: 'pop', regs: [4, 15] }]),
      ),
    );
    expect(listing.lines.map((l) => l.text)).toEqual(['push {r4, lr}', 'adds r0, r0, r1', 'pop {r4, pc}']);
    expect(listing.emitted.blockOffsets).toEqual([0, 4, 4, 4]);
  });

  it('keeps a branch to a block that is not next', () => {
    const listing = emitAndDisassemble(fn(block([{ op: 'b', target: 2 }]), block([NOP]), block([RETURN])));
    expect(at(listing, 0)).toBe('b.n 4');
    expect(listing.emitted.blockOffsets).toEqual([0, 2, 4]);
  });

  it('places relocations where objdump shows them', () => {
    const listing = emitAndDisassemble(
      fn(
        block([
          { op: 'push', regs: [14] },
          { op: 'movw', rd: 3, imm: 0, sym: { name: 'table', addend: 8 } },
          { op: 'movt', rd: 3, imm: 0, sym: { name: 'table', addend: 8 } },
          { op: 'bl', sym: { name: 'callee', addend: 0 } },
          { op: 'pop', regs: [15] },
        ]),
      ),
    );
    expect(listing.relocs).toEqual([
      { offset: 2, type: 'R_ARM_THM_MOVW_ABS_NC', symbol: 'table' },
      { offset: 6, type: 'R_ARM_THM_MOVT_ABS', symbol: 'table' },
      { offset: 10, type: 'R_ARM_THM_CALL', symbol: 'callee' },
    ]);
    expect(at(listing, 10)).toMatch(/^bl /);
    expect(listing.emitted.relocs.map((r) => r.offset)).toEqual([2, 6, 10]);
  });

  it('records trap sites at the udf instructions with their source offsets', () => {
    const mf = fn(
      block([{ op: 'cmp', rn: 1, src: { kind: 'imm', value: 0 } }, { op: 'b', target: 2, cond: 'eq' }, { op: 'sdiv', rd: 0, rn: 0, rm: 1 }, RETURN], 0x10),
      block([{ op: 'udf', imm: 1 }], 0x30),
      block([{ op: 'udf', imm: 2, srcOffset: 0x21 }], 0x20),
    );
    const listing = emitAndDisassemble(mf);
    const sites = listing.emitted.trapSites;
    expect(sites).toEqual([
      { offset: 10, kind: 1, srcOffset: 0x30 },
      { offset: 12, kind: 2, srcOffset: 0x21 },
    ]);
    for (const s of sites) expect(at(listing, s.offset)).toBe(`udf #${s.kind}`);
    expect(at(listing, 2)).toBe('beq.n c');
  });
});

describe('emitFunction: IT blocks', () => {
  it('encodes the covered instructions as conditional, without flag setting', () => {
    const listing = emitAndDisassemble(
      fn(
        block([
          { op: 'cmp', rn: 0, src: { kind: 'reg', rm: 1 } },
          { op: 'it', firstCond: 'lt', mask: 'e' },
          { op: 'mov', rd: 0, src: { kind: 'imm', value: 1 }, s: 'any', cond: 'lt' },
          { op: 'mov', rd: 0, src: { kind: 'imm', value: 2 }, s: 'any', cond: 'ge' },
          // After the IT block, 'any' may set flags again (the 16-bit movs).
          { op: 'mov', rd: 1, src: { kind: 'imm', value: 3 }, s: 'any' },
          RETURN,
        ]),
      ),
    );
    expect(listing.lines.map((l) => l.text)).toEqual(['cmp r0, r1', 'ite lt', 'movlt r0, #1', 'movge r0, #2', 'movs r1, #3', 'bx lr']);
    expect(listing.emitted.bytes.length).toBe(12);
  });

  it('lets a conditional branch end an IT block, in the unconditional encoding', () => {
    const listing = emitAndDisassemble(
      fn(
        block([{ op: 'cmp', rn: 0, src: { kind: 'imm', value: 0 } }, { op: 'it', firstCond: 'ne', mask: '' }, { op: 'b', target: 2, cond: 'ne' }]),
        block([RETURN]),
        block([{ op: 'mov', rd: 0, src: { kind: 'imm', value: 0 }, s: 'any' }, RETURN]),
      ),
    );
    expect(at(listing, 2)).toBe('it ne');
    expect(at(listing, 4)).toBe('bne.n 8');
    // A branch inside an IT block is never dropped, even to the next block.
    const next = emitAndDisassemble(
      fn(block([{ op: 'cmp', rn: 0, src: { kind: 'imm', value: 0 } }, { op: 'it', firstCond: 'eq', mask: '' }, { op: 'b', target: 1, cond: 'eq' }]), block([RETURN])),
    );
    expect(next.lines.map((l) => l.text.replace(/\s*<[^>]*>$/, ''))).toEqual(['cmp r0, #0', 'it eq', 'beq.n 6', 'bx lr']);
  });
});

describe('emitFunction: branch relaxation at the range boundaries', () => {
  it('b: 16-bit up to +2046, 32-bit from +2048', () => {
    // b at 0; padding 2n bytes from 2; offset = 2 + 2n - 4.
    const near = emitAndDisassemble(forward({ op: 'b', target: 2 }, NOP, 1024), [0, 4]);
    expect(at(near, 0)).toBe(`b.n ${hex(2 + 2048)}`);
    const far = emitAndDisassemble(forward({ op: 'b', target: 2 }, NOP, 1025), [0, 6]);
    expect(at(far, 0)).toBe(`b.w ${hex(4 + 2050)}`);
  });

  it('b: 16-bit down to -2048, 32-bit below', () => {
    // b at 2n; offset = -(2n + 4).
    const near = emitAndDisassemble(backward({ op: 'b', target: 0 }, NOP, 1022), [2044, 2048]);
    expect(at(near, 2044)).toBe('b.n 0');
    const far = emitAndDisassemble(backward({ op: 'b', target: 0 }, NOP, 1023), [2046, 2050]);
    expect(at(far, 2046)).toBe('b.w 0');
  });

  it('b<c>: 16-bit up to +254 and down to -256, then 32-bit', () => {
    const beq = (target: number): MInst => ({ op: 'b', target, cond: 'eq' });
    expect(at(emitAndDisassemble(forward(beq(2), NOP, 128), [0, 2]), 0)).toBe(`beq.n ${hex(258)}`);
    expect(at(emitAndDisassemble(forward(beq(2), NOP, 129), [0, 4]), 0)).toBe(`beq.w ${hex(262)}`);
    expect(at(emitAndDisassemble(backward(beq(0), NOP, 126), [252, 254]), 252)).toBe('beq.n 0');
    expect(at(emitAndDisassemble(backward(beq(0), NOP, 127), [254, 258]), 254)).toBe('beq.w 0');
  });

  it('cbz: forward up to +126, then cmp + b<c>', () => {
    const cbz: MInst = { op: 'cbz', rn: 3, target: 2 };
    // cbz at 0; offset = 2n - 2.
    expect(at(emitAndDisassemble(forward(cbz, NOP, 64), [0, 2]), 0)).toBe(`cbz r3, ${hex(130)}`);
    const listing = emitAndDisassemble(forward(cbz, NOP, 65), [0, 4]);
    expect(at(listing, 0)).toBe('cmp r3, #0');
    expect(at(listing, 2)).toBe(`beq.n ${hex(4 + 130)}`);
  });

  it('cbnz: backward becomes cmp + bne', () => {
    const listing = emitAndDisassemble(backward({ op: 'cbnz', rn: 0, target: 0 }, NOP, 2));
    expect(at(listing, 4)).toBe('cmp r0, #0');
    expect(at(listing, 6)).toBe('bne.n 0');
  });

  it('cbz: beyond b<c>.n it becomes cmp + b<c>.w', () => {
    const listing = emitAndDisassemble(forward({ op: 'cbz', rn: 1, target: 2 }, NOP, 129), [0, 6]);
    expect(at(listing, 0)).toBe('cmp r1, #0');
    // cmp at 0, beq at 2: offset = 2 + 2 * 129 + 4 - 6 = 258 > 254.
    expect(at(listing, 2)).toBe(`beq.w ${hex(6 + 258)}`);
  });

  it('grows a branch that a grown branch pushed out of range', () => {
    // Block 0: beq to block 3 across block 1 (b to block 4) and block 2 (padding). At the
    // first pass beq just fits; then the b grows and pushes it over the edge.
    const mf = fn(
      block([{ op: 'b', target: 3, cond: 'eq' }]),
      block([{ op: 'b', target: 4 }]),
      block(repeat(NOP, 126)),
      block(repeat(NOP, 1100)),
      block([RETURN]),
    );
    // First pass: beq at 0, b at 2, padding 252 bytes; beq offset = 256 - 4 = 252 (fits),
    // b offset = 2 + 2 + 252 + 2200 - 6 > 2046: b grows, beq's offset becomes 254 (fits).
    const listing = emitAndDisassemble(mf, [0, 6]);
    expect(at(listing, 0)).toBe(`beq.n ${hex(258)}`);
    expect(at(listing, 2)).toBe(`b.w ${hex(258 + 2200)}`);
    expect(listing.emitted.blockOffsets).toEqual([0, 2, 6, 258, 2458]);
  });

  it('is deterministic', () => {
    const mf = (): MFunction => forward({ op: 'cbz', rn: 2, target: 2 }, NOP, 200);
    expect(Buffer.from(emitFunction(mf()).bytes).equals(Buffer.from(emitFunction(mf()).bytes))).toBe(true);
  });
});
