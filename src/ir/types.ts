// Basic IR vocabulary: value types, branded ids, trap kinds.

export type Type = 'i32' | 'i64' | 'f32' | 'f64';
export const TYPES: readonly Type[] = ['i32', 'i64', 'f32', 'f64'];

/** An SSA value. Branded so that a block id or a plain number cannot be passed by mistake. */
export type Value = number & { readonly __brand: 'Value' };
/** A basic block of one function. */
export type BlockId = number & { readonly __brand: 'Block' };

export const asValue = (n: number): Value => n as Value;
export const asBlock = (n: number): BlockId => n as BlockId;

/**
 * Trap kinds. The number is what the backend encodes in the trap site (UDF #n) and what
 * runtime-c reports; the firmware exits with 100 + n. Keep in step with runtime-c/trap.h
 * and the README's trap table.
 */
export const TRAP_KINDS = {
  'unreachable': 1,
  'integer divide by zero': 2,
  'integer overflow': 3,
  'out of bounds memory access': 4,
  'invalid conversion to integer': 5,
  'indirect call type mismatch': 6,
  'undefined element': 7,
  'uninitialized element': 8,
  'call stack exhausted': 9,
  'out of bounds table access': 10,
  'mmio access outside granted ranges': 11,
} as const;

export type TrapKind = keyof typeof TRAP_KINDS;

/** Integer comparison conditions (icmp). */
export type IntCC = 'eq' | 'ne' | 'slt' | 'sle' | 'sgt' | 'sge' | 'ult' | 'ule' | 'ugt' | 'uge';
export const INT_CCS: readonly IntCC[] = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'];

/** Float comparison conditions (fcmp), ordered as in Wasm: a NaN operand makes every
 *  condition false except ne, which it makes true. */
export type FloatCC = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export const FLOAT_CCS: readonly FloatCC[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];
