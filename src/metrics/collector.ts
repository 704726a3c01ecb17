/**
 * Collects what a run produced: every pod ever created (pods.csv), every event
 * (events.csv), periodic samples of the cluster (timeseries.csv), the node list
 * (nodes.csv), and the headline figures of summary.json.
 *
 * Counters are kept incrementally from watch notifications; a sample reads the node
 * aggregates (O(nodes)), never the pod list.
 */
import type { Engine } from '../engine/engine.js';
import type { ClusterEvent, EventLog } from '../model/events.js';
import { LABEL_ZONE, type PodPhase, type SimNode, type SimPod } from '../model/objects.js';
import type { ClusterStore } from '../model/store.js';
import { max, mean, percentile, round, seconds } from './format.js';

export const TIMESERIES_BASE_COLUMNS = [
  'time_s',
  'nodes_ready',
  'nodes_total',
  'nodes_used',
  'pods_unscheduled',
  'pods_pending',
  'pods_running',
  'pods_succeeded',
  'pods_failed',
  'cpu_requested_m',
  'cpu_allocatable_m',
  'memory_requested_bytes',
  'memory_allocatable_bytes',
] as const;

export const POD_COLUMNS = [
  'pod',
  'owner',
  'node',
  'created_s',
  'scheduled_s',
  'started_s',
  'ready_s',
  'finished_s',
  'attempts',
  'outcome',
  'priority',
  'cpu_request_m',
  'memory_request_bytes',
] as const;

export const EVENT_COLUMNS = ['time_s', 'kind', 'object', 'reason', 'message'] as const;
export const NODE_COLUMNS = [
  'node',
  'pool',
  'zone',
  'cpu_allocatable_m',
  'memory_allocatable_bytes',
  'created_s',
  'removed_s',
] as const;

interface NodeRecord {
  node: SimNode;
  created: number;
  removed?: number;
}

/** A per-sample column computed by a component (e.g. workload ready/desired replicas). */
export interface SeriesProvider {
  columns(): string[];
  values(): Array<number | string>;
}

/** A component's failures and the bindings they cost. */
export interface ThroughputLoss {
  failures: number;
  bindingsLost: number;
}

/** The default window of the pre-failure scheduling rate (`metrics.throughputWindow`). */
export const DEFAULT_THROUGHPUT_WINDOW_MS = 600_000;

export class MetricsCollector {
  readonly pods: SimPod[] = [];
  readonly events: ClusterEvent[] = [];
  readonly samples: Array<Array<number | string>> = [];
  private readonly nodes: NodeRecord[] = [];
  private readonly nodeRecords = new Map<string, NodeRecord>();
  private readonly phase = new Map<SimPod, PodPhase>();
  private readonly counts = { Pending: 0, Running: 0, Succeeded: 0, Failed: 0, Unknown: 0 };
  private zones: string[] = [];
  private pools: string[] = [];
  private readonly providers: SeriesProvider[] = [];
  /** Per sample with at least one node in use: requested ÷ allocatable over those nodes only. */
  private readonly usedNodesCpuU: number[] = [];
  private readonly usedNodesMemU: number[] = [];
  readonly eventCounts = new Map<string, number>();
  /** Summary figures contributed by components (e.g. failure recovery, availability). */
  readonly extra: Record<string, unknown> = {};
  /**
   * Instants of the scheduler's bindings of pods created after time 0, in time order (the
   * cluster's initial placement is a one-off, not a rate).
   */
  private readonly bindings: number[] = [];
  /** Per-component failures and their bindings lost, summed into schedulingThroughputLost. */
  private readonly lossSources: Array<() => ThroughputLoss> = [];

