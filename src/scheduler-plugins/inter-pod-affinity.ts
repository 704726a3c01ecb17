/**
 * InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity, v1.35). Filter enforces
 * the incoming pod's required pod affinity and anti-affinity and, symmetrically, the required
 * anti-affinity of pods already running; Score sums preferred-term weights (both directions)
 * per topology domain and min–max normalizes them.
 *
 * Terms are parsed as upstream's framework.AffinityTerm: `namespaces` + `namespaceSelector`
 * (both empty and selector nil → the owning pod's namespace; selector {} → every namespace),
 * and matchLabelKeys / mismatchLabelKeys merged into the label selector from the owning pod's
 * labels (`key In [v]` / `key NotIn [v]`), as the apiserver does when it admits a pod.
 * Namespace labels come from store 'Namespace' objects (key = name); every namespace also
 * carries the automatic `kubernetes.io/metadata.name` label, present or not in the store.
 */
import type { PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { NodeInfo } from '../model/node-info.js';
import type { Labels, SimNode, SimPod } from '../model/objects.js';
import type { ClusterStore } from '../model/store.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  ActionType,
  MAX_NODE_SCORE,
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type PluginArgs,
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';
import { invalid, throwFirst, type FieldError } from './helpers/field-error.js';
import { labelSelectorMatches } from './helpers/label-selector.js';
import { PodCountIndex } from './helpers/pod-count-index.js';

export const Name = 'InterPodAffinity';

const PRE_FILTER_KEY = 'PreFilter' + Name;
const PRE_SCORE_KEY = 'PreScore' + Name;

export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH =
  "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH =
  "node(s) didn't match pod anti-affinity rules";

export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

export interface InterPodAffinityArgs {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}

/** `null` = labels.Nothing() (a nil LabelSelector); a selector without requirements = Everything. */
type Selector = LabelSelector | null;

/** Upstream framework.AffinityTerm. */
export interface AffinityTerm {
  namespaces: Set<string>;
  selector: Selector;
  topologyKey: string;
  namespaceSelector: Selector;
}

interface WeightedAffinityTerm {
  term: AffinityTerm;
  weight: number;
}

/** The parsed (anti-)affinity terms of one pod (upstream framework.PodInfo). */
interface PodTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

/** AffinityTerm.Matches: the pod is in the term's namespaces (or a selected one) and its labels match. */
function termMatches(t: AffinityTerm, pod: SimPod, nsLabels: Labels | undefined): boolean {
  if (
    t.namespaces.has(pod.metadata.namespace) ||
    labelSelectorMatches(t.namespaceSelector, nsLabels ?? {})
  ) {
    return labelSelectorMatches(t.selector, pod.metadata.labels);
  }
  return false;
}

function isEmptySelector(s: Selector): boolean {
  return (
    s !== null &&
    Object.keys(s.matchLabels ?? {}).length === 0 &&
    (s.matchExpressions ?? []).length === 0
  );
}

/** The apiserver's applyMatchLabelKeysAndMismatchLabelKeys: a nil selector stays nil (match none). */
function labelSelectorWithKeys(term: PodAffinityTerm, owner: Labels): Selector {
  const sel = term.labelSelector ?? null;
  if (sel === null || (!term.matchLabelKeys?.length && !term.mismatchLabelKeys?.length)) return sel;
  const matchExpressions = [...(sel.matchExpressions ?? [])];
  for (const key of term.matchLabelKeys ?? []) {
    if (key in owner) matchExpressions.push({ key, operator: 'In', values: [owner[key]!] });
  }
  for (const key of term.mismatchLabelKeys ?? []) {
    if (key in owner) matchExpressions.push({ key, operator: 'NotIn', values: [owner[key]!] });
  }
  return { ...sel, matchExpressions };
}

function newAffinityTerm(pod: SimPod, term: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set<string>();
  if (
    !term.namespaces?.length &&
    (term.namespaceSelector === undefined || term.namespaceSelector === null)
  ) {
    namespaces.add(pod.metadata.namespace);
  } else {
    for (const n of term.namespaces ?? []) namespaces.add(n);
  }
  return {
    namespaces,
    selector: labelSelectorWithKeys(term, pod.metadata.labels),
    topologyKey: term.topologyKey,
    namespaceSelector: term.namespaceSelector ?? null,
  };
}

function weighted(
  pod: SimPod,
  terms: WeightedPodAffinityTerm[] | undefined,
): WeightedAffinityTerm[] {
  return (terms ?? []).map((w) => ({
    term: newAffinityTerm(pod, w.podAffinityTerm),
    weight: w.weight,
  }));
}

const termsCache = new WeakMap<SimPod, { affinity: unknown; labels: Labels; terms: PodTerms }>();

/** The pod's parsed terms, cached while its affinity and labels objects stay the same. */
export function podTerms(pod: SimPod): PodTerms {
  const affinity = pod.spec.affinity;
  const cached = termsCache.get(pod);
  if (cached && cached.affinity === affinity && cached.labels === pod.metadata.labels)
    return cached.terms;
  const terms: PodTerms = {
    requiredAffinity: (
      affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
    ).map((t) => newAffinityTerm(pod, t)),
    requiredAntiAffinity: (
      affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
    ).map((t) => newAffinityTerm(pod, t)),
    preferredAffinity: weighted(
      pod,
      affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ),
    preferredAntiAffinity: weighted(
      pod,
      affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ),
  };
  termsCache.set(pod, { affinity, labels: pod.metadata.labels, terms });
  return terms;
}

// ---- topology pair counts -------------------------------------------------------------------

const SEP = '\u0000';

/** topologyToMatchedTermCount keyed by `key\0value`; entries that drop to zero are deleted. */
class TopologyCounts extends Map<string, number> {
  add(node: SimNode, topologyKey: string, value: number): void {
    const tv = node.metadata.labels[topologyKey];
    if (tv === undefined) return;
    const pair = topologyKey + SEP + tv;
    const n = (this.get(pair) ?? 0) + value;
    if (n === 0) this.delete(pair);
    else this.set(pair, n);
  }

  countOf(key: string, value: string): number {
    return this.get(key + SEP + value) ?? 0;
  }

  /** For each term, if the pod matches ALL terms. */
  updateWithAffinityTerms(terms: AffinityTerm[], pod: SimPod, node: SimNode, value: number): void {
    if (podMatchesAllAffinityTerms(terms, pod))
      for (const t of terms) this.add(node, t.topologyKey, value);
  }

  /** For each term the pod matches. */
  updateWithAntiAffinityTerms(
    terms: AffinityTerm[],
    pod: SimPod,
    nsLabels: Labels | undefined,
    node: SimNode,
    value: number,
  ): void {
    for (const t of terms) if (termMatches(t, pod, nsLabels)) this.add(node, t.topologyKey, value);
  }

  copy(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, v] of this) c.set(k, v);
    return c;
  }
}

