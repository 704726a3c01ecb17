/**
 * Reads a run directory (summary.json and the CSVs written by `ksim run`) into the shapes the run
 * report draws. Everything except summary.json is optional: a missing file gives an empty section.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { numberCell, readCsv, type CsvTable } from './csv.js';
import { computeHeatmap, type Heatmap } from './heatmap.js';
import { latencyDistribution, type LatencyDistribution } from './latency.js';
import { thinningBuckets, thinTimes, thinValues } from './thinning.js';

export interface RunSummary {
  scenario: string;
  seed: number;
  profile: string;
  ksimVersion: string;
  simulatedSeconds: number;
  events: number;
  wallSeconds: number;
  metrics: Record<string, unknown>;
}

/** CPU in cores and memory in GiB, for the cluster or one zone or pool. */
export interface ResourceView {
  label: string;
  cpuRequested: (number | null)[];
  cpuAllocatable: (number | null)[];
  memoryRequested: (number | null)[];
  memoryAllocatable: (number | null)[];
}

/** What a marker stands for: a scripted action, a failure beginning, or a recovery. */
export type MarkerKind = 'action' | 'failure' | 'recovery';

export interface TimelineMarker {
  timeS: number;
  kind: MarkerKind;
  /** Short label drawn beside the marker line (an action, a fault kind, NodeReady). */
  reason: string;
  message: string;
}

export interface RunData {
  summary: RunSummary;
  endS: number;
  /** Sample times (s); the series below are aligned with it. */
  times: number[];
  /** Rows in timeseries.csv before thinning to at most MAX_SERIES_POINTS (see thinning.ts). */
  timeseriesRows: number;
  resourceViews: ResourceView[];
  pods: Record<'pending' | 'running' | 'succeeded' | 'failed', (number | null)[]>;
  nodes: { ready: (number | null)[]; total: (number | null)[] };
  workloads: { name: string; ready: (number | null)[]; desired: (number | null)[] }[];
  markers: TimelineMarker[];
  eventReasons: { kind: string; reason: string; count: number }[];
  latency: LatencyDistribution | null;
  /** Pods in pods.csv that were never scheduled (left out of the latency distribution). */
  neverScheduled: number;
  heatmap: Heatmap | null;
}

export const MAX_SERIES_POINTS = 2000;
const GIB = 1024 ** 3;

