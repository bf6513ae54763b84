/* FPv4-SP on a Cortex-M4F (gcc -mfloat-abi=hard -mfpu=fpv4-sp-d16): every data-processing
 * instruction, by inline assembly, over a table of edge values (signed zeros, subnormals,
 * quiet and signalling NaNs with payloads, infinities, rounding ties, conversion bounds),
 * in each rounding mode and with flush-to-zero and default-NaN; a checksum of the result
 * bits and FPSCR (NZCV and cumulative flags) per instruction and mode. Then register-list
 * and doubleword transfers, an exception taken in the middle of FP code (the extended
 * frame, FPDSCR in the handler, EXC_RETURN), and ordinary float code as gcc compiles it. */
#include "harness.h"

static const unsigned VALUES[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff,
    0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00001, 0xffc12345, 0x3eaaaaab, 0x4b000001,
    0x3f800001, 0x33800000, 0x4f000000, 0xcf000000, 0x4f800000, 0x47000080, 0xc2f6e979, 0x3fc00000,
    0x40200000, 0xbfc00000, 0x00400000, 0x0c000000,
};
#define N_VALUES (sizeof VALUES / sizeof VALUES[0])

/* RMode (23:22), FZ (24), DN (25). */
static const unsigned CONFIGS[] = {0u << 22, 1u << 22, 2u << 22, 3u << 22, 1u << 24, 1u << 25, (3u << 22) | (3u << 24)};
#define N_CONFIGS (sizeof CONFIGS / sizeof CONFIGS[0])

static inline float u2f(unsigned u) { union { unsigned u; float f; } x = {.u = u}; return x.f; }
static inline unsigned f2u(float f) { union { float f; unsigned u; } x = {.f = f}; return x.u; }
static inline void set_fpscr(unsigned v) { __asm__ volatile("vmsr fpscr, %0" : : "r"(v)); }
static inline unsigned get_fpscr(void) { unsigned v; __asm__ volatile("vmrs %0, fpscr" : "=r"(v)); return v; }

typedef unsigned (*op_fn)(unsigned d, unsigned n, unsigned m);

#define OP3(name, text) \
  static unsigned name(unsigned d, unsigned n, unsigned m) { \
    float x = u2f(d), y = u2f(n), z = u2f(m); \
    __asm__ volatile(text " %0, %1, %2" : "+t"(x) : "t"(y), "t"(z)); \
    return f2u(x); \
  }
#define OP2(name, text) \
  static unsigned name(unsigned d, unsigned n, unsigned m) { \
    (void)d; (void)m; float x, y = u2f(n); \
    __asm__ volatile(text " %0, %1" : "=t"(x) : "t"(y)); \
    return f2u(x); \
  }
/* Conversions in place (fixed point) or whose source is integer bits. */
#define OPIN(name, text) \
  static unsigned name(unsigned d, unsigned n, unsigned m) { \
    (void)d; (void)m; float x = u2f(n); \
    __asm__ volatile(text : "+t"(x)); \
    return f2u(x); \
  }
#define OPCMP(name, text) \
  static unsigned name(unsigned d, unsigned n, unsigned m) { \
    (void)d; float y = u2f(n), z = u2f(m); \
    __asm__ volatile(text : : "t"(y), "t"(z)); \
    return get_fpscr() >> 28; \
  }

OP3(op_vadd, "vadd.f32") OP3(op_vsub, "vsub.f32") OP3(op_vmul, "vmul.f32") OP3(op_vdiv, "vdiv.f32")
OP3(op_vnmul, "vnmul.f32") OP3(op_vmla, "vmla.f32") OP3(op_vmls, "vmls.f32") OP3(op_vnmla, "vnmla.f32")
OP3(op_vnmls, "vnmls.f32") OP3(op_vfma, "vfma.f32") OP3(op_vfms, "vfms.f32") OP3(op_vfnma, "vfnma.f32")
OP3(op_vfnms, "vfnms.f32")
OP2(op_vsqrt, "vsqrt.f32") OP2(op_vabs, "vabs.f32") OP2(op_vneg, "vneg.f32") OP2(op_vmov, "vmov.f32")
OP2(op_tos32, "vcvt.s32.f32") OP2(op_tou32, "vcvt.u32.f32") OP2(op_tos32r, "vcvtr.s32.f32") OP2(op_tou32r, "vcvtr.u32.f32")
OP2(op_froms32, "vcvt.f32.s32") OP2(op_fromu32, "vcvt.f32.u32")
OPIN(op_tofix_s32, "vcvt.s32.f32 %0, %0, #16") OPIN(op_tofix_u16, "vcvt.u16.f32 %0, %0, #8")
OPIN(op_tofix_s16, "vcvt.s16.f32 %0, %0, #1") OPIN(op_tofix_u32, "vcvt.u32.f32 %0, %0, #32")
OPIN(op_fromfix_s16, "vcvt.f32.s16 %0, %0, #4") OPIN(op_fromfix_u32, "vcvt.f32.u32 %0, %0, #31")
OPIN(op_fromfix_s32, "vcvt.f32.s32 %0, %0, #1") OPIN(op_fromfix_u16, "vcvt.f32.u16 %0, %0, #16")
OPCMP(op_vcmp, "vcmp.f32 %0, %1") OPCMP(op_vcmpe, "vcmpe.f32 %0, %1") OPCMP(op_vcmpz, "vcmp.f32 %0, #0")
OPCMP(op_vcmpez, "vcmpe.f32 %0, #0")

