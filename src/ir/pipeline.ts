// The IR pass pipeline: the passes every function goes through, in order, with the
// verifier after each one when asked (tests, debug builds) and text dumps for
// `--dump-after=<pass>`; `--disable=<pass>` skips one.

import { userError } from '../diagnostics/errors.js';
import type { IrFunction } from './function.js';
import type { Pass, PassContext } from './pass.js';
import * as dce from './passes/dce.js';
import * as removeUnreachableBlocks from './passes/remove-unreachable-blocks.js';
import * as simplifyBlockParams from './passes/simplify-block-params.js';
import { printFunction } from './printer.js';
import { assertValid, verifyContextFor } from './verifier.js';

export const PIPELINE: readonly Pass[] = [
  removeUnreachableBlocks, // before simplify-block-params, which leaves unreachable blocks alone
  simplifyBlockParams,
  dce, // after simplify-block-params: the args it drops may have been the only uses
];

export const PASS_NAMES: readonly string[] = PIPELINE.map((p) => p.name);

export interface PipelineOptions {
  /** Pass names to skip. */
  readonly disable?: readonly string[];
  /** Pass names after which to dump the function's text. */
  readonly dumpAfter?: readonly string[];
  /** Run the verifier on the input and after every pass. */
  readonly verify: boolean;
  readonly dump: (passName: string, text: string) => void;
  readonly context?: PassContext;
}

/** Run the pipeline on `f` in place. Unknown pass names are a usage error. A verifier
 *  failure is an InternalError naming the pass that broke the function ('IR construction' when the
 *  pipeline was given an invalid function). */
export function runPipeline(f: IrFunction, options: PipelineOptions): void {
  const disabled = checkedNames(options.disable ?? [], '--disable');
  const dumped = checkedNames(options.dumpAfter ?? [], '--dump-after');
  const context = options.context ?? {};
  const verifyContext = context.module === undefined ? {} : verifyContextFor(context.module);
  if (options.verify) assertValid(f, 'IR construction', verifyContext);
  for (const pass of PIPELINE) {
    if (disabled.has(pass.name)) continue;
    pass.run(f, context);
    if (options.verify) assertValid(f, pass.name, verifyContext);
    if (dumped.has(pass.name)) options.dump(pass.name, printFunction(f));
  }
}

function checkedNames(names: readonly string[], option: string): Set<string> {
  for (const n of names) {
    if (!PASS_NAMES.includes(n)) {
      throw userError('usage', `unknown pass '${n}' in ${option}`, {}, `passes: ${PASS_NAMES.join(', ')}`);
    }
  }
  return new Set(names);
}
