/**
 * From the summaries of every (policy, seed) run to the comparison: per metric and policy the
 * mean with its 95% confidence interval, and the paired difference to the baseline (the first
 * policy) over the same seeds. Pure: the same summaries give the same rows, in the same order,
 * whatever order the runs finished in.
 */
import { compareMetricNames, metricInfo } from '../report/metric-catalogue.js';
import type { ComparisonData, ComparisonRow } from '../report/comparison-report.js';
import { toCsv } from '../metrics/write.js';
import { pairedDifference, summarize } from './stats.js';

/** Metrics drawn as bar charts on comparison.html and printed by `ksim compare`, when present. */
export const COMPARISON_KEY_METRICS: readonly string[] = [
  'schedulingLatencyP50',
  'schedulingLatencyP99',
  'pendingTimeMean',
  'pendingTimeP99',
  'cpuUtilisationOfUsedNodesMean',
  'memoryUtilisationOfUsedNodesMean',
  'nodesUsedMean',
  'unschedulable',
  'preemptions',
  'evictions',
  'availabilityMean',
  'serviceAvailabilityMean',
  'timeToRecoverMean',
  'unrecoveredFailures',
];

export interface ComparisonTableRow extends ComparisonRow {
  diffSd?: number | null;
}

/** comparison.json: the page's data plus every run's value, so nothing needs re-running. */
export interface ComparisonResult extends ComparisonData {
  rows: ComparisonTableRow[];
  /** values[metric][policy][i] is the metric of the run with seeds[i]. */
  values: Record<string, Record<string, Array<number | null>>>;
}

const RECOVER_KEYS = ['recover_s', 'recoverS', 'recoverSeconds', 'timeToRecover'];

