import { describe, expect, it } from '@jest/globals';
import { uniform, type Distribution } from '../engine/distributions.js';
import { RngStreams, type Rng } from '../engine/rng.js';
import {
  bursts,
  constant,
  createArrivalProcess,
  createLoadProfile,
  diurnal,
  poisson,
  type ArrivalProcess,
  type ArrivalSpec,
} from './arrivals.js';

const rngFor = (seed: number) => new RngStreams(seed).stream('arrivals/test');

/** Drives a process the way the simulation does: each call passes the arrival being handled. */
function collect(p: ArrivalProcess, rng: Rng, startMs = 0, limit = 1_000_000): number[] {
  const out: number[] = [];
  let now = startMs;
  for (let t = p.next(rng, now); t !== undefined && out.length < limit; t = p.next(rng, now)) {
    out.push(t);
    now = t;
  }
  return out;
}

/** A stream that must not be used: for processes that promise to draw nothing. */
const noRandom: Rng = {
  next: () => {
    throw new Error('drew a random number');
  },
  int: () => {
    throw new Error('drew a random number');
  },
};

/** Whole ms, non-decreasing, inside [from, until); checked in a loop and asserted once (100k+ values). */
function expectWellFormed(times: number[], from: number, until: number): void {
  const bad = times.findIndex(
    (t, i) => !Number.isInteger(t) || t < (i === 0 ? from : times[i - 1]) || t >= until,
  );
  expect(bad === -1 ? 'ok' : `arrival ${bad} at ${times[bad]}`).toBe('ok');
}

const countIn = (times: number[], lo: number, hi: number) =>
  times.filter((t) => t >= lo && t < hi).length;

describe('poisson', () => {
  it('has a count within 4 standard deviations of rate × T over a long window', () => {
    // rate 0.01/ms over 1e6 ms: mean 10000, standard deviation 100.
    const times = collect(poisson({ rate: 0.01, untilMs: 1_000_000 }), rngFor(1));
    expect(Math.abs(times.length - 10000)).toBeLessThan(400);
    expectWellFormed(times, 0, 1_000_000);
  });

  it('keeps the rate when arrivals are closer than a millisecond, since only reports are floored', () => {
    // rate 2/ms over 10000 ms: mean 20000, standard deviation 141; rounding gaps up would give ~6667.
    const times = collect(poisson({ rate: 2, untilMs: 10_000 }), rngFor(2));
    expect(Math.abs(times.length - 20000)).toBeLessThan(600);
    expect(times.filter((t, i) => i > 0 && t === times[i - 1]).length).toBeGreaterThan(0);
  });

  it('starts after fromMs and jumps to afterMs when the caller is ahead', () => {
    const p = poisson({ rate: 0.001, fromMs: 5000, untilMs: 1_000_000 });
    const rng = rngFor(3);
    expect(p.next(rng, 0)).toBeGreaterThanOrEqual(5000);
    expect(p.next(rng, 500_000)).toBeGreaterThanOrEqual(500_000);
  });

  it('returns undefined from until on, every time it is asked', () => {
    const p = poisson({ rate: 0.001, untilMs: 10 });
    const rng = rngFor(4);
    // With mean gap 1000 ms, the first arrival lands before 10 ms with probability ~1%; seed 4 does not.
    expect(p.next(rng, 0)).toBeUndefined();
    expect(p.next(rng, 0)).toBeUndefined();
  });
});

describe('constant', () => {
  it.each([
    [
      'every 250 ms from 1000 until 2000',
      { rate: 1 / 250, fromMs: 1000, untilMs: 2000 },
      [1000, 1250, 1500, 1750],
    ],
    ['every 3.33 ms, floored to whole ms', { rate: 0.3, untilMs: 11 }, [0, 3, 6, 10]],
    [
      '4 per second, at the exact quarter seconds',
      { rate: 4 / 1000, untilMs: 1001 },
      [0, 250, 500, 750, 1000],
    ],
    ['nothing when until equals from', { rate: 1, fromMs: 5, untilMs: 5 }, []],
  ])('arrives %s', (_name, spec, expected) => {
    expect(collect(constant(spec), noRandom)).toEqual(expected);
  });

  it('stays on its grid when the caller skips ahead', () => {
    const p = constant({ rate: 1 / 100 });
    expect([
      p.next(noRandom, 0),
      p.next(noRandom, 0),
      p.next(noRandom, 450),
      p.next(noRandom, 500),
    ]).toEqual([0, 100, 500, 600]);
  });
});

