/**
 * NodeResourcesFit (noderesources/fit.go).
 * - Filter (fitsRequest): pod count, then — unless the pod requests nothing — cpu, memory,
 *   ephemeral-storage and each requested scalar resource against allocatable minus what the
 *   node's pods (assumed ones included) already request. Every shortfall is listed; the status
 *   is UnschedulableAndUnresolvable if any single request exceeds the node's whole allocatable
 *   (no preemption can help), else Unschedulable.
 * - Score: LeastAllocated (default), MostAllocated or RequestedToCapacityRatio over
 *   `scoringStrategy.resources`, using non-zero requests for cpu/memory (100m / 200Mi for a
 *   container that declares none) and real requests for everything else.
 */
import { NodeInfo } from '../model/node-info.js';
import type { SimNode, SimPod } from '../model/objects.js';
import { RESOURCE_CPU, RESOURCE_MEMORY, type Resource } from '../model/resources.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  ActionType,
  FastPass,
  MAX_CUSTOM_PRIORITY_SCORE,
  MAX_NODE_SCORE,
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeRows,
  type PluginArgs,
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';
import { buildBrokenLinearFunction, type FunctionShapePoint } from './helpers/broken-linear.js';
import {
  forbidden,
  invalid,
  labelNameErrors,
  notSupported,
  required,
  throwFirst,
  type FieldError,
} from './helpers/field-error.js';
import {
  defaultResourceSpec,
  defaultWeights,
  isExtendedResourceName,
  mulDivTrunc,
  podResourceRequestList,
  resourceAllocationScore,
  validateResourceWeights,
  type ResourceScorer,
  type ResourceSpec,
} from './helpers/resource-allocation.js';

export const Name = 'NodeResourcesFit';
const preFilterStateKey = 'PreFilter' + Name;
const preScoreStateKey = 'PreScore' + Name;

export const LEAST_ALLOCATED = 'LeastAllocated';
export const MOST_ALLOCATED = 'MostAllocated';
export const REQUESTED_TO_CAPACITY_RATIO = 'RequestedToCapacityRatio';
const SCORING_STRATEGY_TYPES = [
  LEAST_ALLOCATED,
  MOST_ALLOCATED,
  REQUESTED_TO_CAPACITY_RATIO,
] as const;

/** The utilization at which an over-committed resource is scored by RequestedToCapacityRatio. */
const MAX_UTILIZATION = 100;

/** NodeResourcesFitArgs (kubescheduler.config.k8s.io/v1) after defaulting. */
export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: {
    type: string;
    resources: ResourceSpec[];
    requestedToCapacityRatio?: { shape: FunctionShapePoint[] };
  };
}

/** As written in pluginConfig (YAML → JS), before defaulting. */
export interface NodeResourcesFitArgsInput {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: string;
    resources?: Array<{ name: string; weight?: number }>;
    requestedToCapacityRatio?: { shape?: FunctionShapePoint[] };
  };
}

// ---- Filter ------------------------------------------------------------------------------

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The request exceeds the node's whole allocatable: preemption cannot help. */
  unresolvable: boolean;
}

/**
 * fitsRequest. Scalar resources are checked in sorted name order (upstream ranges over a Go
 * map, so its order is random; ours must be deterministic).
 */
