/* Default IRQ vectors: every line a module does not bind is "unhandled", which ends in the
 * fault handler as "fault: exception <16 + n>" (mcu_interrupts.h explains the binding). */
#include "mcu_interrupts.h"

void mcu_fault_entry(void);

/* A plain branch keeps LR (EXC_RETURN) and the stacked frame exactly as the exception left
 * them, so the fault handler reports the IRQ as it would any exception it was given. */
__attribute__((naked)) void mcu_irq_unhandled(void) { __asm__ volatile("b mcu_fault_entry"); }

#define MCU_DEFAULT_IRQ_HANDLER(n) void __mcu_irq##n##_handler(void) __attribute__((weak, alias("mcu_irq_unhandled")));
MCU_IRQ_LINES(MCU_DEFAULT_IRQ_HANDLER)
