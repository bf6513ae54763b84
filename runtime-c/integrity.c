/* runtime-c's report on its own state after untrusted code ran (integrity.h): what a
 * sandbox test checks after every attack, besides the module's own memory.
 *
 * Wasm code must never write outside its linear memory, so everything here stays as
 * runtime-c left it however a module misbehaves:
 *  - the lowest words of the machine stack: the prologue's limit check keeps 768 bytes of
 *    headroom above __stack_bottom (docs/abi.md, "Stack exhaustion"), so even a trap
 *    reported at the deepest point never reaches them;
 *  - the memory context below the primary memory: pages between the declared initial
 *    size and the maximum, bound = min(pages * 64 KiB, physical size);
 *  - r9, the primary memory's base, in the runtime's own code;
 *  - the physical bytes just past the bound, which memory.grow has not handed out;
 *  - every other module's memory context (multi-module builds: memory.grow cannot grow
 *    those, so pages stay the declared ones). */
#include "integrity.h"
#include "mcu_instance.h"
#include "mcu_module.h"
#include "mcu_runtime.h"

#define WASM_PAGE_SHIFT 16u
#define WASM_MAX_PAGES 0x10000u
#define STACK_CANARY_WORDS 8u
#define STACK_CANARY 0x5afe57acu
/* Enough to catch an access that slips a little past the bound, small enough that the
 * check stays cheap on a board that gives linear memory MiBs beyond its bound. */
#define GUARD_BYTES 4096u
#define GUARD_BYTE(offset) ((uint8_t)(0xc3u ^ (offset)))

extern const struct mcu_instance *const __mcu_instances[] __attribute__((weak));
extern const uint32_t __mcu_instance_count __attribute__((weak));

/* The guard region written by mcu_integrity_arm, as linear-memory offsets. */
static uint32_t guard_start, guard_end;

static uint32_t instance_count(void) {
  return &__mcu_instance_count == 0 ? 0 : __mcu_instance_count;
}

/* min(pages * 64 KiB, limit) without overflowing 32 bits (65536 pages is 4 GiB). */
static uint32_t bound_of(uint32_t pages, uint32_t limit) {
  return pages > (limit >> WASM_PAGE_SHIFT) ? limit : pages << WASM_PAGE_SHIFT;
}

void mcu_integrity_arm(void) {
  volatile uint32_t *canary = (volatile uint32_t *)__stack_bottom;
  for (uint32_t i = 0; i < STACK_CANARY_WORDS; i++) canary[i] = STACK_CANARY ^ i;
  uint32_t physical = mcu_memory_physical_size();
  guard_start = mcu_memory_bound();
  guard_end = physical - guard_start > GUARD_BYTES ? guard_start + GUARD_BYTES : physical;
  volatile uint8_t *memory = __mcu_linear_memory;
  for (uint32_t at = guard_start; at < guard_end; at++) memory[at] = GUARD_BYTE(at);
}

static int stack_canary_intact(void) {
  const volatile uint32_t *canary = (const volatile uint32_t *)__stack_bottom;
  for (uint32_t i = 0; i < STACK_CANARY_WORDS; i++) {
    if (canary[i] != (STACK_CANARY ^ i)) return 0;
  }
  return 1;
}

static int primary_context_consistent(void) {
  /* Through an integer, as memory.c does: the context lies outside the __mcu_linear_memory object. */
  const volatile uint32_t *context = (const volatile uint32_t *)((uintptr_t)__mcu_linear_memory - 8u);
  uint32_t pages = context[0], bound = context[1];
  uint32_t declared_max = __mcu_module.memory_max_pages;
  uint32_t max_pages = declared_max < WASM_MAX_PAGES ? declared_max : WASM_MAX_PAGES;
  if (pages < mcu_memory_declared_pages() || pages > max_pages) return 0;
  return bound == bound_of(pages, mcu_memory_physical_size());
}

static int r9_is_memory_base(void) {
  uint8_t *r9;
  __asm__ volatile("mov %0, r9" : "=r"(r9));
  return r9 == __mcu_linear_memory;
}

/* Only the bytes still past the current bound: a successful memory.grow zeroes the ones it
 * hands out, and those are the module's to write from then on. */
static int guard_intact(void) {
  const volatile uint8_t *memory = __mcu_linear_memory;
  uint32_t bound = mcu_memory_bound();
  for (uint32_t at = guard_start > bound ? guard_start : bound; at < guard_end; at++) {
    if (memory[at] != GUARD_BYTE(at)) return 0;
  }
  return 1;
}

static int module_contexts_consistent(void) {
  for (uint32_t i = 0; i < instance_count(); i++) {
    const struct mcu_instance *inst = __mcu_instances[i];
    if (inst->memory_reserved == 0) continue;
    const volatile uint32_t *context = (const volatile uint32_t *)(void *)(inst->memory_base - 8);
    uint32_t pages = inst->module->memory_pages;
    if (context[0] != pages || context[1] != bound_of(pages, inst->memory_reserved)) return 0;
  }
  return 1;
}

uint32_t mcu_integrity_check(void) {
  uint32_t broken = 0;
  if (!stack_canary_intact()) broken |= MCU_INTEGRITY_STACK_CANARY;
  if (!primary_context_consistent()) broken |= MCU_INTEGRITY_MEMORY_CONTEXT;
  if (!r9_is_memory_base()) broken |= MCU_INTEGRITY_R9;
  if (!guard_intact()) broken |= MCU_INTEGRITY_GUARD;
  if (!module_contexts_consistent()) broken |= MCU_INTEGRITY_MODULE_CONTEXT;
  return broken;
}
