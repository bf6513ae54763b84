// The linear-memory bounds policy of a build (`--bounds`, mcu-aot.toml `bounds`):
// - 'trap' (default): exact Wasm semantics. Every access is checked against the bound and
//   an out-of-bounds one traps; the IR optimiser removes the checks it can prove redundant.
// - 'mask': for a power-of-two physical memory of P bytes, every access takes its address
//   modulo P (one ubfx) and never traps. An out-of-bounds access wraps around inside linear
//   memory instead: sandbox-safe (it never touches anything outside linear memory) but
//   not the Wasm semantics, so a program that relies on the trap behaves differently.
// Linear memory then gets P + 8 bytes: an access of up to 8 bytes that wraps to the last
// address still ends inside it.

import { userError } from '../diagnostics/errors.js';
import type { IrModule } from '../ir/module.js';

export type BoundsMode = 'trap' | 'mask';

export const BOUNDS_MODES: readonly BoundsMode[] = ['trap', 'mask'];

const WASM_PAGE = 65536;
/** Bytes past P that a wrapped access may reach: the widest access is 8 bytes. */
const MASK_TAIL_BYTES = 8;

export interface BoundsRequest {
  readonly bounds?: BoundsMode | undefined;
  /** --memory: the physical size in bytes. */
  readonly memory?: number | undefined;
}

/** The masked size P: --memory, else the declared initial memory. Refused unless a power of two. */
function maskedBytes(req: BoundsRequest, memory: IrModule['memory']): number | undefined {
  if (req.bounds !== 'mask' || memory === undefined) return undefined;
  const bytes = req.memory ?? memory.minPages * WASM_PAGE;
  const source = req.memory !== undefined ? '--memory' : 'the declared memory';
  if (bytes < 8 || (bytes & (bytes - 1)) !== 0 || bytes > 2 ** 31) {
    throw userError('usage', `--bounds=mask needs a power-of-two linear memory size; ${source} is ${bytes} bytes`, {},
      'pass --memory <size> with a power of two (e.g. 64K), or use --bounds=trap');
  }
  return bytes;
}

/** log2 of P for the code generator (TargetFeatures.maskBits), when masking. */
export function maskBitsFor(req: BoundsRequest, memory: IrModule['memory']): number | undefined {
  const bytes = maskedBytes(req, memory);
  return bytes === undefined ? undefined : Math.log2(bytes);
}

/** The physical size to ask the linker for: P plus the wrap tail when masking, else --memory. */
export function physicalMemoryFor(req: BoundsRequest, memory: IrModule['memory']): number | undefined {
  const bytes = maskedBytes(req, memory);
  return bytes === undefined ? req.memory : bytes + MASK_TAIL_BYTES;
}
