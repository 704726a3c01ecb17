import { describe, expect, it } from '@jest/globals';
import seedrandom from 'seedrandom';
import { RngStreams, type Rng } from './rng.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('RngStreams', () => {
  it('seeds each stream from seedrandom of "root NUL name", so recorded runs stay reproducible', () => {
    const rng = new RngStreams(42).stream('arrivals/web');
    // Golden values: if these change, every seed of every saved scenario gives different results.
    expect(draws(rng, 3)).toEqual([0.5743434936338565, 0.2900476979869671, 0.21130210989282763]);
    const reference = seedrandom('42\u0000arrivals/web');
    expect(draws(rng, 5)).toEqual(Array.from({ length: 8 }, () => reference()).slice(3));
  });

  it('the same seed gives the same draws', () => {
    expect(draws(new RngStreams(7).stream('a'), 10)).toEqual(
      draws(new RngStreams(7).stream('a'), 10),
    );
  });

  it('a numeric seed and its decimal string are the same seed', () => {
    expect(draws(new RngStreams(7).stream('a'), 10)).toEqual(
      draws(new RngStreams('7').stream('a'), 10),
    );
  });

  const differing: { name: string; a: [number | string, string]; b: [number | string, string] }[] =
    [
      { name: 'different root seeds', a: [1, 'arrivals/web'], b: [2, 'arrivals/web'] },
      { name: 'different stream names', a: [1, 'arrivals/web'], b: [1, 'arrivals/db'] },
      {
        name: 'root/name splits that concatenate to the same text',
        a: ['1', '2x'],
        b: ['12', 'x'],
      },
    ];
  it.each(differing)('$name give different draws', ({ a, b }) => {
    const da = draws(new RngStreams(a[0]).stream(a[1]), 5);
    const db = draws(new RngStreams(b[0]).stream(b[1]), 5);
    expect(da).not.toEqual(db);
    expect(da.filter((x, i) => x === db[i])).toEqual([]);
  });

  it('drawing from other streams, before or in between, never changes a stream’s draws', () => {
    const alone = draws(new RngStreams(99).stream('arrivals/web'), 20);

    const busy = new RngStreams(99);
    draws(busy.stream('faults/node'), 100);
    const web = busy.stream('arrivals/web');
    const interleaved: number[] = [];
    for (let i = 0; i < 20; i++) {
      interleaved.push(web.next());
      busy.stream(`other-${i}`).next();
      busy.stream('faults/node').int(10);
    }
    expect(interleaved).toEqual(alone);
  });

  it('the same name returns the same stream object, which continues where it left off', () => {
    const streams = new RngStreams(5);
    const first = streams.stream('x');
    const before = draws(first, 3);
    const again = streams.stream('x');
    expect(again).toBe(first);
    expect(draws(again, 3)).toEqual(draws(new RngStreams(5).stream('x'), 6).slice(3));
    expect(before).toEqual(draws(new RngStreams(5).stream('x'), 3));
  });

  it('next() stays in [0, 1)', () => {
    const rng = new RngStreams(3).stream('range');
    const xs = draws(rng, 100_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});

describe('Rng.int', () => {
  it('covers 0..n-1 evenly and nothing else', () => {
    const rng = new RngStreams(11).stream('dice');
    const counts = new Array<number>(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[rng.int(6)]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    // Binomial sd = sqrt(60000 · 1/6 · 5/6) ≈ 91; allow 5 sd.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(460);
  });

  it('int(1) is always 0', () => {
    const rng = new RngStreams(11).stream('one');
    expect(new Set(Array.from({ length: 100 }, () => rng.int(1)))).toEqual(new Set([0]));
  });

  it.each([0, -1, 2.5, NaN, Infinity])('rejects n = %p', (n) => {
    const rng = new RngStreams(11).stream('bad');
    expect(() => rng.int(n)).toThrow(new RangeError(`int(n) needs a positive integer n, got ${n}`));
  });
});
