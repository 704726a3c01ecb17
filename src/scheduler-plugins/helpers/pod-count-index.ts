/**
 * Incremental pod counts for PodTopologySpread and InterPodAffinity. Upstream recounts, every
 * cycle, the pods matching a selector on every node of the snapshot (O(pods in the cluster));
 * here the counts per node and per topology domain are kept as pods come and go, so a cycle
 * reads a node's or a domain's count in O(1).
 *
 * A pod is counted while it sits on a node (NodeInfo, so assumed pods count) and is not being
 * deleted — exactly what countPodsMatchSelector reads. The index learns of pods through the
 * NodeInfo observer (assume/forget, binds, terminations) and of deletions-in-progress through
 * the store's pod watch; node add/remove/relabel come from the node watch. Pod labels are
 * never changed in place by the simulator, so a pod's matches are fixed while it is counted.
 *
 * One index per ClusterStore, shared by every profile's plugins. Selectors are tracked from
 * their first query; the least recently queried ones are dropped beyond MAX_SELECTORS, so
 * each pod change costs O(tracked selectors of its namespace).
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { NodeInfo, NodeInfoObserver } from '../../model/node-info.js';
import type { NodeTable } from '../../model/node-table.js';
import type { SimPod } from '../../model/objects.js';
import type { ClusterStore, NodeEvent, PodEvent } from '../../model/store.js';
import { compileLabelSelector, type LabelMatcher } from './label-selector.js';

const MAX_SELECTORS = 512;

/** Live pods of one namespace matching one selector, per node and per topology domain. */
export class SelectorCounts {
  /** Matching pods per node row (NodeInfo.row). */
  private perNode = new Int32Array(64);
  /** @internal The index's query clock when last asked for (eviction takes the oldest). */
  lastQueried = 0;
  /** @internal Dropped by the index: no longer updated, links to it are stale. */
  evicted = false;
  /** topologyKey → domain value (a missing label reads as '') → matching pods; built lazily. */
  private readonly domains = new Map<string, Map<string, number>>();

  /** @internal Whether a pod's labels match (the namespace is checked by the caller). */
  readonly matchesLabels: LabelMatcher;

  constructor(
    readonly namespace: string,
    readonly selector: LabelSelector,
    /** The store's node rows (row → node), shared. */
    private readonly rows: ReadonlyArray<NodeInfo | undefined>,
    /** The label (`namespace\0key\0value`) every matching pod carries, if any. */
    readonly anchor?: string,
    /** @internal The index's key of this selector. */
    readonly key = '',
  ) {
    this.matchesLabels = compileLabelSelector(selector);
  }

  matches(pod: SimPod): boolean {
    return pod.metadata.namespace === this.namespace && this.matchesLabels(pod.metadata.labels);
  }

  /** Matching pods on an indexed node (PodCountIndex.tracks). */
  countOn(info: NodeInfo): number {
    return this.countOnRow(info.row);
  }

  /** Matching pods on the node in a NodeTable row. */
  countOnRow(s: number): number {
    return s >= 0 && s < this.perNode.length ? this.perNode[s]! : 0;
  }

  /** Matching pods per value of `topologyKey`, over every node (nodes without it under ''). */
  domainCounts(topologyKey: string): ReadonlyMap<string, number> {
    let m = this.domains.get(topologyKey);
    if (!m) {
      m = new Map();
      const counts = this.perNode;
      for (let s = 0; s < counts.length; s++) {
        const n = counts[s]!;
        if (n === 0) continue;
        const v = this.rows[s]!.node.metadata.labels[topologyKey] ?? '';
        m.set(v, (m.get(v) ?? 0) + n);
      }
      this.domains.set(topologyKey, m);
    }
    return m;
  }

  /** @internal */
  apply(info: NodeInfo, delta: number): void {
    const s = info.row;
    if (s >= this.perNode.length) {
      const grown = new Int32Array(Math.max(s + 1, this.perNode.length * 2));
      grown.set(this.perNode);
      this.perNode = grown;
    }
    this.perNode[s]! += delta;
    for (const [key, m] of this.domains) {
      const v = info.node.metadata.labels[key] ?? '';
      const c = (m.get(v) ?? 0) + delta;
      if (c === 0) m.delete(v);
      else m.set(v, c);
    }
  }

  /** @internal Node labels may have changed: domain sums are rebuilt on the next query. */
  dropDomains(): void {
    this.domains.clear();
  }
}

