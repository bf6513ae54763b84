/* CoreMark port for the benchmark harness: seeds, time and start-up.
 *
 * Time: the harness measures executed instructions between start_time() and stop_time()
 * (their entry addresses are the plugin's markers), not time. CoreMark still insists on a
 * run of at least 10 seconds before it prints "Correct operation validated", so
 * barebones_clock is a virtual clock: a counter that advances VIRTUAL_SECONDS_PER_READ
 * seconds per reading. It is deterministic and costs no interrupts; the "Total time" and
 * "Iterations/Sec" CoreMark prints are therefore meaningless, and no CoreMark score is
 * reported from these runs (the CRCs are what we check). */
#include "coremark.h"

#if PERFORMANCE_RUN
volatile ee_s32 seed1_volatile = 0x0;
volatile ee_s32 seed2_volatile = 0x0;
volatile ee_s32 seed3_volatile = 0x66;
#endif
#if VALIDATION_RUN
volatile ee_s32 seed1_volatile = 0x3415;
volatile ee_s32 seed2_volatile = 0x3415;
volatile ee_s32 seed3_volatile = 0x66;
#endif
#if PROFILE_RUN
volatile ee_s32 seed1_volatile = 0x8;
volatile ee_s32 seed2_volatile = 0x8;
volatile ee_s32 seed3_volatile = 0x8;
#endif
volatile ee_s32 seed4_volatile = ITERATIONS;
volatile ee_s32 seed5_volatile = 0;

#define TICKS_PER_SECOND 1000u
#define VIRTUAL_SECONDS_PER_READ 10u

ee_u32 default_num_contexts = 1;

static CORETIMETYPE virtual_ticks;
static CORETIMETYPE start_time_val, stop_time_val;

static CORETIMETYPE barebones_clock(void) {
  virtual_ticks += VIRTUAL_SECONDS_PER_READ * TICKS_PER_SECOND;
  return virtual_ticks;
}

/* The timed region's markers: kept out of line so each has its own entry address. */
__attribute__((noinline)) void start_time(void) { start_time_val = barebones_clock(); }

__attribute__((noinline)) void stop_time(void) { stop_time_val = barebones_clock(); }

CORE_TICKS get_time(void) { return (CORE_TICKS)(stop_time_val - start_time_val); }

secs_ret time_in_secs(CORE_TICKS ticks) { return (secs_ret)(ticks / TICKS_PER_SECOND); }

void portable_init(core_portable *p, int *argc, char *argv[]) {
  (void)argc;
  (void)argv;
  if (sizeof(ee_ptr_int) != sizeof(ee_u8 *)) ee_printf("ERROR! ee_ptr_int cannot hold a pointer\n");
  if (sizeof(ee_u32) != 4) ee_printf("ERROR! ee_u32 is not 32 bits\n");
  p->portable_id = 1;
}

void portable_fini(core_portable *p) { p->portable_id = 0; }
