/* Float operations compiled Wasm code calls where libgcc has no AEABI helper or where its
 * helpers differ from Wasm's semantics: min/max (NaN in -> NaN out, -0 < +0), a correctly
 * rounded square root, rounding to an integral value (ceil, floor, trunc, nearest with
 * ties to even), and float -> integer truncation with exact range checks (a check for the
 * trapping form, the saturating form itself).
 *
 * Every value crosses the call as its bits (uint32_t for f32, uint64_t for f64), so the
 * calling convention is the AAPCS base standard whether or not the core has an FPU and
 * whatever -mfloat-abi this file is compiled with (src/backend-thumb2/isel/float.ts calls
 * these). Both widths share one implementation on uint64_t bits, parameterised by the
 * format's field widths; speed matters less here than being obviously right. */

#include <stdint.h>

/* An IEEE 754 binary format: bits of the fraction and of the exponent. */
struct format {
  unsigned frac_bits;
  unsigned exp_bits;
};

static const struct format F32 = {23, 8};
static const struct format F64 = {52, 11};

static uint64_t sign_bit(struct format f) { return (uint64_t)1 << (f.frac_bits + f.exp_bits); }
static uint64_t frac_mask(struct format f) { return ((uint64_t)1 << f.frac_bits) - 1; }
static uint32_t exp_max(struct format f) { return (1u << f.exp_bits) - 1; }
static uint32_t exp_bias(struct format f) { return exp_max(f) >> 1; }
static uint32_t exp_of(struct format f, uint64_t x) { return (uint32_t)(x >> f.frac_bits) & exp_max(f); }
static uint64_t magnitude(struct format f, uint64_t x) { return x & (sign_bit(f) - 1); }
static uint64_t infinity(struct format f) { return (uint64_t)exp_max(f) << f.frac_bits; }
static uint64_t quiet_bit(struct format f) { return (uint64_t)1 << (f.frac_bits - 1); }
static uint64_t canonical_nan(struct format f) { return infinity(f) | quiet_bit(f); }
static int is_nan(struct format f, uint64_t x) { return magnitude(f, x) > infinity(f); }
/* The bits of 1.0. */
static uint64_t one(struct format f) { return (uint64_t)exp_bias(f) << f.frac_bits; }

/* ---- min and max ---------------------------------------------------------------------- */

/* A key whose unsigned order is the numeric order of non-NaN floats, with -0 < +0:
 * negative values reversed below the positive ones. */
static uint64_t order_key(struct format f, uint64_t x) {
  return (x & sign_bit(f)) ? ~x & ((sign_bit(f) << 1) - 1) : x | sign_bit(f);
}

static uint64_t min_bits(struct format f, uint64_t a, uint64_t b) {
  if (is_nan(f, a) || is_nan(f, b)) return canonical_nan(f);
  return order_key(f, a) <= order_key(f, b) ? a : b;
}

static uint64_t max_bits(struct format f, uint64_t a, uint64_t b) {
  if (is_nan(f, a) || is_nan(f, b)) return canonical_nan(f);
  return order_key(f, a) >= order_key(f, b) ? a : b;
}

uint32_t __mcu_f32_min(uint32_t a, uint32_t b) { return (uint32_t)min_bits(F32, a, b); }
uint32_t __mcu_f32_max(uint32_t a, uint32_t b) { return (uint32_t)max_bits(F32, a, b); }
uint64_t __mcu_f64_min(uint64_t a, uint64_t b) { return min_bits(F64, a, b); }
uint64_t __mcu_f64_max(uint64_t a, uint64_t b) { return max_bits(F64, a, b); }

/* ---- square root ---------------------------------------------------------------------- */

/* floor(sqrt(n)) of the 128-bit n = hi:lo, digit by digit (two radicand bits per result
 * bit), over the low `pairs` bit pairs of n (the ones above must be zero). *inexact is set
 * when the remainder is not zero. The result has at most `pairs` bits; the remainder
 * stays below 2 * result + 1, so with pairs <= 56 nothing overflows 64 bits. */
