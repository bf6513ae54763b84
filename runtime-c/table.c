/* Table helpers that compiled code calls once it has checked the bounds
 * (src/backend-thumb2/isel/tables.ts; docs/abi.md, "Tables and references").
 * A table is {size, capacity, element[capacity]}; an element is a 4-byte reference. */
#include <stdint.h>

struct mcu_table { uint32_t size; uint32_t capacity; uint32_t elements[]; };

/* table.grow: the old size, or -1 when size + delta exceeds what the table reserved
 * (its declared maximum, or the build's growth limit). New elements get `init`. */
int32_t mcu_table_grow(struct mcu_table *table, uint32_t init, uint32_t delta) {
  uint32_t old = table->size;
  if (delta > table->capacity - old) return -1;
  for (uint32_t i = 0; i < delta; i++) table->elements[old + i] = init;
  table->size = old + delta;
  return (int32_t)old;
}

/* table.fill, bounds already checked. */
void mcu_table_fill(uint32_t *first, uint32_t value, uint32_t count) {
  for (uint32_t i = 0; i < count; i++) first[i] = value;
}

/* table.copy and table.init, bounds already checked: overlap-correct. */
void mcu_table_move(uint32_t *dst, const uint32_t *src, uint32_t count) {
  if (dst < src) {
    for (uint32_t i = 0; i < count; i++) dst[i] = src[i];
  } else {
    for (uint32_t i = count; i > 0; i--) dst[i - 1] = src[i - 1];
  }
}
