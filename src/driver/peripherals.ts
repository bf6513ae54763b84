// Peripheral grants: the address ranges the HAL's inline register accesses (mcu.read32,
// mcu.write32...) may touch. The board grants some (`[[peripherals]]` in its TOML: the
// console UART), the project config's `[peripherals]` and `--grant` add more.

import type { MmioGrant } from '../frontend/lower/hal.js';
import type { Board } from './board.js';
import type { PeripheralGrant } from './project.js';

/** Every range the module may touch: the board's, then the project's. */
export function grantedRanges(board: Board, extra: readonly PeripheralGrant[] = []): MmioGrant[] {
  return [...(board.peripherals ?? []), ...extra];
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
