/**
 * The node lifecycle controller (kube-controller-manager,
 * pkg/controller/nodelifecycle/node_lifecycle_controller.go), event-driven.
 *
 * Upstream polls every node every nodeMonitorPeriod (5 s). Here a monitor pass runs only on
 * the 5 s grid instants where something can change: the first tick after a lease stops or
 * resumes or a node's Ready condition changes, and the tick at which a stale lease exceeds
 * nodeMonitorGracePeriod. What each pass does is upstream's monitorNodeHealth:
 *
 * - probeTimestamp is the tick that observed the latest lease renewal; a node whose probe is
 *   nodeMonitorGracePeriod old gets Ready = Unknown (NodeNotReady event), its pods are marked
 *   not Ready, it gets the NoSchedule `unreachable` taint (taint-by-condition) and is queued
 *   for the NoExecute taint. Upstream's `now.After(probe + grace)` is taken as ≥: real
 *   monitor loops drift a little later each period (wait.Until is sliding), so the tick
 *   exactly grace after the probe already sees it expired.
 * - a Ready node loses both taints and leaves the taint queue (markNodeAsReachable);
 * - zone states (Normal / PartialDisruption / FullDisruption) set each zone's tainting rate,
 *   and "master disruption mode" (every zone fully disrupted) removes the taints and stops
 *   tainting; leaving it resets every probe timestamp (handleDisruption).
 *
 * NoExecute taints are applied by the tainting loop (doNoExecuteTaintingPass, every 100 ms)
 * through each zone's rate-limited queue; the taint-eviction controller evicts from there.
 * It all runs only while this controller-manager holds the leader lease; a new leader starts
 * from nothing and observes every node anew (probe timestamps = its first pass).
 */
import type { Taint } from 'kubernetes-types/core/v1.js';
import type { ComponentFactory, SimContext } from '../components/context.js';
import type { Timer } from '../engine/engine.js';
import {
  DEFAULT_NODE_LEASE_CONFIG,
  leaseKey,
  leaseRenewTime,
  NodeHealth,
  nextOnGrid,
  nodeHealthFor,
  type SimLease,
} from '../kubelet/node-health.js';
import { LABEL_REGION, LABEL_ZONE, setPodReady, type SimNode } from '../model/objects.js';
import { RateLimitedTimedQueue } from './rate-limited-queue.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** scheduler.NodeEvictionPeriod: how often the NoExecute tainting loop runs. */
export const NODE_EVICTION_PERIOD_MS = 100;
const ACTOR = 'node-lifecycle-controller';

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

export interface NodeLifecycleConfig {
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  /** --node-startup-grace-period: the grace of a node that never posted a Ready condition. */
  nodeStartupGracePeriodMs: number;
  /** --node-eviction-rate (per zone, nodes/s). */
  evictionLimiterQPS: number;
  /** --secondary-node-eviction-rate. */
  secondaryEvictionLimiterQPS: number;
  unhealthyZoneThreshold: number;
  largeClusterThreshold: number;
}

interface HealthData {
  probeTimestamp: number;
  /** The latest lease renew time seen. */
  leaseRenewSeen: number;
}

interface Zone {
  state: ZoneState;
  tainter: RateLimitedTimedQueue;
  timer?: Timer;
  timerAt?: number;
}

/** The one NodeHealth of the run (kubelet side: leases, node failures). */
export function nodeHealth(ctx: SimContext): NodeHealth {
  return nodeHealthFor(
    ctx.kubelets,
    () =>
      new NodeHealth(ctx.engine, ctx.rng, ctx.store, ctx.api, ctx.events, ctx.kubelets, {
        ...DEFAULT_NODE_LEASE_CONFIG,
        leaseDurationSeconds: ctx.scenario.kubelet.nodeLeaseDurationSeconds,
      }),
  );
}

/** ComputeZoneState: [not-Ready count, state] for a zone's Ready conditions. */
export function computeZoneState(
  ready: number,
  notReady: number,
  unhealthyZoneThreshold: number,
): ZoneState {
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold)
    return 'PartialDisruption';
  return 'Normal';
}

