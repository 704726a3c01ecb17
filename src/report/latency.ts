/** Scheduling latency distribution (scheduled − created, per pod) as a histogram and a CDF. */

export interface LatencyDistribution {
  n: number;
  /** Bin i covers [i·binSeconds, (i+1)·binSeconds). */
  binSeconds: number;
  counts: number[];
  /** Points of the empirical CDF: latency x (s) → fraction of pods scheduled within x. */
  cdf: { x: number; y: number }[];
}

const TARGET_BINS = 30;
const MAX_CDF_POINTS = 1000;

/** The smallest 1, 2 or 5 × 10^k that is ≥ raw, so bin edges read well. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    // The tolerance keeps 0.3 / 0.1 style float error from skipping a step.
    if (m * power >= raw * (1 - 1e-9)) return m * power;
  }
  return 10 * power;
}

export function latencyDistribution(latencies: readonly number[]): LatencyDistribution | null {
  if (latencies.length === 0) return null;
  const sorted = [...latencies].sort((a, b) => a - b);
  const n = sorted.length;
  const max = sorted[n - 1]!;
  // Millisecond-precision data: never bin finer than 1 ms.
  const binSeconds = Math.max(0.001, niceStep(max / TARGET_BINS));
  const counts = new Array<number>(Math.floor(max / binSeconds + 1e-9) + 1).fill(0);
  for (const x of sorted)
    counts[Math.min(counts.length - 1, Math.floor(x / binSeconds + 1e-9))]! += 1;
  // Evenly spaced ranks, always including the last (y = 1).
  const step = Math.max(1, Math.ceil(n / MAX_CDF_POINTS));
  const cdf: { x: number; y: number }[] = [];
  for (let i = step - 1; i < n; i += step) cdf.push({ x: sorted[i]!, y: (i + 1) / n });
  if (cdf[cdf.length - 1]!.y !== 1) cdf.push({ x: max, y: 1 });
  return { n, binSeconds, counts, cdf };
}
