/**
 * Disruption controller (pkg/controller/disruption): keeps each PodDisruptionBudget's status
 * — expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed — current from pod
 * watches, so evictions (drain) and preemption read `status.disruptionsAllowed`.
 *
 * - currentHealthy: matching pods that are Ready, not being deleted, and not in
 *   `disruptedPods` (evictions admitted but not yet carried out).
 * - minAvailable as an integer: expected = number of matching pods, desired = minAvailable.
 * - maxUnavailable, or minAvailable as a percentage: expected = Σ spec.replicas of the pods'
 *   top-level controllers (Deployment, ReplicaSet, StatefulSet); percentages round up.
 *   When a controller's scale is unknown the budget fails safe: disruptionsAllowed 0.
 * - disruptedPods entries expire after 2 min (DeletionTimeout) if the pod is still there.
 */
import { expectedScale } from '../scheduler-plugins/helpers/pdb.js';
import type { PodDisruptionBudgetSpec } from 'kubernetes-types/policy/v1.js';
import type { SimContext } from '../components/context.js';
import type { SimPod } from '../model/objects.js';
import { labelSelectorMatches } from '../scheduler-plugins/helpers/label-selector.js';
import { PDB_KIND, scaledValue } from '../scheduler-plugins/helpers/pdb.js';
import { SyncQueue, type SyncResult } from './sync-queue.js';
import {
  loadScenarioObjects,
  STATUS_CHANGE,
  workloadKey,
  type StoredWorkload,
} from './stored-workload.js';

/** disruption.go DeletionTimeout. */
export const PDB_DELETION_TIMEOUT_MS = 120_000;

export interface PDBStatus {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
  /** Pod name → virtual ms the eviction was admitted. */
  disruptedPods: Record<string, number>;
}

export type PDB = StoredWorkload<PodDisruptionBudgetSpec, Partial<PDBStatus>>;

export function pdbSelects(pdb: PDB, pod: SimPod): boolean {
  // policy/v1: a nil selector selects nothing, an empty one every pod in the namespace.
  return (
    pod.metadata.namespace === pdb.metadata.namespace &&
    pdb.spec.selector !== undefined &&
    labelSelectorMatches(pdb.spec.selector, pod.metadata.labels)
  );
}

export function startDisruptionController(ctx: SimContext): void {
  const { store } = ctx;
  const queue = new SyncQueue(ctx, (key) => {
    const pdb = store.getObject<PDB>(PDB_KIND, key);
    return pdb ? syncPDB(ctx, pdb) : undefined;
  });
  store.onObject(PDB_KIND, (e) => {
    if (e.change === STATUS_CHANGE || e.type === 'delete') return;
    queue.enqueue(workloadKey(e.obj as PDB));
  });
  store.onPod((e) => {
    for (const pdb of store.listObjects<PDB>(PDB_KIND)) {
      if (pdbSelects(pdb, e.pod)) queue.enqueue(workloadKey(pdb));
    }
  });
  // Scale changes of the owning controllers change expectedPods.
  for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet']) {
    store.onObject(kind, (e) => {
      if (e.change === STATUS_CHANGE) return;
      for (const pdb of store.listObjects<PDB>(PDB_KIND)) queue.enqueue(workloadKey(pdb));
    });
  }
  loadScenarioObjects(ctx, PDB_KIND);
}

/** The controller's arithmetic; exported for tests. Mutates and returns `pdb.status`. */
export function computePDBStatus(
  ctx: SimContext,
  pdb: PDB,
): { status: PDBStatus; expireInMs?: number } {
  const now = ctx.engine.now;
  const pods: SimPod[] = [];
  for (const p of ctx.store.pods()) if (pdbSelects(pdb, p)) pods.push(p);
  const disrupted: Record<string, number> = {};
  let expireInMs: number | undefined;
  const present = new Set(pods.map((p) => p.metadata.name));
  for (const [name, at] of Object.entries(pdb.status.disruptedPods ?? {})) {
    const pod = pods.find((p) => p.metadata.name === name);
    // Dropped once the pod is being deleted or gone (a pod of that name created since is a
    // replacement: upstream's sync would have seen the name missing in between), or after
    // DeletionTimeout.
    if (!present.has(name) || pod?.metadata.deletionTimestamp !== undefined) continue;
    if (pod && pod.metadata.creationTimestamp >= at) continue;
    if (at + PDB_DELETION_TIMEOUT_MS <= now) continue;
    disrupted[name] = at;
    const left = at + PDB_DELETION_TIMEOUT_MS - now;
    expireInMs = expireInMs === undefined ? left : Math.min(expireInMs, left);
  }
  const currentHealthy = pods.filter(
    (p) =>
      p.status.ready &&
      p.metadata.deletionTimestamp === undefined &&
      !(p.metadata.name in disrupted),
  ).length;
  let expected: number | undefined;
  let desired: number | undefined;
  const { minAvailable, maxUnavailable } = pdb.spec;
  if (maxUnavailable !== undefined) {
    expected = expectedScale(pods, ctx.store);
    const max = expected === undefined ? undefined : scaledValue(maxUnavailable, expected);
    if (expected !== undefined && max !== undefined) desired = Math.max(0, expected - max);
  } else if (typeof minAvailable === 'number') {
    expected = pods.length;
    desired = minAvailable;
  } else if (minAvailable !== undefined) {
    expected = expectedScale(pods, ctx.store);
    desired = expected === undefined ? undefined : scaledValue(minAvailable, expected);
  }
  const status: PDBStatus =
    expected === undefined || desired === undefined
      ? {
          expectedPods: 0,
          currentHealthy,
          desiredHealthy: 0,
          disruptionsAllowed: 0,
          disruptedPods: disrupted,
        }
      : {
          expectedPods: expected,
          currentHealthy,
          desiredHealthy: desired,
          disruptionsAllowed: expected <= 0 ? 0 : Math.max(0, currentHealthy - desired),
          disruptedPods: disrupted,
        };
  pdb.status = status;
  return { status, expireInMs };
}

function syncPDB(ctx: SimContext, pdb: PDB): SyncResult {
  const { expireInMs } = computePDBStatus(ctx, pdb);
  ctx.store.putObject(pdb, STATUS_CHANGE);
  return expireInMs;
}
