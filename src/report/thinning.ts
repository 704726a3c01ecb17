/**
 * Thinning a long time series for a chart without hiding short events. Rows are cut into at most
 * limit / 2 contiguous buckets of (nearly) equal size, and each bucket becomes two points: at the
 * time of its first row and at the time of its last, carrying the bucket's minimum and maximum in
 * the order they occurred. So a dip (or a spike) one sample long still reaches its depth in the
 * chart — evenly spaced samples would step over it — and the first and last sample are kept.
 * O(rows) per series.
 */

/**
 * [start, end) row ranges of the buckets: one per row when rows ≤ limit, else limit / 2 buckets of
 * at least two rows each (so the thinned series has at most `limit` points).
 */
export function thinningBuckets(rows: number, limit: number): Array<[number, number]> {
  if (rows <= limit) return Array.from({ length: rows }, (_, i): [number, number] => [i, i + 1]);
  const count = Math.max(1, Math.floor(limit / 2));
  return Array.from({ length: count }, (_, b): [number, number] => [
    Math.floor((b * rows) / count),
    Math.floor(((b + 1) * rows) / count),
  ]);
}

/** The times of the thinned points: each bucket's first and last row (one point if unthinned). */
export function thinTimes(times: readonly number[], buckets: Array<[number, number]>): number[] {
  const out: number[] = [];
  for (const [start, end] of buckets) {
    out.push(times[start]!);
    if (end - start > 1) out.push(times[end - 1]!);
  }
  return out;
}

/**
 * A series thinned to match thinTimes: per bucket of several rows, its minimum and maximum in
 * order of occurrence (a flat bucket repeats its value). Nulls are skipped; an all-null bucket
 * gives null twice.
 */
export function thinValues(
  values: readonly (number | null)[],
  buckets: Array<[number, number]>,
): (number | null)[] {
  const out: (number | null)[] = [];
  for (const [start, end] of buckets) {
    if (end - start === 1) {
      out.push(values[start] ?? null);
      continue;
    }
    let min: number | null = null;
    let max: number | null = null;
    let minAt = 0;
    let maxAt = 0;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      if (min === null || v < min) [min, minAt] = [v, i];
      if (max === null || v > max) [max, maxAt] = [v, i];
    }
    if (minAt <= maxAt) out.push(min, max);
    else out.push(max, min);
  }
  return out;
}
