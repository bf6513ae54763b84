// Interrupt bindings (docs/abi.md, "Interrupts"): the project config's `[interrupts]` table
// maps an IRQ line, named as the board's `[irqs]` table names it (or by number), or the
// core's SysTick, to a function the module exports. Each binding becomes an interrupt
// veneer on that line's vector (src/backend-thumb2/interrupt-veneers.ts).

import { irqVectorSymbol, SYSTICK_VECTOR_SYMBOL, type InterruptVeneerSpec } from '../backend-thumb2/interrupt-veneers.js';
import { exportSymbol } from '../backend-thumb2/symbols.js';
import { userError } from '../diagnostics/errors.js';
import type { Location } from '../diagnostics/errors.js';
import type { IrModule } from '../ir/module.js';
import type { Board } from './board.js';
import type { InterruptBinding } from './project.js';

/** IRQ lines runtime-c's vector table has (runtime-c/mcu_interrupts.h MCU_IRQ_COUNT). */
export const RUNTIME_IRQ_COUNT = 48;
/** The core's timer: every board has it; clock.c chains to the bound handler. */
export const SYSTICK = 'SysTick';

/** The IRQ number a binding names: the board's name for it (any case), or a number. */
function irqNumber(irq: string, board: Board, where: Location): number {
  const lines = board.irqs ?? {};
  const named = Object.entries(lines).find(([name]) => name.toLowerCase() === irq.toLowerCase());
  if (named !== undefined) return named[1];
  if (/^\d+$/.test(irq)) return Number(irq);
  const known = Object.keys(lines);
  throw userError(
    'interrupts',
    `'${irq}' is not an IRQ line of board ${board.name}`,
    where,
    `its lines: ${known.length > 0 ? known.join(', ') : '(the board file names none: use the IRQ number)'}, ${SYSTICK}`,
  );
}

/** The exported () -> () function `name` of the module, or a UserError. */
function handlerSymbol(mod: IrModule, name: string, irq: string, where: Location): string {
  const decl = mod.functions.find((f) => f.exports.includes(name));
  if (decl === undefined) {
    const exported = mod.functions.flatMap((f) => f.exports);
    throw userError('interrupts', `the handler '${name}' bound to ${irq} is not an exported function`, where, `exported functions: ${exported.length > 0 ? exported.join(', ') : 'none'}`);
  }
  const sig = mod.signatures[decl.sigIndex]!;
  if (sig.params.length !== 0 || sig.results.length !== 0) {
    throw userError('interrupts', `the handler '${name}' bound to ${irq} must take and return nothing, it is (${sig.params.join(', ')}) -> (${sig.results.join(', ')})`, where);
  }
  return exportSymbol(mod, name);
}

/** One veneer per binding, checked against the board and the module. */
export function interruptVeneerSpecs(bindings: readonly InterruptBinding[], board: Board, mod: IrModule): InterruptVeneerSpec[] {
  const seen = new Map<string, string>();
  return bindings.map(({ irq, handler, where: file }) => {
    const where: Location = file !== undefined ? { file } : {};
    let vector: string;
    if (irq.toLowerCase() === SYSTICK.toLowerCase()) {
      vector = SYSTICK_VECTOR_SYMBOL;
    } else {
      const n = irqNumber(irq, board, where);
      if (n >= RUNTIME_IRQ_COUNT) throw userError('interrupts', `IRQ ${irq} (${n}) is beyond runtime-c's vector table of ${RUNTIME_IRQ_COUNT} lines`, where);
      vector = irqVectorSymbol(n);
    }
    const other = seen.get(vector);
    if (other !== undefined) throw userError('interrupts', `${irq} is bound twice (also as ${other})`, where);
    seen.set(vector, irq);
    return { vector, handler: handlerSymbol(mod, handler, irq, where) };
  });
}
