// The IR pass pipeline: the passes every function goes through, in order, with the
// verifier after each one when asked (tests, debug builds) and text dumps for
// `--dump-after=<pass>`; `--disable=<pass>` skips one.

import { userError } from '../diagnostics/errors.js';
import type { IrFunction } from './function.js';
import type { Pass, PassContext } from './pass.js';
import * as boundsCheckElim from './passes/bounds-check-elim.js';
import * as constFold from './passes/const-fold.js';
import * as copyProp from './passes/copy-prop.js';
import * as dce from './passes/dce.js';
import * as deadBlockParams from './passes/dead-block-params.js';
import * as gvn from './passes/gvn.js';
import * as inline from './passes/inline.js';
import * as licm from './passes/licm.js';
import * as loadStoreElim from './passes/load-store-elim.js';
import * as pgoBlockLayout from './passes/pgo-block-layout.js';
import * as pgoBlockWeights from './passes/pgo-block-weights.js';
import * as pgoIndirectCall from './passes/pgo-indirect-call.js';
import * as pgoSwitchOrder from './passes/pgo-switch-order.js';
import * as removeUnreachableBlocks from './passes/remove-unreachable-blocks.js';
import * as simplifyBlockParams from './passes/simplify-block-params.js';
import * as strengthReduce from './passes/strength-reduce.js';
import { printFunction } from './printer.js';
import { assertValid, verifyContextFor } from './verifier.js';

/** Optimisation level, as `-O<level>` spells it (the driver's OptLevel). -O3 is -O2. */
export type IrOptLevel = '0' | '1' | '2' | '3' | 's';

/** What code generation needs: no unreachable blocks, compact SSA. */
const REQUIRED: readonly Pass[] = [
  removeUnreachableBlocks, // before simplify-block-params, which leaves unreachable blocks alone
  simplifyBlockParams,
];

const O1: readonly Pass[] = [
  ...REQUIRED,
  constFold, // folds branches too: removes the blocks they no longer reach
  copyProp, // identities and the block params that folding left with one value
  deadBlockParams, // loop-carried values nothing reads: their args become dead for dce
  dce, // last: what the others left unused (the args simplify-block-params dropped, too)
];

const O2: readonly Pass[] = [
  ...REQUIRED,
  pgoIndirectCall, // profile: a dominant call_indirect target becomes a direct call, for inline
  inline, // first: the inlined bodies go through everything after it with the caller
  constFold,
  copyProp,
  strengthReduce, // after const-fold: divisors it made constant
  gvn, // after strength-reduce: the shifts and masks it created merge
  licm, // after gvn: one copy of each invariant to hoist
  loadStoreElim,
  boundsCheckElim, // after gvn and load-store-elim: equal addresses are one value
  deadBlockParams, // loop-carried values nothing reads: their args become dead for dce
  dce,
  pgoSwitchOrder, // profile: compares for the dominant br_table targets (after const-fold settled the index)
  pgoBlockLayout, // profile: the block order is the machine code's
  pgoBlockWeights, // profile: last, the frequencies of the blocks the backend gets (spill costs)
];

export const PIPELINES: Readonly<Record<IrOptLevel, readonly Pass[]>> = { '0': REQUIRED, '1': O1, '2': O2, '3': O2, s: O2 };

/** The default pipeline (-O2), in order. */
export const PIPELINE: readonly Pass[] = O2;

/** Every pass any level runs: what --disable and --dump-after accept. */
export const PASS_NAMES: readonly string[] = [...new Set(O2.map((p) => p.name))];

export interface PipelineOptions {
  /** Pass names to skip. */
  readonly disable?: readonly string[];
  /** Pass names after which to dump the function's text. */
  readonly dumpAfter?: readonly string[];
  /** Run the verifier on the input and after every pass (it names the pass that broke the
   *  function). Without it the verifier runs once, on the pipeline's output: verifying after
   *  every pass is about a quarter of compile time. */
  readonly verify: boolean;
  readonly dump: (passName: string, text: string) => void;
  readonly context?: PassContext;
  /** Which pipeline (default -O2). -Os also makes the passes favour size (inline). */
  readonly optLevel?: IrOptLevel;
}

/** Run the pipeline on `f` in place. Unknown pass names are a usage error. A verifier
 *  failure is an InternalError naming the pass that broke the function ('IR construction' when the
 *  pipeline was given an invalid function). */
export function runPipeline(f: IrFunction, options: PipelineOptions): void {
  const disabled = checkedNames(options.disable ?? [], '--disable');
  const dumped = checkedNames(options.dumpAfter ?? [], '--dump-after');
  const level = options.optLevel ?? '2';
  const context: PassContext = { ...options.context, ...(level === 's' && { optimizeForSize: true }) };
  const verifyContext = context.module === undefined ? {} : verifyContextFor(context.module);
  if (options.verify) assertValid(f, 'IR construction', verifyContext);
  for (const pass of PIPELINES[level]) {
    if (disabled.has(pass.name)) continue;
    pass.run(f, context);
    if (options.verify) assertValid(f, pass.name, verifyContext);
    if (dumped.has(pass.name)) options.dump(pass.name, printFunction(f));
  }
  if (!options.verify) assertValid(f, 'the optimisation pipeline', verifyContext);
}

function checkedNames(names: readonly string[], option: string): Set<string> {
  for (const n of names) {
    if (!PASS_NAMES.includes(n)) {
      throw userError('usage', `unknown pass '${n}' in ${option}`, {}, `passes: ${PASS_NAMES.join(', ')}`);
    }
  }
  return new Set(names);
}
