/**
 * A loaded, validated scenario: everything defaulted, every quantity and duration parsed.
 * Components receive these values; none of them re-reads YAML.
 */
import type { CycleCost } from '../scheduler/cycle-cost.js';
import type { Distribution } from '../engine/distributions.js';
import type { ArrivalSpec } from '../workloads/arrivals.js';
import type { SimNode } from '../model/objects.js';
import type { CompiledPodTemplate } from '../model/pod-template.js';
import type { Path } from './errors.js';
import type { PodCompileContext } from './pod-spec.js';
import type { SourceDoc } from './source.js';
import type { NodeShape } from './nodes.js';
import type { TraceReplaySpec } from './trace-spec.js';
import type { PluginFactory } from '../scheduler/framework/interfaces.js';

/** Where something was written, for errors found after loading. */
export interface Origin {
  src: SourceDoc;
  path: Path;
}

export interface ControlPlaneSpec {
  apiServers: number;
  etcd: {
    members: number;
    electionTimeoutMs: number;
    heartbeatIntervalMs: number;
    /** etcd --pre-vote. */
    preVote: boolean;
  };
  scheduler: { replicas: number; cycleCost: CycleCost };
  controllerManager: { replicas: number };
  leaderElection: { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number };
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  /** --default-not-ready-toleration-seconds (DefaultTolerationSeconds admission). */
  defaultNotReadyTolerationSeconds: number;
  /** --default-unreachable-toleration-seconds. */
  defaultUnreachableTolerationSeconds: number;
  evictionRate: {
    normal: number;
    secondary: number;
    unhealthyZoneThreshold: number;
    largeClusterSize: number;
  };
}

/** The kubelet settings ksim models (KubeletConfiguration fields), the same on every node. */
export interface KubeletSpec {
  /** nodeLeaseDurationSeconds (40): the lease is renewed every quarter of it. */
  nodeLeaseDurationSeconds: number;
  /** nodeStatusUpdateFrequency (10s): how often a kubelet computes and posts its node status. */
  nodeStatusUpdateFrequencyMs: number;
  /**
   * crashLoopBackOff.maxContainerRestartPeriod (feature KubeletCrashLoopBackOffMax): the
   * CrashLoopBackOff cap, 1 s to 300 s as kubelet validation allows; undefined = 300 s.
   */
  maxContainerRestartPeriodMs?: number;
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
  /** Trace replay (`workloads[].trace`): the jobs read at load time and the replay options. */
  trace?: TraceReplaySpec;
  origin: Origin;
}

/** A node pool as declared; `add-nodes` stamps more nodes from its template. */
export interface NodePool {
  name: string;
  zones: string[];
  /** Nodes created at time 0. */
  count: number;
  /** The template's shape (absent for pools from a trace's machine list). */
  shape?: NodeShape;
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
  /** metrics.throughputWindow: the window of the pre-failure scheduling rate (10m). */
  throughputWindowMs: number;
  controlPlane: ControlPlaneSpec;
  kubelet: KubeletSpec;
  nodes: SimNode[];
  /** Node pools as declared (for add-nodes / remove-nodes). */
  pools: NodePool[];
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
  /** Custom scheduler plugins from `spec.schedulerPlugins` modules, by plugin name. */
  schedulerPlugins?: ReadonlyMap<string, PluginFactory>;
  notices: Notice[];
  /** How pod templates were compiled (controllers compile rollout templates the same way). */
  podCompile: PodCompileContext;
  /** Distributions used for defaults (for reporting). */
  defaults: { startup: Distribution };
}
