/**
 * The ReplicaSet controller (pkg/controller/replicaset): keeps `spec.replicas` active pods
 * (not terminal, not being deleted — a pod that is terminating is replaced at once), deletes
 * surplus pods in upstream's victim order, and reports replicas / readyReplicas /
 * availableReplicas (Ready for minReadySeconds) in status.
 *
 * It reacts to watch events only. The one timer is upstream's "requeue after": when a pod is
 * Ready but not yet available, the ReplicaSet is synced again the instant it becomes available
 * (its Ready condition's lastTransitionTime + minReadySeconds).
 */
import type { ComponentFactory, SimContext } from '../components/context.js';
import type { Rng } from '../engine/rng.js';
import { podIsActive, type SimPod } from '../model/objects.js';
import type { PodEvent } from '../model/store.js';
import { Reader } from '../scenario/fields.js';
import { LABEL_POD_TEMPLATE_HASH, readReplicaSet, type ReplicaSetObject } from './apps-objects.js';
import { controllerOf, createPod, deletePod } from './pod-control.js';
import { podsToDelete } from './pod-ranking.js';
import { nextAvailabilityCheck, podAvailable } from './stored-workload.js';
import { WorkQueue, type SyncResult } from './work-queue.js';

/** --replicaset burstReplicas: at most this many creations or deletions per sync. */
export const BURST_REPLICAS = 500;

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Pods' owning ReplicaSet key (`ns/name`) from their controller reference. */
export function replicaSetKeyOf(pod: SimPod): string | undefined {
  const ref = controllerOf(pod);
  return ref?.kind === 'ReplicaSet' ? `${pod.metadata.namespace}/${ref.name}` : undefined;
}

export class ReplicaSetController {
  private readonly podsByRS = new Map<string, Set<SimPod>>();
  private readonly queue: WorkQueue;
  private readonly names = new Map<string, Rng>();

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(
      ctx,
      (k) => this.sync(k),
      () => this.resyncAll(),
    );
    ctx.store.onPod((e) => this.onPod(e));
    ctx.store.onObject('ReplicaSet', (e) => {
      const key = `${e.obj.metadata.namespace}/${e.obj.metadata.name}`;
      if (e.type === 'delete') {
        this.podsByRS.delete(key);
        return;
      }
      // Own status writes and annotation-only updates need no sync.
      if (e.type === 'add' || e.change === 'spec') this.queue.add(key);
    });
  }

  private onPod(e: PodEvent): void {
    const key = replicaSetKeyOf(e.pod);
    if (!key) return;
    if (e.type === 'add') {
      let set = this.podsByRS.get(key);
      if (!set) this.podsByRS.set(key, (set = new Set()));
      set.add(e.pod);
    } else if (e.type === 'delete') {
      this.podsByRS.get(key)?.delete(e.pod);
    } else if (e.change === 'bound' || e.change === 'nominated') {
      return;
    }
    this.queue.add(key);
  }

  private resyncAll(): void {
    for (const rs of this.ctx.store.listObjects<ReplicaSetObject>('ReplicaSet'))
      this.queue.add(`${rs.metadata.namespace}/${rs.metadata.name}`);
  }

  /** Pods the ReplicaSet owns (active or not), in creation order. */
  podsOf(key: string): ReadonlySet<SimPod> {
    return this.podsByRS.get(key) ?? new Set();
  }

  private sync(key: string): SyncResult {
    const rs = this.ctx.store.getObject<ReplicaSetObject>('ReplicaSet', key);
    if (!rs) return 'done';
    const now = this.ctx.engine.now;
    let ok = true;
    const active = [...this.podsOf(key)].filter(podIsActive);
    const diff = active.length - rs.spec.replicas;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      for (let i = 0; i < n; i++) {
        if (!this.createOne(rs)) {
          ok = false;
          break;
        }
      }
    } else if (diff > 0) {
      const victims = podsToDelete(
        active,
        this.relatedPods(rs),
        Math.min(diff, BURST_REPLICAS),
        now,
      );
      for (const v of victims) {
        if (!deletePod(this.ctx, v, { kind: 'ReplicaSet', key })) {
          ok = false;
          break;
        }
      }
    }
    return this.updateStatus(rs, key) && ok ? 'done' : 'retry';
  }

  private createOne(rs: ReplicaSetObject): boolean {
    const m = rs.metadata;
    const pod = createPod(
      this.ctx,
      {
        kind: 'ReplicaSet',
        namespace: m.namespace,
        name: m.name,
        uid: m.uid,
        apiVersion: 'apps/v1',
        topOwner: rs.topOwner,
      },
      rs.compiled,
      { name: this.podName(rs) },
    );
    return pod !== undefined;
  }

  /** generateName `<rs>-` + 5 characters from a stream of the ReplicaSet's own. */
  private podName(rs: ReplicaSetObject): string {
    const key = `${rs.metadata.namespace}/${rs.metadata.name}`;
    let rng = this.names.get(key);
    if (!rng) this.names.set(key, (rng = this.ctx.rng.stream(`replicaset/names/${key}`)));
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[rng.int(NAME_ALPHABET.length)];
      const name = `${rs.metadata.name}-${suffix}`;
      if (!this.ctx.store.getPod(`${rs.metadata.namespace}/${name}`)) return name;
    }
  }

  /** Active pods of this ReplicaSet and of its siblings under the same controller. */
  private relatedPods(rs: ReplicaSetObject): SimPod[] {
    const owner = rs.metadata.ownerReferences?.find((r) => r.controller);
    const out: SimPod[] = [];
    if (!owner) {
      out.push(...this.podsOf(`${rs.metadata.namespace}/${rs.metadata.name}`));
      return out;
    }
    for (const other of this.ctx.store.listObjects<ReplicaSetObject>('ReplicaSet')) {
      if (other.metadata.namespace !== rs.metadata.namespace) continue;
      const o = other.metadata.ownerReferences?.find((r) => r.controller);
      if (o?.kind === owner.kind && o.name === owner.name)
        out.push(...this.podsOf(`${other.metadata.namespace}/${other.metadata.name}`));
    }
    return out;
  }

  /**
   * calculateStatus + updateReplicaSetStatus, then the availability requeue of v1.35
   * (syncReplicaSet since kubernetes#132121): while some Ready pods are not yet available,
   * sync again exactly when the first of them becomes available (FindMinNextPodAvailabilityCheck).
   * Before v1.34 the requeue was minReadySeconds after a sync that found every replica Ready,
   * plus minReadySeconds + 1 s after a pod turned Ready; upstream still enqueues that second
   * one from updatePod, which ksim leaves out: it always comes after the exact check and finds
   * nothing new.
   */
  private updateStatus(rs: ReplicaSetObject, key: string): boolean {
    const now = this.ctx.engine.now;
    const minReady = rs.spec.minReadySeconds;
    let replicas = 0;
    let ready = 0;
    let available = 0;
    const activePods: SimPod[] = [];
    for (const p of this.podsOf(key)) {
      if (!podIsActive(p)) continue;
      activePods.push(p);
      replicas++;
      if (!p.status.ready) continue;
      ready++;
      if (podAvailable(p, minReady, now)) available++;
    }
    if (ready !== available) {
      const next = nextAvailabilityCheck(activePods, minReady, now);
      this.queue.addAfter(key, next ?? minReady * 1000);
    }
    const s = rs.status;
    if (
      s.replicas === replicas &&
      s.readyReplicas === ready &&
      s.availableReplicas === available &&
      s.observedGeneration === rs.metadata.generation
    )
      return true;
    if (!this.ctx.api.tryWrite('object', 'controller/ReplicaSet')) return false;
    rs.status = {
      replicas,
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation,
    };
    this.ctx.store.putObject(rs, 'status');
    return true;
  }
}

