/* The module descriptor: what a compiled Wasm module's object tells runtime-c.
 * This is the contract of docs/abi.md ("The module descriptor"): the compiler emits one
 * `__mcu_module` in .rodata with exactly this layout. Change both together, or neither. */
#ifndef MCU_MODULE_H
#define MCU_MODULE_H

#include <stdint.h>

#define MCU_ABI_VERSION 1u
#define MCU_NO_MAX_PAGES 0xffffffffu

struct mcu_data_segment { uint32_t offset; const uint8_t *bytes; uint32_t size; };
struct mcu_trap_site    { uint32_t pc; uint32_t wasm_offset; const char *func_name; };
/* A data segment as memory.init sees it: a passive segment's bytes; an active one is
 * empty ({0, 0}), as instantiation has dropped it. */
struct mcu_segment      { const uint8_t *bytes; uint32_t size; };
struct mcu_module {
  uint32_t abi_version;          /* 1 */
  void (*start)(void);           /* Wasm start function, or 0 */
  void (*entry)(void);           /* export "_start": () -> (), or 0 */
  int32_t (*main)(void);         /* export "main": () -> i32, used when entry is 0, or 0 */
  uint32_t memory_pages;         /* declared initial pages (0: no memory) */
  uint32_t memory_max_pages;     /* declared maximum, 0xffffffff when none */
  uint32_t n_data;  const struct mcu_data_segment *data;   /* active data segments */
  uint32_t n_traps; const struct mcu_trap_site *traps;     /* sorted by pc */
  uint32_t n_segments; const struct mcu_segment *segments; /* every data segment, by index */
  uint8_t *segment_dropped;      /* RAM: one flag per segment, set by data.drop */
};

/* Defined by the compiled module's object. */
extern const struct mcu_module __mcu_module;

#endif
