/* The lm3s6965's UART0, an ARM PL011 at 0x4000C000 on IRQ 5 (boards/lm3s6965.toml grants it
 * to every module). Registers from the PL011 TRM (ARM DDI 0183): DR 0x000, FR 0x018
 * (RXFE bit 4, TXFF bit 5), IMSC 0x038 (RXIM bit 4, RTIM bit 6), ICR 0x044. runtime-c has
 * already enabled the UART, its transmitter, receiver and FIFOs. */
#ifndef UART_ECHO_PL011_H
#define UART_ECHO_PL011_H

#include <stdbool.h>
#include <stdint.h>
#include "../../lib/c/mcu.h"

#define UART_RX_IRQ 5u

#define PL011_BASE 0x4000C000u
#define PL011_DR (PL011_BASE + 0x000u)
#define PL011_FR (PL011_BASE + 0x018u)
#define PL011_IMSC (PL011_BASE + 0x038u)
#define PL011_ICR (PL011_BASE + 0x044u)

#define PL011_FR_RXFE (1u << 4)
#define PL011_FR_TXFF (1u << 5)
/* Receive, and receive timeout: with FIFOs, real silicon raises RX only at the FIFO's trigger
 * level and reports a shorter burst through the timeout. */
#define PL011_INT_RX (1u << 4)
#define PL011_INT_RT (1u << 6)

static bool uart_can_read(void) { return (mcu_read32(PL011_FR) & PL011_FR_RXFE) == 0; }
static uint8_t uart_read(void) { return (uint8_t)mcu_read32(PL011_DR); }
static bool uart_can_write(void) { return (mcu_read32(PL011_FR) & PL011_FR_TXFF) == 0; }
static void uart_write(uint8_t byte) { mcu_write32(PL011_DR, byte); }

static void uart_enable_rx_interrupt(void) {
  mcu_write32(PL011_IMSC, mcu_read32(PL011_IMSC) | PL011_INT_RX | PL011_INT_RT);
}

static void uart_ack_rx_interrupt(void) { mcu_write32(PL011_ICR, PL011_INT_RX | PL011_INT_RT); }

#endif
