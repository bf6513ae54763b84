// FPv4-SP, the Cortex-M4F's single-precision floating-point unit (ARMv7-M ARM A2.5 and
// B1.5.7): its registers and the IEEE 754 arithmetic its instructions perform, on the bit
// patterns the registers hold.
//
// Arithmetic runs on JavaScript doubles and rounds to single precision once. For add, sub,
// mul, div and sqrt of singles, the double result rounded to nearest single is the correctly
// rounded single result (a double has more than 2 * 24 + 2 significand bits). The fused
// multiply-add rounds its exact double sum to odd first, which makes the second rounding
// exact too. The directed rounding modes ask each operation for the sign of
// (candidate - exact result), which it computes exactly (r * b - a for a quotient...).
//
// FPSCR as the ARM pseudocode uses it: RMode (23:22), FZ flushes subnormal operands (IDC)
// and results (UFC) to signed zero, DN returns the default NaN for every NaN result;
// otherwise a signalling NaN operand is quieted (IOC) and the first NaN operand propagates.
// Cumulative flags IOC, DZC, OFC, UFC (tiny before rounding, and inexact), IXC, IDC.
// VABS, VNEG and VMOV only move bits: no flush, no NaN processing.

/** FPSCR bits (ARMv7-M ARM A2.5.3). */
export const FPSCR = {
  IOC: 1 << 0, DZC: 1 << 1, OFC: 1 << 2, UFC: 1 << 3, IXC: 1 << 4, IDC: 1 << 7,
  FZ: 1 << 24, DN: 1 << 25,
  /** Bits software can write: NZCV, AHP, DN, FZ, RMode and the cumulative flags. */
  WRITABLE: 0xf7c0009f | 0,
} as const;

/** FPSCR.RMode values. */
export const enum RoundingMode { nearest = 0, plusInfinity = 1, minusInfinity = 2, zero = 3 }

/** FPCCR (B3.2.22): ASPEN and LSPEN set at reset. */
export const FPCCR_ASPEN = 1 << 31;
export const FPCCR_RESET = 0xc0000000 | 0;
/** FPDSCR holds only AHP, DN, FZ and RMode (26:22). */
export const FPDSCR_WRITABLE = 0x07c00000;

export const DEFAULT_NAN = 0x7fc00000;
const SIGN = 0x80000000 | 0;
const QUIET = 0x00400000;
const MAX_SINGLE = 3.4028234663852886e38;
const MIN_NORMAL = 2 ** -126;

export const isNaNBits = (bits: number): boolean => (bits & 0x7fffffff) > 0x7f800000;
const isSignalling = (bits: number): boolean => isNaNBits(bits) && (bits & QUIET) === 0;
const isSubnormalBits = (bits: number): boolean => (bits & 0x7f800000) === 0 && (bits & 0x007fffff) !== 0;

/** -1, 0 or 1: the sign of (candidate - exact result) of an operation. */
type Above = (candidate: number) => number;

const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

export class Fpu {
  /** S0-S31 as bit patterns (D<n> is S<2n> low word, S<2n+1> high word). */
  readonly s = new Int32Array(32);
  fpscr = 0;
  fpdscr = 0;
  fpccr = FPCCR_RESET;
  fpcar = 0;
  /** CPACR: CP10/CP11 access (bits 23:20). */
  cpacr = 0;
  /** CONTROL.FPCA: the current context has used the FPU since the last exception entry. */
  fpca = 0;
  private readonly scratch = new Float32Array(1);
  private readonly scratchBits = new Int32Array(this.scratch.buffer);
  private readonly scratch64 = new DataView(new ArrayBuffer(8));

  /** The value of a single-precision bit pattern (NaNs are handled on bits before this). */
  value(bits: number): number {
    this.scratchBits[0] = bits;
    return this.scratch[0]!;
  }

  /** The bit pattern of a value already representable in single precision. */
  bitsOf(x: number): number {
    this.scratch[0] = x;
    return this.scratchBits[0]!;
  }

  get mode(): RoundingMode {
    return (this.fpscr >>> 22) & 3;
  }

  // ---------------------------------------------------------------- NaNs and operands

  /** FPProcessNaN: the quieted NaN, or the default NaN under DN. */
  private processNaN(bits: number): number {
    if (isSignalling(bits)) this.fpscr |= FPSCR.IOC;
    return (this.fpscr & FPSCR.DN) !== 0 ? DEFAULT_NAN : bits | QUIET;
  }

  /** FPProcessNaNs(2/3): the first signalling NaN, else the first quiet NaN; undefined if none. */
  private processNaNs(...operands: number[]): number | undefined {
    const first = operands.find(isSignalling) ?? operands.find(isNaNBits);
    return first === undefined ? undefined : this.processNaN(first);
  }

  /** An operand's value, flushed to signed zero when FZ and subnormal (IDC). */
  private operand(bits: number): number {
    if ((this.fpscr & FPSCR.FZ) !== 0 && isSubnormalBits(bits)) {
      this.fpscr |= FPSCR.IDC;
      return bits < 0 ? -0 : 0;
    }
    return this.value(bits);
  }

