/**
 * What each node failure cost (summary.json `recovery`), and pod-seconds unavailable:
 * - detect_s: first NodeNotReady of one of its nodes;
 * - evict_s / evict_last_s: first and last TaintManagerEviction of a pod on its nodes;
 * - replace_s: when as many replacements (pods of the affected workloads created after the
 *   first eviction) were scheduled as workload pods were evicted;
 * - recover_s: when every affected workload (top-level owner of a pod on the failed nodes)
 *   again had as many serving Ready pods as just before the failure — 0 if it never dropped,
 *   null if it had not come back by the end.
 * All are seconds after the failure (at_s). A pod serves when it is Ready, not being
 * deleted, and its node's machine and network are up (kubelet-stop still serves).
 *
 * unavailable_pod_s integrates each affected workload's shortfall (pods before the failure
 * minus pods serving now) until recovery; podSecondsUnavailable sums it over all failures
 * (overlapping failures of the same workload count twice).
 */
import type { SimContext } from '../components/context.js';
import { nodeHealth } from '../controllers/node-lifecycle.js';
import { REASON_TAINT_EVICTION } from '../controllers/taint-eviction.js';
import type { NodeHealth } from '../kubelet/node-health.js';
import { podIsTerminal, type SimPod } from '../model/objects.js';
import { round } from '../metrics/format.js';
import { failureLogOf, type NodeFailureEvent } from './failure-log.js';

interface Tracked {
  f: NodeFailureEvent;
  nodes: Set<string>;
  /** Its nodes still down; detections and evictions count only until they are all back. */
  down: Set<string>;
  /** Affected workloads → serving Ready pods just before the failure. */
  baseline: Map<string, number>;
  detect?: number;
  evictFirst?: number;
  evictLast?: number;
  /** Evicted pods that belong to a workload (each wants a replacement). */
  evictedOwned: number;
  broken: boolean;
  recover?: number;
  /** Σ over affected workloads of (baseline − serving)⁺, since `since`. */
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
}

export function servesTraffic(pod: SimPod, health: NodeHealth): boolean {
  return (
    pod.status.ready &&
    pod.metadata.deletionTimestamp === undefined &&
    !podIsTerminal(pod) &&
    (pod.spec.nodeName === undefined || health.serving(pod.spec.nodeName))
  );
}

export class RecoveryMeasures {
  private readonly tracked: Tracked[] = [];
  /** Failures whose workloads have not recovered yet. */
  private open: Tracked[] = [];
  private readonly health: NodeHealth;

  constructor(private readonly ctx: SimContext) {
    this.health = nodeHealth(ctx);
    failureLogOf(ctx).onFailure((f) => this.begin(f));
    this.health.onChange((e) => {
      if (e.type === 'recovered') for (const t of this.tracked) t.down.delete(e.node);
      this.evaluateAll();
    });
    ctx.events.onEvent((e) => {
      if (e.reason === 'NodeNotReady') {
        for (const t of this.tracked)
          if (t.detect === undefined && t.down.has(e.object)) t.detect = e.time;
      } else if (e.reason === REASON_TAINT_EVICTION && e.message.startsWith('Marking')) {
        const pod = ctx.store.getPod(e.object);
        const node = pod?.spec.nodeName;
        if (!pod || !node) return;
        for (const t of this.tracked) {
          if (!t.down.has(node) || e.time < t.f.at) continue;
          t.evictFirst ??= e.time;
          t.evictLast = e.time;
          if (pod.topOwner) t.evictedOwned++;
        }
      }
    });
    ctx.store.onPod((e) => {
      if (!e.pod.topOwner || this.open.length === 0) return;
      for (const t of this.open) if (t.baseline.has(e.pod.topOwner)) this.evaluate(t);
      this.open = this.open.filter((t) => t.recover === undefined);
    });
  }

  private servingOf(owner: string): number {
    let n = 0;
    for (const pod of this.ctx.store.podsOfOwner(owner)) if (servesTraffic(pod, this.health)) n++;
    return n;
  }

  private begin(f: NodeFailureEvent): void {
    const nodes = new Set(f.nodes);
    const baseline = new Map<string, number>();
    for (const node of f.nodes) {
      for (const pod of this.ctx.store.getNodeInfo(node)?.pods ?? []) {
        if (pod.topOwner && !baseline.has(pod.topOwner))
          baseline.set(pod.topOwner, this.servingOf(pod.topOwner));
      }
    }
    const t: Tracked = {
      f,
      nodes,
      down: new Set(nodes),
      baseline,
      evictedOwned: 0,
      broken: false,
      shortfall: 0,
      since: f.at,
      unavailableMs: 0,
    };
    this.tracked.push(t);
    this.open.push(t);
  }

  private evaluate(t: Tracked): void {
    if (t.recover !== undefined) return;
    const now = this.ctx.engine.now;
    t.unavailableMs += t.shortfall * (now - t.since);
    t.since = now;
    let shortfall = 0;
    for (const [owner, want] of t.baseline) shortfall += Math.max(0, want - this.servingOf(owner));
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

  /** Pod-seconds the affected workloads were short of their pre-failure pods, up to now. */
  podSecondsUnavailable(): number {
    let ms = 0;
    for (const t of this.tracked) ms += this.unavailableMs(t);
    return round(ms / 1000, 3);
  }

  rows(): RecoveryRow[] {
    const s = (at: number, v: number | undefined): number | null =>
      v === undefined ? null : round((v - at) / 1000, 3);
    return this.tracked.map((t) => {
      const at = t.f.at;
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
      };
    });
  }

  /** When the n-th replacement was scheduled, n = evicted workload pods (from pods.csv data). */
  private replacedAt(t: Tracked): number | undefined {
    if (t.evictedOwned === 0 || t.evictFirst === undefined) return undefined;
    const times: number[] = [];
    for (const pod of this.ctx.metrics.pods) {
      if (
        pod.times.created >= t.evictFirst &&
        pod.times.scheduled !== undefined &&
        t.baseline.has(pod.topOwner)
      )
        times.push(pod.times.scheduled);
    }
    if (times.length < t.evictedOwned) return undefined;
    times.sort((a, b) => a - b);
    return times[t.evictedOwned - 1];
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