  constructor(
    private readonly engine: Engine,
    private readonly store: ClusterStore,
    events: EventLog,
    private readonly sampleIntervalMs: number,
    private readonly durationMs: number,
    readonly throughputWindowMs = DEFAULT_THROUGHPUT_WINDOW_MS,
  ) {
    events.onEvent((e) => {
      this.events.push(e);
      this.eventCounts.set(e.reason, (this.eventCounts.get(e.reason) ?? 0) + 1);
    });
    store.onPod((e) => {
      const pod = e.pod;
      if (e.type === 'add') {
        this.pods.push(pod);
        this.track(pod);
      } else if (e.type === 'delete') {
        const old = this.phase.get(pod);
        if (old === 'Pending' || old === 'Running' || old === 'Unknown') this.counts[old]--;
        this.phase.delete(pod);
        if (pod.outcome === 'Pending' || pod.outcome === 'Running') pod.outcome = 'Deleted';
        pod.times.finished ??= this.engine.now;
      } else {
        if (e.change === 'bound' && pod.times.created > 0) this.bindings.push(this.engine.now);
        this.track(pod);
      }
    });
    store.onNode((e) => {
      if (e.type === 'add') {
        const rec = { node: e.node, created: this.engine.now };
        this.nodes.push(rec);
        this.nodeRecords.set(e.node.metadata.name, rec);
      } else if (e.type === 'delete') {
        const rec = this.nodeRecords.get(e.node.metadata.name);
        if (rec) rec.removed = this.engine.now;
      }
    });
  }

  addSeries(p: SeriesProvider): void {
    this.providers.push(p);
  }

  /** Bindings (of pods created after time 0) in [from, to). O(log n). */
  bindingsBetween(from: number, to: number): number {
    return lowerBound(this.bindings, to) - lowerBound(this.bindings, from);
  }

  /**
   * Scheduling throughput lost over [from, to): the bindings the pre-failure rate would have
   * made — bindings in the `throughputWindowMs` before `from` (or since the start, if it is
   * shorter) per ms, times the interval — minus those made, never below 0.
   */
  bindingsLost(from: number, to: number): number {
    if (to <= from) return 0;
    const start = Math.max(0, from - this.throughputWindowMs);
    if (from <= start) return 0;
    const rate = this.bindingsBetween(start, from) / (from - start);
    return round(Math.max(0, rate * (to - from) - this.bindingsBetween(from, to)), 3);
  }

  /** A component's failures and their bindings lost (summed into the summary). */
  addThroughputLoss(source: () => ThroughputLoss): void {
    this.lossSources.push(source);
  }

  /** schedulingThroughputLost: every failure's bindings lost; absent in a run without one. */
  private throughputLost(): Record<string, unknown> {
    let failures = 0;
    let lost = 0;
    for (const source of this.lossSources) {
      const l = source();
      failures += l.failures;
      lost += l.bindingsLost;
    }
    if (failures === 0) return {};
    return {
      schedulingThroughputLost: {
        windowSeconds: round(this.throughputWindowMs / 1000, 3),
        failures,
        bindingsLost: round(lost, 3),
      },
    };
  }

  /** Succeeded/Failed are cumulative; Pending/Running are current. */
  private track(pod: SimPod): void {
    const next = pod.status.phase;
    const old = this.phase.get(pod);
    if (old === next) return;
    if (old === 'Pending' || old === 'Running' || old === 'Unknown') this.counts[old]--;
    this.counts[next]++;
    this.phase.set(pod, next);
  }

  /** Fixes the zone/pool column groups (from the nodes present at the start) and starts sampling. */
  start(): void {
    const zones = new Set<string>();
    const pools = new Set<string>();
    for (const info of this.store.nodes()) {
      const z = info.node.metadata.labels[LABEL_ZONE];
      if (z) zones.add(z);
      if (info.node.pool) pools.add(info.node.pool);
    }
    this.zones = [...zones].sort();
    this.pools = [...pools].sort();
    const tick = (): void => {
      this.sample();
      const next = this.engine.now + this.sampleIntervalMs;
      if (next <= this.durationMs) this.engine.scheduleAt(next, tick);
    };
    this.engine.scheduleAt(0, tick);
  }

  timeseriesHeader(): string[] {
    const cols: string[] = [...TIMESERIES_BASE_COLUMNS];
    const group = [
      'cpu_requested_m',
      'cpu_allocatable_m',
      'memory_requested_bytes',
      'memory_allocatable_bytes',
    ];
    for (const z of this.zones) for (const g of group) cols.push(`zone:${z}:${g}`);
    for (const p of this.pools) for (const g of group) cols.push(`pool:${p}:${g}`);
    for (const p of this.providers) cols.push(...p.columns());
    return cols;
  }

