/**
 * A loaded, validated scenario: everything defaulted, every quantity and duration parsed.
 * Components receive these values; none of them re-reads YAML.
 */
import type { Distribution } from '../engine/distributions.js';
import type { ArrivalSpec } from '../workloads/arrivals.js';
import type { SimNode } from '../model/objects.js';
import type { CompiledPodTemplate } from '../model/pod-template.js';
import type { Path } from './errors.js';
import type { PodCompileContext } from './pod-spec.js';
import type { SourceDoc } from './source.js';

/** Where something was written, for errors found after loading. */
export interface Origin {
  src: SourceDoc;
  path: Path;
}

export interface ControlPlaneSpec {
  apiServers: number;
  etcd: { members: number; electionTimeoutMs: number; heartbeatIntervalMs: number };
  scheduler: { replicas: number; cycleCost: { baseMicros: number; perNodeMicros: number } };
  controllerManager: { replicas: number };
  leaderElection: { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number };
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  defaultTolerationSeconds: number;
  evictionRate: {
    normal: number;
    secondary: number;
    unhealthyZoneThreshold: number;
    largeClusterSize: number;
  };
}

export interface WorkloadSpec {
  name: string;
  namespace: string;
  arrivals?: ArrivalSpec;
  /** Raw template manifest (Pod, or a workload kind handled by controllers). */
  templateKind: string;
  template: Record<string, unknown>;
  /** Compiled pod template (for Pod templates). */
  pod?: CompiledPodTemplate;
  trace?: Record<string, unknown>;
  origin: Origin;
}

export interface KubeObject {
  kind: string;
  apiVersion: string;
  manifest: Record<string, unknown>;
  origin: Origin;
  /** For workload kinds: the validated, compiled pod template. */
  podTemplate?: CompiledPodTemplate;
}

export interface TimelineEntry {
  atMs: number;
  action: string;
  raw: Record<string, unknown>;
  /** What the action's validator made of `raw` (typed fields for its executor). */
  parsed: Record<string, unknown>;
  origin: Origin;
}

export interface FaultSpec {
  kind: string;
  raw: Record<string, unknown>;
  parsed: Record<string, unknown>;
  origin: Origin;
}

export interface Notice {
  file: string;
  line: number;
  message: string;
}

export interface InitialPod {
  name: string;
  namespace: string;
  nodeName?: string;
  template: CompiledPodTemplate;
  ownerReferences?: Array<{
    kind: string;
    name: string;
    apiVersion?: string;
    uid?: string;
    controller?: boolean;
  }>;
}

export interface Scenario {
  name: string;
  file: string;
  /** Directory of the scenario file: relative paths inside it resolve against this. */
  dir: string;
  seed: number;
  durationMs: number;
  sampleIntervalMs: number;
  controlPlane: ControlPlaneSpec;
  nodes: SimNode[];
  pods: InitialPod[];
  workloads: WorkloadSpec[];
  /** Kubernetes objects for controllers and the scheduler (Deployments, Services, …). */
  objects: KubeObject[];
  priorityClasses: Map<string, number>;
  globalDefaultPriority: number;
  timeline: TimelineEntry[];
  faults: FaultSpec[];
  /** Raw KubeSchedulerConfiguration, if the scenario has one. */
  schedulerConfig?: KubeObject;
  notices: Notice[];
  /** How pod templates were compiled (controllers compile rollout templates the same way). */
  podCompile: PodCompileContext;
  /** Distributions used for defaults (for reporting). */
  defaults: { startup: Distribution };
}
