// Named random streams (common random numbers): every consumer draws from its own stream,
// seeded from (root seed, name), so adding a consumer or drawing more from one never shifts
// another's numbers — two scheduler policies run on the same seed see the same arrivals.
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1), 52 bits of precision. */
  next(): number;
  /** Uniform integer in 0..n-1. */
  int(n: number): number;
}

class SeededRng implements Rng {
  constructor(private readonly prng: seedrandom.PRNG) {}

  next(): number {
    return this.prng();
  }

  int(n: number): number {
    if (!(Number.isSafeInteger(n) && n > 0)) {
      throw new RangeError(`int(n) needs a positive integer n, got ${n}`);
    }
    return Math.floor(this.prng() * n);
  }
}

export class RngStreams {
  private readonly streams = new Map<string, Rng>();
  private readonly root: string;

  /** A number and its decimal string are the same seed (42 ≡ '42'). */
  constructor(rootSeed: number | string) {
    this.root = String(rootSeed);
  }

  /** The same name always returns the same stream object, continuing where it left off. */
  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      // The NUL separator keeps root "1" + name "2x" apart from root "12" + name "x".
      rng = new SeededRng(seedrandom(`${this.root}\u0000${name}`));
      this.streams.set(name, rng);
    }
    return rng;
  }
}
