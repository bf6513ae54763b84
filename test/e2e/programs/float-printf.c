// float and double arithmetic in C, printed by wasi-libc's printf (%f %g %e %a): the
// formatting code converts through long double (binary128 in software, on i64 operations).
// exit: 0
#include <math.h>
#include <stdio.h>

static double series(int n) {
  double sum = 0.0;
  for (int k = 0; k < n; k++) sum += (k % 2 ? -4.0 : 4.0) / (2 * k + 1);
  return sum;
}

static float newton_sqrt(float x) {
  float r = x;
  for (int i = 0; i < 20; i++) r = 0.5f * (r + x / r);
  return r;
}

int main(void) {
  volatile double third = 1.0 / 3.0;
  volatile float tenth = 0.1f;
  printf("%f %g %e\n", third, third, third);
  printf("%.10f %g %e\n", (double)tenth, (double)(tenth * 3.0f), (double)tenth);
  printf("pi ~ %.12f\n", series(100000));
  printf("sqrt: %.9g %.17g %.9g\n", (double)newton_sqrt(2.0f), sqrt(2.0), (double)sqrtf(3.0f));
  printf("%g %g %g %g\n", floor(-2.5), ceil(-2.5), trunc(-2.5), nearbyint(-2.5));
  printf("%g %g %g\n", fmin(-0.0, 0.0), fmax(1.0, NAN), copysign(3.0, -0.0));
  printf("%e %e %g\n", 1e308 * 10.0, -1e-310, 0.0 / 0.0 == 0.0 / 0.0 ? 1.0 : 0.0);
  printf("%a %a\n", 1.0, (double)0.1f);
  printf("%d %u %lld\n", (int)-3.99, (unsigned)3e9, (long long)-9.2e18);
  return 0;
}
