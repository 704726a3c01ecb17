/**
 * What each node failure cost (summary.json `recovery`), and pod-seconds unavailable. A
 * failure is a scripted or stochastic node fault, or a removal of Node objects (remove-nodes;
 * nodes already held down by a fault are that fault's, not a new failure):
 * - detect_s: first NodeNotReady of one of its nodes;
 * - evict_s / evict_last_s: first and last TaintManagerEviction of a pod on its nodes;
 * - replace_s: when as many replacements (pods of the affected workloads created after the
 *   first eviction — after the removal, for a removal) were scheduled as workload pods were
 *   evicted (for a removal: as there were pods of workloads with replicas on the nodes);
 * - recover_s: when every affected workload (top-level owner of a pod on the failed nodes)
 *   was back to its desired ready replicas — spec.replicas for Deployments, StatefulSets and
 *   ReplicaSets; for kinds without it (DaemonSets, Jobs) the pods serving just before the
 *   failure — 0 if it never fell short, null if it had not come back by the end;
 * - unavailable_pod_s: the affected workloads' shortfall integrated until recovery;
 * - bindings_lost: scheduling throughput lost until recovery — bindings short of the rate
 *   of the `metrics.throughputWindow` before the failure (MetricsCollector.bindingsLost).
 * All are seconds after the failure (at_s). A pod serves when it is Ready, not being
 * deleted, and its node exists and its machine and network are up (serving-pods.ts).
 *
 * podSecondsUnavailable sums unavailable_pod_s over all failures (overlapping failures of
 * the same workload count twice).
 */
import type { SimContext } from '../components/context.js';
import { nodeHealth } from '../controllers/node-lifecycle.js';
import { REASON_TAINT_EVICTION } from '../controllers/taint-eviction.js';
import {
  workloadAvailabilityOf,
  type WorkloadAvailability,
} from '../controllers/workload-series.js';
import { round } from '../metrics/format.js';
import type { SimPod } from '../model/objects.js';
import { failureLogOf, type NodeFailureEvent } from './failure-log.js';
import { servingPodsOf, type ServingPods } from './serving-pods.js';

export { servesTraffic } from './serving-pods.js';

interface Tracked {
  f: NodeFailureEvent;
  /** Its nodes still down; detections and evictions count only until they are all back. */
  down: Set<string>;
  /** Affected workloads → serving pods just before the failure (for kinds without replicas). */
  baseline: Map<string, number>;
  detect?: number;
  evictFirst?: number;
  evictLast?: number;
  /** Workload pods lost (evicted, or on a removed node): each wants a replacement. */
  lostOwned: number;
  /** From when replacements count: the first eviction, or the removal. */
  lostFrom?: number;
  broken: boolean;
  recover?: number;
  /** Σ over affected workloads of (wanted − serving)⁺, since `since`. */
  shortfall: number;
  since: number;
  unavailableMs: number;
}

export interface RecoveryRow {
  failure: string;
  at_s: number;
  nodes: number;
  detect_s: number | null;
  evict_s: number | null;
  evict_last_s: number | null;
  replace_s: number | null;
  recover_s: number | null;
  unavailable_pod_s: number;
  bindings_lost: number;
}

export class RecoveryMeasures {
  private readonly tracked: Tracked[] = [];
  /** Failures whose workloads have not recovered yet. */
  private open: Tracked[] = [];
  private readonly serving: ServingPods;
  private readonly workloads: WorkloadAvailability | undefined;

  constructor(private readonly ctx: SimContext) {
    const health = nodeHealth(ctx);
    this.serving = servingPodsOf(ctx);
    this.workloads = workloadAvailabilityOf(ctx);
    const log = failureLogOf(ctx);
    log.onFailure((f) => this.begin(f));
    health.onChange((e) => {
      if (e.type === 'recovered') for (const t of this.tracked) t.down.delete(e.node);
      this.evaluateAll();
    });
    ctx.store.onNode((e) => {
      if (e.type !== 'delete') return;
      const name = e.node.metadata.name;
      // A node some fault holds down is that fault's; its removal ends nothing new.
      if (this.tracked.some((t) => t.down.has(name))) {
        for (const t of this.tracked) t.down.delete(name);
        this.evaluateAll();
        return;
      }
      log.removal(name, ctx.engine.now);
    });
    ctx.events.onEvent((e) => {
      if (e.reason === 'NodeNotReady' && e.kind === 'Node') {
        for (const t of this.tracked)
          if (t.detect === undefined && t.down.has(e.object)) t.detect = e.time;
      } else if (e.reason === REASON_TAINT_EVICTION && e.message.startsWith('Marking')) {
        const pod = ctx.store.getPod(e.object);
        const node = pod?.spec.nodeName;
        if (!pod || !node) return;
        for (const t of this.tracked) {
          if (!t.down.has(node) || e.time < t.f.at || t.f.mode === 'removal') continue;
          t.evictFirst ??= e.time;
          t.lostFrom ??= e.time;
          t.evictLast = e.time;
          if (pod.topOwner) t.lostOwned++;
        }
      }
    });
    ctx.store.onPod((e) => {
      if (!e.pod.topOwner || this.open.length === 0) return;
      for (const t of this.open) if (t.baseline.has(e.pod.topOwner)) this.evaluate(t);
      this.open = this.open.filter((t) => t.recover === undefined);
    });
    ctx.metrics.addThroughputLoss(() => {
      const rows = this.rows();
      return { failures: rows.length, bindingsLost: rows.reduce((n, r) => n + r.bindings_lost, 0) };
    });
  }

