/* The printers of the spec testsuite's `spectest` module (test/spec/spectest.wat), in C.
 * Each prints its arguments on one line in the reference interpreter's style,
 * "<value> : <type>", arguments separated by spaces. Floats are printed as their bits in
 * hex ("0x40490fdb : f32"): they arrive in core registers (soft-float AAPCS), and exact
 * bits are what a test wants to compare. */
#include <stdint.h>
#include "mcu_runtime.h"

static void put_u64(uint64_t v) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0);
  while (n > 0) mcu_console_putc(digits[--n]);
}

static void put_i64(int64_t v) {
  if (v < 0) {
    mcu_console_putc('-');
    put_u64((uint64_t)0 - (uint64_t)v);
  } else {
    put_u64((uint64_t)v);
  }
}

static void put_hex_digits(uint64_t v, int digits) {
  mcu_console_puts("0x");
  for (int i = digits - 1; i >= 0; i--) mcu_console_putc("0123456789abcdef"[(v >> (4 * i)) & 0xfu]);
}

static void i32_value(int32_t v) { put_i64(v); mcu_console_puts(" : i32"); }
static void i64_value(int64_t v) { put_i64(v); mcu_console_puts(" : i64"); }
static void f32_value(uint32_t bits) { put_hex_digits(bits, 8); mcu_console_puts(" : f32"); }
static void f64_value(uint64_t bits) { put_hex_digits(bits, 16); mcu_console_puts(" : f64"); }

void spectest_host__print(void) { mcu_console_putc('\n'); }
void spectest_host__print_i32(int32_t v) { i32_value(v); mcu_console_putc('\n'); }
void spectest_host__print_i64(int64_t v) { i64_value(v); mcu_console_putc('\n'); }
void spectest_host__print_f32(uint32_t bits) { f32_value(bits); mcu_console_putc('\n'); }
void spectest_host__print_f64(uint64_t bits) { f64_value(bits); mcu_console_putc('\n'); }
void spectest_host__print_i32_f32(int32_t v, uint32_t bits) {
  i32_value(v);
  mcu_console_putc(' ');
  f32_value(bits);
  mcu_console_putc('\n');
}
void spectest_host__print_f64_f64(uint64_t a, uint64_t b) {
  f64_value(a);
  mcu_console_putc(' ');
  f64_value(b);
  mcu_console_putc('\n');
}