export function fitsRequest(
  podRequest: Resource,
  nodeInfo: NodeInfo,
  ignoredExtendedResources: ReadonlySet<string> = EMPTY_SET,
  ignoredResourceGroups: ReadonlySet<string> = EMPTY_SET,
): InsufficientResource[] {
  const insufficient: InsufficientResource[] = [];
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;

  const allowedPodNumber = alloc.allowedPodNumber;
  if (nodeInfo.pods.length + 1 > allowedPodNumber) {
    insufficient.push({
      resourceName: 'pods',
      reason: 'Too many pods',
      requested: 1,
      used: nodeInfo.pods.length,
      capacity: allowedPodNumber,
      unresolvable: false,
    });
  }

  if (
    podRequest.milliCPU === 0 &&
    podRequest.memory === 0 &&
    podRequest.ephemeralStorage === 0 &&
    podRequest.scalar.size === 0
  ) {
    return insufficient;
  }

  const check = (name: string, req: number, allocated: number, requested: number): void => {
    if (req > 0 && req > allocated - requested) {
      insufficient.push({
        resourceName: name,
        reason: `Insufficient ${name}`,
        requested: req,
        used: requested,
        capacity: allocated,
        unresolvable: req > allocated,
      });
    }
  };
  check('cpu', podRequest.milliCPU, alloc.milliCPU, used.milliCPU);
  check('memory', podRequest.memory, alloc.memory, used.memory);
  check(
    'ephemeral-storage',
    podRequest.ephemeralStorage,
    alloc.ephemeralStorage,
    used.ephemeralStorage,
  );

  const scalarNames =
    podRequest.scalar.size > 1 ? [...podRequest.scalar.keys()].sort() : podRequest.scalar.keys();
  for (const name of scalarNames) {
    const quantity = podRequest.scalar.get(name) ?? 0;
    if (quantity === 0) continue;
    if (isExtendedResourceName(name)) {
      const prefix = ignoredResourceGroups.size > 0 ? name.split('/')[0]! : '';
      if (ignoredExtendedResources.has(name) || ignoredResourceGroups.has(prefix)) continue;
    }
    const allocated = alloc.scalar.get(name) ?? 0;
    const requested = used.scalar.get(name) ?? 0;
    if (quantity > allocated - requested) {
      insufficient.push({
        resourceName: name,
        reason: `Insufficient ${name}`,
        requested: quantity,
        used: requested,
        capacity: allocated,
        unresolvable: quantity > allocated,
      });
    }
  }
  return insufficient;
}

const EMPTY_SET: ReadonlySet<string> = new Set();

/** Statuses of the scalar-free case by (shortfall bits, unresolvable bit): shared, immutable. */
const statusByShortfall: Array<Status | undefined> = [];
const SHORTFALL_REASONS = [
  'Too many pods',
  'Insufficient cpu',
  'Insufficient memory',
  'Insufficient ephemeral-storage',
];

/**
 * fitsRequest + the Filter status for a pod asking for no extended resource, without
 * allocating: the same checks, the same reasons in the same order, one shared Status per
 * combination of shortfalls.
 */
function statusWithoutScalars(podRequest: Resource, nodeInfo: NodeInfo): Status | null {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  let bits = 0;
  let unresolvable = false;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) bits |= 1;
  const cpu = podRequest.milliCPU;
  const memory = podRequest.memory;
  const storage = podRequest.ephemeralStorage;
  if (cpu > 0 && cpu > alloc.milliCPU - used.milliCPU) {
    bits |= 2;
    unresolvable ||= cpu > alloc.milliCPU;
  }
  if (memory > 0 && memory > alloc.memory - used.memory) {
    bits |= 4;
    unresolvable ||= memory > alloc.memory;
  }
  if (storage > 0 && storage > alloc.ephemeralStorage - used.ephemeralStorage) {
    bits |= 8;
    unresolvable ||= storage > alloc.ephemeralStorage;
  }
  if (bits === 0) return null;
  const key = bits | (unresolvable ? 16 : 0);
  let s = statusByShortfall[key];
  if (!s) {
    const reasons = SHORTFALL_REASONS.filter((_, i) => bits & (1 << i));
    s = unresolvable ? Status.unresolvable(...reasons) : Status.unschedulable(...reasons);
    statusByShortfall[key] = s;
  }
  return s;
}

// ---- Score -------------------------------------------------------------------------------

/** leastRequestedScore: the free fraction × 100, 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return mulDivTrunc(capacity - requested, MAX_NODE_SCORE, capacity);
}

/** mostRequestedScore: the used fraction × 100, clamped (not zeroed) when over capacity. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return mulDivTrunc(Math.min(requested, capacity), MAX_NODE_SCORE, capacity);
}

/** Σ s_i·w_i / Σ w_i over resources with allocatable ≠ 0 (integer division). */
function weightedScorer(
  resources: readonly ResourceSpec[],
  perResource: (r: number, a: number) => number,
): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      nodeScore += perResource(requested[i]!, allocatable[i]!) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

