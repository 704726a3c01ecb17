// Random variates for durations, sizes and inter-arrival times, and their scenario syntax
// (`{exponential: {mean: 30m}}`). Every sampler is an inverse transform of ONE uniform draw:
// a sample always consumes exactly one number from its stream, so two runs that differ only
// in parameters stay in step draw for draw (common random numbers), and a shared
// Distribution object holds no state between samples (no cached Box–Muller twin).
import { flowFound, quoteFound } from './found.js';
import type { Rng } from './rng.js';

export interface Distribution {
  sample(rng: Rng): number;
  mean(): number;
  describe(): string;
}

/** A distribution sampled as quantile(u) with u uniform in [0, 1). */
export interface QuantileDistribution extends Distribution {
  /** Non-decreasing in u. */
  quantile(u: number): number;
}

/** An optional clamp applied to every sample. */
export interface DistributionMinMax {
  min?: number;
  max?: number;
}

abstract class InverseTransform implements QuantileDistribution {
  abstract quantile(u: number): number;
  abstract mean(): number;
  abstract describe(): string;

  sample(rng: Rng): number {
    return this.quantile(rng.next());
  }
}

function requireFinite(name: string, v: number): void {
  if (!Number.isFinite(v)) throw new RangeError(`${name} must be a finite number, got ${v}`);
}

function requirePositive(name: string, v: number): void {
  requireFinite(name, v);
  if (!(v > 0)) throw new RangeError(`${name} must be greater than 0, got ${v}`);
}

function requireNonNegative(name: string, v: number): void {
  requireFinite(name, v);
  if (v < 0) throw new RangeError(`${name} must be at least 0, got ${v}`);
}

class Constant extends InverseTransform {
  constructor(private readonly v: number) {
    super();
  }
  quantile(): number {
    return this.v;
  }
  mean(): number {
    return this.v;
  }
  describe(): string {
    return `constant(${this.v})`;
  }
}

export function constant(v: number): QuantileDistribution {
  requireFinite('constant', v);
  return new Constant(v);
}

class Uniform extends InverseTransform {
  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {
    super();
  }
  quantile(u: number): number {
    return this.min + (this.max - this.min) * u;
  }
  mean(): number {
    return (this.min + this.max) / 2;
  }
  describe(): string {
    return `uniform(min=${this.min}, max=${this.max})`;
  }
}

/** Uniform on [min, max). */
export function uniform(min: number, max: number): QuantileDistribution {
  requireFinite('uniform min', min);
  requireFinite('uniform max', max);
  if (max < min) throw new RangeError(`uniform max must be at least min (${min}), got ${max}`);
  return new Uniform(min, max);
}

class Exponential extends InverseTransform {
  constructor(private readonly m: number) {
    super();
  }
  quantile(u: number): number {
    // 1 - u is in (0, 1], so the log is finite.
    return -this.m * Math.log(1 - u);
  }
  mean(): number {
    return this.m;
  }
  describe(): string {
    return `exponential(mean=${this.m})`;
  }
}

export function exponential(mean: number): QuantileDistribution {
  requirePositive('exponential mean', mean);
  return new Exponential(mean);
}

// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9):
// deterministic, branch-light and needs one uniform per sample.
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Standard normal quantile Φ⁻¹(p); p = 0 is nudged to the smallest double so it stays finite. */
export function standardNormalQuantile(p: number): number {
  if (p <= 0) p = Number.MIN_VALUE;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
    );
  }
  if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    return (
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
    );
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -(
    (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
    ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
  );
}

class Normal extends InverseTransform {
  constructor(
    private readonly m: number,
    private readonly sd: number,
  ) {
    super();
  }
  quantile(u: number): number {
    return this.m + this.sd * standardNormalQuantile(u);
  }
  mean(): number {
    return this.m;
  }
  describe(): string {
    return `normal(mean=${this.m}, stddev=${this.sd})`;
  }
}

