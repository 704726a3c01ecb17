/**
 * The scheduling algorithm of one cycle (pkg/scheduler/schedule_one.go), phase by phase:
 * nominated node first → PreFilter → Filter over a rotating window of nodes sized by
 * percentageOfNodesToScore → (PostFilter if none fit) → Score → pick the best node,
 * ties broken uniformly at random with the scheduler's seeded stream.
 */
import type { NodeInfo } from '../model/node-info.js';
import { NodeFlag, type NodeTable } from '../model/node-table.js';
import type { SimPod } from '../model/objects.js';
import type { Resource } from '../model/resources.js';
import { CycleState } from './framework/cycle-state.js';
import type { Framework, ScoreBreakdown } from './framework/framework.js';
import { FastPass, type NodeRows } from './framework/interfaces.js';
import { fitErrorMessage as formatFitError } from './framework/fit-error.js';
import { Code, Status } from './framework/status.js';

/** Upstream constants (schedule_one.go). */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * How many feasible nodes to look for before scoring (numFeasibleNodesToFind): all nodes
 * below 100; otherwise the percentage (adaptive 50 − N/125, floor 5, when 0), at least 100.
 */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage;
  if (p <= 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  if (p >= 100) return numAllNodes;
  const k = Math.trunc((numAllNodes * p) / 100);
  return k < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : k;
}

export interface Diagnosis {
  /** Rejection status of each node that was evaluated and failed. */
  nodeToStatus: Map<string, Status>;
  /**
   * Status of the nodes not in nodeToStatus (NodeToStatus.AbsentNodesStatus): set when a
   * PreFilter node subset left them out; undefined = they carry no reason.
   */
  absentStatus?: Status;
  /** Plugins that rejected the pod on at least one node (QueueingHints). */
  unschedulablePlugins: Set<string>;
  /** Plugins that returned Pending on some node (their Queue hint skips the backoff). */
  pendingPlugins: Set<string>;
  preFilterMsg: string;
  postFilterMsg: string;
}

export interface ExplainSink {
  /** A node rejected by `plugin` (a Filter, or the PreFilter that rejected or left it out). */
  filter(pod: SimPod, node: string, plugin: string, reasons: readonly string[]): void;
  score(
    pod: SimPod,
    nodes: readonly NodeInfo[],
    breakdown: ScoreBreakdown[],
    totals: number[],
  ): void;
}

export type CycleResult =
  | {
      kind: 'scheduled';
      node: NodeInfo;
      state: CycleState;
      evaluatedNodes: number;
      feasibleNodes: number;
    }
  | {
      kind: 'unschedulable';
      diagnosis: Diagnosis;
      numAllNodes: number;
      nominatedNodeName?: string;
      evaluatedNodes: number;
      state: CycleState;
    }
  /**
   * No plugin rejected the pod: a plugin returned an Error (its message names it), or there
   * are no nodes (ErrNoNodesAvailable). The pod goes to the error backoff queue.
   */
  | { kind: 'error'; message: string; evaluatedNodes: number; state: CycleState };

/** ErrNoNodesAvailable (schedule_one.go). */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface CycleContext {
  /** Round-robin start index, carried across cycles (nextStartNodeIndex). */
  nextStartNodeIndex: number;
  /** Global percentageOfNodesToScore (0 = adaptive). */
  percentageOfNodesToScore: number;
  random: () => number;
  explain?: ExplainSink;
}

