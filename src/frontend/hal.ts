// The HAL import module `mcu`: the one definition of every function a module may import
// from it. The lowering reads it (which calls become inline register accesses, which
// signatures are right), runtime-c implements the `runtime` ones as `mcu__<name>`, and
// scripts/gen-hal.ts turns it into lib/assemblyscript/mcu.ts and lib/c/mcu.h.
// docs/hal.md describes each function for users.

import type { FuncType, ValType } from './module.js';

export const HAL_MODULE = 'mcu';

/** How a call is compiled: an inline single load/store of `bytes`, or a call into runtime-c. */
export type HalImplementation =
  | { readonly kind: 'read'; readonly bytes: 1 | 2 | 4 }
  | { readonly kind: 'write'; readonly bytes: 1 | 2 | 4 }
  | { readonly kind: 'runtime' };

export interface HalParam {
  readonly name: string;
  readonly type: 'i32';
  /** AssemblyScript's and C's spelling of the parameter (both unsigned: addresses, IRQ numbers). */
  readonly unsigned: boolean;
}

export interface HalFunction {
  readonly name: string;
  readonly params: readonly HalParam[];
  readonly result?: 'i32' | 'i64';
  readonly implementation: HalImplementation;
  /** One line for the generated declarations and docs/hal.md. */
  readonly doc: string;
}

const addr: HalParam = { name: 'addr', type: 'i32', unsigned: true };
const value: HalParam = { name: 'value', type: 'i32', unsigned: true };
const irq: HalParam = { name: 'irq', type: 'i32', unsigned: true };

const read = (bytes: 1 | 2 | 4): HalFunction => ({
  name: `read${bytes * 8}`,
  params: [addr],
  result: 'i32',
  implementation: { kind: 'read', bytes },
  doc: `Reads the ${bytes * 8}-bit register at \`addr\` (zero-extended): one inline load, checked against the granted ranges.`,
});
const write = (bytes: 1 | 2 | 4): HalFunction => ({
  name: `write${bytes * 8}`,
  params: [addr, value],
  implementation: { kind: 'write', bytes },
  doc: `Writes the low ${bytes * 8} bits of \`value\` to the register at \`addr\`: one inline store, checked against the granted ranges.`,
});
const runtime = (name: string, params: readonly HalParam[], result: HalFunction['result'], doc: string): HalFunction => ({
  name,
  params,
  ...(result !== undefined && { result }),
  implementation: { kind: 'runtime' },
  doc,
});

export const HAL_FUNCTIONS: readonly HalFunction[] = [
  read(1),
  read(2),
  read(4),
  write(1),
  write(2),
  write(4),
  runtime('irq_enable', [irq], undefined, 'Enables IRQ line `irq` in the NVIC.'),
  runtime('irq_disable', [irq], undefined, 'Disables IRQ line `irq` in the NVIC.'),
  runtime('irq_pending', [irq], 'i32', 'Returns 1 when IRQ line `irq` is pending, else 0.'),
  runtime('irq_set_pending', [irq], undefined, 'Makes IRQ line `irq` pending (a software-triggered interrupt).'),
  runtime('irq_clear_pending', [irq], undefined, 'Clears a pending IRQ line `irq`.'),
  runtime('interrupts_enable', [], undefined, 'Unmasks interrupts (cpsie i).'),
  runtime('interrupts_disable', [], undefined, 'Masks every interrupt with configurable priority (cpsid i).'),
  runtime('wait_for_interrupt', [], undefined, 'Sleeps until an interrupt arrives (wfi).'),
  runtime('millis', [], 'i32', 'Milliseconds since the clock started, wrapping at 2^32 (about 49.7 days): SysTick, started on first use, or at reset when a SysTick handler is bound.'),
  runtime('delay_ms', [{ name: 'ms', type: 'i32', unsigned: true }], undefined, 'Busy-waits `ms` milliseconds on the SysTick clock.'),
  runtime('cycles', [], 'i32', 'Processor clock cycles since the clock started, wrapping at 2^32 (from the SysTick count).'),
];

export function halFunction(name: string): HalFunction | undefined {
  return HAL_FUNCTIONS.find((f) => f.name === name);
}

/** The Wasm function type an import of `f` must have. */
export function halWasmType(f: HalFunction): FuncType {
  return { params: f.params.map((p): ValType => p.type), results: f.result === undefined ? [] : [f.result] };
}