describe('diurnal', () => {
  const period = 1_000_000;
  const spec = { periodMs: period, peak: 0.02, trough: 0.005, untilMs: 10 * period };
  const times = collect(diurnal(spec), rngFor(5));

  it('has a count close to the integral of the rate, (peak + trough)/2 × T', () => {
    // 0.0125 × 1e7 = 125000, standard deviation ~354.
    expect(Math.abs(times.length - 125000)).toBeLessThan(1500);
    expectWellFormed(times, 0, 10 * period);
  });

  it('puts more arrivals around the peak at phase 0 than around the trough half a period later', () => {
    // ∫ over ±P/8 of the rate: trough·P/4 + (peak−trough)/2·(P/4 ± P/π·sin(π/4)), per period.
    const w = period / 8;
    const swing = (period / Math.PI) * Math.sin(Math.PI / 4);
    const nearPeak = 10 * (0.005 * 2 * w + (0.015 / 2) * (2 * w + swing));
    const nearTrough = 10 * (0.005 * 2 * w + (0.015 / 2) * (2 * w - swing));
    // Over the 10 whole periods, the windows around peaks (r near 0 or P) and troughs (r near P/2).
    const peakCount = times.filter((t) => t % period < w || t % period >= period - w).length;
    const troughCount = times.filter((t) => Math.abs((t % period) - period / 2) < w).length;
    expect(Math.abs(peakCount - nearPeak)).toBeLessThan(4 * Math.sqrt(nearPeak));
    expect(Math.abs(troughCount - nearTrough)).toBeLessThan(4 * Math.sqrt(nearTrough));
  });

  it('moves the peak by phaseMs', () => {
    const shifted = collect(diurnal({ ...spec, phaseMs: period / 2, untilMs: period }), rngFor(6));
    const w = period / 8;
    expect(countIn(shifted, period / 2 - w, period / 2 + w)).toBeGreaterThan(
      3 * countIn(shifted, 0, w),
    );
  });
});

describe('bursts', () => {
  it('arrives only during on windows with fixed lengths, at about rate × total on time', () => {
    const times = collect(bursts({ on: 1000, off: 4000, rate: 0.05, untilMs: 50_000 }), rngFor(7));
    expect(times.filter((t) => t % 5000 >= 1000)).toEqual([]);
    // 10 on windows × 1000 ms × 0.05/ms = 500, standard deviation ~22.
    expect(Math.abs(times.length - 500)).toBeLessThan(90);
    expectWellFormed(times, 0, 50_000);
  });

  it('keeps the rate when gaps are longer than the off windows', () => {
    // 1000 on windows of 1000 ms at 0.001/ms: mean 1000, standard deviation ~32. A gap that overran
    // a window must not swallow the next one.
    const times = collect(
      bursts({ on: 1000, off: 10, rate: 0.001, untilMs: 1000 * 1010 }),
      rngFor(12),
    );
    expect(Math.abs(times.length - 1000)).toBeLessThan(130);
    expect(times.filter((t) => t % 1010 >= 1000)).toEqual([]);
  });

  it('arrives only during on windows whose lengths are drawn from distributions', () => {
    const log: ['on' | 'off', number][] = [];
    const recorded = (kind: 'on' | 'off', d: Distribution): Distribution => ({
      sample: (rng) => {
        const v = d.sample(rng);
        log.push([kind, v]);
        return v;
      },
      mean: () => d.mean(),
      describe: () => d.describe(),
    });
    const p = bursts({
      on: recorded('on', uniform(500, 1500)),
      off: recorded('off', uniform(2000, 6000)),
      rate: 0.02,
      untilMs: 100_000,
    });
    const times = collect(p, rngFor(8));
    // Rebuild the on windows from the lengths in the order they were drawn: on, off, on, off, …
    const windows: [number, number][] = [];
    let t = 0;
    for (const [kind, length] of log) {
      if (kind === 'on') windows.push([t, t + length]);
      t += length;
    }
    expect(log[0][0]).toBe('on');
    expect(times.length).toBeGreaterThan(0);
    const outside = times.filter((x) => !windows.some(([a, b]) => x >= Math.floor(a) && x < b));
    expect(outside).toEqual([]);
  });

  it('describes its windows', () => {
    expect(bursts({ on: 1000, off: uniform(1, 2), rate: 0.5 }).describe()).toBe(
      'bursts(on=1000ms, off=uniform(min=1, max=2), rate=0.5/ms)',
    );
  });
});

