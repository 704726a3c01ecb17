/**
 * PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread, v1.35): spreads pods
 * that match a selector evenly over topology domains. DoNotSchedule constraints filter
 * (skew = matching pods in the node's domain + self-match − global minimum must not exceed
 * maxSkew); ScheduleAnyway constraints score, favouring domains with fewer matching pods.
 * Pods with no constraints get the profile's default constraints (System: hostname maxSkew 3,
 * zone maxSkew 5, both ScheduleAnyway) with a selector derived from their Services and
 * controller (defaultSelectorForPod).
 *
 * Feature gates as v1.35 ships them: NodeInclusionPolicyInPodTopologySpread, MinDomains and
 * MatchLabelKeysInPodTopologySpread are on (the selector merge is done here, since ksim pods do
 * not pass through the apiserver's admission, which merges them in recent versions).
 */
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import type { NodeInfo } from '../model/node-info.js';
import {
  LABEL_HOSTNAME,
  LABEL_ZONE,
  type Labels,
  type SimNode,
  type SimPod,
} from '../model/objects.js';
import type { ClusterStore } from '../model/store.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import { deepEqual } from '../scheduler/framework/events.js';
import {
  ActionType,
  MAX_NODE_SCORE,
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeRows,
  type PluginArgs,
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';
import { labelSelectorMatches } from './helpers/label-selector.js';
import { podMatchesNodeSelectorAndAffinityTerms } from './helpers/node-selector.js';
import {
  duplicate,
  forbidden,
  invalid,
  labelNameErrors,
  notSupported,
  required,
  throwFirst,
  type FieldError,
} from './helpers/field-error.js';
import { PodCountIndex, type DomainTable, type SelectorCounts } from './helpers/pod-count-index.js';
import { findUntoleratedTaint, isDoNotScheduleTaint } from './helpers/taints.js';

export const Name = 'PodTopologySpread';

const PRE_FILTER_KEY = 'PreFilter' + Name;
const PRE_SCORE_KEY = 'PreScore' + Name;

export const ERR_REASON_CONSTRAINTS_NOT_MATCH =
  "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH =
  ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

export const DO_NOT_SCHEDULE = 'DoNotSchedule';
export const SCHEDULE_ANYWAY = 'ScheduleAnyway';
const HONOR = 'Honor';
const IGNORE = 'Ignore';

export type DefaultingType = 'System' | 'List';

export interface PodTopologySpreadArgs {
  defaultConstraints: TopologySpreadConstraint[];
  defaultingType: DefaultingType;
}

/** Upstream systemDefaultConstraints (plugin.go). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: SCHEDULE_ANYWAY, maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: SCHEDULE_ANYWAY, maxSkew: 5 },
];

/**
 * A selector as upstream's parsed labels.Selector: `null` is labels.Nothing() (matches no
 * pod), a LabelSelector with no requirements is labels.Everything().
 */
type Selector = LabelSelector | null;

/** Upstream topologySpreadConstraint: the API constraint with its selector parsed and defaults applied. */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  nodeAffinityPolicy: string;
  nodeTaintsPolicy: string;
}

// ---- selectors --------------------------------------------------------------------------

function isEmptySelector(s: Selector): boolean {
  return (
    s !== null &&
    Object.keys(s.matchLabels ?? {}).length === 0 &&
    (s.matchExpressions ?? []).length === 0
  );
}

/** The selector's requirements, matchLabels first (as LabelSelectorAsSelector orders them). */
function requirementsOf(s: LabelSelector): LabelSelectorRequirement[] {
  const reqs: LabelSelectorRequirement[] = [];
  for (const [key, value] of Object.entries(s.matchLabels ?? {}))
    reqs.push({ key, operator: 'In', values: [value] });
  for (const r of s.matchExpressions ?? []) reqs.push(r);
  return reqs;
}

/** mergeLabelSetWithSelector: the set's `key=value` requirements AND the selector's; Nothing stays Nothing. */
function mergeLabelSetWithSelector(set: Labels, s: Selector): Selector {
  if (s === null) return null;
  return { matchLabels: { ...set }, matchExpressions: requirementsOf(s) };
}

function selectorMatches(s: Selector, labels: Labels): boolean {
  return labelSelectorMatches(s, labels);
}

/** Whether a plain map selector (Service, ReplicationController) matches: every key equal. */
function setMatches(set: Labels, labels: Labels): boolean {
  for (const [k, v] of Object.entries(set)) if (labels[k] !== v) return false;
  return true;
}