export function leastResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedScorer(resources, leastRequestedScore);
}

export function mostResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedScorer(resources, mostRequestedScore);
}

/**
 * requestedToCapacityRatioScorer: shape scores 0–10 scaled ×10; per resource f(utilization)
 * (f(100) when over capacity); only resources scoring > 0 enter the weighted mean, which is
 * rounded (math.Round; half away from zero equals JS Math.round for these non-negative values).
 */
export function requestedToCapacityRatioScorer(
  resources: readonly ResourceSpec[],
  shape: readonly FunctionShapePoint[],
): ResourceScorer {
  const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
  const raw = buildBrokenLinearFunction(
    shape.map((p) => ({ utilization: p.utilization, score: p.score * scale })),
  );
  const resourceScore = (requested: number, capacity: number): number => {
    if (capacity === 0 || requested > capacity) return raw(MAX_UTILIZATION);
    return raw(mulDivTrunc(requested, MAX_UTILIZATION, capacity));
  };
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      const s = resourceScore(requested[i]!, allocatable[i]!);
      if (s > 0) {
        nodeScore += s * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

// ---- Plugin ------------------------------------------------------------------------------

export class NodeResourcesFit
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  readonly name = Name;
  private readonly ignoredResources: ReadonlySet<string>;
  private readonly ignoredResourceGroups: ReadonlySet<string>;
  private readonly resources: readonly ResourceSpec[];
  private readonly scorer: ResourceScorer;
  /**
   * LeastAllocated over cpu and memory only (the default): per resource, whether it is cpu;
   * scoreNodes then reads the aggregates directly, with the scorer's arithmetic.
   */
  private readonly leastCpuMemory: boolean[] | undefined;

  constructor(args: NodeResourcesFitArgs) {
    this.ignoredResources = new Set(args.ignoredResources);
    this.ignoredResourceGroups = new Set(args.ignoredResourceGroups);
    const strategy = args.scoringStrategy;
    this.resources = strategy.resources;
    switch (strategy.type) {
      case LEAST_ALLOCATED:
        this.scorer = leastResourceScorer(this.resources);
        break;
      case MOST_ALLOCATED:
        this.scorer = mostResourceScorer(this.resources);
        break;
      case REQUESTED_TO_CAPACITY_RATIO:
        this.scorer = requestedToCapacityRatioScorer(
          this.resources,
          strategy.requestedToCapacityRatio?.shape ?? [],
        );
        break;
      default:
        throw new Error(`scoring strategy ${strategy.type} is not supported`);
    }
    this.leastCpuMemory =
      strategy.type === LEAST_ALLOCATED &&
      this.resources.every((r) => r.name === RESOURCE_CPU || r.name === RESOURCE_MEMORY)
        ? this.resources.map((r) => r.name === RESOURCE_CPU)
        : undefined;
  }

  /** Pod requests are precomputed on the SimPod (requests incl. init max and overhead). */
  preFilter(state: CycleState, pod: SimPod): { result?: PreFilterResult; status: Status | null } {
    state.write(preFilterStateKey, pod.requests);
    return { status: null };
  }

  filter(state: CycleState, _pod: SimPod, nodeInfo: NodeInfo): Status | null {
    const podRequest = state.read<Resource>(preFilterStateKey);
    if (!podRequest)
      return Status.error(`error reading "${preFilterStateKey}" from cycleState: not found`);
    if (podRequest.scalar.size === 0) return statusWithoutScalars(podRequest, nodeInfo);
    const insufficient = fitsRequest(
      podRequest,
      nodeInfo,
      this.ignoredResources,
      this.ignoredResourceGroups,
    );
    if (insufficient.length === 0) return null;
    const reasons = insufficient.map((r) => r.reason);
    return insufficient.some((r) => r.unresolvable)
      ? Status.unresolvable(...reasons)
      : Status.unschedulable(...reasons);
  }

  /**
   * Without extended resources the filter is statusWithoutScalars, which passes exactly when
   * FastPass.FitsResources holds for the pod's own requests.
   */
  fastPassConditions(state: CycleState, pod: SimPod): number | undefined {
    const podRequest = state.read<Resource>(preFilterStateKey);
    return podRequest === pod.requests && podRequest.scalar.size === 0
      ? FastPass.FitsResources
      : undefined;
  }

  preScore(state: CycleState, pod: SimPod): Status | null {
    state.write(preScoreStateKey, podResourceRequestList(pod, this.resources, true));
    return null;
  }

  score(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): number {
    const podRequests =
      state.read<number[]>(preScoreStateKey) ?? podResourceRequestList(pod, this.resources, true);
    return resourceAllocationScore(nodeInfo, this.resources, podRequests, false, this.scorer);
  }

  scoreNodes(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
    scores: number[],
    rows?: NodeRows,
  ): void {
    const podRequests =
      state.read<number[]>(preScoreStateKey) ?? podResourceRequestList(pod, this.resources, true);
    if (this.leastCpuMemory && rows) {
      this.leastAllocatedCpuMemoryRows(this.leastCpuMemory, podRequests, rows, scores);
      return;
    }
    if (this.leastCpuMemory) {
      this.leastAllocatedCpuMemory(this.leastCpuMemory, podRequests, nodes, scores);
      return;
    }
    for (let i = 0; i < nodes.length; i++) {
      scores[i] = resourceAllocationScore(
        nodes[i]!,
        this.resources,
        podRequests,
        false,
        this.scorer,
      );
    }
  }

  /** resourceAllocationScore + leastResourceScorer for cpu/memory, from the non-zero aggregates. */
  private leastAllocatedCpuMemory(
    isCpu: readonly boolean[],
    podRequests: readonly number[],
    nodes: readonly NodeInfo[],
    scores: number[],
  ): void {
    const resources = this.resources;
    for (let i = 0; i < nodes.length; i++) {
      const info = nodes[i]!;
      const alloc = info.allocatable;
      const used = info.nonZeroRequested;
      let nodeScore = 0;
      let weightSum = 0;
      for (let k = 0; k < isCpu.length; k++) {
        const cpu = isCpu[k]!;
        const a = cpu ? alloc.milliCPU : alloc.memory;
        if (a === 0) continue;
        const r = (cpu ? used.milliCPU : used.memory) + podRequests[k]!;
        const weight = resources[k]!.weight;
        nodeScore += leastRequestedScore(r, a) * weight;
        weightSum += weight;
      }
      scores[i] = weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
    }
  }

  /** leastAllocatedCpuMemory on the node table's columns; the same arithmetic. */
  private leastAllocatedCpuMemoryRows(
    isCpu: readonly boolean[],
    podRequests: readonly number[],
    { table, rows }: NodeRows,
    scores: number[],
  ): void {
    const resources = this.resources;
    const allocCpu = table.allocCpu;
    const allocMemory = table.allocMemory;
    const usedCpu = table.nonZeroCpu;
    const usedMemory = table.nonZeroMemory;
    if (isCpu.length === 2 && isCpu[0] !== isCpu[1]) {
      // The default [cpu, memory] (either order) without the per-resource loop; the sums are
      // of integers, so the order of the terms cannot change them.
      const c = isCpu[0] ? 0 : 1;
      const wCpu = resources[c]!.weight;
      const wMemory = resources[1 - c]!.weight;
      const podCpu = podRequests[c]!;
      const podMemory = podRequests[1 - c]!;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const ac = allocCpu[row]!;
        const am = allocMemory[row]!;
        let nodeScore = 0;
        let weightSum = 0;
        if (ac !== 0) {
          nodeScore += leastRequestedScore(usedCpu[row]! + podCpu, ac) * wCpu;
          weightSum += wCpu;
        }
        if (am !== 0) {
          nodeScore += leastRequestedScore(usedMemory[row]! + podMemory, am) * wMemory;
          weightSum += wMemory;
        }
        scores[i] = weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
      }
      return;
    }
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      let nodeScore = 0;
      let weightSum = 0;
      for (let k = 0; k < isCpu.length; k++) {
        const cpu = isCpu[k]!;
        const a = cpu ? allocCpu[row]! : allocMemory[row]!;
        if (a === 0) continue;
        const r = (cpu ? usedCpu[row]! : usedMemory[row]!) + podRequests[k]!;
        const weight = resources[k]!.weight;
        nodeScore += leastRequestedScore(r, a) * weight;
        weightSum += weight;
      }
      scores[i] = weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
    }
  }

  /**
   * Resources are freed by a pod placed (or nominated) going away or scaled down in place
   * (InPlacePodVerticalScaling, on in v1.35); a node added or its allocatable changed may fit.
   * With QueueingHints on, no other node update is registered.
   */
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete | ActionType.UpdatePodScaleDown },
        queueingHintFn: isSchedulableAfterPodEvent,
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable },
        queueingHintFn: isSchedulableAfterNodeChange,
      },
    ];
  }
}

