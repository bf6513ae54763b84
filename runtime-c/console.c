/* Console text output over the board's UART driver (console_<kind>.c).
 * No printf: the runtime stays a few KiB, and these three shapes are all it prints. */
#include "mcu_runtime.h"

void mcu_console_write(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) mcu_console_putc(s[i]);
}

void mcu_console_puts(const char *s) {
  while (*s != '\0') mcu_console_putc(*s++);
}

void mcu_console_put_hex(uint32_t value) {
  static const char digits[] = "0123456789abcdef";
  mcu_console_puts("0x");
  int shift = 28;
  while (shift > 0 && ((value >> shift) & 0xf) == 0) shift -= 4;
  for (; shift >= 0; shift -= 4) mcu_console_putc(digits[(value >> shift) & 0xf]);
}

void mcu_console_put_dec(uint32_t value) {
  char buf[10];
  size_t n = 0;
  do {
    buf[n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) mcu_console_putc(buf[--n]);
}
