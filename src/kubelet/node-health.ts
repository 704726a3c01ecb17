/**
 * Node leases and the kubelet's side of node failures.
 *
 * A healthy kubelet renews its Lease (kube-node-lease/<node>) every
 * nodeLeaseDurationSeconds × 0.25 = 10 s. A renewal that always succeeds is not an event:
 * the Lease object in the store carries its renewal grid (phase + interval), and its renew
 * time at any instant is computed on demand (`leaseRenewTime`). Only when the kubelet stops
 * renewing (node crash, kubelet stop, network partition, or the apiserver not accepting
 * writes) is the Lease written, with the last renewal before the stop, so node lifecycle can
 * work out when the lease went stale. Initial nodes draw their grid phase from
 * `node-lease/<node>`; a node that joins or comes back renews from that instant.
 *
 * Nothing polls the apiserver: NodeHealth follows the gate's write mode (onModeChange). When
 * writes stop, every lease stops at its last renewal and each kubelet is retrying from its
 * next renewal on; the mode history is kept, and when writes return each kubelet's retry
 * loop is replayed against it (lease-retry.ts) to find the instant it renews again — set on
 * the lease lazily (`renewTimeBeforePhase` until then). An outage costs no event per kubelet.
 *
 * Failure modes (what the rest of the cluster sees):
 * - crash: the machine is gone; its containers die with it, the API still shows the pods
 *   Running until node lifecycle marks them; on recovery (reboot) the kubelet restarts them.
 * - kubelet-stop: containers keep running and serving, but nothing is reported.
 * - partition: the node is unreachable; its pods keep running but nobody can reach them.
 * On recovery the kubelet reports again: pods deleted meanwhile are killed and removed, the
 * others continue (their Ready status is posted again).
 */
import type { Engine } from '../engine/engine.js';
import type { RngStreams } from '../engine/rng.js';
import type { WriteGate, WriteMode } from '../model/api.js';
import type { EventLog } from '../model/events.js';
import type { ClusterStore, StoredObject } from '../model/store.js';
import type { Kubelets } from './kubelet.js';
import { leaseRenewedAt, type ModeSpan } from './lease-retry.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLeaseConfig {
  /** Kubelet nodeLeaseDurationSeconds (40). */
  leaseDurationSeconds: number;
  /** Renew interval as a fraction of the lease duration (upstream constant 0.25). */
  renewIntervalFraction: number;
}

export const DEFAULT_NODE_LEASE_CONFIG: NodeLeaseConfig = {
  leaseDurationSeconds: 40,
  renewIntervalFraction: 0.25,
};

export type NodeFailureMode = 'crash' | 'kubelet-stop' | 'partition';
export const NODE_FAILURE_MODES: readonly NodeFailureMode[] = [
  'crash',
  'kubelet-stop',
  'partition',
];

export interface SimLease extends StoredObject {
  kind: 'Lease';
  metadata: { name: string; namespace: string };
  spec: {
    holderIdentity: string;
    leaseDurationSeconds: number;
    /** While renewing, the kubelet renews at phaseMs + k × renewIntervalMs (k any integer). */
    phaseMs: number;
    renewIntervalMs: number;
    /** The last renewal before the kubelet stopped renewing; undefined while it renews. */
    stoppedRenewTime?: number;
    /**
     * Renewing again from phaseMs on after a stop (the kubelet's retry succeeds then): the
     * renew time before phaseMs. Undefined for a lease that has renewed on its grid all along.
     */
    renewTimeBeforePhase?: number;
  };
}

export function leaseKey(node: string): string {
  return `${NODE_LEASE_NAMESPACE}/${node}`;
}

/** The lease's spec.renewTime as the apiserver would show it at `now`. */
export function leaseRenewTime(lease: SimLease, now: number): number {
  const { stoppedRenewTime, renewTimeBeforePhase, phaseMs } = lease.spec;
  if (stoppedRenewTime !== undefined) return stoppedRenewTime;
  if (renewTimeBeforePhase !== undefined && now < phaseMs) return renewTimeBeforePhase;
  return lastOnGrid(phaseMs, lease.spec.renewIntervalMs, now);
}

/** The latest instant phase + k × interval that is ≤ t. */
export function lastOnGrid(phase: number, interval: number, t: number): number {
  return phase + Math.floor((t - phase) / interval) * interval;
}

