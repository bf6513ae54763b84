// Branch relaxation across a megabyte: the ±1 MiB boundary of b<c>.w and the inverted branch
// over b.w beyond it. One function probes every boundary at once, because emitting a
// megabyte of code takes a while.

import { beforeAll, describe, expect, it } from 'vitest';
import { NOP, RETURN, at, block, emitAndDisassemble, fn, hex, repeat, type Listing } from './emit-listing.js';

/**
 * The layout relaxation must reach (block: address, contents). Each probe's offset depends
 * only on branches whose size is already forced, so every boundary is exact:
 *   0: 0        cbz r1, 6    far: cmp r1, #0 + bne.n over b.w
 *   1: 8        ble 6        as b<c>.w (4 bytes) its offset would be +1048576: one step too
 *                            far, so bgt.n over b.w
 *   2: 14       bgt 7        +1048574 from pc: the last offset b<c>.w reaches
 *   3: 18, 4: 20   one nop each (backward targets)
 *   5: 22       524284 nops
 *   6: 1048590  nop
 *   7: 1048592  blt 4        -1048576: the last backward offset b<c>.w reaches
 *   8: 1048596  bge 5        -1048578: one step too far, so blt.n over b.w
 *   9: 1048602  bx lr
 */
const FAR = fn(
  block([{ op: 'cbz', rn: 1, target: 6 }]),
  block([{ op: 'b', target: 6, cond: 'le' }]),
  block([{ op: 'b', target: 7, cond: 'gt' }]),
  block([NOP]),
  block([NOP]),
  block(repeat(NOP, 524284)),
  block([NOP]),
  block([{ op: 'b', target: 4, cond: 'lt' }]),
  block([{ op: 'b', target: 5, cond: 'ge' }]),
  block([RETURN]),
);

describe('emitFunction: branches around ±1 MiB', () => {
  let listing: Listing;
  beforeAll(() => {
    listing = emitAndDisassemble(FAR, [0, 18], [1048592, 1048604]);
  });

  it('lays the blocks out where the relaxed branch sizes put them', () => {
    expect(listing.emitted.blockOffsets).toEqual([0, 8, 14, 18, 20, 22, 1048590, 1048592, 1048596, 1048602]);
  });

  it('turns a far cbz into cmp + an inverted branch over b.w', () => {
    expect(at(listing, 0)).toBe('cmp r1, #0');
    expect(at(listing, 2)).toBe('bne.n 8');
    expect(at(listing, 4)).toBe(`b.w ${hex(1048590)}`);
  });

  it('keeps b<c>.w up to +1 MiB - 2 and inverts beyond', () => {
    expect(at(listing, 8)).toBe('bgt.n e');
    expect(at(listing, 10)).toBe(`b.w ${hex(1048590)}`);
    expect(at(listing, 14)).toBe(`bgt.w ${hex(1048592)}`);
  });

  it('keeps b<c>.w down to -1 MiB and inverts beyond', () => {
    expect(at(listing, 1048592)).toBe('blt.w 14');
    expect(at(listing, 1048596)).toBe(`blt.n ${hex(1048602)}`);
    expect(at(listing, 1048598)).toBe('b.w 16');
    expect(at(listing, 1048602)).toBe('bx lr');
  });
});
