// The Thumb-2 backend's entry point: an IR module in, one relocatable object out.

import type { ObjectFile } from '../elf/object.js';
import type { IrModule } from '../ir/module.js';
import { generateFunction } from './codegen.js';
import { emitFunction } from './emit.js';
import { buildModuleObject, type ModuleObjectOptions } from './module-object.js';
import { SOFT_FLOAT_TARGET, type TargetFeatures } from './target.js';

export interface CompileOptions extends ModuleObjectOptions {
  /** The core's features (the board's FPU); soft-float code when absent. */
  readonly target?: TargetFeatures;
  /** Told before each function is compiled (`done` of `total` finished): a build's progress line. */
  readonly onFunction?: (done: number, total: number, name: string) => void;
}

/**
 * Select, allocate and emit every function body, then assemble the module object. Pure:
 * the same module gives the same bytes.
 */
export function compileModule(mod: IrModule, opts: CompileOptions = {}): ObjectFile {
  const target = opts.target ?? SOFT_FLOAT_TARGET;
  const functions = mod.bodies.map((body, i) => {
    opts.onFunction?.(i, mod.bodies.length, body.name);
    return emitFunction(generateFunction(body, mod, target));
  });
  return buildModuleObject(mod, functions, opts);
}