static const struct { const char *name; op_fn fn; } OPS[] = {
    {"vadd", op_vadd}, {"vsub", op_vsub}, {"vmul", op_vmul}, {"vdiv", op_vdiv}, {"vnmul", op_vnmul},
    {"vmla", op_vmla}, {"vmls", op_vmls}, {"vnmla", op_vnmla}, {"vnmls", op_vnmls}, {"vfma", op_vfma},
    {"vfms", op_vfms}, {"vfnma", op_vfnma}, {"vfnms", op_vfnms}, {"vsqrt", op_vsqrt}, {"vabs", op_vabs},
    {"vneg", op_vneg}, {"vmov", op_vmov}, {"vcvt.s32.f32", op_tos32}, {"vcvt.u32.f32", op_tou32},
    {"vcvtr.s32.f32", op_tos32r}, {"vcvtr.u32.f32", op_tou32r}, {"vcvt.f32.s32", op_froms32},
    {"vcvt.f32.u32", op_fromu32}, {"vcvt.s32.f32#16", op_tofix_s32}, {"vcvt.u16.f32#8", op_tofix_u16},
    {"vcvt.s16.f32#1", op_tofix_s16}, {"vcvt.u32.f32#32", op_tofix_u32}, {"vcvt.f32.s16#4", op_fromfix_s16},
    {"vcvt.f32.u32#31", op_fromfix_u32}, {"vcvt.f32.s32#1", op_fromfix_s32}, {"vcvt.f32.u16#16", op_fromfix_u16},
    {"vcmp", op_vcmp}, {"vcmpe", op_vcmpe}, {"vcmp#0", op_vcmpz}, {"vcmpe#0", op_vcmpez},
};

static unsigned fnv(unsigned h, unsigned v) {
  for (int i = 0; i < 4; i++) h = (h ^ ((v >> (8 * i)) & 0xff)) * 16777619u;
  return h;
}

static void instruction_table(void) {
  for (unsigned c = 0; c < N_CONFIGS; c++) {
    for (unsigned o = 0; o < sizeof OPS / sizeof OPS[0]; o++) {
      unsigned h = 2166136261u;
      for (unsigned i = 0; i < N_VALUES; i++) {
        for (unsigned j = 0; j < N_VALUES; j++) {
          set_fpscr(CONFIGS[c]);
          unsigned r = OPS[o].fn(VALUES[(i + j) % N_VALUES], VALUES[i], VALUES[j]);
          h = fnv(fnv(h, r), get_fpscr());
#ifdef VERBOSE
          if (c == VERBOSE_CONFIG && o == VERBOSE_OP) { put_hex(VALUES[i]); putch(' '); put_hex(VALUES[j]); putch(' '); put_hex(r); putch(' '); put_hex(get_fpscr()); putch('\n'); }
#endif
        }
      }
      put_hex(CONFIGS[c]); putch(' '); puts_(OPS[o].name); putch(' '); put_hex(h); putch('\n');
    }
  }
  set_fpscr(0);
}

/* VMOV immediates, VLDM/VSTM/VPUSH/VPOP of S and D lists, VLDR/VSTR of D, VMOV r, r, d. */
static void transfers(void) {
  static unsigned in[8] = {0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555, 0x66666666, 0x77777777, 0x88888888};
  static unsigned out[8];
  unsigned imm[4], lo, hi, sp_before, sp_after;
  __asm__ volatile(
      "vmov.f32 s0, #1.0\n\tvmov.f32 s1, #-0.125\n\tvmov.f32 s2, #31.0\n\tvmov.f32 s3, #0.1875\n\t"
      "vmov %0, s0\n\tvmov %1, s1\n\tvmov %2, s2\n\tvmov %3, s3"
      : "=r"(imm[0]), "=r"(imm[1]), "=r"(imm[2]), "=r"(imm[3]) : : "s0", "s1", "s2", "s3");
  for (int i = 0; i < 4; i++) { put_hex(imm[i]); putch(' '); }
  putch('\n');
  unsigned *pin = in, *pout = out;
  __asm__ volatile(
      "mov %2, sp\n\t"
      "vldmia %0!, {s4-s7}\n\tvldmia %0, {d4-d5}\n\t"
      "vpush {s4-s7}\n\tvpush {d4}\n\t"
      "vpop {d2}\n\tvpop {s8-s11}\n\t"
      "vstmia %1!, {s8-s11}\n\tvstmdb %1!, {d2}\n\t"
      "vldr d6, [%1, #-8]\n\tvstr d6, [%1, #16]\n\t"
      "mov %3, sp\n\t"
      : "+r"(pin), "+r"(pout), "=&r"(sp_before), "=&r"(sp_after)
      : : "memory", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "d2", "d4", "d5", "d6");
  __asm__ volatile("vmov %0, %1, d2" : "=r"(lo), "=r"(hi) : : "d2");
  for (int i = 0; i < 8; i++) { put_hex(out[i]); putch(' '); }
  put_hex(lo); putch(' '); put_hex(hi); putch(' ');
  put_u64((unsigned)(pin - in)); putch(' '); put_u64((unsigned)(pout - out)); putch(' '); put_u64(sp_before - sp_after); putch('\n');
}

