import { describe, expect, it } from '@jest/globals';
import {
  cappedAbove,
  clamped,
  constant,
  DistributionSpecError,
  empirical,
  exponential,
  gamma,
  lognormal,
  normal,
  parseDistribution,
  standardNormalQuantile,
  uniform,
  weibull,
  type Distribution,
  type QuantileDistribution,
  type SpecPath,
} from './distributions.js';
import { RngStreams } from './rng.js';

const N = 200_000;

function samples(d: Distribution, seed = 2024, n = N): number[] {
  const rng = new RngStreams(seed).stream('distributions-test');
  return Array.from({ length: n }, () => d.sample(rng));
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) * (x - m), 0) / (xs.length - 1));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length >> 1) - 1] + s[s.length >> 1]) / 2;
}

describe('special functions', () => {
  it.each([
    [1, 1],
    [2, 1],
    [5, 24],
    [0.5, Math.sqrt(Math.PI)],
    [1.5, Math.sqrt(Math.PI) / 2],
    [3, 2],
    [0.25, 3.625609908221908],
  ])('gamma(%p) = %p', (z, want) => {
    expect(gamma(z)).toBeCloseTo(want, 12);
  });

  // Reference quantiles of the standard normal (R: qnorm), matched to Acklam's 1.2e-9 accuracy.
  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.025, -1.959963984540054],
    [0.99, 2.326347874040841],
    [0.001, -3.090232306167813],
    [0.8413447460685429, 1],
  ])('standardNormalQuantile(%p) = %p', (p, want) => {
    expect(standardNormalQuantile(p)).toBeCloseTo(want, 8);
  });

  it('standardNormalQuantile(0) is finite so that a zero draw cannot poison a run', () => {
    expect(standardNormalQuantile(0)).toBeCloseTo(-38.4674, 3);
  });
});

