/**
 * The cluster store: what the apiserver (and every component's informer cache) knows.
 * Components never call each other; they write here and subscribe to its notifications,
 * as Kubernetes components talk only through the apiserver and watches.
 *
 * Iteration order is always insertion order (Map/array), so the simulation stays
 * deterministic. Indexes are kept incrementally: pods by node (NodeInfo), pending pods,
 * pods by top-level owner, pods by label (per key, once asked for), and per-image node counts
 * (ImageLocality's spread factor).
 */
import { NodeInfo } from './node-info.js';
import { NodeTable } from './node-table.js';
import { podIsTerminal, type SimNode, type SimPod } from './objects.js';

export type WatchType = 'add' | 'update' | 'delete';

export interface PodEvent {
  type: WatchType;
  pod: SimPod;
  /** What changed on update: 'bound', 'phase', 'ready', 'deleting', 'nominated', 'status', … */
  change?: string;
  /** Node the pod was on before this change (for deletes and terminations). */
  nodeName?: string;
  /**
   * The pod as it was before an update of its labels, tolerations, scheduling gates or
   * requests (a copy the writer makes): the scheduler's QueueingHints compare the two.
   */
  old?: SimPod;
}

export interface NodeEvent {
  type: WatchType;
  node: SimNode;
  change?: string;
}

export type PodListener = (e: PodEvent) => void;
export type NodeListener = (e: NodeEvent) => void;

/** Generic store for other kinds (Deployments, Services, …) keyed by `namespace/name`. */
export interface StoredObject {
  kind: string;
  metadata: { name: string; namespace?: string };
}
export interface ObjectEvent<T extends StoredObject = StoredObject> {
  type: WatchType;
  obj: T;
  change?: string;
}

export class ClusterStore {
  private readonly nodeInfos = new Map<string, NodeInfo>();
  /** The nodes' scheduling figures as columns, one row per node (NodeInfo.row). */
  readonly nodeTable = new NodeTable();
  /** Node infos in insertion order; rebuilt lazily after a node is added or removed. */
  private nodeList: NodeInfo[] | undefined = [];
  /** Each listed node's row, aligned with nodeList; rebuilt with it. */
  private nodeListRows: Int32Array | undefined = new Int32Array(0);
  private readonly podsByKey = new Map<string, SimPod>();
  private readonly pendingPods = new Set<SimPod>();
  private readonly podsByOwner = new Map<string, Set<SimPod>>();
  /** Pods by label value, per label key: built for a key on its first query, then kept. */
  private readonly podsByLabel = new Map<string, Map<string, Set<SimPod>>>();
  private readonly imageNodes = new Map<string, number>();
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  private readonly podListeners: PodListener[] = [];
  private readonly nodeListeners: NodeListener[] = [];
  private readonly objectListeners = new Map<string, Array<(e: ObjectEvent) => void>>();
  private uidCounter = 0;

  /** Deterministic uid: a counter, never random. */
  nextUid(prefix: string): string {
    this.uidCounter++;
    return `${prefix}-${this.uidCounter.toString(16).padStart(8, '0')}`;
  }

  // ---- watches -------------------------------------------------------------------------

  onPod(listener: PodListener): void {
    this.podListeners.push(listener);
  }

  onNode(listener: NodeListener): void {
    this.nodeListeners.push(listener);
  }

  onObject(kind: string, listener: (e: ObjectEvent) => void): void {
    let list = this.objectListeners.get(kind);
    if (!list) this.objectListeners.set(kind, (list = []));
    list.push(listener);
  }

  private emitPod(e: PodEvent): void {
    for (const l of this.podListeners) l(e);
  }

  private emitNode(e: NodeEvent): void {
    for (const l of this.nodeListeners) l(e);
  }

  // ---- nodes ---------------------------------------------------------------------------

  addNode(node: SimNode): NodeInfo {
    const name = node.metadata.name;
    if (this.nodeInfos.has(name)) throw new Error(`node ${name} already exists`);
    const info = new NodeInfo(node);
    this.nodeInfos.set(name, info);
    this.nodeTable.add(info);
    this.nodeList = undefined;
    this.countImages(node, 1);
    this.emitNode({ type: 'add', node });
    return info;
  }

