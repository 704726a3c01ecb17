/**
 * NodeResourcesBalancedAllocation (noderesources/balanced_allocation.go, v1.24–v1.35 formula):
 * favours nodes whose resource fractions (requested incl. the pod / allocatable, capped at 1)
 * are close to each other: score = trunc((1 − std) × 100). Real requests (no non-zero
 * defaults); weights are accepted but must be 1 and do not enter the formula. Best-effort
 * pods (requesting none of the resources) are not scored at all (PreScore Skip), so they do
 * not pile onto one node (kubernetes#129138).
 *
 * Not the v1.36 formula (PR #135573, change in balance the pod causes).
 */
import type { NodeInfo } from '../model/node-info.js';
import type { SimPod } from '../model/objects.js';
import { RESOURCE_CPU, RESOURCE_MEMORY } from '../model/resources.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  MAX_NODE_SCORE,
  type NodeRows,
  type PluginArgs,
  type PluginFactory,
  type PreScorePlugin,
  type ScorePlugin,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';
import { throwFirst } from './helpers/field-error.js';
import {
  defaultResourceSpec,
  defaultWeights,
  podResourceRequestList,
  resourceAllocationScore,
  validateBalancedResources,
  type ResourceSpec,
} from './helpers/resource-allocation.js';

export const Name = 'NodeResourcesBalancedAllocation';
const preScoreStateKey = 'PreScore' + Name;

/** NodeResourcesBalancedAllocationArgs (kubescheduler.config.k8s.io/v1). */
export interface NodeResourcesBalancedAllocationArgs {
  resources: ResourceSpec[];
}