describe('sampling', () => {
  // Tolerances are 5 standard errors for n = 200k, worked out per case in the comment.
  const means: { name: string; d: Distribution; want: number; tol: number }[] = [
    // sd 30 → SE 0.067
    { name: 'exponential(mean=30) has sample mean 30', d: exponential(30), want: 30, tol: 0.34 },
    // sd 10/√12 = 2.89 → SE 0.0065
    { name: 'uniform(10, 20) has sample mean 15', d: uniform(10, 20), want: 15, tol: 0.033 },
    // sd 15 → SE 0.034
    { name: 'normal(100, 15) has sample mean 100', d: normal(100, 15), want: 100, tol: 0.17 },
    // mean 10·Γ(1.5) = 5√π = 8.8623; var 100·(1 − π/4) = 21.46 → SE 0.0104
    {
      name: 'weibull(shape=2, scale=10) has sample mean 5√π',
      d: weibull(2, 10),
      want: 5 * Math.sqrt(Math.PI),
      tol: 0.052,
    },
    // mean 3·Γ(3) = 6; var 9·(Γ(5) − Γ(3)²) = 180 → SE 0.030
    {
      name: 'weibull(shape=0.5, scale=3) has sample mean 3·Γ(3) = 6',
      d: weibull(0.5, 3),
      want: 6,
      tol: 0.15,
    },
    // mean e^(ln 60 + 0.5²/2) = 60·e^0.125 = 67.99; sd = mean·√(e^0.25 − 1) = 36.23 → SE 0.081
    {
      name: 'lognormal(median=60, sigma=0.5) has sample mean 60·e^0.125',
      d: lognormal({ median: 60, sigma: 0.5 }),
      want: 60 * Math.exp(0.125),
      tol: 0.41,
    },
    // (1·1 + 2·2 + 3·7) / 10 = 2.6; sd 0.663 → SE 0.0015
    {
      name: 'empirical([1,2,3], weights [1,2,7]) has sample mean 2.6',
      d: empirical([1, 2, 3], [1, 2, 7]),
      want: 2.6,
      tol: 0.0075,
    },
  ];
  it.each(means)('$name', ({ d, want, tol }) => {
    const m = mean(samples(d));
    expect(Math.abs(m - want)).toBeLessThan(tol);
    expect(d.mean()).toBeCloseTo(want, 9);
  });

  it('normal(100, 15) has sample standard deviation 15', () => {
    // SE of sd ≈ σ/√(2n) = 0.024
    expect(Math.abs(sd(samples(normal(100, 15))) - 15)).toBeLessThan(0.12);
  });

  it('lognormal with median 60 has sample median 60', () => {
    // SE of the median = 1 / (2 f(m) √n), f(m) = 1 / (m σ √(2π)) = 0.0133 → SE 0.084
    expect(Math.abs(median(samples(lognormal({ median: 60, sigma: 0.5 }))) - 60)).toBeLessThan(
      0.42,
    );
  });

  it('lognormal in the mu form has median e^mu and mean e^(mu + sigma²/2)', () => {
    const d = lognormal({ mu: 1, sigma: 0.25 });
    // f(m) = 1 / (e · 0.25 · √(2π)) = 0.587 → SE 0.0019
    expect(Math.abs(median(samples(d)) - Math.E)).toBeLessThan(0.0095);
    expect(d.mean()).toBeCloseTo(Math.exp(1 + 0.03125), 12);
  });

  it('empirical picks each value with probability proportional to its weight, never a zero-weight one', () => {
    const xs = samples(empirical([10, 20, 30, 40], [1, 2, 0, 7]));
    const freq = (v: number): number => xs.filter((x) => x === v).length / xs.length;
    // SE of a frequency p is √(p(1−p)/n) ≤ 0.0011
    expect(Math.abs(freq(10) - 0.1)).toBeLessThan(0.0034);
    expect(Math.abs(freq(20) - 0.2)).toBeLessThan(0.0045);
    expect(freq(30)).toBe(0);
    expect(Math.abs(freq(40) - 0.7)).toBeLessThan(0.0052);
  });

  it('empirical without weights picks values equally often', () => {
    const xs = samples(empirical([1, 2]));
    expect(Math.abs(xs.filter((x) => x === 1).length / N - 0.5)).toBeLessThan(0.0056);
  });

  it('constant always returns its value', () => {
    expect(new Set(samples(constant(7), 1, 1000))).toEqual(new Set([7]));
  });

  const oneDraw: { name: string; d: Distribution }[] = [
    { name: 'constant', d: constant(1) },
    { name: 'uniform', d: uniform(0, 1) },
    { name: 'exponential', d: exponential(1) },
    { name: 'normal', d: normal(0, 1) },
    { name: 'lognormal', d: lognormal({ median: 1, sigma: 1 }) },
    { name: 'weibull', d: weibull(1.5, 1) },
    { name: 'empirical', d: empirical([1, 2, 3]) },
    { name: 'clamped normal', d: clamped(normal(0, 1), { min: 0 }) },
  ];
  it.each(oneDraw)(
    '$name consumes exactly one draw per sample, keeping streams in step',
    ({ d }) => {
      const used = new RngStreams(8).stream('s');
      for (let i = 0; i < 10; i++) d.sample(used);
      const fresh = new RngStreams(8).stream('s');
      for (let i = 0; i < 10; i++) fresh.next();
      expect(used.next()).toBe(fresh.next());
    },
  );

  it('the same seed gives the same samples', () => {
    expect(samples(normal(5, 2), 77, 50)).toEqual(samples(normal(5, 2), 77, 50));
    expect(samples(normal(5, 2), 77, 50)).not.toEqual(samples(normal(5, 2), 78, 50));
  });
});

