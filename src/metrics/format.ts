/** Shared formatting for output files: seconds with millisecond precision, stable numbers. */

/** 12345 ms → "12.345"; undefined → "" (a time that never happened). */
export function seconds(ms: number | undefined): string {
  if (ms === undefined) return '';
  return (ms / 1000).toFixed(3);
}

/** Rounds a ratio or average for summaries so outputs do not carry float noise. */
export function round(v: number, digits = 6): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Nearest-rank percentile of a sorted array (p in [0, 100]); undefined when empty. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Largest value (a loop: spreading a long array into Math.max overflows the stack). */
export function max(values: readonly number[]): number | undefined {
  let m: number | undefined;
  for (const v of values) if (m === undefined || v > m) m = v;
  return m;
}
