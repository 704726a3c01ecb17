/**
 * The nominator (upstream podNominator): pending pods that preemption nominated to a node, by
 * node, in nomination order. Filter runs with them added to the node (for pods of lower or
 * equal priority), so the room preemption freed stays reserved for the preemptor.
 *
 * One per ClusterStore, kept from the store's pod watch: a nomination ('nominated') adds or
 * moves the pod, a binding or deletion removes it.
 */
import type { SimPod } from '../model/objects.js';
import type { ClusterStore, PodEvent } from '../model/store.js';

const NOMINATORS = new WeakMap<ClusterStore, Nominator>();

export class Nominator {
  private readonly byNode = new Map<string, SimPod[]>();
  private readonly nodeOf = new Map<SimPod, string>();

  static of(store: ClusterStore): Nominator {
    let n = NOMINATORS.get(store);
    if (!n) {
      n = new Nominator(store);
      NOMINATORS.set(store, n);
    }
    return n;
  }

  private constructor(store: ClusterStore) {
    for (const p of store.pending()) this.sync(p);
    store.onPod((e) => this.onPod(e));
  }

  /** Whether any pod is nominated anywhere (the common answer is no: a size check). */
  get isEmpty(): boolean {
    return this.nodeOf.size === 0;
  }

  /** Pods nominated to the node, in nomination order (shared: do not mutate). */
  podsOn(nodeName: string): readonly SimPod[] | undefined {
    return this.byNode.get(nodeName);
  }

  private onPod(e: PodEvent): void {
    if (e.type === 'delete') this.remove(e.pod);
    else this.sync(e.pod);
  }

  private sync(pod: SimPod): void {
    const want =
      pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined
        ? undefined
        : pod.status.nominatedNodeName || undefined;
    const have = this.nodeOf.get(pod);
    if (want === have) return;
    if (have !== undefined) this.remove(pod);
    if (want === undefined) return;
    this.nodeOf.set(pod, want);
    let list = this.byNode.get(want);
    if (!list) this.byNode.set(want, (list = []));
    list.push(pod);
  }

  /** Drops a pod's nomination (the scheduler assumed it: it now counts on its node). */
  remove(pod: SimPod): void {
    const node = this.nodeOf.get(pod);
    if (node === undefined) return;
    this.nodeOf.delete(pod);
    const list = this.byNode.get(node)!;
    list.splice(list.indexOf(pod), 1);
    if (list.length === 0) this.byNode.delete(node);
  }
}
