/**
 * From a Pod spec (as written in a manifest or a workload template) to simulator pods.
 * Work that is the same for every pod of a template — quantity parsing, request sums,
 * admission defaults, priority — is done once in `compilePodTemplate`; `instantiatePod`
 * is then a few object allocations, so arrival-heavy scenarios stay cheap.
 */
import type {
  Container,
  PodSpec,
  ResourceRequirements,
  Toleration,
} from 'kubernetes-types/core/v1.js';
import type { Distribution } from '../engine/distributions.js';
import type { Rng } from '../engine/rng.js';
import type { Labels, OwnerRef, PodBehaviour, SimPod } from './objects.js';
import { parseResourceValue } from './quantity.js';
import {
  addResource,
  DEFAULT_MEMORY_REQUEST,
  DEFAULT_MILLI_CPU_REQUEST,
  emptyResource,
  maxResource,
  setResource,
  type Resource,
} from './resources.js';

/** Kubernetes' default not-ready/unreachable toleration (DefaultTolerationSeconds admission). */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const DEFAULT_TOLERATION_SECONDS = 300;

/** Upstream system priority classes (pkg/apis/scheduling). */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-cluster-critical': 2_000_000_000,
  'system-node-critical': 2_000_001_000,
};

export interface BehaviourSpec {
  startup: Distribution;
  duration?: Distribution;
  usage: number;
  crash: number;
}

export interface CompiledPodTemplate {
  labels: Labels;
  annotations: Labels;
  spec: PodSpec;
  requests: Resource;
  nonZeroRequests: { milliCPU: number; memory: number };
  priority: number;
  behaviour: BehaviourSpec;
}

function containerRequests(c: Container): Resource {
  return resourceRequirements(c.resources);
}

/** A container's requests; a limit without a request defaults the request (apiserver defaulting). */
export function resourceRequirements(res: ResourceRequirements | undefined): Resource {
  const r = emptyResource();
  const merged: Record<string, string | number> = {
    ...(res?.limits ?? {}),
    ...(res?.requests ?? {}),
  };
  for (const [name, q] of Object.entries(merged)) {
    setResource(r, name, parseResourceValue(name, q as string | number));
  }
  return r;
}

/**
 * Pod requests as upstream's resource helpers compute them: Σ regular containers and
 * restartable (sidecar) init containers, at least the largest regular init container plus
 * the sidecars started before it, plus spec.overhead. `nonZero` applies the scoring defaults
 * (100m cpu, 200Mi memory) per container before summing.
 */
export function computePodRequests(spec: PodSpec): {
  requests: Resource;
  nonZero: { milliCPU: number; memory: number };
} {
  const sum = emptyResource();
  const nz = { milliCPU: 0, memory: 0 };
  for (const c of spec.containers ?? []) {
    const r = containerRequests(c);
    addResource(sum, r);
    nz.milliCPU += r.milliCPU || DEFAULT_MILLI_CPU_REQUEST;
    nz.memory += r.memory || DEFAULT_MEMORY_REQUEST;
  }
  const sidecars = emptyResource();
  const sidecarsNz = { milliCPU: 0, memory: 0 };
  const initMax = emptyResource();
  const initMaxNz = { milliCPU: 0, memory: 0 };
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c);
    const cpuNz = r.milliCPU || DEFAULT_MILLI_CPU_REQUEST;
    const memNz = r.memory || DEFAULT_MEMORY_REQUEST;
    if (c.restartPolicy === 'Always') {
      addResource(sum, r);
      addResource(sidecars, r);
      nz.milliCPU += cpuNz;
      nz.memory += memNz;
      sidecarsNz.milliCPU += cpuNz;
      sidecarsNz.memory += memNz;
    } else {
      const withSidecars = emptyResource();
      addResource(withSidecars, r);
      addResource(withSidecars, sidecars);
      maxResource(initMax, withSidecars);
      initMaxNz.milliCPU = Math.max(initMaxNz.milliCPU, cpuNz + sidecarsNz.milliCPU);
      initMaxNz.memory = Math.max(initMaxNz.memory, memNz + sidecarsNz.memory);
    }
  }
  maxResource(sum, initMax);
  nz.milliCPU = Math.max(nz.milliCPU, initMaxNz.milliCPU);
  nz.memory = Math.max(nz.memory, initMaxNz.memory);
  if (spec.overhead) {
    const o = resourceRequirements({ requests: spec.overhead });
    addResource(sum, o);
    nz.milliCPU += o.milliCPU;
    nz.memory += o.memory;
  }
  return { requests: sum, nonZero: nz };
}

function tolerates(tolerations: Toleration[], key: string): boolean {
  return tolerations.some(
    (t) =>
      (t.operator === 'Exists' &&
        (!t.key || t.key === key) &&
        (!t.effect || t.effect === 'NoExecute')) ||
      (t.key === key && (!t.effect || t.effect === 'NoExecute')),
  );
}

