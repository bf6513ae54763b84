// remove-unreachable-blocks: drop the blocks no path from the entry reaches.
// Their values become stale entries of the value table, like any removed definition;
// no reachable block can use them (a use there would not be dominated). Invalidates the
// CFG and the dominator tree.

import { buildCfg } from '../analysis/cfg.js';
import type { IrFunction } from '../function.js';
import type { PassContext } from '../pass.js';

export const name = 'remove-unreachable-blocks';

export function run(func: IrFunction, _ctx: PassContext): void {
  const cfg = buildCfg(func);
  func.blocks = func.blocks.filter((b) => cfg.isReachable(b.id));
}
