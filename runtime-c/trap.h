/* Wasm trap kinds: the immediate of the `UDF #kind` the compiler emits at a trap site.
 * Numbers and names are those of src/ir/types.ts TRAP_KINDS and docs/abi.md; a trap exits
 * with 100 + kind. */
#ifndef MCU_TRAP_H
#define MCU_TRAP_H

enum mcu_trap_kind {
  MCU_TRAP_UNREACHABLE = 1,
  MCU_TRAP_INTEGER_DIVIDE_BY_ZERO = 2,
  MCU_TRAP_INTEGER_OVERFLOW = 3,
  MCU_TRAP_OUT_OF_BOUNDS_MEMORY_ACCESS = 4,
  MCU_TRAP_INVALID_CONVERSION_TO_INTEGER = 5,
  MCU_TRAP_INDIRECT_CALL_TYPE_MISMATCH = 6,
  MCU_TRAP_UNDEFINED_ELEMENT = 7,
  MCU_TRAP_UNINITIALIZED_ELEMENT = 8,
  MCU_TRAP_CALL_STACK_EXHAUSTED = 9,
  MCU_TRAP_OUT_OF_BOUNDS_TABLE_ACCESS = 10,
  MCU_TRAP_MMIO_ACCESS_OUTSIDE_GRANTED_RANGES = 11,
};

#define MCU_TRAP_KIND_MAX MCU_TRAP_MMIO_ACCESS_OUTSIDE_GRANTED_RANGES

/* Exit codes that are not 100 + kind. */
#define MCU_EXIT_SEGMENT_DOES_NOT_FIT 98
#define MCU_EXIT_FAULT 99
#define MCU_EXIT_TRAP_BASE 100

/* Test-only trap hook (docs/abi.md, "Trap hook"). A test harness that defines
 * `mcu_trap_hook` gets each Wasm trap's kind first; when it returns a function, the fault
 * handler resumes there (in thread mode, on the trapping code's stack, r9 intact) instead
 * of reporting the trap and exiting. That function must not return: it restores a stack
 * and registers of its own, e.g. with longjmp. Absent (the weak symbol is 0), or returning
 * 0, nothing changes. */
typedef void (*mcu_trap_resume_fn)(void);
mcu_trap_resume_fn mcu_trap_hook(unsigned kind);

/* The message of a trap kind ("out of bounds memory access"), or 0 for an unknown kind. */
const char *mcu_trap_kind_name(unsigned kind);

#endif
