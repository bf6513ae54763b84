// long double (binary128 in software on wasm32) through printf's %Lf %Le %Lg, strtod and
// strtold, qsort of doubles, malloc/realloc/free and the string functions of wasi-libc:
// the output must be exactly Node's. Linear memory beyond lm3s6965's RAM: M3 and M4F only.
// clang: -lc-printscan-long-double -z stack-size=16384
// boards: mps2-an385 mps2-an386
// exit: 0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static long double harmonic(int n) {
  long double sum = 0.0L;
  for (int k = 1; k <= n; k++) sum += 1.0L / k;
  return sum;
}

static void long_doubles(void) {
  volatile long double third = 1.0L / 3.0L;
  printf("%Lf %Le %Lg\n", third, third, third);
  printf("%.30Lf\n", third);
  printf("%.20Lg %.25Le\n", harmonic(1000), harmonic(50));
  long double big = 1e4000L;
  printf("%Lg %Le %Lg\n", big, -big / 3.0L, 1.0L / big);
  printf("%Lf %Lf\n", (long double)1e18 + 0.5L, -(long double)0.1);
  printf("%Lg\n", strtold("2.718281828459045235360287471352662497757", NULL));
}

static void strings(void) {
  char buffer[64];
  strcpy(buffer, "alpha,beta,,gamma");
  printf("strlen %u strchr %s strrchr %s\n", (unsigned)strlen(buffer), strchr(buffer, ','), strrchr(buffer, ','));
  printf("strstr %s strncmp %d memcmp %d\n", strstr(buffer, "beta"), strncmp(buffer, "alps", 3) == 0, memcmp("abc", "abd", 3) < 0);
  memmove(buffer + 2, buffer, 10);
  buffer[12] = '\0';
  printf("memmove %s\n", buffer);
  char *copy = strdup("one two  three");
  int words = 0;
  for (char *t = strtok(copy, " "); t != NULL; t = strtok(NULL, " ")) printf("token %d: %s\n", words++, t);
  free(copy);
  char joined[32];
  snprintf(joined, sizeof joined, "%s-%05.1f-%x", "n", 3.14159, 48879u);
  strncat(joined, "+tail-is-cut-here", sizeof joined - strlen(joined) - 1);
  printf("%s (%u)\n", joined, (unsigned)strlen(joined));
  char *end;
  double parsed = strtod("  -1.25e-3xyz", &end);
  printf("strtod %g rest '%s' atoi %d strtol %ld\n", parsed, end, atoi("  -42"), strtol("ff", NULL, 16));
}

static void sorted_doubles(void) {
  enum { N = 300 };
  double *values = malloc(N * sizeof *values);
  unsigned seed = 2024;
  for (int i = 0; i < N; i++) {
    seed = seed * 1664525u + 1013904223u;
    values[i] = ((int)(seed >> 9) - 4194304) / 1024.0;
  }
  qsort(values, N, sizeof *values, compare_doubles);
  printf("sorted %.4f %.4f %.4f\n", values[0], values[N / 2], values[N - 1]);
  values = realloc(values, 2 * N * sizeof *values);
  for (int i = N; i < 2 * N; i++) values[i] = values[i - N] * -0.5;
  qsort(values, 2 * N, sizeof *values, compare_doubles);
  printf("resorted %.6e %.6e %g\n", values[0], values[2 * N - 1], values[N]);
  free(values);
}

int main(void) {
  long_doubles();
  strings();
  sorted_doubles();
  return 0;
}
