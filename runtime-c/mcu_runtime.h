/* runtime-c's internal interfaces: the linker's symbols, the console, exit, linear memory.
 * Each group is implemented by the file named beside it. */
#ifndef MCU_RUNTIME_H
#define MCU_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

/* ---- Symbols the mcu-aot linker script defines (see test/runtime/fixtures/board.ld). ---- */
extern uint32_t __stack_top[], __stack_bottom[];
extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
/* Linear memory: 8-byte aligned, the two-word memory context sits right below it. */
extern uint8_t __mcu_linear_memory[], __mcu_linear_memory_end[];

/* ---- console.c + console_<uart kind>.c ---- */
void mcu_console_init(void);                 /* the UART driver: make TX work */
void mcu_console_putc(char c);               /* the UART driver: one byte, blocking */
void mcu_console_write(const char *s, size_t n);
void mcu_console_puts(const char *s);        /* NUL-terminated, no newline added */
void mcu_console_put_hex(uint32_t value);    /* "0x" and the fewest hex digits */
void mcu_console_put_dec(uint32_t value);

/* ---- semihosting.c ---- */
/* Ends the program: QEMU exits with `code` when semihosting is on; otherwise halts. */
__attribute__((noreturn)) void mcu_exit(int code);
/* True once mcu_exit has started: a fault from then on must not try to exit again. */
int mcu_exit_in_progress(void);

/* ---- memory.c ---- */
/* Sets up linear memory from __mcu_module: context, zeroing, data segments (exits 98). */
void mcu_memory_init(void);
/* Bytes of linear memory Wasm may touch now ([base-4]); 0 when the module has no memory. */
uint32_t mcu_memory_bound(void);
/* Declared pages (what memory.size reports at start-up). */
uint32_t mcu_memory_declared_pages(void);
/* __mcu_linear_memory_end - __mcu_linear_memory. */
uint32_t mcu_memory_physical_size(void);
/* The page count of the last memory.grow refused only because the board's RAM is too
 * small (within the declared maximum), 0 when none was; a test harness reads and clears
 * it to tell "beyond this board" from a wrong result. */
extern volatile uint32_t mcu_memory_refused_pages;
/* The linear memory of the module whose code is running: r9. In a multi-module firmware
 * that is not always the primary memory, so the helpers Wasm code calls (bulk memory,
 * memory.grow) work on this one, with the bound in its own context at [r9-4]. */
uint8_t *mcu_running_memory(void);
uint32_t mcu_running_bound(void);
/* Host pointer to `size` bytes at offset `offset` of the running memory, or 0 when out of bounds. */
uint8_t *mcu_memory_at(uint32_t offset, uint32_t size);

/* ---- clock.c ---- */
/* Nanoseconds since the first call (SysTick-based, monotonic). */
uint64_t mcu_clock_monotonic_ns(void);
/* Nanoseconds per clock tick (the clock's resolution). */
uint32_t mcu_clock_resolution_ns(void);
/* At reset: starts SysTick when the module binds a SysTick handler (else on first use). */
void mcu_clock_init(void);
/* Milliseconds since the clock started, wrapping at 2^32. */
uint32_t mcu_clock_millis(void);
/* Processor cycles since the clock started, wrapping at 2^32. */
uint32_t mcu_clock_cycles(void);

#endif
