// wasi-libc's malloc (which grows linear memory with memory.grow), free, qsort, strcmp and
// sprintf of integers: the output must be exactly Node's.
// More than lm3s6965 can hold: it runs on the M3 and M4F MPS2 boards.
// boards: mps2-an385 mps2-an386
// exit: 0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_ints(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
  enum { N = 200, WORDS = 12 };
  int *numbers = malloc(N * sizeof *numbers);
  unsigned seed = 12345;
  for (int i = 0; i < N; i++) {
    seed = seed * 1103515245u + 12345u;
    numbers[i] = (int)(seed >> 8) % 100000 - 50000;
  }
  qsort(numbers, N, sizeof *numbers, compare_ints);
  printf("min %d max %d median %d\n", numbers[0], numbers[N - 1], numbers[N / 2]);

  char *words[WORDS];
  for (int i = 0; i < WORDS; i++) {
    words[i] = malloc(32);
    sprintf(words[i], "w%d-%x", numbers[(i * 37) % N], (unsigned)i * 2654435761u);
  }
  qsort(words, WORDS, sizeof *words, compare_strings);
  for (int i = 0; i < WORDS; i++) printf("%s\n", words[i]);
  for (int i = 0; i < WORDS; i++) free(words[i]);
  free(numbers);

  // Enough to need more than the one declared page: malloc must grow the memory.
  size_t total = 0;
  char *blocks[8];
  for (int i = 0; i < 8; i++) {
    blocks[i] = malloc(24 * 1024);
    if (blocks[i] == NULL) break;
    memset(blocks[i], i, 24 * 1024);
    total += 24 * 1024;
  }
  printf("allocated %u bytes, last byte %d\n", (unsigned)total, blocks[7][24 * 1024 - 1]);
  for (int i = 0; i < 8; i++) free(blocks[i]);
  return 0;
}