/** nodetopology.GetZoneKey: region and zone labels ('' for a node with neither). */
export function zoneKey(node: SimNode): string {
  const zone = node.metadata.labels[LABEL_ZONE] ?? '';
  const region = node.metadata.labels[LABEL_REGION] ?? '';
  if (zone === '' && region === '') return '';
  return `${region}:\u0000:${zone}`;
}

export function configFromScenario(ctx: SimContext): NodeLifecycleConfig {
  const cp = ctx.scenario.controlPlane;
  return {
    nodeMonitorPeriodMs: cp.nodeMonitorPeriodMs,
    nodeMonitorGracePeriodMs: cp.nodeMonitorGracePeriodMs,
    nodeStartupGracePeriodMs: cp.nodeStartupGracePeriodMs,
    evictionLimiterQPS: cp.evictionRate.normal,
    secondaryEvictionLimiterQPS: cp.evictionRate.secondary,
    unhealthyZoneThreshold: cp.evictionRate.unhealthyZoneThreshold,
    largeClusterThreshold: cp.evictionRate.largeClusterSize,
  };
}

export class NodeLifecycleController {
  private active = false;
  /** Phase of this leader's monitor loop (ms in [0, period)). */
  private phase = 0;
  private readonly health = new Map<string, HealthData>();
  /** Nodes to look at, by the tick at which to look. */
  private readonly due = new Map<string, number>();
  private passTimer?: Timer;
  private passAt = Infinity;
  private readonly zones = new Map<string, Zone>();
  private masterDisruption = false;
  private readonly phaseRng;
  /** nodesToRetry: nodes whose pods could not all be marked not Ready. */
  private readonly podsToRetry = new Set<string>();
  /** Nodes whose NoSchedule condition taints are to be brought up to date (nodeUpdateQueue). */
  private readonly noScheduleQueue = new Set<string>();
  /** Nodes whose NoSchedule swap was refused: retried at the next monitor pass. */
  private readonly noScheduleRetry = new Set<string>();
  private noScheduleTimer?: Timer;

  constructor(
    private readonly ctx: SimContext,
    readonly config: NodeLifecycleConfig,
  ) {
    this.phaseRng = ctx.rng.stream('node-lifecycle');
    const { store } = ctx;
    store.onObject('Lease', (e) => {
      if (e.type === 'update') this.markDue(e.obj.metadata.name);
    });
    store.onNode((e) => {
      const name = e.node.metadata.name;
      if (e.type === 'add') {
        this.markDue(name);
        this.queueNoScheduleTainting(name);
      } else if (e.type === 'delete') this.forget(name);
      else if (e.change === 'ready') {
        // doNodeProcessingPassWorker: every node update, its own writes included, gets the
        // NoSchedule condition taints right away; monitor passes only for others' writes.
        this.queueNoScheduleTainting(name);
        if (!this.writing) this.markDue(name);
      }
    });
    ctx.leaders.controllerManager.onChange((active) => this.setActive(active));
    if (ctx.leaders.controllerManager.active) this.setActive(true);
  }

  /** Set while this controller writes a node, so its own writes do not wake it. */
  private writing = false;

  // ---- leadership ----------------------------------------------------------------------

