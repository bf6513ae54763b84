// Peripheral grants: the address ranges the HAL's inline register accesses (mcu.read32,
// mcu.write32...) may touch. The board grants some (`[[peripherals]]` in its TOML: the
// console UART), the project config's `[peripherals]` and `--grant` add more.
//
// A grant is for devices, never for memory: a range overlapping the board's flash or RAM
// (where runtime-c keeps the stack, its data, and the linear memory) would let a module
// write over the runtime, or another module's memory, past the Wasm sandbox. It is refused.

import { userError } from '../diagnostics/errors.js';
import type { MmioGrant } from '../frontend/lower/hal.js';
import type { Board, MemoryRegion } from './board.js';
import type { PeripheralGrant } from './project.js';

/** Every range the module may touch: the board's, then the project's; refused when one overlaps memory. */
export function grantedRanges(board: Board, extra: readonly PeripheralGrant[] = []): MmioGrant[] {
  for (const grant of extra) checkGrantOutsideMemory(grant, board);
  return [...(board.peripherals ?? []), ...extra];
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const span = (start: number, size: number): string => `${hex(start)}-${hex(start + size - 1)}`;
const overlaps = (base: number, size: number, region: MemoryRegion): boolean =>
  base < region.origin + region.size && region.origin < base + size;

/** A UserError naming where the grant was written and the memory it overlaps. */
export function checkGrantOutsideMemory(grant: PeripheralGrant, board: Board): void {
  const regions: [string, MemoryRegion][] = [['RAM', board.ram], ['flash', board.flash]];
  const hit = regions.find(([, region]) => overlaps(grant.base, grant.size, region));
  if (hit === undefined) return;
  const [what, region] = hit;
  const by = grant.where === undefined ? ' (--grant)' : '';
  throw userError(grant.where !== undefined ? 'config' : 'usage',
    `peripheral grant '${grant.name}'${by} ${span(grant.base, grant.size)} overlaps ${board.name}'s ${what} ${span(region.origin, region.size)}`,
    grant.where !== undefined ? { file: grant.where } : {},
    `grant device registers only; ${what === 'RAM' ? 'RAM belongs to the runtime: its stack, data and the linear memory' : 'flash holds the firmware'}`);
}

/** `--grant name=base:size[:access]` (numbers in decimal or 0x hex) -> a grant, or undefined. */
export function parseGrantFlag(text: string): PeripheralGrant | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_.-]*)=(0x[0-9a-fA-F_]+|\d+):(0x[0-9a-fA-F_]+|\d+)(?::(r|w|rw))?$/.exec(text.trim());
  if (m === null) return undefined;
  const base = Number(m[2]!.replace(/_/g, ''));
  const size = Number(m[3]!.replace(/_/g, ''));
  if (size <= 0 || base + size > 2 ** 32) return undefined;
  return { name: m[1]!, base, size, access: (m[4] ?? 'rw') as PeripheralGrant['access'] };
}