interface SelectingObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { selector?: unknown };
}

const OWNER_API_VERSIONS: Record<string, string> = {
  ReplicationController: 'v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
};

function hasNoLabels(set: Labels): boolean {
  for (const _ in set) return false;
  return true;
}

const ownerSelectors = new WeakMap<LabelSelector, LabelSelector>();

/**
 * The default selector of a pod that no Service selects: one frozen object per controller
 * selector, so every pod of a workload shares it and the pod count index keys it once
 * instead of serialising it every cycle.
 */
function ownerSelector(sel: LabelSelector): LabelSelector {
  let s = ownerSelectors.get(sel);
  if (!s) {
    const reqs = requirementsOf(sel);
    for (const r of reqs) Object.freeze(r);
    s = Object.freeze({
      matchLabels: Object.freeze({}),
      matchExpressions: Object.freeze(reqs),
    }) as LabelSelector;
    ownerSelectors.set(sel, s);
  }
  return s;
}

/**
 * helper.DefaultSelector: the union of the selectors of the Services in the pod's namespace
 * that select it, plus the selector of its controlling ReplicationController, ReplicaSet or
 * StatefulSet, read from the store (kinds 'Service', 'ReplicationController', 'ReplicaSet',
 * 'StatefulSet'; keys namespace/name; spec.selector as in the API: a label map for Services
 * and ReplicationControllers, a LabelSelector for ReplicaSets and StatefulSets). A controller
 * that is not in the store contributes nothing, as a lister miss does upstream. An owner
 * reference without apiVersion is accepted by kind alone. Returns an empty selector when
 * nothing selects the pod: such a pod gets no default constraints.
 */
export function defaultSelectorForPod(pod: SimPod, store: ClusterStore): LabelSelector {
  const ns = pod.metadata.namespace;
  const podLabels = pod.metadata.labels;
  let labelSet: Labels = {};
  for (const svc of store.listObjects<SelectingObject>('Service')) {
    if ((svc.metadata.namespace ?? '') !== ns) continue;
    const sel = svc.spec?.selector as Labels | null | undefined;
    // Services with nil selectors match nothing, not everything.
    if (sel === undefined || sel === null) continue;
    if (setMatches(sel, podLabels)) labelSet = { ...labelSet, ...sel };
  }
  let selector: LabelSelector = { matchLabels: labelSet };

  const owner = pod.metadata.ownerReferences?.find((r) => r.controller === true);
  const expected = owner ? OWNER_API_VERSIONS[owner.kind] : undefined;
  if (!owner || expected === undefined) return selector;
  if (owner.apiVersion !== undefined && owner.apiVersion !== expected) return selector;
  const obj = store.getObject<SelectingObject>(owner.kind, `${ns}/${owner.name}`);
  if (!obj) return selector;
  if (owner.kind === 'ReplicationController') {
    const sel = (obj.spec?.selector ?? {}) as Labels;
    labelSet = { ...labelSet, ...sel };
    selector = { matchLabels: labelSet };
  } else {
    const sel = obj.spec?.selector as LabelSelector | null | undefined;
    // A nil LabelSelector is Nothing, which has no requirements to add.
    if (sel) {
      selector = hasNoLabels(labelSet)
        ? ownerSelector(sel)
        : { matchLabels: labelSet, matchExpressions: requirementsOf(sel) };
    }
  }
  return selector;
}

// ---- constraints ------------------------------------------------------------------------

/** filterTopologySpreadConstraints: the pod's constraints for one action, with defaults and matchLabelKeys. */
function filterConstraints(
  constraints: readonly TopologySpreadConstraint[],
  podLabels: Labels,
  action: string,
): SpreadConstraint[] {
  const result: SpreadConstraint[] = [];
  for (const c of constraints) {
    if ((c.whenUnsatisfiable ?? DO_NOT_SCHEDULE) !== action) continue;
    let selector: Selector = c.labelSelector ?? null;
    if (c.matchLabelKeys?.length) {
      const matchLabels: Labels = {};
      for (const key of c.matchLabelKeys) {
        if (key in podLabels) matchLabels[key] = podLabels[key]!;
      }
      if (Object.keys(matchLabels).length > 0)
        selector = mergeLabelSetWithSelector(matchLabels, selector);
    }
    result.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? HONOR,
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? IGNORE,
    });
  }
  return result;
}

function nodeHasAllTopologyKeys(labels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (!(c.topologyKey in labels)) return false;
  return true;
}

