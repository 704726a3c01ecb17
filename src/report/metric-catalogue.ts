/**
 * Labels, units and display order for the metrics ksim writes to summary.json. Metrics not listed
 * here still appear in reports (after the known ones, alphabetically) with a label derived from
 * their name, so adding a metric never requires touching the report.
 */

/** 's' = seconds, 'ratio' = fraction 0–1 shown as a percentage, anything else is appended as is. */
export type MetricUnit = 's' | 'ratio' | 'count' | 'nodes' | string;

/** Units of quantities that cannot be negative (a mean of them, not a difference). */
export const NON_NEGATIVE_UNITS: ReadonlySet<MetricUnit> = new Set([
  's',
  'ratio',
  'count',
  'nodes',
]);

export interface MetricInfo {
  name: string;
  label: string;
  unit: MetricUnit;
  /** How to read it, where the label alone could mislead; shown on the comparison page. */
  note?: string;
}

const CENSORED =
  'Per node failure, until its workloads had their Ready pods back. A failure that never recovered counts until the end of the run, so with unrecovered failures this is a lower bound.';

export const KNOWN_METRICS: readonly MetricInfo[] = [
  { name: 'schedulingLatencyP50', label: 'Scheduling latency P50', unit: 's' },
  { name: 'schedulingLatencyP90', label: 'Scheduling latency P90', unit: 's' },
  { name: 'schedulingLatencyP99', label: 'Scheduling latency P99', unit: 's' },
  { name: 'pendingTimeMean', label: 'Pending time mean', unit: 's' },
  { name: 'pendingTimeP99', label: 'Pending time P99', unit: 's' },
  { name: 'cpuUtilisationMean', label: 'CPU utilisation mean', unit: 'ratio' },
  { name: 'cpuUtilisationMax', label: 'CPU utilisation max', unit: 'ratio' },
  { name: 'memoryUtilisationMean', label: 'Memory utilisation mean', unit: 'ratio' },
  { name: 'memoryUtilisationMax', label: 'Memory utilisation max', unit: 'ratio' },
  {
    name: 'cpuUtilisationOfUsedNodesMean',
    label: 'CPU utilisation of nodes in use mean',
    unit: 'ratio',
  },
  {
    name: 'cpuUtilisationOfUsedNodesMax',
    label: 'CPU utilisation of nodes in use max',
    unit: 'ratio',
  },
  {
    name: 'memoryUtilisationOfUsedNodesMean',
    label: 'Memory utilisation of nodes in use mean',
    unit: 'ratio',
  },
  {
    name: 'memoryUtilisationOfUsedNodesMax',
    label: 'Memory utilisation of nodes in use max',
    unit: 'ratio',
  },
  { name: 'nodesUsedMean', label: 'Nodes used mean', unit: 'nodes' },
  { name: 'nodesUsedMax', label: 'Nodes used max', unit: 'nodes' },
  { name: 'podsCreated', label: 'Pods created', unit: 'count' },
  { name: 'podsScheduled', label: 'Pods scheduled', unit: 'count' },
  { name: 'unschedulable', label: 'Unschedulable pods', unit: 'count' },
  { name: 'preemptions', label: 'Preemptions', unit: 'count' },
  { name: 'evictions', label: 'Evictions', unit: 'count' },
  { name: 'availabilityMean', label: 'Availability (mean over workloads)', unit: 'ratio' },
  {
    name: 'serviceAvailabilityMean',
    label: 'Service availability (mean over Services)',
    unit: 'ratio',
  },
  {
    name: 'timeToRecoverMean',
    label: 'Time to recover mean',
    unit: 's',
    note: CENSORED,
  },
  { name: 'timeToRecoverMax', label: 'Time to recover max', unit: 's', note: CENSORED },
  {
    name: 'unrecoveredFailures',
    label: 'Unrecovered failures',
    unit: 'count',
    note: 'Node failures whose affected workloads had not regained their Ready pods by the end of the run.',
  },
];

/** Metrics that get a bar chart on the comparison page when present. */
export const KEY_METRICS: readonly string[] = [
  'schedulingLatencyP99',
  'pendingTimeMean',
  'cpuUtilisationMean',
  'nodesUsedMean',
  'unschedulable',
  'preemptions',
  'evictions',
];

const BY_NAME = new Map(KNOWN_METRICS.map((m, i) => [m.name, { info: m, rank: i }]));

export function metricInfo(name: string): MetricInfo {
  const known = BY_NAME.get(name)?.info;
  if (known) return known;
  // camelCase → "Camel case"; a trailing S/Seconds hints at a duration.
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  const unit = /(seconds|latency|time)\b/.test(words) ? 's' : '';
  return { name, label, unit };
}

/** Known metrics in catalogue order, then the rest alphabetically (code-point order, locale-free). */
export function compareMetricNames(a: string, b: string): number {
  const ra = BY_NAME.get(a)?.rank ?? Number.POSITIVE_INFINITY;
  const rb = BY_NAME.get(b)?.rank ?? Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra < rb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Up to `digits` decimals with trailing zeros removed: 0.25 → "0.25", 3 → "3". */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = value.toFixed(digits);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

export function formatMetric(value: number | null | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined) return '—';
  switch (unit) {
    case 's':
      return `${formatNumber(value, 3)} s`;
    case 'ratio':
      return `${formatNumber(value * 100, 1)} %`;
    case 'count':
    case 'nodes':
    case '':
      return formatNumber(value, 3);
    default:
      return `${formatNumber(value, 3)} ${unit}`;
  }
}

/** A difference between two values of `unit`: signed, and ratios in percentage points. */
export function formatDifference(value: number | null | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined) return '—';
  const sign = value > 0 ? '+' : '';
  if (unit === 'ratio') return `${sign}${formatNumber(value * 100, 1)} pp`;
  return sign + formatMetric(value, unit);
}