describe('every arrival process', () => {
  const specs: ArrivalSpec[] = [
    { kind: 'poisson', rate: 0.01, untilMs: 100_000 },
    { kind: 'constant', rate: 0.01, untilMs: 100_000 },
    { kind: 'diurnal', periodMs: 50_000, peak: 0.02, trough: 0, untilMs: 100_000 },
    { kind: 'bursts', on: 2000, off: 3000, rate: 0.02, untilMs: 100_000 },
  ];

  it.each(specs.map((s) => [s.kind, s] as const))(
    '%s repeats itself exactly for the same seed',
    (_kind, spec) => {
      const a = collect(createArrivalProcess(spec), rngFor(9));
      const b = collect(createArrivalProcess(spec), rngFor(9));
      expect(a.length).toBeGreaterThan(100);
      expect(b).toEqual(a);
    },
  );

  it.each(specs.filter((s) => s.kind !== 'constant').map((s) => [s.kind, s] as const))(
    '%s differs for another seed',
    (_kind, spec) => {
      expect(collect(createArrivalProcess(spec), rngFor(10))).not.toEqual(
        collect(createArrivalProcess(spec), rngFor(11)),
      );
    },
  );

  it.each<[string, () => unknown, string]>([
    [
      'a poisson rate of 0',
      () => poisson({ rate: 0 }),
      'rate must be a number greater than 0, got 0',
    ],
    [
      'a fractional fromMs',
      () => constant({ rate: 1, fromMs: 0.5 }),
      'fromMs must be an integer number of ms, got 0.5',
    ],
    [
      'until before from',
      () => poisson({ rate: 1, fromMs: 10, untilMs: 5 }),
      'untilMs (5) must not be before fromMs (10)',
    ],
    [
      'a trough above the peak',
      () => diurnal({ periodMs: 10, peak: 1, trough: 2 }),
      'trough (2) must not exceed peak (1)',
    ],
    [
      'a negative off window',
      () => bursts({ on: 1, off: -1, rate: 1 }),
      'off must be a length in ms at least 0, got -1',
    ],
    [
      'an on window of 0',
      () => bursts({ on: 0, off: 1, rate: 1 }),
      'on must be greater than 0 (on average), got 0',
    ],
  ])('rejects %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('LoadProfile', () => {
  it.each([
    [-5, 1],
    [0, 1],
    [500, 2],
    [1000, 3],
    [2000, 2],
    [3000, 1],
    [9000, 1],
  ])('piecewise-linear through (0,1) (1000,3) (3000,1) is %p → %p', (ms, value) => {
    const profile = createLoadProfile({
      points: [
        [0, 1],
        [1000, 3],
        [3000, 1],
      ],
    });
    expect(profile.valueAt(ms)).toBe(value);
  });

  it.each([
    [0, 0, 1.5],
    [0, 250, 1],
    [0, 500, 0.5],
    [0, 1000, 1.5],
    [250, 250, 1.5],
  ])(
    'a sinusoid between 0.5 and 1.5 over 1000 ms with phase %p is at %p → %p',
    (phaseMs, ms, value) => {
      const profile = createLoadProfile({
        sinusoid: { periodMs: 1000, min: 0.5, max: 1.5, phaseMs },
      });
      expect(profile.valueAt(ms)).toBeCloseTo(value, 12);
    },
  );

  it.each<[string, Parameters<typeof createLoadProfile>[0], string]>([
    ['no points', { points: [] }, 'points must not be empty'],
    [
      'points out of order',
      {
        points: [
          [10, 1],
          [10, 2],
        ],
      },
      'points[1] time 10 must be after points[0] time 10',
    ],
    [
      'min above max',
      { sinusoid: { periodMs: 10, min: 2, max: 1 } },
      'sinusoid needs finite min <= max, got min 2, max 1',
    ],
  ])('rejects %s', (_name, spec, message) => {
    expect(() => createLoadProfile(spec)).toThrow(message);
  });
});
