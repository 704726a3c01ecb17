// Arrival processes: when the pods of a workload are created. Each process hands out one arrival
// at a time, so the simulation keeps a single pending event per workload and an idle hour costs
// nothing (DESIGN.md, "cost follows events").
//
// Processes run in exact (real-valued) time and report whole milliseconds, floored, because the
// engine's clock is an integer. Flooring only what is reported — never the process's own position —
// keeps rates unbiased: at 1 arrival/ms, rounding every gap up would lose a third of the arrivals.
// Several arrivals may therefore share a millisecond.
import type { Distribution } from '../engine/distributions.js';
import type { Rng } from '../engine/rng.js';

/**
 * A cursor over one realisation of an arrival process; create one per workload and per run.
 * `next` returns the next arrival (integer ms) at or after `afterMs` — pass the engine's now: the
 * start time for the first call, then the time of the arrival being handled — or undefined once
 * the process has no arrival before `until`. A caller that fell behind (afterMs past the process's
 * position) gets the first arrival at or after afterMs; arrivals in between are dropped.
 */
export interface ArrivalProcess {
  next(rng: Rng, afterMs: number): number | undefined;
  /** E.g. `poisson(rate=0.001/ms)`. */
  describe(): string;
}

/** Every process is confined to [from, until); defaults: from 0, until never. */
export interface ArrivalWindow {
  fromMs?: number;
  untilMs?: number;
}

export interface PoissonSpec extends ArrivalWindow {
  /** Expected arrivals per ms. */
  rate: number;
}

export interface ConstantSpec extends ArrivalWindow {
  /** Arrivals per ms; the first arrival is at `fromMs`, then one every 1/rate ms. */
  rate: number;
}

export interface DiurnalSpec extends ArrivalWindow {
  /** Length of one cycle, e.g. 86_400_000 for a day. */
  periodMs: number;
  /** Arrivals per ms at the top of the cycle. */
  peak: number;
  /** Arrivals per ms at the bottom of the cycle. */
  trough: number;
  /** Time of a peak (default 0); troughs are half a period away. */
  phaseMs?: number;
}

export interface BurstsSpec extends ArrivalWindow {
  /** Length of each on window (ms), fixed or sampled per window. */
  on: number | Distribution;
  /** Length of each off window (ms), fixed or sampled per window. */
  off: number | Distribution;
  /** Arrivals per ms during on windows (poisson); none during off windows. */
  rate: number;
}

export type ArrivalSpec =
  | ({ kind: 'poisson' } & PoissonSpec)
  | ({ kind: 'constant' } & ConstantSpec)
  | ({ kind: 'diurnal' } & DiurnalSpec)
  | ({ kind: 'bursts' } & BurstsSpec);

export function createArrivalProcess(spec: ArrivalSpec): ArrivalProcess {
  switch (spec.kind) {
    case 'poisson':
      return poisson(spec);
    case 'constant':
      return constant(spec);
    case 'diurnal':
      return diurnal(spec);
    case 'bursts':
      return bursts(spec);
  }
}

function window(spec: ArrivalWindow): { from: number; until: number } {
  const from = spec.fromMs ?? 0;
  const until = spec.untilMs ?? Infinity;
  if (!Number.isSafeInteger(from))
    throw new RangeError(`fromMs must be an integer number of ms, got ${from}`);
  if (until !== Infinity && !Number.isSafeInteger(until)) {
    throw new RangeError(`untilMs must be an integer number of ms, got ${until}`);
  }
  if (until < from) throw new RangeError(`untilMs (${until}) must not be before fromMs (${from})`);
  return { from, until };
}

function requireRate(name: string, rate: number, allowZero = false): void {
  if (!(Number.isFinite(rate) && (rate > 0 || (allowZero && rate === 0)))) {
    throw new RangeError(
      `${name} must be a number ${allowZero ? 'at least' : 'greater than'} 0, got ${rate}`,
    );
  }
}

/** An exponential gap with the given rate from one uniform draw (1 − u is in (0, 1], so finite). */
function exponentialGap(rng: Rng, rate: number): number {
  return -Math.log(1 - rng.next()) / rate;
}

