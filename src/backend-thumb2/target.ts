// What the code generator may assume about the core it compiles for, beyond ARMv7-M
// Thumb-2: today whether there is a floating-point unit. The driver fills it from the
// board (`cpu.fpu`); without one the backend emits soft-float code, which runs anywhere.

/** FPU kinds a board can name (boards/*.toml `cpu.fpu`). */
export type FpuKind = 'none' | 'fpv4-sp-d16' | 'fpv5-d16';

export interface TargetFeatures {
  readonly fpu: FpuKind;
  /**
   * `--bounds=mask`: log2 of the power-of-two physical linear memory size. Loads and stores
   * then take their address modulo that size (ubfx) instead of checking it against the
   * bound: out-of-bounds accesses wrap inside linear memory rather than trapping. The
   * driver gives linear memory 8 spare bytes past it, so a wrapped access of up to 8 bytes
   * that starts at the last address still stays inside. Absent: exact Wasm bounds checks.
   */
  readonly maskBits?: number;
  /**
   * Wasm code also runs as interrupt handlers (project [interrupts]), so linear memory can
   * grow between two instructions of a function that never calls memory.grow itself. Only
   * then does a failing bounds check re-read the bound before trapping (isel/memory.ts):
   * otherwise every growth happens inside a call, after which the bound is reloaded anyway.
   */
  readonly interruptHandlers?: boolean;
}

/** No FPU: f32 and f64 through libgcc and runtime-c helpers (isel/float.ts). */
export const SOFT_FLOAT_TARGET: TargetFeatures = { fpu: 'none' };

/** Whether f32 arithmetic can use the FPU (both FPv4-SP and FPv5 have single precision). */
export const hasSinglePrecisionFpu = (target: TargetFeatures): boolean => target.fpu !== 'none';