export function normal(mean: number, stddev: number): QuantileDistribution {
  requireFinite('normal mean', mean);
  requireNonNegative('normal stddev', stddev);
  return new Normal(mean, stddev);
}

class Lognormal extends InverseTransform {
  constructor(
    private readonly mu: number,
    private readonly sigma: number,
    private readonly label: string,
  ) {
    super();
  }
  quantile(u: number): number {
    return Math.exp(this.mu + this.sigma * standardNormalQuantile(u));
  }
  mean(): number {
    return Math.exp(this.mu + (this.sigma * this.sigma) / 2);
  }
  describe(): string {
    return this.label;
  }
}

/** exp(N(mu, sigma²)); the median is exp(mu), so `{median}` is the friendlier form for durations. */
export function lognormal(
  p: { median: number; sigma: number } | { mu: number; sigma: number },
): QuantileDistribution {
  requireNonNegative('lognormal sigma', p.sigma);
  if ('median' in p) {
    requirePositive('lognormal median', p.median);
    return new Lognormal(
      Math.log(p.median),
      p.sigma,
      `lognormal(median=${p.median}, sigma=${p.sigma})`,
    );
  }
  requireFinite('lognormal mu', p.mu);
  return new Lognormal(p.mu, p.sigma, `lognormal(mu=${p.mu}, sigma=${p.sigma})`);
}

// Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for the arguments we use.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** The gamma function Γ(z) for real z (reflection below 1/2). */
export function gamma(z: number): number {
  if (z < 0.5) return Math.PI / (Math.sin(Math.PI * z) * gamma(1 - z));
  z -= 1;
  let x = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) x += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * x;
}

class Weibull extends InverseTransform {
  constructor(
    private readonly shape: number,
    private readonly scale: number,
  ) {
    super();
  }
  quantile(u: number): number {
    return this.scale * Math.pow(-Math.log(1 - u), 1 / this.shape);
  }
  mean(): number {
    return this.scale * gamma(1 + 1 / this.shape);
  }
  describe(): string {
    return `weibull(shape=${this.shape}, scale=${this.scale})`;
  }
}

export function weibull(shape: number, scale: number): QuantileDistribution {
  requirePositive('weibull shape', shape);
  requirePositive('weibull scale', scale);
  return new Weibull(shape, scale);
}

class Empirical extends InverseTransform {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly values: number[],
    private readonly weights: number[],
  ) {
    super();
    let sum = 0;
    for (const w of weights) this.cumulative.push((sum += w));
    this.total = sum;
  }

  /** Binary search for the first value whose cumulative weight exceeds u·total: O(log n). */
  quantile(u: number): number {
    const target = u * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo];
  }

  mean(): number {
    return this.meanOf((x) => x);
  }

  /** E[f(X)], exact: lets a clamp of a discrete distribution report its true mean. */
  meanOf(f: (x: number) => number): number {
    let sum = 0;
    for (let i = 0; i < this.values.length; i++) sum += f(this.values[i]) * this.weights[i];
    return sum / this.total;
  }

  describe(): string {
    return `empirical(${this.values.length} values)`;
  }
}

/** Picks values[i] with probability weights[i] / Σ weights (equal weights when omitted). */
export function empirical(values: number[], weights?: number[]): QuantileDistribution {
  if (values.length === 0) throw new RangeError('empirical needs at least one value');
  values.forEach((v, i) => requireFinite(`empirical values[${i}]`, v));
  const w = weights ?? values.map(() => 1);
  if (w.length !== values.length) {
    throw new RangeError(
      `empirical needs one weight per value (${values.length}), got ${w.length}`,
    );
  }
  w.forEach((x, i) => requireNonNegative(`empirical weights[${i}]`, x));
  if (!w.some((x) => x > 0))
    throw new RangeError('empirical needs at least one weight greater than 0');
  return new Empirical([...values], [...w]);
}

// Midpoint rule over u for the mean of a clamped distribution; 2^16 quantile evaluations once.
const CLAMP_MEAN_POINTS = 65536;

class Clamped extends InverseTransform {
  private cachedMean: number | undefined;

