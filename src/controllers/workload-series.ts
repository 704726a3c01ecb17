/**
 * Per-Deployment ready and desired replicas: timeseries columns
 * `workload:Deployment/<ns>/<name>:ready` and `:desired`, and the summary metric
 * `availability` = ∫ min(ready, desired) dt ÷ ∫ desired dt over the run, integrated exactly
 * at every change (not from samples). Ready counts pods that are Ready and not terminating.
 * A Deployment that never wants a replica has availability null.
 */
import type { ComponentFactory, SimContext } from '../components/context.js';
import { podIsActive, type SimPod } from '../model/objects.js';
import {
  deploymentKey,
  deploymentOwnerKey,
  type DeploymentObject,
  type ReplicaSetObject,
} from './apps-objects.js';
import { replicaSetKeyOf } from './replicaset.js';

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

  constructor(private readonly ctx: SimContext) {
    for (const d of ctx.store.listObjects<DeploymentObject>('Deployment'))
      this.tracks.set(deploymentKey(d), {
        ready: 0,
        desired: d.spec.replicas,
        last: 0,
        readySeconds: 0,
        desiredSeconds: 0,
      });
    ctx.store.onObject('Deployment', (e) => {
      const t = this.tracks.get(deploymentKey(e.obj as DeploymentObject));
      const desired = (e.obj as DeploymentObject).spec.replicas;
      if (!t || t.desired === desired) return;
      this.advance(t);
      t.desired = e.type === 'delete' ? 0 : desired;
    });
    ctx.store.onPod((e) => {
      const pod = e.pod;
      const was = this.counted.get(pod);
      const key = was ?? this.deploymentOf(pod);
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

  private deploymentOf(pod: SimPod): string | undefined {
    if (pod.topOwner.startsWith('Deployment/')) return pod.topOwner.slice('Deployment/'.length);
    const rsKey = replicaSetKeyOf(pod);
    const rs = rsKey && this.ctx.store.getObject<ReplicaSetObject>('ReplicaSet', rsKey);
    return rs ? deploymentOwnerKey(rs) : undefined;
  }

  private advance(t: Track): void {
    const now = this.ctx.engine.now;
    const dt = (now - t.last) / 1000;
    t.readySeconds += dt * Math.min(t.ready, t.desired);
    t.desiredSeconds += dt * t.desired;
    t.last = now;
  }

  columns(): string[] {
    return [...this.tracks.keys()].flatMap((k) => [
      `workload:Deployment/${k}:ready`,
      `workload:Deployment/${k}:desired`,
    ]);
  }

  values(): number[] {
    return [...this.tracks.values()].flatMap((t) => [t.ready, t.desired]);
  }

  /** Availability per Deployment up to now. */
  availability(): Record<string, number | null> {
    const out: Record<string, number | null> = {};
    for (const [k, t] of this.tracks) {
      this.advance(t);
      out[`Deployment/${k}`] =
        t.desiredSeconds > 0 ? Math.round((t.readySeconds / t.desiredSeconds) * 1e6) / 1e6 : null;
    }
    return out;
  }
}

export const startWorkloadSeries: ComponentFactory = (ctx) => {
  const a = new WorkloadAvailability(ctx);
  if (a.columns().length === 0) return;
  ctx.metrics.addSeries(a);
  // The summary is written once virtual time reaches the end of the run.
  ctx.engine.scheduleAt(ctx.scenario.durationMs, () => {
    const prev = (ctx.metrics.extra.availability ?? {}) as Record<string, unknown>;
    ctx.metrics.extra.availability = { ...prev, ...a.availability() };
  });
};
