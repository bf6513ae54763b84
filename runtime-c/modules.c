/* Instantiation of the modules of a multi-module build other than the entry
 * (mcu_instance.h; docs/abi.md, "Several modules in one firmware"). */
#include "mcu_instance.h"
#include "mcu_runtime.h"
#include "trap.h"

#define WASM_PAGE_SHIFT 16u

/* A single-module build has no glue object: weak references, 0 when nothing defines them
 * (a weak *definition* here would let gcc fold its value into the loops). */
extern const struct mcu_instance *const __mcu_instances[] __attribute__((weak));
extern const uint32_t __mcu_instance_count __attribute__((weak));

static uint32_t instance_count(void) {
  return &__mcu_instance_count == 0 ? 0 : __mcu_instance_count;
}

struct table_header { uint32_t size; uint32_t capacity; uint32_t elements[]; };

__attribute__((noreturn)) static void instantiation_failed(const char *what, uint32_t index) {
  mcu_console_puts("error: ");
  mcu_console_puts(what);
  mcu_console_puts(" ");
  mcu_console_put_dec(index);
  mcu_console_puts(" does not fit at instantiation\n");
  mcu_exit(MCU_EXIT_SEGMENT_DOES_NOT_FIT);
}

/* A memory the module defines outside the primary one: .bss gave it zeroes; write its
 * context (pages, bound). */
static void init_own_memory(const struct mcu_instance *inst) {
  uint32_t pages = inst->module->memory_pages;
  uint32_t bound = pages > (inst->memory_reserved >> WASM_PAGE_SHIFT) ? inst->memory_reserved : pages << WASM_PAGE_SHIFT;
  volatile uint32_t *context = (volatile uint32_t *)(void *)(inst->memory_base - 8);
  context[0] = pages;
  context[1] = bound;
}

static void copy_data_segments(const struct mcu_instance *inst) {
  const struct mcu_module *m = inst->module;
  if (m->n_data == 0) return;
  uint32_t bound = inst->memory_base == 0 ? 0 : *(volatile uint32_t *)(void *)(inst->memory_base - 4);
  for (uint32_t i = 0; i < m->n_data; i++) {
    const struct mcu_data_segment *seg = &m->data[i];
    if (seg->size > bound || seg->offset > bound - seg->size) instantiation_failed("data segment", i);
    for (uint32_t k = 0; k < seg->size; k++) inst->memory_base[seg->offset + k] = seg->bytes[k];
  }
}

static void apply_table_inits(const struct mcu_instance *inst) {
  for (uint32_t i = 0; i < inst->n_table_inits; i++) {
    const struct mcu_table_init *init = &inst->table_inits[i];
    struct table_header *table = (struct table_header *)(void *)init->table;
    if (init->count > table->size || init->offset > table->size - init->count) instantiation_failed("element segment", i);
    for (uint32_t k = 0; k < init->count; k++) table->elements[init->offset + k] = init->items[k];
  }
}

void mcu_modules_instantiate(void) {
  for (uint32_t i = 0; i < instance_count(); i++) {
    const struct mcu_instance *inst = __mcu_instances[i];
    if (inst->module == &__mcu_module) continue;
    if (inst->memory_reserved != 0) init_own_memory(inst);
    copy_data_segments(inst);
    apply_table_inits(inst);
    /* Its start pointer is its veneer when it has a memory: r9 is switched there. */
    if (inst->module->start != 0) inst->module->start();
  }
  for (uint32_t i = 0; i < instance_count(); i++) {
    if (__mcu_instances[i]->module == &__mcu_module) apply_table_inits(__mcu_instances[i]);
  }
}

const struct mcu_module *mcu_modules_memory_owner(const uint8_t *memory_base) {
  for (uint32_t i = 0; i < instance_count(); i++) {
    const struct mcu_instance *inst = __mcu_instances[i];
    if (inst->memory_reserved != 0 && inst->memory_base == memory_base) return inst->module;
  }
  return &__mcu_module;
}

const struct mcu_trap_site *mcu_modules_find_trap_site(uint32_t pc) {
  for (uint32_t i = 0; i < instance_count(); i++) {
    const struct mcu_module *m = __mcu_instances[i]->module;
    uint32_t lo = 0, hi = m->n_traps;
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      const struct mcu_trap_site *site = &m->traps[mid];
      if (site->pc == pc) return site;
      if (site->pc < pc) lo = mid + 1;
      else hi = mid;
    }
  }
  return 0;
}