/**
 * isSchedulableAfterPodEvent: a deleted pod frees room only if it was placed or nominated; a
 * scaled-down pod helps if it is the pod itself, or a placed pod that gave back some resource
 * the pod requests.
 */
export function isSchedulableAfterPodEvent(
  pod: SimPod,
  oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const original = oldObj as SimPod;
  const modified = newObj as SimPod | undefined;
  if (!modified) {
    return !original.spec.nodeName && !original.status.nominatedNodeName
      ? QueueingHint.QueueSkip
      : QueueingHint.Queue;
  }
  return isSchedulableAfterPodScaleDown(pod, original, modified)
    ? QueueingHint.Queue
    : QueueingHint.QueueSkip;
}

function isSchedulableAfterPodScaleDown(
  target: SimPod,
  original: SimPod,
  modified: SimPod,
): boolean {
  if (modified.metadata.uid === target.metadata.uid) return true;
  if (!modified.spec.nodeName) return false;
  const want = target.requests;
  const was = original.requests;
  const now = modified.requests;
  if (want.milliCPU > 0 && was.milliCPU > now.milliCPU) return true;
  if (want.memory > 0 && was.memory > now.memory) return true;
  if (want.ephemeralStorage > 0 && was.ephemeralStorage > now.ephemeralStorage) return true;
  for (const [name, v] of want.scalar) {
    if (v > 0 && (was.scalar.get(name) ?? 0) > (now.scalar.get(name) ?? 0)) return true;
  }
  return false;
}

