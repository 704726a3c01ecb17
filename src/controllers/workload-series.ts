/**
 * Per-Deployment, per-StatefulSet and per-standalone-ReplicaSet (one no Deployment owns)
 * ready and desired replicas: timeseries columns `workload:<Kind>/<ns>/<name>:ready` and
 * `:desired`, and the summary metric `availability` = ∫ min(ready, desired) dt ÷ ∫ desired dt
 * over the run, integrated exactly at every change (not from samples). Ready counts pods that
 * are Ready and not terminating. A workload that never wants a replica has availability null.
 * `desiredOf` answers every such workload's current spec.replicas, columns or not (the
 * failure measures compare with it).
 */
import type { ComponentFactory, SimContext } from '../components/context.js';
import { objectKey } from '../model/store.js';
import { podIsActive, type SimPod } from '../model/objects.js';
import {
  deploymentKey,
  deploymentOwnerKey,
  type DeploymentObject,
  type ReplicaSetObject,
} from './apps-objects.js';
import { replicaSetKeyOf } from './replicaset.js';
import { WorkloadStatusSeries } from './workload-status-series.js';

/** What availability needs of a StatefulSet manifest. */
interface ScaledObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { replicas?: number };
}

interface Track {
  ready: number;
  desired: number;
  last: number;
  readySeconds: number;
  desiredSeconds: number;
}

export class WorkloadAvailability {
  private readonly tracks = new Map<string, Track>();
  private readonly counted = new Map<SimPod, string>();
  /** Current spec.replicas of every Deployment, StatefulSet and standalone ReplicaSet. */
  private readonly desired = new Map<string, number>();

  constructor(private readonly ctx: SimContext) {
    const track = (key: string, desired: number): void => {
      this.tracks.set(key, { ready: 0, desired, last: 0, readySeconds: 0, desiredSeconds: 0 });
      this.desired.set(key, desired);
    };
    for (const d of ctx.store.listObjects<DeploymentObject>('Deployment'))
      track(`Deployment/${deploymentKey(d)}`, d.spec.replicas);
    for (const s of ctx.store.listObjects<ScaledObject>('StatefulSet'))
      track(`StatefulSet/${objectKey(s)}`, s.spec?.replicas ?? 1);
    for (const rs of ctx.store.listObjects<ReplicaSetObject>('ReplicaSet'))
      if (standalone(rs)) track(rs.topOwner, rs.spec.replicas);
    const onScale = (key: string, desired: number, deleted: boolean): void => {
      if (deleted) this.desired.delete(key);
      else this.desired.set(key, desired);
      const t = this.tracks.get(key);
      if (!t) {
        // Objects put at time 0 (before the first sample) get a column; later ones cannot,
        // since every timeseries row must have the header's columns.
        if (!deleted && ctx.metrics.samples.length === 0) track(key, desired);
        return;
      }
      if (t.desired === desired) return;
      this.advance(t);
      t.desired = deleted ? 0 : desired;
    };
    ctx.store.onObject('Deployment', (e) => {
      const d = e.obj as DeploymentObject;
      onScale(`Deployment/${deploymentKey(d)}`, d.spec.replicas, e.type === 'delete');
    });
    ctx.store.onObject('StatefulSet', (e) => {
      const s = e.obj as ScaledObject;
      onScale(`StatefulSet/${objectKey(s)}`, s.spec?.replicas ?? 1, e.type === 'delete');
    });
    ctx.store.onObject('ReplicaSet', (e) => {
      const rs = e.obj as ReplicaSetObject;
      if (standalone(rs)) onScale(rs.topOwner, rs.spec.replicas, e.type === 'delete');
    });
    ctx.store.onPod((e) => {
      const pod = e.pod;
      const was = this.counted.get(pod);
      const key = was ?? this.workloadOf(pod);
      if (!key) return;
      const t = this.tracks.get(key);
      if (!t) return;
      const ready = e.type !== 'delete' && pod.status.ready && podIsActive(pod);
      if (ready === (was !== undefined)) return;
      this.advance(t);
      if (ready) {
        t.ready++;
        this.counted.set(pod, key);
      } else {
        t.ready--;
        this.counted.delete(pod);
      }
    });
  }

  /** The workload's current desired replicas; undefined for kinds without spec.replicas. */
  desiredOf(key: string): number | undefined {
    return this.desired.get(key);
  }

  /** Every workload with a desired replica count, and that count. */
  desiredAll(): ReadonlyMap<string, number> {
    return this.desired;
  }

  /** The tracked workload of a pod: its top owner, or the Deployment of its ReplicaSet. */
  private workloadOf(pod: SimPod): string | undefined {
    if (
      pod.topOwner.startsWith('Deployment/') ||
      pod.topOwner.startsWith('StatefulSet/') ||
      pod.topOwner.startsWith('ReplicaSet/')
    ) {
      return pod.topOwner;
    }
    const rsKey = replicaSetKeyOf(pod);
    const rs = rsKey && this.ctx.store.getObject<ReplicaSetObject>('ReplicaSet', rsKey);
    const owner = rs ? deploymentOwnerKey(rs) : undefined;
    return owner ? `Deployment/${owner}` : undefined;
  }

  private advance(t: Track): void {
    const now = this.ctx.engine.now;
    const dt = (now - t.last) / 1000;
    t.readySeconds += dt * Math.min(t.ready, t.desired);
    t.desiredSeconds += dt * t.desired;
    t.last = now;
  }

  columns(): string[] {
    return [...this.tracks.keys()].flatMap((k) => [`workload:${k}:ready`, `workload:${k}:desired`]);
  }

  values(): number[] {
    return [...this.tracks.values()].flatMap((t) => [t.ready, t.desired]);
  }

  /** Availability per workload up to now. */
  availability(): Record<string, number | null> {
    const out: Record<string, number | null> = {};
    for (const [k, t] of this.tracks) {
      this.advance(t);
      out[k] =
        t.desiredSeconds > 0 ? Math.round((t.readySeconds / t.desiredSeconds) * 1e6) / 1e6 : null;
    }
    return out;
  }
}

/** A ReplicaSet no Deployment owns (its own top-level workload). */
function standalone(rs: ReplicaSetObject): boolean {
  return rs.topOwner.startsWith('ReplicaSet/') && deploymentOwnerKey(rs) === undefined;
}

const started = new WeakMap<SimContext, WorkloadAvailability>();

/** The run's workload availability tracker, once started. */
export function workloadAvailabilityOf(ctx: SimContext): WorkloadAvailability | undefined {
  return started.get(ctx);
}

export const startWorkloadSeries: ComponentFactory = (ctx) => {
  const a = new WorkloadAvailability(ctx);
  started.set(ctx, a);
  ctx.metrics.addSeries(a);
  ctx.metrics.addSeries(new WorkloadStatusSeries(ctx));
  // The summary is written once virtual time reaches the end of the run.
  ctx.engine.scheduleAt(ctx.scenario.durationMs, () => {
    const mine = a.availability();
    if (Object.keys(mine).length === 0) return;
    const prev = (ctx.metrics.extra.availability ?? {}) as Record<string, unknown>;
    ctx.metrics.extra.availability = { ...prev, ...mine };
  });
};