  /** Replicas the workload should have serving: spec.replicas, or its pre-failure pods. */
  private wanted(t: Tracked, owner: string): number {
    return this.workloads?.desiredOf(owner) ?? t.baseline.get(owner) ?? 0;
  }

  /**
   * Pods bound to the nodes: from their node index, or — for removed nodes, whose index is
   * gone while the store keeps their pods until PodGC — from a scan of every pod.
   */
  private podsOn(nodes: readonly string[]): SimPod[] {
    const out: SimPod[] = [];
    const removed = new Set<string>();
    for (const node of nodes) {
      const info = this.ctx.store.getNodeInfo(node);
      if (info) out.push(...info.pods.filter((p) => p.spec.nodeName === node));
      else removed.add(node);
    }
    if (removed.size)
      for (const p of this.ctx.store.pods()) if (removed.has(p.spec.nodeName ?? '')) out.push(p);
    return out;
  }

  private begin(f: NodeFailureEvent): void {
    let t = this.tracked.find((x) => x.f === f);
    const fresh = t === undefined;
    if (!t) {
      t = {
        f,
        down: new Set(),
        baseline: new Map(),
        lostOwned: 0,
        broken: false,
        shortfall: 0,
        since: f.at,
        unavailableMs: 0,
      };
      this.tracked.push(t);
      this.open.push(t);
    }
    // A removal batch grows by one node per Node deleted at the same instant.
    const added = f.nodes.filter((n) => !t.down.has(n));
    for (const n of added) t.down.add(n);
    const removal = f.mode === 'removal';
    const lost = this.podsOn(added).filter(
      (p) => p.topOwner && p.metadata.deletionTimestamp === undefined,
    );
    for (const pod of lost) {
      if (!t.baseline.has(pod.topOwner))
        t.baseline.set(pod.topOwner, this.serving.count(pod.topOwner));
      // A removed node's pods of a workload with replicas are to be replaced; a DaemonSet's
      // desired pods shrink with the node (its baseline, taken now, no longer counts it).
      if (!removal || this.workloads?.desiredOf(pod.topOwner) === undefined) continue;
      t.lostOwned++;
      t.lostFrom ??= f.at;
    }
    if (removal || !fresh) this.evaluate(t);
  }

  private evaluate(t: Tracked): void {
    if (t.recover !== undefined) return;
    const now = this.ctx.engine.now;
    t.unavailableMs += t.shortfall * (now - t.since);
    t.since = now;
    let shortfall = 0;
    for (const owner of t.baseline.keys())
      shortfall += Math.max(0, this.wanted(t, owner) - this.serving.count(owner));
    t.shortfall = shortfall;
    if (shortfall > 0) t.broken = true;
    else if (t.broken) t.recover = now;
  }

  private unavailableMs(t: Tracked): number {
    return t.unavailableMs + t.shortfall * (this.ctx.engine.now - t.since);
  }

  private evaluateAll(): void {
    for (const t of this.open) this.evaluate(t);
    this.open = this.open.filter((t) => t.recover === undefined);
  }

  /** Pod-seconds the affected workloads were short of their desired replicas, up to now. */
  podSecondsUnavailable(): number {
    let ms = 0;
    for (const t of this.tracked) ms += this.unavailableMs(t);
    return round(ms / 1000, 3);
  }

  rows(): RecoveryRow[] {
    const s = (at: number, v: number | undefined): number | null =>
      v === undefined ? null : round((v - at) / 1000, 3);
    const now = this.ctx.engine.now;
    return this.tracked.map((t) => {
      const at = t.f.at;
      // Until recovery; to the end of the run if it never came; nothing if nothing fell short.
      const until = t.recover ?? (t.broken ? now : at);
      return {
        failure: t.f.label,
        at_s: round(at / 1000, 3),
        nodes: t.f.nodes.length,
        detect_s: s(at, t.detect),
        evict_s: s(at, t.evictFirst),
        evict_last_s: s(at, t.evictLast),
        replace_s: s(at, this.replacedAt(t)),
        recover_s: t.recover !== undefined ? s(at, t.recover) : t.broken ? null : 0,
        unavailable_pod_s: round(this.unavailableMs(t) / 1000, 3),
        bindings_lost: this.ctx.metrics.bindingsLost(at, until),
      };
    });
  }

  /** When the n-th replacement was scheduled, n = lost workload pods (from pods.csv data). */
  private replacedAt(t: Tracked): number | undefined {
    if (t.lostOwned === 0 || t.lostFrom === undefined) return undefined;
    const times: number[] = [];
    for (const pod of this.ctx.metrics.pods) {
      if (
        pod.times.created >= t.lostFrom &&
        pod.times.scheduled !== undefined &&
        t.baseline.has(pod.topOwner)
      )
        times.push(pod.times.scheduled);
    }
    if (times.length < t.lostOwned) return undefined;
    times.sort((a, b) => a - b);
    return times[t.lostOwned - 1];
  }
}

export function startRecoveryMeasures(ctx: SimContext): RecoveryMeasures {
  const m = new RecoveryMeasures(ctx);
  Object.defineProperty(ctx.metrics.extra, 'recovery', {
    enumerable: true,
    get: () => m.rows(),
  });
  Object.defineProperty(ctx.metrics.extra, 'podSecondsUnavailable', {
    enumerable: true,
    get: () => m.podSecondsUnavailable(),
  });
  return m;
}
