// `mcu-aot build app.wasm lib.wasm ... --board b`: several modules linked into one firmware
// by import/export names (multi-module.ts). The first module is the entry (its `_start` or
// `main` runs); the others are instantiated before it, in the order given, and each is
// imported by its file name without the extension, or by the name in `name=path`.

import type { LinkResult } from '../linker/link.js';
import type { BuildOptions } from './build.js';
import { buildFirmware, firmwareInputsFromFiles } from './multi-module.js';
import { userError } from '../diagnostics/errors.js';

/** The options a multi-module build honours; the rest are single-module features. */
const UNSUPPORTED: readonly (keyof BuildOptions)[] = ['profile', 'profileMap', 'interrupts', 'strictMemory', 'bounds', 'stackSize'];

/** Link `opts.input` with `libraries` into one firmware. */
export async function linkModuleFiles(opts: BuildOptions, libraries: readonly string[]): Promise<LinkResult> {
  if (opts.emit === 'obj') throw userError('usage', 'several modules link into one firmware: --emit obj takes one module', { file: opts.input });
  for (const key of UNSUPPORTED) {
    const value = opts[key];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      throw userError('usage', `option '${key}' works on a single module only, not with several modules`, { file: opts.input });
    }
  }
  const inputs = await firmwareInputsFromFiles([opts.input, ...libraries]);
  const { link } = await buildFirmware(inputs, opts.board, {
    ...(opts.memory !== undefined && { memory: opts.memory }),
    ...(opts.verify !== undefined && { verify: opts.verify }),
    log: opts.log,
  });
  return link;
}
