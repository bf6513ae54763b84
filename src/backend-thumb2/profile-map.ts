// The profile map: how the simulator's per-address execution counts map back to Wasm source
// keys (docs/profile.md). For every compiled function it lists its machine blocks
// [start, end) with the profile key of the IR block each one starts, the conditional and
// unconditional branch sites with the block they jump to, and the call sites with the Wasm
// offset of the `call` / `call_indirect` they implement.
//
// Every address in the map is an offset from the start of its function, whose symbol the map
// names. A function's code is one contiguous run the linker moves as a whole, so these
// offsets are the same in the object and in the linked firmware; a reader adds the symbol's
// final address from the ELF symbol table. That needs no relocations, and the map can sit in a
// non-allocated section that never reaches flash.

import type { IrModule } from '../ir/module.js';
import type { Label, MFunction, MInst } from './mir.js';
import { functionSymbol } from './symbols.js';

/** The ELF section the map travels in (object and linked firmware, never loaded). */
export const PROFILE_MAP_SECTION = '.mcu_aot.pgo_map';
export const PROFILE_MAP_FORMAT = 'mcu-aot-pgo-map';
export const PROFILE_MAP_VERSION = 1;

/** A branch instruction: at `offset` from the function start, jumping to machine block `target`. */
export interface BranchSite {
  readonly offset: number;
  readonly target: Label;
}

/** A BL or BLX that implements a Wasm call. */
export interface CallSite {
  readonly offset: number;
  /** Wasm code offset of the call instruction. */
  readonly srcOffset: number;
  /** Callee symbol of a direct call; absent for call_indirect's BLX. */
  readonly callee?: string;
}

/** What emit.ts records about one function for the map. */
export interface ProfileSites {
  readonly branches: readonly BranchSite[];
  readonly calls: readonly CallSite[];
  /** Per machine block (by label): the IR block key it starts, or undefined for a block the backend added. */
  readonly blockKeys: readonly ({ readonly srcOffset: number; readonly ordinal: number } | undefined)[];
}

/** A machine block; srcOffset and ordinal (its key) only when it starts an IR block. */
export interface MapBlock {
  readonly start: number;
  readonly end: number;
  readonly srcOffset?: number;
  readonly ordinal?: number;
}

export interface MapCall {
  readonly at: number;
  readonly srcOffset: number;
  /** Wasm function index of a direct call's callee. */
  readonly callee?: number;
  /** A call_indirect: the simulator's BLX target histogram tells the callees. */
  readonly indirect?: true;
}

export interface MapFunction {
  /** Wasm function index. */
  readonly index: number;
  readonly name: string;
  /** The symbol whose address all offsets of this function are relative to. */
  readonly symbol: string;
  readonly size: number;
  /** In layout order; block i is machine block (label) i. */
  readonly blocks: readonly MapBlock[];
  readonly branches: readonly { readonly at: number; readonly to: number }[];
  readonly calls: readonly MapCall[];
}

export interface ProfileMap {
  readonly format: typeof PROFILE_MAP_FORMAT;
  readonly version: typeof PROFILE_MAP_VERSION;
  readonly functions: readonly MapFunction[];
}

/** The sites of one instruction, if it is a call emit.ts should record (Wasm calls only, not runtime helpers). */
export function callSiteOf(inst: MInst, offset: number): CallSite | undefined {
  if (inst.op === 'bl' && inst.srcOffset !== undefined) return { offset, srcOffset: inst.srcOffset, callee: inst.sym.name };
  if (inst.op === 'blx' && inst.srcOffset !== undefined) return { offset, srcOffset: inst.srcOffset };
  return undefined;
}

/** The IR block keys of a machine function's blocks (ProfileSites.blockKeys). */
export function blockKeysOf(mf: MFunction): ProfileSites['blockKeys'] {
  return mf.blocks.map((b) => (b.ordinal !== undefined ? { srcOffset: b.srcOffset, ordinal: b.ordinal } : undefined));
}

/** One placed function: where module-object.ts put it and what emit.ts recorded. */
export interface PlacedCode {
  readonly index: number;
  readonly name: string;
  readonly size: number;
  readonly blockOffsets: readonly number[];
  readonly sites: ProfileSites;
}

/** The map of a module's functions. */
export function buildProfileMap(mod: IrModule, functions: readonly PlacedCode[]): ProfileMap {
  const indexBySymbol = new Map(mod.functions.map((_, i) => [functionSymbol(mod, i), i]));
  return {
    format: PROFILE_MAP_FORMAT,
    version: PROFILE_MAP_VERSION,
    functions: functions.map((f) => ({
      index: f.index,
      name: f.name,
      symbol: functionSymbol(mod, f.index),
      size: f.size,
      blocks: f.blockOffsets.map((start, label) => {
        const key = f.sites.blockKeys[label];
        const end = f.blockOffsets[label + 1] ?? f.size;
        return key !== undefined ? { start, end, srcOffset: key.srcOffset, ordinal: key.ordinal } : { start, end };
      }),
      branches: f.sites.branches.map((b) => ({ at: b.offset, to: b.target })),
      calls: f.sites.calls.map((c): MapCall => {
        if (c.callee === undefined) return { at: c.offset, srcOffset: c.srcOffset, indirect: true };
        const callee = indexBySymbol.get(c.callee);
        return callee !== undefined ? { at: c.offset, srcOffset: c.srcOffset, callee } : { at: c.offset, srcOffset: c.srcOffset };
      }),
    })),
  };
}

/** The map as the bytes of its section: UTF-8 JSON. */
export function encodeProfileMap(map: ProfileMap): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(map));
}
