/**
 * The Deployment controller (pkg/controller/deployment): one ReplicaSet per pod-template
 * revision; RollingUpdate within maxSurge/maxUnavailable (rolling.go), Recreate
 * (recreate.go), proportional scaling and pause (sync.go), progressDeadlineSeconds
 * (progress.go), revision history cleanup. Rollback is the client's job, as `kubectl rollout
 * undo` does it: copy an old ReplicaSet's template back (see deployment-actions.ts).
 *
 * It reacts to watch events: its Deployments (every update, status included, as upstream's
 * updateDeployment), their ReplicaSets (whose status the ReplicaSet controller keeps), and pod
 * deletions for Recreate. The one timer is upstream's progress
 * check, requeued at lastUpdateTime + progressDeadlineSeconds + 1 s.
 *
 * A ReplicaSet whose status has not yet observed its latest spec (observedGeneration <
 * generation) makes the Deployment wait for the ReplicaSet controller's next status update:
 * upstream leans on informer latency for this; in virtual time both run in the same instant,
 * so the order is made explicit.
 */
import type { ComponentFactory, SimContext } from '../components/context.js';
import { podIsTerminal, type SimPod } from '../model/objects.js';
import { Reader } from '../scenario/fields.js';
import {
  ANNOTATION_DESIRED_REPLICAS,
  ANNOTATION_MAX_REPLICAS,
  ANNOTATION_REVISION,
  LABEL_POD_TEMPLATE_HASH,
  cloneData,
  deploymentKey,
  deploymentOwnerKey,
  emptyDeploymentStatus,
  readDeployment,
  type DeploymentObject,
  type DeploymentStatus,
  type ReplicaSetObject,
} from './apps-objects.js';
import {
  byCreation,
  computeTemplateHash,
  deploymentComplete,
  deploymentProgressing,
  getCondition,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  proportion,
  removeCondition,
  revisionOf,
  setCondition,
  statusEqual,
  sumAvailable,
  sumReady,
  sumSpecReplicas,
  sumStatusReplicas,
  templateIgnoringHash,
} from './deployment-util.js';
import { registerDeploymentActions } from './deployment-actions.js';
import { replicaSetKeyOf } from './replicaset.js';
import { WorkQueue, type SyncResult } from './work-queue.js';

// Condition reasons (deploymentutil).
export const REASON_NEW_RS_CREATED = 'NewReplicaSetCreated';
export const REASON_FOUND_NEW_RS = 'FoundNewReplicaSet';
export const REASON_RS_UPDATED = 'ReplicaSetUpdated';
export const REASON_NEW_RS_AVAILABLE = 'NewReplicaSetAvailable';
export const REASON_TIMED_OUT = 'ProgressDeadlineExceeded';
export const REASON_PAUSED = 'DeploymentPaused';
export const REASON_RESUMED = 'DeploymentResumed';

/** The apiserver refused a write: the sync stops and the key is retried with backoff. */
class WriteRefused extends Error {}