/** balancedResourceScorer. Float steps in Go's order (e.g. |(f0 − f1) / 2|). */
export function balancedResourceScorer(
  requested: readonly number[],
  allocatable: readonly number[],
): number {
  // Two passes over the vectors instead of collecting fractions: the same floats in the same
  // order, without an allocation per node.
  let count = 0;
  let totalFraction = 0;
  let f0 = 0;
  let f1 = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const fraction = capFraction(requested[i]!, allocatable[i]!);
    totalFraction += fraction;
    if (count === 0) f0 = fraction;
    else if (count === 1) f1 = fraction;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((f0 - f1) / 2);
  } else if (count > 2) {
    const mean = totalFraction / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = capFraction(requested[i]!, allocatable[i]!);
      sum = sum + (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

function isCpuOrMemory(name: string): boolean {
  return name === RESOURCE_CPU || name === RESOURCE_MEMORY;
}

/**
 * resourceAllocationScore + balancedResourceScorer for two resources, each cpu or memory,
 * read straight from the requested aggregates: the same float steps in the same order.
 */
function twoResourceScores(
  cpu0: boolean,
  cpu1: boolean,
  podRequests: readonly number[],
  nodes: readonly NodeInfo[],
  scores: number[],
): void {
  const p0 = podRequests[0]!;
  const p1 = podRequests[1]!;
  for (let i = 0; i < nodes.length; i++) {
    const info = nodes[i]!;
    const alloc = info.allocatable;
    const used = info.requested;
    const a0 = cpu0 ? alloc.milliCPU : alloc.memory;
    const a1 = cpu1 ? alloc.milliCPU : alloc.memory;
    let std = 0;
    if (a0 !== 0 && a1 !== 0) {
      const f0 = capFraction((cpu0 ? used.milliCPU : used.memory) + p0, a0);
      const f1 = capFraction((cpu1 ? used.milliCPU : used.memory) + p1, a1);
      std = Math.abs((f0 - f1) / 2);
    }
    scores[i] = Math.trunc((1 - std) * MAX_NODE_SCORE);
  }
}

/** twoResourceScores on the node table's columns; the same float steps in the same order. */
function twoResourceScoresRows(
  cpu0: boolean,
  cpu1: boolean,
  podRequests: readonly number[],
  { table, rows }: NodeRows,
  scores: number[],
): void {
  const p0 = podRequests[0]!;
  const p1 = podRequests[1]!;
  const alloc0 = cpu0 ? table.allocCpu : table.allocMemory;
  const alloc1 = cpu1 ? table.allocCpu : table.allocMemory;
  const used0 = cpu0 ? table.reqCpu : table.reqMemory;
  const used1 = cpu1 ? table.reqCpu : table.reqMemory;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const a0 = alloc0[row]!;
    const a1 = alloc1[row]!;
    let std = 0;
    if (a0 !== 0 && a1 !== 0) {
      const f0 = capFraction(used0[row]! + p0, a0);
      const f1 = capFraction(used1[row]! + p1, a1);
      std = Math.abs((f0 - f1) / 2);
    }
    scores[i] = Math.trunc((1 - std) * MAX_NODE_SCORE);
  }
}

function capFraction(requested: number, allocatable: number): number {
  const fraction = requested / allocatable;
  return fraction > 1 ? 1 : fraction;
}

function isBestEffort(podRequests: readonly number[]): boolean {
  for (let i = 0; i < podRequests.length; i++) if (podRequests[i] !== 0) return false;
  return true;
}

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = Name;
  private readonly resources: readonly ResourceSpec[];

  constructor(args: NodeResourcesBalancedAllocationArgs = { resources: defaultResourceSpec() }) {
    this.resources = args.resources;
  }

  preScore(state: CycleState, pod: SimPod): Status | null {
    const podRequests = podResourceRequestList(pod, this.resources, false);
    if (isBestEffort(podRequests)) return Status.skip();
    state.write(preScoreStateKey, podRequests);
    return null;
  }

  score(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): number {
    const podRequests =
      state.read<number[]>(preScoreStateKey) ?? podResourceRequestList(pod, this.resources, false);
    if (isBestEffort(podRequests)) return 0;
    return resourceAllocationScore(
      nodeInfo,
      this.resources,
      podRequests,
      true,
      balancedResourceScorer,
    );
  }

  scoreNodes(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
    scores: number[],
    rows?: NodeRows,
  ): void {
    const podRequests =
      state.read<number[]>(preScoreStateKey) ?? podResourceRequestList(pod, this.resources, false);
    if (isBestEffort(podRequests)) {
      scores.fill(0);
      return;
    }
    const r = this.resources;
    if (r.length === 2 && isCpuOrMemory(r[0]!.name) && isCpuOrMemory(r[1]!.name)) {
      if (rows) {
        twoResourceScoresRows(
          r[0]!.name === RESOURCE_CPU,
          r[1]!.name === RESOURCE_CPU,
          podRequests,
          rows,
          scores,
        );
        return;
      }
      twoResourceScores(
        r[0]!.name === RESOURCE_CPU,
        r[1]!.name === RESOURCE_CPU,
        podRequests,
        nodes,
        scores,
      );
      return;
    }
    for (let i = 0; i < nodes.length; i++) {
      scores[i] = resourceAllocationScore(
        nodes[i]!,
        this.resources,
        podRequests,
        true,
        balancedResourceScorer,
      );
    }
  }
}

/** SetDefaults_NodeResourcesBalancedAllocationArgs (v1). */
export function defaultBalancedAllocationArgs(
  input: {
    resources?: Array<{ name: string; weight?: number }>;
  } = {},
): NodeResourcesBalancedAllocationArgs {
  return {
    resources: input.resources?.length ? defaultWeights(input.resources) : defaultResourceSpec(),
  };
}

export const factory: PluginFactory = (args: PluginArgs | undefined) => {
  const defaulted = defaultBalancedAllocationArgs(
    args as { resources?: Array<{ name: string; weight?: number }> },
  );
  throwFirst(Name, validateBalancedResources(defaulted.resources, 'resources'));
  return new NodeResourcesBalancedAllocation(defaulted);
};
