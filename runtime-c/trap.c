/* The fault handler: Wasm traps and every other fault end here.
 *
 * A trap site is a 16-bit `UDF #kind` (0xDExx) placed by the compiler; executing it raises
 * a UsageFault with CFSR.UNDEFINSTR set (or a HardFault if UsageFault is masked). We find
 * the stacked PC, confirm the UDF, look the PC up in the module's trap table and report
 *   trap: <kind> in <function> at wasm offset 0x<hex>
 * then exit with 100 + kind. Any other fault is reported with its name, PC and CFSR and
 * exits with 99. */
#include "mcu_module.h"
#include "mcu_runtime.h"
#include "trap.h"
#include "mcu_instance.h"

/* Configurable Fault Status Register and friends (ARMv7-M ARM, B3.2.15). */
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)
#define SCB_MMFAR (*(volatile uint32_t *)0xE000ED34u)
#define SCB_BFAR (*(volatile uint32_t *)0xE000ED38u)
#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)
#define CFSR_UNDEFINSTR (1u << 16)

#define THUMB_UDF_MASK 0xff00u
#define THUMB_UDF_T1 0xde00u

/* Exception numbers as IPSR reports them. */
enum exception_number { EXC_NMI = 2, EXC_HARDFAULT = 3, EXC_MEMMANAGE = 4, EXC_BUSFAULT = 5, EXC_USAGEFAULT = 6 };

/* The hardware-stacked exception frame (ARMv7-M ARM, B1.5.6). On a core with an FPU, when
 * the interrupted code had used it (CONTROL.FPCA, EXC_RETURN bit 4 = 0) the frame is the
 * extended one: these eight words, then s0-s15, FPSCR and a reserved word (lazily filled).
 * Only the first eight are read or written here, at the same offsets in both frames, and
 * an exception return pops whichever frame EXC_RETURN says; so one layout serves both. */
struct exception_frame {
  uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
};

static const char *const trap_kind_names[MCU_TRAP_KIND_MAX + 1] = {
    [MCU_TRAP_UNREACHABLE] = "unreachable",
    [MCU_TRAP_INTEGER_DIVIDE_BY_ZERO] = "integer divide by zero",
    [MCU_TRAP_INTEGER_OVERFLOW] = "integer overflow",
    [MCU_TRAP_OUT_OF_BOUNDS_MEMORY_ACCESS] = "out of bounds memory access",
    [MCU_TRAP_INVALID_CONVERSION_TO_INTEGER] = "invalid conversion to integer",
    [MCU_TRAP_INDIRECT_CALL_TYPE_MISMATCH] = "indirect call type mismatch",
    [MCU_TRAP_UNDEFINED_ELEMENT] = "undefined element",
    [MCU_TRAP_UNINITIALIZED_ELEMENT] = "uninitialized element",
    [MCU_TRAP_CALL_STACK_EXHAUSTED] = "call stack exhausted",
    [MCU_TRAP_OUT_OF_BOUNDS_TABLE_ACCESS] = "out of bounds table access",
    [MCU_TRAP_MMIO_ACCESS_OUTSIDE_GRANTED_RANGES] = "mmio access outside granted ranges",
};

const char *mcu_trap_kind_name(unsigned kind) {
  return kind >= 1 && kind <= MCU_TRAP_KIND_MAX ? trap_kind_names[kind] : 0;
}

static const char *exception_name(uint32_t number) {
  switch (number) {
    case EXC_NMI: return "NMI";
    case EXC_HARDFAULT: return "HardFault";
    case EXC_MEMMANAGE: return "MemManage";
    case EXC_BUSFAULT: return "BusFault";
    case EXC_USAGEFAULT: return "UsageFault";
    default: return 0;
  }
}

/* Binary search of the descriptor's trap table, which the compiler sorts by pc. */
static const struct mcu_trap_site *find_trap_site(uint32_t pc) {
  uint32_t lo = 0, hi = __mcu_module.n_traps;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const struct mcu_trap_site *site = &__mcu_module.traps[mid];
    if (site->pc == pc) return site;
    if (site->pc < pc) lo = mid + 1;
    else hi = mid;
  }
  return mcu_modules_find_trap_site(pc); /* the other modules of a multi-module build */
}

/* The UDF kind at the faulting PC, or 0 when the fault is not a trap. CFSR.UNDEFINSTR
 * proves the fetch at PC succeeded, so reading the halfword there cannot fault again. */
static unsigned trap_kind_at(const struct exception_frame *frame, uint32_t cfsr) {
  if ((cfsr & CFSR_UNDEFINSTR) == 0) return 0;
  uint16_t insn = *(const volatile uint16_t *)(uintptr_t)(frame->pc & ~1u);
  if ((insn & THUMB_UDF_MASK) != THUMB_UDF_T1) return 0;
  unsigned kind = insn & 0xffu;
  return mcu_trap_kind_name(kind) != 0 ? kind : 0;
}

/* Second line for an out-of-bounds access when the board gave less memory than declared:
 * the access may be valid Wasm that only this board cannot hold. */