describe('clamped', () => {
  const cases: { name: string; d: QuantileDistribution; min: number; max: number; want: number }[] =
    [
      // E[max(Z, 0)] = φ(0) = 1/√(2π)
      {
        name: 'normal(0,1) with min 0 has mean 1/√(2π)',
        d: clamped(normal(0, 1), { min: 0 }),
        min: 0,
        max: Infinity,
        want: 1 / Math.sqrt(2 * Math.PI),
      },
      // E[min(X, 1)] for X ~ Exp(1) = 1 − e^−1
      {
        name: 'exponential(1) with max 1 has mean 1 − 1/e',
        d: clamped(exponential(1), { max: 1 }),
        min: -Infinity,
        max: 1,
        want: 1 - Math.exp(-1),
      },
      // Symmetric clamp of a symmetric distribution keeps the mean at 0.
      {
        name: 'normal(0,1) within [-1, 1] has mean 0',
        d: clamped(normal(0, 1), { min: -1, max: 1 }),
        min: -1,
        max: 1,
        want: 0,
      },
    ];
  it.each(cases)('$name, and no sample leaves the bounds', ({ d, min, max, want }) => {
    expect(d.mean()).toBeCloseTo(want, 4);
    const xs = samples(d);
    expect(xs.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(min);
    expect(xs.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(max);
    // Each clamped variance ≤ 1 → SE ≤ 0.0023
    expect(Math.abs(mean(xs) - want)).toBeLessThan(0.012);
  });

  it('without bounds returns the distribution itself', () => {
    const d = normal(0, 1);
    expect(clamped(d, {})).toBe(d);
  });
});

describe('cappedAbove', () => {
  const heavy = lognormal({ median: 60_000, sigma: 80 });

  it('takes samples above the cap (a finite but enormous tail) as the cap', () => {
    expect(heavy.quantile(1 - 2 ** -53)).toBeGreaterThan(1e280);
    const capped = cappedAbove(heavy, 1000);
    expect(capped.quantile(1 - 2 ** -53)).toBe(1000);
    expect(capped.quantile(0)).toBe(heavy.quantile(0));
  });

  it('a NaN or Infinity from the inner distribution becomes the cap', () => {
    const broken: QuantileDistribution = {
      quantile: (u) => (u < 0.5 ? NaN : Infinity),
      sample: () => NaN,
      mean: () => NaN,
      describe: () => 'broken',
    };
    const capped = cappedAbove(broken, 7);
    expect([capped.quantile(0.1), capped.quantile(0.9), capped.mean()]).toEqual([7, 7, 7]);
  });

  it('draws one number per sample and keeps the inner description', () => {
    const inner = exponential(10);
    const capped = cappedAbove(inner, 1e9);
    expect(samples(capped, 5, 50)).toEqual(samples(inner, 5, 50));
    expect(capped.describe()).toBe('exponential(mean=10)');
  });
});

describe('describe()', () => {
  it.each([
    ['constant(5)', constant(5)],
    ['uniform(min=1, max=3)', uniform(1, 3)],
    ['exponential(mean=1800000)', exponential(1800000)],
    ['normal(mean=10, stddev=3)', normal(10, 3)],
    ['lognormal(median=60000, sigma=0.5)', lognormal({ median: 60000, sigma: 0.5 })],
    ['lognormal(mu=2, sigma=1)', lognormal({ mu: 2, sigma: 1 })],
    ['weibull(shape=1.5, scale=100)', weibull(1.5, 100)],
    ['empirical(3 values)', empirical([1, 2, 3])],
    ['normal(mean=10, stddev=3) clamped to [0, ∞]', clamped(normal(10, 3), { min: 0 })],
    ['normal(mean=10, stddev=3) clamped to [-∞, 20]', clamped(normal(10, 3), { max: 20 })],
  ])('describes %s', (want, d) => {
    expect(d.describe()).toBe(want);
  });
});

describe('constructor guards', () => {
  it.each([
    ['exponential mean 0', () => exponential(0), 'exponential mean must be greater than 0, got 0'],
    ['normal stddev -1', () => normal(0, -1), 'normal stddev must be at least 0, got -1'],
    ['uniform max < min', () => uniform(3, 1), 'uniform max must be at least min (3), got 1'],
    [
      'lognormal sigma -1',
      () => lognormal({ mu: 0, sigma: -1 }),
      'lognormal sigma must be at least 0, got -1',
    ],
    [
      'lognormal median 0',
      () => lognormal({ median: 0, sigma: 1 }),
      'lognormal median must be greater than 0, got 0',
    ],
    ['weibull shape 0', () => weibull(0, 1), 'weibull shape must be greater than 0, got 0'],
    ['weibull scale NaN', () => weibull(1, NaN), 'weibull scale must be a finite number, got NaN'],
    ['empirical without values', () => empirical([]), 'empirical needs at least one value'],
    [
      'empirical weights too short',
      () => empirical([1, 2], [1]),
      'empirical needs one weight per value (2), got 1',
    ],
    [
      'empirical negative weight',
      () => empirical([1, 2], [1, -2]),
      'empirical weights[1] must be at least 0, got -2',
    ],
    [
      'empirical all-zero weights',
      () => empirical([1], [0]),
      'empirical needs at least one weight greater than 0',
    ],
    [
      'clamp max < min',
      () => clamped(normal(0, 1), { min: 1, max: 0 }),
      'clamp max must be at least min (1), got 0',
    ],
    [
      'constant Infinity',
      () => constant(Infinity),
      'constant must be a finite number, got Infinity',
    ],
  ])('%s is a RangeError', (_name, make, message) => {
    expect(make).toThrow(new RangeError(message));
    expect(make).toThrow(RangeError);
  });
});

describe('parseDistribution', () => {
  class BadDuration extends Error {
    constructor(readonly at: SpecPath) {
      super(`bad duration at ${at.join('.')}`);
    }
  }
  const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  /** The scenario's duration parser in miniature: numbers are ms, strings carry a unit. */
  function duration(v: unknown, at: SpecPath): number {
    if (typeof v === 'number') return v;
    const m = typeof v === 'string' ? /^(-?\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v) : null;
    if (m === null) throw new BadDuration(at);
    return Number(m[1]) * UNITS[m[2]];
  }

  const accepted: {
    name: string;
    spec: unknown;
    describe: string;
    mean: number;
    relTol?: number;
  }[] = [
    { name: 'a bare number is a constant', spec: 5, describe: 'constant(5)', mean: 5 },
    {
      name: 'a bare duration is a constant',
      spec: '5m',
      describe: 'constant(300000)',
      mean: 300000,
    },
    {
      name: 'an explicit constant',
      spec: { constant: '2s' },
      describe: 'constant(2000)',
      mean: 2000,
    },
    {
      name: 'uniform',
      spec: { uniform: { min: '1s', max: '3s' } },
      describe: 'uniform(min=1000, max=3000)',
      mean: 2000,
    },
    {
      name: 'exponential',
      spec: { exponential: { mean: '30m' } },
      describe: 'exponential(mean=1800000)',
      mean: 1800000,
    },
    {
      name: 'normal',
      spec: { normal: { mean: '10s', stddev: '3s' } },
      describe: 'normal(mean=10000, stddev=3000)',
      mean: 10000,
    },
    {
      name: 'lognormal by median',
      spec: { lognormal: { median: '1m', sigma: 0 } },
      describe: 'lognormal(median=60000, sigma=0)',
      mean: 60000,
    },
    {
      name: 'lognormal by mu',
      spec: { lognormal: { mu: 2, sigma: 0 } },
      describe: 'lognormal(mu=2, sigma=0)',
      mean: Math.exp(2),
    },
    {
      name: 'weibull',
      spec: { weibull: { shape: 1, scale: '1h' } },
      describe: 'weibull(shape=1, scale=3600000)',
      mean: 3600000,
    },
    {
      name: 'empirical with weights',
      spec: { empirical: { values: ['1s', '2s'], weights: [1, 3] } },
      describe: 'empirical(2 values)',
      mean: 1750,
    },
    {
      name: 'empirical without weights',
      spec: { empirical: { values: [1, 2, 6] } },
      describe: 'empirical(3 values)',
      mean: 3,
    },
    {
      name: 'a min clamp beside the parameters',
      spec: { normal: { mean: '10s', stddev: '3s', min: '0s' } },
      describe: 'normal(mean=10000, stddev=3000) clamped to [0, ∞]',
      // μΦ(μ/σ) + σφ(μ/σ) with μ/σ = 10/3; the numeric mean is good to ~1e-6 relative.
      mean: 10000.336233656904,
      relTol: 1e-6,
    },
    {
      name: 'both clamps',
      spec: { empirical: { values: [1, 2, 6], min: 2, max: 5 } },
      describe: 'empirical(3 values) clamped to [2, 5]',
      // (2 + 2 + 5) / 3, exact for a discrete distribution
      mean: 3,
    },
  ];
  it.each(accepted)('accepts $name', ({ spec, describe: want, mean: m, relTol }) => {
    const d = parseDistribution(spec, duration);
    expect(d.describe()).toBe(want);
    expect(Math.abs(d.mean() - m)).toBeLessThanOrEqual((relTol ?? 1e-12) * m);
  });

  const names = 'one of constant, uniform, exponential, normal, lognormal, weibull, empirical';
  const rejected: {
    name: string;
    spec: unknown;
    path: SpecPath;
    expected: string;
    found: string;
  }[] = [
    {
      name: 'an unknown distribution',
      spec: { poisson: { rate: 2 } },
      path: ['poisson'],
      expected: names,
      found: 'poisson',
    },
    {
      name: 'an empty map',
      spec: {},
      path: [],
      expected: `a single distribution, ${names}`,
      found: 'an empty map',
    },
    {
      name: 'two distributions at once',
      spec: { normal: { mean: 1, stddev: 1 }, uniform: { min: 0, max: 1 } },
      path: [],
      expected: `a single distribution, ${names}`,
      found: 'a map with keys normal, uniform',
    },
    {
      name: 'a clamp outside the parameter map',
      spec: { normal: { mean: 1, stddev: 1 }, min: 0 },
      path: ['min'],
      expected: names,
      found: 'min',
    },
    {
      name: 'an unknown parameter',
      spec: { exponential: { mean: '5s', rate: 2 } },
      path: ['exponential', 'rate'],
      expected: 'one of mean, min, max',
      found: 'rate',
    },
    {
      name: 'a clamp on uniform, whose min and max are its own parameters',
      spec: { uniform: { min: 1, max: 2, mean: 1 } },
      path: ['uniform', 'mean'],
      expected: 'one of min, max',
      found: 'mean',
    },
    {
      name: 'parameters given as a bare value',
      spec: { exponential: '5s' },
      path: ['exponential'],
      expected: 'a map of mean, min, max',
      found: '"5s"',
    },
    {
      name: 'a missing mean',
      spec: { exponential: {} },
      path: ['exponential', 'mean'],
      expected: 'a value',
      found: 'nothing',
    },
    {
      name: 'a zero exponential mean',
      spec: { exponential: { mean: '0s' } },
      path: ['exponential', 'mean'],
      expected: 'a value greater than 0',
      found: '"0s"',
    },
    {
      name: 'a negative stddev',
      spec: { normal: { mean: 10, stddev: -1 } },
      path: ['normal', 'stddev'],
      expected: 'a value of at least 0',
      found: '-1',
    },
    {
      name: 'a uniform max below its min',
      spec: { uniform: { min: 5, max: 3 } },
      path: ['uniform', 'max'],
      expected: 'a value of at least min (5)',
      found: '3',
    },
    {
      name: 'a clamp max below the clamp min',
      spec: { normal: { mean: 10, stddev: 1, min: 5, max: 4 } },
      path: ['normal', 'max'],
      expected: 'a value of at least min (5)',
      found: '4',
    },
    {
      name: 'a negative sigma',
      spec: { lognormal: { median: 10, sigma: -0.1 } },
      path: ['lognormal', 'sigma'],
      expected: 'a number of at least 0',
      found: '-0.1',
    },
    {
      name: 'a sigma written as a string',
      spec: { lognormal: { median: 10, sigma: '0.5' } },
      path: ['lognormal', 'sigma'],
      expected: 'a number',
      found: '"0.5"',
    },
    {
      name: 'both median and mu',
      spec: { lognormal: { median: 10, mu: 1, sigma: 1 } },
      path: ['lognormal', 'mu'],
      expected: 'either median or mu, not both',
      found: '1',
    },
    {
      name: 'neither median nor mu',
      spec: { lognormal: { sigma: 1 } },
      path: ['lognormal'],
      expected: 'median or mu',
      found: 'neither',
    },
    {
      name: 'a zero median',
      spec: { lognormal: { median: 0, sigma: 1 } },
      path: ['lognormal', 'median'],
      expected: 'a value greater than 0',
      found: '0',
    },
    {
      name: 'a zero weibull shape',
      spec: { weibull: { shape: 0, scale: 5 } },
      path: ['weibull', 'shape'],
      expected: 'a number greater than 0',
      found: '0',
    },
    {
      name: 'a zero weibull scale',
      spec: { weibull: { shape: 1, scale: 0 } },
      path: ['weibull', 'scale'],
      expected: 'a value greater than 0',
      found: '0',
    },
    {
      name: 'an empty list of values',
      spec: { empirical: { values: [] } },
      path: ['empirical', 'values'],
      expected: 'a non-empty list',
      found: 'an empty list',
    },
    {
      name: 'values that are not a list',
      spec: { empirical: { values: 5 } },
      path: ['empirical', 'values'],
      expected: 'a list of values',
      found: '5',
    },
    {
      name: 'fewer weights than values',
      spec: { empirical: { values: [1, 2], weights: [1] } },
      path: ['empirical', 'weights'],
      expected: 'a list of 2 (one weight per value)',
      found: 'a list of 1',
    },
    {
      name: 'a negative weight',
      spec: { empirical: { values: [1, 2], weights: [1, -1] } },
      path: ['empirical', 'weights', 1],
      expected: 'a number of at least 0',
      found: '-1',
    },
    {
      name: 'all weights zero',
      spec: { empirical: { values: [1, 2], weights: [0, 0] } },
      path: ['empirical', 'weights'],
      expected: 'at least one weight greater than 0',
      found: 'a list of 2',
    },
    {
      name: 'an infinite constant',
      spec: { constant: Infinity },
      path: ['constant'],
      expected: 'a finite value',
      found: 'Infinity',
    },
    {
      name: 'a uniform max below its min, min named as written',
      spec: { uniform: { min: '10s', max: '1s' } },
      path: ['uniform', 'max'],
      expected: 'a value of at least min (10s)',
      found: '"1s"',
    },
    {
      name: 'a weibull shape so small that samples overflow to Infinity',
      spec: { weibull: { shape: 1e-300, scale: '5m' } },
      path: ['weibull'],
      expected: 'parameters whose samples are finite numbers',
      found: '{shape: 1e-300, scale: 5m}, whose samples reach Infinity',
    },
    {
      name: 'a lognormal sigma so large that samples overflow to Infinity',
      spec: { lognormal: { median: '5m', sigma: 1000 } },
      path: ['lognormal'],
      expected: 'parameters whose samples are finite numbers',
      found: '{median: 5m, sigma: 1000}, whose samples reach Infinity',
    },
  ];
  it.each(rejected)('rejects $name', ({ spec, path, expected, found }) => {
    const prefix = ['workloads', 0, 'duration'];
    let error: unknown;
    try {
      parseDistribution(spec, duration, prefix);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DistributionSpecError);
    const e = error as DistributionSpecError;
    expect({ path: e.path, expected: e.expected, found: e.found }).toEqual({
      path: [...prefix, ...path],
      expected,
      found,
    });
  });

  it('spells the error out as path: expected …, found …', () => {
    expect(() =>
      parseDistribution({ exponential: { mean: '5s', rate: 2 } }, duration, [
        'workloads',
        0,
        'duration',
      ]),
    ).toThrow('workloads.0.duration.exponential.rate: expected one of mean, min, max, found rate');
  });

  it.each([
    ['a bare value', 'soon', []],
    ['an explicit constant', { constant: 'soon' }, ['constant']],
    ['a parameter', { normal: { mean: 'soon', stddev: 1 } }, ['normal', 'mean']],
    ['a clamp', { normal: { mean: 1, stddev: 1, max: 'soon' } }, ['normal', 'max']],
    ['an empirical value', { empirical: { values: ['1s', 'soon'] } }, ['empirical', 'values', 1]],
  ])(
    'lets parseValue errors in %s propagate unchanged, with the field path',
    (_name, spec, path) => {
      let error: unknown;
      try {
        parseDistribution(spec, duration, ['x']);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BadDuration);
      expect((error as BadDuration).at).toEqual(['x', ...path]);
    },
  );

  it('an overflowing tail is accepted when a max clamp bounds it', () => {
    const d = parseDistribution({ weibull: { shape: 1e-300, scale: '5m', max: '1h' } }, duration);
    expect((d as QuantileDistribution).quantile(1 - 2 ** -53)).toBe(3_600_000);
  });

  it('the parsed distribution samples like the one built directly', () => {
    const parsed = parseDistribution({ weibull: { shape: 1.5, scale: '2s' } }, duration);
    expect(samples(parsed, 3, 20)).toEqual(samples(weibull(1.5, 2000), 3, 20));
  });
});