/**
 * isSchedulableAfterNodeChange: the pod must fit the node when empty (isFit); then an added
 * node requeues, an updated one only if something the pod requests (or the pod count) grew.
 */
export function isSchedulableAfterNodeChange(
  pod: SimPod,
  oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const original = oldObj as SimNode | undefined;
  const modified = newObj as SimNode;
  if (fitsRequest(pod.requests, new NodeInfo(modified)).length > 0) return QueueingHint.QueueSkip;
  if (!original) return QueueingHint.Queue;
  return haveAnyRequestedResourcesIncreased(
    pod.requests,
    original.status.allocatable,
    modified.status.allocatable,
  )
    ? QueueingHint.Queue
    : QueueingHint.QueueSkip;
}

function haveAnyRequestedResourcesIncreased(req: Resource, was: Resource, now: Resource): boolean {
  if (now.allowedPodNumber > was.allowedPodNumber) return true;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && req.scalar.size === 0)
    return false;
  if (req.milliCPU > 0 && now.milliCPU > was.milliCPU) return true;
  if (req.memory > 0 && now.memory > was.memory) return true;
  if (req.ephemeralStorage > 0 && now.ephemeralStorage > was.ephemeralStorage) return true;
  for (const [name, v] of req.scalar) {
    if (v !== 0 && (now.scalar.get(name) ?? 0) > (was.scalar.get(name) ?? 0)) return true;
  }
  return false;
}