static uint64_t integer_sqrt(uint64_t hi, uint64_t lo, int pairs, int *inexact) {
  uint64_t root = 0, rem = 0;
  for (int i = pairs - 1; i >= 0; i--) {
    unsigned pos = 2u * (unsigned)i;
    uint64_t two_bits = pos >= 64 ? (hi >> (pos - 64)) & 3 : (lo >> pos) & 3;
    rem = (rem << 2) | two_bits;
    uint64_t trial = (root << 2) | 1;
    if (rem >= trial) {
      rem -= trial;
      root = (root << 1) | 1;
    } else {
      root <<= 1;
    }
  }
  *inexact = rem != 0;
  return root;
}

/* sqrt of a positive finite nonzero x, correctly rounded (to nearest, ties to even). The
 * result is always a normal number, so rounding never meets the subnormal range. */
static uint64_t sqrt_positive(struct format f, uint64_t x) {
  /* x = m * 2^e with m an integer, normalised so that its top bit is the implicit one. */
  uint32_t biased = exp_of(f, x);
  uint64_t m = x & frac_mask(f);
  int32_t e = (int32_t)(biased != 0 ? biased : 1) - (int32_t)exp_bias(f) - (int32_t)f.frac_bits;
  if (biased != 0) m |= (uint64_t)1 << f.frac_bits;
  while (m < ((uint64_t)1 << f.frac_bits)) {
    m <<= 1;
    e--;
  }
  if (e & 1) { /* an even exponent halves exactly */
    m <<= 1;
    e--;
  }
  /* m < 2^(frac_bits + 2). Scaling it by an even 2^r with r >= frac_bits + 2 gives a root
   * of at least frac_bits + 2 bits (the significand and a guard bit); r <= 54 keeps the
   * radicand within 56 bit pairs. */
  unsigned r = (f.frac_bits + 3) & ~1u;
  uint64_t hi = r >= 64 ? m << (r - 64) : m >> (64 - r);
  uint64_t lo = r >= 64 ? 0 : m << r;
  int inexact;
  uint64_t q = integer_sqrt(hi, lo, 56, &inexact);
  int32_t scale = (e - (int32_t)r) / 2; /* e - r is even: sqrt(x) = (q + fraction) * 2^scale */
  /* Keep frac_bits + 1 significant bits and one guard bit; the rest is sticky. */
  while (q >= ((uint64_t)1 << (f.frac_bits + 2))) {
    inexact |= (int)(q & 1);
    q >>= 1;
    scale++;
  }
  uint64_t guard = q & 1;
  q >>= 1;
  scale++;
  if (guard && (inexact || (q & 1))) q++;
  /* q in [2^frac_bits, 2^(frac_bits+1)]: adding it to (exponent - 1) puts the implicit bit
   * into the exponent, and a carry out of rounding moves the exponent up by itself. */
  uint64_t exponent = (uint64_t)(scale + (int32_t)f.frac_bits + (int32_t)exp_bias(f));
  return ((exponent - 1) << f.frac_bits) + q;
}

static uint64_t sqrt_bits(struct format f, uint64_t x) {
  if (is_nan(f, x)) return x | quiet_bit(f);
  if (magnitude(f, x) == 0) return x; /* sqrt(-0) = -0 */
  if (x & sign_bit(f)) return canonical_nan(f);
  if (x == infinity(f)) return x;
  return sqrt_positive(f, x);
}

uint32_t __mcu_f32_sqrt(uint32_t x) { return (uint32_t)sqrt_bits(F32, x); }
uint64_t __mcu_f64_sqrt(uint64_t x) { return sqrt_bits(F64, x); }

/* ---- rounding to an integral value ---------------------------------------------------- */

enum rounding { ROUND_CEIL, ROUND_FLOOR, ROUND_TRUNC, ROUND_NEAREST };

