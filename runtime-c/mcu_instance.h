/* Several Wasm modules in one firmware (docs/abi.md, "Several modules in one firmware").
 *
 * Every module of a multi-module build emits a `<prefix>$instance` record; the driver's
 * glue object lists them, in instantiation order, in __mcu_instances. The entry module's
 * descriptor is __mcu_module as in a single-module build (startup.c sets up its memory
 * and calls its start and entry); modules.c instantiates the others before the entry's
 * start function runs. A single-module build defines no list: modules.c references it
 * weakly, so it is empty there. */
#ifndef MCU_INSTANCE_H
#define MCU_INSTANCE_H

#include <stdint.h>
#include "mcu_module.h"

/* An active element segment into an imported table: `count` references copied to
 * table->elements[offset...] at instantiation. */
struct mcu_table_init { uint32_t *table; uint32_t offset; uint32_t count; const uint32_t *items; };

struct mcu_instance {
  const struct mcu_module *module;  /* its descriptor */
  uint8_t *memory_base;             /* its linear memory (defined or imported), 0 when none */
  uint32_t memory_reserved;         /* bytes reserved at memory_base when it defines a memory
                                       outside the primary one (context set up here), else 0 */
  uint32_t n_table_inits; const struct mcu_table_init *table_inits;
  uint32_t reserved;
};

/* Instantiates every module but the entry (memory, data segments, table initialisers,
 * start function, in order), then applies the entry's table initialisers. */
void mcu_modules_instantiate(void);

/* The descriptor of the module that defines the memory at `memory_base`: the entry's
 * (__mcu_module) for the primary memory. Its segment table serves memory.init/data.drop. */
const struct mcu_module *mcu_modules_memory_owner(const uint8_t *memory_base);

/* The trap site at `pc` in any module's trap table, or 0. */
const struct mcu_trap_site *mcu_modules_find_trap_site(uint32_t pc);

#endif