export function scheduleCycle(
  fw: Framework,
  pod: SimPod,
  allNodes: readonly NodeInfo[],
  ctx: CycleContext,
): CycleResult {
  const state = new CycleState();
  const numAllNodes = allNodes.length;
  if (numAllNodes === 0) {
    return { kind: 'error', message: ERR_NO_NODES_AVAILABLE, evaluatedNodes: 0, state };
  }

  const pre = fw.runPreFilter(state, pod, allNodes);
  if (pre.status) {
    // An Error aborts the cycle: no PostFilter (findNodesThatFitPod returns it).
    if (!pre.status.isRejected()) return errorResult(pre.status, 0, state);
    // A PreFilter rejection marks every node with it.
    const diagnosis = emptyDiagnosis();
    for (const n of allNodes) diagnosis.nodeToStatus.set(n.name, pre.status);
    for (const name of pre.pluginsWithNodes) diagnosis.unschedulablePlugins.add(name);
    addPluginStatus(diagnosis, pre.status);
    diagnosis.preFilterMsg = pre.status.message();
    if (ctx.explain) {
      const plugin = pre.status.plugin || sortedPlugins(pre.pluginsWithNodes).join(' ');
      for (const n of allNodes) ctx.explain.filter(pod, n.name, plugin, pre.status.reasons);
    }
    return postFilter(fw, state, pod, diagnosis, numAllNodes, 0);
  }

  // A nominated node (set by an earlier preemption) is tried first, alone.
  const nominated = pod.status.nominatedNodeName;
  if (nominated) {
    const info = allNodes.find((n) => n.name === nominated);
    if (
      info &&
      (!pre.nodeNames || pre.nodeNames.has(nominated)) &&
      !fw.runFilterWithNominatedPods(state, pod, info)
    ) {
      return { kind: 'scheduled', node: info, state, evaluatedNodes: 1, feasibleNodes: 1 };
    }
  }

  const nodes = pre.nodeNames ? allNodes.filter((n) => pre.nodeNames!.has(n.name)) : allNodes;
  const n = nodes.length;
  // The store's own node list comes with its rows: the loop then reads the node table's
  // columns, not the NodeInfo objects (see NodeTable for why).
  const store = fw.handle.store;
  const table = nodes === store.nodes() ? store.nodeTable : undefined;
  const rows = table ? store.nodeRows() : undefined;
  const percentage = fw.percentageOfNodesToScore ?? ctx.percentageOfNodesToScore;
  // Without Score plugins there is nothing to compare: the first feasible node wins.
  const toFind = fw.hasScorePlugins() ? numFeasibleNodesToFind(percentage, n) : Math.min(1, n);
  // Sized once to what the search can find (not grown by push, which copies at each doubling)
  // and reused while that size holds; trimmed to the nodes found after the loop.
  const cap = Math.min(toFind, n);
  const feasible = feasibleBuffer(cap);
  let found = 0;
  const feasibleRows = rows ? rowBuffer(cap) : undefined;
  // Rejections are only read when no node fits (FitError, PostFilter): kept in reused
  // arrays, they become the Diagnosis only then — not a Map built and dropped per cycle.
  let rejections = 0;
  let processed = 0;
  let filterError: Status | undefined;
  const start = ctx.nextStartNodeIndex % n;
  const noNominated = fw.noNominatedPods();
  // Nodes that provably pass every Filter plugin skip the per-plugin calls; any other node
  // runs the plugin chain, so statuses and reasons are the plugins' own.
  const fast = noNominated && table ? fw.fastPassConditions(state, pod) : -1;
  const requests = pod.requests;
  for (let i = 0; i < n && found < toFind; i++) {
    let idx = start + i;
    if (idx >= n) idx -= n;
    const info = nodes[idx]!;
    processed++;
    if (fast >= 0 && passesFast(fast, table!, rows![idx]!, requests)) {
      feasibleRows![found] = rows![idx]!;
      feasible[found++] = info;
      continue;
    }
    const s = noNominated
      ? fw.runFilter(state, pod, info)
      : fw.runFilterWithNominatedPods(state, pod, info);
    if (!s) {
      if (feasibleRows) feasibleRows[found] = rows![idx]!;
      feasible[found++] = info;
    } else if (s.code === Code.Error) {
      // An Error stops the scan; that node counts as processed by neither list.
      filterError = s;
      processed--;
      break;
    } else {
      rejectedNodes[rejections] = info;
      rejectedStatuses[rejections++] = s;
      if (ctx.explain) ctx.explain.filter(pod, info.name, s.plugin, s.reasons);
    }
  }
  // Advanced over all nodes, not the PreFilter subset: (nextStartNodeIndex + processed) %
  // len(allNodes), whether or not a Filter failed (findNodesThatFitPod).
  ctx.nextStartNodeIndex = (ctx.nextStartNodeIndex + processed) % numAllNodes;
  feasible.length = found;
  if (filterError) {
    forgetRejections(rejections);
    return errorResult(filterError, processed, state);
  }

  if (feasible.length === 0) {
    const diagnosis = emptyDiagnosis();
    if (pre.nodeNames) {
      // Nodes outside the subset count as rejected by the plugins that made it (Go's %v of
      // sets.List(pluginsWithNodes)), as NodeToStatus' absent-nodes status.
      const plugins = sortedPlugins(pre.pluginsWithNodes);
      for (const name of plugins) diagnosis.unschedulablePlugins.add(name);
      diagnosis.absentStatus = Status.unresolvable(
        `node(s) didn't satisfy plugin(s) [${plugins.join(' ')}]`,
      );
    }
    for (let k = 0; k < rejections; k++) {
      const st = rejectedStatuses[k]!;
      diagnosis.nodeToStatus.set(rejectedNodes[k]!.name, st);
      addPluginStatus(diagnosis, st);
    }
    forgetRejections(rejections);
    if (ctx.explain && pre.nodeNames) explainLeftOut(ctx.explain, pod, allNodes, pre, diagnosis);
    return postFilter(fw, state, pod, diagnosis, numAllNodes, processed);
  }
  forgetRejections(rejections);
  if (feasible.length === 1) {
    return {
      kind: 'scheduled',
      node: feasible[0]!,
      state,
      evaluatedNodes: processed,
      feasibleNodes: 1,
    };
  }
  const breakdown: ScoreBreakdown[] | undefined = ctx.explain ? [] : undefined;
  const scoreRows: NodeRows | undefined = table
    ? { table, rows: feasibleRows!.subarray(0, feasible.length) }
    : undefined;
  const totals = fw.runScore(state, pod, feasible, breakdown, scoreRows);
  if (totals instanceof Status) return errorResult(totals, processed, state);
  if (ctx.explain) ctx.explain.score(pod, feasible, breakdown!, totals);
  return {
    kind: 'scheduled',
    node: feasible[selectHost(totals, ctx.random)]!,
    state,
    evaluatedNodes: processed,
    feasibleNodes: feasible.length,
  };
}