/** countPodsMatchSelector: pods in `ns`, not terminating, matching; an empty selector counts none (v1.35). */
function countPodsMatchSelector(pods: readonly SimPod[], selector: Selector, ns: string): number {
  if (isEmptySelector(selector)) return 0;
  let count = 0;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp !== undefined || p.metadata.namespace !== ns) continue;
    if (selectorMatches(selector, p.metadata.labels)) count++;
  }
  return count;
}

/** Whether matchNodeInclusionPolicies holds for every node whatever its labels and taints. */
function inclusionPoliciesPassEveryNode(c: SpreadConstraint, pod: SimPod): boolean {
  if (c.nodeTaintsPolicy === HONOR) return false;
  if (c.nodeAffinityPolicy !== HONOR) return true;
  for (const _ in pod.spec.nodeSelector ?? {}) return false;
  return !pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
}

function matchNodeInclusionPolicies(c: SpreadConstraint, pod: SimPod, node: SimNode): boolean {
  if (c.nodeAffinityPolicy === HONOR && !podMatchesNodeSelectorAndAffinityTerms(pod, node))
    return false;
  if (c.nodeTaintsPolicy === HONOR) {
    if (findUntoleratedTaint(node.spec.taints, pod.spec.tolerations, isDoNotScheduleTaint))
      return false;
  }
  return true;
}

// ---- PreFilter / Filter state -------------------------------------------------------------

interface CriticalPath {
  topologyValue: string;
  matchNum: number;
}

const MAX_INT32 = 2147483647;

/**
 * Upstream criticalPaths: the two domains with the fewest matching pods, kept incrementally.
 * paths[0] always holds the minimum; paths[1] is not guaranteed to be the second minimum
 * after updates (upstream's CAVEAT: preemption only removes pods from one node at a time).
 */
class CriticalPaths {
  readonly p: [CriticalPath, CriticalPath] = [
    { topologyValue: '', matchNum: MAX_INT32 },
    { topologyValue: '', matchNum: MAX_INT32 },
  ];

  update(tpVal: string, num: number): void {
    const p = this.p;
    let i = -1;
    if (tpVal === p[0].topologyValue) i = 0;
    else if (tpVal === p[1].topologyValue) i = 1;
    if (i >= 0) {
      p[i]!.matchNum = num;
      if (p[0].matchNum > p[1].matchNum) [p[0], p[1]] = [p[1], p[0]];
    } else if (num < p[0].matchNum) {
      p[1] = p[0];
      p[0] = { topologyValue: tpVal, matchNum: num };
    } else if (num < p[1].matchNum) {
      p[1] = { topologyValue: tpVal, matchNum: num };
    }
  }

  clone(): CriticalPaths {
    const c = new CriticalPaths();
    c.p[0] = { ...this.p[0] };
    c.p[1] = { ...this.p[1] };
    return c;
  }
}

export class PreFilterState {
  constructor(
    readonly constraints: SpreadConstraint[],
    readonly criticalPaths: CriticalPaths[],
    /** Per constraint: topology value → matching pods in that domain. */
    readonly tpValueToMatchNum: Map<string, number>[],
  ) {}

  /** Global minimum for the skew, 0 while there are fewer eligible domains than minDomains. */
  minMatchNum(i: number, minDomains: number): number {
    if (this.tpValueToMatchNum[i]!.size < minDomains) return 0;
    return this.criticalPaths[i]!.p[0].matchNum;
  }

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.criticalPaths.map((c) => c.clone()),
      this.tpValueToMatchNum.map((m) => new Map(m)),
    );
  }
}

interface PreScoreState {
  constraints: SpreadConstraint[];
  /** Per constraint: the index's counts for its selector (undefined: the selector counts none). */
  counts: Array<SelectorCounts | undefined>;
  ignoredNodes: Set<string>;
  /** Per constraint (non-hostname only): topology value → matching pods; only candidate domains. */
  topologyValueToPodCounts: Map<string, number>[];
  topologyNormalizingWeight: number[];
  /**
   * Set when every candidate is one of the index's nodes and every node counts: per
   * constraint, the index's domain table and (non-hostname) each domain id's pod count, so
   * Score reads typed arrays instead of node labels and maps.
   */
  tables?: DomainTable[];
  domainCountsById?: Array<Float64Array | undefined>;
}

let scratchScores = new Float64Array(0);

/** A zeroed buffer of at least n sums, reused across cycles (cycles do not nest). */
function accumulator(n: number): Float64Array {
  if (scratchScores.length < n)
    scratchScores = new Float64Array(Math.max(n, 2 * scratchScores.length));
  scratchScores.fill(0, 0, n);
  return scratchScores;
}

