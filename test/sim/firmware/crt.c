/* A minimal bare-metal harness for the simulator tests: vector table, reset, a console
 * UART (PL011 or CMSDK, chosen by -DCONSOLE_PL011 / -DCONSOLE_CMSDK with CONSOLE_BASE),
 * number printing, semihosting exit and a fault handler that reports and exits. */
#include "harness.h"

extern unsigned long __stack_top[], __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
int main(void);
void Reset_Handler(void);
void Fault_Handler(void);
/* PendSV: a firmware may define its own (float.c does); by default a fault. */
void PendSV_Handler(void) __attribute__((weak, alias("Fault_Handler")));

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))__stack_top, Reset_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
    0, 0, 0, 0, Fault_Handler, 0, 0, PendSV_Handler, Fault_Handler,
};

#define REG(offset) (*(volatile unsigned *)(CONSOLE_BASE + (offset)))

void putch(char c) {
#ifdef CONSOLE_PL011
  REG(0) = (unsigned char)c;
#else
  while (REG(4) & 1) {
  }
  REG(0) = (unsigned char)c;
#endif
}

void puts_(const char *s) {
  while (*s) putch(*s++);
}

void put_u64(unsigned long long v) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) putch(buf[--n]);
}

void put_i64(long long v) {
  if (v < 0) {
    putch('-');
    put_u64(0ull - (unsigned long long)v);
  } else {
    put_u64((unsigned long long)v);
  }
}

void put_hex(unsigned v) {
  for (int i = 28; i >= 0; i -= 4) putch("0123456789abcdef"[(v >> i) & 15]);
}

__attribute__((noreturn)) void exit_(int code) {
  unsigned block[2] = {0x20026, (unsigned)code};
  register unsigned r0 __asm__("r0") = 0x20;
  register unsigned *r1 __asm__("r1") = block;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  for (;;) {
  }
}

void Fault_Handler(void) {
  unsigned ipsr, *frame;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  __asm__ volatile("mrs %0, msp" : "=r"(frame));
  puts_("fault ");
  put_u64(ipsr & 0x1ff);
  puts_(" cfsr=");
  put_hex(*(volatile unsigned *)0xE000ED28u);
  puts_(" hfsr=");
  put_hex(*(volatile unsigned *)0xE000ED2Cu);
  puts_("\n");
  (void)frame;
  exit_(50 + (int)(ipsr & 0x1ff));
}

void Reset_Handler(void) {
#ifdef __ARM_FP
  /* Full access to CP10/CP11 before any FP instruction (main may start with VPUSH). */
  *(volatile unsigned *)0xE000ED88u |= 0xfu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  unsigned long *src = __data_load;
  for (unsigned long *dst = __data_start; dst < __data_end;) *dst++ = *src++;
  for (unsigned long *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
#ifdef CONSOLE_CMSDK
  REG(0x10) = 16;
  REG(8) = 3;
#endif
  exit_(main());
}
