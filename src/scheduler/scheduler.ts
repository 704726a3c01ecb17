/**
 * kube-scheduler as a simulation component: it watches the store for pods to schedule and
 * for cluster events that may unblock parked pods, runs one scheduling cycle at a time
 * (each costing virtual time), and binds through the apiserver gate.
 *
 * Cycle cost is kept in virtual microseconds: a cycle that evaluates more nodes takes
 * longer, so a slow configuration on a big cluster shows up as queueing delay.
 */
import type { Engine, Timer } from '../engine/engine.js';
import type { WriteGate } from '../model/api.js';
import type { EventLog } from '../model/events.js';
import { podIsTerminal, type SimNode, type SimPod } from '../model/objects.js';
import {
  objectKey,
  type ClusterStore,
  type NodeEvent,
  type ObjectEvent,
  type PodEvent,
  type StoredObject,
} from '../model/store.js';
import { KIND_PV, KIND_PVC, KIND_STORAGE_CLASS } from '../model/volumes.js';
import type { CycleState } from './framework/cycle-state.js';
import {
  ActionType,
  EventAssignedPodAdd,
  EventAssignedPodDelete,
  EventNodeAdd,
  EventNodeDelete,
  nodeSchedulingPropertiesChange,
  podSchedulingPropertiesChange,
  snapshotNode,
  type ClusterEvent,
  type EventResource,
} from './framework/events.js';
import { NO_WAITS, type Framework } from './framework/framework.js';
import type { QueuedPodInfo } from './framework/interfaces.js';
import { Code, Status } from './framework/status.js';
import { TokenBucket } from './client-rate-limiter.js';
import { CycleCostModel, DEFAULT_CYCLE_COST, type CycleCost } from './cycle-cost.js';
import { Nominator } from './nominator.js';
import { DEFAULT_QUEUE_CONFIG, SchedulingQueue, type QueueConfig } from './queue.js';
import {
  fitErrorMessage,
  scheduleCycle,
  type CycleContext,
  type Diagnosis,
  type ExplainSink,
} from './schedule-one.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** Window in which identical FailedScheduling events of one pod are folded (event correlator: 10 min). */
export const FAILURE_EVENT_REPEAT_MS = 10 * 60_000;

export interface SchedulerConfig {
  queue: QueueConfig;
  cycleCost: CycleCost;
  /** clientConnection.qps: the token bucket binding calls wait on (≤ 0: none). */
  clientQPS: number;
  /** clientConnection.burst. */
  clientBurst: number;
  /** Global percentageOfNodesToScore (0 = adaptive). */
  percentageOfNodesToScore: number;
  /** Interval of the unschedulable-pods flush loop (upstream 30 s). */
  unschedulableFlushIntervalMs: number;
  /** Profile that serves pods asking for `default-scheduler` (ksim run --profile). */
  defaultProfileAlias?: string;
}

export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = {
  queue: DEFAULT_QUEUE_CONFIG,
  cycleCost: DEFAULT_CYCLE_COST,
  clientQPS: 50,
  clientBurst: 100,
  percentageOfNodesToScore: 0,
  unschedulableFlushIntervalMs: 30_000,
};

/** The volume kinds the scheduler watches (VolumeBinding and VolumeZone register for them). */
const VOLUME_RESOURCES: ReadonlyArray<[string, EventResource]> = [
  [KIND_PV, 'PersistentVolume'],
  [KIND_PVC, 'PersistentVolumeClaim'],
  [KIND_STORAGE_CLASS, 'storage.k8s.io/StorageClass'],
];

/** The assumed pod as the scheduler cache holds it: spec.nodeName set to its node. */
function assumedAs(pod: SimPod, nodeName: string): SimPod {
  return { ...pod, spec: { ...pod.spec, nodeName } };
}

export interface SchedulerStats {
  cycles: number;
  scheduled: number;
  failedAttempts: number;
  bindFailures: number;
  nodesEvaluated: number;
  preemptionAttempts: number;
}

