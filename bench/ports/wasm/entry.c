/* Entry point and console of the benchmark programs compiled to Wasm (clang wasm32).
 *
 * The module is linked without wasi-libc's start files: its _start would fetch the
 * arguments through malloc, and allocation needs memory.grow. Instead the module exports
 * `main` as a () -> i32 function that calls the benchmark's main(0, 0); mcu-aot's
 * runtime-c and the wasm2c runtime both call that export and exit with its result.
 * Console output goes straight to WASI fd_write (stdout), so the only imports a
 * benchmark module has are fd_write, and only when it prints. */
#include <stddef.h>
#include <stdint.h>

int main(int argc, char **argv);

__attribute__((export_name("main"))) int bench_wasm_main(void) { return main(0, 0); }

struct wasi_ciovec {
  const void *buf;
  size_t len;
};

__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write"))) uint16_t
wasi_fd_write(int fd, const struct wasi_ciovec *iovs, size_t iovs_len, size_t *nwritten);

#define WASI_STDOUT 1

void bench_console_write(const char *text) {
  size_t len = 0;
  while (text[len] != '\0') len++;
  struct wasi_ciovec iov = {text, len};
  size_t written;
  wasi_fd_write(WASI_STDOUT, &iov, 1, &written);
}