/** The reported instant: whole ms, or undefined once the exact time reaches `until`. */
function report(exact: number, until: number): number | undefined {
  return exact < until ? Math.floor(exact) : undefined;
}

/** Exponential gaps; by memorylessness, skipping ahead just restarts the clock at afterMs. */
export function poisson(spec: PoissonSpec): ArrivalProcess {
  const { from, until } = window(spec);
  requireRate('rate', spec.rate);
  let position = from;
  return {
    next(rng, afterMs) {
      position = Math.max(position, afterMs) + exponentialGap(rng, spec.rate);
      return report(position, until);
    },
    describe: () => `poisson(rate=${spec.rate}/ms)`,
  };
}

/**
 * Arrivals at from, from + 1/rate, from + 2/rate, … computed as from + k/rate (never by adding
 * gaps, which would accumulate rounding error). Uses no random numbers.
 */
export function constant(spec: ConstantSpec): ArrivalProcess {
  const { from, until } = window(spec);
  requireRate('rate', spec.rate);
  // k/rate can land a hair below a whole ms (250 − 3e-14); 1 µs of slack keeps 250 from becoming 249.
  const SLACK_MS = 1e-3;
  let k = 0;
  return {
    next(_rng, afterMs) {
      const behind = Math.ceil((afterMs - from) * spec.rate - SLACK_MS * spec.rate);
      k = Math.max(k, behind);
      const exact = from + k / spec.rate;
      k++;
      return report(Math.floor(exact + SLACK_MS), until);
    },
    describe: () => `constant(rate=${spec.rate}/ms)`,
  };
}

/** The diurnal rate at time t: a cosine between trough and peak, peaking at phase. */
export function diurnalRate(spec: DiurnalSpec, t: number): number {
  const phase = spec.phaseMs ?? 0;
  const cos = Math.cos((2 * Math.PI * (t - phase)) / spec.periodMs);
  return spec.trough + ((spec.peak - spec.trough) * (1 + cos)) / 2;
}

/**
 * Non-homogeneous poisson by thinning (Lewis and Shedler): candidates at the peak rate, each kept
 * with probability rate(t)/peak. Two draws per candidate; the expected count over a whole period
 * is (peak + trough)/2 × period.
 */
export function diurnal(spec: DiurnalSpec): ArrivalProcess {
  const { from, until } = window(spec);
  requireRate('peak', spec.peak);
  requireRate('trough', spec.trough, true);
  if (spec.trough > spec.peak) {
    throw new RangeError(`trough (${spec.trough}) must not exceed peak (${spec.peak})`);
  }
  if (!(Number.isFinite(spec.periodMs) && spec.periodMs > 0)) {
    throw new RangeError(`periodMs must be greater than 0, got ${spec.periodMs}`);
  }
  let position = from;
  return {
    next(rng, afterMs) {
      position = Math.max(position, afterMs);
      for (;;) {
        position += exponentialGap(rng, spec.peak);
        if (position >= until) return undefined;
        if (rng.next() * spec.peak < diurnalRate(spec, position)) return Math.floor(position);
      }
    },
    describe: () =>
      `diurnal(period=${spec.periodMs}ms, peak=${spec.peak}/ms, trough=${spec.trough}/ms, phase=${spec.phaseMs ?? 0}ms)`,
  };
}

function windowLength(d: number | Distribution, rng: Rng): number {
  const v = typeof d === 'number' ? d : d.sample(rng);
  return Number.isFinite(v) && v > 0 ? v : 0;
}

function describeLength(d: number | Distribution): string {
  return typeof d === 'number' ? `${d}ms` : d.describe();
}

/** This many on windows in a row of length 0 means the spec can never produce an arrival. */
const MAX_EMPTY_ON_WINDOWS = 1000;

/**
 * Alternating windows starting with an on window at `from`: poisson at `rate` while on, nothing
 * while off. Window lengths are drawn (when they are distributions) as each window begins, from
 * the same stream as the gaps.
 */
