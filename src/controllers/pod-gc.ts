/**
 * PodGC's orphan collection (pkg/controller/podgc/gc_controller.go, gcOrphaned): every
 * gcCheckPeriod (20 s) it puts nodes that pods are bound to but that no longer exist into
 * quarantine for 40 s; a node still missing afterwards has its pods marked Failed and
 * force-deleted (DisruptionTarget DeletionByPodGC). Event-driven: the loop's instants are
 * computed when a node is deleted. Terminated-pod and out-of-service collection are not
 * modelled. Runs only under the controller-manager leader.
 */
import type { ComponentFactory, SimContext } from '../components/context.js';
import type { Timer } from '../engine/engine.js';
import { nextOnGrid } from '../kubelet/node-health.js';
import { setPodReady, type SimPod } from '../model/objects.js';

export const GC_CHECK_PERIOD_MS = 20_000;
export const QUARANTINE_MS = 40_000;

export class PodGC {
  private active = false;
  private phase = 0;
  private readonly pending = new Map<string, Timer>();
  private readonly phaseRng;

  constructor(private readonly ctx: SimContext) {
    this.phaseRng = ctx.rng.stream('pod-gc');
    ctx.store.onNode((e) => {
      if (e.type === 'delete') this.quarantine(e.node.metadata.name);
      else if (e.type === 'add') this.release(e.node.metadata.name);
    });
    ctx.leaders.controllerManager.onChange((a) => this.setActive(a));
    if (ctx.leaders.controllerManager.active) this.setActive(true);
  }

  private setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    for (const t of this.pending.values()) this.ctx.engine.cancel(t);
    const orphans = new Set<string>();
    this.pending.clear();
    if (!active) return;
    this.phase = Math.floor(this.phaseRng.next() * GC_CHECK_PERIOD_MS);
    for (const pod of this.ctx.store.pods()) {
      const n = pod.spec.nodeName;
      if (n && !this.ctx.store.getNode(n)) orphans.add(n);
    }
    for (const n of orphans) this.quarantine(n);
  }

  /** Found missing at the next loop; collected at the first loop after the quarantine. */
  private quarantine(node: string): void {
    if (!this.active || this.pending.has(node)) return;
    const now = this.ctx.engine.now;
    const seen = nextOnGrid(this.phase, GC_CHECK_PERIOD_MS, now);
    const at = nextOnGrid(this.phase, GC_CHECK_PERIOD_MS, seen + QUARANTINE_MS);
    this.pending.set(
      node,
      this.ctx.engine.scheduleAt(at, () => this.collect(node)),
    );
  }

  private release(node: string): void {
    const t = this.pending.get(node);
    if (t) this.ctx.engine.cancel(t);
    this.pending.delete(node);
  }

  private collect(node: string): void {
    this.pending.delete(node);
    if (this.ctx.store.getNode(node)) return;
    const orphans: SimPod[] = [];
    for (const pod of this.ctx.store.pods()) if (pod.spec.nodeName === node) orphans.push(pod);
    if (orphans.length === 0) return;
    if (!this.ctx.api.tryWrite('pod-delete', 'pod-garbage-collector')) {
      this.pending.set(
        node,
        this.ctx.engine.schedule(GC_CHECK_PERIOD_MS, () => this.collect(node)),
      );
      return;
    }
    const now = this.ctx.engine.now;
    for (const pod of orphans) {
      if (pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed') {
        pod.status.phase = 'Failed';
        setPodReady(pod, false, now);
        pod.status.reason = 'NodeLost';
      }
      if (pod.outcome === 'Pending' || pod.outcome === 'Running') pod.outcome = 'Deleted';
      pod.times.finished ??= now;
      this.ctx.store.deletePod(pod);
    }
  }
}

export const startPodGC: ComponentFactory = (ctx) => {
  new PodGC(ctx);
};
