/* Bulk memory (docs/abi.md "Bulk memory"): memory.copy, memory.fill, memory.init and
 * data.drop, called by compiled code.
 *
 * Wasm 2.0 checks the whole range before writing anything, so each operation validates
 * first and returns 0, or 1 when a range is out of bounds without having written a byte.
 * The compiled code then traps at its own trap site, so the report names the Wasm
 * function and offset. Addresses are offsets into the calling module's memory, at r9: in a
 * multi-module firmware that need not be the primary memory (mcu_running_memory). */
#include "mcu_instance.h"
#include "mcu_module.h"
#include "mcu_runtime.h"

/* Word accesses to bytes that are also accessed as bytes: tell gcc they alias. */
typedef uint32_t __attribute__((may_alias)) word_t;

#define WORD_MASK 3u

/* [offset, offset + n) lies within the first `limit` bytes, without 32-bit overflow. */
static int in_range(uint32_t offset, uint32_t n, uint32_t limit) {
  return n <= limit && offset <= limit - n;
}

static int word_aligned(const void *p) { return ((uintptr_t)p & WORD_MASK) == 0; }

/* Ascending copy; word by word once both pointers are aligned, if they can both be. */
static void copy_up(uint8_t *dst, const uint8_t *src, uint32_t n) {
  if ((((uintptr_t)dst ^ (uintptr_t)src) & WORD_MASK) == 0) {
    for (; n > 0 && !word_aligned(dst); n--) *dst++ = *src++;
    word_t *wd = (word_t *)(void *)dst;
    const word_t *ws = (const word_t *)(const void *)src;
    for (; n >= 4; n -= 4) *wd++ = *ws++;
    dst = (uint8_t *)wd;
    src = (const uint8_t *)ws;
  }
  for (; n > 0; n--) *dst++ = *src++;
}

/* Descending copy from the ends, for a destination above an overlapping source. */
static void copy_down(uint8_t *dst, const uint8_t *src, uint32_t n) {
  dst += n;
  src += n;
  if ((((uintptr_t)dst ^ (uintptr_t)src) & WORD_MASK) == 0) {
    for (; n > 0 && !word_aligned(dst); n--) *--dst = *--src;
    word_t *wd = (word_t *)(void *)dst;
    const word_t *ws = (const word_t *)(const void *)src;
    for (; n >= 4; n -= 4) *--wd = *--ws;
    dst = (uint8_t *)wd;
    src = (const uint8_t *)ws;
  }
  for (; n > 0; n--) *--dst = *--src;
}

/* memory.copy: as if through a temporary buffer, so overlapping ranges copy correctly. */
int32_t __mcu_memory_copy(uint32_t dst, uint32_t src, uint32_t n) {
  uint32_t bound = mcu_running_bound();
  uint8_t *memory = mcu_running_memory();
  if (!in_range(dst, n, bound) || !in_range(src, n, bound)) return 1;
  if (dst <= src) copy_up(memory + dst, memory + src, n);
  else copy_down(memory + dst, memory + src, n);
  return 0;
}

/* memory.fill: n bytes of the low byte of `value`. */
int32_t __mcu_memory_fill(uint32_t dst, uint32_t value, uint32_t n) {
  if (!in_range(dst, n, mcu_running_bound())) return 1;
  uint8_t *p = mcu_running_memory() + dst;
  uint8_t byte = (uint8_t)value;
  for (; n > 0 && !word_aligned(p); n--) *p++ = byte;
  word_t pattern = byte * 0x01010101u;
  word_t *w = (word_t *)(void *)p;
  for (; n >= 4; n -= 4) *w++ = pattern;
  p = (uint8_t *)w;
  for (; n > 0; n--) *p++ = byte;
  return 0;
}

/* The module whose segments memory.init and data.drop mean: the one that defines the
 * calling code's memory. Validation guarantees index < n_segments for the caller's own
 * table; checking it again keeps a module that shares another's memory (whose table this
 * then is) from reading or writing past it. */
static const struct mcu_module *segment_owner(uint32_t index) {
  const struct mcu_module *m = mcu_modules_memory_owner(mcu_running_memory());
  return index < m->n_segments ? m : 0;
}

/* Bytes memory.init may read from segment `index` of `m`: none once dropped (and active
 * segments are described as empty). */
static uint32_t segment_size(const struct mcu_module *m, uint32_t index) {
  return m->segment_dropped[index] != 0 ? 0 : m->segments[index].size;
}

/* memory.init: n bytes from offset `src` of data segment `index` to `dst`. */
int32_t __mcu_memory_init(uint32_t dst, uint32_t src, uint32_t n, uint32_t index) {
  const struct mcu_module *m = segment_owner(index);
  if (m == 0) return 1;
  if (!in_range(src, n, segment_size(m, index)) || !in_range(dst, n, mcu_running_bound())) return 1;
  if (n != 0) copy_up(mcu_running_memory() + dst, m->segments[index].bytes + src, n);
  return 0;
}

/* data.drop: the segment reads as empty from now on. */
void __mcu_data_drop(uint32_t index) {
  const struct mcu_module *m = segment_owner(index);
  if (m != 0) m->segment_dropped[index] = 1;
}