  private invalid(): number {
    this.fpscr |= FPSCR.IOC;
    return DEFAULT_NAN;
  }

  // ---------------------------------------------------------------- rounding

  /** FPRound: the nearly exact result `x` to single precision by `mode` and FZ, with the flags. */
  private round(x: number, above: Above, mode: RoundingMode = this.mode): number {
    const tiny = x !== 0 && Math.abs(x) < MIN_NORMAL;
    if (tiny && (this.fpscr & FPSCR.FZ) !== 0) {
      this.fpscr |= FPSCR.UFC;
      return x < 0 ? SIGN : 0;
    }
    let r = Math.fround(x);
    if (mode !== RoundingMode.nearest) {
      const c = above(r);
      if (c > 0 && (mode === RoundingMode.minusInfinity || (mode === RoundingMode.zero && x > 0))) r = this.step(r, -1);
      else if (c < 0 && (mode === RoundingMode.plusInfinity || (mode === RoundingMode.zero && x < 0))) r = this.step(r, 1);
    }
    if (above(r) !== 0) {
      this.fpscr |= FPSCR.IXC;
      if (tiny) this.fpscr |= FPSCR.UFC;
      // Overflow: rounded with an unbounded exponent, the result would exceed the largest
      // single, i.e. it is infinite, or it stopped at the largest while |exact| >= 2^128.
      const overflow = !Number.isFinite(r) || (Math.abs(r) === MAX_SINGLE && sign(x) * above(sign(x) * 2 ** 128) <= 0);
      if (overflow) this.fpscr |= FPSCR.OFC;
    }
    return this.bitsOf(r);
  }

  /** The next single toward +Infinity (direction 1) or -Infinity (-1). */
  private step(r: number, direction: 1 | -1): number {
    if (r === 0) return direction * 2 ** -149;
    const bits = this.bitsOf(r);
    const away = (r > 0) === (direction > 0);
    return this.value(away ? bits + 1 : bits - 1);
  }

  /** Zero as an exact sum of operands of opposite signs gives: -0 when rounding to -Infinity. */
  private exactZero(): number {
    return this.mode === RoundingMode.minusInfinity ? SIGN : 0;
  }

  // ---------------------------------------------------------------- arithmetic

  // Operands are unpacked (and flushed, IDC) before NaNs are looked at, as FPUnpack does.

  add(a: number, b: number): number {
    const [x, y] = [this.operand(a), this.operand(b)];
    return this.processNaNs(a, b) ?? this.addValues(x, y);
  }

  sub(a: number, b: number): number {
    const [x, y] = [this.operand(a), this.operand(b)];
    return this.processNaNs(a, b) ?? this.addValues(x, -y);
  }

  private addValues(x: number, y: number): number {
    if (x === Infinity && y === -Infinity || x === -Infinity && y === Infinity) return this.invalid();
    const s = x + y;
    if (!Number.isFinite(s)) return this.bitsOf(s);
    if (s === 0) {
      // Zeros of one sign keep it; anything else cancelling exactly is +0 (-0 rounding down).
      if (Object.is(x, -0) && Object.is(y, -0)) return SIGN;
      return Object.is(x, 0) && Object.is(y, 0) ? 0 : this.exactZero();
    }
    const e = twoSumError(x, y, s);
    return this.round(s, (r) => sign(r - s - e));
  }

  mul(a: number, b: number): number {
    const [x, y] = [this.operand(a), this.operand(b)];
    const nan = this.processNaNs(a, b);
    if (nan !== undefined) return nan;
    if ((Math.abs(x) === Infinity && y === 0) || (x === 0 && Math.abs(y) === Infinity)) return this.invalid();
    const p = x * y; // exact: 24 x 24 significand bits fit a double
    return Number.isFinite(p) && p !== 0 ? this.round(p, (r) => sign(r - p)) : this.bitsOf(p);
  }

  div(a: number, b: number): number {
    const [x, y] = [this.operand(a), this.operand(b)];
    const nan = this.processNaNs(a, b);
    if (nan !== undefined) return nan;
    if ((x === 0 && y === 0) || (Math.abs(x) === Infinity && Math.abs(y) === Infinity)) return this.invalid();
    if (y === 0 && Number.isFinite(x)) this.fpscr |= FPSCR.DZC;
    const q = x / y;
    if (!Number.isFinite(q) || q === 0) return this.bitsOf(q);
    return this.round(q, (r) => sign(r * y - x) * sign(y));
  }

  sqrt(a: number): number {
    const x = this.operand(a);
    const nan = this.processNaNs(a);
    if (nan !== undefined) return nan;
    if (x < 0) return this.invalid();
    if (x === 0 || x === Infinity) return this.bitsOf(x);
    const root = Math.sqrt(x);
    return this.round(root, (r) => sign(r * r - x));
  }