  constructor(
    private readonly inner: QuantileDistribution,
    private readonly min: number,
    private readonly max: number,
  ) {
    super();
  }

  quantile(u: number): number {
    return this.clamp(this.inner.quantile(u));
  }

  private clamp(x: number): number {
    return x < this.min ? this.min : x > this.max ? this.max : x;
  }

  /**
   * E[clamp(X)] = ∫₀¹ clamp(Q(u)) du. Exact for empirical; otherwise the midpoint rule, good to
   * ~1e-6 of the spread (few clamped distributions have a closed form).
   */
  mean(): number {
    if (this.inner instanceof Empirical) return this.inner.meanOf((x) => this.clamp(x));
    if (this.cachedMean === undefined) {
      let sum = 0;
      for (let i = 0; i < CLAMP_MEAN_POINTS; i++)
        sum += this.quantile((i + 0.5) / CLAMP_MEAN_POINTS);
      this.cachedMean = sum / CLAMP_MEAN_POINTS;
    }
    return this.cachedMean;
  }

  describe(): string {
    const lo = this.min === -Infinity ? '-∞' : String(this.min);
    const hi = this.max === Infinity ? '∞' : String(this.max);
    return `${this.inner.describe()} clamped to [${lo}, ${hi}]`;
  }
}

/** Samples of `inner` limited to [min, max]; either bound may be omitted. */
export function clamped(
  inner: QuantileDistribution,
  bounds: DistributionMinMax,
): QuantileDistribution {
  const min = bounds.min ?? -Infinity;
  const max = bounds.max ?? Infinity;
  if (bounds.min !== undefined) requireFinite('clamp min', min);
  if (bounds.max !== undefined) requireFinite('clamp max', max);
  if (max < min) throw new RangeError(`clamp max must be at least min (${min}), got ${max}`);
  if (bounds.min === undefined && bounds.max === undefined) return inner;
  return new Clamped(inner, min, max);
}

class CappedAbove extends InverseTransform {
  constructor(
    private readonly inner: QuantileDistribution,
    private readonly max: number,
  ) {
    super();
  }

  quantile(u: number): number {
    const x = this.inner.quantile(u);
    // NaN fails the comparison too, and becomes max.
    return x <= this.max ? x : this.max;
  }

  /** An upper bound: exact unless the inner distribution reaches above max. */
  mean(): number {
    const m = this.inner.mean();
    return m <= this.max ? m : this.max;
  }

  describe(): string {
    return this.inner.describe();
  }
}

/**
 * A guard, not a parameter: samples above `max` (and a NaN) are `max`, so one extreme draw of a
 * heavy tail cannot reach the engine as Infinity. describe() is the inner one's.
 */
export function cappedAbove(inner: QuantileDistribution, max: number): QuantileDistribution {
  requireFinite('cap', max);
  return new CappedAbove(inner, max);
}

// ---------------------------------------------------------------------------------------------
// Scenario syntax

export type SpecPath = (string | number)[];

/** A scenario mistake: `path` locates the field, `expected`/`found` finish the sentence. */
export class DistributionSpecError extends Error {
  constructor(
    readonly path: SpecPath,
    readonly expected: string,
    readonly found: string,
  ) {
    super(
      `${path.length > 0 ? path.join('.') : '(distribution)'}: expected ${expected}, found ${found}`,
    );
    this.name = 'DistributionSpecError';
  }
}

export const DISTRIBUTION_NAMES = [
  'constant',
  'uniform',
  'exponential',
  'normal',
  'lognormal',
  'weibull',
  'empirical',
] as const;
export type DistributionName = (typeof DISTRIBUTION_NAMES)[number];

type ParseValue = (v: unknown, path: SpecPath) => number;

