/* The embedder of a wasm2c-translated benchmark module: instantiates it and calls its
 * `main` export, and provides the one import the benchmark ports use, WASI fd_write.
 *
 * The harness always translates with `wasm2c -n bench` and names the output module.c /
 * module.h, so the generated symbols are Z_bench*. bench/ports/native/startup.c calls
 * main() here after reset and exits with its result. The harness defines
 * BENCH_WASM2C_IMPORTS_WASI when the module imports WASI, which adds the import instance to
 * Z_bench_instantiate's parameters. */
#include <stdint.h>

#include "module.h"

void bench_console_write(const char *text);

/* The import "instance" wasm2c hands to fd_write: where to find the caller's memory. */
struct Z_wasi_snapshot_preview1_instance_t {
  wasm_rt_memory_t *memory;
};

#define WASI_ESUCCESS 0u
#define WASI_EBADF 8u
#define WASI_EFAULT 21u
#define WASI_STDOUT 1u
#define WASI_STDERR 2u
#define IOVEC_BYTES 8u
#define CHUNK_BYTES 64u

static uint32_t load_u32(const wasm_rt_memory_t *memory, uint32_t address) {
  const uint8_t *p = &memory->data[address];
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int in_bounds(const wasm_rt_memory_t *memory, uint32_t address, uint32_t length) {
  return address <= memory->size && length <= memory->size - address;
}

/* Writes guest bytes to the console in NUL-terminated chunks (semihosting SYS_WRITE0). */
static void write_guest_bytes(const uint8_t *bytes, uint32_t length) {
  char chunk[CHUNK_BYTES + 1];
  while (length > 0) {
    uint32_t n = length < CHUNK_BYTES ? length : CHUNK_BYTES;
    for (uint32_t i = 0; i < n; i++) chunk[i] = (char)bytes[i];
    chunk[n] = '\0';
    bench_console_write(chunk);
    bytes += n;
    length -= n;
  }
}

u32 Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t *wasi, u32 fd, u32 iovs,
                                       u32 iovs_len, u32 nwritten) {
  const wasm_rt_memory_t *memory = wasi->memory;
  if (fd != WASI_STDOUT && fd != WASI_STDERR) return WASI_EBADF;
  if (iovs_len > UINT32_MAX / IOVEC_BYTES || !in_bounds(memory, iovs, iovs_len * IOVEC_BYTES) ||
      !in_bounds(memory, nwritten, 4)) {
    return WASI_EFAULT;
  }
  uint32_t total = 0;
  for (uint32_t i = 0; i < iovs_len; i++) {
    uint32_t buf = load_u32(memory, iovs + i * IOVEC_BYTES);
    uint32_t len = load_u32(memory, iovs + i * IOVEC_BYTES + 4);
    if (!in_bounds(memory, buf, len)) return WASI_EFAULT;
    write_guest_bytes(&memory->data[buf], len);
    total += len;
  }
  uint8_t *out = &wasi->memory->data[nwritten];
  for (int i = 0; i < 4; i++) out[i] = (uint8_t)(total >> (8 * i));
  return WASI_ESUCCESS;
}

static Z_bench_instance_t instance;
static struct Z_wasi_snapshot_preview1_instance_t wasi;

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  wasm_rt_init();
  Z_bench_init_module();
#ifdef BENCH_WASM2C_IMPORTS_WASI
  Z_bench_instantiate(&instance, &wasi);
#else
  Z_bench_instantiate(&instance);
#endif
  wasi.memory = Z_benchZ_memory(&instance);
  return (int)Z_benchZ_main(&instance);
}
