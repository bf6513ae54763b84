/* Hello world in C. `mcu-aot build` compiles it with clang's wasm32-wasi target against
 * wasi-libc, then ahead of time to Thumb-2: printf goes through WASI's fd_write to the
 * board's console UART, and main's result is the firmware's exit code. */
#include <stdio.h>

int main(void) {
  printf("Hello from C on a microcontroller!\n");
  for (int i = 1; i <= 3; i++) printf("%d squared is %d\n", i, i * i);
  return 0;
}