  /** Notifies watchers that a node was changed in place (taints, conditions, cordon). */
  updateNode(node: SimNode, change: string): void {
    const info = this.nodeInfos.get(node.metadata.name);
    if (info) {
      info.generation++;
      this.nodeTable.syncNode(info);
    }
    this.emitNode({ type: 'update', node, change });
  }

  removeNode(name: string): SimNode | undefined {
    const info = this.nodeInfos.get(name);
    if (!info) return undefined;
    this.nodeInfos.delete(name);
    this.nodeList = undefined;
    this.countImages(info.node, -1);
    this.emitNode({ type: 'delete', node: info.node });
    // After the watchers: they may still read the node's row (to uncount its pods).
    this.nodeTable.remove(info);
    return info.node;
  }

  getNode(name: string): SimNode | undefined {
    return this.nodeInfos.get(name)?.node;
  }

  getNodeInfo(name: string): NodeInfo | undefined {
    return this.nodeInfos.get(name);
  }

  /** All nodes in insertion order. The array is shared: do not mutate. */
  nodes(): readonly NodeInfo[] {
    if (!this.nodeList) {
      this.nodeList = [...this.nodeInfos.values()];
      this.nodeListRows = Int32Array.from(this.nodeList, (n) => n.row);
    }
    return this.nodeList;
  }

  /** NodeTable rows of nodes(), aligned with it. Shared: do not mutate. */
  nodeRows(): Int32Array {
    this.nodes();
    return this.nodeListRows!;
  }

  get nodeCount(): number {
    return this.nodeInfos.size;
  }

  /** Number of nodes that report the image (ImageLocality's spread factor). */
  nodesWithImage(image: string): number {
    return this.imageNodes.get(image) ?? 0;
  }

  private countImages(node: SimNode, sign: number): void {
    for (const img of node.status.images) {
      for (const name of img.names ?? []) {
        this.imageNodes.set(name, (this.imageNodes.get(name) ?? 0) + sign);
      }
    }
  }

  // ---- pods ----------------------------------------------------------------------------

  addPod(pod: SimPod): void {
    if (this.podsByKey.has(pod.key)) throw new Error(`pod ${pod.key} already exists`);
    this.podsByKey.set(pod.key, pod);
    if (pod.topOwner) {
      let set = this.podsByOwner.get(pod.topOwner);
      if (!set) this.podsByOwner.set(pod.topOwner, (set = new Set()));
      set.add(pod);
    }
    if (this.podsByLabel.size > 0) this.indexLabels(pod, 1);
    const nodeName = pod.spec.nodeName;
    if (nodeName) {
      this.nodeInfos.get(nodeName)?.addPod(pod);
    } else if (!podIsTerminal(pod)) {
      this.pendingPods.add(pod);
    }
    this.emitPod({ type: 'add', pod });
  }

  getPod(key: string): SimPod | undefined {
    return this.podsByKey.get(key);
  }

  /** All pods in creation order. */
  pods(): IterableIterator<SimPod> {
    return this.podsByKey.values();
  }

  get podCount(): number {
    return this.podsByKey.size;
  }

  /** Unbound, non-terminal pods in creation order. */
  pending(): ReadonlySet<SimPod> {
    return this.pendingPods;
  }

  podsOfOwner(owner: string): ReadonlySet<SimPod> {
    return this.podsByOwner.get(owner) ?? EMPTY;
  }

  /**
   * Pods (of any phase, until deleted) whose label `key` is `value`, in creation order. The
   * first query for a key indexes every pod once (O(pods)); from then on the key's index is kept
   * as pods come and go (pod labels do not change after creation), so a run that never asks
   * pays nothing.
   */
  podsWithLabel(key: string, value: string): ReadonlySet<SimPod> {
    let byValue = this.podsByLabel.get(key);
    if (!byValue) {
      byValue = new Map();
      this.podsByLabel.set(key, byValue);
      for (const pod of this.podsByKey.values()) {
        const v = pod.metadata.labels[key];
        if (v !== undefined) addTo(byValue, v, pod);
      }
    }
    return byValue.get(value) ?? EMPTY;
  }

