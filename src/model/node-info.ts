/**
 * Per-node aggregates kept incrementally, as upstream's framework.NodeInfo: the pods on the
 * node and the sums of their requests, so a Filter or Score is O(1) in the number of pods.
 */
import type { SimNode, SimPod } from './objects.js';
import { addResource, emptyResource, type Resource } from './resources.js';

export interface HostPortKey {
  protocol: string;
  hostIP: string;
  port: number;
}

export class NodeInfo {
  node: SimNode;
  readonly pods: SimPod[] = [];
  /** Σ requests of the pods on the node (assumed pods included). */
  readonly requested: Resource = emptyResource();
  /** Σ non-zero requests (100m/200Mi defaults) for scoring. */
  readonly nonZeroRequested: Resource = emptyResource();
  /** `protocol/hostIP/port` strings of the host ports in use. */
  readonly usedPorts = new Map<string, number>();
  /** Pods on the node that carry pod (anti-)affinity terms (InterPodAffinity). */
  readonly podsWithAffinity: SimPod[] = [];
  readonly podsWithRequiredAntiAffinity: SimPod[] = [];
  /** Bumped on every change; plugins may cache per-node work against it. */
  generation = 0;

  constructor(node: SimNode) {
    this.node = node;
  }

  get name(): string {
    return this.node.metadata.name;
  }

  get allocatable(): Resource {
    return this.node.status.allocatable;
  }

  addPod(pod: SimPod): void {
    this.pods.push(pod);
    addResource(this.requested, pod.requests);
    this.nonZeroRequested.milliCPU += pod.nonZeroRequests.milliCPU;
    this.nonZeroRequested.memory += pod.nonZeroRequests.memory;
    for (const key of hostPortKeys(pod))
      this.usedPorts.set(key, (this.usedPorts.get(key) ?? 0) + 1);
    const affinity = pod.spec.affinity;
    if (affinity?.podAffinity || affinity?.podAntiAffinity) this.podsWithAffinity.push(pod);
    if (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) {
      this.podsWithRequiredAntiAffinity.push(pod);
    }
    this.generation++;
  }

  /** Removes the pod; returns false if it was not on the node. O(pods on node). */
  removePod(pod: SimPod): boolean {
    const i = this.pods.indexOf(pod);
    if (i < 0) return false;
    this.pods.splice(i, 1);
    addResource(this.requested, pod.requests, -1);
    this.nonZeroRequested.milliCPU -= pod.nonZeroRequests.milliCPU;
    this.nonZeroRequested.memory -= pod.nonZeroRequests.memory;
    for (const key of hostPortKeys(pod)) {
      const n = (this.usedPorts.get(key) ?? 0) - 1;
      if (n <= 0) this.usedPorts.delete(key);
      else this.usedPorts.set(key, n);
    }
    removeFrom(this.podsWithAffinity, pod);
    removeFrom(this.podsWithRequiredAntiAffinity, pod);
    this.generation++;
    return true;
  }
}

function removeFrom(list: SimPod[], pod: SimPod): void {
  const i = list.indexOf(pod);
  if (i >= 0) list.splice(i, 1);
}

/** Host ports a pod asks for, as `protocol/hostIP/port` (hostIP defaults to 0.0.0.0). */
export function hostPortKeys(pod: SimPod): string[] {
  const keys: string[] = [];
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      keys.push(`${p.protocol ?? 'TCP'}/${p.hostIP || '0.0.0.0'}/${p.hostPort}`);
    }
  }
  return keys;
}
