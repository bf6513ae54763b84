/* Program exit through ARM semihosting (QEMU: -semihosting-config enable=on).
 * SYS_EXIT_EXTENDED (0x20) takes a two-word block {reason, code}; with reason
 * ADP_Stopped_ApplicationExit (0x20026) QEMU exits with `code` as its own status.
 * Without semihosting the BKPT faults instead; the fault handler sees the exit in
 * progress and halts, so the device stops either way. */
#include "mcu_runtime.h"

#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static volatile int exit_started;

int mcu_exit_in_progress(void) { return exit_started; }

__attribute__((noreturn)) void mcu_exit(int code) {
  exit_started = 1;
  uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
  register uint32_t op __asm__("r0") = SEMIHOSTING_SYS_EXIT_EXTENDED;
  register uint32_t *arg __asm__("r1") = block;
  __asm__ volatile("bkpt 0xab" : "+r"(op) : "r"(arg) : "memory");
  for (;;) __asm__ volatile("wfi");
}
