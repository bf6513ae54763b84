/* DIV_0_TRP: with CCR bit 4 set, UDIV by zero is a UsageFault; without, the result is 0. */
#include "harness.h"
volatile unsigned zero = 0, ten = 10;
int main(void) {
  unsigned q;
  __asm__ volatile("udiv %0, %1, %2" : "=r"(q) : "r"(ten), "r"(zero));
  put_u64(q); putch('\n');
  *(volatile unsigned *)0xE000ED24u |= 7u << 16;
  *(volatile unsigned *)0xE000ED14u |= 1u << 4;
  __asm__ volatile("udiv %0, %1, %2" : "=r"(q) : "r"(ten), "r"(zero));
  put_u64(q); putch('\n');
  return 0;
}