export class Scheduler {
  readonly queue: SchedulingQueue;
  readonly stats: SchedulerStats = {
    cycles: 0,
    scheduled: 0,
    failedAttempts: 0,
    bindFailures: 0,
    nodesEvaluated: 0,
    preemptionAttempts: 0,
  };
  private readonly profiles = new Map<string, Framework>();
  private readonly nominator: Nominator;
  private readonly ctx: CycleContext;
  /** The scheduler's own clock in µs: when it is free to start the next cycle. */
  private busyUntilUs = 0;
  /** Virtual ms of the scheduling cycle being run (its decision), while one runs. */
  private cycleTime: number | undefined;
  private runTimer: Timer | undefined;
  private backoffTimer: Timer | undefined;
  private flushTimer: Timer | undefined;
  private active = true;
  private readonly lastFailure = new WeakMap<SimPod, { message: string; time: number }>();
  /** Assumed pods (scheduler cache): taken on their node, not bound yet. */
  private readonly assumed = new Map<SimPod, string>();
  /** Nodes as the informer cache last saw them: the old object of an update. */
  private readonly nodeCache = new Map<string, SimNode>();
  /** Volume objects as last seen, by kind and key. */
  private readonly objectCache = new Map<string, Map<string, StoredObject>>();
  /** Nominated node of each unassigned pod that has one, as last seen. */
  private readonly nominatedOf = new Map<SimPod, string>();
  private readonly costModel: CycleCostModel;
  /** The client's rate limit, as far as bindings draw on it; undefined when qps ≤ 0. */
  private readonly bindLimiter: TokenBucket | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly store: ClusterStore,
    private readonly api: WriteGate,
    private readonly events: EventLog,
    frameworks: Framework[],
    readonly config: SchedulerConfig,
    random: () => number,
    explain?: ExplainSink,
  ) {
    for (const fw of frameworks) this.profiles.set(fw.name, fw);
    const first = frameworks[0];
    if (!first) throw new Error('at least one scheduling profile is needed');
    this.queue = new SchedulingQueue(
      first.less,
      config.queue,
      (pod) => this.frameworkFor(pod),
      frameworks,
    );
    this.ctx = {
      nextStartNodeIndex: 0,
      percentageOfNodesToScore: config.percentageOfNodesToScore,
      random,
      explain,
    };
    // Permit timeouts run on the simulation's clock.
    for (const fw of frameworks) {
      fw.waitingPods.timers = (at, fire) => {
        const t = this.engine.scheduleAt(Math.max(at, this.engine.now), fire);
        return () => this.engine.cancel(t);
      };
    }
    this.nominator = Nominator.of(store);
    this.costModel = new CycleCostModel(config.cycleCost);
    this.bindLimiter =
      config.clientQPS > 0 ? new TokenBucket(config.clientQPS, config.clientBurst) : undefined;
    for (const n of store.nodes()) this.nodeCache.set(n.name, snapshotNode(n.node));
    store.onPod((e) => this.onPodEvent(e));
    store.onNode((e) => this.onNodeEvent(e));
    for (const [kind, resource] of VOLUME_RESOURCES) {
      const cache = new Map<string, StoredObject>();
      for (const o of store.listObjects(kind)) cache.set(objectKey(o), o);
      this.objectCache.set(kind, cache);
      store.onObject(kind, (e) => this.onObjectEvent(resource, cache, e));
    }
  }

  /** The profile serving a pod, or undefined if another scheduler is responsible for it. */
  frameworkFor(pod: SimPod): Framework | undefined {
    let name = pod.spec.schedulerName || DEFAULT_SCHEDULER_NAME;
    if (name === DEFAULT_SCHEDULER_NAME && this.config.defaultProfileAlias) {
      name = this.config.defaultProfileAlias;
    }
    return this.profiles.get(name);
  }

  /** Leader election: a scheduler without the lease does no work. */
  setActive(active: boolean): void {
    if (this.active === active) return;
    this.active = active;
    if (active) {
      this.busyUntilUs = Math.max(this.busyUntilUs, this.engine.now * 1000);
      this.kick();
    }
  }

  isActive(): boolean {
    return this.active;
  }

  // ---- watches (pkg/scheduler/eventhandlers.go) ------------------------------------------

  /**
   * The pod informer of kube-scheduler lists no terminal pods (its field selector), so a pod
   * reaching Succeeded/Failed is, to the scheduler, deleted.
   */
  private onPodEvent(e: PodEvent): void {
    const pod = e.pod;
    if (e.type === 'add') {
      if (podIsTerminal(pod)) return;
      // addAssignedPodToCache: a pod created bound counts as an assigned pod added.
      if (pod.spec.nodeName) this.move(EventAssignedPodAdd, undefined, pod);
      else this.enqueue(pod);
      return;
    }
    if (e.type === 'delete') {
      if (podIsTerminal(pod)) return; // already gone when it terminated
      if (e.nodeName) this.move(EventAssignedPodDelete, pod, undefined);
      else this.unscheduledPodGone(pod);
      return;
    }
    if (e.change === 'bound') {
      // A binding: the pod leaves the queue and is an assigned pod added (addAssignedPodToCache).
      this.queue.delete(pod);
      this.nominatedOf.delete(pod);
      this.move(EventAssignedPodAdd, undefined, pod);
      return;
    }
    if (e.nodeName) {
      if (podIsTerminal(pod)) {
        if (e.change === 'phase') this.move(EventAssignedPodDelete, pod, undefined);
        return;
      }
      // updateAssignedPodInCache: one move per scheduling property that changed.
      const old = e.old ?? pod;
      for (const ev of podSchedulingPropertiesChange(pod, old)) this.move(ev, old, pod);
      return;
    }
    this.unscheduledPodUpdated(e);
  }

  /** updatePodInSchedulingQueue. */
  private unscheduledPodUpdated(e: PodEvent): void {
    const pod = e.pod;
    if (podIsTerminal(pod)) {
      this.unscheduledPodGone(pod);
      return;
    }
    if (this.assumed.has(pod)) {
      // An assumed pod is not in the queue; only the start of its deletion matters.
      if (e.change === 'deleting') this.assumedPodDeleted(pod);
      return;
    }
    if (pod.metadata.deletionTimestamp !== undefined) {
      // It can never be scheduled (skipPodSchedule); leaving now changes no outcome.
      this.queue.delete(pod);
      this.forgetNomination(pod);
      return;
    }
    const old = e.old ?? pod;
    const events = podSchedulingPropertiesChange(pod, old);
    if (this.queue.has(pod)) {
      if (this.queue.update(old, pod, events, this.engine.now)) this.afterQueueChange();
    } else if (pod.status.phase === 'Pending') {
      this.enqueue(pod);
    }
    if (e.change === 'nominated') this.nominationChanged(pod);
  }

  /** deletePodFromSchedulingQueue: a pending pod deleted (or terminated). */
  private unscheduledPodGone(pod: SimPod): void {
    this.queue.delete(pod);
    if (this.assumed.has(pod)) this.assumedPodDeleted(pod);
    else this.forgetNomination(pod);
  }

  /**
   * A pod nominated to a node no longer is (or is gone): lower- or equal-priority pods that
   * yielded to it may fit now, as if an assigned pod had been deleted (hasNominatedNodeNameChanged).
   */
  private nominationChanged(pod: SimPod, now = pod.status.nominatedNodeName ?? ''): void {
    const before = this.nominatedOf.get(pod) ?? '';
    if (now) this.nominatedOf.set(pod, now);
    else this.nominatedOf.delete(pod);
    if (before && before !== now) {
      const old = { ...pod, status: { ...pod.status, nominatedNodeName: before } };
      this.move(EventAssignedPodDelete, old, undefined, (p) => p.priority <= pod.priority);
    }
  }

  private forgetNomination(pod: SimPod): void {
    this.nominationChanged(pod, '');
  }

  /**
   * handleAssumedPodDeletion: a waiting pod is rejected (its binding cycle then cleans up);
   * otherwise its resources are freed now, as an assigned pod deleted.
   */
  private assumedPodDeleted(pod: SimPod): void {
    const fw = this.frameworkFor(pod);
    if (fw?.waitingPods.reject(pod.metadata.uid)) return;
    const node = this.assumed.get(pod);
    if (node === undefined) return;
    this.forget(pod, node);
    this.move(EventAssignedPodDelete, assumedAs(pod, node), undefined);
  }

  private onNodeEvent(e: NodeEvent): void {
    const node = e.node;
    const name = node.metadata.name;
    if (e.type === 'add') {
      this.nodeCache.set(name, snapshotNode(node));
      this.move(EventNodeAdd, undefined, node);
    } else if (e.type === 'update') {
      // updateNodeInCache: one move per kind of change, judged against the cached node.
      const old = this.nodeCache.get(name) ?? snapshotNode(node);
      this.nodeCache.set(name, snapshotNode(node));
      for (const ev of nodeSchedulingPropertiesChange(node, old)) this.move(ev, old, node);
    } else {
      this.nodeCache.delete(name);
      this.move(EventNodeDelete, node, undefined);
    }
  }

  /** PersistentVolume, PersistentVolumeClaim and StorageClass informers (buildEvtResHandler). */
  private onObjectEvent(
    resource: EventResource,
    cache: Map<string, StoredObject>,
    e: ObjectEvent,
  ): void {
    const key = objectKey(e.obj);
    const old = cache.get(key);
    if (e.type === 'delete') {
      cache.delete(key);
      this.move({ resource, actionType: ActionType.Delete }, e.obj, undefined);
      return;
    }
    cache.set(key, e.obj);
    const actionType = e.type === 'add' ? ActionType.Add : ActionType.Update;
    this.move({ resource, actionType }, e.type === 'add' ? undefined : (old ?? e.obj), e.obj);
  }

  private enqueue(pod: SimPod): void {
    if (!this.frameworkFor(pod)) return;
    if (pod.status.nominatedNodeName) this.nominatedOf.set(pod, pod.status.nominatedNodeName);
    this.queue.add(pod, this.engine.now);
    this.kick();
  }

  /** MoveAllToActiveOrBackoffQueue, then wake the loops if anything moved. */
  private move(
    event: ClusterEvent,
    oldObj: unknown,
    newObj: unknown,
    preCheck?: (pod: SimPod) => boolean,
  ): void {
    const moved = this.queue.moveAllToActiveOrBackoffQueue(
      event,
      oldObj,
      newObj,
      this.engine.now,
      preCheck,
    );
    if (moved) this.afterQueueChange();
  }

  private afterQueueChange(): void {
    this.armBackoffTimer();
    this.kick();
  }

  // ---- the scheduling loop ----------------------------------------------------------------

  /** Makes sure a run is scheduled if there is work and the scheduler is free. */
  private kick(): void {
    if (!this.active || this.runTimer) return;
    if (!this.queue.hasPoppable()) return;
    const at = Math.max(this.engine.now, Math.floor(this.busyUntilUs / 1000));
    this.runTimer = this.engine.scheduleAt(at, () => {
      this.runTimer = undefined;
      this.run();
    });
  }

  /** Runs cycles until the queue is empty or the scheduler's µs clock passes this ms. */
  private run(): void {
    const now = this.engine.now;
    this.busyUntilUs = Math.max(this.busyUntilUs, now * 1000);
    while (this.active && this.busyUntilUs < (now + 1) * 1000) {
      const info = this.queue.pop();
      if (!info) break;
      this.scheduleOne(info);
    }
    this.armBackoffTimer();
    this.kick();
  }

  private scheduleOne(info: QueuedPodInfo): void {
    const pod = info.pod;
    const fw = this.frameworkFor(pod);
    if (
      !fw ||
      pod.spec.nodeName ||
      pod.metadata.deletionTimestamp !== undefined ||
      this.assumed.has(pod)
    ) {
      this.queue.done(pod);
      return;
    }
    pod.attempts++;
    this.stats.cycles++;
    const nodes = this.store.nodes();
    const result = scheduleCycle(fw, pod, nodes, this.ctx);
    this.stats.nodesEvaluated += result.evaluatedNodes;
    this.busyUntilUs += this.costModel.micros(fw, {
      state: result.state,
      evaluatedNodes: result.evaluatedNodes,
      scoredNodes:
        result.kind === 'scheduled' && result.feasibleNodes > 1 ? result.feasibleNodes : 0,
      stoppedInPreFilter: result.kind === 'unschedulable' && result.diagnosis.preFilterMsg !== '',
      numAllNodes: nodes.length,
    });
    const decidedAt = Math.ceil(this.busyUntilUs / 1000);

    if (result.kind === 'error') {
      this.schedulingFailed(info, result.message, '');
      return;
    }
    if (result.kind === 'unschedulable') {
      const d = result.diagnosis;
      info.unschedulablePlugins = d.unschedulablePlugins;
      info.pendingPlugins = d.pendingPlugins;
      this.schedulingFailed(info, fitErrorMessage(d, result.numAllNodes), result.nominatedNodeName);
      return;
    }

    const nodeName = result.node.name;
    const state = result.state;
    this.cycleTime = decidedAt;
    try {
      // Assume: the node's resources are taken from now on, before the binding is written;
      // a nomination no longer reserves anything (DeleteNominatedPodIfExists).
      this.store.assumePod(pod, nodeName);
      this.assumed.set(pod, nodeName);
      this.nominator.remove(pod);
      const reserve = fw.runReserve(state, pod, nodeName);
      const permit = reserve
        ? { status: reserve, waits: NO_WAITS }
        : fw.runPermit(state, pod, nodeName);
      if (permit.status) {
        // Reserve or Permit failed: Unreserve, forget (no event: the pod was in flight).
        fw.runUnreserve(state, pod, nodeName);
        this.forget(pod, nodeName);
        this.rejectedAfterFilter(info, permit.status, nodeName, '');
        return;
      }
      if (permit.waits.size > 0) {
        // WaitOnPermit: the binding cycle waits, in flight, while the next pods are scheduled.
        fw.waitingPods.add(pod, permit.waits, decidedAt, (status) => {
          const at = Math.max(this.engine.now, this.cycleTime ?? this.engine.now);
          this.engine.scheduleAt(at, () => this.permitDecided(fw, info, nodeName, state, status));
        });
        return;
      }
      this.queue.done(pod);
      // The binding cycle runs asynchronously: the next pod is scheduled meanwhile.
      const bindAt = Math.max(decidedAt, this.engine.now);
      this.engine.scheduleAt(bindAt, () => this.bindingCycle(fw, info, nodeName, state));
    } finally {
      this.cycleTime = undefined;
    }
  }

  /** The waiting pod was allowed (null) or rejected: bind, or fail the binding cycle. */
  private permitDecided(
    fw: Framework,
    info: QueuedPodInfo,
    nodeName: string,
    state: CycleState,
    status: Status | null,
  ): void {
    fw.waitingPods.remove(info.pod.metadata.uid);
    if (status) {
      this.bindingCycleFailed(fw, info, nodeName, state, status, '');
      return;
    }
    this.queue.done(info.pod);
    this.bindingCycle(fw, info, nodeName, state);
  }

  private bindingCycle(
    fw: Framework,
    info: QueuedPodInfo,
    nodeName: string,
    state: CycleState,
  ): void {
    const pod = info.pod;
    if (this.deletedWhileBinding(fw, pod, nodeName, state)) return;
    if (!this.store.getNodeInfo(nodeName)) {
      this.bindFailed(fw, info, nodeName, state, `node "${nodeName}" not found`);
      return;
    }
    const preBind = fw.runPreBind(state, pod, nodeName);
    const bind = preBind ?? fw.runBind(state, pod, nodeName);
    if (bind) {
      this.bindFailed(fw, info, nodeName, state, bind.message());
      return;
    }
    // The Binding POST waits for a token of the client's rate limiter.
    const now = this.engine.now;
    const at = this.bindLimiter ? Math.ceil(this.bindLimiter.reserve(now * 1000) / 1000) : now;
    if (at > now) this.engine.scheduleAt(at, () => this.postBinding(fw, info, nodeName, state));
    else this.postBinding(fw, info, nodeName, state);
  }

  /** A pod deleted while binding: Unreserve, forget (handleAssumedPodDeletion), true returned. */
  private deletedWhileBinding(
    fw: Framework,
    pod: SimPod,
    nodeName: string,
    state: CycleState,
  ): boolean {
    if (this.store.getPod(pod.key) === pod && pod.metadata.deletionTimestamp === undefined) {
      return false;
    }
    fw.runUnreserve(state, pod, nodeName);
    if (this.forget(pod, nodeName))
      this.move(EventAssignedPodDelete, assumedAs(pod, nodeName), undefined);
    return true;
  }

  /** The Binding POST, once the client's rate limiter lets it go. */
  private postBinding(
    fw: Framework,
    info: QueuedPodInfo,
    nodeName: string,
    state: CycleState,
  ): void {
    const pod = info.pod;
    if (this.deletedWhileBinding(fw, pod, nodeName, state)) return;
    // The binding request may hang in etcd (up to its request timeout): the pod stays
    // assumed meanwhile, and a failure is handled when it is known, as the binding goroutine
    // does.
    this.api.write('binding', 'scheduler', (ok) => {
      // Deleted while the binding hung?
      if (this.deletedWhileBinding(fw, pod, nodeName, state)) return;
      const node = this.store.getNodeInfo(nodeName) !== undefined;
      if (ok && node) return this.bound(fw, pod, nodeName, state);
      const why = ok ? `node "${nodeName}" not found` : 'apiserver refused the binding';
      this.bindFailed(fw, info, nodeName, state, why);
    });
  }

  private bound(
    fw: Framework,
    pod: SimPod,
    nodeName: string,
    state: ReturnType<typeof scheduleCycle>['state'],
  ): void {
    pod.times.scheduled = this.engine.now;
    if (pod.status.nominatedNodeName) pod.status.nominatedNodeName = undefined;
    this.stats.scheduled++;
    this.assumed.delete(pod);
    this.store.bindPod(pod, nodeName);
    this.events.record(
      'Pod',
      pod.key,
      'Scheduled',
      `Successfully assigned ${pod.key} to ${nodeName}`,
    );
    fw.runPostBind(state, pod, nodeName);
  }

  private bindFailed(
    fw: Framework,
    info: QueuedPodInfo,
    nodeName: string,
    state: CycleState,
    message: string,
  ): void {
    this.stats.bindFailures++;
    this.bindingCycleFailed(
      fw,
      info,
      nodeName,
      state,
      Status.error(message),
      `Binding rejected: ${message}`,
    );
  }

  /**
   * handleBindingCycleError: Unreserve, forget the assumed pod — an assigned pod deleted, as
   * far as the other pods are concerned — and the failure handler. For a rejection (Permit)
   * the pod is parked first and excluded from the move, so the event does not requeue it.
   */
  private bindingCycleFailed(
    fw: Framework,
    info: QueuedPodInfo,
    nodeName: string,
    state: CycleState,
    status: Status,
    message: string,
  ): void {
    const pod = info.pod;
    fw.runUnreserve(state, pod, nodeName);
    const forgotten = this.forget(pod, nodeName);
    // The event carries the assumed pod: placed on the node (the cache's copy).
    const assumedPod = assumedAs(pod, nodeName);
    if (!status.isRejected()) {
      if (forgotten) this.move(EventAssignedPodDelete, assumedPod, undefined);
      this.schedulingFailed(info, message, '');
      return;
    }
    this.rejectedAfterFilter(info, status, nodeName, '');
    if (forgotten) this.move(EventAssignedPodDelete, assumedPod, undefined, (p) => p !== pod);
  }

  /**
   * A rejection at Reserve or Permit: a FitError over the one chosen node, with the rejecting
   * plugin as the pod's only unschedulable plugin; other statuses are errors.
   */
  private rejectedAfterFilter(
    info: QueuedPodInfo,
    status: Status,
    nodeName: string,
    nominated: string | undefined,
  ): void {
    if (!status.isRejected()) {
      this.schedulingFailed(info, status.message(), nominated);
      return;
    }
    const diagnosis: Diagnosis = {
      nodeToStatus: new Map([[nodeName, status]]),
      unschedulablePlugins: new Set(status.plugin ? [status.plugin] : []),
      pendingPlugins: new Set(status.code === Code.Pending && status.plugin ? [status.plugin] : []),
      preFilterMsg: '',
      postFilterMsg: '',
    };
    info.unschedulablePlugins = diagnosis.unschedulablePlugins;
    info.pendingPlugins = diagnosis.pendingPlugins;
    this.schedulingFailed(info, fitErrorMessage(diagnosis, 1), nominated);
  }

  /**
   * handleSchedulingFailure: FailedScheduling, the nomination (undefined = keep, '' = clear),
   * and back to the queue — unless the pod was deleted or bound meanwhile.
   */
  private schedulingFailed(
    info: QueuedPodInfo,
    message: string,
    nominated: string | undefined,
  ): void {
    const pod = info.pod;
    this.stats.failedAttempts++;
    if (this.store.getPod(pod.key) !== pod || pod.spec.nodeName) {
      this.queue.done(pod);
      return;
    }
    if (nominated !== undefined && nominated !== (pod.status.nominatedNodeName ?? '')) {
      pod.status.nominatedNodeName = nominated || undefined;
      this.store.updatePod(pod, 'nominated');
    }
    this.recordFailure(pod, message);
    const where = this.queue.requeue(info, this.engine.now);
    if (where === 'unschedulable') this.armFlushTimer();
    else this.armBackoffTimer();
  }

  /** ForgetPod: undo the assumption; false if the pod was not assumed (any more). */
  private forget(pod: SimPod, nodeName: string): boolean {
    if (this.assumed.get(pod) !== nodeName) return false;
    this.assumed.delete(pod);
    this.store.forgetPod(pod, nodeName);
    return true;
  }

  /**
   * FailedScheduling, with the event correlator's spam filter: a pod's repeated failure
   * with the same message is recorded again only after FAILURE_EVENT_REPEAT_MS (upstream
   * aggregates such events into one with a count).
   */
  private recordFailure(pod: SimPod, message: string): void {
    const now = this.engine.now;
    const last = this.lastFailure.get(pod);
    if (last && last.message === message && now - last.time < FAILURE_EVENT_REPEAT_MS) return;
    this.lastFailure.set(pod, { message, time: now });
    this.events.record('Pod', pod.key, 'FailedScheduling', message);
  }

  // ---- background loops, event-driven ----------------------------------------------------

  /**
   * One timer at the earliest end of a backoff instead of upstream's 1 s flush ticker: the
   * queue keeps those ends on whole seconds, the ticks, so pods move at the same instants.
   */
  private armBackoffTimer(): void {
    const next = this.queue.nextBackoffExpiry();
    if (next === undefined) return;
    if (this.backoffTimer && !this.backoffTimer.cancelled && this.backoffTimer.time <= next) return;
    if (this.backoffTimer) this.engine.cancel(this.backoffTimer);
    this.backoffTimer = this.engine.scheduleAt(Math.max(next, this.engine.now), () => {
      this.backoffTimer = undefined;
      this.queue.flushBackoff(this.engine.now);
      this.armBackoffTimer();
      this.kick();
    });
  }

  /**
   * The unschedulable flush loop ticks every 30 s from the start (wait.Until runs at once,
   * then every period); a pod parked at t is moved on the first tick strictly after
   * t + podMaxInUnschedulablePodsDuration.
   */
  private armFlushTimer(): void {
    if (this.flushTimer) return;
    const since = this.queue.earliestUnschedulableSince();
    if (since === undefined) return;
    const interval = this.config.unschedulableFlushIntervalMs;
    const limit = since + this.config.queue.podMaxInUnschedulablePodsDurationMs;
    const firstTickAfter = (Math.floor(limit / interval) + 1) * interval;
    const tick = Math.max(firstTickAfter, Math.ceil(this.engine.now / interval) * interval);
    this.flushTimer = this.engine.scheduleAt(tick, () => {
      this.flushTimer = undefined;
      if (this.queue.flushUnschedulableLeftover(this.engine.now)) this.afterQueueChange();
      this.armFlushTimer();
    });
  }
}
