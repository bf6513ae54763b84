/* The wasi_snapshot_preview1 subset that runtime-c provides (docs/abi.md, ARCHITECTURE.md).
 *
 * Each function is the import `wasi_snapshot_preview1.<name>` as the compiler names it:
 * `wasi_snapshot_preview1__<name>`, called with the AAPCS (i32 -> uint32_t, i64 -> an
 * even register pair or stack slot, exactly as gcc passes uint64_t). Pointers are
 * linear-memory offsets: every one is bounds-checked against the current bound, and an
 * out-of-range pointer returns EFAULT without writing anything. Guest memory is read and
 * written through packed types because Wasm does not promise alignment.
 *
 * Behaviour:
 *  - fd_write: fds 1 and 2 go to the console UART; fd 0 and others are EBADF.
 *  - fd_fdstat_get: fds 0-2 are character devices without seek/tell rights, which is
 *    what wasi-libc's isatty() and stdio set-up look for.
 *  - fd_close: 0-2 succeed (nothing to release); fd_seek: 0-2 are ESPIPE.
 *  - args: one argument, "app" (wasi-libc's main() start-up exits 71 without one).
 *  - environ: empty.
 *  - clock_time_get / clock_res_get: every clock id reads the SysTick monotonic clock
 *    (clock.c), counted from the first clock read. There is no real-time clock, so
 *    REALTIME is time since then too, not since 1970.
 *  - random_get: no entropy source on the supported boards: ENOSYS.
 */
#include "mcu_runtime.h"

/* WASI errno values (wasi_snapshot_preview1 witx; wasi-libc <wasi/api.h>). */
#define WASI_ESUCCESS 0u
#define WASI_EBADF 8u
#define WASI_EFAULT 21u
#define WASI_EINVAL 28u
#define WASI_ENOSYS 52u
#define WASI_ESPIPE 70u

#define WASI_FILETYPE_CHARACTER_DEVICE 2u
#define WASI_RIGHTS_FD_READ (1u << 1)
#define WASI_RIGHTS_FD_WRITE (1u << 6)
#define WASI_RIGHTS_POLL_FD_READWRITE (1u << 27)
#define WASI_CLOCK_THREAD_CPUTIME_ID 3u

#define WASI_STDIN 0u
#define WASI_STDOUT 1u
#define WASI_STDERR 2u

#define IOVEC_SIZE 8u
#define FDSTAT_SIZE 24u

static const char program_name[] = "app";

typedef struct __attribute__((packed)) { uint32_t value; } unaligned_u32;
typedef struct __attribute__((packed)) { uint64_t value; } unaligned_u64;

static uint32_t load_u32(const uint8_t *p) { return ((const unaligned_u32 *)(const void *)p)->value; }
static void store_u32(uint8_t *p, uint32_t v) { ((unaligned_u32 *)(void *)p)->value = v; }
static void store_u64(uint8_t *p, uint64_t v) { ((unaligned_u64 *)(void *)p)->value = v; }

static int is_stdio(uint32_t fd) { return fd <= WASI_STDERR; }

/* Stores one u32 result at a guest pointer; false when the pointer is out of bounds. */
static int put_u32(uint32_t ptr, uint32_t value) {
  uint8_t *p = mcu_memory_at(ptr, 4);
  if (p == 0) return 0;
  store_u32(p, value);
  return 1;
}

uint32_t wasi_snapshot_preview1__fd_write(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten_ptr) {
  if (fd != WASI_STDOUT && fd != WASI_STDERR) return WASI_EBADF;
  if (iovs_len > UINT32_MAX / IOVEC_SIZE) return WASI_EFAULT;
  const uint8_t *vec = mcu_memory_at(iovs, iovs_len * IOVEC_SIZE);
  uint8_t *nwritten = mcu_memory_at(nwritten_ptr, 4);
  if (vec == 0 || nwritten == 0) return WASI_EFAULT;
  /* Check every buffer before writing any, so a bad iovec writes nothing. */
  for (uint32_t i = 0; i < iovs_len; i++) {
    if (mcu_memory_at(load_u32(vec + i * IOVEC_SIZE), load_u32(vec + i * IOVEC_SIZE + 4)) == 0) return WASI_EFAULT;
  }
  uint32_t total = 0;
  for (uint32_t i = 0; i < iovs_len; i++) {
    uint32_t len = load_u32(vec + i * IOVEC_SIZE + 4);
    mcu_console_write((const char *)mcu_memory_at(load_u32(vec + i * IOVEC_SIZE), len), len);
    total += len;
  }
  store_u32(nwritten, total);
  return WASI_ESUCCESS;
}