function numbers(values: unknown[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

function meanOf(xs: number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * The scalar metrics of one run's summary.json `metrics`: every number (or null) as is, plus
 * figures derived from object-valued metrics — `availabilityMean` (the mean over workloads of
 * `availability`), `serviceAvailabilityMean` (the mean over Services of `serviceAvailability[].available`),
 * and from the node failures listed in `recovery`: `unrecoveredFailures` (failures whose workloads
 * had not recovered by the end; null when the run had no failure) and `timeToRecoverMean`/`Max`.
 *
 * Time to recover is right-censored: a failure that never recovered counts as recovering at the
 * run's end (`endS`, summary.json simulatedSeconds), so its time — and a mean including it — is a
 * lower bound. Dropping it instead would make a policy that never recovers look fast. When the
 * end is unknown (endS null) a run with an unrecovered failure has no time to recover (null).
 * Other objects (e.g. `outcomes`) are skipped.
 */
export function comparableMetrics(
  metrics: Record<string, unknown>,
  endS: number | null = null,
): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [name, v] of Object.entries(metrics)) {
    if (v === null || (typeof v === 'number' && Number.isFinite(v))) out.set(name, v);
  }
  const availability = metrics.availability;
  if (
    !out.has('availabilityMean') &&
    availability &&
    typeof availability === 'object' &&
    !Array.isArray(availability)
  ) {
    const keys = Object.keys(availability).sort();
    const xs = numbers(keys.map((k) => (availability as Record<string, unknown>)[k]));
    out.set('availabilityMean', meanOf(xs));
  }
  const recovery = metrics.recovery;
  if (!out.has('timeToRecoverMean') && Array.isArray(recovery)) {
    const times = recovery.map((row) => recoveryTime((row ?? {}) as Record<string, unknown>, endS));
    const unrecovered = times.filter((t) => t.censored).length;
    const xs = numbers(times.map((t) => t.seconds));
    const unknown = times.some((t) => t.seconds === null);
    out.set('timeToRecoverMean', unknown ? null : meanOf(xs));
    out.set('timeToRecoverMax', unknown || xs.length === 0 ? null : Math.max(...xs));
    if (!out.has('unrecoveredFailures'))
      out.set('unrecoveredFailures', recovery.length === 0 ? null : unrecovered);
  }
  const services = metrics.serviceAvailability;
  if (!out.has('serviceAvailabilityMean') && Array.isArray(services)) {
    const xs = numbers(services.map((row) => ((row ?? {}) as Record<string, unknown>).available));
    out.set('serviceAvailabilityMean', meanOf(xs));
  }
  return out;
}

/**
 * One `recovery` row's time to recover (s after the failure): as recorded, or — never recovered —
 * censored at the run's end. `seconds` is undefined for a row without a recovery column (skipped)
 * and null when it did not recover and the end is unknown.
 */
function recoveryTime(
  r: Record<string, unknown>,
  endS: number | null,
): { seconds: number | null | undefined; censored: boolean } {
  const key = RECOVER_KEYS.find((k) => k in r);
  if (key === undefined) return { seconds: undefined, censored: false };
  const v = r[key];
  if (typeof v === 'number' && Number.isFinite(v)) return { seconds: v, censored: false };
  if (v !== null) return { seconds: undefined, censored: false };
  const at = r.at_s ?? r.atSeconds;
  const censoredAt = endS !== null && typeof at === 'number' ? Math.max(0, endS - at) : null;
  return { seconds: censoredAt, censored: true };
}

/** Ten significant digits: keeps CSV cells free of float noise like 0.30000000000000004. */
function tidy(v: number | null): number | null {
  return v === null ? null : Number(v.toPrecision(10));
}

export interface ComparisonInput {
  scenario: string;
  seeds: number[];
  /** Policy names; the first is the baseline. */
  policies: string[];
  /** metrics[p][s]: summary.json `metrics` of policy p with seeds[s]. */
  metrics: Array<Array<Record<string, unknown>>>;
  /** dirs[p][s]: the run directory relative to the comparison directory. */
  dirs: string[][];
  /** endSeconds[p][s]: the run's simulatedSeconds, where unrecovered failures are censored. */
  endSeconds?: number[][];
}

export function buildComparison(input: ComparisonInput): ComparisonResult {
  const { policies, seeds } = input;
  const baseline = policies[0]!;
  const perRun = input.metrics.map((runs, p) =>
    runs.map((m, s) => comparableMetrics(m, input.endSeconds?.[p]?.[s] ?? null)),
  );
  const names = new Set<string>();
  for (const runs of perRun) for (const m of runs) for (const name of m.keys()) names.add(name);
  // A metric undefined in every run (no failures, so no time to recover) says nothing.
  const defined = (name: string) => perRun.some((runs) => runs.some((m) => m.get(name) != null));
  const metricNames = [...names].filter(defined).sort(compareMetricNames);

  const values: ComparisonResult['values'] = {};
  const rows: ComparisonTableRow[] = [];
  for (const metric of metricNames) {
    const { label, unit } = metricInfo(metric);
    const byPolicy: Record<string, Array<number | null>> = {};
    policies.forEach((policy, p) => {
      byPolicy[policy] = perRun[p]!.map((m) => m.get(metric) ?? null);
    });
    values[metric] = byPolicy;
    for (const policy of policies) {
      const s = summarize(byPolicy[policy]!);
      const row: ComparisonTableRow = {
        metric,
        label,
        unit,
        policy,
        n: s.n,
        mean: tidy(s.mean),
        sd: tidy(s.sd),
        ciLow: tidy(s.ciLow),
        ciHigh: tidy(s.ciHigh),
      };
      if (policy !== baseline) {
        const d = pairedDifference(byPolicy[baseline]!, byPolicy[policy]!);
        row.diffN = d.n;
        row.diffMean = tidy(d.mean);
        row.diffSd = tidy(d.sd);
        row.diffCiLow = tidy(d.ciLow);
        row.diffCiHigh = tidy(d.ciHigh);
        row.excludesZero = d.excludesZero;
      }
      rows.push(row);
    }
  }
  const runs = policies.flatMap((policy, p) =>
    seeds.map((seed, s) => ({ policy, seed, dir: input.dirs[p]![s]! })),
  );
  return {
    scenario: input.scenario,
    seeds,
    policies,
    baseline,
    rows,
    runs,
    keyMetrics: COMPARISON_KEY_METRICS.filter((m) => metricNames.includes(m)),
    values,
  };
}

export const COMPARISON_COLUMNS = [
  'metric',
  'label',
  'unit',
  'policy',
  'n',
  'mean',
  'sd',
  'ci_low',
  'ci_high',
  'diff_n',
  'diff_mean',
  'diff_sd',
  'diff_ci_low',
  'diff_ci_high',
  'diff_excludes_zero',
] as const;

/**
 * comparison.csv: one row per metric × policy; empty cells where a value is undefined. `diff_n`
 * is the number of seeds where both the policy and the baseline have a value (the pairs the
 * difference is computed from). Intervals are Student-t and reported as computed: for a metric
 * that cannot be negative, ci_low may be below 0 with few or skewed values (comparison.html
 * marks those).
 */
export function comparisonCsv(rows: readonly ComparisonTableRow[]): string {
  const cell = (v: number | null | undefined): string | number => (v == null ? '' : v);
  return toCsv(
    COMPARISON_COLUMNS,
    rows.map((r) => [
      r.metric,
      r.label,
      r.unit,
      r.policy,
      r.n,
      cell(r.mean),
      cell(r.sd),
      cell(r.ciLow),
      cell(r.ciHigh),
      cell(r.diffN),
      cell(r.diffMean),
      cell(r.diffSd),
      cell(r.diffCiLow),
      cell(r.diffCiHigh),
      r.excludesZero === undefined ? '' : String(r.excludesZero),
    ]),
  );
}
