/* A monotonic clock from SysTick, for WASI clock_time_get.
 *
 * SysTick counts the processor clock (CLKSOURCE=1, MCU_CPU_HZ from the board file) down
 * from a reload value that makes it wrap every millisecond; the wrap interrupt counts
 * milliseconds and the current count gives the fraction. It starts on first use, so a
 * program that never asks for the time takes no interrupts. Under QEMU the processor
 * clock follows host time (no -icount), so readings track wall time. */
#include "mcu_interrupts.h"
#include "mcu_runtime.h"

#ifndef MCU_CPU_HZ
#error "MCU_CPU_HZ (the processor clock in Hz) must be defined"
#endif

/* SysTick registers (ARMv7-M ARM, B3.3). */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE_CPU (1u << 2)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define ICSR_PENDSTSET (1u << 26)

#define TICKS_PER_MS ((uint32_t)(MCU_CPU_HZ) / 1000u)
#define NS_PER_MS 1000000u
/* Nanoseconds per tick in 16.16 fixed point, folded at compile time: the fraction of a
 * millisecond is then a multiply and a shift, with no 64-bit division from libgcc. */
#define NS_PER_TICK_Q16 ((uint32_t)((1000000000ull << 16) / (MCU_CPU_HZ)))

static volatile uint32_t elapsed_ms;
static volatile int started;

/* Counts the millisecond, then runs the module's SysTick handler when the project binds one
 * (its veneer sets r9 for it: mcu_interrupts.h). */
void SysTick_Handler(void) {
  elapsed_ms = elapsed_ms + 1;
  if (__mcu_systick_handler != 0) __mcu_systick_handler();
}

static void start_systick(void) {
  SYST_RVR = TICKS_PER_MS - 1u;
  SYST_CVR = 0;
  SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE_CPU;
  /* The count reads 0 until the first reload, and that reload raises no interrupt: a
   * reading taken then would look like the end of millisecond 0 and time would step back. */
  while (SYST_CVR == 0) {
  }
  started = 1;
}

uint32_t mcu_clock_resolution_ns(void) {
  uint32_t ns = 1000000000u / (uint32_t)(MCU_CPU_HZ);
  return ns == 0 ? 1 : ns;
}

void mcu_clock_init(void) {
  if (__mcu_systick_handler != 0) start_systick();
}

/* The millisecond count and the ticks into the current millisecond, read consistently:
 * the count is read between two reads of the millisecond counter, and again if a wrap
 * interrupt came in between, so the fraction belongs to the same millisecond. */
static uint32_t read_clock(uint32_t *ticks_into_ms) {
  if (!started) start_systick();
  uint32_t ms, count, pending;
  do {
    ms = elapsed_ms;
    count = SYST_CVR;
    pending = SCB_ICSR & ICSR_PENDSTSET;
  } while (ms != elapsed_ms);
  /* The counter may have wrapped while the wrap interrupt is still pending (interrupts
   * masked, or not taken yet): then the count belongs to the next millisecond. */
  if (pending != 0u && count >= TICKS_PER_MS / 2u) ms += 1u;
  *ticks_into_ms = (TICKS_PER_MS - 1u) - count;
  return ms;
}

uint32_t mcu_clock_millis(void) {
  uint32_t ticks;
  return read_clock(&ticks);
}

uint32_t mcu_clock_cycles(void) {
  uint32_t ticks;
  uint32_t ms = read_clock(&ticks);
  return ms * TICKS_PER_MS + ticks;
}

uint64_t mcu_clock_monotonic_ns(void) {
  uint32_t ticks_into_ms;
  uint32_t ms = read_clock(&ticks_into_ms);
  uint32_t fraction_ns = (uint32_t)(((uint64_t)ticks_into_ms * NS_PER_TICK_Q16) >> 16);
  return (uint64_t)ms * NS_PER_MS + fraction_ns;
}