/** The DefaultTolerationSeconds admission plugin's two flags (both 300 by default). */
export interface DefaultTolerations {
  /** --default-not-ready-toleration-seconds. */
  notReadySeconds: number;
  /** --default-unreachable-toleration-seconds. */
  unreachableSeconds: number;
}

export const DEFAULT_TOLERATIONS: DefaultTolerations = {
  notReadySeconds: DEFAULT_TOLERATION_SECONDS,
  unreachableSeconds: DEFAULT_TOLERATION_SECONDS,
};

/**
 * DefaultTolerationSeconds admission: a pod that does not tolerate not-ready (unreachable)
 * gets a NoExecute toleration for it with tolerationSeconds = the not-ready (unreachable)
 * default, 300 each unless configured.
 */
export function withDefaultTolerations(
  spec: PodSpec,
  defaults: DefaultTolerations = DEFAULT_TOLERATIONS,
): PodSpec {
  const tolerations = [...(spec.tolerations ?? [])];
  const seconds: Array<[string, number]> = [
    [TAINT_NOT_READY, defaults.notReadySeconds],
    [TAINT_UNREACHABLE, defaults.unreachableSeconds],
  ];
  for (const [key, tolerationSeconds] of seconds) {
    if (!tolerates(tolerations, key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds });
    }
  }
  return { ...spec, tolerations };
}

/** Resolves spec.priority from priorityClassName (or the globalDefault class, else 0). */
export function resolvePriority(
  spec: PodSpec,
  classes: ReadonlyMap<string, number>,
  globalDefault: number,
): number {
  if (typeof spec.priority === 'number') return spec.priority;
  const name = spec.priorityClassName;
  if (name) {
    const v = classes.get(name) ?? SYSTEM_PRIORITY_CLASSES[name];
    if (v !== undefined) return v;
  }
  return globalDefault;
}

export interface CompileOptions {
  priorityClasses: ReadonlyMap<string, number>;
  globalDefaultPriority: number;
  defaultTolerations: DefaultTolerations;
  behaviour: BehaviourSpec;
}

export function compilePodTemplate(
  metadata: { labels?: Labels; annotations?: Labels },
  rawSpec: PodSpec,
  opts: CompileOptions,
): CompiledPodTemplate {
  const spec = withDefaultTolerations(rawSpec, opts.defaultTolerations);
  const { requests, nonZero } = computePodRequests(spec);
  const priority = resolvePriority(spec, opts.priorityClasses, opts.globalDefaultPriority);
  return {
    labels: { ...(metadata.labels ?? {}) },
    annotations: { ...(metadata.annotations ?? {}) },
    spec: { ...spec, priority },
    requests,
    nonZeroRequests: nonZero,
    priority,
    behaviour: opts.behaviour,
  };
}

export interface InstanceOptions {
  name: string;
  namespace: string;
  uid: string;
  now: number;
  ownerReferences?: OwnerRef[];
  topOwner?: string;
  /** Extra labels (e.g. pod-template-hash, controller-revision-hash). */
  labels?: Labels;
  nodeName?: string;
  /** Stream the behaviour (startup, duration, crash) is sampled from. */
  rng: Rng;
  /** Spec overrides for this instance (e.g. DaemonSet node affinity, StatefulSet hostname). */
  specPatch?: Partial<PodSpec>;
}

export function sampleBehaviour(b: BehaviourSpec, rng: Rng): PodBehaviour {
  return {
    startupMs: Math.max(0, Math.round(b.startup.sample(rng))),
    durationMs: b.duration ? Math.max(0, Math.round(b.duration.sample(rng))) : undefined,
    usage: b.usage,
    crashProbability: b.crash,
  };
}

export function instantiatePod(tpl: CompiledPodTemplate, o: InstanceOptions): SimPod {
  const spec: PodSpec = o.specPatch ? { ...tpl.spec, ...o.specPatch } : { ...tpl.spec };
  if (o.nodeName) spec.nodeName = o.nodeName;
  return {
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      uid: o.uid,
      labels: o.labels ? { ...tpl.labels, ...o.labels } : tpl.labels,
      annotations: tpl.annotations,
      ownerReferences: o.ownerReferences,
      creationTimestamp: o.now,
    },
    spec,
    status: { phase: 'Pending', ready: false, restartCount: 0 },
    key: `${o.namespace}/${o.name}`,
    requests: tpl.requests,
    nonZeroRequests: tpl.nonZeroRequests,
    priority: tpl.priority,
    behaviour: sampleBehaviour(tpl.behaviour, o.rng),
    topOwner: o.topOwner ?? '',
    times: { created: o.now },
    attempts: 0,
    outcome: 'Pending',
  };
}
