// Constant expressions at module level (global initialisers, segment offsets), evaluated
// at compile time. Only plain constants are supported: a global.get would read an
// imported global, and imported globals are not supported yet.

import { UserError, type Location } from '../../diagnostics/errors.js';
import type { ConstExpr } from '../module.js';

/** Initial value of a global: the number (i32, f32 bits) or bigint (i64, f64 bits). */
export function constantValue(expr: ConstExpr, what: string, where: Location): number | bigint {
  switch (expr.kind) {
    case 'i32.const':
    case 'i64.const':
      return expr.value;
    case 'f32.const':
    case 'f64.const':
      return expr.bits;
    default:
      throw unsupportedConst(expr, what, where);
  }
}

/** A segment offset: an i32 constant, as the unsigned address it denotes. */
export function constantOffset(expr: ConstExpr, what: string, where: Location): number {
  if (expr.kind !== 'i32.const') throw unsupportedConst(expr, what, where);
  return expr.value >>> 0;
}

function unsupportedConst(expr: ConstExpr, what: string, where: Location): UserError {
  const at = where.offset === undefined ? '' : ` at offset 0x${where.offset.toString(16)}`;
  return new UserError('unsupported', `${expr.kind} in the ${what}${at}`, where);
}
