/**
 * What one machine can hold: sizes beyond these are refused when the scenario is loaded, with
 * the quantity checked in the message, rather than by running out of memory hours later.
 */
export const LIMITS = {
  nodes: 100_000,
  /**
   * A pod costs about 1.6 KB with its events (measured: 497,107 pods of a short-lived workload,
   * 791 MB of heap), so 2,000,000 run within Node's default 4 GB heap; 5,000,000 did not.
   */
  pods: 2_000_000,
  durationMs: 366 * 24 * 3600_000,
  samples: 1_000_000,
  /** timeseries.csv values (samples × columns) held until the run ends: about 24 bytes each. */
  timeseriesValues: 40_000_000,
};

/** timeseries.csv's fixed columns (metrics/collector.ts TIMESERIES_BASE_COLUMNS; a test pins them). */
export const TIMESERIES_BASE_COLUMN_COUNT = 13;

/**
 * Longer than any run: a sampled duration capped here (an extreme draw of a heavy tail) never
 * ends within the run — "runs forever", "never fails", "never recovers".
 */
export const FOREVER_MS = LIMITS.durationMs + 1;
