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
 * `availability`), `serviceAvailabilityMean` (the mean over Services of `serviceAvailability[].available`)
 * and `timeToRecoverMean`/`Max` (over the failures listed in `recovery`; a failure whose workloads
 * never recovered has no time and is left out). Other objects (e.g. `outcomes`) are skipped.
 */
export function comparableMetrics(metrics: Record<string, unknown>): Map<string, number | null> {
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
    const xs = numbers(
      recovery.map((row) => {
        const r = (row ?? {}) as Record<string, unknown>;
        const key = RECOVER_KEYS.find((k) => k in r);
        return key === undefined ? undefined : r[key];
      }),
    );
    out.set('timeToRecoverMean', meanOf(xs));
    out.set('timeToRecoverMax', xs.length === 0 ? null : Math.max(...xs));
  }
  const services = metrics.serviceAvailability;
  if (!out.has('serviceAvailabilityMean') && Array.isArray(services)) {
    const xs = numbers(services.map((row) => ((row ?? {}) as Record<string, unknown>).available));
    out.set('serviceAvailabilityMean', meanOf(xs));
  }
  return out;
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
}

export function buildComparison(input: ComparisonInput): ComparisonResult {
  const { policies, seeds } = input;
  const baseline = policies[0]!;
  const perRun = input.metrics.map((runs) => runs.map(comparableMetrics));
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
  'policy',
  'n',
  'mean',
  'sd',
  'ci_low',
  'ci_high',
  'diff_mean',
  'diff_sd',
  'diff_ci_low',
  'diff_ci_high',
  'diff_excludes_zero',
] as const;

/** comparison.csv: one row per metric × policy; empty cells where a value is undefined. */
export function comparisonCsv(rows: readonly ComparisonTableRow[]): string {
  const cell = (v: number | null | undefined): string | number => (v == null ? '' : v);
  return toCsv(
    COMPARISON_COLUMNS,
    rows.map((r) => [
      r.metric,
      r.policy,
      r.n,
      cell(r.mean),
      cell(r.sd),
      cell(r.ciLow),
      cell(r.ciHigh),
      cell(r.diffMean),
      cell(r.diffSd),
      cell(r.diffCiLow),
      cell(r.diffCiHigh),
      r.excludesZero === undefined ? '' : String(r.excludesZero),
    ]),
  );
}
