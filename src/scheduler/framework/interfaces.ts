/**
 * The kube-scheduler framework's extension points (staging/src/k8s.io/kube-scheduler/
 * framework/interface.go). A plugin implements only the interfaces it serves; the framework
 * discovers them with the type guards below. Every method is a pure function of
 * (pod, node view, cycle state, handle): no I/O, no hidden globals.
 */
import type { NodeInfo } from '../../model/node-info.js';
import type { NodeTable } from '../../model/node-table.js';
import type { SimPod } from '../../model/objects.js';
import type { ClusterStore } from '../../model/store.js';
import type { CycleState } from './cycle-state.js';
import type { ClusterEvent, ClusterEventWithHint } from './events.js';
import type { Status } from './status.js';

export type { ClusterEvent, ClusterEventWithHint, QueueingHintFn } from './events.js';
export { ActionType, QueueingHint } from './events.js';

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;
/** Scale of RequestedToCapacityRatio shape scores (0–10), multiplied by 10. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;

export interface Plugin {
  readonly name: string;
}

/** A pod in the scheduling queue. */
export interface QueuedPodInfo {
  pod: SimPod;
  /** Virtual ms the pod was (last) added to the queue: PrioritySort's FIFO key. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Virtual ms of the first time it entered the queue. */
  initialAttemptTimestamp: number;
  /**
   * Plugins that rejected the pod (Unschedulable/UnschedulableAndUnresolvable) in its last
   * attempt, the gating PreEnqueue plugin included: only their QueueingHints are consulted.
   * Both sets are cleared when the pod is popped; both empty after a failure = an error.
   */
  unschedulablePlugins: Set<string>;
  /** Plugins that returned Pending: their Queue hint skips the backoff (queueImmediately). */
  pendingPlugins: Set<string>;
  /** The PreEnqueue plugin keeping the pod out of activeQ/backoffQ, '' when none. */
  gatingPlugin: string;
  /** The events the gating plugin registered: only these re-check a gated pod. */
  gatingPluginEvents: readonly ClusterEvent[];
}