export function bursts(spec: BurstsSpec): ArrivalProcess {
  const { from, until } = window(spec);
  requireRate('rate', spec.rate);
  for (const [name, d] of [
    ['on', spec.on],
    ['off', spec.off],
  ] as const) {
    if (typeof d === 'number' && !(Number.isFinite(d) && d >= 0)) {
      throw new RangeError(`${name} must be a length in ms at least 0, got ${d}`);
    }
  }
  const onMean = typeof spec.on === 'number' ? spec.on : spec.on.mean();
  if (!(onMean > 0)) throw new RangeError(`on must be greater than 0 (on average), got ${onMean}`);

  let onStart = from;
  let onEnd: number | undefined;
  let position = from;
  return {
    next(rng, afterMs) {
      if (onEnd === undefined) onEnd = onStart + windowLength(spec.on, rng);
      position = Math.max(position, afterMs);
      let empty = 0;
      for (;;) {
        if (onStart >= until) return undefined;
        if (position < onEnd) {
          const candidate = Math.max(position, onStart) + exponentialGap(rng, spec.rate);
          if (candidate < onEnd) {
            position = candidate;
            return report(position, until);
          }
          // A gap past the window's end is discarded, not carried: by memorylessness the next
          // on window starts afresh, however short the off window between them.
          position = onEnd;
        }
        // Past this on window: the next one starts after an off window.
        onStart = onEnd + windowLength(spec.off, rng);
        onEnd = onStart + windowLength(spec.on, rng);
        empty = onEnd === onStart ? empty + 1 : 0;
        if (empty >= MAX_EMPTY_ON_WINDOWS) {
          throw new RangeError(`bursts: ${MAX_EMPTY_ON_WINDOWS} on windows in a row had length 0`);
        }
      }
    },
    describe: () =>
      `bursts(on=${describeLength(spec.on)}, off=${describeLength(spec.off)}, rate=${spec.rate}/ms)`,
  };
}

/** A multiplier over time, e.g. the utilisation a HorizontalPodAutoscaler's metrics report. */
export interface LoadProfile {
  valueAt(ms: number): number;
}

export type LoadProfileSpec =
  /** Linear between points (sorted by time), held flat before the first and after the last. */
  | { points: readonly (readonly [number, number])[] }
  /** A cosine between min and max, at max at `phaseMs` (default 0), like `diurnal`. */
  | { sinusoid: { periodMs: number; min: number; max: number; phaseMs?: number } };

export function createLoadProfile(spec: LoadProfileSpec): LoadProfile {
  if ('points' in spec) return piecewiseLinear(spec.points);
  const { periodMs, min, max } = spec.sinusoid;
  const phase = spec.sinusoid.phaseMs ?? 0;
  if (!(Number.isFinite(periodMs) && periodMs > 0)) {
    throw new RangeError(`sinusoid.periodMs must be greater than 0, got ${periodMs}`);
  }
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw new RangeError(`sinusoid needs finite min <= max, got min ${min}, max ${max}`);
  }
  return {
    valueAt: (ms) =>
      min + ((max - min) * (1 + Math.cos((2 * Math.PI * (ms - phase)) / periodMs))) / 2,
  };
}

/** O(log n) per lookup by binary search over the breakpoints. */
function piecewiseLinear(points: readonly (readonly [number, number])[]): LoadProfile {
  if (points.length === 0) throw new RangeError('points must not be empty');
  points.forEach(([t, f], i) => {
    if (!Number.isFinite(t) || !Number.isFinite(f)) {
      throw new RangeError(`points[${i}] must be two finite numbers, got [${t}, ${f}]`);
    }
    if (i > 0 && t <= points[i - 1][0]) {
      throw new RangeError(
        `points[${i}] time ${t} must be after points[${i - 1}] time ${points[i - 1][0]}`,
      );
    }
  });
  const ts = points.map(([t]) => t);
  const fs = points.map(([, f]) => f);
  return {
    valueAt(ms) {
      if (ms <= ts[0]) return fs[0];
      const last = ts.length - 1;
      if (ms >= ts[last]) return fs[last];
      let lo = 0;
      let hi = last;
      // Invariant: ts[lo] < ms < ts[hi].
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (ts[mid] <= ms) lo = mid;
        else hi = mid;
      }
      if (ts[lo] === ms) return fs[lo];
      return fs[lo] + ((fs[hi] - fs[lo]) * (ms - ts[lo])) / (ts[hi] - ts[lo]);
    },
  };
}
