/* ee_printf for the CoreMark port: the small printf subset CoreMark's report uses.
 *
 * Conversions: %c %s %d %i %u %x %X with the `l` length modifier (a no-op: long is 32
 * bits on both targets), a `0` flag and a field width (CoreMark prints "0x%04x"). The line
 * is formatted into a buffer and written with one bench_console_write call, so a Wasm
 * build makes one fd_write per ee_printf. */
#include <stdarg.h>

#include "coremark.h"

void bench_console_write(const char *text);

#define LINE_CAPACITY 256

struct line {
  char text[LINE_CAPACITY];
  unsigned length;
};

static void put_char(struct line *out, char c) {
  if (out->length + 1 < LINE_CAPACITY) out->text[out->length++] = c;
}

static void put_string(struct line *out, const char *s) {
  while (*s != '\0') put_char(out, *s++);
}

/* Writes `value` in `base`, left-padded with `pad` to `width` characters. */
static void put_unsigned(struct line *out, unsigned long value, unsigned base, int upper, unsigned width, char pad) {
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char reversed[12];
  unsigned n = 0;
  do {
    reversed[n++] = digits[value % base];
    value /= base;
  } while (value != 0);
  for (; width > n; width--) put_char(out, pad);
  while (n > 0) put_char(out, reversed[--n]);
}

static void format(struct line *out, const char *fmt, va_list args) {
  for (; *fmt != '\0'; fmt++) {
    if (*fmt != '%') {
      put_char(out, *fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    if (*fmt == '0') {
      pad = '0';
      fmt++;
    }
    unsigned width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (unsigned)(*fmt++ - '0');
    while (*fmt == 'l') fmt++;
    switch (*fmt) {
      case 'c': put_char(out, (char)va_arg(args, int)); break;
      case 's': put_string(out, va_arg(args, const char *)); break;
      case 'd':
      case 'i': {
        long v = va_arg(args, long);
        if (v < 0) put_char(out, '-');
        put_unsigned(out, v < 0 ? 0ul - (unsigned long)v : (unsigned long)v, 10, 0, width, pad);
        break;
      }
      case 'u': put_unsigned(out, va_arg(args, unsigned long), 10, 0, width, pad); break;
      case 'x': put_unsigned(out, va_arg(args, unsigned long), 16, 0, width, pad); break;
      case 'X': put_unsigned(out, va_arg(args, unsigned long), 16, 1, width, pad); break;
      case '%': put_char(out, '%'); break;
      default: put_char(out, '?'); break;
    }
  }
}

int ee_printf(const char *fmt, ...) {
  struct line out = {.length = 0};
  va_list args;
  va_start(args, fmt);
  format(&out, fmt, args);
  va_end(args);
  out.text[out.length] = '\0';
  bench_console_write(out.text);
  return (int)out.length;
}
