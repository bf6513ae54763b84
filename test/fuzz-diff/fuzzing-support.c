/* binaryen's `fuzzing-support` logging imports for a fuzz firmware (fuzz/firmware-run.ts).
 * An import `m.n` is the C symbol `<m>__<n>` with characters outside [A-Za-z0-9_] as `_xx`
 * (docs/abi.md), hence `fuzzing_2dsupport__log_2di32`. Each prints one console line,
 * `fuzz:log <type> <hex bits>`, which the host reads into the transcript of the call that
 * is running. Floats arrive as raw bits in core registers (soft-float AAPCS on every board,
 * runtime.ts targetFlags), so no float arithmetic touches them and NaN payloads survive. */
#include <stdint.h>
#include "mcu_runtime.h"

static void put_hex64(uint64_t v) {
  char b[17];
  int n = 16;
  b[16] = 0;
  do { b[--n] = "0123456789abcdef"[v & 15u]; v >>= 4; } while (v != 0);
  mcu_console_puts(b + n);
}

static void log_line(const char *type, uint64_t bits) {
  mcu_console_puts("fuzz:log ");
  mcu_console_puts(type);
  mcu_console_putc(' ');
  put_hex64(bits);
  mcu_console_putc('\n');
}

void fuzzing_2dsupport__log_2di32(uint32_t v) { log_line("i32", v); }
void fuzzing_2dsupport__log_2di64(uint64_t v) { log_line("i64", v); }
void fuzzing_2dsupport__log_2df32(uint32_t bits) { log_line("f32", bits); }
void fuzzing_2dsupport__log_2df64(uint64_t bits) { log_line("f64", bits); }
