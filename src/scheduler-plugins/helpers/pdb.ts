/**
 * PodDisruptionBudgets as preemption reads them (policy/v1): how many disruptions each budget
 * still allows, and which would-be victims would overdraw one (filterPodsWithPDBViolation in
 * defaultpreemption/default_preemption.go).
 *
 * `status.disruptionsAllowed` is normally written by the PDB controller. When a budget has no
 * status yet (nothing maintains it in a scenario), it is computed here the way the disruption
 * controller would (pkg/controller/disruption): healthy = matching pods that are Ready and not
 * being deleted; desired healthy from minAvailable/maxUnavailable, percentages scaled against
 * the expected count and rounded up; allowed = max(healthy − desired, 0). Where the controller
 * would need the owning controller's scale and cannot find it, it fails safe to 0.
 */
import type { PodDisruptionBudgetSpec } from 'kubernetes-types/policy/v1.js';
import type { SimPod } from '../../model/objects.js';
import type { ClusterStore } from '../../model/store.js';
import { labelSelectorMatches } from './label-selector.js';

export const PDB_KIND = 'PodDisruptionBudget';

/** A PodDisruptionBudget as kept in the store (the Kubernetes manifest shape). */
export interface PodDisruptionBudget {
  kind: typeof PDB_KIND;
  metadata: { name: string; namespace?: string };
  spec: PodDisruptionBudgetSpec;
  status?: {
    disruptionsAllowed?: number;
    /** Pod name → time the eviction was admitted; such pods are not counted again. */
    disruptedPods?: Record<string, unknown>;
  };
}

/** A budget with the number of disruptions it still allows, ready for victim selection. */
export interface PDBView {
  namespace: string;
  spec: PodDisruptionBudgetSpec;
  disruptionsAllowed: number;
  disruptedPods: Record<string, unknown>;
}

export function listPDBs(store: ClusterStore): PDBView[] {
  return store.listObjects<PodDisruptionBudget>(PDB_KIND).map((pdb) => ({
    namespace: pdb.metadata.namespace ?? 'default',
    spec: pdb.spec ?? {},
    disruptionsAllowed: pdb.status?.disruptionsAllowed ?? computeDisruptionsAllowed(pdb, store),
    disruptedPods: pdb.status?.disruptedPods ?? {},
  }));
}

/** The disruption controller's arithmetic for a budget without a status (see file comment). */
export function computeDisruptionsAllowed(pdb: PodDisruptionBudget, store: ClusterStore): number {
  const namespace = pdb.metadata.namespace ?? 'default';
  const selector = pdb.spec?.selector;
  const pods: SimPod[] = [];
  for (const p of store.pods()) {
    // policy/v1: a nil selector matches no pods, an empty one every pod of the namespace.
    if (p.metadata.namespace === namespace && labelSelectorMatches(selector, p.metadata.labels)) {
      pods.push(p);
    }
  }
  const healthy = pods.filter(
    (p) => p.metadata.deletionTimestamp === undefined && p.status.ready,
  ).length;

  let expected: number | undefined;
  let desiredHealthy: number | undefined;
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined) {
    expected = expectedScale(pods, store);
    const max = expected === undefined ? undefined : scaledValue(maxUnavailable, expected);
    if (expected !== undefined && max !== undefined) desiredHealthy = Math.max(expected - max, 0);
  } else if (typeof minAvailable === 'number') {
    expected = pods.length;
    desiredHealthy = minAvailable;
  } else if (minAvailable !== undefined) {
    expected = expectedScale(pods, store);
    desiredHealthy = expected === undefined ? undefined : scaledValue(minAvailable, expected);
  }
  if (expected === undefined || desiredHealthy === undefined) return 0; // failSafe
  const allowed = healthy - desiredHealthy;
  return expected <= 0 || allowed <= 0 ? 0 : allowed;
}

/**
 * GetScaledValueFromIntOrPercent(v, total, roundUp=true): an int as is, "N%" as
 * ⌈N × total / 100⌉; anything else is invalid (undefined).
 */
export function scaledValue(v: number | string, total: number): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return undefined;
  return Math.ceil((Number(m[1]) * total) / 100);
}

/**
 * Σ `spec.replicas` of the distinct controllers owning the pods (the top-level owner, as
 * upstream resolves a Deployment's ReplicaSet to the Deployment). Undefined when a pod has no
 * owner or the owner's scale is unknown: the disruption controller then fails safe.
 */
export function expectedScale(pods: readonly SimPod[], store: ClusterStore): number | undefined {
  const seen = new Set<string>();
  let total = 0;
  for (const p of pods) {
    if (!p.topOwner) return undefined;
    if (seen.has(p.topOwner)) continue;
    seen.add(p.topOwner);
    const slash = p.topOwner.indexOf('/');
    const kind = p.topOwner.slice(0, slash);
    // The disruption controller's finders know these scalable controllers only.
    if (!SCALABLE_KINDS.includes(kind)) return undefined;
    const owner = store.getObject<{
      kind: string;
      metadata: { name: string };
      spec?: { replicas?: number };
    }>(kind, p.topOwner.slice(slash + 1));
    // An owner present without spec.replicas has the API default, 1.
    const replicas = owner?.spec?.replicas ?? (owner ? 1 : undefined);
    if (typeof replicas !== 'number') return undefined;
    total += replicas;
  }
  return total;
}

const SCALABLE_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];

/**
 * filterPodsWithPDBViolation: splits `pods` (order kept) into those whose eviction would take
 * some matching budget below zero and the rest. Each matching budget is decremented once per
 * pod, except for pods already in its `disruptedPods`. Unlike the disruption controller, a
 * nil or empty selector matches nothing here, and pods without labels match no budget.
 */
export function filterPodsWithPDBViolation(
  pods: readonly SimPod[],
  pdbs: readonly PDBView[],
): { violating: SimPod[]; nonViolating: SimPod[] } {
  const allowed = pdbs.map((p) => p.disruptionsAllowed);
  const violating: SimPod[] = [];
  const nonViolating: SimPod[] = [];
  for (const pod of pods) {
    let violated = false;
    const labels = pod.metadata.labels;
    if (Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.namespace !== pod.metadata.namespace) return;
        const selector = pdb.spec.selector;
        if (selectorIsEmpty(selector) || !labelSelectorMatches(selector, labels)) return;
        if (Object.prototype.hasOwnProperty.call(pdb.disruptedPods, pod.metadata.name)) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

function selectorIsEmpty(selector: PodDisruptionBudgetSpec['selector']): boolean {
  if (!selector) return true;
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}
