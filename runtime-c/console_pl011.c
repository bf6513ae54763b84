/* ARM PL011 UART (lm3s6965: UART0 at 0x4000C000).
 * Registers from the PL011 TRM (DDI 0183) as QEMU 7.2 hw/char/pl011.c models them:
 * DR 0x000, FR 0x018 (TXFF bit 5), IBRD 0x024, FBRD 0x028, LCR_H 0x02C, CR 0x030.
 * QEMU sends every DR write to the host; real silicon also needs the UART enabled, so we
 * program 8N1 with FIFOs and UARTEN|TXE|RXE. Clock gating and pin muxing of the real
 * LM3S6965 (SYSCTL RCGC1, GPIO AFSEL) are not done: QEMU does not model them. */
#include "mcu_runtime.h"

#ifndef MCU_CONSOLE_BASE
#error "MCU_CONSOLE_BASE (the UART's base address) must be defined"
#endif

#define PL011_REG(offset) (*(volatile uint32_t *)((uintptr_t)(MCU_CONSOLE_BASE) + (offset)))
#define PL011_DR PL011_REG(0x000)
#define PL011_FR PL011_REG(0x018)
#define PL011_LCR_H PL011_REG(0x02c)
#define PL011_CR PL011_REG(0x030)

#define PL011_FR_TXFF (1u << 5)
#define PL011_LCR_H_FEN (1u << 4)
#define PL011_LCR_H_WLEN_8 (3u << 5)
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE (1u << 8)
#define PL011_CR_RXE (1u << 9)

void mcu_console_init(void) {
  PL011_CR = 0;
  PL011_LCR_H = PL011_LCR_H_WLEN_8 | PL011_LCR_H_FEN;
  PL011_CR = PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE;
}

void mcu_console_putc(char c) {
  while ((PL011_FR & PL011_FR_TXFF) != 0) {
  }
  PL011_DR = (uint8_t)c;
}