  private setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    this.health.clear();
    this.due.clear();
    for (const z of this.zones.values()) {
      if (z.timer) this.ctx.engine.cancel(z.timer);
      z.tainter.clear();
    }
    this.zones.clear();
    this.masterDisruption = false;
    this.podsToRetry.clear();
    this.noScheduleQueue.clear();
    this.noScheduleRetry.clear();
    if (this.noScheduleTimer) this.ctx.engine.cancel(this.noScheduleTimer);
    this.noScheduleTimer = undefined;
    if (this.passTimer) this.ctx.engine.cancel(this.passTimer);
    this.passTimer = undefined;
    this.passAt = Infinity;
    if (!active) return;
    // A new process: its own loop phase, no memory of probes, every node observed anew (its
    // informer lists every node: each gets a NoSchedule tainting pass too).
    this.phase = Math.floor(this.phaseRng.next() * this.config.nodeMonitorPeriodMs);
    for (const info of this.ctx.store.nodes()) {
      this.markDue(info.node.metadata.name);
      this.queueNoScheduleTainting(info.node.metadata.name);
    }
  }

  // ---- the monitor loop ----------------------------------------------------------------

  /** The first monitor tick at or after t. */
  nextTick(t: number): number {
    return nextOnGrid(this.phase, this.config.nodeMonitorPeriodMs, t);
  }

  private markDue(node: string, at = this.ctx.engine.now): void {
    if (!this.active) return;
    const tick = this.nextTick(at);
    const cur = this.due.get(node);
    if (cur !== undefined && cur <= tick) return;
    this.due.set(node, tick);
    this.armPass(tick);
  }

  private armPass(tick: number): void {
    if (tick >= this.passAt) return;
    if (this.passTimer) this.ctx.engine.cancel(this.passTimer);
    this.passAt = tick;
    this.passTimer = this.ctx.engine.scheduleAt(tick, () => this.pass());
  }

  private forget(node: string): void {
    this.health.delete(node);
    this.due.delete(node);
    for (const z of this.zones.values()) z.tainter.remove(node);
    if (this.active) this.markDue(node); // zone sizes changed: re-run handleDisruption
  }

  private pass(): void {
    const now = this.ctx.engine.now;
    this.passTimer = undefined;
    this.passAt = Infinity;
    const batch: string[] = [];
    for (const [node, at] of this.due) if (at <= now) batch.push(node);
    for (const node of batch) {
      this.due.delete(node);
      this.monitorNode(node, now);
    }
    const retry = [...this.noScheduleRetry];
    this.noScheduleRetry.clear();
    for (const node of retry) this.noScheduleTaintingPass(node);
    this.handleDisruption(now);
    let next = Infinity;
    for (const at of this.due.values()) next = Math.min(next, at);
    if (next < Infinity) this.armPass(next);
  }

  /**
   * One node of monitorNodeHealth: tryUpdateNodeHealth (Ready = Unknown once the lease is
   * nodeMonitorGracePeriod old), processTaintBaseEviction with the condition observed at the
   * start of the pass, and — on a transition from True observed here — the NodeNotReady event
   * and MarkPodsNotReady (retried on later passes while it fails: nodesToRetry).
   *
   * processTaintBaseEviction reads the *observed* condition, as upstream: in the pass that
   * writes Unknown it still sees True, so the node joins the taint queue at the next pass, one
   * nodeMonitorPeriod later. A Ready=False the kubelet posted is observed as such at once.
   */
  private monitorNode(name: string, now: number): void {
    const node = this.ctx.store.getNode(name);
    if (!node) return;
    const lease = this.ctx.store.getObject<SimLease>('Lease', leaseKey(name));
    const neverPosted = node.status.neverPosted === true;
    let h = this.health.get(name);
    if (!h) {
      // A node that never posted status is timed from its creation, others from now.
      h = {
        probeTimestamp: neverPosted ? node.metadata.creationTimestamp : now,
        leaseRenewSeen: -Infinity,
      };
      this.health.set(name, h);
    }
    if (lease) {
      const renew = leaseRenewTime(lease, now);
      if (renew > h.leaseRenewSeen) {
        // Seen by the first tick at or after the renewal (never before this leader's start).
        h.probeTimestamp = Math.max(h.probeTimestamp, this.nextTick(renew));
        h.leaseRenewSeen = renew;
      }
    }
    const renewing = lease !== undefined && lease.spec.stoppedRenewTime === undefined;
    if (neverPosted) {
      this.monitorNeverPosted(node, h.probeTimestamp, renewing, now);
      return;
    }
    const expiresAt = h.probeTimestamp + this.config.nodeMonitorGracePeriodMs;
    const observed = node.status.ready;
    let current = observed;
    if (!renewing && observed !== 'Unknown') {
      if (now < expiresAt) {
        this.markDue(name, expiresAt);
      } else {
        if (!this.ctx.api.tryWrite('node-status', ACTOR)) {
          // "Update health of Node from Controller error, Skipping": tried again next pass.
          this.markDue(name, now + 1);
          return;
        }
        this.write(node, 'ready', () => (node.status.ready = 'Unknown'));
        current = 'Unknown';
        // The next pass observes the Unknown written here.
        this.markDue(name, now + 1);
      }
    }
    this.processTaintBaseEviction(node, observed, now);
    const transition = current !== 'True' && observed === 'True';
    if (transition) {
      this.ctx.events.record(
        'Node',
        name,
        'NodeNotReady',
        `Node ${name} status is now: NodeNotReady`,
      );
    }
    if (transition || (this.podsToRetry.has(name) && observed !== 'True')) {
      if (this.markPodsNotReady(name)) this.podsToRetry.delete(name);
      else {
        this.podsToRetry.add(name);
        this.markDue(name, now + 1);
      }
    } else {
      this.podsToRetry.delete(name);
    }
  }

  /**
   * A node without a Ready condition (its kubelet never posted one) gets
   * nodeStartupGracePeriod instead of the monitor grace; renewing its lease keeps it alive
   * ("the node controller will assume the node is healthy"). Past the grace it is written
   * Unknown (NodeStatusNeverUpdated) — no NodeNotReady event and no pods marked, as the
   * condition observed was none — and taint processing starts from that Unknown.
   */
  private monitorNeverPosted(node: SimNode, probe: number, renewing: boolean, now: number): void {
    const name = node.metadata.name;
    if (renewing) return;
    const expiresAt = probe + this.config.nodeStartupGracePeriodMs;
    if (now < expiresAt) {
      this.markDue(name, expiresAt);
      return;
    }
    if (!this.ctx.api.tryWrite('node-status', ACTOR)) {
      this.markDue(name, now + 1);
      return;
    }
    this.write(node, 'ready', () => {
      node.status.ready = 'Unknown';
      node.status.neverPosted = undefined;
    });
    this.processTaintBaseEviction(node, 'Unknown', now);
  }

  /** processTaintBaseEviction, from the Ready condition observed at the start of the pass. */
  private processTaintBaseEviction(
    node: SimNode,
    observed: SimNode['status']['ready'],
    now: number,
  ): void {
    if (observed === 'True') {
      this.markNodeAsReachable(node);
      return;
    }
    const [want, opposite] =
      observed === 'False'
        ? [TAINT_NOT_READY, TAINT_UNREACHABLE]
        : [TAINT_UNREACHABLE, TAINT_NOT_READY];
    if (hasTaint(node, opposite, 'NoExecute')) {
      // Swapped straight away, outside the rate limit, as upstream does ("will try again in
      // the next cycle" when refused).
      if (!this.swapNoExecuteTaint(node, want, opposite)) this.markDue(node.metadata.name, now + 1);
      return;
    }
    const zone = this.zone(zoneKey(node), now);
    if (zone.tainter.add(node.metadata.name)) this.armTainting(zone, now);
  }

  /**
   * MarkPodsNotReady (pkg/controller/util/node/controller_utils.go): every pod of the node
   * whose Ready condition turns False gets a Warning `NodeNotReady` "Node is not ready"; the
   * Services' endpoints drop them. False if the apiserver refused the writes.
   */
  private markPodsNotReady(node: string): boolean {
    const pods = (this.ctx.store.getNodeInfo(node)?.pods ?? []).filter(
      (p) => p.spec.nodeName === node && p.status.ready,
    );
    if (pods.length === 0) return true;
    if (!this.ctx.api.tryWrite('pod-status', ACTOR)) return false;
    for (const pod of pods) {
      setPodReady(pod, false, this.ctx.engine.now);
      this.ctx.store.updatePod(pod, 'ready');
      this.ctx.events.record('Pod', pod.key, 'NodeNotReady', 'Node is not ready');
    }
    return true;
  }

  /** markNodeAsReachable: both NoExecute taints go, and the node leaves the taint queue. */
  private markNodeAsReachable(node: SimNode): void {
    if (this.removeTaints(node, 'NoExecute'))
      this.zones.get(zoneKey(node))?.tainter.remove(node.metadata.name);
  }

  /** Removes the not-ready/unreachable NoExecute taints; false if the write was refused. */
  private removeTaints(node: SimNode, effect: 'NoExecute'): boolean {
    const ours = (t: Taint): boolean =>
      t.effect === effect && (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY);
    if (!node.spec.taints.some(ours)) return true;
    if (!this.ctx.api.tryWrite('node-status', ACTOR)) {
      this.markDue(node.metadata.name, this.ctx.engine.now + 1);
      return false;
    }
    this.write(node, 'taints', () => {
      node.spec.taints = node.spec.taints.filter((t) => !ours(t));
    });
    return true;
  }

  // ---- NoSchedule condition taints (doNoScheduleTaintingPass) ------------------------------

  /** The node's update is handled at this instant, after the write that caused it. */
  private queueNoScheduleTainting(node: string): void {
    if (!this.active) return;
    this.noScheduleQueue.add(node);
    this.noScheduleTimer ??= this.ctx.engine.schedule(0, () => {
      this.noScheduleTimer = undefined;
      const nodes = [...this.noScheduleQueue];
      this.noScheduleQueue.clear();
      for (const name of nodes) this.noScheduleTaintingPass(name);
    });
  }

  /**
   * doNoScheduleTaintingPass: the node's Ready condition mapped to its NoSchedule taint
   * (False → not-ready, Unknown → unreachable, True → neither), swapped in one write. Upstream
   * does not requeue a failed swap (the node's next update retries it); here a refused one is
   * retried at the next monitor pass, which stands for that next update.
   */
  private noScheduleTaintingPass(name: string): void {
    const node = this.ctx.store.getNode(name);
    if (!node) return;
    const ready = node.status.neverPosted ? undefined : node.status.ready;
    const want = ready === 'False' ? TAINT_NOT_READY : ready === 'Unknown' ? TAINT_UNREACHABLE : '';
    const ours = (t: Taint): boolean =>
      t.effect === 'NoSchedule' && (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY);
    const have = node.spec.taints.filter(ours).map((t) => t.key);
    if (have.length === (want ? 1 : 0) && (!want || have[0] === want)) return;
    if (!this.ctx.api.tryWrite('node-status', ACTOR)) {
      this.noScheduleRetry.add(name);
      this.markDue(name, this.ctx.engine.now + 1);
      return;
    }
    this.write(node, 'taints', () => {
      node.spec.taints = [
        ...node.spec.taints.filter((t) => !ours(t)),
        ...(want ? [{ key: want, effect: 'NoSchedule' }] : []),
      ];
    });
  }

  /** SwapNodeControllerTaint for the NoExecute taints. */
  private swapNoExecuteTaint(node: SimNode, add: string, remove: string): boolean {
    if (!this.ctx.api.tryWrite('node-status', ACTOR)) return false;
    if (hasTaint(node, add, 'NoExecute') && !hasTaint(node, remove, 'NoExecute')) return true;
    this.write(node, 'taints', () => {
      node.spec.taints = [
        ...node.spec.taints.filter(
          (t) => !(t.effect === 'NoExecute' && (t.key === add || t.key === remove)),
        ),
        { key: add, effect: 'NoExecute' },
      ];
    });
    return true;
  }

  private write(node: SimNode, change: string, mutate: () => void): void {
    mutate();
    this.writing = true;
    try {
      this.ctx.store.updateNode(node, change);
    } finally {
      this.writing = false;
    }
  }

  // ---- zones and the NoExecute tainting loop ------------------------------------------

  private zone(key: string, _now: number): Zone {
    let z = this.zones.get(key);
    if (!z) {
      z = { state: 'Initial', tainter: new RateLimitedTimedQueue(this.config.evictionLimiterQPS) };
      this.zones.set(key, z);
    }
    return z;
  }

  /** Zone states as of now (for reports and tests). */
  zoneStates(): Map<string, ZoneState> {
    return new Map([...this.zones].map(([k, z]) => [k, z.state]));
  }

  /** The next tainting-loop run at which the zone's queue can make progress. */
  private armTainting(zone: Zone, now: number): void {
    if (zone.tainter.length === 0) return;
    const tokenAt = zone.tainter.limiter.nextTokenAt();
    if (tokenAt === Infinity) return;
    const at = nextOnGrid(0, NODE_EVICTION_PERIOD_MS, Math.max(now, Math.ceil(tokenAt)));
    if (zone.timer && zone.timerAt !== undefined && zone.timerAt <= at) return;
    if (zone.timer) this.ctx.engine.cancel(zone.timer);
    zone.timerAt = at;
    zone.timer = this.ctx.engine.scheduleAt(at, () => {
      zone.timer = undefined;
      zone.timerAt = undefined;
      this.taintingPass(zone);
    });
  }

  /** doNoExecuteTaintingPass for one zone. */
  private taintingPass(zone: Zone): void {
    const now = this.ctx.engine.now;
    zone.tainter.try(now, (name) => {
      const node = this.ctx.store.getNode(name);
      if (!node || node.status.ready === 'True') return true; // ready again: nothing to do
      return node.status.ready === 'False'
        ? this.swapNoExecuteTaint(node, TAINT_NOT_READY, TAINT_UNREACHABLE)
        : this.swapNoExecuteTaint(node, TAINT_UNREACHABLE, TAINT_NOT_READY);
    });
    this.armTainting(zone, now);
  }

  /** handleDisruption: zone states, their tainting rates, master disruption mode. */
  private handleDisruption(now: number): void {
    const counts = new Map<string, { ready: number; notReady: number; nodes: SimNode[] }>();
    for (const info of this.ctx.store.nodes()) {
      const key = zoneKey(info.node);
      let c = counts.get(key);
      if (!c) counts.set(key, (c = { ready: 0, notReady: 0, nodes: [] }));
      if (info.node.status.ready === 'True') c.ready++;
      else c.notReady++;
      c.nodes.push(info.node);
    }
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [key, c] of counts) {
      const s = computeZoneState(c.ready, c.notReady, this.config.unhealthyZoneThreshold);
      if (s !== 'FullDisruption') allAreFullyDisrupted = false;
      newStates.set(key, s);
      this.zone(key, now);
    }
    let allWasFullyDisrupted = true;
    for (const [key, z] of [...this.zones]) {
      if (!counts.has(key)) {
        if (z.timer) this.ctx.engine.cancel(z.timer);
        this.zones.delete(key);
        continue;
      }
      if (z.state !== 'FullDisruption') {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    if (allAreFullyDisrupted) {
      // Entering master disruption mode: the controller blames itself, not the nodes.
      this.masterDisruption = true;
      for (const info of this.ctx.store.nodes()) this.markNodeAsReachable(info.node);
      for (const z of this.zones.values()) {
        z.tainter.swapLimiter(0, now);
        z.state = 'FullDisruption';
      }
      // The next passes queue the unreachable nodes again (behind a rate of 0).
      for (const info of this.ctx.store.nodes())
        if (info.node.status.ready !== 'True') this.requeue(info.node, now);
      return;
    }
    if (allWasFullyDisrupted) {
      // Leaving master disruption mode: every node's grace period starts over.
      this.masterDisruption = false;
      for (const info of this.ctx.store.nodes()) {
        const h = this.health.get(info.node.metadata.name);
        if (h) h.probeTimestamp = now;
      }
      for (const [key, z] of this.zones) {
        this.setLimiterInZone(z, counts.get(key)!.nodes.length, newStates.get(key)!, now);
        z.state = newStates.get(key)!;
      }
      return;
    }
    for (const [key, z] of this.zones) {
      const s = newStates.get(key)!;
      if (z.state === s) continue;
      this.setLimiterInZone(z, counts.get(key)!.nodes.length, s, now);
      z.state = s;
    }
  }

  private requeue(node: SimNode, now: number): void {
    const zone = this.zone(zoneKey(node), now);
    if (zone.tainter.add(node.metadata.name)) this.armTainting(zone, now);
  }

  private setLimiterInZone(zone: Zone, zoneSize: number, state: ZoneState, now: number): void {
    const qps =
      state === 'PartialDisruption'
        ? zoneSize > this.config.largeClusterThreshold
          ? this.config.secondaryEvictionLimiterQPS
          : 0
        : this.config.evictionLimiterQPS;
    zone.tainter.swapLimiter(qps, now);
    this.armTainting(zone, now);
  }

  /** Whether the controller is in master disruption mode (every zone fully disrupted). */
  get inMasterDisruption(): boolean {
    return this.masterDisruption;
  }
}

function hasTaint(node: SimNode, key: string, effect: string): boolean {
  return node.spec.taints.some((t) => t.key === key && t.effect === effect);
}

const controllers = new WeakMap<SimContext, NodeLifecycleController>();

/** The run's node lifecycle controller, if started. */
export function nodeLifecycleOf(ctx: SimContext): NodeLifecycleController | undefined {
  return controllers.get(ctx);
}

export const startNodeLifecycle: ComponentFactory = (ctx) => {
  nodeHealth(ctx);
  controllers.set(ctx, new NodeLifecycleController(ctx, configFromScenario(ctx)));
};
