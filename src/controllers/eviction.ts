/**
 * The Eviction API (pkg/registry/core/pod/storage/eviction.go) as drain uses it: a pod
 * terminal, Pending or being deleted is deleted without a budget check (canIgnorePDB); a pod matched by
 * more than one PodDisruptionBudget is refused (500); otherwise its budget must allow a
 * disruption — then `disruptionsAllowed` is decremented and the pod recorded in
 * `disruptedPods` before the graceful deletion. A not-Ready pod may be evicted without
 * using the budget when the budget is healthy (unhealthyPodEvictionPolicy IfHealthyBudget,
 * the default). Refused with 429 otherwise: the caller retries.
 */
import type { SimContext } from '../components/context.js';
import { podIsTerminal, type SimPod } from '../model/objects.js';
import { PDB_KIND } from '../scheduler-plugins/helpers/pdb.js';
import { computePDBStatus, pdbSelects, type PDB } from './disruption.js';
import { STATUS_CHANGE } from './stored-workload.js';

export type EvictionOutcome = 'Evicted' | 'TooManyRequests' | 'Unavailable' | 'MultiplePDBs';

export function evictPodWithReason(ctx: SimContext, pod: SimPod, reason: string): EvictionOutcome {
  if (!ctx.api.tryWrite('eviction', 'eviction')) return 'Unavailable';
  // canIgnorePDB: a pod that is terminal, Pending (it serves nothing yet) or already being
  // deleted is deleted without a budget check.
  if (
    podIsTerminal(pod) ||
    pod.status.phase === 'Pending' ||
    pod.metadata.deletionTimestamp !== undefined
  ) {
    deleteEvicted(ctx, pod, reason);
    return 'Evicted';
  }
  const pdbs = ctx.store.listObjects<PDB>(PDB_KIND).filter((b) => pdbSelects(b, pod));
  if (pdbs.length > 1) return 'MultiplePDBs';
  const pdb = pdbs[0];
  if (pdb) {
    // The apiserver reads the budget's status; make sure it reflects this instant.
    const status = computePDBStatus(ctx, pdb).status;
    const healthyBudget =
      status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0;
    if (pod.status.ready || !healthyBudget) {
      if (status.disruptionsAllowed <= 0) {
        ctx.store.putObject(pdb, STATUS_CHANGE);
        return 'TooManyRequests';
      }
      status.disruptionsAllowed--;
      status.disruptedPods[pod.metadata.name] = ctx.engine.now;
    }
    ctx.store.putObject(pdb, STATUS_CHANGE);
  }
  deleteEvicted(ctx, pod, reason);
  return 'Evicted';
}

/** Evicts `pod`; false when refused (429 from a budget, 500 for several, apiserver down). */
export function evictPod(ctx: SimContext, pod: SimPod, reason: string): boolean {
  return evictPodWithReason(ctx, pod, reason) === 'Evicted';
}

function deleteEvicted(ctx: SimContext, pod: SimPod, reason: string): void {
  if (pod.metadata.deletionTimestamp !== undefined) return;
  if (pod.outcome === 'Pending' || pod.outcome === 'Running') pod.outcome = 'Evicted';
  pod.metadata.deletionTimestamp = ctx.engine.now;
  ctx.events.record('Pod', pod.key, 'Evicted', reason);
  ctx.store.updatePod(pod, 'deleting');
}
