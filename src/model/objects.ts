/**
 * The simulator's Node and Pod objects. Their `spec` fields are genuine Kubernetes shapes
 * (kubernetes-types), so plugins read them exactly as upstream does; the fields after
 * `spec`/`status` are values the simulator derives once (requests, priority) or records
 * (lifecycle instants) so hot paths never recompute them.
 */
import type { PodSpec, Taint, ContainerImage } from 'kubernetes-types/core/v1.js';
import type { Resource } from './resources.js';

export type Labels = Record<string, string>;

export interface ObjectMetaLite {
  name: string;
  namespace: string;
  uid: string;
  labels: Labels;
  annotations: Labels;
  ownerReferences?: OwnerRef[];
  /** Virtual ms at which the object was created. */
  creationTimestamp: number;
  /** Virtual ms at which deletion was requested (graceful deletion in progress). */
  deletionTimestamp?: number;
}

export interface OwnerRef {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** How a pod's story ended (pods.csv `outcome`). */
export type PodOutcome =
  'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Evicted' | 'Preempted' | 'Deleted';

/** Sampled behaviour the kubelet model plays out (from ksim.dev/* annotations). */
export interface PodBehaviour {
  /** ms from container start to Ready (image pull + start). */
  startupMs: number;
  /** ms from start until exit 0; undefined = runs until deleted. */
  durationMs?: number;
  /** Actual use as a fraction of requests. */
  usage: number;
  /** Probability per start that the container crashes. */
  crashProbability: number;
}

export interface SimPod {
  kind: 'Pod';
  metadata: ObjectMetaLite;
  spec: PodSpec;
  status: {
    phase: PodPhase;
    /** Node the pod is bound to (mirrors spec.nodeName once bound). */
    nominatedNodeName?: string;
    ready: boolean;
    /**
     * The Ready condition's lastTransitionTime as the API holds it: the last time `ready`
     * changed, in ms truncated to whole seconds (metav1.Time serialises seconds only). Set
     * through setPodReady. Availability (minReadySeconds), ReplicaSet victim ranking and the
     * HPA read it; pods.csv `ready_s` is `times.ready`, the first Ready instant.
     */
    readyTransitionTime?: number;
    restartCount: number;
    reason?: string;
  };
  /** `namespace/name`: the key of every index. */
  key: string;
  /** Requests used by the NodeResourcesFit filter: max(Σ containers, max init) + overhead. */
  requests: Resource;
  /** Requests with upstream's non-zero defaults (100m cpu, 200Mi memory) for scoring. */
  nonZeroRequests: { milliCPU: number; memory: number };
  priority: number;
  behaviour: PodBehaviour;
  /** Top-level workload (`Kind/namespace/name`), empty for bare pods. */
  topOwner: string;
  /** Lifecycle instants in virtual ms, for pods.csv (`ready` is the first time it was Ready). */
  times: {
    created: number;
    scheduled?: number;
    started?: number;
    ready?: number;
    finished?: number;
  };
  attempts: number;
  outcome: PodOutcome;
}

export interface SimNode {
  kind: 'Node';
  metadata: ObjectMetaLite;
  spec: { unschedulable: boolean; taints: Taint[] };
  status: {
    capacity: Resource;
    allocatable: Resource;
    images: ContainerImage[];
    /** Ready condition as node-lifecycle last wrote it. */
    ready: 'True' | 'False' | 'Unknown';
    /**
     * No Ready condition was ever posted (a node whose kubelet has not started yet); `ready`
     * reads Unknown meanwhile, but node lifecycle treats it as absent (nodeStartupGracePeriod).
     */
    neverPosted?: boolean;
  };
  /** Node pool this node came from ('' for raw Node documents). */
  pool: string;
}

export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_REGION = 'topology.kubernetes.io/region';
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';

export function podIsTerminal(pod: SimPod): boolean {
  return pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
}

/** Active as upstream's controller.IsPodActive: not terminal and not being deleted. */
export function podIsActive(pod: SimPod): boolean {
  return !podIsTerminal(pod) && pod.metadata.deletionTimestamp === undefined;
}

/**
 * A time as the API stores it: metav1.Time marshals whole seconds (time_proto.go ProtoTime
 * leaves Nanos out; JSON is RFC 3339 without fractions), so ms are truncated to the second.
 */
export function apiTime(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/**
 * Sets the pod's Ready condition; a change stamps its lastTransitionTime (UpdatePodCondition
 * keeps the old time while the status is unchanged). Returns whether it changed.
 */
export function setPodReady(pod: SimPod, ready: boolean, now: number): boolean {
  if (pod.status.ready === ready && pod.status.readyTransitionTime !== undefined) return false;
  pod.status.ready = ready;
  pod.status.readyTransitionTime = apiTime(now);
  return true;
}