// ---- the plugin -------------------------------------------------------------------------

export class PodTopologySpread
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  readonly name = Name;
  private readonly defaultConstraints: readonly TopologySpreadConstraint[];
  private readonly systemDefaulted: boolean;
  private podIndex: PodCountIndex | undefined;

  constructor(
    args: PodTopologySpreadArgs,
    private readonly store: ClusterStore,
  ) {
    this.systemDefaulted = args.defaultingType === 'System';
    this.defaultConstraints = this.systemDefaulted
      ? SYSTEM_DEFAULT_CONSTRAINTS
      : args.defaultConstraints;
  }

  /** buildDefaultConstraints: the default constraints for `action`, all sharing the derived selector. */
  private buildDefaultConstraints(pod: SimPod, action: string): SpreadConstraint[] {
    const constraints = filterConstraints(this.defaultConstraints, pod.metadata.labels, action);
    if (constraints.length === 0) return constraints;
    const selector = defaultSelectorForPod(pod, this.store);
    if (isEmptySelector(selector)) return [];
    for (const c of constraints) c.selector = selector;
    return constraints;
  }

  private seen = new Uint8Array(0);

  /** A zeroed per-domain scratch flag array, reused (PreScore does not nest). */
  private seenBuffer(n: number): Uint8Array {
    if (this.seen.length < n) this.seen = new Uint8Array(Math.max(n, 2 * this.seen.length));
    this.seen.fill(0, 0, n);
    return this.seen;
  }

  /** Created on first use, so plugins built only to validate args subscribe to nothing. */
  private get index(): PodCountIndex {
    return (this.podIndex ??= PodCountIndex.of(this.store));
  }

  /** Matching pods on a node: O(1) from the index for the store's nodes, a scan otherwise. */
  private countOn(
    counts: SelectorCounts | undefined,
    nodeInfo: NodeInfo,
    c: SpreadConstraint,
    ns: string,
  ): number {
    if (!counts) return 0;
    return this.index.tracks(nodeInfo)
      ? counts.countOn(nodeInfo)
      : countPodsMatchSelector(nodeInfo.pods, c.selector, ns);
  }

  /** The index's counts per constraint; default constraints share one selector, looked up once. */
  private countsFor(
    ns: string,
    constraints: readonly SpreadConstraint[],
  ): Array<SelectorCounts | undefined> {
    const out: Array<SelectorCounts | undefined> = [];
    for (let i = 0; i < constraints.length; i++) {
      const sel = constraints[i]!.selector;
      const j = constraints.findIndex((c) => c.selector === sel);
      out.push(j < i ? out[j] : this.index.counts(ns, sel));
    }
    return out;
  }

  private constraintsFor(pod: SimPod, action: string): SpreadConstraint[] {
    const own = pod.spec.topologySpreadConstraints ?? [];
    if (own.length > 0) return filterConstraints(own, pod.metadata.labels, action);
    return this.buildDefaultConstraints(pod, action);
  }

  preFilter(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    const constraints = this.constraintsFor(pod, DO_NOT_SCHEDULE);
    if (constraints.length === 0) return { status: Status.skip() };
    const tpValueToMatchNum = constraints.map(() => new Map<string, number>());
    const ns = pod.metadata.namespace;
    const counts = this.countsFor(ns, constraints);
    // Node order is kept: the critical paths' tie-breaking depends on it.
    for (const nodeInfo of nodes) {
      const node = nodeInfo.node;
      const labels = node.metadata.labels;
      if (!nodeHasAllTopologyKeys(labels, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (!matchNodeInclusionPolicies(c, pod, node)) continue;
        const value = labels[c.topologyKey]!;
        const count = this.countOn(counts[i], nodeInfo, c, ns);
        const m = tpValueToMatchNum[i]!;
        m.set(value, (m.get(value) ?? 0) + count);
      }
    }
    const criticalPaths = tpValueToMatchNum.map((m) => {
      const paths = new CriticalPaths();
      for (const [value, num] of m) paths.update(value, num);
      return paths;
    });
    state.write(PRE_FILTER_KEY, new PreFilterState(constraints, criticalPaths, tpValueToMatchNum));
    return { status: null };
  }

  addPod(
    state: CycleState,
    podToSchedule: SimPod,
    podToAdd: SimPod,
    nodeInfo: NodeInfo,
  ): Status | null {
    this.updateWithPod(state, podToAdd, podToSchedule, nodeInfo.node, 1);
    return null;
  }

  removePod(
    state: CycleState,
    podToSchedule: SimPod,
    podToRemove: SimPod,
    nodeInfo: NodeInfo,
  ): Status | null {
    this.updateWithPod(state, podToRemove, podToSchedule, nodeInfo.node, -1);
    return null;
  }

  private updateWithPod(
    state: CycleState,
    updated: SimPod,
    preemptor: SimPod,
    node: SimNode,
    delta: number,
  ): void {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s || updated.metadata.namespace !== preemptor.metadata.namespace) return;
    const labels = node.metadata.labels;
    if (!nodeHasAllTopologyKeys(labels, s.constraints)) return;
    s.constraints.forEach((c, i) => {
      if (!selectorMatches(c.selector, updated.metadata.labels)) return;
      if (!matchNodeInclusionPolicies(c, preemptor, node)) return;
      const v = labels[c.topologyKey]!;
      const m = s.tpValueToMatchNum[i]!;
      const num = (m.get(v) ?? 0) + delta;
      m.set(v, num);
      s.criticalPaths[i]!.update(v, num);
    });
  }

  filter(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return Status.error(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
    const labels = nodeInfo.node.metadata.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const tpVal = labels[c.topologyKey];
      if (tpVal === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const minMatchNum = s.minMatchNum(i, c.minDomains);
      const selfMatchNum = selectorMatches(c.selector, pod.metadata.labels) ? 1 : 0;
      const matchNum = s.tpValueToMatchNum[i]!.get(tpVal) ?? 0;
      if (matchNum + selfMatchNum - minMatchNum > c.maxSkew) {
        return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
      }
    }
    return null;
  }

  preScore(
    state: CycleState,
    pod: SimPod,
    filteredNodes: readonly NodeInfo[],
    rows?: NodeRows,
  ): Status | null {
    const allNodes = this.store.nodes();
    if (allNodes.length === 0) return Status.skip();
    const hasOwn = (pod.spec.topologySpreadConstraints ?? []).length > 0;
    // Only non-system-default rules require every topology label: with system defaults a
    // node without a zone label is still spread by hostname.
    const requireAllTopologies = hasOwn || !this.systemDefaulted;
    const constraints = this.constraintsFor(pod, SCHEDULE_ANYWAY);
    if (constraints.length === 0) return Status.skip();

    const ns = pod.metadata.namespace;
    const s: PreScoreState = {
      constraints,
      counts: this.countsFor(ns, constraints),
      ignoredNodes: new Set(),
      topologyValueToPodCounts: constraints.map(() => new Map()),
      topologyNormalizingWeight: [],
    };
    const keys = constraints.map((c) => c.topologyKey);
    const everyNodeCounts =
      constraints.every((c) => inclusionPoliciesPassEveryNode(c, pod)) &&
      (!requireAllTopologies || this.index.allNodesHaveKeys(keys));
    if (everyNodeCounts && rows && this.preScoreFromTables(s, filteredNodes, rows.rows)) {
      state.write(PRE_SCORE_KEY, s);
      return null;
    }
    const topoSize = constraints.map(() => 0);
    for (const nodeInfo of filteredNodes) {
      const labels = nodeInfo.node.metadata.labels;
      if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) {
        s.ignoredNodes.add(nodeInfo.name);
        continue;
      }
      for (let i = 0; i < constraints.length; i++) {
        const key = constraints[i]!.topologyKey;
        // Per-node counts (hostname) are computed in Score.
        if (key === LABEL_HOSTNAME) continue;
        const m = s.topologyValueToPodCounts[i]!;
        // A missing label reads as "" in Go; such a node registers the "" domain.
        const v = labels[key] ?? '';
        if (!m.has(v)) {
          m.set(v, 0);
          topoSize[i]!++;
        }
      }
    }
    s.topologyNormalizingWeight = constraints.map((c, i) => {
      const size =
        c.topologyKey === LABEL_HOSTNAME
          ? filteredNodes.length - s.ignoredNodes.size
          : topoSize[i]!;
      return Math.log(size + 2);
    });

    if (everyNodeCounts) {
      // Every node counts: a domain's total is the index's sum over its nodes.
      constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return;
        const totals = s.counts[i]?.domainCounts(c.topologyKey);
        const m = s.topologyValueToPodCounts[i]!;
        for (const v of m.keys()) m.set(v, totals?.get(v) ?? 0);
      });
    } else {
      for (const nodeInfo of allNodes) {
        const node = nodeInfo.node;
        const labels = node.metadata.labels;
        if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) continue;
        constraints.forEach((c, i) => {
          if (!matchNodeInclusionPolicies(c, pod, node)) return;
          const v = labels[c.topologyKey] ?? '';
          const m = s.topologyValueToPodCounts[i]!;
          const current = m.get(v);
          // Domains without a candidate node are not counted (nor are hostname constraints).
          if (current === undefined) return;
          m.set(v, current + this.countOn(s.counts[i], nodeInfo, c, ns));
        });
      }
    }
    state.write(PRE_SCORE_KEY, s);
    return null;
  }

  /**
   * PreScore when every node counts (no node ignored, every domain total is the index's) and
   * every candidate is one of the store's nodes (`rows`): the candidate domains come from the
   * index's domain tables.
   */
  private preScoreFromTables(
    s: PreScoreState,
    filteredNodes: readonly NodeInfo[],
    rows: Int32Array,
  ): boolean {
    const index = this.index;
    const constraints = s.constraints;
    const tables: DomainTable[] = [];
    const byId: Array<Float64Array | undefined> = [];
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      const table = index.domainTable(c.topologyKey);
      tables.push(table);
      if (c.topologyKey === LABEL_HOSTNAME) {
        byId.push(undefined);
        s.topologyNormalizingWeight.push(Math.log(filteredNodes.length + 2));
        continue;
      }
      const ids = table.ids;
      const counts = new Float64Array(table.values.length);
      const seen = this.seenBuffer(table.values.length);
      const totals = s.counts[i]?.domainCounts(c.topologyKey);
      const m = s.topologyValueToPodCounts[i]!;
      let size = 0;
      const domains = table.values.length;
      // Stops once every domain has a candidate (3 zones: a few nodes, not all ~500).
      for (let j = 0; j < filteredNodes.length && size < domains; j++) {
        const id = ids[rows[j]!]!;
        if (seen[id]) continue;
        seen[id] = 1;
        size++;
        const v = table.values[id]!;
        const cnt = totals?.get(v) ?? 0;
        counts[id] = cnt;
        m.set(v, cnt);
      }
      byId.push(counts);
      s.topologyNormalizingWeight.push(Math.log(size + 2));
    }
    s.tables = tables;
    s.domainCountsById = byId;
    return true;
  }

  score(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s || s.ignoredNodes.has(nodeInfo.name)) return 0;
    return this.scoreNode(s, pod, nodeInfo);
  }

  scoreNodes(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
    scores: number[],
    rows?: NodeRows,
  ): void {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) {
      scores.fill(0);
      return;
    }
    const ignored = s.ignoredNodes.size > 0 ? s.ignoredNodes : undefined;
    if (s.tables && !ignored && rows) {
      this.scoreNodesFromTables(s, rows.rows, nodes.length, scores);
      return;
    }
    for (let i = 0; i < nodes.length; i++) {
      const info = nodes[i]!;
      scores[i] = ignored?.has(info.name) ? 0 : this.scoreNode(s, pod, info);
    }
  }

  /** scoreNode over the domain tables, by node row; the same terms summed in the same order. */
  private scoreNodesFromTables(
    s: PreScoreState,
    rows: Int32Array,
    n: number,
    scores: number[],
  ): void {
    const constraints = s.constraints;
    const tables = s.tables!;
    const byId = s.domainCountsById!;
    const weights = s.topologyNormalizingWeight;
    // Constraint by constraint over all nodes (tight loops), adding each node's terms in
    // constraint order, as scoreNode does: the float sums are the same.
    const acc = accumulator(n);
    for (let i = 0; i < constraints.length; i++) {
      const t = tables[i]!;
      const hasLabel = t.hasLabel;
      const w = weights[i]!;
      const skew = constraints[i]!.maxSkew - 1;
      const counts = byId[i];
      if (counts) {
        const ids = t.ids;
        for (let j = 0; j < n; j++) {
          const row = rows[j]!;
          if (hasLabel[row] !== 0) acc[j] = acc[j]! + (counts[ids[row]!]! * w + skew);
        }
      } else {
        const sc = s.counts[i];
        for (let j = 0; j < n; j++) {
          const row = rows[j]!;
          if (hasLabel[row] !== 0) acc[j] = acc[j]! + ((sc ? sc.countOnRow(row) : 0) * w + skew);
        }
      }
    }
    for (let j = 0; j < n; j++) scores[j] = Math.round(acc[j]!);
  }

  private scoreNode(s: PreScoreState, pod: SimPod, nodeInfo: NodeInfo): number {
    const labels = nodeInfo.node.metadata.labels;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const tpVal = labels[c.topologyKey];
      if (tpVal === undefined) continue;
      const cnt =
        c.topologyKey === LABEL_HOSTNAME
          ? this.countOn(s.counts[i], nodeInfo, c, pod.metadata.namespace)
          : (s.topologyValueToPodCounts[i]!.get(tpVal) ?? 0);
      // scoreForCount: maxSkew−1 waters down differences between domains.
      score += cnt * s.topologyNormalizingWeight[i]! + (c.maxSkew - 1);
    }
    // Go math.Round (half away from zero) equals Math.round for these non-negative sums.
    return Math.round(score);
  }

  normalizeScore(
    state: CycleState,
    _pod: SimPod,
    nodes: readonly NodeInfo[],
    scores: number[],
  ): Status | null {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) return null;
    let minScore = Number.MAX_SAFE_INTEGER;
    let maxScore = 0;
    if (s.ignoredNodes.size === 0) {
      // The common case, without the per-node ignored check.
      for (let i = 0; i < scores.length; i++) {
        const v = scores[i]!;
        if (v < minScore) minScore = v;
        if (v > maxScore) maxScore = v;
      }
      for (let i = 0; i < scores.length; i++) {
        scores[i] =
          maxScore === 0
            ? MAX_NODE_SCORE
            : Math.trunc((MAX_NODE_SCORE * (maxScore + minScore - scores[i]!)) / maxScore);
      }
      return null;
    }
    const ignoredNodes = s.ignoredNodes;
    const ignored = (i: number): boolean => ignoredNodes.has(nodes[i]!.name);
    for (let i = 0; i < scores.length; i++) {
      if (ignored(i)) continue;
      const v = scores[i]!;
      if (v < minScore) minScore = v;
      if (v > maxScore) maxScore = v;
    }
    for (let i = 0; i < scores.length; i++) {
      if (ignored(i)) scores[i] = 0;
      else if (maxScore === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (maxScore + minScore - scores[i]!)) / maxScore);
    }
    return null;
  }

  /**
   * Pods added, relabelled or deleted change the counts (and a toleration added to the pod
   * matters under nodeTaintsPolicy Honor); nodes added, deleted, relabelled or retainted
   * change the domains. Services are not watched: only hard constraints block, and the
   * defaulted ones (the only ones a Service selects for) are soft.
   */
  eventsToRegister(): ClusterEventWithHint[] {
    const pod =
      ActionType.Add |
      ActionType.UpdatePodLabel |
      ActionType.UpdatePodToleration |
      ActionType.Delete;
    const node =
      ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint;
    return [
      {
        event: { resource: 'Pod', actionType: pod },
        queueingHintFn: (p, oldObj, newObj) => this.isSchedulableAfterPodChange(p, oldObj, newObj),
      },
      {
        event: { resource: 'Node', actionType: node },
        queueingHintFn: (p, oldObj, newObj) => this.isSchedulableAfterNodeChange(p, oldObj, newObj),
      },
    ];
  }

  /**
   * isSchedulableAfterPodChange: only a placed pod of the same namespace (or the pod itself)
   * counts; an update must flip whether its labels match some hard constraint (or, under
   * nodeTaintsPolicy Honor, add a toleration to the pod); an added or deleted pod must match.
   */
  isSchedulableAfterPodChange(pod: SimPod, oldObj: unknown, newObj: unknown): QueueingHint {
    const original = oldObj as SimPod | undefined;
    const modified = newObj as SimPod | undefined;
    if (
      (modified && !involvedInTopologySpreading(modified, pod)) ||
      (original && !involvedInTopologySpreading(original, pod))
    )
      return QueueingHint.QueueSkip;
    const constraints = this.constraintsFor(pod, DO_NOT_SCHEDULE);
    if (modified && original) {
      if (
        modified.metadata.uid === pod.metadata.uid &&
        !deepEqual(modified.spec.tolerations, original.spec.tolerations) &&
        constraints.some((c) => c.nodeTaintsPolicy === HONOR)
      )
        return QueueingHint.Queue;
      if (deepEqual(modified.metadata.labels, original.metadata.labels))
        return QueueingHint.QueueSkip;
      return constraints.some(
        (c) =>
          selectorMatches(c.selector, original.metadata.labels) !==
          selectorMatches(c.selector, modified.metadata.labels),
      )
        ? QueueingHint.Queue
        : QueueingHint.QueueSkip;
    }
    const changed = (modified ?? original)!;
    return constraints.some((c) => selectorMatches(c.selector, changed.metadata.labels))
      ? QueueingHint.Queue
      : QueueingHint.QueueSkip;
  }

  /**
   * isSchedulableAfterNodeChange: a node gaining or losing all topology keys; one keeping
   * them whose key values or taints changed; a node added or deleted that has them.
   */
  isSchedulableAfterNodeChange(pod: SimPod, oldObj: unknown, newObj: unknown): QueueingHint {
    const original = oldObj as SimNode | undefined;
    const modified = newObj as SimNode | undefined;
    const constraints = this.constraintsFor(pod, DO_NOT_SCHEDULE);
    const wasMatching = original
      ? nodeHasAllTopologyKeys(original.metadata.labels, constraints)
      : false;
    const isMatching = modified
      ? nodeHasAllTopologyKeys(modified.metadata.labels, constraints)
      : false;
    if (original && modified) {
      if (wasMatching !== isMatching) return QueueingHint.Queue;
      const keysChanged = constraints.some(
        (c) => original.metadata.labels[c.topologyKey] !== modified.metadata.labels[c.topologyKey],
      );
      return isMatching && (keysChanged || !deepEqual(original.spec.taints, modified.spec.taints))
        ? QueueingHint.Queue
        : QueueingHint.QueueSkip;
    }
    return (modified ? isMatching : wasMatching) ? QueueingHint.Queue : QueueingHint.QueueSkip;
  }
}