/** An incoming pod's namespaceSelector has been merged into its namespaces, hence no nsLabels. */
function podMatchesAllAffinityTerms(terms: AffinityTerm[], pod: SimPod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, undefined)) return false;
  return true;
}

export class PreFilterState {
  constructor(
    /** Existing pods' required anti-affinity terms that match the incoming pod. */
    readonly existingAntiAffinityCounts: TopologyCounts,
    /** Existing pods that match ALL the incoming pod's required affinity terms. */
    readonly affinityCounts: TopologyCounts,
    /** Existing pods matching each of the incoming pod's required anti-affinity terms. */
    readonly antiAffinityCounts: TopologyCounts,
    readonly pod: SimPod,
    readonly terms: PodTerms,
    readonly namespaceLabels: Labels,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.existingAntiAffinityCounts.copy(),
      this.affinityCounts.copy(),
      this.antiAffinityCounts.copy(),
      this.pod,
      this.terms,
      this.namespaceLabels,
    );
  }

  updateWithPod(updated: SimPod, node: SimNode, multiplier: number): void {
    this.existingAntiAffinityCounts.updateWithAntiAffinityTerms(
      podTerms(updated).requiredAntiAffinity,
      this.pod,
      this.namespaceLabels,
      node,
      multiplier,
    );
    this.affinityCounts.updateWithAffinityTerms(
      this.terms.requiredAffinity,
      updated,
      node,
      multiplier,
    );
    this.antiAffinityCounts.updateWithAntiAffinityTerms(
      this.terms.requiredAntiAffinity,
      updated,
      undefined,
      node,
      multiplier,
    );
  }
}

interface PreScoreState {
  /** topologyKey → topology value → summed weight. */
  topologyScore: Map<string, Map<string, number>>;
}

// ---- the plugin -------------------------------------------------------------------------