/** The earliest instant phase + k × interval that is ≥ t. */
export function nextOnGrid(phase: number, interval: number, t: number): number {
  return phase + Math.ceil((t - phase) / interval) * interval;
}

/** A failure holding a node down; recover() only with the token fail() returned. */
export interface NodeFailureToken {
  node: string;
  mode: NodeFailureMode;
  since: number;
}

export type NodeHealthListener = (e: {
  type: 'failed' | 'recovered';
  node: string;
  mode: NodeFailureMode;
}) => void;

interface NodeState {
  lease: SimLease;
  failure?: NodeFailureToken;
  /** Writes stopped: the renewal due here was the first to fail; the kubelet retries since. */
  retryFrom?: number;
  /** Writes returned: when that retry loop renews the lease (may lie in the future). */
  renewsAt?: number;
}

export class NodeHealth {
  private readonly nodes = new Map<string, NodeState>();
  private readonly listeners: NodeHealthListener[] = [];
  readonly renewIntervalMs: number;
  /** The apiserver's write mode now, and its history since the oldest retry still running. */
  private mode: WriteMode;
  private spans: ModeSpan[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly rng: RngStreams,
    private readonly store: ClusterStore,
    private readonly api: WriteGate,
    private readonly events: EventLog,
    private readonly kubelets: Kubelets,
    readonly config: NodeLeaseConfig = DEFAULT_NODE_LEASE_CONFIG,
  ) {
    this.renewIntervalMs = Math.round(
      config.leaseDurationSeconds * 1000 * config.renewIntervalFraction,
    );
    store.onNode((e) => {
      if (e.type === 'add') this.register(e.node.metadata.name);
      else if (e.type === 'delete') this.unregister(e.node.metadata.name);
    });
    this.mode = api.mode;
    api.onModeChange((mode) => this.modeChanged(mode));
  }

  onChange(listener: NodeHealthListener): void {
    this.listeners.push(listener);
  }

  private register(node: string): void {
    const now = this.engine.now;
    const interval = this.renewIntervalMs;
    // Nodes present at the start have been renewing for a while, each on its own phase; a
    // node that joins later creates its lease when it registers.
    const phaseMs =
      now === 0 ? Math.floor(this.rng.stream(`node-lease/${node}`).next() * interval) : now;
    const lease: SimLease = {
      kind: 'Lease',
      metadata: { name: node, namespace: NODE_LEASE_NAMESPACE },
      spec: {
        holderIdentity: node,
        leaseDurationSeconds: this.config.leaseDurationSeconds,
        phaseMs,
        renewIntervalMs: interval,
      },
    };
    const st: NodeState = { lease };
    if (this.mode !== 'accepting') {
      // Registered while writes fail: its lease is not renewed until its retries get through.
      lease.spec.stoppedRenewTime = now;
      st.retryFrom = now;
    }
    this.nodes.set(node, st);
    this.store.putObject(lease, 'created');
  }

  private unregister(node: string): void {
    const st = this.nodes.get(node);
    if (!st) return;
    this.nodes.delete(node);
    this.store.deleteObject(st.lease);
  }

  /** The failure holding the node down, if any. */
  failure(node: string): NodeFailureToken | undefined {
    return this.nodes.get(node)?.failure;
  }

  /** Whether the node's pods can serve traffic: its machine runs and the network reaches it. */
  serving(node: string): boolean {
    const f = this.nodes.get(node)?.failure;
    return f === undefined || f.mode === 'kubelet-stop';
  }

  /** Nodes currently held down by a failure, in the order they failed. */
  failedNodes(): string[] {
    const out: string[] = [];
    for (const [name, st] of this.nodes) if (st.failure) out.push(name);
    return out;
  }

  /**
   * The node fails now. Returns the token to recover it with, or undefined if the node does
   * not exist or is already down (the earlier failure keeps holding it).
   */
  fail(node: string, mode: NodeFailureMode): NodeFailureToken | undefined {
    const st = this.nodes.get(node);
    if (!st || st.failure) return undefined;
    const now = this.engine.now;
    const token: NodeFailureToken = { node, mode, since: now };
    st.failure = token;
    st.retryFrom = st.renewsAt = undefined;
    if (mode === 'crash') this.kubelets.killContainersOnNode(node);
    else this.kubelets.setNodeDown(node, true);
    this.stopRenewing(st, now);
    for (const l of this.listeners) l({ type: 'failed', node, mode });
    return token;
  }

