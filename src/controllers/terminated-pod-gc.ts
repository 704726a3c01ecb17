/**
 * PodGC's terminated-pod collection (pkg/controller/podgc gcTerminated): when more than
 * `terminatedPodGCThreshold` (12 500) pods are Succeeded or Failed, the excess is deleted,
 * evicted pods first, then the oldest created. Event-driven: checked one loop period (20 s)
 * after the count crosses the threshold, not every 20 s. Orphan collection (pods on deleted
 * nodes) is pod-gc.ts.
 */
import type { SimContext } from '../components/context.js';
import { podIsTerminal, type SimPod } from '../model/objects.js';

export interface PodGCConfig {
  gcPeriodMs: number;
  /** kube-controller-manager --terminated-pod-gc-threshold (≤ 0 disables). */
  terminatedPodGCThreshold: number;
}

export const DEFAULT_PODGC_CONFIG: PodGCConfig = {
  gcPeriodMs: 20_000,
  terminatedPodGCThreshold: 12_500,
};

export function startTerminatedPodGC(
  ctx: SimContext,
  cfg: PodGCConfig = DEFAULT_PODGC_CONFIG,
): void {
  const { store, engine } = ctx;
  const terminated = new Set<SimPod>();
  let gcScheduled = false;

  const forceDelete = (pod: SimPod, why: string): boolean => {
    if (!ctx.api.tryWrite('pod-delete', 'controller/podgc')) return false;
    ctx.events.record('Pod', pod.key, 'PodGCDeleted', why);
    store.deletePod(pod);
    return true;
  };

  const gcTerminated = (): void => {
    gcScheduled = false;
    if (cfg.terminatedPodGCThreshold <= 0 || terminated.size <= cfg.terminatedPodGCThreshold)
      return;
    if (!ctx.leaders.controllerManager.active) return scheduleTerminatedGC();
    const pods = [...terminated].sort(
      (a, b) =>
        Number(b.status.reason === 'Evicted') - Number(a.status.reason === 'Evicted') ||
        a.metadata.creationTimestamp - b.metadata.creationTimestamp,
    );
    const excess = terminated.size - cfg.terminatedPodGCThreshold;
    for (const pod of pods.slice(0, excess)) {
      if (!forceDelete(pod, `Deleting terminated pod ${pod.key} (above the threshold)`)) {
        scheduleTerminatedGC();
        return;
      }
    }
  };
  const scheduleTerminatedGC = (): void => {
    if (gcScheduled) return;
    gcScheduled = true;
    engine.schedule(cfg.gcPeriodMs, gcTerminated);
  };

  store.onPod((e) => {
    if (e.type === 'delete') {
      terminated.delete(e.pod);
      return;
    }
    if (podIsTerminal(e.pod) && !terminated.has(e.pod)) {
      terminated.add(e.pod);
      if (cfg.terminatedPodGCThreshold > 0 && terminated.size > cfg.terminatedPodGCThreshold)
        scheduleTerminatedGC();
    }
  });
}
