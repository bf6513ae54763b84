/* An interrupt-driven UART echo, the board-independent part.
 *
 * The UART's receive interrupt runs on_uart_rx, which reads every received byte through the
 * HAL's register reads (mcu_read32: one inline load of the UART's data register, which the
 * board file grants) and writes it straight back. The main loop sleeps in
 * wait-for-interrupt until a line "quit" or a Ctrl-D arrives, then says how many bytes it
 * echoed and exits with code 0.
 *
 * The board's main.c includes its UART driver first, which defines UART_RX_IRQ and
 * uart_can_read(), uart_read(), uart_can_write(), uart_write(),
 * uart_enable_rx_interrupt() and uart_ack_rx_interrupt(). */
#include <stdbool.h>
#include <stdint.h>

#define CTRL_D 0x04
#define QUIT_COMMAND "quit"
#define QUIT_LENGTH 4u

/* Shared between the handler and the main loop: volatile, so that the main loop reads it
 * again after every wake-up. */
static volatile bool finished;
static volatile uint32_t echoed;

/* The handler's own state: the start of the line being typed and its full length. */
static char line_start[QUIT_LENGTH];
static uint32_t line_length;

static void put_char(char c) {
  while (!uart_can_write()) {
  }
  uart_write((uint8_t)c);
}

static void put_string(const char *text) {
  while (*text != '\0') put_char(*text++);
}

static void put_unsigned(uint32_t value) {
  if (value >= 10u) put_unsigned(value / 10u);
  put_char((char)('0' + value % 10u));
}

static bool line_is_quit(void) {
  if (line_length != QUIT_LENGTH) return false;
  for (uint32_t i = 0; i < QUIT_LENGTH; i++) {
    if (line_start[i] != QUIT_COMMAND[i]) return false;
  }
  return true;
}

/* One received byte. A terminal in raw mode sends Enter as '\r': it ends a line too. */
static void on_byte(char c) {
  if (finished) return;
  if (c == CTRL_D) {
    finished = true;
    return;
  }
  if (c == '\r') c = '\n';
  put_char(c);
  echoed++;
  if (c == '\n') {
    finished = line_is_quit();
    line_length = 0;
    return;
  }
  if (line_length < QUIT_LENGTH) line_start[line_length] = c;
  line_length++;
}

/* Bound to the UART's receive line in mcu-aot.toml [interrupts]. Acknowledging before
 * draining means a byte that arrives after the last read raises the interrupt again. */
__attribute__((export_name("on_uart_rx"))) void on_uart_rx(void) {
  uart_ack_rx_interrupt();
  while (uart_can_read()) on_byte((char)uart_read());
}

int main(void) {
  put_string("uart-echo: type a line; \"quit\" or Ctrl-D ends\n");
  uart_enable_rx_interrupt();
  mcu_irq_enable(UART_RX_IRQ);
  /* A byte that arrived before the interrupt was enabled raises nothing by itself on every
   * UART (a CMSDK UART flags only what it receives with RX_INTEN set): run the handler once
   * to take it. */
  mcu_irq_set_pending(UART_RX_IRQ);

  /* Check and sleep with interrupts masked: an interrupt between the check and the wfi
   * would otherwise be missed and leave the loop asleep. wfi still wakes on a pending
   * interrupt while masked; unmasking lets the handler run. */
  mcu_interrupts_disable();
  while (!finished) {
    mcu_wait_for_interrupt();
    mcu_interrupts_enable();
    mcu_interrupts_disable();
  }
  mcu_interrupts_enable();
  mcu_irq_disable(UART_RX_IRQ);

  put_string("bye: echoed ");
  put_unsigned(echoed);
  put_string(" bytes\n");
  return 0;
}
