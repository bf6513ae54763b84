// Reading the profile map back from linked firmware: the `.mcu_aot.pgo_map` section the
// backend wrote (src/backend-thumb2/profile-map.ts), with every function-relative offset
// turned into a final address through the function's symbol in the ELF symbol table.

import {
  PROFILE_MAP_FORMAT,
  PROFILE_MAP_SECTION,
  PROFILE_MAP_VERSION,
  type MapCall,
  type MapFunction,
  type ProfileMap,
} from '../backend-thumb2/profile-map.js';
import { userError } from '../diagnostics/errors.js';
import { readExecutable } from '../elf/read-executable.js';

/** A machine block at its final address. */
export interface PlacedBlock {
  readonly start: number;
  readonly end: number;
  /** The IR block key, when the block starts an IR block. */
  readonly key?: { readonly srcOffset: number; readonly ordinal: number };
}

/** One function of the map at its final addresses. */
export interface PlacedMapFunction {
  readonly index: number;
  readonly name: string;
  readonly symbol: string;
  /** Address of its first instruction (no Thumb bit). */
  readonly address: number;
  readonly size: number;
  readonly blocks: readonly PlacedBlock[];
  /** Branch instruction address -> target block index. */
  readonly branches: readonly { readonly at: number; readonly to: number }[];
  readonly calls: readonly MapCall[];
}

export interface PlacedProfileMap {
  readonly functions: readonly PlacedMapFunction[];
}

/** The map of firmware `elf`, at final addresses; a UserError when it has none or it is damaged. */
export function readProfileMap(elf: Uint8Array, file: string): PlacedProfileMap {
  const exe = readExecutable(elf, file);
  const header = exe.sections.find((s) => s.name === PROFILE_MAP_SECTION);
  if (header === undefined) {
    throw userError('profile', `'${file}' has no profile map (section '${PROFILE_MAP_SECTION}')`, { statedInDetail: true },
      'build the firmware with mcu-aot profile, which adds it');
  }
  const map = parseMap(elf.subarray(header.fileOffset, header.fileOffset + header.size), file);
  const addresses = new Map<string, number>();
  for (const s of exe.symbols) if (s.type === 'func' && !addresses.has(s.name)) addresses.set(s.name, s.value & ~1);
  return {
    functions: map.functions.flatMap((f) => {
      const address = addresses.get(f.symbol);
      // gc-sections dropped nothing of ours (one .text), but a map from another tool might name a
      // function the firmware does not contain: it cannot have run, so it has no counts.
      return address === undefined ? [] : [placeFunction(f, address)];
    }),
  };
}

function placeFunction(f: MapFunction, address: number): PlacedMapFunction {
  return {
    index: f.index,
    name: f.name,
    symbol: f.symbol,
    address,
    size: f.size,
    blocks: f.blocks.map((b) => ({
      start: address + b.start,
      end: address + b.end,
      ...(b.ordinal !== undefined && b.srcOffset !== undefined ? { key: { srcOffset: b.srcOffset, ordinal: b.ordinal } } : {}),
    })),
    branches: f.branches.map((b) => ({ at: address + b.at, to: b.to })),
    calls: f.calls.map((c) => ({ ...c, at: address + c.at })),
  };
}

function parseMap(bytes: Uint8Array, file: string): ProfileMap {
  const damaged = (why: string): Error => userError('profile', `'${file}' has a damaged profile map: ${why}`, { statedInDetail: true });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw damaged('not JSON');
  }
  const map = json as Partial<ProfileMap> | null;
  if (map === null || typeof map !== 'object' || map.format !== PROFILE_MAP_FORMAT) throw damaged(`format is not '${PROFILE_MAP_FORMAT}'`);
  if (map.version !== PROFILE_MAP_VERSION) throw damaged(`version ${String(map.version)}, this mcu-aot reads ${PROFILE_MAP_VERSION}`);
  if (!Array.isArray(map.functions)) throw damaged('no function list');
  // The section is ours (written by the same compiler version it names), so past the
  // version check its shape is trusted.
  return map as ProfileMap;
}
