/**
 * The shared core of NodeResourcesFit scoring and NodeResourcesBalancedAllocation, as
 * upstream noderesources/resource_allocation.go: per configured resource, the node's
 * allocatable and what would be requested with the pod on it; a resource with allocatable 0
 * is left out, and an extended resource the pod does not request is left out too.
 */
import type { NodeInfo } from '../../model/node-info.js';
import type { SimPod } from '../../model/objects.js';
import {
  getResource,
  RESOURCE_CPU,
  RESOURCE_EPHEMERAL_STORAGE,
  RESOURCE_MEMORY,
  RESOURCE_PODS,
} from '../../model/resources.js';
import { duplicate, invalid, type FieldError } from './field-error.js';

/** config.ResourceSpec. */
export interface ResourceSpec {
  name: string;
  weight: number;
}

/** Upstream defaultResourceSpec: cpu and memory, weight 1 each. */
export function defaultResourceSpec(): ResourceSpec[] {
  return [
    { name: RESOURCE_CPU, weight: 1 },
    { name: RESOURCE_MEMORY, weight: 1 },
  ];
}

/** v1helper.IsExtendedResourceName: a domain-prefixed name outside `kubernetes.io/`. */
export function isExtendedResourceName(name: string): boolean {
  const native = !name.includes('/') || name.includes('kubernetes.io/');
  return !native && !name.startsWith('requests.');
}

/** schedutil.IsScalarResourceName: extended, hugepages, prefixed native or attachable volume. */
export function isScalarResourceName(name: string): boolean {
  return (
    isExtendedResourceName(name) ||
    name.startsWith('hugepages-') ||
    name.includes('kubernetes.io/') ||
    name.startsWith('attachable-volumes-')
  );
}

/**
 * calculatePodResourceRequest. `nonZero` (Fit scoring: useRequested=false) takes cpu/memory
 * from the precomputed non-zero requests (100m / 200Mi per container that declares none);
 * every other resource, and BalancedAllocation, uses the real requests.
 */
export function podResourceRequest(pod: SimPod, name: string, nonZero: boolean): number {
  if (nonZero) {
    if (name === RESOURCE_CPU) return pod.nonZeroRequests.milliCPU;
    if (name === RESOURCE_MEMORY) return pod.nonZeroRequests.memory;
  }
  if (name === RESOURCE_PODS) return 0;
  return getResource(pod.requests, name);
}

export function podResourceRequestList(
  pod: SimPod,
  resources: readonly ResourceSpec[],
  nonZero: boolean,
): number[] {
  return resources.map((r) => podResourceRequest(pod, r.name, nonZero));
}

/**
 * calculateResourceAllocatableRequest: [allocatable, node requested + pod request], or [0, 0]
 * to skip the resource. cpu/memory use the node's non-zero aggregate unless `useRequested`;
 * ephemeral-storage and scalars always the real aggregate.
 */
export function allocatableAndRequested(
  nodeInfo: NodeInfo,
  name: string,
  podRequest: number,
  useRequested: boolean,
): [number, number] {
  if (podRequest === 0 && isScalarResourceName(name)) return [0, 0];
  const alloc = nodeInfo.allocatable;
  const nodeRequested = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  switch (name) {
    case RESOURCE_CPU:
      return [alloc.milliCPU, nodeRequested.milliCPU + podRequest];
    case RESOURCE_MEMORY:
      return [alloc.memory, nodeRequested.memory + podRequest];
    case RESOURCE_EPHEMERAL_STORAGE:
      return [alloc.ephemeralStorage, nodeInfo.requested.ephemeralStorage + podRequest];
    default: {
      const a = alloc.scalar.get(name);
      if (a === undefined) return [0, 0];
      return [a, (nodeInfo.requested.scalar.get(name) ?? 0) + podRequest];
    }
  }
}

/** Scores one node from aligned requested/allocatable vectors (allocatable 0 = skipped). */
export type ResourceScorer = (
  requested: readonly number[],
  allocatable: readonly number[],
) => number;

/**
 * Scratch vectors reused by every call: scoring runs once per node per plugin, and scorers
 * only read them during the call (never keep them), so one pair serves all.
 */
const scratchRequested: number[] = [];
const scratchAllocatable: number[] = [];

/** resourceAllocationScorer.score: build the vectors, then apply the strategy's scorer. */
export function resourceAllocationScore(
  nodeInfo: NodeInfo,
  resources: readonly ResourceSpec[],
  podRequests: readonly number[],
  useRequested: boolean,
  scorer: ResourceScorer,
): number {
  const n = resources.length;
  const requested = scratchRequested;
  const allocatable = scratchAllocatable;
  // Setting an array's length is a runtime call: only when the resource count changes.
  if (requested.length !== n) {
    requested.length = n;
    allocatable.length = n;
  }
  const alloc = nodeInfo.allocatable;
  const nodeRequested = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  for (let i = 0; i < n; i++) {
    const name = resources[i]!.name;
    const podRequest = podRequests[i]!;
    // cpu and memory inline (the common case); the rest as allocatableAndRequested.
    let a: number;
    let r: number;
    if (name === RESOURCE_CPU) {
      a = alloc.milliCPU;
      r = nodeRequested.milliCPU + podRequest;
    } else if (name === RESOURCE_MEMORY) {
      a = alloc.memory;
      r = nodeRequested.memory + podRequest;
    } else {
      [a, r] = allocatableAndRequested(nodeInfo, name, podRequest, useRequested);
    }
    if (a === 0) {
      allocatable[i] = 0;
      requested[i] = 0;
    } else {
      allocatable[i] = a;
      requested[i] = r;
    }
  }
  return scorer(requested, allocatable);
}

/**
 * trunc(a × b / c) exactly, as Go's int64 maths. Products of memory in bytes × 100 exceed 2^53
 * only above ~90 TB; those fall back to BigInt so the result stays exact.
 */
export function mulDivTrunc(a: number, b: number, c: number): number {
  const p = a * b;
  if (Number.isSafeInteger(p)) return Math.trunc(p / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** Upstream validateResources (Fit): 0 < weight ≤ 100. */
export function validateResourceWeights(
  resources: readonly ResourceSpec[],
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  resources.forEach((r, i) => {
    if (!(r.weight > 0 && r.weight <= 100)) {
      errors.push(
        invalid(
          `${path}[${i}].weight`,
          r.weight,
          `resource weight of ${r.name} not in valid range (0, 100]`,
        ),
      );
    }
  });
  return errors;
}

/** Upstream ValidateNodeResourcesBalancedAllocationArgs: unique names, weight exactly 1. */
export function validateBalancedResources(
  resources: readonly ResourceSpec[],
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  resources.forEach((r, i) => {
    if (seen.has(r.name)) errors.push(duplicate(`${path}[${i}].name`, r.name));
    else seen.add(r.name);
    if (r.weight !== 1) errors.push(invalid(`${path}[${i}].weight`, r.weight, 'must be 1'));
  });
  return errors;
}

/** v1 defaulting of a resources list: a missing or 0 weight becomes 1. */
export function defaultWeights(
  resources: ReadonlyArray<{ name: string; weight?: number }>,
): ResourceSpec[] {
  return resources.map((r) => ({ name: r.name, weight: r.weight ? r.weight : 1 }));
}
