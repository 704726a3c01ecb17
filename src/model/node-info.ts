/**
 * Per-node aggregates kept incrementally, as upstream's framework.NodeInfo: the pods on the
 * node and the sums of their requests, so a Filter or Score is O(1) in the number of pods.
 */
import type { NodeTable } from './node-table.js';
import type { SimNode, SimPod } from './objects.js';
import { addResource, emptyResource, type Resource } from './resources.js';

export interface HostPortKey {
  protocol: string;
  hostIP: string;
  port: number;
}

/**
 * Told of every pod added to or removed from a NodeInfo, after its aggregates changed (the
 * scheduler's assume/forget included, which no store watch reports). Incremental indexes
 * over all nodes subscribe here instead of rescanning every node each cycle.
 */
export interface NodeInfoObserver {
  podAdded(info: NodeInfo, pod: SimPod): void;
  podRemoved(info: NodeInfo, pod: SimPod): void;
}

export class NodeInfo {
  node: SimNode;
  readonly pods: SimPod[] = [];
  /** Σ requests of the pods on the node (assumed pods included). */
  readonly requested: Resource = emptyResource();
  /** Σ non-zero requests (100m/200Mi defaults) for scoring. */
  readonly nonZeroRequested: Resource = emptyResource();
  /** Pods on the node per priority value (few distinct): "any pod below p?" without a scan. */
  readonly priorityCounts = new Map<number, number>();
  /** `protocol/hostIP/port` strings of the host ports in use. */
  readonly usedPorts = new Map<string, number>();
  /** Pods on the node that carry pod (anti-)affinity terms (InterPodAffinity). */
  readonly podsWithAffinity: SimPod[] = [];
  readonly podsWithRequiredAntiAffinity: SimPod[] = [];
  /** Bumped on every change; plugins may cache per-node work against it. */
  generation = 0;
  /**
   * The node's row in its store's NodeTable, where its figures are mirrored as columns and
   * per-node indexes keep flat arrays; -1 (and no table) for a snapshot copy. Not copied by
   * snapshot().
   */
  row = -1;
  table: NodeTable | undefined;
  /** Not copied by snapshot(): dry-run copies must not disturb the indexes. */
  private observers: NodeInfoObserver[] | undefined;

  constructor(node: SimNode) {
    this.node = node;
  }

  get name(): string {
    return this.node.metadata.name;
  }

  get allocatable(): Resource {
    return this.node.status.allocatable;
  }

  observe(observer: NodeInfoObserver): void {
    (this.observers ??= []).push(observer);
  }

  unobserve(observer: NodeInfoObserver): void {
    if (this.observers) removeFrom(this.observers, observer);
  }

  /**
   * NodeInfo.Snapshot(): a copy whose pods and aggregates can change without touching this
   * one. Copies the aggregates instead of re-adding every pod: O(pods) array copies only.
   */
  snapshot(): NodeInfo {
    const c = new NodeInfo(this.node);
    copyInto(c.pods, this.pods);
    copyResourceInto(c.requested, this.requested);
    copyResourceInto(c.nonZeroRequested, this.nonZeroRequested);
    for (const [k, v] of this.usedPorts) c.usedPorts.set(k, v);
    for (const [k, v] of this.priorityCounts) c.priorityCounts.set(k, v);
    copyInto(c.podsWithAffinity, this.podsWithAffinity);
    copyInto(c.podsWithRequiredAntiAffinity, this.podsWithRequiredAntiAffinity);
    c.generation = this.generation;
    return c;
  }

  addPod(pod: SimPod): void {
    this.pods.push(pod);
    addRequests(this.requested, pod.requests, 1);
    this.nonZeroRequested.milliCPU += pod.nonZeroRequests.milliCPU;
    this.nonZeroRequested.memory += pod.nonZeroRequests.memory;
    this.priorityCounts.set(pod.priority, (this.priorityCounts.get(pod.priority) ?? 0) + 1);
    for (const key of hostPortKeys(pod))
      this.usedPorts.set(key, (this.usedPorts.get(key) ?? 0) + 1);
    const affinity = pod.spec.affinity;
    if (affinity?.podAffinity || affinity?.podAntiAffinity) this.podsWithAffinity.push(pod);
    if (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) {
      this.podsWithRequiredAntiAffinity.push(pod);
    }
    this.generation++;
    this.table?.syncUsage(this);
    if (this.observers) for (const o of this.observers) o.podAdded(this, pod);
  }

  /** Removes the pod; returns false if it was not on the node. O(pods on node). */
  removePod(pod: SimPod): boolean {
    // Preemption's reprieve removes the pod it just added: check the end first.
    const last = this.pods.length - 1;
    const i = this.pods[last] === pod ? last : this.pods.indexOf(pod);
    if (i < 0) return false;
    this.pods.splice(i, 1);
    addRequests(this.requested, pod.requests, -1);
    this.nonZeroRequested.milliCPU -= pod.nonZeroRequests.milliCPU;
    this.nonZeroRequested.memory -= pod.nonZeroRequests.memory;
    const n = this.priorityCounts.get(pod.priority)! - 1;
    if (n === 0) this.priorityCounts.delete(pod.priority);
    else this.priorityCounts.set(pod.priority, n);
    for (const key of hostPortKeys(pod)) {
      const n = (this.usedPorts.get(key) ?? 0) - 1;
      if (n <= 0) this.usedPorts.delete(key);
      else this.usedPorts.set(key, n);
    }
    removeFrom(this.podsWithAffinity, pod);
    removeFrom(this.podsWithRequiredAntiAffinity, pod);
    this.generation++;
    this.table?.syncUsage(this);
    if (this.observers) for (const o of this.observers) o.podRemoved(this, pod);
    return true;
  }
}

function removeFrom<T>(list: T[], pod: T): void {
  if (list.length === 0) return;
  const last = list.length - 1;
  const i = list[last] === pod ? last : list.indexOf(pod);
  if (i >= 0) list.splice(i, 1);
}

/** addResource without touching the scalar map when the pod asks for no extended resource. */
function addRequests(target: Resource, delta: Resource, sign: number): void {
  if (delta.scalar.size > 0) {
    addResource(target, delta, sign);
    return;
  }
  target.milliCPU += sign * delta.milliCPU;
  target.memory += sign * delta.memory;
  target.ephemeralStorage += sign * delta.ephemeralStorage;
  target.allowedPodNumber += sign * delta.allowedPodNumber;
}

function copyInto<T>(target: T[], source: readonly T[]): void {
  target.length = source.length;
  for (let i = 0; i < source.length; i++) target[i] = source[i]!;
}

function copyResourceInto(target: Resource, source: Resource): void {
  target.milliCPU = source.milliCPU;
  target.memory = source.memory;
  target.ephemeralStorage = source.ephemeralStorage;
  target.allowedPodNumber = source.allowedPodNumber;
  for (const [k, v] of source.scalar) target.scalar.set(k, v);
}

const NO_PORTS: readonly string[] = [];

/** Host ports a pod asks for, as `protocol/hostIP/port` (hostIP defaults to 0.0.0.0). */
export function hostPortKeys(pod: SimPod): readonly string[] {
  // Most pods use no host port: answer without allocating.
  let keys: string[] | undefined;
  for (const c of pod.spec.containers ?? []) {
    const ports = c.ports;
    if (!ports) continue;
    for (const p of ports) {
      if (!p.hostPort) continue;
      (keys ??= []).push(`${p.protocol ?? 'TCP'}/${p.hostIP || '0.0.0.0'}/${p.hostPort}`);
    }
  }
  return keys ?? NO_PORTS;
}
