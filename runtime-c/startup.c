/* Reset and the vector table: from power-on to the module's entry point.
 *
 * Reset_Handler runs on the initial stack with nothing initialised. It copies .data,
 * zeroes .bss, turns on the configurable faults (so a trap's UDF arrives as a
 * UsageFault with its own cause bits instead of a bare HardFault), points r9 at linear
 * memory, sets up linear memory from the module descriptor, then calls the module:
 * start, then entry ("_start", exit 0 when it returns) or main (exit with its result). */
#include "mcu_module.h"
#include "mcu_runtime.h"
#include "mcu_instance.h"
#include "mcu_interrupts.h"

/* Defined in trap.c: one entry for the faults, and for every exception nobody handles
 * (reported as "fault: exception <n>"), so nothing unexpected runs on silently. */
void mcu_fault_entry(void);

void Reset_Handler(void);

/* System Control Block registers (ARMv7-M ARM, B3.2). */
#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24u)
#define SCB_SHCSR_MEMFAULTENA (1u << 16)
#define SCB_SHCSR_BUSFAULTENA (1u << 17)
#define SCB_SHCSR_USGFAULTENA (1u << 18)
#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define SCB_CPACR_CP10_CP11_FULL (0xfu << 20)

#define MCU_SYSTEM_VECTORS 16

/* The SysTick handler lives in clock.c. */
void SysTick_Handler(void);

__attribute__((section(".vectors"), used)) static void (*const vector_table[MCU_SYSTEM_VECTORS + MCU_IRQ_COUNT])(
    void) = {
    [0] = (void (*)(void))__stack_top,
    [1] = Reset_Handler,
    [2] = mcu_fault_entry,  /* NMI */
    [3] = mcu_fault_entry,  /* HardFault */
    [4] = mcu_fault_entry,  /* MemManage */
    [5] = mcu_fault_entry,  /* BusFault */
    [6] = mcu_fault_entry,  /* UsageFault */
    [11] = mcu_fault_entry, /* SVCall */
    [12] = mcu_fault_entry, /* DebugMonitor */
    [14] = mcu_fault_entry, /* PendSV */
    [15] = SysTick_Handler,
    /* IRQ n: __mcu_irq<n>_handler, weak (interrupts.c) unless a module's veneer defines it. */
#define MCU_IRQ_VECTOR(n) [MCU_SYSTEM_VECTORS + (n)] = __mcu_irq##n##_handler,
    MCU_IRQ_LINES(MCU_IRQ_VECTOR)
#undef MCU_IRQ_VECTOR
};

static void init_c_sections(void) {
  const uint32_t *src = __data_load;
  for (uint32_t *dst = __data_start; dst < __data_end;) *dst++ = *src++;
  for (uint32_t *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
}

static void enable_configurable_faults(void) {
  SCB_SHCSR |= SCB_SHCSR_MEMFAULTENA | SCB_SHCSR_BUSFAULTENA | SCB_SHCSR_USGFAULTENA;
}

#ifdef MCU_HAS_FPU
/* Floating-Point Default Status Control Register: the FPSCR an exception handler starts with. */
#define FPU_FPDSCR (*(volatile uint32_t *)0xE000EF3Cu)

/* Grant full access to CP10/CP11 (the FPU) before any VFP instruction runs, then make the
 * FPSCR Wasm's: round to nearest even (RMode 0), flush-to-zero off (subnormals exact),
 * default-NaN off (NaN payloads propagate), in thread mode and in every handler. The
 * reset values are already these on QEMU and on silicon (Cortex-M4 TRM: FPDSCR resets to
 * 0); writing them keeps a bootloader's settings from leaking in. Runs first in
 * Reset_Handler: gcc may use VFP registers even in code without floats. */
static void enable_fpu(void) {
  SCB_CPACR |= SCB_CPACR_CP10_CP11_FULL;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  FPU_FPDSCR = 0;
  __asm__ volatile("vmsr fpscr, %0" : : "r"(0u));
}
#endif

/* r9 holds the base of linear memory for all Wasm code (docs/abi.md). runtime-c is built
 * with -ffixed-r9 so nothing here ever changes it after this. */
static void set_linear_memory_register(void) {
  __asm__ volatile("mov r9, %0" : : "r"(__mcu_linear_memory) : "r9");
}

static void run_module(void) {
  const struct mcu_module *m = &__mcu_module;
  mcu_modules_instantiate(); /* the other modules of a multi-module build (modules.c) */
  if (m->start != 0) m->start();
  if (m->entry != 0) {
    m->entry();
    mcu_exit(0);
  }
  if (m->main != 0) mcu_exit((int)m->main());
  mcu_exit(0);
}

__attribute__((noreturn)) void Reset_Handler(void) {
#ifdef MCU_HAS_FPU
  enable_fpu();
#endif
  init_c_sections();
  enable_configurable_faults();
  mcu_console_init();
  set_linear_memory_register();
  mcu_memory_init();
  mcu_clock_init(); /* SysTick runs from reset when the module binds a SysTick handler */
  run_module();
  for (;;) {
  }
}