/* |x| < 1: the result is a signed zero or a signed one. */
static uint64_t round_fraction(struct format f, uint64_t x, enum rounding mode) {
  uint64_t sign = x & sign_bit(f);
  int nonzero = magnitude(f, x) != 0;
  switch (mode) {
  case ROUND_CEIL:
    return sign == 0 && nonzero ? one(f) : sign;
  case ROUND_FLOOR:
    return sign != 0 && nonzero ? sign | one(f) : sign;
  case ROUND_TRUNC:
    return sign;
  case ROUND_NEAREST:
    /* Above one half rounds to one; exactly one half is a tie, and 0 is even. */
    return exp_of(f, x) == exp_bias(f) - 1 && (x & frac_mask(f)) != 0 ? sign | one(f) : sign;
  }
  return sign;
}

static uint64_t round_bits(struct format f, uint64_t x, enum rounding mode) {
  uint32_t e = exp_of(f, x);
  if (is_nan(f, x)) return x | quiet_bit(f);
  if (e >= exp_bias(f) + f.frac_bits) return x; /* integral already, or infinite */
  if (e < exp_bias(f)) return round_fraction(f, x, mode);
  /* 1 <= |x| < 2^frac_bits: the low `drop` bits are the fraction. Adding one unit at bit
   * `drop` adds 1 to the magnitude (a carry into the exponent is right too). */
  unsigned drop = exp_bias(f) + f.frac_bits - e;
  uint64_t unit = (uint64_t)1 << drop;
  uint64_t fraction = x & (unit - 1);
  uint64_t truncated = x - fraction;
  int negative = (x & sign_bit(f)) != 0;
  if (fraction == 0) return x;
  switch (mode) {
  case ROUND_CEIL:
    return negative ? truncated : truncated + unit;
  case ROUND_FLOOR:
    return negative ? truncated + unit : truncated;
  case ROUND_TRUNC:
    return truncated;
  case ROUND_NEAREST: {
    uint64_t half = unit >> 1;
    /* Bit `drop` is the integer part's lowest bit (at drop = frac_bits it is the exponent's
     * lowest bit, which is 1 exactly like the implicit bit it stands for). */
    int odd = (truncated & unit) != 0;
    return fraction > half || (fraction == half && odd) ? truncated + unit : truncated;
  }
  }
  return x;
}

uint32_t __mcu_f32_ceil(uint32_t x) { return (uint32_t)round_bits(F32, x, ROUND_CEIL); }
uint32_t __mcu_f32_floor(uint32_t x) { return (uint32_t)round_bits(F32, x, ROUND_FLOOR); }
uint32_t __mcu_f32_trunc(uint32_t x) { return (uint32_t)round_bits(F32, x, ROUND_TRUNC); }
uint32_t __mcu_f32_nearest(uint32_t x) { return (uint32_t)round_bits(F32, x, ROUND_NEAREST); }
uint64_t __mcu_f64_ceil(uint64_t x) { return round_bits(F64, x, ROUND_CEIL); }
uint64_t __mcu_f64_floor(uint64_t x) { return round_bits(F64, x, ROUND_FLOOR); }
uint64_t __mcu_f64_trunc(uint64_t x) { return round_bits(F64, x, ROUND_TRUNC); }
uint64_t __mcu_f64_nearest(uint64_t x) { return round_bits(F64, x, ROUND_NEAREST); }

/* ---- float -> integer truncation ------------------------------------------------------ */

static float f32_of(uint32_t bits) {
  union { uint32_t u; float f; } v = {bits};
  return v.f;
}

static double f64_of(uint64_t bits) {
  union { uint64_t u; double f; } v = {bits};
  return v.f;
}

/* What a trapping truncation must do (keep in step with isel/float.ts). */
enum { TRUNC_FITS = 0, TRUNC_NAN = 1, TRUNC_OUT_OF_RANGE = 2 };

/* The truncation of x fits exactly when lo < x < hi (exclusive bounds; for bounds that are
 * not representable in the type, the equivalent inclusive test is used). */