/** One topology key's domains over the store's node rows (PodCountIndex.domainTable). */
export interface DomainTable {
  /** Row → domain id (index into `values`); a node without the label has the id of ''. */
  readonly ids: Int32Array;
  /** Row → 1 when the node carries the label. */
  readonly hasLabel: Uint8Array;
  /** Domain id → topology value. */
  readonly values: readonly string[];
}

const INDEXES = new WeakMap<ClusterStore, PodCountIndex>();

export class PodCountIndex implements NodeInfoObserver {
  /** Counted pods and the node they are counted on. */
  private readonly live = new Map<SimPod, NodeInfo>();
  /**
   * Counted pods by `namespace\0key\0value` of each of their labels: a new selector with an
   * equality requirement starts from its smallest such set instead of every pod.
   */
  private readonly byLabel = new Map<string, Set<SimPod>>();
  /** Tracked selectors by key (namespace and serialised selector). */
  private readonly entries = new Map<string, SelectorCounts>();
  /**
   * Entries by frozen selector object and namespace: a workload's pods share one frozen
   * default selector, so its entry is found by identity, without serialising the selector.
   */
  private readonly byFrozen = new WeakMap<LabelSelector, Map<string, SelectorCounts>>();
  /** Ticks once per query; entries carry the tick of their last one. */
  private queryClock = 0;
  /**
   * Tracked selectors by one equality requirement each (`namespace\0key\0value`, the
   * anchor): a pod added or removed is checked only against the selectors anchored on one of
   * its labels, plus the unanchored ones of its namespace — not every selector it could meet.
   */
  private readonly byAnchor = new Map<string, SelectorCounts[]>();
  private readonly unanchored = new Map<string, SelectorCounts[]>();
  private readonly observed = new Map<string, NodeInfo>();
  /** The store's node rows: per-node counts live in arrays indexed by row. */
  private readonly table: NodeTable;
  /** Nodes holding a pod with (anti-)affinity terms (upstream HavePodsWithAffinityNodeList). */
  readonly nodesWithAffinityPods = new Set<NodeInfo>();
  /** Nodes holding a pod with required anti-affinity (HavePodsWithRequiredAntiAffinityNodeList). */
  readonly nodesWithRequiredAntiAffinityPods = new Set<NodeInfo>();
  /** Answers of allNodesHaveKeys, forgotten on every node event. */
  private readonly keysCache = new Map<string, boolean>();
  /** Domain tables by topology key, forgotten on every node event. */
  private readonly domainTables = new Map<string, DomainTable>();

  /** The index of a store, created (and subscribed) on first use. */
  static of(store: ClusterStore): PodCountIndex {
    let index = INDEXES.get(store);
    if (!index) {
      index = new PodCountIndex(store);
      INDEXES.set(store, index);
    }
    return index;
  }

  private constructor(private readonly store: ClusterStore) {
    this.table = store.nodeTable;
    for (const info of store.nodes()) this.track(info);
    store.onPod((e) => this.onPod(e));
    store.onNode((e) => this.onNode(e));
  }

  /** Counts for (namespace, selector); null and empty selectors count nothing (undefined). */
  counts(namespace: string, selector: LabelSelector | null): SelectorCounts | undefined {
    if (selector === null) return undefined;
    const frozen = Object.isFrozen(selector);
    if (frozen) {
      const known = this.byFrozen.get(selector)?.get(namespace);
      if (known && !known.evicted) {
        known.lastQueried = ++this.queryClock;
        return known;
      }
    }
    if (isEmpty(selector)) return undefined;
    const key = namespace + '\u0000' + selectorKey(selector);
    let e = this.entries.get(key);
    if (!e) e = this.trackSelector(key, namespace, selector);
    e.lastQueried = ++this.queryClock;
    if (frozen) {
      let byNs = this.byFrozen.get(selector);
      if (!byNs) this.byFrozen.set(selector, (byNs = new Map()));
      byNs.set(namespace, e);
    }
    if (this.entries.size > MAX_SELECTORS) this.evictOldest();
    return e;
  }

  /** Starts counting a selector: its matches among the counted pods, then every change. */
  private trackSelector(key: string, namespace: string, selector: LabelSelector): SelectorCounts {
    const e = new SelectorCounts(
      namespace,
      selector,
      this.table.infos,
      anchorOf(namespace, selector),
      key,
    );
    for (const pod of this.candidates(namespace, selector)) {
      if (e.matches(pod)) e.apply(this.live.get(pod)!, 1);
    }
    this.entries.set(key, e);
    let list = this.listOf(e);
    if (!list) this.listsOf(e).set(e.anchor ?? namespace, (list = []));
    list.push(e);
    return e;
  }

