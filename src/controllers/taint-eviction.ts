/**
 * The taint-eviction controller (pkg/controller/tainteviction/taint_eviction.go): reacts to
 * NoExecute taints on nodes. For each pod on a tainted node:
 * - a taint it does not tolerate: deleted at once;
 * - all tolerated, the smallest tolerationSeconds s: deleted s after the controller saw the
 *   taint (an earlier scheduled deletion is kept if it would fire sooner);
 * - tolerated without tolerationSeconds (DaemonSet pods): never;
 * a scheduled deletion is cancelled when the taints go away. The deletion is graceful, so on
 * an unreachable node the object stays Terminating until the kubelet comes back or the node
 * object is deleted. Runs only under the controller-manager leader; a new leader's timers
 * start from its own first look.
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { ComponentFactory, SimContext } from '../components/context.js';
import type { Timer } from '../engine/engine.js';
import { podIsTerminal, type SimNode, type SimPod } from '../model/objects.js';
import { toleratesTaint } from '../scheduler-plugins/helpers/taints.js';

export const REASON_TAINT_EVICTION = 'TaintManagerEviction';
const ACTOR = 'taint-eviction-controller';

interface ScheduledEviction {
  createdAt: number;
  fireAt: number;
  timer: Timer;
}

/**
 * getMinTolerationTime over the tolerations used: 0 for none (evict now), −1 when none
 * sets seconds (tolerate forever), otherwise the smallest in ms (≤ 0 s means now).
 */
export function minTolerationMs(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

/** GetMatchingTolerations: whether every taint is tolerated, and the tolerations used. */
export function matchingTolerations(
  taints: readonly Taint[],
  tolerations: readonly Toleration[] | undefined,
): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((tol) => toleratesTaint(tol, taint));
    if (!t) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}

export class TaintEvictionController {
  private active = false;
  private readonly scheduled = new Map<SimPod, ScheduledEviction>();

  constructor(private readonly ctx: SimContext) {
    ctx.store.onNode((e) => {
      if (this.active && e.type === 'update' && e.change === 'taints') this.handleNode(e.node);
    });
    ctx.store.onPod((e) => {
      if (!this.active) return;
      if (e.type === 'delete') this.cancel(e.pod, false);
      else if (e.type === 'update' && e.change === 'bound') {
        const node = ctx.store.getNode(e.pod.spec.nodeName ?? '');
        if (node) this.processPod(e.pod, noExecuteTaints(node));
      }
    });
    ctx.leaders.controllerManager.onChange((a) => this.setActive(a));
    if (ctx.leaders.controllerManager.active) this.setActive(true);
  }

  private setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    for (const s of this.scheduled.values()) this.ctx.engine.cancel(s.timer);
    this.scheduled.clear();
    if (!active) return;
    for (const info of this.ctx.store.nodes()) {
      if (noExecuteTaints(info.node).length) this.handleNode(info.node);
    }
  }

  private handleNode(node: SimNode): void {
    const taints = noExecuteTaints(node);
    const name = node.metadata.name;
    const pods = (this.ctx.store.getNodeInfo(name)?.pods ?? []).filter(
      (p) => p.spec.nodeName === name,
    );
    for (const pod of pods) this.processPod(pod, taints);
  }

  /** processPodOnNode. */
  private processPod(pod: SimPod, taints: Taint[]): void {
    if (podIsTerminal(pod) || pod.metadata.deletionTimestamp !== undefined) return;
    if (taints.length === 0) {
      this.cancel(pod, true);
      return;
    }
    const now = this.ctx.engine.now;
    const { allTolerated, used } = matchingTolerations(taints, pod.spec.tolerations);
    if (!allTolerated) {
      this.cancel(pod, false);
      this.evict(pod);
      return;
    }
    const wait = minTolerationMs(used);
    if (wait < 0) {
      this.cancel(pod, true);
      return;
    }
    let start = now;
    const existing = this.scheduled.get(pod);
    if (existing) {
      start = existing.createdAt;
      if (start + wait < now + wait) return;
      this.cancel(pod, true);
    }
    if (start + wait <= now) {
      this.evict(pod);
      return;
    }
    const fireAt = start + wait;
    const timer = this.ctx.engine.scheduleAt(fireAt, () => {
      this.scheduled.delete(pod);
      this.evict(pod);
    });
    this.scheduled.set(pod, { createdAt: start, fireAt, timer });
  }

  private cancel(pod: SimPod, withEvent: boolean): void {
    const s = this.scheduled.get(pod);
    if (!s) return;
    this.ctx.engine.cancel(s.timer);
    this.scheduled.delete(pod);
    if (withEvent)
      this.ctx.events.record(
        'Pod',
        pod.key,
        REASON_TAINT_EVICTION,
        `Cancelling deletion of Pod ${pod.key}`,
      );
  }

  /** deletePodHandler: event, then a graceful delete (retried while the apiserver refuses). */
  private evict(pod: SimPod, attempt = 0): void {
    if (!this.active || pod.metadata.deletionTimestamp !== undefined) return;
    if (this.ctx.store.getPod(pod.key) !== pod || podIsTerminal(pod)) return;
    if (attempt === 0)
      this.ctx.events.record(
        'Pod',
        pod.key,
        REASON_TAINT_EVICTION,
        `Marking for deletion Pod ${pod.key}`,
      );
    if (!this.ctx.api.tryWrite('pod-delete', ACTOR)) {
      // The work queue retries with its rate-limited backoff; 1 s steps are close enough.
      const timer = this.ctx.engine.schedule(1000, () => {
        this.scheduled.delete(pod);
        this.evict(pod, attempt + 1);
      });
      this.scheduled.set(pod, {
        createdAt: this.ctx.engine.now,
        fireAt: this.ctx.engine.now + 1000,
        timer,
      });
      return;
    }
    const now = this.ctx.engine.now;
    if (pod.outcome === 'Pending' || pod.outcome === 'Running') pod.outcome = 'Evicted';
    pod.times.finished ??= now;
    pod.metadata.deletionTimestamp = now;
    this.ctx.store.updatePod(pod, 'deleting');
  }
}

function noExecuteTaints(node: SimNode): Taint[] {
  return node.spec.taints.filter((t) => t.effect === 'NoExecute');
}

export const startTaintEviction: ComponentFactory = (ctx) => {
  new TaintEvictionController(ctx);
};
