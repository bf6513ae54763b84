/* Saturation (SSAT/USAT), count leading zeros, byte reversal, rotates, extends, soft float. */
#include <arm_acle.h>
#include "harness.h"
static unsigned rbit(unsigned v) { unsigned r; __asm__("rbit %0, %1" : "=r"(r) : "r"(v)); return r; }
volatile int values[] = {0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, -32768, 100000, -100000, 0x7fffffff, (int)0x80000000};
volatile float fs[] = {1.5f, -2.25f, 3.0e10f, 1.0e-10f};
volatile double ds[] = {2.5, -0.125, 1.0e300, 3.0};
int main(void) {
  for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
    int v = values[i];
    put_i64(__ssat(v, 8)); putch(' '); put_i64(__usat(v, 8)); putch(' '); put_i64(__ssat(v, 16)); putch(' ');
    put_u64((unsigned)__builtin_clz((unsigned)v | 1)); putch(' '); put_hex(__builtin_bswap32((unsigned)v)); putch(' '); put_hex(rbit((unsigned)v)); putch(' ');
    put_hex(((unsigned)v >> 7) | ((unsigned)v << 25)); putch(' '); put_i64((signed char)(v >> 8)); putch(' '); put_u64((unsigned short)(v >> 16)); putch('\n');
  }
  for (unsigned i = 0; i < 4; i++) {
    float f = fs[i] * fs[(i + 1) % 4] + fs[(i + 2) % 4] / fs[(i + 3) % 4];
    double d = ds[i] * ds[(i + 1) % 4] - ds[(i + 2) % 4] / ds[(i + 3) % 4];
    put_hex(*(unsigned *)&f); putch(' ');
    put_i64((long long)(d / 1e290)); putch(' '); put_i64((long long)(f > 1e9f ? 1e9f : f)); putch('\n');
  }
  return 0;
}