  /** Whether the node is one of the store's, counted here (not a dry-run copy). */
  tracks(info: NodeInfo): boolean {
    return info.table === this.table;
  }

  /** The counted pods that may match: the smallest label set an equality requires, else all. */
  private candidates(namespace: string, selector: LabelSelector): Iterable<SimPod> {
    let best: Set<SimPod> | undefined;
    const consider = (key: string, value: string): boolean => {
      const set = this.byLabel.get(labelKey(namespace, key, value));
      if (!set) return false;
      if (!best || set.size < best.size) best = set;
      return true;
    };
    for (const key in selector.matchLabels ?? {}) {
      if (!consider(key, selector.matchLabels![key]!)) return [];
    }
    for (const r of selector.matchExpressions ?? []) {
      if (r.operator === 'In' && r.values?.length === 1 && !consider(r.key, r.values[0]!)) {
        return [];
      }
    }
    return best ?? this.live.keys();
  }

  /** Whether every node carries every one of `keys` (cached until the next node event). */
  allNodesHaveKeys(keys: readonly string[]): boolean {
    const k = keys.join('\u0000');
    let v = this.keysCache.get(k);
    if (v === undefined) {
      v = true;
      for (const info of this.store.nodes()) {
        const labels = info.node.metadata.labels;
        for (const key of keys) if (!(key in labels)) v = false;
        if (!v) break;
      }
      this.keysCache.set(k, v);
    }
    return v;
  }

  /**
   * Every tracked node's value of `topologyKey` as a dense domain id per row (cached until
   * the next node event), so per-node loops read a typed array instead of the node's labels.
   */
  domainTable(topologyKey: string): DomainTable {
    let t = this.domainTables.get(topologyKey);
    if (!t) {
      const rows = this.table.infos;
      const n = rows.length;
      const ids = new Int32Array(n);
      const hasLabel = new Uint8Array(n);
      const values: string[] = [];
      const idOf = new Map<string, number>();
      for (let s = 0; s < n; s++) {
        const info = rows[s];
        // A missing label reads as '' (as Go's map lookup does); hasLabel tells them apart.
        const v = info?.node.metadata.labels[topologyKey];
        if (v !== undefined) hasLabel[s] = 1;
        const value = v ?? '';
        let id = idOf.get(value);
        if (id === undefined) {
          id = values.length;
          values.push(value);
          idOf.set(value, id);
        }
        ids[s] = id;
      }
      t = { ids, hasLabel, values };
      this.domainTables.set(topologyKey, t);
    }
    return t;
  }

  podAdded(info: NodeInfo, pod: SimPod): void {
    if (pod.metadata.deletionTimestamp === undefined) this.count(pod, info);
    this.trackAffinity(info);
  }

  podRemoved(info: NodeInfo, pod: SimPod): void {
    if (this.live.get(pod) === info) this.uncount(pod, info);
    this.trackAffinity(info);
  }

  private count(pod: SimPod, info: NodeInfo): void {
    if (this.live.has(pod)) return;
    this.live.set(pod, info);
    const ns = pod.metadata.namespace;
    const labels = pod.metadata.labels;
    for (const key in labels) {
      const k = labelKey(ns, key, labels[key]!);
      let set = this.byLabel.get(k);
      if (!set) this.byLabel.set(k, (set = new Set()));
      set.add(pod);
      this.applyAnchored(k, pod, info, 1);
    }
    this.applyUnanchored(pod, info, 1);
  }

  private uncount(pod: SimPod, info: NodeInfo): void {
    this.live.delete(pod);
    const ns = pod.metadata.namespace;
    const labels = pod.metadata.labels;
    for (const key in labels) {
      const k = labelKey(ns, key, labels[key]!);
      this.applyAnchored(k, pod, info, -1);
      const set = this.byLabel.get(k);
      if (!set) continue;
      set.delete(pod);
      if (set.size === 0) this.byLabel.delete(k);
    }
    this.applyUnanchored(pod, info, -1);
  }

  private onPod(e: PodEvent): void {
    // A pod being deleted stops counting at once, though it stays on its node for a while.
    if (e.type === 'delete' || e.pod.metadata.deletionTimestamp === undefined) return;
    const info = this.live.get(e.pod);
    if (info) this.uncount(e.pod, info);
  }