  private sample(): void {
    let ready = 0;
    let used = 0;
    let cpuReq = 0;
    let cpuAlloc = 0;
    let memReq = 0;
    let memAlloc = 0;
    let usedCpuAlloc = 0;
    let usedMemAlloc = 0;
    const byZone = new Map<string, number[]>(this.zones.map((z) => [z, [0, 0, 0, 0]]));
    const byPool = new Map<string, number[]>(this.pools.map((p) => [p, [0, 0, 0, 0]]));
    const nodes = this.store.nodes();
    for (const info of nodes) {
      const n = info.node;
      if (n.status.ready === 'True') ready++;
      if (info.pods.length) {
        used++;
        usedCpuAlloc += n.status.allocatable.milliCPU;
        usedMemAlloc += n.status.allocatable.memory;
      }
      const v = [
        info.requested.milliCPU,
        n.status.allocatable.milliCPU,
        info.requested.memory,
        n.status.allocatable.memory,
      ];
      cpuReq += v[0]!;
      cpuAlloc += v[1]!;
      memReq += v[2]!;
      memAlloc += v[3]!;
      const z = byZone.get(n.metadata.labels[LABEL_ZONE] ?? '');
      const p = byPool.get(n.pool);
      for (let i = 0; i < 4; i++) {
        if (z) z[i]! += v[i]!;
        if (p) p[i]! += v[i]!;
      }
    }
    const row: Array<number | string> = [
      seconds(this.engine.now),
      ready,
      nodes.length,
      used,
      this.store.pending().size,
      this.counts.Pending,
      this.counts.Running,
      this.counts.Succeeded,
      this.counts.Failed,
      cpuReq,
      cpuAlloc,
      memReq,
      memAlloc,
    ];
    for (const z of this.zones) row.push(...byZone.get(z)!);
    for (const p of this.pools) row.push(...byPool.get(p)!);
    for (const p of this.providers) row.push(...p.values());
    this.samples.push(row);
    // Empty nodes hold no requests, so the cluster total is also the used nodes' total.
    if (used > 0) {
      this.usedNodesCpuU.push(usedCpuAlloc ? cpuReq / usedCpuAlloc : 0);
      this.usedNodesMemU.push(usedMemAlloc ? memReq / usedMemAlloc : 0);
    }
  }

