/**
 * Which pods a ReplicaSet deletes first when it scales down: upstream's
 * controller.ActivePodsWithRanks.Less (pkg/controller/controller_utils.go), with the rank
 * from getPodsRankedByRelatedPodsOnSameNode and LogarithmicScaleDown (GA since 1.31).
 */
import { apiTime, type SimPod } from '../model/objects.js';

export const ANNOTATION_POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(p: SimPod): number {
  const v = p.metadata.annotations[ANNOTATION_POD_DELETION_COST];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

/**
 * logarithmicRankDiff: both instants bucketed by ⌊log2(now − t)⌋ with the age in
 * nanoseconds, as upstream's time.Duration; an age ≤ 0 is bucket −1.
 */
export function logarithmicBucket(t: number, now: number): number {
  const ns = (now - t) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/** True if pod `a` should be deleted before pod `b`. */
export function deleteBefore(
  a: SimPod,
  rankA: number,
  b: SimPod,
  rankB: number,
  now: number,
): boolean {
  // 1. Unassigned < assigned.
  const na = a.spec.nodeName ?? '';
  const nb = b.spec.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  // 2. Pending < Unknown < Running.
  const pa = PHASE_ORDINAL[a.status.phase] ?? 0;
  const pb = PHASE_ORDINAL[b.status.phase] ?? 0;
  if (pa !== pb) return pa < pb;
  // 3. Not ready < ready.
  if (a.status.ready !== b.status.ready) return !a.status.ready;
  // 4. Lower pod-deletion-cost first.
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca < cb;
  // 5. Doubled-up (more related pods on the same node) first.
  if (rankA !== rankB) return rankA > rankB;
  // 6. Both ready: more recently ready first (podReadyTime: the Ready condition's
  // lastTransitionTime, so a pod that became Ready again counts from then), in logarithmic
  // buckets, ties by UID.
  if (a.status.ready && b.status.ready) {
    const ra = a.status.readyTransitionTime;
    const rb = b.status.readyTransitionTime;
    if (ra !== undefined && rb !== undefined && ra !== rb) {
      const diff = logarithmicBucket(ra, now) - logarithmicBucket(rb, now);
      if (diff === 0) return a.metadata.uid < b.metadata.uid;
      return diff < 0;
    }
  }
  // 7. More container restarts first.
  if (a.status.restartCount !== b.status.restartCount)
    return a.status.restartCount > b.status.restartCount;
  // 8. Newer first, in logarithmic buckets, ties by UID. creationTimestamp, like every
  // metav1.Time, has whole-second precision.
  const ta = apiTime(a.metadata.creationTimestamp);
  const tb = apiTime(b.metadata.creationTimestamp);
  if (ta !== tb) {
    const diff = logarithmicBucket(ta, now) - logarithmicBucket(tb, now);
    if (diff === 0) return a.metadata.uid < b.metadata.uid;
    return diff < 0;
  }
  return false;
}

/**
 * getPodsToDelete: the `count` pods to delete from `pods`, ranked by the number of active
 * `related` pods (the ReplicaSet's and its siblings') on the same node.
 */
export function podsToDelete(
  pods: readonly SimPod[],
  related: Iterable<SimPod>,
  count: number,
  now: number,
): SimPod[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (p.status.phase === 'Succeeded' || p.status.phase === 'Failed') continue;
    if (p.metadata.deletionTimestamp !== undefined) continue;
    const n = p.spec.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec.nodeName ?? '') ?? 0 }));
  // Array.prototype.sort is stable; the comparator is a strict weak order like sort.Sort's Less.
  ranked.sort((x, y) =>
    deleteBefore(x.pod, x.rank, y.pod, y.rank, now)
      ? -1
      : deleteBefore(y.pod, y.rank, x.pod, x.rank, now)
        ? 1
        : 0,
  );
  return ranked.slice(0, count).map((x) => x.pod);
}