// ---- Args --------------------------------------------------------------------------------

/** SetDefaults_NodeResourcesFitArgs (v1). */
export function defaultNodeResourcesFitArgs(
  input: NodeResourcesFitArgsInput = {},
): NodeResourcesFitArgs {
  const strategy = input.scoringStrategy ?? { type: LEAST_ALLOCATED };
  const resources = strategy.resources?.length
    ? defaultWeights(strategy.resources)
    : defaultResourceSpec();
  const rtcr = strategy.requestedToCapacityRatio;
  return {
    ignoredResources: input.ignoredResources ?? [],
    ignoredResourceGroups: input.ignoredResourceGroups ?? [],
    scoringStrategy: {
      type: strategy.type ?? '',
      resources,
      ...(rtcr ? { requestedToCapacityRatio: { shape: rtcr.shape ?? [] } } : {}),
    },
  };
}

/** validateFunctionShape. */
export function validateFunctionShape(
  shape: readonly FunctionShapePoint[],
  path: string,
): FieldError[] {
  if (shape.length === 0) return [required(path, 'at least one point must be specified')];
  const errors: FieldError[] = [];
  for (let i = 1; i < shape.length; i++) {
    if (shape[i - 1]!.utilization >= shape[i]!.utilization) {
      errors.push(
        invalid(
          `${path}[${i}].utilization`,
          shape[i]!.utilization,
          'values must be sorted in increasing order',
        ),
      );
      break;
    }
  }
  shape.forEach((p, i) => {
    if (p.utilization < 0 || p.utilization > 100) {
      errors.push(
        invalid(`${path}[${i}].utilization`, p.utilization, 'not in valid range [0, 100]'),
      );
    }
    if (p.score < 0 || p.score > MAX_CUSTOM_PRIORITY_SCORE) {
      errors.push(
        invalid(
          `${path}[${i}].score`,
          p.score,
          `not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`,
        ),
      );
    }
  });
  return errors;
}

/** ValidateNodeResourcesFitArgs, with upstream's field paths and messages. */
export function validateNodeResourcesFitArgs(args: NodeResourcesFitArgs): FieldError[] {
  const errors: FieldError[] = [];
  args.ignoredResources.forEach((r, i) =>
    errors.push(...labelNameErrors(r, `ignoredResources[${i}]`)),
  );
  args.ignoredResourceGroups.forEach((g, i) => {
    const path = `ignoredResourceGroups[${i}]`;
    if (g.includes('/')) errors.push(invalid(path, g, "resource group name can't contain '/'"));
    errors.push(...labelNameErrors(g, path));
  });
  const strategy = args.scoringStrategy;
  if (!(SCORING_STRATEGY_TYPES as readonly string[]).includes(strategy.type)) {
    errors.push(notSupported('scoringStrategy.type', strategy.type, SCORING_STRATEGY_TYPES));
  }
  errors.push(...validateResourceWeights(strategy.resources, 'scoringStrategy.resources'));
  if (strategy.type === REQUESTED_TO_CAPACITY_RATIO) {
    if (!strategy.requestedToCapacityRatio) {
      errors.push(
        required(
          'scoringStrategy.requestedToCapacityRatio',
          'must be specified when type is RequestedToCapacityRatio',
        ),
      );
    } else {
      errors.push(
        ...validateFunctionShape(
          strategy.requestedToCapacityRatio.shape,
          'scoringStrategy.requestedToCapacityRatio.shape',
        ),
      );
    }
  } else if (strategy.requestedToCapacityRatio) {
    errors.push(
      forbidden(
        'scoringStrategy.requestedToCapacityRatio',
        'must be nil when type is not RequestedToCapacityRatio',
      ),
    );
  }
  return errors;
}

export const factory: PluginFactory = (args: PluginArgs | undefined) => {
  const defaulted = defaultNodeResourcesFitArgs(args as NodeResourcesFitArgsInput | undefined);
  throwFirst(Name, validateNodeResourcesFitArgs(defaulted));
  return new NodeResourcesFit(defaulted);
};
