import { describe, it, expect } from '@jest/globals';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { pairedDifference, summarize } from './stats.js';

// Reference t quantiles t(0.975, dof) from printed tables (and scipy.stats.t.ppf).
const T975 = {
  1: 12.706204736174694,
  2: 4.302652729749462,
  9: 2.262157162798205,
  29: 2.045229642132703,
};

describe('t quantile used for the 95% interval', () => {
  it.each(Object.entries(T975))('t(0.975, %s) matches the table value', (dof, expected) => {
    expect(tQuantile(0.975, Number(dof))).toBeCloseTo(expected, 10);
  });
});

describe('summarize', () => {
  const cases: Array<{
    name: string;
    values: (number | null)[];
    n: number;
    mean: number | null;
    sd: number | null;
    ciLow: number | null;
    ciHigh: number | null;
  }> = [
    {
      // mean 5.5, sd √(82.5/9) = 3.02765…, se = sd/√10 = 0.957427…, half = 2.262157… × se = 2.165851…
      name: 'ten values 1..10 give mean 5.5 ± t(0.975,9)·sd/√10',
      values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      n: 10,
      mean: 5.5,
      sd: 3.0276503540974917,
      ciLow: 3.334149410331831,
      ciHigh: 7.665850589668169,
    },
    {
      // sd = √2, se = √2/√2 = 1, so the half-width is t(0.975,1) itself.
      name: 'two values 2 and 4 give a half-width of exactly t(0.975,1)',
      values: [2, 4],
      n: 2,
      mean: 3,
      sd: Math.SQRT2,
      ciLow: 3 - 12.706204736174694,
      ciHigh: 3 + 12.706204736174694,
    },
    {
      // sd = 1, half = 4.302652… / √3 = 2.484137…
      name: 'three values 10, 12, 11 give 11 ± t(0.975,2)/√3',
      values: [10, 12, 11],
      n: 3,
      mean: 11,
      sd: 1,
      ciLow: 8.51586228824967,
      ciHigh: 13.48413771175033,
    },
    {
      name: 'nulls are skipped, so [10, null, 12, 11] summarizes like [10, 12, 11]',
      values: [10, null, 12, 11],
      n: 3,
      mean: 11,
      sd: 1,
      ciLow: 8.51586228824967,
      ciHigh: 13.48413771175033,
    },
    {
      name: 'identical values have zero spread and a zero-width interval',
      values: [7, 7, 7, 7],
      n: 4,
      mean: 7,
      sd: 0,
      ciLow: 7,
      ciHigh: 7,
    },
    {
      name: 'a single value has a mean but no standard deviation or interval',
      values: [4.5],
      n: 1,
      mean: 4.5,
      sd: null,
      ciLow: null,
      ciHigh: null,
    },
    {
      name: 'no values (all null) give n = 0 and nothing else',
      values: [null, null],
      n: 0,
      mean: null,
      sd: null,
      ciLow: null,
      ciHigh: null,
    },
  ];

  it.each(cases)('$name', ({ values, n, mean, sd, ciLow, ciHigh }) => {
    const s = summarize(values);
    expect(s.n).toBe(n);
    for (const [got, want] of [
      [s.mean, mean],
      [s.sd, sd],
      [s.ciLow, ciLow],
      [s.ciHigh, ciHigh],
    ] as const) {
      if (want === null) expect(got).toBeNull();
      else expect(got).toBeCloseTo(want, 10);
    }
  });

  it('gives identical values exactly sd 0 and their own mean, with no float noise', () => {
    // A naive two-pass sd of ten 0.123456789s is 1.5e-17 and their mean an ulp off.
    for (const v of [0.123456789, 0.416667, 1e9 + 0.1]) {
      const s = summarize(Array<number>(10).fill(v));
      expect([s.mean, s.sd, s.ciLow, s.ciHigh]).toEqual([v, 0, v, v]);
    }
    const d = pairedDifference([0.1, 0.2, 0.3], [0.2, 0.3, 0.4]);
    expect(d.sd).toBeCloseTo(0, 15);
  });

  it('rejects NaN and infinities, which would silently poison a mean', () => {
    expect(() => summarize([1, Number.NaN])).toThrow('summarize: value NaN is not a finite number');
    expect(() => summarize([Number.POSITIVE_INFINITY])).toThrow(
      'value Infinity is not a finite number',
    );
  });
});

describe('pairedDifference', () => {
  const cases: Array<{
    name: string;
    baseline: (number | null)[];
    other: (number | null)[];
    n: number;
    mean: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    excludesZero: boolean;
  }> = [
    {
      // diffs 0.5, 0.25, 0.5, 0.75: mean 0.5, sd = √(0.125/3) = 0.204124…, half = 3.182446… × 0.102062… = 0.324807…
      name: 'a consistent increase over four seeds has an interval above zero',
      baseline: [1, 2, 3, 4],
      other: [1.5, 2.25, 3.5, 4.75],
      n: 4,
      mean: 0.5,
      ciLow: 0.17519293409372227,
      ciHigh: 0.8248070659062777,
      excludesZero: true,
    },
    {
      // diffs −1, 1, 0: mean 0, sd 1, half = t(0.975,2)/√3 = 2.484137…
      name: 'differences of −1, +1 and 0 straddle zero',
      baseline: [5, 5, 5],
      other: [4, 6, 5],
      n: 3,
      mean: 0,
      ciLow: -2.4841377117503303,
      ciHigh: 2.4841377117503303,
      excludesZero: false,
    },
    {
      name: 'a consistent decrease is other minus baseline, so negative, and excludes zero',
      baseline: [10, 20, 30],
      other: [8, 18, 28],
      n: 3,
      mean: -2,
      ciLow: -2,
      ciHigh: -2,
      excludesZero: true,
    },
    {
      name: 'a pair with a null on either side is dropped, keeping the others matched by seed',
      baseline: [5, null, 5, 5],
      other: [4, 100, 6, null],
      n: 2,
      mean: 0,
      ciLow: -12.706204736174694,
      ciHigh: 12.706204736174694,
      excludesZero: false,
    },
    {
      name: 'one pair has a difference but no interval, so it never claims to exclude zero',
      baseline: [1],
      other: [3],
      n: 1,
      mean: 2,
      ciLow: null,
      ciHigh: null,
      excludesZero: false,
    },
  ];

  it.each(cases)('$name', ({ baseline, other, n, mean, ciLow, ciHigh, excludesZero }) => {
    const d = pairedDifference(baseline, other);
    expect(d.n).toBe(n);
    expect(d.excludesZero).toBe(excludesZero);
    for (const [got, want] of [
      [d.mean, mean],
      [d.ciLow, ciLow],
      [d.ciHigh, ciHigh],
    ] as const) {
      if (want === null) expect(got).toBeNull();
      else expect(got).toBeCloseTo(want, 10);
    }
  });

  it('rejects arrays of different lengths because pairs are matched by seed index', () => {
    expect(() => pairedDifference([1, 2], [1])).toThrow(
      'pairedDifference: baseline has 2 runs but other has 1; pairs are matched by seed',
    );
  });
});
