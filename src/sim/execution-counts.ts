// Raw execution counters the simulator keeps while profiling: per instruction address in
// flash, how often it started executing and how often it left by a taken branch (PC not
// the next instruction), and for each BLX site the targets it called. pgo/ turns them into
// a profile keyed by Wasm function and block (src/pgo/collect.ts); here they know only
// addresses, so the interpreter and the JIT can bump them cheaply and identically.

export class ExecutionCounts {
  /** Executions per halfword of flash (index = (address - base) / 2). */
  readonly executed: Float64Array;
  /** Taken branches (any PC write that is not the fall-through) per halfword of flash. */
  readonly taken: Float64Array;
  /** BLX sites -> target -> count (call_indirect's histograms). */
  readonly indirectCalls = new Map<number, Map<number, number>>();

  constructor(readonly base: number, readonly size: number) {
    this.executed = new Float64Array(size >>> 1);
    this.taken = new Float64Array(size >>> 1);
  }

  /** The counter index of `address`, or -1 outside flash (RAM code is not profiled). */
  indexOf(address: number): number {
    const offset = (address - this.base) >>> 0;
    return offset < this.size ? offset >>> 1 : -1;
  }

  recordTaken(site: number, target: number, indirectCall: boolean): void {
    const i = this.indexOf(site);
    if (i < 0) return;
    this.taken[i]!++;
    if (!indirectCall) return;
    let histogram = this.indirectCalls.get(site);
    if (histogram === undefined) this.indirectCalls.set(site, (histogram = new Map()));
    histogram.set(target, (histogram.get(target) ?? 0) + 1);
  }
}