export interface PreEnqueuePlugin extends Plugin {
  /** Called when the pod is added or moved to activeQ; non-success keeps it gated. */
  preEnqueue(pod: SimPod): Status | null;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

export interface PreFilterResult {
  /** Only these nodes need to be evaluated; undefined = all nodes. */
  nodeNames?: Set<string>;
}

export interface PreFilterPlugin extends Plugin {
  /**
   * Once per cycle before Filter. A rejecting status marks every node; Skip disables this
   * plugin's Filter for the cycle.
   */
  preFilter(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null };
  /** Used by preemption dry runs to update precomputed state when pods are added/removed. */
  addPod?(
    state: CycleState,
    podToSchedule: SimPod,
    podToAdd: SimPod,
    nodeInfo: NodeInfo,
  ): Status | null;
  removePod?(
    state: CycleState,
    podToSchedule: SimPod,
    podToRemove: SimPod,
    nodeInfo: NodeInfo,
  ): Status | null;
}

/**
 * Node properties the scheduling cycle can test in one fused check instead of calling each
 * Filter plugin on each node (see FilterPlugin.fastPassConditions).
 */
export const FastPass = {
  /** node.spec.unschedulable is not set. */
  Schedulable: 1,
  /** node.spec.taints is empty. */
  Untainted: 2,
  /** One more pod, and the pod's cpu/memory/ephemeral-storage requests, fit what is left. */
  FitsResources: 4,
} as const;

export interface FilterPlugin extends Plugin {
  /** Whether the pod fits the node. Called for each candidate node; null = fits. */
  filter(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null;
  /**
   * A sufficient condition for filter() to return null for this pod on a node, decided once
   * per cycle after PreFilter: a FastPass bitmask (0 = passes every node), or undefined when
   * the plugin knows none. Nodes the fused condition does not admit still go through filter(),
   * so every rejection status stays the plugin's own.
   */
  fastPassConditions?(state: CycleState, pod: SimPod): number | undefined;
}

export interface PostFilterResult {
  nominatedNodeName?: string;
}

export interface PostFilterPlugin extends Plugin {
  /** Called only when no node passed Filter (DefaultPreemption). */
  postFilter(
    state: CycleState,
    pod: SimPod,
    filteredNodeStatus: ReadonlyMap<string, Status>,
  ): { result?: PostFilterResult; status: Status | null };
}

/**
 * The NodeTable rows of a cycle's nodes, aligned with the `nodes` array a plugin is given;
 * present only when every node is the store's own (not a dry-run copy). Per-node loops read
 * the table's columns by row instead of the NodeInfo objects.
 */
export interface NodeRows {
  table: NodeTable;
  rows: Int32Array;
}

export interface PreScorePlugin extends Plugin {
  /** Once per cycle over the feasible nodes; Skip disables this plugin's Score for the pod. */
  preScore(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
    rows?: NodeRows,
  ): Status | null;
}

export interface ScorePlugin extends Plugin {
  /** Raw score of one feasible node. */
  score(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): number;
  /**
   * ksim's optional batch form of Score (not an upstream extension point): writes the raw
   * score of every node into `scores` (aligned with `nodes`), exactly what `score` would give
   * per node. The framework prefers it: one call per cycle instead of one per node lets a
   * plugin read its cycle state once and keeps the per-node loop monomorphic.
   */
  scoreNodes?(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
    scores: number[],
    rows?: NodeRows,
  ): void;
  /**
   * Optional NormalizeScore: rewrite `scores` (aligned with `nodes`) in place into
   * [MIN_NODE_SCORE, MAX_NODE_SCORE].
   */
  normalizeScore?(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
    scores: number[],
  ): Status | null;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: SimPod, nodeName: string): Status | null;
  unreserve(state: CycleState, pod: SimPod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /**
   * Approve (null), reject, or Wait with a timeout in ms (capped at 15 min). A waiting pod is
   * bound once every plugin that asked it to wait called WaitingPod.allow; a timeout or a
   * reject sends it back to the queue, unschedulable.
   */
  permit(
    state: CycleState,
    pod: SimPod,
    nodeName: string,
  ): { status: Status | null; timeoutMs?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: SimPod, nodeName: string): Status | null;
}

export interface BindPlugin extends Plugin {
  /** Skip = not handled by this plugin; the next Bind plugin is tried. */
  bind(state: CycleState, pod: SimPod, nodeName: string): Status | null;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: SimPod, nodeName: string): void;
}

export interface EnqueueExtensions {
  /**
   * Events that may make a pod this plugin rejected schedulable, each with an optional
   * QueueingHint. Only PreEnqueue, PreFilter, Filter, Reserve and Permit plugins are asked
   * (shouldHaveEnqueueExtensions); one of those without this method is registered for every
   * event.
   */
  eventsToRegister(): ClusterEventWithHint[];
}

/** A pod waiting at Permit (upstream fwk.WaitingPod). */
export interface WaitingPod {
  getPod(): SimPod;
  /** Permit plugins that asked the pod to wait and have not allowed it yet. */
  getPendingPlugins(): string[];
  /** The plugin approves; the pod is bound once no plugin is pending. */
  allow(pluginName: string): void;
  /** Rejects the pod (it goes back to the queue as unschedulable by `pluginName`). */
  reject(pluginName: string, msg: string): void;
}

/** What a plugin can see of the world beyond its arguments (upstream framework.Handle). */
export interface Handle {
  readonly store: ClusterStore;
  /** Current virtual time in ms. */
  now(): number;
  /** Uniform [0,1) from the scheduler's seeded stream (tie-breaking, preemption offsets). */
  random(): number;
  /** Records a Kubernetes-style event (events.csv). */
  recordEvent(kind: string, object: string, reason: string, message: string): void;
  /** Parallelism the profile runs with (only informational here: cycles are serial). */
  readonly parallelism: number;
  /** Evicts/deletes a pod as preemption's victim (through the apiserver; false if refused). */
  preemptPod?(victim: SimPod, preemptor: SimPod): boolean;
  /**
   * The waiting-pods calls of upstream's Handle; the Framework fills them in (upstream's
   * frameworkImpl is the Handle), so plugins built by a Framework always have them.
   */
  getWaitingPod?(uid: string): WaitingPod | undefined;
  iterateOverWaitingPods?(callback: (wp: WaitingPod) => void): void;
  /** Rejects a waiting pod ("removed"); false when the pod is not waiting. */
  rejectWaitingPod?(uid: string): boolean;
}

/** Plugin arguments as they appear in pluginConfig[].args (YAML → JS object). */
export type PluginArgs = Record<string, unknown>;

/**
 * Registry entry: builds a plugin from its (already defaulted) args. Throws
 * PluginArgsError for invalid args.
 */
export type PluginFactory = (args: PluginArgs | undefined, handle: Handle) => Plugin;

export class PluginArgsError extends Error {
  constructor(
    readonly plugin: string,
    readonly field: string,
    message: string,
  ) {
    super(`${plugin} args: ${field}: ${message}`);
  }
}

// ---- type guards: the framework discovers extension points by these -----------------------
// Like Go interfaces, an extension point is a method set: a plugin must not give a helper
// method the name of an extension-point method (a private `bind` would make it a Bind plugin).

export const isPreEnqueue = (p: Plugin): p is PreEnqueuePlugin => 'preEnqueue' in p;
export const isQueueSort = (p: Plugin): p is QueueSortPlugin => 'less' in p;
export const isPreFilter = (p: Plugin): p is PreFilterPlugin => 'preFilter' in p;
export const isFilter = (p: Plugin): p is FilterPlugin => 'filter' in p;
export const isPostFilter = (p: Plugin): p is PostFilterPlugin => 'postFilter' in p;
export const isPreScore = (p: Plugin): p is PreScorePlugin => 'preScore' in p;
export const isScore = (p: Plugin): p is ScorePlugin => 'score' in p;
export const isReserve = (p: Plugin): p is ReservePlugin => 'reserve' in p;
export const isPermit = (p: Plugin): p is PermitPlugin => 'permit' in p;
export const isPreBind = (p: Plugin): p is PreBindPlugin => 'preBind' in p;
export const isBind = (p: Plugin): p is BindPlugin => 'bind' in p;
export const isPostBind = (p: Plugin): p is PostBindPlugin => 'postBind' in p;
export const hasEvents = (p: Plugin): p is Plugin & EnqueueExtensions => 'eventsToRegister' in p;
