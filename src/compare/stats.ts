/**
 * Summaries for comparing scheduler profiles over repeated seeds: a mean with a 95% Student-t
 * confidence interval, and the same for paired differences (run i of both profiles used seed i,
 * so differencing removes the seed's own variance — a much tighter interval than comparing two
 * independent means).
 *
 * A null value means the metric is undefined for that run (for example a latency percentile when
 * no pod was scheduled); it is skipped, and a pair with a null on either side is dropped.
 *
 * Mean and sd are computed on the values shifted by the first one (x − x₀), then shifted back:
 * the same numbers mathematically, but the deviations are then exact for values that are all
 * equal, so ten runs of 0.416667 give sd 0 and mean 0.416667 rather than 6.8e-17 and an ulp off
 * (the "shifted data" algorithm; it also limits cancellation when values are large and close).
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export interface Summary {
  /** Values that entered the summary (nulls excluded). */
  n: number;
  /** null only when n = 0. */
  mean: number | null;
  /** Sample standard deviation (n − 1 denominator); null when n < 2. */
  sd: number | null;
  /** 95% confidence interval of the mean; null when n < 2 (no spread to estimate). */
  ciLow: number | null;
  ciHigh: number | null;
}

export interface PairedDifference extends Summary {
  /** True when the 95% interval of (other − baseline) lies entirely above or below zero. */
  excludesZero: boolean;
}

const CONFIDENCE = 0.95;

export function summarize(values: readonly (number | null)[]): Summary {
  const xs = values.filter((v): v is number => v !== null);
  for (const x of xs) {
    if (!Number.isFinite(x)) throw new Error(`summarize: value ${x} is not a finite number`);
  }
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null, ciLow: null, ciHigh: null };
  const origin = xs[0]!;
  const shifted = xs.map((x) => x - origin);
  const m = origin + mean(shifted);
  if (n === 1) return { n, mean: m, sd: null, ciLow: null, ciHigh: null };
  const sd = sampleStandardDeviation(shifted);
  const half = tQuantile(1 - (1 - CONFIDENCE) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean: m, sd, ciLow: m - half, ciHigh: m + half };
}

/** Summary of other[i] − baseline[i]; index i is the seed, so both arrays must be seed-aligned. */
export function pairedDifference(
  baseline: readonly (number | null)[],
  other: readonly (number | null)[],
): PairedDifference {
  if (baseline.length !== other.length) {
    throw new Error(
      `pairedDifference: baseline has ${baseline.length} runs but other has ${other.length}; pairs are matched by seed`,
    );
  }
  const diffs: number[] = [];
  for (let i = 0; i < baseline.length; i++) {
    const b = baseline[i];
    const o = other[i];
    if (b !== null && o !== null) diffs.push(o - b);
  }
  const s = summarize(diffs);
  const excludesZero = s.ciLow !== null && s.ciHigh !== null && (s.ciLow > 0 || s.ciHigh < 0);
  return { ...s, excludesZero };
}