export class DeploymentController {
  private readonly queue: WorkQueue;
  /** Pods of each ReplicaSet including terminating ones (Recreate waits for them). */
  private readonly podsByRS = new Map<string, Set<SimPod>>();

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(
      ctx,
      (k) => this.syncKey(k),
      () => this.resyncAll(),
    );
    ctx.store.onObject('Deployment', (e) => {
      // Every update is synced, its own status writes included (updateDeployment enqueues
      // unconditionally): the sync after the status write that completes a rollout is the
      // one that sees deploymentComplete(d, d.status) and cleans up old revisions.
      if (e.type !== 'delete') this.queue.add(deploymentKey(e.obj as DeploymentObject));
    });
    ctx.store.onObject('ReplicaSet', (e) => {
      const owner = deploymentOwnerKey(e.obj as ReplicaSetObject);
      if (owner) this.queue.add(owner);
    });
    ctx.store.onPod((e) => {
      const rsKey = replicaSetKeyOf(e.pod);
      if (!rsKey) return;
      if (e.type === 'add') {
        let set = this.podsByRS.get(rsKey);
        if (!set) this.podsByRS.set(rsKey, (set = new Set()));
        set.add(e.pod);
      } else if (e.type === 'delete') {
        this.podsByRS.get(rsKey)?.delete(e.pod);
        const rs = ctx.store.getObject<ReplicaSetObject>('ReplicaSet', rsKey);
        const owner = rs && deploymentOwnerKey(rs);
        const d = owner && ctx.store.getObject<DeploymentObject>('Deployment', owner);
        if (d && d.spec.strategy.type === 'Recreate') this.queue.add(owner);
      }
    });
  }

  private resyncAll(): void {
    for (const d of this.ctx.store.listObjects<DeploymentObject>('Deployment'))
      this.queue.add(deploymentKey(d));
  }

  private get now(): number {
    return this.ctx.engine.now;
  }

  private write(): void {
    if (!this.ctx.api.tryWrite('object', 'controller/Deployment')) throw new WriteRefused();
  }

  private event(d: DeploymentObject, reason: string, message: string): void {
    this.ctx.events.record('Deployment', deploymentKey(d), reason, message);
  }

  private syncKey(key: string): SyncResult {
    try {
      return this.sync(key);
    } catch (e) {
      if (e instanceof WriteRefused) return 'retry';
      throw e;
    }
  }

  /** The Deployment's ReplicaSets (controller reference), oldest first. */
  private replicaSetsOf(d: DeploymentObject): ReplicaSetObject[] {
    const key = deploymentKey(d);
    return this.ctx.store
      .listObjects<ReplicaSetObject>('ReplicaSet')
      .filter((rs) => deploymentOwnerKey(rs) === key)
      .sort(byCreation);
  }

  private sync(key: string): SyncResult {
    const d = this.ctx.store.getObject<DeploymentObject>('Deployment', key);
    if (!d) return 'done';
    const rsList = this.replicaSetsOf(d);
    if (rsList.some((rs) => rs.status.observedGeneration < rs.metadata.generation)) return 'done';
    this.checkPausedConditions(d);
    if (d.spec.paused || this.isScalingEvent(d, rsList)) {
      this.syncScale(d, rsList);
    } else if (d.spec.strategy.type === 'Recreate') {
      this.rolloutRecreate(d, rsList);
    } else {
      this.rolloutRolling(d, rsList);
    }
    return 'done';
  }

  // ---- ReplicaSets of a revision ----------------------------------------------------------

  /**
   * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (template equal to the Deployment's,
   * ignoring the hash) gets revision max(old)+1; with `create` it is created if missing.
   */
  private replicaSetsAndSyncRevision(
    d: DeploymentObject,
    rsList: readonly ReplicaSetObject[],
    create: boolean,
  ): { newRS: ReplicaSetObject | undefined; oldRSs: ReplicaSetObject[] } {
    const want = templateIgnoringHash(d.spec.template);
    const existing = rsList.find((rs) => templateIgnoringHash(rs.spec.template) === want);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const maxOld = oldRSs.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    const newRevision = maxOld + 1;
    if (existing) {
      const revisionBehind = revisionOf(existing) < newRevision;
      const minReadyChanged = existing.spec.minReadySeconds !== d.spec.minReadySeconds;
      if (revisionBehind || minReadyChanged) {
        this.write();
        if (revisionBehind)
          existing.metadata.annotations = {
            ...existing.metadata.annotations,
            [ANNOTATION_REVISION]: String(newRevision),
          };
        if (minReadyChanged) {
          existing.spec.minReadySeconds = d.spec.minReadySeconds;
          existing.metadata.generation++;
        }
        this.ctx.store.putObject(existing, minReadyChanged ? 'spec' : 'annotations');
      }
      d.metadata.annotations[ANNOTATION_REVISION] =
        existing.metadata.annotations[ANNOTATION_REVISION] ?? '';
      if (d.spec.progressDeadlineSeconds !== undefined && !getCondition(d.status, 'Progressing')) {
        const status = { ...d.status };
        setCondition(
          status,
          newCondition(
            'Progressing',
            'True',
            REASON_FOUND_NEW_RS,
            `Found new replica set "${existing.metadata.name}"`,
            this.now,
          ),
        );
        this.writeStatus(d, status);
      }
      return { newRS: existing, oldRSs };
    }
    if (!create) return { newRS: undefined, oldRSs };
    return { newRS: this.createNewReplicaSet(d, oldRSs, newRevision), oldRSs };
  }

  private createNewReplicaSet(
    d: DeploymentObject,
    oldRSs: ReplicaSetObject[],
    revision: number,
  ): ReplicaSetObject {
    const ns = d.metadata.namespace;
    let hash = computeTemplateHash(d.spec.template, d.status.collisionCount);
    // A name taken by a ReplicaSet with another template: bump collisionCount (hash collision).
    while (this.ctx.store.getObject('ReplicaSet', `${ns}/${d.metadata.name}-${hash}`)) {
      const status = { ...d.status, collisionCount: d.status.collisionCount + 1 };
      this.writeStatus(d, status);
      hash = computeTemplateHash(d.spec.template, d.status.collisionCount);
    }
    const name = `${d.metadata.name}-${hash}`;
    const template = cloneData(d.spec.template);
    const tmeta = (template.metadata ??= {}) as Record<string, unknown>;
    tmeta.labels = {
      ...((tmeta.labels ?? {}) as Record<string, string>),
      [LABEL_POD_TEMPLATE_HASH]: hash,
    };
    const rs: ReplicaSetObject = {
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: ns,
        uid: this.ctx.store.nextUid('replicaset'),
        generation: 1,
        creationTimestamp: this.now,
        labels: { ...d.compiled.labels, [LABEL_POD_TEMPLATE_HASH]: hash },
        annotations: {
          [ANNOTATION_REVISION]: String(revision),
          [ANNOTATION_DESIRED_REPLICAS]: String(d.spec.replicas),
          [ANNOTATION_MAX_REPLICAS]: String(d.spec.replicas + maxSurge(d)),
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: d.metadata.name,
            uid: d.metadata.uid,
            controller: true,
          },
        ],
      },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec.minReadySeconds,
        selector: {
          ...d.spec.selector,
          matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [LABEL_POD_TEMPLATE_HASH]: hash },
        },
        template,
      },
      compiled: {
        ...d.compiled,
        labels: { ...d.compiled.labels, [LABEL_POD_TEMPLATE_HASH]: hash },
      },
      status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: 0 },
      topOwner: `Deployment/${deploymentKey(d)}`,
    };
    rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    this.write();
    this.ctx.store.putObject(rs);
    if (rs.spec.replicas > 0)
      this.event(
        d,
        'ScalingReplicaSet',
        `Scaled up replica set ${name} from 0 to ${rs.spec.replicas}`,
      );
    d.metadata.annotations[ANNOTATION_REVISION] = String(revision);
    if (d.spec.progressDeadlineSeconds !== undefined) {
      const status = { ...d.status };
      setCondition(
        status,
        newCondition(
          'Progressing',
          'True',
          REASON_NEW_RS_CREATED,
          `Created new replica set "${name}"`,
          this.now,
        ),
      );
      this.writeStatus(d, status);
    }
    return rs;
  }

  // ---- scaling ReplicaSets ----------------------------------------------------------------

  private scaleAndRecord(rs: ReplicaSetObject, newScale: number, d: DeploymentObject): boolean {
    if (rs.spec.replicas === newScale) return false;
    return this.scaleReplicaSet(rs, newScale, d, newScale > rs.spec.replicas ? 'up' : 'down');
  }

  /** Sets replicas and the desired/max-replicas annotations; true if the size changed. */
  private scaleReplicaSet(
    rs: ReplicaSetObject,
    newScale: number,
    d: DeploymentObject,
    op: string,
  ): boolean {
    const sizeNeedsUpdate = rs.spec.replicas !== newScale;
    const desired = String(d.spec.replicas);
    const max = String(d.spec.replicas + maxSurge(d));
    const a = rs.metadata.annotations;
    const annotationsNeedUpdate =
      a[ANNOTATION_DESIRED_REPLICAS] !== desired || a[ANNOTATION_MAX_REPLICAS] !== max;
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) return false;
    this.write();
    const old = rs.spec.replicas;
    rs.metadata.annotations = {
      ...a,
      [ANNOTATION_DESIRED_REPLICAS]: desired,
      [ANNOTATION_MAX_REPLICAS]: max,
    };
    if (sizeNeedsUpdate) {
      rs.spec.replicas = newScale;
      rs.metadata.generation++;
    }
    this.ctx.store.putObject(rs, sizeNeedsUpdate ? 'spec' : 'annotations');
    if (sizeNeedsUpdate)
      this.event(
        d,
        'ScalingReplicaSet',
        `Scaled ${op} replica set ${rs.metadata.name} from ${old} to ${newScale}`,
      );
    return sizeNeedsUpdate;
  }

  // ---- RollingUpdate (rolling.go) ---------------------------------------------------------

  private rolloutRolling(d: DeploymentObject, rsList: readonly ReplicaSetObject[]): void {
    const { newRS, oldRSs } = this.replicaSetsAndSyncRevision(d, rsList, true);
    const allRSs = [...oldRSs, newRS!];
    if (this.reconcileNewReplicaSet(allRSs, newRS!, d))
      return this.syncRolloutStatus(allRSs, newRS, d);
    const activeOld = oldRSs.filter((rs) => rs.spec.replicas > 0);
    if (this.reconcileOldReplicaSets(allRSs, activeOld, newRS!, d))
      return this.syncRolloutStatus(allRSs, newRS, d);
    if (deploymentComplete(d, d.status)) this.cleanupDeployment(oldRSs, d);
    this.syncRolloutStatus(allRSs, newRS, d);
  }

  private reconcileNewReplicaSet(
    allRSs: ReplicaSetObject[],
    newRS: ReplicaSetObject,
    d: DeploymentObject,
  ): boolean {
    if (newRS.spec.replicas === d.spec.replicas) return false;
    if (newRS.spec.replicas > d.spec.replicas)
      return this.scaleAndRecord(newRS, d.spec.replicas, d);
    return this.scaleAndRecord(newRS, newRSNewReplicas(d, allRSs, newRS), d);
  }

  private reconcileOldReplicaSets(
    allRSs: ReplicaSetObject[],
    oldRSs: ReplicaSetObject[],
    newRS: ReplicaSetObject,
    d: DeploymentObject,
  ): boolean {
    if (sumSpecReplicas(oldRSs) === 0) return false;
    const allPods = sumSpecReplicas(allRSs);
    const minAvailable = d.spec.replicas - maxUnavailable(d);
    const newRSUnavailable = newRS.spec.replicas - newRS.status.availableReplicas;
    const maxScaledDown = allPods - minAvailable - newRSUnavailable;
    if (maxScaledDown <= 0) return false;
    // Unhealthy old replicas go first: they do not count against availability.
    const cleaned = this.cleanupUnhealthyReplicas(oldRSs, d, maxScaledDown);
    const scaledDown = this.scaleDownOldReplicaSetsForRollingUpdate([...oldRSs, newRS], oldRSs, d);
    return cleaned + scaledDown > 0;
  }

  private cleanupUnhealthyReplicas(
    oldRSs: ReplicaSetObject[],
    d: DeploymentObject,
    maxCleanup: number,
  ): number {
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= maxCleanup) break;
      if (rs.spec.replicas === 0 || rs.spec.replicas === rs.status.availableReplicas) continue;
      const n = Math.min(maxCleanup - total, rs.spec.replicas - rs.status.availableReplicas);
      this.scaleAndRecord(rs, rs.spec.replicas - n, d);
      total += n;
    }
    return total;
  }

  private scaleDownOldReplicaSetsForRollingUpdate(
    allRSs: ReplicaSetObject[],
    oldRSs: ReplicaSetObject[],
    d: DeploymentObject,
  ): number {
    const minAvailable = d.spec.replicas - maxUnavailable(d);
    const available = sumAvailable(allRSs);
    if (available <= minAvailable) return 0;
    const toScaleDown = available - minAvailable;
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= toScaleDown) break;
      if (rs.spec.replicas === 0) continue;
      const n = Math.min(rs.spec.replicas, toScaleDown - total);
      this.scaleAndRecord(rs, rs.spec.replicas - n, d);
      total += n;
    }
    return total;
  }

  // ---- Recreate (recreate.go) -------------------------------------------------------------

  private rolloutRecreate(d: DeploymentObject, rsList: readonly ReplicaSetObject[]): void {
    let { newRS, oldRSs } = this.replicaSetsAndSyncRevision(d, rsList, false);
    const all = (): ReplicaSetObject[] => (newRS ? [...oldRSs, newRS] : [...oldRSs]);
    let scaledDown = false;
    for (const rs of oldRSs.filter((x) => x.spec.replicas > 0)) {
      if (this.scaleAndRecord(rs, 0, d)) scaledDown = true;
    }
    if (scaledDown || this.oldPodsRunning(newRS, oldRSs))
      return this.syncRolloutStatus(all(), newRS, d);
    if (!newRS) ({ newRS, oldRSs } = this.replicaSetsAndSyncRevision(d, rsList, true));
    this.scaleAndRecord(newRS!, d.spec.replicas, d);
    if (deploymentComplete(d, d.status)) this.cleanupDeployment(oldRSs, d);
    this.syncRolloutStatus(all(), newRS, d);
  }

  /** Old pods that are not terminal, including terminating ones, block Recreate. */
  private oldPodsRunning(newRS: ReplicaSetObject | undefined, oldRSs: ReplicaSetObject[]): boolean {
    if (sumStatusReplicas(oldRSs) > 0) return true;
    for (const rs of oldRSs) {
      if (rs === newRS) continue;
      for (const p of this.podsByRS.get(`${rs.metadata.namespace}/${rs.metadata.name}`) ?? []) {
        if (!podIsTerminal(p)) return true;
      }
    }
    return false;
  }

  // ---- scaling events and pause (sync.go) -------------------------------------------------

  private isScalingEvent(d: DeploymentObject, rsList: readonly ReplicaSetObject[]): boolean {
    const { newRS, oldRSs } = this.replicaSetsAndSyncRevision(d, rsList, false);
    for (const rs of newRS ? [...oldRSs, newRS] : oldRSs) {
      if (rs.spec.replicas === 0) continue;
      const desired = rs.metadata.annotations[ANNOTATION_DESIRED_REPLICAS];
      if (desired !== undefined && Number(desired) !== d.spec.replicas) return true;
    }
    return false;
  }

  /** `sync`: proportional scaling only, no new revision (paused, or replicas changed). */
  private syncScale(d: DeploymentObject, rsList: readonly ReplicaSetObject[]): void {
    const { newRS, oldRSs } = this.replicaSetsAndSyncRevision(d, rsList, false);
    this.scale(d, newRS, oldRSs);
    if (d.spec.paused) this.cleanupDeployment(oldRSs, d);
    const all = newRS ? [...oldRSs, newRS] : oldRSs;
    const status = this.calculateStatus(all, newRS, d);
    if (!statusEqual(d.status, status)) this.writeStatus(d, status);
  }

  private scale(
    d: DeploymentObject,
    newRS: ReplicaSetObject | undefined,
    oldRSs: ReplicaSetObject[],
  ): void {
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (activeOrLatest.spec.replicas !== d.spec.replicas)
        this.scaleAndRecord(activeOrLatest, d.spec.replicas, d);
      return;
    }
    if (newRS && isSaturated(d, newRS)) {
      for (const old of oldRSs.filter((rs) => rs.spec.replicas > 0)) this.scaleAndRecord(old, 0, d);
      return;
    }
    if (d.spec.strategy.type !== 'RollingUpdate') return;
    const allRSs = (newRS ? [...oldRSs, newRS] : oldRSs).filter((rs) => rs.spec.replicas > 0);
    const allowed = d.spec.replicas > 0 ? d.spec.replicas + maxSurge(d) : 0;
    const toAdd = allowed - sumSpecReplicas(allRSs);
    let op = '';
    if (toAdd > 0) {
      // ReplicaSetsBySizeNewer: larger first, newer first among equals.
      allRSs.sort((a, b) => b.spec.replicas - a.spec.replicas || byCreation(b, a));
      op = 'up';
    } else if (toAdd < 0) {
      // ReplicaSetsBySizeOlder: larger first, older first among equals.
      allRSs.sort((a, b) => b.spec.replicas - a.spec.replicas || byCreation(a, b));
      op = 'down';
    }
    let added = 0;
    const sizes = new Map<ReplicaSetObject, number>();
    for (const rs of allRSs) {
      if (toAdd !== 0) {
        const p = proportion(rs, d, toAdd, added);
        sizes.set(rs, rs.spec.replicas + p);
        added += p;
      } else {
        sizes.set(rs, rs.spec.replicas);
      }
    }
    allRSs.forEach((rs, i) => {
      // Leftovers go to the largest ReplicaSet.
      if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, sizes.get(rs)! + toAdd - added));
      this.scaleReplicaSet(rs, sizes.get(rs)!, d, op);
    });
  }

  private checkPausedConditions(d: DeploymentObject): void {
    if (d.spec.progressDeadlineSeconds === undefined) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === REASON_TIMED_OUT) return;
    const pausedCondExists = cond?.reason === REASON_PAUSED;
    let c;
    if (d.spec.paused && !pausedCondExists) {
      c = newCondition('Progressing', 'Unknown', REASON_PAUSED, 'Deployment is paused', this.now);
    } else if (!d.spec.paused && pausedCondExists) {
      c = newCondition('Progressing', 'Unknown', REASON_RESUMED, 'Deployment is resumed', this.now);
    }
    if (!c) return;
    const status = { ...d.status };
    setCondition(status, c);
    this.writeStatus(d, status);
  }

  /** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private cleanupDeployment(oldRSs: ReplicaSetObject[], d: DeploymentObject): void {
    const diff = oldRSs.length - d.spec.revisionHistoryLimit;
    if (diff <= 0) return;
    const byRevision = [...oldRSs].sort(
      (a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b),
    );
    for (let i = 0; i < diff; i++) {
      const rs = byRevision[i]!;
      if (rs.status.replicas !== 0 || rs.spec.replicas !== 0) continue;
      if (rs.metadata.generation > rs.status.observedGeneration) continue;
      this.write();
      this.ctx.store.deleteObject(rs);
    }
  }

  // ---- status and progress (progress.go) ----------------------------------------------------

  private calculateStatus(
    allRSs: readonly ReplicaSetObject[],
    newRS: ReplicaSetObject | undefined,
    d: DeploymentObject,
  ): DeploymentStatus {
    const available = sumAvailable(allRSs);
    const total = sumSpecReplicas(allRSs);
    const s: DeploymentStatus = {
      observedGeneration: d.metadata.generation,
      replicas: sumStatusReplicas(allRSs),
      updatedReplicas: newRS ? newRS.status.replicas : 0,
      readyReplicas: sumReady(allRSs),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
      collisionCount: d.status.collisionCount,
      conditions: [...d.status.conditions],
    };
    if (available >= d.spec.replicas - maxUnavailable(d)) {
      setCondition(
        s,
        newCondition(
          'Available',
          'True',
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
          this.now,
        ),
      );
    } else {
      setCondition(
        s,
        newCondition(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
          this.now,
        ),
      );
    }
    return s;
  }

  private syncRolloutStatus(
    allRSs: readonly ReplicaSetObject[],
    newRS: ReplicaSetObject | undefined,
    d: DeploymentObject,
  ): void {
    const s = this.calculateStatus(allRSs, newRS, d);
    const deadline = d.spec.progressDeadlineSeconds;
    if (deadline === undefined) removeCondition(s, 'Progressing');
    const cur = getCondition(d.status, 'Progressing');
    const isComplete = s.replicas === s.updatedReplicas && cur?.reason === REASON_NEW_RS_AVAILABLE;
    const subject = newRS
      ? `ReplicaSet "${newRS.metadata.name}"`
      : `Deployment "${d.metadata.name}"`;
    let timedOutNow = false;
    if (deadline !== undefined && !isComplete) {
      if (deploymentComplete(d, s)) {
        setCondition(
          s,
          newCondition(
            'Progressing',
            'True',
            REASON_NEW_RS_AVAILABLE,
            `${subject} has successfully progressed.`,
            this.now,
          ),
        );
      } else if (deploymentProgressing(d, s)) {
        const c = newCondition(
          'Progressing',
          'True',
          REASON_RS_UPDATED,
          `${subject} is progressing.`,
          this.now,
        );
        if (cur) {
          if (cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
          removeCondition(s, 'Progressing');
        }
        setCondition(s, c);
      } else if (this.timedOut(d, s)) {
        timedOutNow = cur?.reason !== REASON_TIMED_OUT;
        setCondition(
          s,
          newCondition(
            'Progressing',
            'False',
            REASON_TIMED_OUT,
            `${subject} has timed out progressing.`,
            this.now,
          ),
        );
      }
    }
    if (!statusEqual(d.status, s)) this.writeStatus(d, s);
    if (timedOutNow) this.event(d, REASON_TIMED_OUT, `${subject} has timed out progressing.`);
    this.requeueStuckDeployment(d);
  }

  private timedOut(d: DeploymentObject, s: DeploymentStatus): boolean {
    const c = getCondition(s, 'Progressing');
    if (!c || c.reason === REASON_NEW_RS_AVAILABLE) return false;
    if (c.reason === REASON_TIMED_OUT) return true;
    return c.lastUpdateTime + d.spec.progressDeadlineSeconds! * 1000 < this.now;
  }

  /**
   * requeueStuckDeployment: check again once the deadline has passed — upstream adds a
   * second "to avoid milliseconds skew"; within the last second it requeues at once
   * (rate-limited), here 1 ms after the deadline.
   */
  private requeueStuckDeployment(d: DeploymentObject): void {
    const cur = getCondition(d.status, 'Progressing');
    const deadline = d.spec.progressDeadlineSeconds;
    if (deadline === undefined || !cur) return;
    if (deploymentComplete(d, d.status) || cur.reason === REASON_TIMED_OUT) return;
    // Neither a paused nor a completed rollout can time out (DeploymentTimedOut): upstream's
    // rate-limited requeue would find nothing to do.
    if (cur.reason === REASON_PAUSED || cur.reason === REASON_NEW_RS_AVAILABLE) return;
    const after = cur.lastUpdateTime + deadline * 1000 - this.now;
    this.queue.addAfter(deploymentKey(d), after < 1000 ? Math.max(after, 0) + 1 : after + 1000);
  }

  private writeStatus(d: DeploymentObject, status: DeploymentStatus): void {
    this.write();
    d.status = status;
    this.ctx.store.putObject(d, 'status');
  }
}

