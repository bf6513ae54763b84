/* Linear memory set-up and access for runtime-c (docs/abi.md, "Linear memory").
 *
 * Linear memory starts at __mcu_linear_memory (kept in r9 by every piece of code) and the
 * linker fitted it to the board: its physical size can be smaller than what the module
 * declares. Two words below it form the memory context that compiled code reads:
 *   [base-4] bound: bytes accessible now = min(pages * 64 KiB, physical size)
 *   [base-8] pages: memory.size as Wasm sees it
 */
#include "mcu_module.h"
#include "mcu_runtime.h"
#include "trap.h"

#define WASM_PAGE_SHIFT 16u
#define WASM_MAX_PAGES 0x10000u

struct memory_context {
  uint32_t pages; /* [base-8] */
  uint32_t bound; /* [base-4] */
};

/* Computed through an integer: the context lies outside the __mcu_linear_memory object. */
static volatile struct memory_context *memory_context(void) {
  return (volatile struct memory_context *)((uintptr_t)__mcu_linear_memory - sizeof(struct memory_context));
}

/* The linker reserves the context whether or not the module has a memory (docs/abi.md),
 * and the descriptor cannot tell "no memory" from "(memory 0)", which can still grow: the
 * context is always written, a module without memory simply has 0 pages and bound 0. */

uint32_t mcu_memory_physical_size(void) {
  return (uint32_t)(__mcu_linear_memory_end - __mcu_linear_memory);
}

uint32_t mcu_memory_declared_pages(void) { return __mcu_module.memory_pages; }

uint32_t mcu_memory_bound(void) { return memory_context()->bound; }

uint8_t *mcu_running_memory(void) {
  uint8_t *base;
  __asm__ volatile("mov %0, r9" : "=r"(base));
  return base;
}

uint32_t mcu_running_bound(void) {
  return ((volatile struct memory_context *)((uintptr_t)mcu_running_memory() - sizeof(struct memory_context)))->bound;
}

/* The caller's memory (r9), not the primary one: WASI and env.abort serve whichever module
 * calls them, and must not reach into another module's memory. */
uint8_t *mcu_memory_at(uint32_t offset, uint32_t size) {
  uint32_t bound = mcu_running_bound();
  if (size > bound || offset > bound - size) return 0;
  return mcu_running_memory() + offset;
}

/* min(pages * 64 KiB, physical) without overflowing 32 bits for large page counts. */
static uint32_t initial_bound(uint32_t pages, uint32_t physical) {
  if (pages > (physical >> WASM_PAGE_SHIFT)) return physical;
  return pages << WASM_PAGE_SHIFT;
}

static void zero_bytes(uint8_t *dst, uint32_t n) {
  uint32_t i = 0;
  /* Word stores for the aligned bulk: linear memory is 8-byte aligned and can be MiBs. */
  for (; i + 4 <= n; i += 4) *(uint32_t *)(void *)(dst + i) = 0;
  for (; i < n; i++) dst[i] = 0;
}

static void copy_bytes(uint8_t *dst, const uint8_t *src, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) dst[i] = src[i];
}

__attribute__((noreturn)) static void segment_does_not_fit(uint32_t index, const struct mcu_data_segment *seg,
                                                           uint32_t bound) {
  mcu_console_puts("error: data segment ");
  mcu_console_put_dec(index);
  mcu_console_puts(" (offset ");
  mcu_console_put_hex(seg->offset);
  mcu_console_puts(", size ");
  mcu_console_put_hex(seg->size);
  mcu_console_puts(") does not fit in linear memory of ");
  mcu_console_put_hex(bound);
  mcu_console_puts(" bytes\n");
  mcu_exit(MCU_EXIT_SEGMENT_DOES_NOT_FIT);
}

/* The most pages memory.grow may reach: the declared maximum, capped by the Wasm limit. */
static uint32_t max_pages(void) {
  uint32_t declared = __mcu_module.memory_max_pages;
  return declared < WASM_MAX_PAGES ? declared : WASM_MAX_PAGES;
}

volatile uint32_t mcu_memory_refused_pages;

/* memory.grow (docs/abi.md "Linear memory"): the old page count, or -1 when the new size is
 * beyond the declared maximum or beyond the physical memory the board gave the module.
 * Bytes that become accessible are zeroed before the bound moves over them. */
int32_t __mcu_memory_grow(uint32_t delta) {
  /* Another module's own memory (multi-module firmware) has exactly its reserved bytes: it
   * cannot grow, and growing the primary memory instead would change another module's. */
  if (mcu_running_memory() != __mcu_linear_memory) {
    volatile struct memory_context *own = (volatile struct memory_context *)((uintptr_t)mcu_running_memory() - sizeof(struct memory_context));
    return delta == 0 ? (int32_t)own->pages : -1;
  }
  volatile struct memory_context *ctx = memory_context();
  uint32_t old_pages = ctx->pages;
  /* Growing by 0 always succeeds, also when the declared size was fitted below it. */
  if (delta == 0) return (int32_t)old_pages;
  if (delta > max_pages() - old_pages) return -1;
  uint32_t new_pages = old_pages + delta;
  uint32_t physical = mcu_memory_physical_size();
  if (new_pages > (physical >> WASM_PAGE_SHIFT)) {
    mcu_memory_refused_pages = new_pages;
    return -1;
  }
  uint32_t new_bound = new_pages << WASM_PAGE_SHIFT;
  uint32_t old_bound = ctx->bound;
  zero_bytes(__mcu_linear_memory + old_bound, new_bound - old_bound);
  ctx->bound = new_bound;
  ctx->pages = new_pages;
  return (int32_t)old_pages;
}

void mcu_memory_init(void) {
  const struct mcu_module *m = &__mcu_module;
  uint32_t bound = initial_bound(m->memory_pages, mcu_memory_physical_size());
  memory_context()->bound = bound;
  memory_context()->pages = m->memory_pages;
  zero_bytes(__mcu_linear_memory, bound);
  for (uint32_t i = 0; i < m->n_data; i++) {
    const struct mcu_data_segment *seg = &m->data[i];
    if (seg->size > bound || seg->offset > bound - seg->size) segment_does_not_fit(i, seg, bound);
    copy_bytes(__mcu_linear_memory + seg->offset, seg->bytes, seg->size);
  }
}
