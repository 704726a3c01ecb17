/**
 * Tiny builders for tests (like upstream's st.MakePod()/makeNode): objects with exactly the
 * fields a test cares about. Requests are given in base units (millicores, bytes) so plugin
 * tests do not depend on quantity parsing.
 */
import type { PodSpec, Taint, ContainerImage } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from './node-info.js';
import type { Labels, SimNode, SimPod } from './objects.js';
import {
  DEFAULT_MEMORY_REQUEST,
  DEFAULT_MILLI_CPU_REQUEST,
  emptyResource,
  type Resource,
} from './resources.js';

export interface ResourceSpec {
  cpu?: number;
  memory?: number;
  ephemeralStorage?: number;
  pods?: number;
  scalar?: Record<string, number>;
}

export function resource(spec: ResourceSpec = {}): Resource {
  const r = emptyResource();
  r.milliCPU = spec.cpu ?? 0;
  r.memory = spec.memory ?? 0;
  r.ephemeralStorage = spec.ephemeralStorage ?? 0;
  r.allowedPodNumber = spec.pods ?? 0;
  for (const [k, v] of Object.entries(spec.scalar ?? {})) r.scalar.set(k, v);
  return r;
}

export interface NodeOptions {
  labels?: Labels;
  allocatable?: ResourceSpec;
  taints?: Taint[];
  unschedulable?: boolean;
  images?: ContainerImage[];
  pool?: string;
}

export function makeNode(name: string, opts: NodeOptions = {}): SimNode {
  const alloc = resource({ pods: 110, ...opts.allocatable });
  return {
    kind: 'Node',
    metadata: {
      name,
      namespace: '',
      uid: `node-${name}`,
      labels: { 'kubernetes.io/hostname': name, ...opts.labels },
      annotations: {},
      creationTimestamp: 0,
    },
    spec: { unschedulable: opts.unschedulable ?? false, taints: opts.taints ?? [] },
    status: { capacity: alloc, allocatable: alloc, images: opts.images ?? [], ready: 'True' },
    pool: opts.pool ?? '',
  };
}

export interface PodOptions {
  namespace?: string;
  labels?: Labels;
  annotations?: Labels;
  /**
   * Filter requests. Without nonZero, a cpu or memory of 0 counts as a container that sets
   * none (100m / 200Mi for scoring); pass nonZero for an explicit zero request.
   */
  requests?: ResourceSpec;
  nonZero?: { milliCPU: number; memory: number };
  priority?: number;
  spec?: PodSpec;
  nodeName?: string;
  creationTimestamp?: number;
  topOwner?: string;
}

export function makePod(name: string, opts: PodOptions = {}): SimPod {
  const namespace = opts.namespace ?? 'default';
  const requests = resource(opts.requests);
  const spec: PodSpec = { containers: [{ name: 'c' }], ...opts.spec };
  if (opts.nodeName) spec.nodeName = opts.nodeName;
  return {
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: `pod-${namespace}-${name}`,
      labels: opts.labels ?? {},
      annotations: opts.annotations ?? {},
      creationTimestamp: opts.creationTimestamp ?? 0,
    },
    spec,
    status: { phase: opts.nodeName ? 'Running' : 'Pending', ready: false, restartCount: 0 },
    key: `${namespace}/${name}`,
    requests,
    nonZeroRequests: opts.nonZero ?? {
      milliCPU: requests.milliCPU || DEFAULT_MILLI_CPU_REQUEST,
      memory: requests.memory || DEFAULT_MEMORY_REQUEST,
    },
    priority: opts.priority ?? spec.priority ?? 0,
    behaviour: { startupMs: 0, usage: 1, crashProbability: 0 },
    topOwner: opts.topOwner ?? '',
    times: { created: opts.creationTimestamp ?? 0 },
    attempts: 0,
    outcome: 'Pending',
  };
}

/** A NodeInfo holding the given pods (their requests are accounted). */
export function makeNodeInfo(node: SimNode, pods: SimPod[] = []): NodeInfo {
  const info = new NodeInfo(node);
  for (const p of pods) {
    p.spec.nodeName = node.metadata.name;
    info.addPod(p);
  }
  return info;
}
