/* 64-bit division and remainder through libgcc (__aeabi_uldivmod, __aeabi_ldivmod). */
#include "harness.h"
volatile unsigned long long seeds[] = {0, 1, 7, 1000000007ull, 0xffffffffull, 0x100000000ull, 0x123456789abcdefull, 0xffffffffffffffffull};
volatile long long signeds[] = {-1, -7, 3, -1000000000000ll, 0x7fffffffffffffffll, -0x7fffffffffffffffll - 1};
int main(void) {
  for (unsigned i = 0; i < 8; i++)
    for (unsigned j = 1; j < 8; j++) {
      put_u64(seeds[i] / seeds[j]); putch(' '); put_u64(seeds[i] % seeds[j]); putch('\n');
    }
  for (unsigned i = 0; i < 6; i++)
    for (unsigned j = 0; j < 6; j++) {
      if (signeds[j] == -1 && i >= 4) continue;
      put_i64(signeds[i] / signeds[j]); putch(' '); put_i64(signeds[i] % signeds[j]); putch('\n');
    }
  return 3;
}