/** How a user-supplied YAML value reads in an error message. */
export function describeFound(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return quoteFound(v);
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : `a list of ${v.length}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    return keys.length === 0 ? 'an empty map' : `a map with keys ${keys.join(', ')}`;
  }
  return String(v);
}

function parseFinite(parseValue: ParseValue, raw: unknown, at: SpecPath): number {
  const v = parseValue(raw, at);
  if (!Number.isFinite(v))
    throw new DistributionSpecError(at, 'a finite value', describeFound(raw));
  return v;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the parameter map of one distribution, rejecting keys it does not know. */
class Params {
  constructor(
    private readonly map: Record<string, unknown>,
    readonly path: SpecPath,
    private readonly parseValue: ParseValue,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(map)) {
      if (!allowed.includes(key))
        throw new DistributionSpecError([...path, key], `one of ${allowed.join(', ')}`, key);
    }
  }

  has(key: string): boolean {
    return this.map[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.map[key];
  }

  /** The value as the user wrote it (`10s`, not 10000), for messages. */
  written(key: string): string {
    const raw = this.map[key];
    return typeof raw === 'string' ? raw : String(raw);
  }

  /** A quantity in the caller's units (a duration, a size…), via parseValue. */
  value(key: string): number {
    const raw = this.map[key];
    if (raw === undefined)
      throw new DistributionSpecError([...this.path, key], 'a value', 'nothing');
    return this.parse(raw, [...this.path, key]);
  }

  parse(raw: unknown, at: SpecPath): number {
    return parseFinite(this.parseValue, raw, at);
  }

  optionalValue(key: string): number | undefined {
    return this.has(key) ? this.value(key) : undefined;
  }

  /** A unitless number (mu, sigma, shape). */
  number(key: string): number {
    const raw = this.map[key];
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      throw new DistributionSpecError([...this.path, key], 'a number', describeFound(raw));
    }
    return raw;
  }

  check(key: string, ok: boolean, expected: string): void {
    if (!ok)
      throw new DistributionSpecError([...this.path, key], expected, describeFound(this.map[key]));
  }
}

const CLAMP_KEYS = ['min', 'max'];

function parseClamp(p: Params, inner: QuantileDistribution): QuantileDistribution {
  const min = p.optionalValue('min');
  const max = p.optionalValue('max');
  if (min !== undefined && max !== undefined)
    p.check('max', max >= min, `a value of at least min (${p.written('min')})`);
  return clamped(inner, { min, max });
}

type Builder = (p: Params) => QuantileDistribution;

const BUILDERS: Record<
  Exclude<DistributionName, 'constant'>,
  { keys: string[]; build: Builder }
> = {
  uniform: {
    keys: ['min', 'max'],
    build: (p) => {
      const min = p.value('min');
      const max = p.value('max');
      p.check('max', max >= min, `a value of at least min (${p.written('min')})`);
      return uniform(min, max);
    },
  },
  exponential: {
    keys: ['mean', ...CLAMP_KEYS],
    build: (p) => {
      const mean = p.value('mean');
      p.check('mean', mean > 0, 'a value greater than 0');
      return parseClamp(p, exponential(mean));
    },
  },
  normal: {
    keys: ['mean', 'stddev', ...CLAMP_KEYS],
    build: (p) => {
      const mean = p.value('mean');
      const stddev = p.value('stddev');
      p.check('stddev', stddev >= 0, 'a value of at least 0');
      return parseClamp(p, normal(mean, stddev));
    },
  },
  lognormal: {
    keys: ['median', 'mu', 'sigma', ...CLAMP_KEYS],
    build: (p) => {
      if (p.has('median') && p.has('mu')) p.check('mu', false, 'either median or mu, not both');
      if (!p.has('median') && !p.has('mu')) {
        throw new DistributionSpecError(p.path, 'median or mu', 'neither');
      }
      const sigma = p.number('sigma');
      p.check('sigma', sigma >= 0, 'a number of at least 0');
      if (p.has('median')) {
        const median = p.value('median');
        p.check('median', median > 0, 'a value greater than 0');
        return parseClamp(p, lognormal({ median, sigma }));
      }
      return parseClamp(p, lognormal({ mu: p.number('mu'), sigma }));
    },
  },
  weibull: {
    keys: ['shape', 'scale', ...CLAMP_KEYS],
    build: (p) => {
      const shape = p.number('shape');
      p.check('shape', shape > 0, 'a number greater than 0');
      const scale = p.value('scale');
      p.check('scale', scale > 0, 'a value greater than 0');
      return parseClamp(p, weibull(shape, scale));
    },
  },
  empirical: {
    keys: ['values', 'weights', ...CLAMP_KEYS],
    build: (p) => {
      const rawValues = p.raw('values');
      p.check('values', Array.isArray(rawValues), 'a list of values');
      const list = rawValues as unknown[];
      p.check('values', list.length > 0, 'a non-empty list');
      const valuesPath = [...p.path, 'values'];
      const values = list.map((raw, i) => p.parse(raw, [...valuesPath, i]));
      let weights: number[] | undefined;
      if (p.has('weights')) {
        const rawWeights = p.raw('weights');
        p.check('weights', Array.isArray(rawWeights), 'a list of numbers');
        const wl = rawWeights as unknown[];
        p.check(
          'weights',
          wl.length === values.length,
          `a list of ${values.length} (one weight per value)`,
        );
        weights = wl.map((w, i) => {
          if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
            throw new DistributionSpecError(
              [...p.path, 'weights', i],
              'a number of at least 0',
              describeFound(w),
            );
          }
          return w;
        });
        p.check(
          'weights',
          weights.some((w) => w > 0),
          'at least one weight greater than 0',
        );
      }
      return parseClamp(p, empirical(values, weights));
    },
  },
};

/**
 * Parses the scenario form of a distribution: a bare value (a constant), or a one-key map
 * naming the distribution, e.g. `{normal: {mean: 10s, stddev: 3s, min: 0s}}`. Quantities go
 * through `parseValue` (so they can be durations like `30m`), whose own errors propagate
 * unchanged; mu, sigma, shape and weights are plain numbers.
 */
export function parseDistribution(
  spec: unknown,
  parseValue: ParseValue,
  path: SpecPath = [],
): QuantileDistribution {
  if (!isMap(spec)) return constant(parseFinite(parseValue, spec, path));
  const keys = Object.keys(spec);
  const known = `one of ${DISTRIBUTION_NAMES.join(', ')}`;
  for (const key of keys) {
    if (!(DISTRIBUTION_NAMES as readonly string[]).includes(key))
      throw new DistributionSpecError([...path, key], known, key);
  }
  if (keys.length !== 1)
    throw new DistributionSpecError(path, `a single distribution, ${known}`, describeFound(spec));
  const name = keys[0] as DistributionName;
  const innerPath = [...path, name];
  const inner = spec[name];
  if (name === 'constant') return constant(parseFinite(parseValue, inner, innerPath));
  const { keys: allowed, build } = BUILDERS[name];
  if (!isMap(inner))
    throw new DistributionSpecError(
      innerPath,
      `a map of ${allowed.join(', ')}`,
      describeFound(inner),
    );
  const dist = build(new Params(inner, innerPath, parseValue, allowed));
  requireFiniteSamples(dist, inner, innerPath);
  return dist;
}

/** The largest number below 1: no uniform draw (seedrandom's are < 1) goes beyond it. */
const LARGEST_UNIFORM = 1 - 2 ** -53;

/**
 * Quantiles are monotone, so the extreme draws bound every sample: parameters such as
 * `{weibull: {shape: 1e-300}}` or `{lognormal: {sigma: 1000}}` whose tails overflow to
 * ±Infinity are refused here rather than by the run that draws one.
 */
function requireFiniteSamples(
  dist: QuantileDistribution,
  params: Record<string, unknown>,
  path: SpecPath,
): void {
  for (const u of [0, LARGEST_UNIFORM]) {
    const x = dist.quantile(u);
    if (!Number.isFinite(x))
      throw new DistributionSpecError(
        path,
        'parameters whose samples are finite numbers',
        `${flowFound(params)}, whose samples reach ${x}`,
      );
  }
}