export class InterPodAffinity
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  readonly name = Name;

  private podIndex: PodCountIndex | undefined;

  constructor(
    readonly args: InterPodAffinityArgs,
    private readonly store: ClusterStore,
  ) {}

  /** Created on first use, so plugins built only to validate args subscribe to nothing. */
  private get index(): PodCountIndex {
    return (this.podIndex ??= PodCountIndex.of(this.store));
  }

  /** GetNamespaceLabelsSnapshot, plus the label the apiserver puts on every namespace. */
  private namespaceLabels(ns: string): Labels {
    const obj = this.store.getObject<{ kind: string; metadata: { name: string; labels?: Labels } }>(
      'Namespace',
      ns,
    );
    return { ...obj?.metadata.labels, [LABEL_METADATA_NAME]: ns };
  }

  /**
   * mergeAffinityTermNamespacesIfNotEmpty: a non-empty namespaceSelector is resolved against
   * the Namespace objects now and folded into `namespaces`, leaving a match-nothing selector.
   */
  private withMergedNamespaces(t: AffinityTerm): AffinityTerm {
    if (t.namespaceSelector === null || isEmptySelector(t.namespaceSelector)) return t;
    const namespaces = new Set(t.namespaces);
    for (const ns of this.store.listObjects<{
      kind: string;
      metadata: { name: string; labels?: Labels };
    }>('Namespace')) {
      const labels = { ...ns.metadata.labels, [LABEL_METADATA_NAME]: ns.metadata.name };
      if (labelSelectorMatches(t.namespaceSelector, labels)) namespaces.add(ns.metadata.name);
    }
    return { ...t, namespaces, namespaceSelector: null };
  }

  preFilter(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    const own = podTerms(pod);
    // Nothing to count either way: the Skip below, without building the state first.
    if (
      own.requiredAffinity.length === 0 &&
      own.requiredAntiAffinity.length === 0 &&
      this.index.nodesWithRequiredAntiAffinityPods.size === 0
    ) {
      return { status: Status.skip() };
    }
    const terms: PodTerms = {
      ...own,
      requiredAffinity: own.requiredAffinity.map((t) => this.withMergedNamespaces(t)),
      requiredAntiAffinity: own.requiredAntiAffinity.map((t) => this.withMergedNamespaces(t)),
    };
    const nsLabels = this.namespaceLabels(pod.metadata.namespace);

    const existingAntiAffinityCounts = new TopologyCounts();
    // Only nodes holding such pods, as upstream's HavePodsWithRequiredAntiAffinityNodeList;
    // the counts are sums, so the order of the nodes does not matter.
    for (const nodeInfo of this.index.nodesWithRequiredAntiAffinityPods) {
      for (const existing of nodeInfo.podsWithRequiredAntiAffinity) {
        existingAntiAffinityCounts.updateWithAntiAffinityTerms(
          podTerms(existing).requiredAntiAffinity,
          pod,
          nsLabels,
          nodeInfo.node,
          1,
        );
      }
    }
    if (
      existingAntiAffinityCounts.size === 0 &&
      terms.requiredAffinity.length === 0 &&
      terms.requiredAntiAffinity.length === 0
    ) {
      return { status: Status.skip() };
    }

    const affinityCounts = new TopologyCounts();
    const antiAffinityCounts = new TopologyCounts();
    if (terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0) {
      for (const nodeInfo of nodes) {
        for (const existing of nodeInfo.pods) {
          affinityCounts.updateWithAffinityTerms(
            terms.requiredAffinity,
            existing,
            nodeInfo.node,
            1,
          );
          antiAffinityCounts.updateWithAntiAffinityTerms(
            terms.requiredAntiAffinity,
            existing,
            undefined,
            nodeInfo.node,
            1,
          );
        }
      }
    }
    state.write(
      PRE_FILTER_KEY,
      new PreFilterState(
        existingAntiAffinityCounts,
        affinityCounts,
        antiAffinityCounts,
        pod,
        terms,
        nsLabels,
      ),
    );
    return { status: null };
  }

  addPod(
    state: CycleState,
    _podToSchedule: SimPod,
    podToAdd: SimPod,
    nodeInfo: NodeInfo,
  ): Status | null {
    state.read<PreFilterState>(PRE_FILTER_KEY)?.updateWithPod(podToAdd, nodeInfo.node, 1);
    return null;
  }

  removePod(
    state: CycleState,
    _podToSchedule: SimPod,
    podToRemove: SimPod,
    nodeInfo: NodeInfo,
  ): Status | null {
    state.read<PreFilterState>(PRE_FILTER_KEY)?.updateWithPod(podToRemove, nodeInfo.node, -1);
    return null;
  }

  filter(state: CycleState, _pod: SimPod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return Status.error(`error reading "${PRE_FILTER_KEY}" from cycleState: not found`);
    const labels = nodeInfo.node.metadata.labels;
    if (!satisfyPodAffinity(s, labels))
      return Status.unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
    if (!satisfyPodAntiAffinity(s, labels))
      return Status.unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    if (!satisfyExistingPodsAntiAffinity(s, labels)) {
      return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    }
    return null;
  }

  preScore(state: CycleState, pod: SimPod, _filteredNodes: readonly NodeInfo[]): Status | null {
    const affinity = pod.spec.affinity;
    const hasConstraints =
      (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0 ||
      (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
    if (this.args.ignorePreferredTermsOfExistingPods && !hasConstraints) return Status.skip();
    // No term on either side can match: the `touched` Skip below, without the state.
    if (!hasConstraints && this.index.nodesWithAffinityPods.size === 0) return Status.skip();

    const own = podTerms(pod);
    const preferredAffinity = own.preferredAffinity.map((w) => ({
      ...w,
      term: this.withMergedNamespaces(w.term),
    }));
    const preferredAntiAffinity = own.preferredAntiAffinity.map((w) => ({
      ...w,
      term: this.withMergedNamespaces(w.term),
    }));
    const nsLabels = this.namespaceLabels(pod.metadata.namespace);
    const topologyScore = new Map<string, Map<string, number>>();
    let touched = false;

    const process = (
      t: AffinityTerm,
      weight: number,
      target: SimPod,
      labels: Labels | undefined,
      node: SimNode,
    ) => {
      if (!termMatches(t, target, labels)) return;
      const tpValue = node.metadata.labels[t.topologyKey];
      if (tpValue === undefined) return;
      let byValue = topologyScore.get(t.topologyKey);
      if (!byValue) topologyScore.set(t.topologyKey, (byValue = new Map()));
      byValue.set(tpValue, (byValue.get(tpValue) ?? 0) + weight);
      touched = true;
    };

    // Unless the incoming pod has preferred terms, only pods with affinity can contribute
    // (HavePodsWithAffinityNodeList); the scores are sums, so node order does not matter.
    const nodes = hasConstraints ? this.store.nodes() : this.index.nodesWithAffinityPods;
    for (const nodeInfo of nodes) {
      const node = nodeInfo.node;
      if (Object.keys(node.metadata.labels).length === 0) continue;
      const pods = hasConstraints ? nodeInfo.pods : nodeInfo.podsWithAffinity;
      for (const existing of pods) {
        for (const w of preferredAffinity) process(w.term, w.weight, existing, undefined, node);
        for (const w of preferredAntiAffinity)
          process(w.term, -w.weight, existing, undefined, node);
        const et = podTerms(existing);
        if (this.args.hardPodAffinityWeight > 0) {
          for (const t of et.requiredAffinity)
            process(t, this.args.hardPodAffinityWeight, pod, nsLabels, node);
        }
        for (const w of et.preferredAffinity) process(w.term, w.weight, pod, nsLabels, node);
        for (const w of et.preferredAntiAffinity) process(w.term, -w.weight, pod, nsLabels, node);
      }
    }
    if (!touched) return Status.skip();
    state.write(PRE_SCORE_KEY, { topologyScore } satisfies PreScoreState);
    return null;
  }

  score(state: CycleState, _pod: SimPod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) return 0;
    const labels = nodeInfo.node.metadata.labels;
    let score = 0;
    for (const [tpKey, byValue] of s.topologyScore) {
      const v = labels[tpKey];
      if (v !== undefined) score += byValue.get(v) ?? 0;
    }
    return score;
  }

  /** Min–max over the real minimum and maximum (v1.27+): 100·(s−min)/(max−min), truncated. */
  normalizeScore(
    state: CycleState,
    _pod: SimPod,
    _nodes: readonly NodeInfo[],
    scores: number[],
  ): Status | null {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s || s.topologyScore.size === 0) return null;
    let min = Infinity;
    let max = -Infinity;
    for (const v of scores) {
      if (v > max) max = v;
      if (v < min) min = v;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) {
      scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i]! - min) / diff)) : 0;
    }
    return null;
  }

  /**
   * A placed pod added (affinity), deleted (anti-affinity) or relabelled; a node added,
   * relabelled or retainted (UpdateNodeTaint stays registered upstream) opens new domains.
   */
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: {
          resource: 'Pod',
          actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete,
        },
        queueingHintFn: isSchedulableAfterPodChange,
      },
      {
        event: {
          resource: 'Node',
          actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint,
        },
        queueingHintFn: isSchedulableAfterNodeChange,
      },
    ];
  }
}