/** involvedInTopologySpreading: the pod itself, or a placed pod of its namespace. */
function involvedInTopologySpreading(incoming: SimPod, withSpreading: SimPod): boolean {
  return (
    incoming.metadata.uid === withSpreading.metadata.uid ||
    (!!incoming.spec.nodeName && incoming.metadata.namespace === withSpreading.metadata.namespace)
  );
}

// ---- args -------------------------------------------------------------------------------

/** SetDefaults_PodTopologySpreadArgs + ValidatePodTopologySpreadArgs (every error, first thrown). */
export function podTopologySpreadArgs(raw: PluginArgs | undefined): PodTopologySpreadArgs {
  const defaultingType = (raw?.defaultingType ?? 'System') as DefaultingType;
  const defaultConstraints = (raw?.defaultConstraints ?? []) as TopologySpreadConstraint[];
  const errors: FieldError[] = [];
  if (defaultingType !== 'System' && defaultingType !== 'List') {
    errors.push(notSupported('defaultingType', defaultingType, ['System', 'List']));
  } else if (defaultingType === 'System' && defaultConstraints.length > 0) {
    errors.push(
      invalid('defaultingType', defaultingType, 'when .defaultConstraints are not empty'),
    );
  }
  const seen = new Set<string>();
  defaultConstraints.forEach((c, i) => {
    const p = `defaultConstraints[${i}]`;
    if (!Number.isInteger(c.maxSkew) || c.maxSkew <= 0) {
      errors.push(invalid(`${p}.maxSkew`, c.maxSkew, 'not in valid range (0, inf)'));
    }
    if (!c.topologyKey) errors.push(required(`${p}.topologyKey`, 'can not be empty'));
    else errors.push(...labelNameErrors(c.topologyKey, `${p}.topologyKey`));
    if (c.whenUnsatisfiable !== DO_NOT_SCHEDULE && c.whenUnsatisfiable !== SCHEDULE_ANYWAY) {
      errors.push(
        notSupported(`${p}.whenUnsatisfiable`, c.whenUnsatisfiable, [
          DO_NOT_SCHEDULE,
          SCHEDULE_ANYWAY,
        ]),
      );
    }
    if (c.labelSelector !== undefined && c.labelSelector !== null) {
      errors.push(
        forbidden(
          `${p}.labelSelector`,
          'constraint must not define a selector, as they deduced for each pod',
        ),
      );
    }
    const key = `${c.topologyKey}\u0000${c.whenUnsatisfiable}`;
    if (seen.has(key)) {
      errors.push(duplicate(p, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    }
    seen.add(key);
  });
  throwFirst(Name, errors);
  return { defaultingType, defaultConstraints };
}

export const factory: PluginFactory = (args: PluginArgs | undefined, handle: Handle) =>
  new PodTopologySpread(podTopologySpreadArgs(args), handle.store);
