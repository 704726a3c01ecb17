/**
 * Which pods serve — Ready, not terminating, not terminal, on a node that exists and whose
 * machine and network are up (a stopped kubelet's or a dead runtime's containers still
 * serve) — counted per top-level workload, kept up to date from pod events and node failures
 * (O(1) per pod change, O(pods of the node) per node change).
 */
import type { SimContext } from '../components/context.js';
import { nodeHealth } from '../controllers/node-lifecycle.js';
import type { NodeHealth } from '../kubelet/node-health.js';
import { podIsTerminal, type SimPod } from '../model/objects.js';

export function servesTraffic(pod: SimPod, health: NodeHealth): boolean {
  return (
    pod.status.ready &&
    pod.metadata.deletionTimestamp === undefined &&
    !podIsTerminal(pod) &&
    (pod.spec.nodeName === undefined || health.serving(pod.spec.nodeName))
  );
}

export class ServingPods {
  private readonly serving = new Set<SimPod>();
  private readonly counts = new Map<string, number>();
  private readonly health: NodeHealth;

  constructor(private readonly ctx: SimContext) {
    this.health = nodeHealth(ctx);
    ctx.store.onPod((e) => this.update(e.pod, e.type === 'delete'));
    this.health.onChange((e) => this.updateNode(e.node));
    ctx.store.onNode((e) => {
      if (e.type === 'delete') this.updateNode(e.node.metadata.name);
    });
  }

  /** Serving pods of the workload (`Kind/namespace/name`) now. */
  count(owner: string): number {
    return this.counts.get(owner) ?? 0;
  }

  private update(pod: SimPod, deleted = false): void {
    if (!pod.topOwner) return;
    const now = !deleted && servesTraffic(pod, this.health);
    if (now === this.serving.has(pod)) return;
    const n = this.counts.get(pod.topOwner) ?? 0;
    if (now) this.serving.add(pod);
    else this.serving.delete(pod);
    this.counts.set(pod.topOwner, n + (now ? 1 : -1));
  }

  private updateNode(node: string): void {
    const info = this.ctx.store.getNodeInfo(node);
    const pods = info ? info.pods : [...this.serving].filter((p) => p.spec.nodeName === node); // removed node
    for (const pod of [...pods]) if (pod.spec.nodeName === node) this.update(pod);
  }
}

const trackers = new WeakMap<SimContext, ServingPods>();

/** The run's serving-pod counts (started by the first component asking). */
export function servingPodsOf(ctx: SimContext): ServingPods {
  let t = trackers.get(ctx);
  if (!t) trackers.set(ctx, (t = new ServingPods(ctx)));
  return t;
}
