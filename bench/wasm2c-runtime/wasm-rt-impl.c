/* A bare-metal runtime for wasm2c's generated C (wabt 1.0.32, wasm-rt.h), for the
 * benchmark's wasm2c + arm-none-eabi-gcc configuration.
 *
 * What the generated code needs from it, and how this runtime provides it:
 *  - bounds checks: explicit. On a 32-bit target wasm-rt.h turns the guard-page scheme off
 *    (WASM_RT_MEMCHECK_SIGNAL_HANDLER 0), so every load and store compares against the
 *    memory's current size; the harness also sets it to 0 explicitly.
 *  - linear memory: carved from one static buffer (BENCH_WASM2C_MEMORY_BYTES, set by the
 *    harness); memory.grow succeeds while the buffer has room, then returns -1.
 *  - funcref tables: from a static pool of entries; table.grow always fails.
 *  - call depth: wasm-rt.h counts calls (WASM_RT_USE_STACK_DEPTH_COUNT) and traps past
 *    WASM_RT_MAX_CALL_STACK_DEPTH; we own the counter.
 *  - traps: print the trap's name on the semihosting console and exit with 100 + the
 *    wasm_rt_trap_t code. Nothing unwinds: there is no embedder to return to.
 *  - function types: a small registry that gives equal signatures equal ids, which is
 *    what call_indirect compares. */
#include <stdarg.h>
#include <stdint.h>

#include "wasm-rt.h"

#ifndef BENCH_WASM2C_MEMORY_BYTES
#error "BENCH_WASM2C_MEMORY_BYTES (the static linear memory size) must be defined"
#endif
#ifndef BENCH_WASM2C_TABLE_ENTRIES
#define BENCH_WASM2C_TABLE_ENTRIES 512
#endif

#define WASM_PAGE_BYTES 65536u
#define MAX_FUNC_TYPES 64
#define MAX_TYPE_ARITY 16
#define TRAP_EXIT_BASE 100
#define OUT_OF_RUNTIME_MEMORY_EXIT 98

void bench_console_write(const char *text);
__attribute__((noreturn)) void bench_exit(int code);

uint32_t wasm_rt_call_stack_depth;

static uint8_t linear_memory[BENCH_WASM2C_MEMORY_BYTES] __attribute__((aligned(8)));
static int linear_memory_taken;
static wasm_rt_funcref_t table_pool[BENCH_WASM2C_TABLE_ENTRIES];
static uint32_t table_pool_used;

struct func_type {
  uint32_t params, results;
  wasm_rt_type_t types[MAX_TYPE_ARITY];
};
static struct func_type func_types[MAX_FUNC_TYPES];
static uint32_t func_type_count;

__attribute__((noreturn)) static void fail(const char *message, int code) {
  bench_console_write(message);
  bench_exit(code);
}

void wasm_rt_init(void) {}

bool wasm_rt_is_initialized(void) { return true; }

void wasm_rt_free(void) {}

const char *wasm_rt_strerror(wasm_rt_trap_t trap) {
  switch (trap) {
    case WASM_RT_TRAP_NONE: return "no error";
    case WASM_RT_TRAP_OOB: return "out of bounds memory access";
    case WASM_RT_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE: return "unreachable";
    case WASM_RT_TRAP_CALL_INDIRECT: return "indirect call type mismatch";
    case WASM_RT_TRAP_UNCAUGHT_EXCEPTION: return "uncaught exception";
    case WASM_RT_TRAP_EXHAUSTION: return "call stack exhausted";
  }
  return "unknown trap";
}

void wasm_rt_trap(wasm_rt_trap_t trap) {
  bench_console_write("wasm2c trap: ");
  bench_console_write(wasm_rt_strerror(trap));
  fail("\n", TRAP_EXIT_BASE + (int)trap);
}

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  if (params + results > MAX_TYPE_ARITY) fail("wasm2c runtime: function type too large\n", OUT_OF_RUNTIME_MEMORY_EXIT);
  struct func_type candidate = {.params = params, .results = results};
  va_list args;
  va_start(args, results);
  for (uint32_t i = 0; i < params + results; i++) candidate.types[i] = (wasm_rt_type_t)va_arg(args, int);
  va_end(args);
  for (uint32_t id = 0; id < func_type_count; id++) {
    const struct func_type *known = &func_types[id];
    if (known->params != params || known->results != results) continue;
    uint32_t i = 0;
    while (i < params + results && known->types[i] == candidate.types[i]) i++;
    if (i == params + results) return id;
  }
  if (func_type_count == MAX_FUNC_TYPES) fail("wasm2c runtime: too many function types\n", OUT_OF_RUNTIME_MEMORY_EXIT);
  func_types[func_type_count] = candidate;
  return func_type_count++;
}

void wasm_rt_allocate_memory(wasm_rt_memory_t *memory, uint32_t initial_pages, uint32_t max_pages) {
  if (linear_memory_taken) fail("wasm2c runtime: only one linear memory is supported\n", OUT_OF_RUNTIME_MEMORY_EXIT);
  if (initial_pages > sizeof linear_memory / WASM_PAGE_BYTES) {
    fail("wasm2c runtime: the module's initial memory exceeds BENCH_WASM2C_MEMORY_BYTES\n", OUT_OF_RUNTIME_MEMORY_EXIT);
  }
  linear_memory_taken = 1;
  memory->data = linear_memory;
  memory->pages = initial_pages;
  memory->max_pages = max_pages;
  memory->size = initial_pages * WASM_PAGE_BYTES;
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *memory, uint32_t delta) {
  uint32_t old_pages = memory->pages;
  uint32_t capacity_pages = sizeof linear_memory / WASM_PAGE_BYTES;
  if (delta > memory->max_pages - old_pages || delta > capacity_pages - old_pages) return UINT32_MAX;
  memory->pages = old_pages + delta;
  memory->size = memory->pages * WASM_PAGE_BYTES;
  /* The buffer is .bss and memory never shrinks, so the new pages are still zero. */
  return old_pages;
}

void wasm_rt_free_memory(wasm_rt_memory_t *memory) { (void)memory; }

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t *table, uint32_t elements, uint32_t max_elements) {
  if (elements > BENCH_WASM2C_TABLE_ENTRIES - table_pool_used) {
    fail("wasm2c runtime: tables exceed BENCH_WASM2C_TABLE_ENTRIES\n", OUT_OF_RUNTIME_MEMORY_EXIT);
  }
  table->data = &table_pool[table_pool_used];
  table->size = elements;
  table->max_size = max_elements;
  table_pool_used += elements;
  for (uint32_t i = 0; i < elements; i++) table->data[i] = wasm_rt_funcref_null_value;
}

uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t *table, uint32_t delta, wasm_rt_funcref_t init) {
  (void)table;
  (void)delta;
  (void)init;
  return UINT32_MAX;
}

void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t *table) { (void)table; }
