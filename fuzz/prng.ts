// The fuzzer's random numbers: SplitMix32, a tiny generator whose whole state is one 32-bit
// word, so a run is reproduced exactly from its seed and input number (every input gets its
// own generator, seeded from both, so inputs do not depend on the order workers finish in).

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for input `index` of a run with `seed`. */
  static forInput(seed: number, index: number): Prng {
    const mixed = new Prng(seed ^ Math.imul(index + 1, 0x9e3779b9));
    mixed.next();
    return new Prng(mixed.next() ^ index);
  }

  /** The next uniformly distributed unsigned 32-bit value. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    if (bound <= 0) return 0;
    return Math.floor((this.next() / 0x1_0000_0000) * bound);
  }

  /** An integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.below(high - low + 1);
  }

  chance(probability: number): boolean {
    return this.next() / 0x1_0000_0000 < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}
