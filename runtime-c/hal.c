/* The HAL module `mcu` (docs/hal.md): the functions that are calls, named `mcu__<name>` as
 * every import `m.n` is `m__n` (docs/abi.md). The register accesses read8...write32 are
 * compiled inline and have no definition here. NVIC registers: ARMv7-M ARM, B3.4. */
#include "mcu_interrupts.h"
#include "mcu_runtime.h"

#define NVIC_ISER ((volatile uint32_t *)0xE000E100u)
#define NVIC_ICER ((volatile uint32_t *)0xE000E180u)
#define NVIC_ISPR ((volatile uint32_t *)0xE000E200u)
#define NVIC_ICPR ((volatile uint32_t *)0xE000E280u)

/* One bit per line, 32 lines per register; lines beyond the vector table are ignored. */
static void set_line_bit(volatile uint32_t *bank, uint32_t irq) {
  if (irq < MCU_IRQ_COUNT) bank[irq >> 5] = 1u << (irq & 31u);
}

/* A change to NVIC state or PRIMASK takes effect before the next instruction: an interrupt
 * it unmasks or pends is taken before the call returns. */
static void synchronise(void) { __asm__ volatile("dsb\n\tisb" ::: "memory"); }

void mcu__irq_enable(uint32_t irq) {
  set_line_bit(NVIC_ISER, irq);
  synchronise();
}

void mcu__irq_disable(uint32_t irq) {
  set_line_bit(NVIC_ICER, irq);
  synchronise();
}

uint32_t mcu__irq_pending(uint32_t irq) {
  if (irq >= MCU_IRQ_COUNT) return 0;
  return (NVIC_ISPR[irq >> 5] >> (irq & 31u)) & 1u;
}

void mcu__irq_set_pending(uint32_t irq) {
  set_line_bit(NVIC_ISPR, irq);
  synchronise();
}

void mcu__irq_clear_pending(uint32_t irq) {
  set_line_bit(NVIC_ICPR, irq);
  synchronise();
}

void mcu__interrupts_enable(void) {
  __asm__ volatile("cpsie i" ::: "memory");
  synchronise();
}

void mcu__interrupts_disable(void) { __asm__ volatile("cpsid i" ::: "memory"); }

void mcu__wait_for_interrupt(void) { __asm__ volatile("dsb\n\twfi" ::: "memory"); }

uint32_t mcu__millis(void) { return mcu_clock_millis(); }

uint32_t mcu__cycles(void) { return mcu_clock_cycles(); }

void mcu__delay_ms(uint32_t ms) {
  uint64_t start = mcu_clock_monotonic_ns();
  uint64_t wait = (uint64_t)ms * 1000000u;
  while (mcu_clock_monotonic_ns() - start < wait) {
  }
}
