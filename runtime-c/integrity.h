/* A report on runtime-c's own state, for test harnesses that attack the sandbox
 * (test/robustness/sandbox.test.ts; docs/abi.md, "Runtime integrity"). Production firmware
 * never calls these; the linker's section garbage collection drops them. */
#ifndef MCU_INTEGRITY_H
#define MCU_INTEGRITY_H

#include <stdint.h>

/* What mcu_integrity_check found broken, one bit each (0: all intact). */
#define MCU_INTEGRITY_STACK_CANARY 0x1u    /* the lowest stack words were written */
#define MCU_INTEGRITY_MEMORY_CONTEXT 0x2u  /* [base-8]/[base-4] of the primary memory inconsistent */
#define MCU_INTEGRITY_R9 0x4u              /* r9 is not the primary memory's base */
#define MCU_INTEGRITY_GUARD 0x8u           /* bytes past the bound (inside physical memory) written */
#define MCU_INTEGRITY_MODULE_CONTEXT 0x10u /* another module's memory context inconsistent */

/* Writes the stack canary at __stack_bottom and a guard pattern into the physical bytes
 * just past the primary memory's bound (when the board gave more than is accessible).
 * Call once, before the code under test runs and after the stack is shallow. */
void mcu_integrity_arm(void);

/* The MCU_INTEGRITY_* bits of everything that is not as it must be. */
uint32_t mcu_integrity_check(void);

#endif
