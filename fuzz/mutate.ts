// The mutations the fuzzer applies to a seed module. Byte-level ones (bit flips, byte
// insertion and deletion, truncation) find what a corrupted file does; structural ones edit
// the LEB128 fields that steer the decoder (grow, shrink, zero, huge, over-long encodings)
// and move whole sections around (reorder, duplicate, drop, splice in another module's),
// which reach the validator and the later stages with inputs that still decode.

import type { Prng } from './prng.js';
import { encodeLeb, scanLayout, type LebField, type WasmLayout } from './wasm-layout.js';

export interface MutationContext {
  readonly rng: Prng;
  /** Another seed module to take sections from. */
  readonly donor: Uint8Array;
}

type Mutation = (bytes: Uint8Array, layout: WasmLayout, ctx: MutationContext) => Uint8Array;

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x41, 0x0b, 0x0f, 0x60, 0x70, 0x6f];

function splice(bytes: Uint8Array, at: number, remove: number, insert: ArrayLike<number> = []): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

const flipBits: Mutation = (bytes, _layout, { rng }) => {
  const out = bytes.slice();
  const flips = rng.between(1, 4);
  for (let i = 0; i < flips && out.length > 0; i++) out[rng.below(out.length)]! ^= 1 << rng.below(8);
  return out;
};

const setByte: Mutation = (bytes, _layout, { rng }) => {
  const out = bytes.slice();
  if (out.length > 0) out[rng.below(out.length)] = rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.below(256);
  return out;
};

const insertBytes: Mutation = (bytes, _layout, { rng }) => {
  const count = rng.between(1, 8);
  const insert = Array.from({ length: count }, () => (rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.below(256)));
  return splice(bytes, rng.below(bytes.length + 1), 0, insert);
};

const deleteBytes: Mutation = (bytes, _layout, { rng }) => {
  const at = rng.below(bytes.length);
  return splice(bytes, at, Math.min(rng.between(1, 16), bytes.length - at));
};

const truncate: Mutation = (bytes, _layout, { rng }) => bytes.slice(0, rng.below(bytes.length));

/** A new value for a LEB128 field: a little off, zero, or far too large. */
function editedValue(field: LebField, rng: Prng): number {
  switch (rng.below(7)) {
    case 0: return field.value + 1;
    case 1: return Math.max(0, field.value - 1);
    case 2: return field.value + rng.between(2, 300);
    case 3: return 0;
    case 4: return 0xffff_ffff;
    case 5: return rng.pick([0x7f, 0x80, 0x3fff, 0x4000, 0x10000, 0x7fff_ffff, 0x8000_0000]);
    default: return field.value; // re-encoded over-long below
  }
}

const editLeb: Mutation = (bytes, layout, { rng }) => {
  if (layout.fields.length === 0) return flipBits(bytes, layout, { rng, donor: bytes });
  const field = rng.pick(layout.fields);
  const value = editedValue(field, rng);
  // Over-long encodings: up to 5 bytes is still valid for a u32, a 6th is malformed.
  const minLength = rng.chance(0.3) ? rng.between(field.length, 6) : 1;
  const encoded = encodeLeb(value, minLength);
  if (encoded.length > 5 && rng.chance(0.5)) encoded.length = 5; // also try a 5th byte with a continuation
  return splice(bytes, field.offset, field.length, encoded);
};

const swapSections: Mutation = (bytes, layout, ctx) => {
  const { sections } = layout;
  if (sections.length < 2) return truncate(bytes, layout, ctx);
  const i = ctx.rng.below(sections.length - 1);
  const a = sections[i]!;
  const b = sections[i + 1 + ctx.rng.below(sections.length - i - 1)]!;
  return Uint8Array.from([
    ...bytes.subarray(0, a.start), ...bytes.subarray(b.start, b.end),
    ...bytes.subarray(a.end, b.start), ...bytes.subarray(a.start, a.end), ...bytes.subarray(b.end),
  ]);
};

const duplicateSection: Mutation = (bytes, layout, ctx) => {
  if (layout.sections.length === 0) return insertBytes(bytes, layout, ctx);
  const s = ctx.rng.pick(layout.sections);
  return splice(bytes, s.end, 0, bytes.subarray(s.start, s.end));
};

const dropSection: Mutation = (bytes, layout, ctx) => {
  if (layout.sections.length === 0) return deleteBytes(bytes, layout, ctx);
  const s = ctx.rng.pick(layout.sections);
  return splice(bytes, s.start, s.end - s.start);
};

/** Replace a section with the donor's section of the same id (or add the donor's). */
const spliceDonorSection: Mutation = (bytes, layout, ctx) => {
  const donorSections = scanLayout(ctx.donor).sections;
  if (donorSections.length === 0) return flipBits(bytes, layout, ctx);
  const d = ctx.rng.pick(donorSections);
  const donated = ctx.donor.subarray(d.start, d.end);
  const same = layout.sections.find((s) => s.id === d.id);
  if (same !== undefined) return splice(bytes, same.start, same.end - same.start, donated);
  const after = layout.sections.find((s) => s.id > d.id && s.id !== 12);
  return splice(bytes, after?.start ?? bytes.length, 0, donated);
};

export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  'flip-bits': flipBits,
  'set-byte': setByte,
  'insert-bytes': insertBytes,
  'delete-bytes': deleteBytes,
  truncate,
  'edit-leb': editLeb,
  'swap-sections': swapSections,
  'duplicate-section': duplicateSection,
  'drop-section': dropSection,
  'splice-section': spliceDonorSection,
};

/** Structural mutations are weighted up: they reach past the decoder more often. */
const SCHEDULE: readonly string[] = [
  'flip-bits', 'flip-bits', 'set-byte', 'set-byte', 'insert-bytes', 'delete-bytes', 'truncate',
  'edit-leb', 'edit-leb', 'edit-leb', 'edit-leb', 'swap-sections', 'duplicate-section', 'drop-section',
  'splice-section', 'splice-section',
];

/** One to three mutations stacked on `seed`; returns the input and the mutations' names. */
export function mutate(seed: Uint8Array, ctx: MutationContext): { bytes: Uint8Array; applied: string[] } {
  let bytes = seed;
  const applied: string[] = [];
  const count = ctx.rng.chance(0.6) ? 1 : ctx.rng.between(2, 3);
  for (let i = 0; i < count; i++) {
    const name = ctx.rng.pick(SCHEDULE);
    bytes = MUTATIONS[name]!(bytes, scanLayout(bytes), ctx);
    applied.push(name);
  }
  return { bytes, applied };
}