export function readRunSummary(runDir: string): RunSummary {
  const file = join(runDir, 'summary.json');
  if (!existsSync(file))
    throw new Error(`${runDir} is not a run directory: summary.json is missing`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunSummary>;
  return {
    scenario: String(raw.scenario ?? ''),
    seed: Number(raw.seed ?? 0),
    profile: String(raw.profile ?? ''),
    ksimVersion: String(raw.ksimVersion ?? ''),
    simulatedSeconds: Number(raw.simulatedSeconds ?? 0),
    events: Number(raw.events ?? 0),
    wallSeconds: Number(raw.wallSeconds ?? 0),
    metrics: raw.metrics && typeof raw.metrics === 'object' ? raw.metrics : {},
  };
}

/** `summary` when the run's summary.json is not written yet (it is written last). */
export function loadRunData(runDir: string, summary = readRunSummary(runDir)): RunData {
  const timeseries = readCsv(join(runDir, 'timeseries.csv'));
  const podsCsv = readCsv(join(runDir, 'pods.csv'));
  const nodesCsv = readCsv(join(runDir, 'nodes.csv'));
  const eventsCsv = readCsv(join(runDir, 'events.csv'));

  const allRows = timeseries?.rows ?? [];
  // Each bucket keeps its minimum and maximum, so a one-sample outage still shows.
  const buckets = thinningBuckets(allRows.length, MAX_SERIES_POINTS);
  const raw = (name: string) =>
    allRows.map((r) => (timeseries ? numberCell(timeseries, r, name) : null));
  const column = (name: string) => thinValues(raw(name), buckets);
  const times = thinTimes(
    raw('time_s').map((t) => t ?? 0),
    buckets,
  );
  const lastTime = times.length > 0 ? times[times.length - 1]! : 0;
  const endS = summary.simulatedSeconds > 0 ? summary.simulatedSeconds : lastTime;

  return {
    summary,
    endS,
    times,
    timeseriesRows: allRows.length,
    resourceViews: resourceViews(timeseries?.columns ?? [], column),
    pods: {
      pending: column('pods_pending'),
      running: column('pods_running'),
      succeeded: column('pods_succeeded'),
      failed: column('pods_failed'),
    },
    nodes: { ready: column('nodes_ready'), total: column('nodes_total') },
    workloads: workloadSeries(timeseries?.columns ?? [], column),
    markers: timelineMarkers(eventsCsv, summary.metrics.recovery),
    eventReasons: eventReasonCounts(eventsCsv),
    latency: latencyDistribution(schedulingLatencies(podsCsv)),
    neverScheduled: (podsCsv?.rows ?? []).filter((r) => !r.scheduled_s && !r.node).length,
    heatmap: heatmapFrom(nodesCsv, podsCsv, endS),
  };
}

type Column = (name: string) => (number | null)[];

function scaled(values: (number | null)[], divisor: number): (number | null)[] {
  return values.map((v) => (v === null ? null : v / divisor));
}

function resourceViews(columns: string[], column: Column): ResourceView[] {
  const view = (label: string, prefix: string): ResourceView => ({
    label,
    cpuRequested: scaled(column(`${prefix}cpu_requested_m`), 1000),
    cpuAllocatable: scaled(column(`${prefix}cpu_allocatable_m`), 1000),
    memoryRequested: scaled(column(`${prefix}memory_requested_bytes`), GIB),
    memoryAllocatable: scaled(column(`${prefix}memory_allocatable_bytes`), GIB),
  });
  const views = [view('Cluster', '')];
  for (const group of ['zone', 'pool']) {
    for (const name of groupNames(columns, group))
      views.push(view(`${group} ${name}`, `${group}:${name}:`));
  }
  return views;
}

/** Distinct <name> in columns `<group>:<name>:<metric>`, in column order. The name may itself
 * contain ':' (the metric never does), so split at the last colon. */
function groupNames(columns: string[], group: string): string[] {
  const names = new Set<string>();
  for (const c of columns) {
    if (!c.startsWith(`${group}:`)) continue;
    const rest = c.slice(group.length + 1);
    const cut = rest.lastIndexOf(':');
    if (cut > 0) names.add(rest.slice(0, cut));
  }
  return [...names];
}

function workloadSeries(columns: string[], column: Column): RunData['workloads'] {
  return groupNames(columns, 'workload').map((name) => ({
    name,
    ready: column(`workload:${name}:ready`),
    desired: column(`workload:${name}:desired`),
  }));
}

/**
 * Timeline markers for every scripted action and every failure and recovery the run recorded:
 * - events.csv `Simulation` rows: timeline actions, control-plane failures (`*-down`) and their
 *   recoveries (`*-up`);
 * - summary.json `metrics.recovery` rows: every node failure, scripted or stochastic, at its
 *   `at_s` (a scripted one already has its Simulation row at that instant and is not repeated);
 * - events.csv `NodeReady` rows: nodes back after a failure (or after lease writes resumed), one
 *   marker per instant listing the nodes.
 * A node failure that ended before node lifecycle marked it NotReady leaves no NodeReady: its
 * marker says that its recovery is not recorded. Sorted by time, ties in the order above.
 */
export function timelineMarkers(events: CsvTable | null, recovery: unknown): TimelineMarker[] {
  const out: TimelineMarker[] = [];
  const rows = events?.rows ?? [];
  const time = (r: Record<string, string>) => numberCell(events!, r, 'time_s') ?? 0;
  const scripted = new Set<string>();
  for (const r of rows) {
    if (r.kind !== 'Simulation') continue;
    const reason = r.reason ?? '';
    const kind: MarkerKind = /-up$/.test(reason)
      ? 'recovery'
      : /^fail-|-down$/.test(reason)
        ? 'failure'
        : 'action';
    out.push({ timeS: time(r), kind, reason, message: r.message ?? '' });
    scripted.add(`${time(r)} ${reason}`);
  }
  for (const row of Array.isArray(recovery) ? recovery : []) {
    const f = (row ?? {}) as Record<string, unknown>;
    if (typeof f.at_s !== 'number' || typeof f.failure !== 'string') continue;
    const reason = f.failure.split(' ')[0]!;
    if (scripted.has(`${f.at_s} ${reason}`)) continue;
    const nodes = typeof f.nodes === 'number' && f.nodes !== 1 ? ` (${f.nodes} nodes)` : '';
    const undetected =
      'detect_s' in f && f.detect_s === null
        ? '; never marked NotReady, so its recovery is not in events.csv'
        : '';
    out.push({ timeS: f.at_s, kind: 'failure', reason, message: f.failure + nodes + undetected });
  }
  const ready = new Map<number, string[]>();
  for (const r of rows) {
    if (r.reason !== 'NodeReady') continue;
    const t = time(r);
    if (!ready.has(t)) ready.set(t, []);
    ready.get(t)!.push(r.object ?? '');
  }
  for (const [t, nodes] of ready) {
    const shown = nodes.length > 5 ? `${nodes.slice(0, 5).join(', ')}, …` : nodes.join(', ');
    const message =
      nodes.length === 1 ? `${shown} Ready again` : `${nodes.length} nodes Ready again: ${shown}`;
    out.push({ timeS: t, kind: 'recovery', reason: 'NodeReady', message });
  }
  // Stable: equal times keep the order above.
  return out
    .map((m, i) => ({ m, i }))
    .sort((a, b) => a.m.timeS - b.m.timeS || a.i - b.i)
    .map((x) => x.m);
}

function eventReasonCounts(events: CsvTable | null): RunData['eventReasons'] {
  const counts = new Map<string, { kind: string; reason: string; count: number }>();
  for (const r of events?.rows ?? []) {
    const key = `${r.kind}\u0000${r.reason}`;
    const entry = counts.get(key) ?? { kind: r.kind ?? '', reason: r.reason ?? '', count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort(
    (a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0),
  );
}

function schedulingLatencies(pods: CsvTable | null): number[] {
  const out: number[] = [];
  for (const r of pods?.rows ?? []) {
    const created = numberCell(pods!, r, 'created_s');
    const scheduled = numberCell(pods!, r, 'scheduled_s');
    if (created !== null && scheduled !== null) out.push(Math.max(0, scheduled - created));
  }
  return out;
}

/** Requests and allocatable per resource from a CSV row: cpu, memory and `<prefix><name>` columns. */
function resourceCells(
  table: CsvTable,
  row: Record<string, string>,
  cpu: string,
  memory: string,
  prefix: string,
): Record<string, number> {
  const out: Record<string, number> = {
    cpu: numberCell(table, row, cpu) ?? 0,
    memory: numberCell(table, row, memory) ?? 0,
  };
  for (const c of table.columns)
    if (c.startsWith(prefix)) out[c.slice(prefix.length)] = numberCell(table, row, c) ?? 0;
  return out;
}

function heatmapFrom(nodes: CsvTable | null, pods: CsvTable | null, endS: number): Heatmap | null {
  if (!nodes) return null;
  const nodeRows = nodes.rows.map((r) => ({
    node: r.node ?? '',
    pool: r.pool ?? '',
    allocatable: resourceCells(
      nodes,
      r,
      'cpu_allocatable_m',
      'memory_allocatable_bytes',
      'allocatable:',
    ),
    createdS: numberCell(nodes, r, 'created_s'),
    removedS: numberCell(nodes, r, 'removed_s'),
  }));
  const podRows = [];
  for (const r of pods?.rows ?? []) {
    const fromS = numberCell(pods!, r, 'scheduled_s') ?? numberCell(pods!, r, 'started_s');
    if (!r.node || fromS === null) continue;
    podRows.push({
      node: r.node,
      fromS,
      toS: numberCell(pods!, r, 'finished_s'),
      requests: resourceCells(pods!, r, 'cpu_request_m', 'memory_request_bytes', 'request:'),
    });
  }
  return computeHeatmap(nodeRows, podRows, endS);
}
