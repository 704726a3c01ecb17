/**
 * From a Pod spec (as written in a manifest or a workload template) to simulator pods.
 * Work that is the same for every pod of a template — quantity parsing, request sums,
 * admission defaults, priority — is done once in `compilePodTemplate`; `instantiatePod`
 * is then a few object allocations, so arrival-heavy scenarios stay cheap.
 */
import type { PodSpec, ResourceRequirements, Toleration } from 'kubernetes-types/core/v1.js';
import type { Distribution } from '../engine/distributions.js';
import type { Rng } from '../engine/rng.js';
import type { Labels, OwnerRef, PodBehaviour, SimPod } from './objects.js';
import { parseResourceValue } from './quantity.js';
import {
  DEFAULT_MEMORY_REQUEST,
  DEFAULT_MILLI_CPU_REQUEST,
  emptyResource,
  RESOURCE_CPU,
  RESOURCE_MEMORY,
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

/** A PodSpec with pod-level resources (spec.resources, PodLevelResources: beta, on since v1.34). */
export type PodSpecWithResources = PodSpec & { resources?: ResourceRequirements };

/**
 * A ResourceList as Go's map: a name present with 0 differs from an absent one (the scoring
 * defaults replace only absent cpu/memory). Values in base units, cpu in millicores.
 */
type ResourceList = Map<string, number>;

function resourceList(m: Record<string, string | number> | undefined): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, q] of Object.entries(m ?? {})) out.set(name, parseResourceValue(name, q));
  return out;
}

/** A container's requests; a limit without a request defaults the request (SetDefaults_Pod). */
function containerRequestList(res: ResourceRequirements | undefined): ResourceList {
  return resourceList({ ...(res?.limits ?? {}), ...(res?.requests ?? {}) } as Record<
    string,
    string | number
  >);
}

/** A container's requests; a limit without a request defaults the request (apiserver defaulting). */
export function resourceRequirements(res: ResourceRequirements | undefined): Resource {
  return toResource(containerRequestList(res));
}

function toResource(list: ResourceList): Resource {
  const r = emptyResource();
  for (const [name, v] of list) setResource(r, name, v);
  return r;
}

function addList(into: ResourceList, other: ResourceList): void {
  for (const [k, v] of other) into.set(k, (into.get(k) ?? 0) + v);
}

function maxList(into: ResourceList, other: ResourceList): void {
  for (const [k, v] of other) {
    const cur = into.get(k);
    if (cur === undefined || v > cur) into.set(k, v);
  }
}

/** applyNonMissing: the container's list with absent names filled from `nonMissing`. */
function withNonMissing(list: ResourceList, nonMissing: ResourceList | undefined): ResourceList {
  if (!nonMissing) return list;
  const out = new Map(list);
  for (const [k, v] of nonMissing) if (!list.has(k)) out.set(k, v);
  return out;
}

/** resourcehelper.IsSupportedPodLevelResource: cpu, memory and hugepages-*. */
export function isSupportedPodLevelResource(name: string): boolean {
  return name === RESOURCE_CPU || name === RESOURCE_MEMORY || name.startsWith('hugepages-');
}

/**
 * AggregateContainerRequests (aggregateContainerResourcesByFn): Σ regular containers, plus
 * each restartable init container (sidecar) both in that sum and in the running total of
 * sidecars started so far; a regular init container needs itself plus those sidecars; the
 * result is at least the largest such init-time need.
 */
function aggregateContainerRequests(
  spec: PodSpec,
  nonMissing: ResourceList | undefined,
): ResourceList {
  const result: ResourceList = new Map();
  for (const c of spec.containers ?? []) {
    addList(result, withNonMissing(containerRequestList(c.resources), nonMissing));
  }
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of spec.initContainers ?? []) {
    let r = withNonMissing(containerRequestList(c.resources), nonMissing);
    if (c.restartPolicy === 'Always') {
      addList(result, r);
      addList(sidecars, r);
      r = new Map(sidecars);
    } else {
      r = new Map(r);
      addList(r, sidecars);
    }
    maxList(initMax, r);
  }
  maxList(result, initMax);
  return result;
}

/**
 * The pod-level requests after apiserver defaulting (SetDefaults_Pod → defaultPodRequests): only
 * when pod-level limits are set, a missing request of cpu or memory takes the containers'
 * aggregate when they request it, and any supported resource still missing takes its limit.
 */
function podLevelRequests(spec: PodSpecWithResources): ResourceList {
  const res = spec.resources;
  const requests = resourceList(res?.requests as Record<string, string | number> | undefined);
  const limits = resourceList(res?.limits as Record<string, string | number> | undefined);
  if (limits.size === 0) return requests;
  for (const [k, v] of aggregateContainerRequests(spec, undefined)) {
    if ((k === RESOURCE_CPU || k === RESOURCE_MEMORY) && !requests.has(k)) requests.set(k, v);
  }
  for (const [k, v] of limits) {
    if (isSupportedPodLevelResource(k) && !requests.has(k)) requests.set(k, v);
  }
  return requests;
}

/**
 * PodRequests: the containers' aggregate, then the pod-level requests in place of it for the
 * resources they set, then spec.overhead added.
 */
function podRequests(
  spec: PodSpecWithResources,
  podLevel: ResourceList,
  nonMissing: ResourceList | undefined,
): ResourceList {
  const reqs = aggregateContainerRequests(spec, nonMissing);
  for (const [k, v] of podLevel) if (isSupportedPodLevelResource(k)) reqs.set(k, v);
  if (spec.overhead) addList(reqs, resourceList(spec.overhead as Record<string, string | number>));
  return reqs;
}

/**
 * Pod requests as the scheduler computes them (PodInfo.CalculateResource over
 * component-helpers resource.PodRequests, pod-level resources on). `nonZero` is the scoring
 * variant (getNonMissingContainerRequests): without pod-level requests, each container lacking
 * a cpu or memory request counts 100m / 200Mi — an explicit 0 stays 0; with them, a default
 * fills only a resource that neither the pod level nor any container (nor the overhead) names.
 */
export function computePodRequests(spec: PodSpecWithResources): {
  requests: Resource;
  nonZero: { milliCPU: number; memory: number };
} {
  const podLevel = podLevelRequests(spec);
  const podLevelSet = [...podLevel.keys()].some(isSupportedPodLevelResource);
  const requests = podRequests(spec, podLevel, undefined);
  const nonMissing: ResourceList = new Map();
  if (!podLevelSet || !requests.has(RESOURCE_CPU))
    nonMissing.set(RESOURCE_CPU, DEFAULT_MILLI_CPU_REQUEST);
  if (!podLevelSet || !requests.has(RESOURCE_MEMORY))
    nonMissing.set(RESOURCE_MEMORY, DEFAULT_MEMORY_REQUEST);
  const nonZeroList = nonMissing.size ? podRequests(spec, podLevel, nonMissing) : requests;
  return {
    requests: toResource(requests),
    nonZero: {
      milliCPU: nonZeroList.get(RESOURCE_CPU) ?? 0,
      memory: nonZeroList.get(RESOURCE_MEMORY) ?? 0,
    },
  };
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
