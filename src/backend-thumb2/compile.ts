// The Thumb-2 backend's entry point: an IR module in, one relocatable object out.

import type { ObjectFile } from '../elf/object.js';
import type { IrModule } from '../ir/module.js';
import { generateFunction } from './codegen.js';
import { emitFunction } from './emit.js';
import { buildModuleObject, type ModuleObjectOptions } from './module-object.js';

/**
 * Select, allocate and emit every function body, then assemble the module object. Pure:
 * the same module gives the same bytes.
 */
export function compileModule(mod: IrModule, opts: ModuleObjectOptions = {}): ObjectFile {
  const functions = mod.bodies.map((body) => emitFunction(generateFunction(body, mod)));
  return buildModuleObject(mod, functions, opts);
}
