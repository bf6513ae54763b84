/* The MPS2 boards' UART0, an ARM CMSDK APB UART at 0x40004000 whose receive interrupt is IRQ 0
 * (boards/mps2-an385.toml grants it to every module). Registers from the Cortex-M System
 * Design Kit TRM (ARM DDI 0479): DATA 0x000, STATE 0x004 (TXFULL bit 0, RXFULL bit 1),
 * CTRL 0x008 (TX_EN bit 0, RX_EN bit 1, RX_INTEN bit 3), INTSTATUS/INTCLEAR 0x00C (RX bit 1).
 * runtime-c has already enabled the transmitter and the receiver. */
#ifndef UART_ECHO_CMSDK_UART_H
#define UART_ECHO_CMSDK_UART_H

#include <stdbool.h>
#include <stdint.h>
#include "../../lib/c/mcu.h"

#define UART_RX_IRQ 0u

#define CMSDK_UART_BASE 0x40004000u
#define CMSDK_UART_DATA (CMSDK_UART_BASE + 0x000u)
#define CMSDK_UART_STATE (CMSDK_UART_BASE + 0x004u)
#define CMSDK_UART_CTRL (CMSDK_UART_BASE + 0x008u)
#define CMSDK_UART_INTCLEAR (CMSDK_UART_BASE + 0x00Cu)

#define CMSDK_UART_STATE_TXFULL (1u << 0)
#define CMSDK_UART_STATE_RXFULL (1u << 1)
#define CMSDK_UART_CTRL_RX_INTEN (1u << 3)
#define CMSDK_UART_INT_RX (1u << 1)

static bool uart_can_read(void) { return (mcu_read32(CMSDK_UART_STATE) & CMSDK_UART_STATE_RXFULL) != 0; }
static uint8_t uart_read(void) { return (uint8_t)mcu_read32(CMSDK_UART_DATA); }
static bool uart_can_write(void) { return (mcu_read32(CMSDK_UART_STATE) & CMSDK_UART_STATE_TXFULL) == 0; }
static void uart_write(uint8_t byte) { mcu_write32(CMSDK_UART_DATA, byte); }

static void uart_enable_rx_interrupt(void) {
  mcu_write32(CMSDK_UART_CTRL, mcu_read32(CMSDK_UART_CTRL) | CMSDK_UART_CTRL_RX_INTEN);
}

/* The receive interrupt stays raised until it is cleared (reading DATA does not clear it). */
static void uart_ack_rx_interrupt(void) { mcu_write32(CMSDK_UART_INTCLEAR, CMSDK_UART_INT_RX); }

#endif
