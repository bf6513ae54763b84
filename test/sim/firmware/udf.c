/* An UNDEFINED instruction runs the UsageFault handler (UsageFault enabled in SHCSR). */
#include "harness.h"
int main(void) {
  *(volatile unsigned *)0xE000ED24u |= 7u << 16;
  puts_("before\n");
  __asm__ volatile("udf #3");
  puts_("after\n");
  return 0;
}
