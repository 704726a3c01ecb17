/**
 * Resource vectors as the scheduler sees them, shaped like upstream's framework.Resource:
 * cpu in millicores, memory and ephemeral storage in bytes, a pod count, and a map of
 * scalar (extended) resources such as `nvidia.com/gpu`. All values are exact integers.
 */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  /** Extended/hugepages/attachable resources by name; absent means 0. */
  scalar: Map<string, number>;
}

export const RESOURCE_CPU = 'cpu';
export const RESOURCE_MEMORY = 'memory';
export const RESOURCE_EPHEMERAL_STORAGE = 'ephemeral-storage';
export const RESOURCE_PODS = 'pods';

/** Upstream pkg/scheduler/util: the request assumed for a container that declares none (scoring only). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: new Map() };
}

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: new Map(r.scalar) };
}

/** Value of a named resource (`cpu` in millicores, the others in their base unit). */
export function getResource(r: Resource, name: string): number {
  switch (name) {
    case RESOURCE_CPU:
      return r.milliCPU;
    case RESOURCE_MEMORY:
      return r.memory;
    case RESOURCE_EPHEMERAL_STORAGE:
      return r.ephemeralStorage;
    case RESOURCE_PODS:
      return r.allowedPodNumber;
    default:
      return r.scalar.get(name) ?? 0;
  }
}

export function setResource(r: Resource, name: string, value: number): void {
  switch (name) {
    case RESOURCE_CPU:
      r.milliCPU = value;
      return;
    case RESOURCE_MEMORY:
      r.memory = value;
      return;
    case RESOURCE_EPHEMERAL_STORAGE:
      r.ephemeralStorage = value;
      return;
    case RESOURCE_PODS:
      r.allowedPodNumber = value;
      return;
    default:
      if (value === 0) r.scalar.delete(name);
      else r.scalar.set(name, value);
  }
}

/** target += sign × delta, in place. */
export function addResource(target: Resource, delta: Resource, sign = 1): void {
  target.milliCPU += sign * delta.milliCPU;
  target.memory += sign * delta.memory;
  target.ephemeralStorage += sign * delta.ephemeralStorage;
  target.allowedPodNumber += sign * delta.allowedPodNumber;
  for (const [name, v] of delta.scalar) {
    const next = (target.scalar.get(name) ?? 0) + sign * v;
    if (next === 0) target.scalar.delete(name);
    else target.scalar.set(name, next);
  }
}

/** Element-wise maximum into target (used for init containers). */
export function maxResource(target: Resource, other: Resource): void {
  target.milliCPU = Math.max(target.milliCPU, other.milliCPU);
  target.memory = Math.max(target.memory, other.memory);
  target.ephemeralStorage = Math.max(target.ephemeralStorage, other.ephemeralStorage);
  for (const [name, v] of other.scalar) {
    target.scalar.set(name, Math.max(target.scalar.get(name) ?? 0, v));
  }
}

/** Names of the resources with a non-zero value, in a stable order (core first, then sorted scalars). */
export function resourceNames(r: Resource): string[] {
  const names: string[] = [];
  if (r.milliCPU) names.push(RESOURCE_CPU);
  if (r.memory) names.push(RESOURCE_MEMORY);
  if (r.ephemeralStorage) names.push(RESOURCE_EPHEMERAL_STORAGE);
  return names.concat([...r.scalar.keys()].sort());
}