  /** FPMulAdd: addend + m1 * m2 with one rounding (VFMA and friends; negations by the caller). */
  mulAdd(addend: number, m1: number, m2: number): number {
    const [a, x, y] = [this.operandOrNaN(addend), this.operandOrNaN(m1), this.operandOrNaN(m2)];
    const infZero = (Math.abs(x) === Infinity && y === 0) || (x === 0 && Math.abs(y) === Infinity);
    const nan = this.processNaNs(addend, m1, m2);
    if (isNaNBits(addend) && !isSignalling(addend) && infZero) return this.invalid();
    if (nan !== undefined) return nan;
    const p = x * y;
    if (infZero || (Math.abs(a) === Infinity && Math.abs(p) === Infinity && sign(a) !== sign(p))) return this.invalid();
    if (Math.abs(a) === Infinity || Math.abs(p) === Infinity) return this.bitsOf(a + p);
    const s = a + p;
    if (s === 0) return a === 0 && p === 0 && Object.is(a, -0) === Object.is(p, -0) ? this.bitsOf(a) : this.exactZero();
    const e = twoSumError(a, p, s);
    const odd = e === 0 ? s : this.roundToOdd(s, e);
    return this.round(odd, (r) => sign(r - s - e));
  }

  /** NaN operands keep their bits for processNaNs; the value here only decides infZero. */
  private operandOrNaN(bits: number): number {
    return isNaNBits(bits) ? NaN : this.operand(bits);
  }

  /** s rounded to odd given the exact s + e (e != 0): a double whose rounding to single is exact. */
  private roundToOdd(s: number, e: number): number {
    const view = this.scratch64;
    view.setFloat64(0, s);
    const bits = view.getBigUint64(0);
    if ((bits & 1n) === 1n) return s;
    view.setBigUint64(0, (e > 0) === (s > 0) ? bits + 1n : bits - 1n);
    return view.getFloat64(0);
  }

  // ---------------------------------------------------------------- compare and convert

  /** FPCompare: NZCV in FPSCR[31:28]. `quietNaNsSignal` for VCMPE. */
  compare(a: number, b: number, quietNaNsSignal: boolean): void {
    const [x, y] = [this.operand(a), this.operand(b)];
    let nzcv: number;
    if (isNaNBits(a) || isNaNBits(b)) {
      nzcv = 0b0011;
      if (quietNaNsSignal || isSignalling(a) || isSignalling(b)) this.fpscr |= FPSCR.IOC;
    } else {
      nzcv = x === y ? 0b0110 : x < y ? 0b1000 : 0b0010;
    }
    this.fpscr = (this.fpscr & 0x0fffffff) | (nzcv << 28);
  }

  /**
   * FPToFixed: `bits` times 2^fractionBits rounded to an integer of `size` bits (by RMode, or
   * toward zero), saturated (IOC); NaN gives 0 (IOC). The result is sign or zero extended.
   */
  toInteger(bits: number, unsigned: boolean, roundTowardZero: boolean, size = 32, fractionBits = 0): number {
    if (isNaNBits(bits)) {
      this.fpscr |= FPSCR.IOC;
      return 0;
    }
    const x = this.operand(bits) * 2 ** fractionBits;
    const n = roundToInteger(x, roundTowardZero ? RoundingMode.zero : this.mode);
    const min = unsigned ? 0 : -(2 ** (size - 1));
    const max = unsigned ? 2 ** size - 1 : 2 ** (size - 1) - 1;
    let result = n;
    if (n < min || n > max) {
      this.fpscr |= FPSCR.IOC;
      result = n < min ? min : max;
    } else if (n !== x) {
      this.fpscr |= FPSCR.IXC;
    }
    return result | 0;
  }

  /**
   * FixedToFP: an integer (already extended to a JavaScript number) over 2^fractionBits,
   * rounded by RMode (VCVT from an integer) or to nearest (`fixedPoint`: the fixed-point
   * VCVT ignores RMode, as the ARM pseudocode's round_to_nearest argument and QEMU do).
   */
  fromInteger(n: number, fractionBits = 0, fixedPoint = false): number {
    const x = n / 2 ** fractionBits; // exact
    return x === 0 ? 0 : this.round(x, (r) => sign(r - x), fixedPoint ? RoundingMode.nearest : this.mode);
  }
}

/** The rounding error of s = x + y (TwoSum): x + y = s + e exactly. */
function twoSumError(x: number, y: number, s: number): number {
  const yv = s - x;
  const xv = s - yv;
  return (x - xv) + (y - yv);
}

/** An integer-valued double from x by a rounding mode (ties to even when nearest). */
function roundToInteger(x: number, mode: RoundingMode): number {
  switch (mode) {
    case RoundingMode.zero: return Math.trunc(x);
    case RoundingMode.plusInfinity: return Math.ceil(x);
    case RoundingMode.minusInfinity: return Math.floor(x);
    case RoundingMode.nearest: {
      const floor = Math.floor(x);
      const diff = x - floor;
      if (diff > 0.5) return floor + 1;
      if (diff < 0.5) return floor;
      return floor % 2 === 0 ? floor : floor + 1;
    }
  }
}
