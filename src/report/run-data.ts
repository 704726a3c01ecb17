/**
 * Reads a run directory (summary.json and the CSVs written by `ksim run`) into the shapes the run
 * report draws. Everything except summary.json is optional: a missing file gives an empty section.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { numberCell, readCsv, type CsvTable } from './csv.js';
import { computeHeatmap, sampleIndexes, type Heatmap } from './heatmap.js';
import { latencyDistribution, type LatencyDistribution } from './latency.js';

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

export interface TimelineMarker {
  timeS: number;
  reason: string;
  message: string;
}

export interface RunData {
  summary: RunSummary;
  endS: number;
  /** Sample times (s); the series below are aligned with it. */
  times: number[];
  /** Rows in timeseries.csv before thinning to at most MAX_SERIES_POINTS. */
  timeseriesRows: number;
  resourceViews: ResourceView[];
  pods: Record<'pending' | 'running' | 'succeeded' | 'failed', (number | null)[]>;
  nodes: { ready: (number | null)[]; total: (number | null)[] };
  workloads: { name: string; ready: (number | null)[]; desired: (number | null)[] }[];
  markers: TimelineMarker[];
  eventReasons: { kind: string; reason: string; count: number }[];
  latency: LatencyDistribution | null;
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
  const rows = sampleIndexes(allRows.length, MAX_SERIES_POINTS).map((i) => allRows[i]!);
  // Keep the final sample so the charts end where the run ended.
  if (allRows.length > MAX_SERIES_POINTS) rows[rows.length - 1] = allRows[allRows.length - 1]!;
  const column = (name: string) =>
    rows.map((r) => (timeseries ? numberCell(timeseries, r, name) : null));
  const times = column('time_s').map((t) => t ?? 0);
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
    markers: simulationMarkers(eventsCsv),
    eventReasons: eventReasonCounts(eventsCsv),
    latency: latencyDistribution(schedulingLatencies(podsCsv)),
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

function simulationMarkers(events: CsvTable | null): TimelineMarker[] {
  if (!events) return [];
  return events.rows
    .filter((r) => r.kind === 'Simulation')
    .map((r) => ({
      timeS: numberCell(events, r, 'time_s') ?? 0,
      reason: r.reason ?? '',
      message: r.message ?? '',
    }));
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

function heatmapFrom(nodes: CsvTable | null, pods: CsvTable | null, endS: number): Heatmap | null {
  if (!nodes) return null;
  const nodeRows = nodes.rows.map((r) => ({
    node: r.node ?? '',
    cpuAllocatableMilli: numberCell(nodes, r, 'cpu_allocatable_m') ?? 0,
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
      cpuRequestMilli: numberCell(pods!, r, 'cpu_request_m') ?? 0,
    });
  }
  return computeHeatmap(nodeRows, podRows, endS);
}