function emptyDiagnosis(): Diagnosis {
  return {
    nodeToStatus: new Map(),
    unschedulablePlugins: new Set(),
    pendingPlugins: new Set(),
    preFilterMsg: '',
    postFilterMsg: '',
  };
}

/** The rejected nodes of the running cycle and their statuses (cycles do not nest). */
const rejectedNodes: Array<NodeInfo | undefined> = [];
const rejectedStatuses: Array<Status | undefined> = [];

/** Drops the cycle's references, so no node or status outlives it here. */
function forgetRejections(n: number): void {
  for (let k = 0; k < n; k++) {
    rejectedNodes[k] = undefined;
    rejectedStatuses[k] = undefined;
  }
}

let scratchFeasible: NodeInfo[] = [];

/**
 * An array of length n for the cycle's feasible nodes, reused while cycles ask for the same
 * length: plugins and the caller read it before the next cycle starts (cycles do not nest).
 */
function feasibleBuffer(n: number): NodeInfo[] {
  if (scratchFeasible.length !== n) scratchFeasible = new Array<NodeInfo>(n);
  return scratchFeasible;
}

let scratchRows = new Int32Array(0);

/** A reused buffer for the feasible nodes' rows (cycles do not nest). */
function rowBuffer(n: number): Int32Array {
  if (scratchRows.length < n) scratchRows = new Int32Array(Math.max(n, scratchRows.length * 2));
  return scratchRows;
}

/**
 * The fused FastPass check, on the node table's columns. FitsResources mirrors
 * NodeResourcesFit's pass condition without extended resources (fitsRequest: room for one
 * more pod, and each positive request ≤ what is left of allocatable).
 */