/**
 * isSchedulableAfterPodChange: only placed pods count. An added pod must match all the pod's
 * required affinity terms; a deleted one all its anti-affinity terms; an update must start
 * matching the affinity or stop matching the anti-affinity. (Existing pods' anti-affinity
 * toward the pod is not looked at, as upstream.)
 */
export function isSchedulableAfterPodChange(
  pod: SimPod,
  oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const original = oldObj as SimPod | undefined;
  const modified = newObj as SimPod | undefined;
  if ((modified && !modified.spec.nodeName) || (original && !original.spec.nodeName))
    return QueueingHint.QueueSkip;
  const { requiredAffinity: terms, requiredAntiAffinity: antiTerms } = podTerms(pod);
  let queue: boolean;
  if (modified && original) {
    queue =
      (!podMatchesAllAffinityTerms(terms, original) &&
        podMatchesAllAffinityTerms(terms, modified)) ||
      (podMatchesAllAffinityTerms(antiTerms, original) &&
        !podMatchesAllAffinityTerms(antiTerms, modified));
  } else if (modified) {
    queue = podMatchesAllAffinityTerms(terms, modified);
  } else {
    queue = podMatchesAllAffinityTerms(antiTerms, original!);
  }
  return queue ? QueueingHint.Queue : QueueingHint.QueueSkip;
}

