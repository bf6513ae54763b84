/* ARM CMSDK APB UART (mps2-an385: UART0 at 0x40004000).
 * Registers as QEMU 7.2 hw/char/cmsdk-apb-uart.c models them: DATA 0x000, STATE 0x004
 * (TXFULL bit 0), CTRL 0x008 (TX_EN bit 0), BAUDDIV 0x010.
 * Without CTRL.TX_EN QEMU never sends a DATA write and never clears STATE.TXFULL, so
 * the first putc would wait forever (seen with QEMU 7.2). BAUDDIV < 16 is an illegal
 * divider that QEMU's uart_baudrate_ok() ignores and real hardware cannot use, so we
 * program 16, the smallest legal one: QEMU's host side ignores the baud rate anyway. */
#include "mcu_runtime.h"

#ifndef MCU_CONSOLE_BASE
#error "MCU_CONSOLE_BASE (the UART's base address) must be defined"
#endif

#define CMSDK_UART_REG(offset) (*(volatile uint32_t *)((uintptr_t)(MCU_CONSOLE_BASE) + (offset)))
#define CMSDK_UART_DATA CMSDK_UART_REG(0x000)
#define CMSDK_UART_STATE CMSDK_UART_REG(0x004)
#define CMSDK_UART_CTRL CMSDK_UART_REG(0x008)
#define CMSDK_UART_BAUDDIV CMSDK_UART_REG(0x010)

#define CMSDK_UART_STATE_TXFULL (1u << 0)
#define CMSDK_UART_CTRL_TX_EN (1u << 0)
#define CMSDK_UART_CTRL_RX_EN (1u << 1)
#define CMSDK_UART_MIN_BAUDDIV 16u

void mcu_console_init(void) {
  CMSDK_UART_BAUDDIV = CMSDK_UART_MIN_BAUDDIV;
  CMSDK_UART_CTRL = CMSDK_UART_CTRL_TX_EN | CMSDK_UART_CTRL_RX_EN;
}

void mcu_console_putc(char c) {
  while ((CMSDK_UART_STATE & CMSDK_UART_STATE_TXFULL) != 0) {
  }
  CMSDK_UART_DATA = (uint8_t)c;
}
