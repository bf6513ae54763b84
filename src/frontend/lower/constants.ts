// Constant expressions at module level (global initialisers, segment offsets), evaluated
// at compile time. A global.get reads an imported immutable global: its value is known
// when a multi-module build bound the import to another module's export (the driver
// passes a ConstEnv that looks it up); otherwise the expression is not supported.

import { UserError, type Location } from '../../diagnostics/errors.js';
import type { ConstExpr, WasmModule } from '../module.js';

/** What a constant expression may read besides its own constants. */
export interface ConstEnv {
  readonly m: WasmModule;
  /** The value of imported global `module.name`, when the build knows it. */
  readonly importedGlobal?: (module: string, name: string) => number | bigint | undefined;
}

/** Initial value of a global: the number (i32, f32 bits) or bigint (i64, f64 bits); a
 *  null reference is 0. ref.func is the caller's to handle (it is a symbol, not a number). */
export function constantValue(expr: ConstExpr, what: string, where: Location, env?: ConstEnv): number | bigint {
  switch (expr.kind) {
    case 'i32.const':
    case 'i64.const':
      return expr.value;
    case 'f32.const':
    case 'f64.const':
      return expr.bits;
    case 'ref.null':
      return 0;
    case 'global.get': {
      const value = env === undefined ? undefined : globalValue(env, expr.index, what, where);
      if (value === undefined) throw unsupportedConst(expr, what, where);
      return value;
    }
    default:
      throw unsupportedConst(expr, what, where);
  }
}

/** A segment offset: an i32 constant (or imported i32 global), as the unsigned address it denotes. */
export function constantOffset(expr: ConstExpr, what: string, where: Location, env?: ConstEnv): number {
  if (expr.kind !== 'i32.const' && expr.kind !== 'global.get') throw unsupportedConst(expr, what, where);
  return Number(constantValue(expr, what, where, env)) >>> 0;
}

/** The value of global `index`: an import's from the environment, a defined one's from its
 *  own initialiser (newer Wasm lets constant expressions read earlier defined globals). */
function globalValue(env: ConstEnv, index: number, what: string, where: Location): number | bigint | undefined {
  const imports = env.m.imports.filter((i) => i.desc.kind === 'global');
  const imported = imports[index];
  if (imported !== undefined) return env.importedGlobal?.(imported.module, imported.name);
  const defined = env.m.globals[index - imports.length];
  if (defined === undefined || defined.init.kind === 'global.get') return undefined;
  return constantValue(defined.init, what, where, env);
}

function unsupportedConst(expr: ConstExpr, what: string, where: Location): UserError {
  const at = where.offset === undefined ? '' : ` at offset 0x${where.offset.toString(16)}`;
  return new UserError('unsupported', `${expr.kind} in the ${what}${at}`, where);
}
