// Compile-time measurement: wall-clock time of a build step, the fastest of a few runs.
// The first run of mcu-aot in a process also pays for loading and JIT-compiling the
// compiler itself, and the first gcc run for a cold file cache; the fastest run measures
// the compiler's work on the program, which is what the table compares.

export const COMPILE_TIME_RUNS = 2;

/** Runs `step` COMPILE_TIME_RUNS times (sequentially) and returns the fastest time in ms. */
export async function fastestRun(step: () => Promise<void>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < COMPILE_TIME_RUNS; i++) {
    const started = performance.now();
    await step();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
