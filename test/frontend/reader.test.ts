// LEB128 and the other primitive encodings, against the limits the spec's binary format
// states (5 bytes for 32-bit, 10 for 64-bit, unused bits zero or sign-extended).

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { Reader } from '../../src/frontend/reader.js';

const reader = (...bytes: number[]): Reader => {
  const r = new Reader(new Uint8Array(bytes));
  r.section = 'type';
  return r;
};

function failure(read: () => unknown): UserError {
  try {
    read();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('u32', () => {
  it.each([
    [[0x00], 0],
    [[0x7f], 127],
    [[0x80, 0x01], 128],
    [[0xe5, 0x8e, 0x26], 624485],
    [[0x80, 0x80, 0x80, 0x80, 0x00], 0], // padded to the maximum length
    [[0xff, 0xff, 0xff, 0xff, 0x0f], 0xffffffff],
  ])('%j -> %d', (bytes, value) => {
    const r = reader(...bytes);
    expect(r.u32()).toBe(value);
    expect(r.atEnd).toBe(true);
  });

  it('rejects unused bits set in the fifth byte', () => {
    const e = failure(() => reader(0x80, 0x80, 0x80, 0x80, 0x10).u32());
    expect(e.code).toBe('malformed');
    expect(e.detail).toBe('integer too large');
  });

  it('rejects a sixth byte', () => {
    expect(failure(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32()).detail).toBe('integer representation too long');
  });

  it('reports a truncated integer with its section and offset', () => {
    const e = failure(() => reader(0x80, 0x80).u32());
    expect(e.detail).toMatch(/unexpected end/);
    expect(e.where).toMatchObject({ section: 'type', offset: 2 });
    expect(e.message).toContain("section 'type'");
  });
});

describe('signed LEB128', () => {
  it.each([
    [[0x7f], -1],
    [[0x80, 0x7f], -128],
    [[0x3f], 63],
    [[0xc0, 0x00], 64],
    [[0xff, 0xff, 0xff, 0xff, 0x07], 2147483647],
    [[0x80, 0x80, 0x80, 0x80, 0x78], -2147483648],
    [[0xff, 0xff, 0xff, 0xff, 0x7f], -1], // sign-extended padding
  ])('s32 %j -> %d', (bytes, value) => {
    expect(reader(...bytes).s32()).toBe(value);
  });

  it.each([
    [[0xff, 0xff, 0xff, 0xff, 0x0f]], // -1 with the unused bits clear
    [[0x80, 0x80, 0x80, 0x80, 0x70]], // 0 with the unused bits set
    [[0xff, 0xff, 0xff, 0xff, 0x4f]],
  ])('s32 rejects inconsistent unused bits %j', (bytes) => {
    expect(failure(() => reader(...bytes).s32()).detail).toBe('integer too large');
  });

  it('s33 reads block type indices up to 2^32-1', () => {
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x0f).s33()).toBe(0xffffffff);
    expect(reader(0x40).s33()).toBe(-64);
    expect(failure(() => reader(0xff, 0xff, 0xff, 0xff, 0x2f).s33()).detail).toBe('integer too large');
  });

  it.each([
    [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00], 2n ** 63n - 1n],
    [[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f], -(2n ** 63n)],
    [[0x7f], -1n],
    [[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 0n],
  ])('s64 %j -> %s', (bytes, value) => {
    expect(reader(...bytes).s64()).toBe(value);
  });

  it('s64 rejects an eleventh byte and inconsistent sign bits', () => {
    const tenContinued = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
    expect(failure(() => reader(...tenContinued).s64()).detail).toBe('integer representation too long');
    const badSign = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
    expect(failure(() => reader(...badSign).s64()).detail).toBe('integer too large');
  });
});

describe('floats and names', () => {
  it('reads f32 and f64 as raw little-endian bits', () => {
    expect(reader(0x00, 0x00, 0xc0, 0x7f).f32Bits()).toBe(0x7fc00000);
    expect(reader(0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xff).f64Bits()).toBe(0xfff0000000000001n);
  });

  it('reads UTF-8 names', () => {
    expect(reader(0x03, 0xe2, 0x82, 0xac).name()).toBe('€');
  });

  it.each([
    [[0x01, 0xff]], // never valid in UTF-8
    [[0x02, 0xc0, 0x80]], // overlong encoding of NUL
    [[0x03, 0xed, 0xa0, 0x80]], // a surrogate
    [[0x01, 0xe2]], // truncated sequence
  ])('rejects malformed UTF-8 %j', (bytes) => {
    const e = failure(() => reader(...bytes).name());
    expect(e.detail).toBe('malformed UTF-8 encoding');
    expect(e.where.offset).toBe(1);
  });

  it('rejects a vector longer than the bytes that remain', () => {
    expect(failure(() => reader(0x05, 0x00).vec(() => 0)).detail).toMatch(/vector length 5/);
  });
});