/* An exception taken in the middle of FP code: the handler clobbers S0-S15 and FPSCR and
 * records what it saw on entry (FPSCR from FPDSCR, EXC_RETURN, CONTROL). */
static volatile unsigned handler_fpscr, handler_lr, handler_control, handler_result;

__attribute__((naked)) void PendSV_Handler(void) {
  __asm__ volatile(
      "ldr r0, =handler_lr\n\tstr lr, [r0]\n\t"
      "mrs r1, control\n\tldr r0, =handler_control\n\tstr r1, [r0]\n\t"
      "vmrs r1, fpscr\n\tldr r0, =handler_fpscr\n\tstr r1, [r0]\n\t"
      "mov r1, #0x00c00000\n\tvmsr fpscr, r1\n\t"
      "vmov.f32 s0, #3.0\n\tvmov.f32 s1, #7.0\n\tvdiv.f32 s2, s0, s1\n\tvmov.f32 s15, s2\n\t"
      "vmov r1, s2\n\tldr r0, =handler_result\n\tstr r1, [r0]\n\t"
      "bx lr\n\t.ltorg");
}

static void exception_with_fp_context(void) {
  *(volatile unsigned *)0xE000EF3Cu = 2u << 22; /* FPDSCR: handlers start rounding toward -inf */
  unsigned before, after, s15, control;
  set_fpscr((1u << 22) | (1u << 24));
  __asm__ volatile(
      "vmov.f32 s15, #2.5\n\t"
      "ldr r0, =0xE000ED04\n\tmov r1, #0x10000000\n\tstr r1, [r0]\n\tdsb\n\tisb\n\t"
      "vmov %0, s15\n\tmrs %1, control"
      : "=r"(s15), "=r"(control) : : "r0", "r1", "s15", "memory");
  after = get_fpscr();
  before = (1u << 22) | (1u << 24);
  put_hex(handler_fpscr); putch(' '); put_hex(handler_lr); putch(' '); put_hex(handler_control); putch(' ');
  put_hex(handler_result); putch(' '); put_hex(s15); putch(' '); put_hex(after == before); putch(' '); put_hex(control); putch('\n');
  set_fpscr(0);
}

/* Ordinary float code as gcc -O2 compiles it (hard-float ABI: S registers, VPUSH of s16+). */
__attribute__((noinline)) static float poly(float x) {
  return ((((x * 0.0083333f - 0.16666f) * x * x) + 1.0f) * x);
}

__attribute__((noinline)) static float newton_sqrt(float a) {
  float x = a > 1.0f ? a * 0.5f : 1.0f;
  for (int i = 0; i < 20; i++) x = 0.5f * (x + a / x);
  return x;
}

__attribute__((noinline)) static float dot(const float *a, const float *b, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

static volatile float inputs[16];
static volatile double dvalue = 3.75;

static void gcc_float_code(void) {
  float a[16], b[16];
  for (int i = 0; i < 16; i++) {
    inputs[i] = (float)(i * 37 % 11) - 4.5f + (float)i / 7.0f;
    a[i] = inputs[i];
    b[i] = 1.0f / (a[i] + 0.25f);
  }
  unsigned h = 2166136261u;
  for (int i = 0; i < 16; i++) {
    float x = a[i];
    h = fnv(h, f2u(poly(x)));
    h = fnv(h, f2u(newton_sqrt(x < 0 ? -x : x)));
    h = fnv(h, (unsigned)(int)(x * 1000.0f));
    h = fnv(h, (unsigned)(x > 0 ? (unsigned)(x * 3e8f) : 0u));
    h = fnv(h, f2u((float)(int)(x * 77.0f) / 3.0f));
    h = fnv(h, f2u(__builtin_fmaf(x, b[i], a[(i + 3) & 15])));
    h = fnv(h, f2u(x < b[i] ? x : b[i]));
    h = fnv(h, f2u(__builtin_fabsf(x) + __builtin_copysignf(1.0f, x)));
  }
  h = fnv(h, f2u(dot(a, b, 16)));
  double d = dvalue * (double)a[3] + 1.0 / 3.0; /* soft double via libgcc, floats through D registers */
  h = fnv(h, (unsigned)(long long)(d * 1e6));
  puts_("gcc ");
  put_hex(h);
  putch(' ');
  put_i64((long long)(dot(a, b, 16) * 1000.0f));
  putch('\n');
}

int main(void) {
  instruction_table();
  transfers();
  exception_with_fp_context();
  gcc_float_code();
  return 0;
}
