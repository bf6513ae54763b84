/* AssemblyScript's `env.abort(message, fileName, line, column)`: what `assert(false, "...")`,
 * `abort()` and AssemblyScript's own runtime errors call. It prints
 *   abort: <message> at <file>:<line>:<column>
 * and exits with MCU_EXIT_ASSEMBLYSCRIPT_ABORT (97), a code of its own so that a test can
 * tell an abort from a Wasm trap (100 + kind) and from other faults (98, 99).
 *
 * message and fileName are pointers into linear memory to AssemblyScript strings (or 0):
 * UTF-16LE code units, with the string's length in bytes in the object header word right
 * below the pointer (rtSize at ptr - 4). Both are bounds-checked against the current
 * memory bound; a bad pointer prints "?" rather than reading outside linear memory. Text is
 * re-encoded as UTF-8 for the console, an unpaired surrogate becoming U+FFFD. */
#include "mcu_runtime.h"

#define MCU_EXIT_ASSEMBLYSCRIPT_ABORT 97

#define AS_RTSIZE_OFFSET 4u
#define REPLACEMENT_CHARACTER 0xfffdu

typedef struct __attribute__((packed)) { uint32_t value; } unaligned_u32;
typedef struct __attribute__((packed)) { uint16_t value; } unaligned_u16;

static void put_utf8(uint32_t cp) {
  if (cp < 0x80u) {
    mcu_console_putc((char)cp);
  } else if (cp < 0x800u) {
    mcu_console_putc((char)(0xc0u | (cp >> 6)));
    mcu_console_putc((char)(0x80u | (cp & 0x3fu)));
  } else if (cp < 0x10000u) {
    mcu_console_putc((char)(0xe0u | (cp >> 12)));
    mcu_console_putc((char)(0x80u | ((cp >> 6) & 0x3fu)));
    mcu_console_putc((char)(0x80u | (cp & 0x3fu)));
  } else {
    mcu_console_putc((char)(0xf0u | (cp >> 18)));
    mcu_console_putc((char)(0x80u | ((cp >> 12) & 0x3fu)));
    mcu_console_putc((char)(0x80u | ((cp >> 6) & 0x3fu)));
    mcu_console_putc((char)(0x80u | (cp & 0x3fu)));
  }
}

static int is_high_surrogate(uint32_t u) { return u >= 0xd800u && u <= 0xdbffu; }
static int is_low_surrogate(uint32_t u) { return u >= 0xdc00u && u <= 0xdfffu; }

/* Prints the AssemblyScript string at linear-memory offset `ptr`; `fallback` when it is 0
 * or does not lie inside linear memory. */
static void put_as_string(uint32_t ptr, const char *fallback) {
  const uint8_t *header = ptr >= AS_RTSIZE_OFFSET ? mcu_memory_at(ptr - AS_RTSIZE_OFFSET, 4) : 0;
  uint32_t bytes = header != 0 ? ((const unaligned_u32 *)(const void *)header)->value : 0;
  const uint8_t *text = header != 0 ? mcu_memory_at(ptr, bytes) : 0;
  if (ptr == 0 || text == 0) {
    mcu_console_puts(fallback);
    return;
  }
  uint32_t units = bytes / 2;
  for (uint32_t i = 0; i < units; i++) {
    uint32_t u = ((const unaligned_u16 *)(const void *)(text + 2 * i))->value;
    if (is_high_surrogate(u) && i + 1 < units) {
      uint32_t next = ((const unaligned_u16 *)(const void *)(text + 2 * (i + 1)))->value;
      if (is_low_surrogate(next)) {
        put_utf8(0x10000u + ((u - 0xd800u) << 10) + (next - 0xdc00u));
        i++;
        continue;
      }
    }
    put_utf8(is_high_surrogate(u) || is_low_surrogate(u) ? REPLACEMENT_CHARACTER : u);
  }
}

__attribute__((noreturn)) void env__abort(uint32_t message, uint32_t file, uint32_t line, uint32_t column) {
  mcu_console_puts("abort: ");
  put_as_string(message, "(no message)");
  mcu_console_puts(" at ");
  put_as_string(file, "?");
  mcu_console_putc(':');
  mcu_console_put_dec(line);
  mcu_console_putc(':');
  mcu_console_put_dec(column);
  mcu_console_putc('\n');
  mcu_exit(MCU_EXIT_ASSEMBLYSCRIPT_ABORT);
}