  private onNode(e: NodeEvent): void {
    this.keysCache.clear();
    this.domainTables.clear();
    const name = e.node.metadata.name;
    if (e.type === 'add') {
      const info = this.store.getNodeInfo(name);
      if (info) this.track(info);
      return;
    }
    // Labels may have changed (update) or a node's pods left the cluster view (delete).
    for (const entry of this.entries.values()) entry.dropDomains();
    if (e.type !== 'delete') return;
    const info = this.observed.get(name);
    if (!info) return;
    this.observed.delete(name);
    info.unobserve(this);
    // The store frees the node's row after its watchers ran: the counts are still there.
    for (const p of info.pods) if (this.live.get(p) === info) this.uncount(p, info);
    this.nodesWithAffinityPods.delete(info);
    this.nodesWithRequiredAntiAffinityPods.delete(info);
  }

  private track(info: NodeInfo): void {
    if (this.observed.get(info.name) === info) return;
    this.observed.set(info.name, info);
    info.observe(this);
    for (const p of info.pods) if (p.metadata.deletionTimestamp === undefined) this.count(p, info);
    this.trackAffinity(info);
  }

  private trackAffinity(info: NodeInfo): void {
    if (info.podsWithAffinity.length > 0) this.nodesWithAffinityPods.add(info);
    else this.nodesWithAffinityPods.delete(info);
    if (info.podsWithRequiredAntiAffinity.length > 0)
      this.nodesWithRequiredAntiAffinityPods.add(info);
    else this.nodesWithRequiredAntiAffinityPods.delete(info);
  }

  /** Applies the pod to the selectors anchored on the label `key` (one of the pod's). */
  private applyAnchored(key: string, pod: SimPod, info: NodeInfo, delta: number): void {
    const list = this.byAnchor.get(key);
    if (!list) return;
    const labels = pod.metadata.labels;
    for (const e of list) if (e.matchesLabels(labels)) e.apply(info, delta);
  }

  /** Applies the pod to its namespace's selectors without an anchor. */
  private applyUnanchored(pod: SimPod, info: NodeInfo, delta: number): void {
    const list = this.unanchored.get(pod.metadata.namespace);
    if (!list) return;
    const labels = pod.metadata.labels;
    for (const e of list) if (e.matchesLabels(labels)) e.apply(info, delta);
  }

  private listsOf(e: SelectorCounts): Map<string, SelectorCounts[]> {
    return e.anchor === undefined ? this.unanchored : this.byAnchor;
  }

  private listOf(e: SelectorCounts): SelectorCounts[] | undefined {
    return this.listsOf(e).get(e.anchor ?? e.namespace);
  }

  /** Drops the least recently queried selector (O(tracked selectors), past MAX_SELECTORS only). */
  private evictOldest(): void {
    let e: SelectorCounts | undefined;
    for (const x of this.entries.values()) if (!e || x.lastQueried < e.lastQueried) e = x;
    if (!e) return;
    e.evicted = true;
    this.entries.delete(e.key);
    const list = this.listOf(e)!;
    list.splice(list.indexOf(e), 1);
    if (list.length === 0) this.listsOf(e).delete(e.anchor ?? e.namespace);
  }
}

/**
 * A selector's anchor: the label key of one equality requirement every matching pod must
 * carry (the first of matchLabels, else the first single-value In), or undefined.
 */
function anchorOf(namespace: string, selector: LabelSelector): string | undefined {
  for (const key in selector.matchLabels ?? {}) {
    return labelKey(namespace, key, selector.matchLabels![key]!);
  }
  for (const r of selector.matchExpressions ?? []) {
    if (r.operator === 'In' && r.values?.length === 1) {
      return labelKey(namespace, r.key, r.values[0]!);
    }
  }
  return undefined;
}

function labelKey(namespace: string, key: string, value: string): string {
  return namespace + '\u0000' + key + '\u0000' + value;
}

const frozenSelectorKeys = new WeakMap<LabelSelector, string>();

/** A selector's serialised form; remembered for frozen selectors, which cannot change. */
function selectorKey(s: LabelSelector): string {
  if (!Object.isFrozen(s)) return JSON.stringify(s);
  let k = frozenSelectorKeys.get(s);
  if (k === undefined) frozenSelectorKeys.set(s, (k = JSON.stringify(s)));
  return k;
}

function isEmpty(s: LabelSelector): boolean {
  if (s.matchExpressions && s.matchExpressions.length > 0) return false;
  for (const _ in s.matchLabels ?? {}) return false;
  return true;
}
