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
 * - runtime-down: the container runtime is down; the kubelet keeps renewing its lease and
 *   posts Ready=False (its runtime status check has failed for 30 s), running containers keep
 *   running and serving, nothing new starts. It can coincide with one of the three above.
 * On recovery the kubelet reports again: pods deleted meanwhile are killed and removed, the
 * others continue, and their latest status is posted (kubelet.ts, the status manager).
 */
import type { Engine, Timer } from '../engine/engine.js';
import type { RngStreams } from '../engine/rng.js';
import type { WriteGate, WriteMode } from '../model/api.js';
import type { EventLog } from '../model/events.js';
import { parseDuration } from '../model/duration.js';
import type { ClusterStore, StoredObject } from '../model/store.js';
import type { Kubelets } from './kubelet.js';
import { leaseRenewedAt, type ModeSpan } from './lease-retry.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/**
 * On a Node that joins while its machine still boots (add-nodes `readyAfter`): how long after
 * the Node object appears its kubelet starts — creates its lease and posts its first status.
 */
export const ANNOTATION_READY_AFTER = 'ksim.dev/ready-after';

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

export type NodeFailureMode = 'crash' | 'kubelet-stop' | 'partition' | 'runtime-down';
export const NODE_FAILURE_MODES: readonly NodeFailureMode[] = [
  'crash',
  'kubelet-stop',
  'partition',
  'runtime-down',
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

/** The `ksim.dev/ready-after` delay in ms (0 when absent or malformed). */
function readyAfterMs(annotations: Record<string, string>): number {
  const raw = annotations[ANNOTATION_READY_AFTER];
  if (raw === undefined) return 0;
  try {
    return Math.max(0, parseDuration(raw));
  } catch {
    return 0;
  }
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
  /** A failure of the machine, the kubelet or the network (crash, kubelet-stop, partition). */
  failure?: NodeFailureToken;
  /** The container runtime is down (it can coincide with one of the failures above). */
  runtimeDown?: NodeFailureToken;
  /** From when the kubelet reports "container runtime is down" (Ready=False). */
  runtimeErrorFrom?: number;
  /** The kubelet's next node status sync that has something to post. */
  statusTimer?: Timer;
  /** The machine still boots: no kubelet, no lease in the store, no Ready condition yet. */
  booting?: Timer;
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
    const n = this.store.getNode(node);
    const bootMs = now > 0 && n?.status.neverPosted ? readyAfterMs(n.metadata.annotations) : 0;
    if (bootMs > 0) {
      st.retryFrom = undefined;
      this.kubelets.nodeDown(node, 'booting');
      st.booting = this.engine.schedule(bootMs, () => this.booted(node, st));
      return;
    }
    this.store.putObject(lease, 'created');
  }

  /** The booting machine's kubelet starts: it creates its lease and posts Ready. */
  private booted(node: string, st: NodeState): void {
    st.booting = undefined;
    this.kubelets.nodeUp(node, 'booting');
    // A node failed meanwhile starts when the failure ends (recover → resumeRenewing).
    if (st.failure) return;
    if (this.mode === 'accepting') {
      this.resumeRenewing(node, st);
      return;
    }
    // Its first lease write fails: it retries from now, and renews when writes return.
    const now = this.engine.now;
    st.lease.spec.phaseMs = now;
    st.lease.spec.stoppedRenewTime = now;
    st.retryFrom = now;
    this.store.putObject(st.lease, 'created');
  }

  private unregister(node: string): void {
    const st = this.nodes.get(node);
    if (!st) return;
    this.nodes.delete(node);
    if (st.booting) this.engine.cancel(st.booting);
    else this.store.deleteObject(st.lease);
  }

  /** The failure holding the node down, if any (a machine failure first, then runtime-down). */
  failure(node: string): NodeFailureToken | undefined {
    const st = this.nodes.get(node);
    return st?.failure ?? st?.runtimeDown;
  }

  /**
   * Whether a failure of `mode` can begin on the node now: it exists and no failure of the
   * same kind holds it (a runtime-down node can still crash or be partitioned, and back).
   */
  canFail(node: string, mode: NodeFailureMode): boolean {
    const st = this.nodes.get(node);
    if (!st) return false;
    return mode === 'runtime-down' ? st.runtimeDown === undefined : st.failure === undefined;
  }

  /**
   * Whether the node's pods can serve traffic: the node exists (not removed), its machine
   * runs and the network reaches it.
   */
  serving(node: string): boolean {
    const st = this.nodes.get(node);
    if (!st) return false;
    return st.failure === undefined || st.failure.mode === 'kubelet-stop';
  }

  /** Nodes currently held down by a failure, in the order they failed. */
  failedNodes(): string[] {
    const out: string[] = [];
    for (const [name, st] of this.nodes) if (st.failure || st.runtimeDown) out.push(name);
    return out;
  }

  /**
   * The node fails now. Returns the token to recover it with, or undefined if the node does
   * not exist or is already down (the earlier failure keeps holding it).
   */
  fail(node: string, mode: NodeFailureMode): NodeFailureToken | undefined {
    const st = this.nodes.get(node);
    if (!st || !this.canFail(node, mode)) return undefined;
    const now = this.engine.now;
    const token: NodeFailureToken = { node, mode, since: now };
    if (mode === 'runtime-down') {
      st.runtimeDown = token;
      this.kubelets.nodeDown(node, mode);
      this.runtimeWentDown(node, st, now);
    } else {
      st.failure = token;
      st.retryFrom = st.renewsAt = undefined;
      this.kubelets.nodeDown(node, mode);
      this.stopRenewing(st, now);
    }
    for (const l of this.listeners) l({ type: 'failed', node, mode });
    return token;
  }

  /**
   * The failure ends: the kubelet reports again and renews its lease from now on. A container
   * runtime that is back is noticed at the kubelet's next runtime status check.
   */
  recover(token: NodeFailureToken): void {
    const st = this.nodes.get(token.node);
    if (!st) return;
    if (token.mode === 'runtime-down') {
      if (st.runtimeDown !== token) return;
      const ph = this.kubelets.phases(token.node);
      const seen = nextOnGrid(
        ph.runtimeProbe,
        this.kubelets.config.runtimeProbePeriodMs,
        this.engine.now,
      );
      this.engine.scheduleAt(seen, () => {
        if (this.nodes.get(token.node) !== st || st.runtimeDown !== token) return;
        st.runtimeDown = undefined;
        st.runtimeErrorFrom = undefined;
        this.kubelets.nodeUp(token.node, token.mode);
        this.armNodeStatus(token.node, st, this.engine.now);
        for (const l of this.listeners)
          l({ type: 'recovered', node: token.node, mode: token.mode });
      });
      return;
    }
    if (st.failure !== token) return;
    st.failure = undefined;
    this.kubelets.nodeUp(token.node, token.mode);
    if (this.mode === 'accepting') this.resumeRenewing(token.node, st);
    else st.retryFrom = this.engine.now; // its first renewal fails: retrying from now
    for (const l of this.listeners) l({ type: 'recovered', node: token.node, mode: token.mode });
  }

  // ---- the kubelet's node status (Ready condition) -----------------------------------------

  /**
   * The runtime died at `now`: the last runtime status check that succeeded was the one
   * before (updateRuntimeUp, every 5 s on the kubelet's own grid); maxWaitForContainerRuntime
   * (30 s) after it, runtimeErrors() says "container runtime is down", and the kubelet's next
   * node status sync (every nodeStatusUpdateFrequency, 10 s) posts Ready=False.
   */
  private runtimeWentDown(node: string, st: NodeState, now: number): void {
    const cfg = this.kubelets.config;
    const ph = this.kubelets.phases(node);
    const lastOk = lastOnGrid(ph.runtimeProbe, cfg.runtimeProbePeriodMs, now - 1);
    st.runtimeErrorFrom = lastOk + cfg.runtimeDownThresholdMs;
    this.armNodeStatus(node, st, st.runtimeErrorFrom);
  }

  /** The Ready condition the node's kubelet would post now. */
  private kubeletReady(st: NodeState): 'True' | 'False' {
    return st.runtimeErrorFrom !== undefined && this.engine.now >= st.runtimeErrorFrom
      ? 'False'
      : 'True';
  }

  /** The kubelet's first node status sync at or after `from` (on its own grid). */
  private armNodeStatus(node: string, st: NodeState, from: number): void {
    if (st.statusTimer) this.engine.cancel(st.statusTimer);
    const ph = this.kubelets.phases(node);
    const freq = this.kubelets.config.nodeStatusUpdateFrequencyMs;
    const at = nextOnGrid(ph.nodeStatus, freq, Math.max(from, this.engine.now));
    st.statusTimer = this.engine.scheduleAt(at, () => {
      st.statusTimer = undefined;
      // A kubelet cut off posts nothing; it posts its view when it is back (resumeRenewing).
      if (st.failure || this.nodes.get(node) !== st) return;
      if (!this.postReady(node, st)) this.armNodeStatus(node, st, this.engine.now + 1);
    });
  }

  /**
   * The kubelet posts its Ready condition if the node shows another one (ReadyCondition
   * setter: events NodeReady / NodeNotReady on a change). False if the write was refused.
   */
  private postReady(node: string, st: NodeState): boolean {
    const n = this.store.getNode(node);
    const want = this.kubeletReady(st);
    if (!n || (n.status.ready === want && !n.status.neverPosted)) return true;
    if (!this.api.tryWrite('node-status', `kubelet/${node}`)) return false;
    // The first condition a kubelet posts is no transition: no event for it.
    const transition = !n.status.neverPosted;
    n.status.ready = want;
    n.status.neverPosted = undefined;
    this.store.updateNode(n, 'ready');
    const reason = want === 'True' ? 'NodeReady' : 'NodeNotReady';
    if (transition)
      this.events.record('Node', node, reason, `Node ${node} status is now: ${reason}`);
    return true;
  }

  private stopRenewing(st: NodeState, now: number): void {
    if (st.booting || st.lease.spec.stoppedRenewTime !== undefined) return;
    st.lease.spec.stoppedRenewTime = leaseRenewTime(st.lease, now);
    this.store.putObject(st.lease, 'stopped');
  }

  /**
   * The kubelet renews right away and posts its Ready condition (it was Unknown while it was
   * silent): True, or False while its container runtime is down.
   */
  private resumeRenewing(node: string, st: NodeState): void {
    if (st.booting) return;
    const now = this.engine.now;
    st.lease.spec.stoppedRenewTime = undefined;
    st.lease.spec.renewTimeBeforePhase = undefined;
    st.lease.spec.phaseMs = now;
    this.store.putObject(st.lease, 'renewed');
    this.postReady(node, st);
  }

  // ---- the apiserver stops / resumes accepting writes --------------------------------------

  private modeChanged(mode: WriteMode): void {
    const now = this.engine.now;
    const was = this.mode;
    this.mode = mode;
    if (was === 'accepting') {
      if (!this.retrying(now)) this.spans = [];
      this.spans.push({ from: now, mode });
      for (const st of this.nodes.values())
        if (!st.failure && !st.booting) this.writesStopped(st, now);
      return;
    }
    this.spans.push({ from: now, mode });
    if (mode !== 'accepting') return;
    for (const [name, st] of this.nodes)
      if (!st.failure && !st.booting && st.retryFrom !== undefined) this.writesResumed(name, st);
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
        if (st.renewsAt === at && spec.stoppedRenewTime === undefined) this.postReady(node, st);
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