/** ReplicaSets written in the scenario (standalone, or owned by a Deployment in the scenario). */
function loadScenarioReplicaSets(ctx: SimContext): void {
  const issues = ctx.startupIssues;
  for (const obj of ctx.scenario.objects) {
    if (obj.kind !== 'ReplicaSet' || !obj.podTemplate) continue;
    const r = new Reader(issues, obj.origin.src);
    const f = readReplicaSet(r, obj.manifest, obj.origin.path);
    if (!f) continue;
    const owner = f.meta.ownerReferences?.find((o) => o.controller);
    const rs: ReplicaSetObject = {
      kind: 'ReplicaSet',
      metadata: {
        ...f.meta,
        uid: ctx.store.nextUid('replicaset'),
        generation: 1,
        creationTimestamp: 0,
      },
      spec: f.spec,
      compiled: obj.podTemplate,
      status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: 0 },
      topOwner:
        owner?.kind === 'Deployment'
          ? `Deployment/${f.meta.namespace}/${owner.name}`
          : `ReplicaSet/${f.meta.namespace}/${f.meta.name}`,
    };
    // A Deployment's ReplicaSet printed by kubectl carries its hash in the template labels.
    if (owner?.kind === 'Deployment' && !rs.compiled.labels[LABEL_POD_TEMPLATE_HASH]) {
      const hash = rs.metadata.labels[LABEL_POD_TEMPLATE_HASH];
      if (hash)
        rs.compiled = {
          ...rs.compiled,
          labels: { ...rs.compiled.labels, [LABEL_POD_TEMPLATE_HASH]: hash },
        };
    }
    ctx.store.putObject(rs);
  }
}

export const startReplicaSetController: ComponentFactory = (ctx) => {
  new ReplicaSetController(ctx);
  loadScenarioReplicaSets(ctx);
};
