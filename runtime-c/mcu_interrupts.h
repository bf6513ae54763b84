/* Interrupt vectors a module can bind (docs/abi.md, "Interrupts").
 *
 * IRQ line n's vector entry is `__mcu_irq<n>_handler`. interrupts.c defines each one weakly
 * as "unhandled" (reported like any unexpected exception); when the project binds the line
 * to an exported handler, the compiler's interrupt veneer defines the strong symbol, which
 * wins at link time. SysTick stays clock.c's (the millisecond clock); it calls the weak
 * `__mcu_systick_handler` veneer after counting the tick. Keep MCU_IRQ_COUNT in step with
 * src/driver/interrupts.ts. */
#ifndef MCU_INTERRUPTS_H
#define MCU_INTERRUPTS_H

/* 48 covers lm3s6965 (lines up to 42 used) and mps2-an385 (up to 31). */
#define MCU_IRQ_COUNT 48

/* X(n) for every IRQ line n < MCU_IRQ_COUNT. */
#define MCU_IRQ_LINES(X)                                                                        \
  X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)         \
  X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30)   \
  X(31) X(32) X(33) X(34) X(35) X(36) X(37) X(38) X(39) X(40) X(41) X(42) X(43) X(44) X(45)   \
  X(46) X(47)

#define MCU_DECLARE_IRQ_HANDLER(n) void __mcu_irq##n##_handler(void);
MCU_IRQ_LINES(MCU_DECLARE_IRQ_HANDLER)
#undef MCU_DECLARE_IRQ_HANDLER

/* The module's SysTick handler veneer, absent (0) unless the project binds SysTick. */
void __mcu_systick_handler(void) __attribute__((weak));

#endif