  /** The failure ends: the kubelet reports again and renews its lease from now on. */
  recover(token: NodeFailureToken): void {
    const st = this.nodes.get(token.node);
    if (!st || st.failure !== token) return;
    st.failure = undefined;
    this.kubelets.resumeNode(token.node, token.mode === 'crash');
    if (this.mode === 'accepting') this.resumeRenewing(token.node, st);
    else st.retryFrom = this.engine.now; // its first renewal fails: retrying from now
    for (const l of this.listeners) l({ type: 'recovered', node: token.node, mode: token.mode });
  }

  private stopRenewing(st: NodeState, now: number): void {
    if (st.lease.spec.stoppedRenewTime !== undefined) return;
    st.lease.spec.stoppedRenewTime = leaseRenewTime(st.lease, now);
    this.store.putObject(st.lease, 'stopped');
  }

  /** The kubelet renews right away and posts Ready (it was Unknown while it was silent). */
  private resumeRenewing(node: string, st: NodeState): void {
    const now = this.engine.now;
    st.lease.spec.stoppedRenewTime = undefined;
    st.lease.spec.renewTimeBeforePhase = undefined;
    st.lease.spec.phaseMs = now;
    this.store.putObject(st.lease, 'renewed');
    this.postReady(node);
  }

  private postReady(node: string): void {
    const n = this.store.getNode(node);
    if (n && n.status.ready !== 'True' && this.api.tryWrite('node-status', `kubelet/${node}`)) {
      n.status.ready = 'True';
      this.store.updateNode(n, 'ready');
      this.events.record('Node', node, 'NodeReady', `Node ${node} status is now: NodeReady`);
    }
  }

  // ---- the apiserver stops / resumes accepting writes --------------------------------------

  private modeChanged(mode: WriteMode): void {
    const now = this.engine.now;
    const was = this.mode;
    this.mode = mode;
    if (was === 'accepting') {
      if (!this.retrying(now)) this.spans = [];
      this.spans.push({ from: now, mode });
      for (const st of this.nodes.values()) if (!st.failure) this.writesStopped(st, now);
      return;
    }
    this.spans.push({ from: now, mode });
    if (mode !== 'accepting') return;
    for (const [name, st] of this.nodes)
      if (!st.failure && st.retryFrom !== undefined) this.writesResumed(name, st);
  }

  /** Some kubelet has not renewed since an earlier outage (its replay needs the history). */
  private retrying(now: number): boolean {
    for (const st of this.nodes.values())
      if (st.retryFrom !== undefined && !(st.renewsAt !== undefined && st.renewsAt <= now))
        return true;
    return false;
  }

  /** The lease stops at its last renewal; the kubelet retries from its next one. */
  private writesStopped(st: NodeState, now: number): void {
    const stillRetrying =
      st.retryFrom !== undefined && (st.renewsAt === undefined || st.renewsAt > now);
    if (!stillRetrying) {
      st.retryFrom = leaseRenewTime(st.lease, now) + this.renewIntervalMs;
      st.renewsAt = undefined;
    }
    this.stopRenewing(st, now);
  }

  /** Replays the kubelet's retries: the lease renews from that instant on. */
  private writesResumed(node: string, st: NodeState): void {
    const at = leaseRenewedAt(st.retryFrom!, this.spans, this.api.requestTimeoutMs);
    if (at === Infinity) return;
    st.renewsAt = at;
    const spec = st.lease.spec;
    spec.renewTimeBeforePhase = spec.stoppedRenewTime;
    spec.stoppedRenewTime = undefined;
    spec.phaseMs = at;
    this.store.putObject(st.lease, 'renewed');
    const n = this.store.getNode(node);
    if (n && n.status.ready !== 'True')
      this.engine.scheduleAt(at, () => {
        if (st.renewsAt === at && spec.stoppedRenewTime === undefined) this.postReady(node);
      });
  }
}

const registry = new WeakMap<object, NodeHealth>();

/** The one NodeHealth of a run, keyed by its Kubelets (created by the first component asking). */
export function nodeHealthFor(kubelets: Kubelets, create: () => NodeHealth): NodeHealth {
  let h = registry.get(kubelets);
  if (!h) registry.set(kubelets, (h = create()));
  return h;
}