/** FindActiveOrLatest: the only ReplicaSet with replicas, or the newest if none has any. */
function findActiveOrLatest(
  newRS: ReplicaSetObject | undefined,
  oldRSs: ReplicaSetObject[],
): ReplicaSetObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = (newRS ? [...newestFirst, newRS] : newestFirst).filter(
    (rs) => rs.spec.replicas > 0,
  );
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

function isSaturated(d: DeploymentObject, rs: ReplicaSetObject): boolean {
  const desired = Number(rs.metadata.annotations[ANNOTATION_DESIRED_REPLICAS]);
  return (
    rs.spec.replicas === d.spec.replicas &&
    desired === d.spec.replicas &&
    rs.status.availableReplicas === d.spec.replicas
  );
}

/** Deployments of the scenario, validated with file:line:column errors. */
export function loadScenarioDeployments(ctx: SimContext): DeploymentObject[] {
  const issues = ctx.startupIssues;
  const out: DeploymentObject[] = [];
  for (const obj of ctx.scenario.objects) {
    if (obj.kind !== 'Deployment' || !obj.podTemplate) continue;
    const f = readDeployment(new Reader(issues, obj.origin.src), obj.manifest, obj.origin.path);
    if (!f) continue;
    out.push({
      kind: 'Deployment',
      metadata: {
        ...f.meta,
        uid: ctx.store.nextUid('deployment'),
        generation: 1,
        creationTimestamp: 0,
      },
      spec: f.spec,
      compiled: obj.podTemplate,
      status: emptyDeploymentStatus(),
    });
  }
  return out;
}

export const startDeploymentController: ComponentFactory = (ctx) => {
  new DeploymentController(ctx);
  const deployments = loadScenarioDeployments(ctx);
  registerDeploymentActions(ctx, new Set(deployments.map(deploymentKey)));
  for (const d of deployments) ctx.store.putObject(d);
};
