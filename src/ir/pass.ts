// What a pass is: a named transformation of one function. A pass module exports `name` and
// `run`, keeps no state between calls and does no I/O; everything it may read besides the
// function comes in the PassContext.

import type { IrFunction } from './function.js';
import type { IrModule } from './module.js';
import type { FunctionProfileView } from './passes/pgo-profile.js';

export interface PassContext {
  /** The module the function belongs to, when known: signatures, globals, tables. */
  readonly module?: IrModule;
  /** -Os: passes that trade size for speed (inline) only do what does not grow the code. */
  readonly optimizeForSize?: boolean;
  /** Profile-guided builds: this function's execution counts, when the profile is valid for
   *  its body. Passes that read it do nothing without it. */
  readonly profile?: FunctionProfileView;
  /** Functions that must stay real, called functions (indices): inline never copies them.
   *  The benchmarks' timed-region markers, whose entries an instruction counter watches. */
  readonly keepOutOfLine?: ReadonlySet<number>;
}

export interface Pass {
  readonly name: string;
  run(func: IrFunction, ctx: PassContext): void;
}