function passesFast(mask: number, t: NodeTable, row: number, req: Resource): boolean {
  const flags = t.flags[row]!;
  if (mask & FastPass.Schedulable && flags & NodeFlag.Unschedulable) return false;
  if (mask & FastPass.Untainted && flags & NodeFlag.Tainted) return false;
  if (mask & FastPass.FitsResources) {
    if (t.podCount[row]! + 1 > t.allocPods[row]!) return false;
    const cpu = req.milliCPU;
    if (cpu > 0 && cpu > t.allocCpu[row]! - t.reqCpu[row]!) return false;
    const memory = req.memory;
    if (memory > 0 && memory > t.allocMemory[row]! - t.reqMemory[row]!) return false;
    const storage = req.ephemeralStorage;
    if (storage > 0 && storage > t.allocStorage[row]! - t.reqStorage[row]!) return false;
  }
  return true;
}

/** Index of the highest total; ties resolved by reservoir sampling (each of k ties wins with 1/k). */
export function selectHost(totals: readonly number[], random: () => number): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    const t = totals[i]!;
    if (t > totals[best]!) {
      best = i;
      ties = 1;
    } else if (t === totals[best]!) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return best;
}

function errorResult(status: Status, evaluatedNodes: number, state: CycleState): CycleResult {
  return { kind: 'error', message: status.message(), evaluatedNodes, state };
}

/** Diagnosis.AddPluginStatus: a rejecting plugin is remembered, a Pending one in both sets. */
function addPluginStatus(d: Diagnosis, s: Status): void {
  if (!s.plugin) return;
  if (s.isRejected()) d.unschedulablePlugins.add(s.plugin);
  if (s.code === Code.Pending) d.pendingPlugins.add(s.plugin);
}

function postFilter(
  fw: Framework,
  state: CycleState,
  pod: SimPod,
  diagnosis: Diagnosis,
  numAllNodes: number,
  evaluatedNodes: number,
): CycleResult {
  const { result, message } = fw.runPostFilter(state, pod, diagnosis.nodeToStatus);
  diagnosis.postFilterMsg = message;
  return {
    kind: 'unschedulable',
    diagnosis,
    numAllNodes,
    // Without PostFilter plugins schedulingCycle clears the nomination (clearNominatedNode).
    nominatedNodeName: fw.postFilterPlugins.length === 0 ? '' : result?.nominatedNodeName,
    evaluatedNodes,
    state,
  };
}

/**
 * --explain rows for the nodes a PreFilter node subset left out, written only when the pod
 * fit nowhere (where FailedScheduling counts them too), so a DaemonSet pod pinned to its node
 * does not add a row per other node at every placement.
 */
function explainLeftOut(
  explain: ExplainSink,
  pod: SimPod,
  allNodes: readonly NodeInfo[],
  pre: { nodeNames?: Set<string>; pluginsWithNodes: ReadonlySet<string> },
  diagnosis: Diagnosis,
): void {
  const plugin = sortedPlugins(pre.pluginsWithNodes).join(' ');
  const reasons = diagnosis.absentStatus!.reasons;
  for (const n of allNodes) {
    if (!pre.nodeNames!.has(n.name)) explain.filter(pod, n.name, plugin, reasons);
  }
}

/** Plugin names as Go's sets.List gives them: sorted. */
function sortedPlugins(names: ReadonlySet<string>): string[] {
  return [...names].sort();
}

/** The FailedScheduling message of a failed cycle (FitError.Error()). */
export function fitErrorMessage(d: Diagnosis, numAllNodes: number): string {
  return formatFitError({
    numAllNodes,
    nodeToStatus: d.nodeToStatus,
    absentStatus: d.absentStatus,
    preFilterMsg: d.preFilterMsg,
    postFilterMsg: d.postFilterMsg,
  });
}

export function isUnresolvable(s: Status): boolean {
  return s.code === Code.UnschedulableAndUnresolvable;
}
