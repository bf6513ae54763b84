// How the profile changes inline's choices: a call site the profile saw run often (hot) may
// inline a larger callee and grow the caller further; a site it never saw run (cold) only
// inlines what does not grow the code, as at -Os, since its speed does not matter and flash
// does. Sites the profile says nothing about, and builds without a profile, keep inline's
// own limits.

import type { Block, Inst } from '../function.js';
import type { PassContext } from '../pass.js';
import { sourceKeyOf } from './pgo-profile.js';

export type SiteHeat = 'hot' | 'cold' | 'unknown';

/** The largest callee (inline's cost estimate) a hot site inlines. */
export const HOT_INLINE_MAX_COST = 40;
/** How much more a caller may grow through hot sites, on top of inline's own budget. */
export const HOT_GROWTH_BUDGET = 200;

/** The heat of the call `call` in `block`: the profile's count of the call site, or of its block. */
export function callSiteHeat(ctx: PassContext, block: Block, call: Inst): SiteHeat {
  const profile = ctx.profile;
  if (profile === undefined) return 'unknown';
  const count = profile.callSiteCount(call.srcOffset) ?? profile.blockCount(sourceKeyOf(block));
  if (count === undefined) return 'unknown';
  if (count === 0) return 'cold';
  return profile.isHot(count) ? 'hot' : 'unknown';
}