  private indexLabels(pod: SimPod, sign: 1 | -1): void {
    for (const [key, byValue] of this.podsByLabel) {
      const v = pod.metadata.labels[key];
      if (v === undefined) continue;
      if (sign > 0) addTo(byValue, v, pod);
      else byValue.get(v)?.delete(pod);
    }
  }

  /**
   * Scheduler cache: account the pod on the node before its binding is confirmed, as
   * upstream's AssumePod, so the next cycle sees the node's resources as taken.
   */
  assumePod(pod: SimPod, nodeName: string): void {
    const info = this.nodeInfos.get(nodeName);
    if (!info) throw new Error(`assume: no node ${nodeName}`);
    info.addPod(pod);
    this.pendingPods.delete(pod);
  }

  /** Undo assumePod (binding failed). */
  forgetPod(pod: SimPod, nodeName: string): void {
    this.nodeInfos.get(nodeName)?.removePod(pod);
    if (!pod.spec.nodeName && !podIsTerminal(pod) && this.podsByKey.has(pod.key)) {
      this.pendingPods.add(pod);
    }
  }

  /** Binding written: the pod (already assumed on the node) is bound to it. */
  bindPod(pod: SimPod, nodeName: string): void {
    pod.spec.nodeName = nodeName;
    this.pendingPods.delete(pod);
    this.emitPod({ type: 'update', pod, change: 'bound', nodeName });
  }

  /**
   * Notifies watchers of a change made in place. A pod that became terminal leaves its
   * node's aggregates (the scheduler ignores terminated pods), freeing its resources.
   */
  updatePod(pod: SimPod, change: string, old?: SimPod): void {
    const nodeName = pod.spec.nodeName;
    if (podIsTerminal(pod)) {
      this.pendingPods.delete(pod);
      if (nodeName) this.nodeInfos.get(nodeName)?.removePod(pod);
    }
    this.emitPod({ type: 'update', pod, change, nodeName, old });
  }

  /** Removes the pod object (deletion finished, or force-deleted). */
  deletePod(pod: SimPod): void {
    if (!this.podsByKey.delete(pod.key)) return;
    this.pendingPods.delete(pod);
    const nodeName = pod.spec.nodeName;
    if (nodeName) this.nodeInfos.get(nodeName)?.removePod(pod);
    if (pod.topOwner) this.podsByOwner.get(pod.topOwner)?.delete(pod);
    if (this.podsByLabel.size > 0) this.indexLabels(pod, -1);
    this.emitPod({ type: 'delete', pod, nodeName });
  }

  // ---- other kinds -----------------------------------------------------------------------

  putObject<T extends StoredObject>(obj: T, change?: string): void {
    let byKey = this.objects.get(obj.kind);
    if (!byKey) this.objects.set(obj.kind, (byKey = new Map()));
    const key = objectKey(obj);
    const type: WatchType = byKey.has(key) ? 'update' : 'add';
    byKey.set(key, obj);
    for (const l of this.objectListeners.get(obj.kind) ?? []) l({ type, obj, change });
  }

  getObject<T extends StoredObject>(kind: string, key: string): T | undefined {
    return this.objects.get(kind)?.get(key) as T | undefined;
  }

  listObjects<T extends StoredObject>(kind: string): T[] {
    return [...(this.objects.get(kind)?.values() ?? [])] as T[];
  }

  deleteObject(obj: StoredObject): void {
    const byKey = this.objects.get(obj.kind);
    if (!byKey?.delete(objectKey(obj))) return;
    for (const l of this.objectListeners.get(obj.kind) ?? []) l({ type: 'delete', obj });
  }
}

const EMPTY: ReadonlySet<SimPod> = new Set();

function addTo(byValue: Map<string, Set<SimPod>>, value: string, pod: SimPod): void {
  let set = byValue.get(value);
  if (!set) byValue.set(value, (set = new Set()));
  set.add(pod);
}

export function objectKey(obj: StoredObject): string {
  return obj.metadata.namespace
    ? `${obj.metadata.namespace}/${obj.metadata.name}`
    : obj.metadata.name;
}
