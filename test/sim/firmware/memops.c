/* Struct copies and array moves (LDM/STM, LDRD/STRD), a jump table (TBB/TBH), bit fields. */
#include "harness.h"
struct big { unsigned a[9]; unsigned long long d; };
volatile unsigned sink;
static struct big make(unsigned k) { struct big b; for (unsigned i = 0; i < 9; i++) b.a[i] = k * i + 1; b.d = (unsigned long long)k << 40; return b; }
__attribute__((noinline)) static unsigned classify(unsigned x) {
  switch (x) {
    case 0: return 11; case 1: return 22; case 2: return 35; case 3: return 47; case 4: return 51; case 5: return 68;
    case 6: return 70; case 7: return 83; case 8: return 99; case 9: return 101; case 10: return 7; case 11: return 3;
    case 12: return 1000; case 13: return 2000; case 14: return 3000; case 15: return 4000;
    default: return 0;
  }
}
__attribute__((noinline)) static unsigned classify_far(unsigned x) {
  switch (x) {
    case 0: sink = 1; sink = 2; sink = 3; sink = 4; return 5;
    case 1: for (int i = 0; i < 40; i++) sink += (unsigned)i * x; return sink;
    case 2: sink = sink * 3 + 1; return sink ^ 0x55;
    case 3: sink = sink / 7; return sink + 9;
    case 4: for (int i = 0; i < 60; i++) sink ^= (unsigned)i << (i & 7); return sink;
    case 5: return sink >> 3;
    case 6: return ~sink;
    default: return 42;
  }
}
struct flags { unsigned a : 3, b : 7, c : 5, d : 1, e : 16; };
int main(void) {
  struct big x = make(3), y;
  y = x;
  y.a[8] += 5;
  for (unsigned i = 0; i < 9; i++) { put_u64(y.a[i]); putch(' '); }
  put_u64(y.d); putch('\n');
  unsigned total = 0;
  for (unsigned i = 0; i < 20; i++) total = total * 31 + classify(i) + classify_far(i);
  put_u64(total); putch('\n');
  volatile struct flags f = {0};
  for (unsigned i = 0; i < 50; i++) { f.a = i; f.b = i * 3; f.c = i ^ 5; f.d = i & 1; f.e = i * 977; total += f.a + f.b + f.c + f.d + f.e; }
  put_u64(total); putch('\n');
  return 0;
}
