/* Minimal bare-metal start-up for the native (arm-none-eabi-gcc) benchmark builds.
 *
 * Reset copies .data, zeroes .bss, calls main() and ends the run through semihosting
 * SYS_EXIT_EXTENDED with main's result, so QEMU exits with the benchmark's status.
 * Every other exception lands in one handler that exits with 99: a native run that
 * faults is reported as a failure instead of hanging. Console output (CoreMark's
 * ee_printf) goes through semihosting SYS_WRITE0, which needs no UART driver. */
#include <stdint.h>

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[], __stack_top[];

int main(int argc, char **argv);
void Reset_Handler(void);
void bench_fault_handler(void);

#define SEMIHOSTING_SYS_WRITE0 0x04u
#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define FAULT_EXIT_CODE 99

static uint32_t semihosting_call(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

__attribute__((noreturn)) void bench_exit(int code) {
  uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
  semihosting_call(SEMIHOSTING_SYS_EXIT_EXTENDED, block);
  for (;;) {
  }
}

/* Writes a NUL-terminated string to the host console. */
void bench_console_write(const char *text) { semihosting_call(SEMIHOSTING_SYS_WRITE0, text); }

void bench_fault_handler(void) { bench_exit(FAULT_EXIT_CODE); }

__attribute__((section(".vectors"), used)) static void (*const vector_table[16])(void) = {
    [0] = (void (*)(void))__stack_top,
    [1] = Reset_Handler,
    [2 ... 15] = bench_fault_handler,
};

__attribute__((noreturn)) void Reset_Handler(void) {
#if defined(__ARM_FP)
  /* gcc uses the FPU (even for integer code: moves through S registers) on M4F boards, and
   * every FPU instruction is a UsageFault until CPACR grants full access to CP10/CP11. */
  *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  const uint32_t *src = __data_load;
  for (uint32_t *dst = __data_start; dst < __data_end;) *dst++ = *src++;
  for (uint32_t *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
  bench_exit(main(0, 0));
}