static void report_physical_limit(void) {
  uint32_t physical = mcu_memory_physical_size();
  uint32_t pages = mcu_memory_declared_pages();
  if (pages <= (physical >> 16)) return;
  mcu_console_puts("note: linear memory is limited to ");
  mcu_console_put_hex(physical);
  mcu_console_puts(" bytes (physical limit of this board); the module declares ");
  mcu_console_put_dec(pages);
  mcu_console_puts(" pages\n");
}

__attribute__((noreturn)) static void report_trap(unsigned kind, uint32_t pc) {
  const struct mcu_trap_site *site = find_trap_site(pc);
  mcu_console_puts("trap: ");
  mcu_console_puts(mcu_trap_kind_name(kind));
  if (site != 0) {
    mcu_console_puts(" in ");
    mcu_console_puts(site->func_name != 0 ? site->func_name : "?");
    mcu_console_puts(" at wasm offset ");
    mcu_console_put_hex(site->wasm_offset);
  } else {
    mcu_console_puts(" at pc=");
    mcu_console_put_hex(pc);
  }
  mcu_console_putc('\n');
  if (kind == MCU_TRAP_OUT_OF_BOUNDS_MEMORY_ACCESS) report_physical_limit();
  mcu_exit(MCU_EXIT_TRAP_BASE + (int)kind);
}

__attribute__((noreturn)) static void report_fault(uint32_t exception, const struct exception_frame *frame,
                                                   uint32_t cfsr) {
  const char *name = exception_name(exception);
  mcu_console_puts("fault: ");
  if (name != 0) {
    mcu_console_puts(name);
  } else {
    mcu_console_puts("exception ");
    mcu_console_put_dec(exception);
  }
  mcu_console_puts(" at pc=");
  mcu_console_put_hex(frame->pc);
  mcu_console_puts(" cfsr=");
  mcu_console_put_hex(cfsr);
  if (exception == EXC_HARDFAULT) {
    mcu_console_puts(" hfsr=");
    mcu_console_put_hex(SCB_HFSR);
  }
  if ((cfsr & CFSR_BFARVALID) != 0) {
    mcu_console_puts(" address=");
    mcu_console_put_hex(SCB_BFAR);
  } else if ((cfsr & CFSR_MMARVALID) != 0) {
    mcu_console_puts(" address=");
    mcu_console_put_hex(SCB_MMFAR);
  }
  mcu_console_putc('\n');
  mcu_exit(MCU_EXIT_FAULT);
}

/* The optional test-only trap hook (docs/abi.md, "Trap hook"): weak, so it is 0 unless a
 * test harness defines it. When it returns a resume function, the exception returns into
 * that function instead of the trapping code; its xPSR keeps only the Thumb bit and the
 * stack-alignment bit (bit 9) that the hardware needs to pop the frame correctly. */
__attribute__((weak)) mcu_trap_resume_fn mcu_trap_hook(unsigned kind);

#define XPSR_THUMB (1u << 24)
#define XPSR_STACK_ALIGNED (1u << 9)

static int resume_through_hook(unsigned kind, struct exception_frame *frame, uint32_t cfsr) {
  if (mcu_trap_hook == 0) return 0;
  mcu_trap_resume_fn resume = mcu_trap_hook(kind);
  if (resume == 0) return 0;
  SCB_CFSR = cfsr; /* write-one-to-clear: the next fault reports only its own cause */
  frame->pc = (uint32_t)(uintptr_t)resume & ~1u;
  frame->xpsr = (frame->xpsr & XPSR_STACK_ALIGNED) | XPSR_THUMB;
  return 1;
}

/* Called by mcu_fault_entry with the stacked frame of whichever stack was active. It
 * returns (an exception return, since LR still holds EXC_RETURN) only when the trap hook
 * took over the trap. */
__attribute__((used)) void mcu_fault_from_frame(struct exception_frame *frame) {
  /* The semihosting BKPT itself faults when semihosting is off: stop here for good. */
  if (mcu_exit_in_progress()) {
    for (;;) __asm__ volatile("wfi");
  }
  uint32_t exception;
  __asm__ volatile("mrs %0, ipsr" : "=r"(exception));
  exception &= 0x1ffu;
  uint32_t cfsr = SCB_CFSR;
  unsigned kind = trap_kind_at(frame, cfsr);
  if (kind != 0) {
    if (resume_through_hook(kind, frame, cfsr)) return;
    report_trap(kind, frame->pc);
  }
  report_fault(exception, frame, cfsr);
}

/* EXC_RETURN bit 2 says which stack holds the frame (0: MSP, 1: PSP). Written with
 * ARMv6-M instructions only, so the same entry serves Cortex-M0 later. */
__attribute__((naked)) void mcu_fault_entry(void) {
  __asm__ volatile(
      "movs r0, #4\n\t"
      "mov r1, lr\n\t"
      "tst r0, r1\n\t"
      "bne 1f\n\t"
      "mrs r0, msp\n\t"
      "b mcu_fault_from_frame\n"
      "1:\n\t"
      "mrs r0, psp\n\t"
      "b mcu_fault_from_frame\n");
}