__attribute__((noreturn)) void wasi_snapshot_preview1__proc_exit(uint32_t code) { mcu_exit((int)code); }

uint32_t wasi_snapshot_preview1__fd_close(uint32_t fd) { return is_stdio(fd) ? WASI_ESUCCESS : WASI_EBADF; }

uint32_t wasi_snapshot_preview1__fd_seek(uint32_t fd, uint64_t offset, uint32_t whence, uint32_t newoffset_ptr) {
  (void)offset;
  (void)whence;
  (void)newoffset_ptr;
  return is_stdio(fd) ? WASI_ESPIPE : WASI_EBADF;
}

uint32_t wasi_snapshot_preview1__fd_fdstat_get(uint32_t fd, uint32_t stat_ptr) {
  if (!is_stdio(fd)) return WASI_EBADF;
  uint8_t *stat = mcu_memory_at(stat_ptr, FDSTAT_SIZE);
  if (stat == 0) return WASI_EFAULT;
  uint32_t rights = (fd == WASI_STDIN ? WASI_RIGHTS_FD_READ : WASI_RIGHTS_FD_WRITE) | WASI_RIGHTS_POLL_FD_READWRITE;
  /* struct fdstat: u8 filetype @0, u16 flags @2, u64 rights_base @8, u64 inheriting @16. */
  store_u32(stat, WASI_FILETYPE_CHARACTER_DEVICE);
  store_u32(stat + 4, 0);
  store_u64(stat + 8, rights);
  store_u64(stat + 16, 0);
  return WASI_ESUCCESS;
}

uint32_t wasi_snapshot_preview1__args_sizes_get(uint32_t argc_ptr, uint32_t argv_buf_size_ptr) {
  if (mcu_memory_at(argc_ptr, 4) == 0 || mcu_memory_at(argv_buf_size_ptr, 4) == 0) return WASI_EFAULT;
  put_u32(argc_ptr, 1);
  put_u32(argv_buf_size_ptr, sizeof program_name);
  return WASI_ESUCCESS;
}

uint32_t wasi_snapshot_preview1__args_get(uint32_t argv_ptr, uint32_t argv_buf_ptr) {
  uint8_t *buf = mcu_memory_at(argv_buf_ptr, sizeof program_name);
  if (buf == 0 || mcu_memory_at(argv_ptr, 4) == 0) return WASI_EFAULT;
  for (uint32_t i = 0; i < sizeof program_name; i++) buf[i] = (uint8_t)program_name[i];
  put_u32(argv_ptr, argv_buf_ptr);
  return WASI_ESUCCESS;
}

uint32_t wasi_snapshot_preview1__environ_sizes_get(uint32_t count_ptr, uint32_t buf_size_ptr) {
  if (mcu_memory_at(count_ptr, 4) == 0 || mcu_memory_at(buf_size_ptr, 4) == 0) return WASI_EFAULT;
  put_u32(count_ptr, 0);
  put_u32(buf_size_ptr, 0);
  return WASI_ESUCCESS;
}

uint32_t wasi_snapshot_preview1__environ_get(uint32_t environ_ptr, uint32_t environ_buf_ptr) {
  (void)environ_ptr;
  (void)environ_buf_ptr;
  return WASI_ESUCCESS;
}

uint32_t wasi_snapshot_preview1__clock_res_get(uint32_t clock_id, uint32_t resolution_ptr) {
  if (clock_id > WASI_CLOCK_THREAD_CPUTIME_ID) return WASI_EINVAL;
  uint8_t *out = mcu_memory_at(resolution_ptr, 8);
  if (out == 0) return WASI_EFAULT;
  store_u64(out, mcu_clock_resolution_ns());
  return WASI_ESUCCESS;
}

uint32_t wasi_snapshot_preview1__clock_time_get(uint32_t clock_id, uint64_t precision, uint32_t time_ptr) {
  (void)precision;
  if (clock_id > WASI_CLOCK_THREAD_CPUTIME_ID) return WASI_EINVAL;
  uint8_t *out = mcu_memory_at(time_ptr, 8);
  if (out == 0) return WASI_EFAULT;
  store_u64(out, mcu_clock_monotonic_ns());
  return WASI_ESUCCESS;
}

uint32_t wasi_snapshot_preview1__random_get(uint32_t buf, uint32_t len) {
  (void)buf;
  (void)len;
  return WASI_ENOSYS;
}