  /**
   * Extended (scalar) resources some node offers, such as nvidia.com/gpu, in code-point order.
   * Each adds a pods.csv `request:<name>` and a nodes.csv `allocatable:<name>` column after the
   * fixed ones; a run without any keeps exactly POD_COLUMNS and NODE_COLUMNS.
   */
  extendedResources(): string[] {
    const names = new Set<string>();
    for (const r of this.nodes)
      for (const [name, v] of r.node.status.allocatable.scalar) if (v > 0) names.add(name);
    return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  podColumns(): string[] {
    return [...POD_COLUMNS, ...this.extendedResources().map((r) => `request:${r}`)];
  }

  nodeColumns(): string[] {
    return [...NODE_COLUMNS, ...this.extendedResources().map((r) => `allocatable:${r}`)];
  }

  /** Every pods.csv row at once (tests and small runs; the writer streams podRowIterator). */
  podRows(): Array<Array<string | number>> {
    return [...this.podRowIterator()];
  }

  /** pods.csv rows one at a time: a run of millions of pods never holds them all as rows. */
  *podRowIterator(): Generator<Array<string | number>> {
    const extended = this.extendedResources();
    for (const p of this.pods) yield podRow(p, extended);
  }

  /** events.csv rows one at a time, in time order. */
  *eventRowIterator(): Generator<Array<string | number>> {
    // Stable sort by time: components may record an event for an instant already passed
    // (e.g. a binding decided within a ms); file rows must be in time order.
    const events = this.events;
    const order = Uint32Array.from(events, (_, i) => i);
    order.sort((a, b) => events[a]!.time - events[b]!.time || a - b);
    for (const i of order) {
      const e = events[i]!;
      yield [seconds(e.time), e.kind, e.object, e.reason, e.message];
    }
  }

  nodeRows(): Array<Array<string | number>> {
    const extended = this.extendedResources();
    return this.nodes.map((r) => [
      r.node.metadata.name,
      r.node.pool,
      r.node.metadata.labels[LABEL_ZONE] ?? '',
      r.node.status.allocatable.milliCPU,
      r.node.status.allocatable.memory,
      seconds(r.created),
      seconds(r.removed),
      ...extended.map((x) => r.node.status.allocatable.scalar.get(x) ?? 0),
    ]);
  }

  /** Headline figures for summary.json (seconds, fractions; null when not applicable). */
  summaryMetrics(): Record<string, unknown> {
    const latency: number[] = [];
    const pending: number[] = [];
    const end = this.engine.now;
    let scheduled = 0;
    let unschedulable = 0;
    const outcomes: Record<string, number> = {};
    for (const p of this.pods) {
      outcomes[p.outcome] = (outcomes[p.outcome] ?? 0) + 1;
      if (p.times.scheduled !== undefined) {
        scheduled++;
        if (p.attempts > 0) latency.push(p.times.scheduled - p.times.created);
      } else if (p.attempts > 0 && p.outcome === 'Pending') {
        unschedulable++;
      }
      if (p.attempts > 0 || p.times.scheduled === undefined) {
        const until = p.times.ready ?? p.times.finished ?? end;
        pending.push(Math.max(0, until - p.times.created));
      }
    }
    latency.sort((a, b) => a - b);
    pending.sort((a, b) => a - b);
    const s = (v: number | undefined): number | null =>
      v === undefined ? null : round(v / 1000, 3);
    const col = (name: string): number[] => {
      const i = TIMESERIES_BASE_COLUMNS.indexOf(name as (typeof TIMESERIES_BASE_COLUMNS)[number]);
      return this.samples.map((r) => Number(r[i]));
    };
    const ratio = (num: number[], den: number[]): number[] =>
      num.map((v, i) => (den[i] ? v / den[i]! : 0));
    const cpuU = ratio(col('cpu_requested_m'), col('cpu_allocatable_m'));
    const memU = ratio(col('memory_requested_bytes'), col('memory_allocatable_bytes'));
    const used = col('nodes_used');
    const r = (v: number | undefined): number | null => (v === undefined ? null : round(v, 6));
    return {
      podsCreated: this.pods.length,
      podsScheduled: scheduled,
      schedulingLatencyP50: s(percentile(latency, 50)),
      schedulingLatencyP90: s(percentile(latency, 90)),
      schedulingLatencyP99: s(percentile(latency, 99)),
      schedulingLatencyMax: s(latency[latency.length - 1]),
      pendingTimeMean: s(mean(pending)),
      pendingTimeP99: s(percentile(pending, 99)),
      cpuUtilisationMean: r(mean(cpuU)),
      cpuUtilisationMax: r(max(cpuU)),
      memoryUtilisationMean: r(mean(memU)),
      memoryUtilisationMax: r(max(memU)),
      cpuUtilisationOfUsedNodesMean: r(mean(this.usedNodesCpuU)),
      cpuUtilisationOfUsedNodesMax: r(max(this.usedNodesCpuU)),
      memoryUtilisationOfUsedNodesMean: r(mean(this.usedNodesMemU)),
      memoryUtilisationOfUsedNodesMax: r(max(this.usedNodesMemU)),
      nodesUsedMean: r(mean(used)),
      nodesUsedMax: max(used) ?? null,
      unschedulable,
      failedSchedulingEvents: this.eventCounts.get('FailedScheduling') ?? 0,
      preemptions: this.eventCounts.get('Preempted') ?? 0,
      evictions:
        (this.eventCounts.get('TaintManagerEviction') ?? 0) +
        (this.eventCounts.get('Evicted') ?? 0),
      outcomes: sortKeys(outcomes),
      ...this.throughputLost(),
      ...this.extra,
    };
  }
}

/** The first index whose value is ≥ t in an ascending array. */
function lowerBound(a: readonly number[], t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One pods.csv row (podColumns: POD_COLUMNS, then `request:<r>` per extended resource). */
export function podRow(p: SimPod, extended: readonly string[] = []): Array<string | number> {
  return [
    p.key,
    p.topOwner,
    p.spec.nodeName ?? '',
    seconds(p.times.created),
    seconds(p.times.scheduled),
    seconds(p.times.started),
    seconds(p.times.ready),
    seconds(p.times.finished),
    p.attempts,
    p.outcome,
    p.priority,
    p.requests.milliCPU,
    p.requests.memory,
    ...extended.map((r) => p.requests.scalar.get(r) ?? 0),
  ];
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