#define TRUNC_CHECK(name, type, convert, in_range)                 \
  int32_t name(type bits) {                                       \
    __typeof__(convert(bits)) x = convert(bits);                  \
    if (x != x) return TRUNC_NAN;                                 \
    return (in_range) ? TRUNC_FITS : TRUNC_OUT_OF_RANGE;          \
  }

/* -2^31 is an f32 and the next f32 below it is far away: x >= -2^31. In f64, every x in
 * (-2^31 - 1, -2^31] truncates to -2^31. */
TRUNC_CHECK(__mcu_f32_trunc_check_s32, uint32_t, f32_of, x >= -0x1p31f && x < 0x1p31f)
TRUNC_CHECK(__mcu_f32_trunc_check_u32, uint32_t, f32_of, x > -1.0f && x < 0x1p32f)
TRUNC_CHECK(__mcu_f32_trunc_check_s64, uint32_t, f32_of, x >= -0x1p63f && x < 0x1p63f)
TRUNC_CHECK(__mcu_f32_trunc_check_u64, uint32_t, f32_of, x > -1.0f && x < 0x1p64f)
TRUNC_CHECK(__mcu_f64_trunc_check_s32, uint64_t, f64_of, x > -2147483649.0 && x < 0x1p31)
TRUNC_CHECK(__mcu_f64_trunc_check_u32, uint64_t, f64_of, x > -1.0 && x < 0x1p32)
TRUNC_CHECK(__mcu_f64_trunc_check_s64, uint64_t, f64_of, x >= -0x1p63 && x < 0x1p63)
TRUNC_CHECK(__mcu_f64_trunc_check_u64, uint64_t, f64_of, x > -1.0 && x < 0x1p64)

/* Saturating truncation: NaN -> 0, below the range -> the minimum, above -> the maximum,
 * otherwise the C conversion, which truncates and is exact for values in range. */
#define TRUNC_SAT_SIGNED(name, type, convert, result, min, max, bound) \
  result name(type bits) {                                             \
    __typeof__(convert(bits)) x = convert(bits);                       \
    if (x != x) return 0;                                              \
    if (x <= -(bound)) return min;                                     \
    if (x >= (bound)) return max;                                      \
    return (result)x;                                                  \
  }

#define TRUNC_SAT_UNSIGNED(name, type, convert, result, max, bound) \
  result name(type bits) {                                          \
    __typeof__(convert(bits)) x = convert(bits);                    \
    if (!(x > 0)) return 0; /* NaN, zeros, negatives */             \
    if (x >= (bound)) return max;                                   \
    return (result)x;                                               \
  }

TRUNC_SAT_SIGNED(__mcu_f32_trunc_sat_s32, uint32_t, f32_of, int32_t, INT32_MIN, INT32_MAX, 0x1p31f)
TRUNC_SAT_SIGNED(__mcu_f32_trunc_sat_s64, uint32_t, f32_of, int64_t, INT64_MIN, INT64_MAX, 0x1p63f)
TRUNC_SAT_SIGNED(__mcu_f64_trunc_sat_s32, uint64_t, f64_of, int32_t, INT32_MIN, INT32_MAX, 0x1p31)
TRUNC_SAT_SIGNED(__mcu_f64_trunc_sat_s64, uint64_t, f64_of, int64_t, INT64_MIN, INT64_MAX, 0x1p63)
TRUNC_SAT_UNSIGNED(__mcu_f32_trunc_sat_u32, uint32_t, f32_of, uint32_t, UINT32_MAX, 0x1p32f)
TRUNC_SAT_UNSIGNED(__mcu_f32_trunc_sat_u64, uint32_t, f32_of, uint64_t, UINT64_MAX, 0x1p64f)
TRUNC_SAT_UNSIGNED(__mcu_f64_trunc_sat_u32, uint64_t, f64_of, uint32_t, UINT32_MAX, 0x1p32)
TRUNC_SAT_UNSIGNED(__mcu_f64_trunc_sat_u64, uint64_t, f64_of, uint64_t, UINT64_MAX, 0x1p64)