/** isSchedulableAfterNodeChange: the node carries the topology key of some required term. */
export function isSchedulableAfterNodeChange(
  pod: SimPod,
  _oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const labels = (newObj as SimNode).metadata.labels;
  const { requiredAffinity, requiredAntiAffinity } = podTerms(pod);
  for (const t of [...requiredAffinity, ...requiredAntiAffinity]) {
    if (t.topologyKey in labels) return QueueingHint.Queue;
  }
  return QueueingHint.QueueSkip;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, labels: Labels): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [key, value] of Object.entries(labels)) {
    if (s.existingAntiAffinityCounts.countOf(key, value) > 0) return false;
  }
  return true;
}

function satisfyPodAntiAffinity(s: PreFilterState, labels: Labels): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of s.terms.requiredAntiAffinity) {
    const v = labels[t.topologyKey];
    if (v !== undefined && s.antiAffinityCounts.countOf(t.topologyKey, v) > 0) return false;
  }
  return true;
}

function satisfyPodAffinity(s: PreFilterState, labels: Labels): boolean {
  let podsExist = true;
  for (const t of s.terms.requiredAffinity) {
    const v = labels[t.topologyKey];
    // All topology labels must exist on the node.
    if (v === undefined) return false;
    if (s.affinityCounts.countOf(t.topologyKey, v) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself: allowed when no pod anywhere matches
  // the terms and the pod matches its own terms.
  return s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(s.terms.requiredAffinity, s.pod);
}

// ---- args -------------------------------------------------------------------------------

/** SetDefaults_InterPodAffinityArgs + ValidateInterPodAffinityArgs. */
export function interPodAffinityArgs(raw: PluginArgs | undefined): InterPodAffinityArgs {
  const w = raw?.hardPodAffinityWeight ?? 1;
  const ignore = raw?.ignorePreferredTermsOfExistingPods ?? false;
  const errors: FieldError[] = [];
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100) {
    errors.push(invalid('hardPodAffinityWeight', w, 'not in valid range [0, 100]'));
  }
  if (typeof ignore !== 'boolean') {
    errors.push(invalid('ignorePreferredTermsOfExistingPods', ignore, 'must be a boolean'));
  }
  throwFirst(Name, errors);
  return {
    hardPodAffinityWeight: w as number,
    ignorePreferredTermsOfExistingPods: ignore as boolean,
  };
}

export const factory: PluginFactory = (args: PluginArgs | undefined, handle: Handle) =>
  new InterPodAffinity(interPodAffinityArgs(args), handle.store);
