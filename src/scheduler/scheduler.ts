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
import type { SimPod } from '../model/objects.js';
import type { ClusterStore, NodeEvent, PodEvent } from '../model/store.js';
import type { Framework } from './framework/framework.js';
import type { ClusterEventKind, QueuedPodInfo } from './framework/interfaces.js';
import { Nominator } from './nominator.js';
import { DEFAULT_QUEUE_CONFIG, SchedulingQueue, type QueueConfig } from './queue.js';
import {
  fitErrorMessage,
  scheduleCycle,
  type CycleContext,
  type ExplainSink,
} from './schedule-one.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** Window in which identical FailedScheduling events of one pod are folded (event correlator: 10 min). */
export const FAILURE_EVENT_REPEAT_MS = 10 * 60_000;

export interface CycleCost {
  /** Fixed cost of a cycle (queue pop, PreFilter, bookkeeping), µs. */
  baseMicros: number;
  /** Cost per node run through Filter (and Score), µs. */
  perNodeMicros: number;
}

/**
 * Calibrated so a 5,000-node cluster (adaptive sampling evaluates ~500 nodes) schedules
 * about 800 pods/s, in the 680–1,100 pods/s range upstream's scheduler_perf reports.
 */
export const DEFAULT_CYCLE_COST: CycleCost = { baseMicros: 250, perNodeMicros: 2 };

export interface SchedulerConfig {
  queue: QueueConfig;
  cycleCost: CycleCost;
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
  percentageOfNodesToScore: 0,
  unschedulableFlushIntervalMs: 30_000,
};

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
  private runTimer: Timer | undefined;
  private backoffTimer: Timer | undefined;
  private flushTimer: Timer | undefined;
  private active = true;
  private readonly lastFailure = new WeakMap<SimPod, { message: string; time: number }>();

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
    this.queue = new SchedulingQueue(first.less, config.queue);
    this.ctx = {
      nextStartNodeIndex: 0,
      percentageOfNodesToScore: config.percentageOfNodesToScore,
      random,
      explain,
    };
    this.nominator = Nominator.of(store);
    store.onPod((e) => this.onPodEvent(e));
    store.onNode((e) => this.onNodeEvent(e));
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

  // ---- watches -------------------------------------------------------------------------

  private onPodEvent(e: PodEvent): void {
    const pod = e.pod;
    if (e.type === 'add') {
      if (!pod.spec.nodeName && pod.status.phase === 'Pending') this.enqueue(pod);
      else this.moveOnEvent('PodAdd');
      return;
    }
    if (e.type === 'delete') {
      this.queue.delete(pod);
      if (e.nodeName) this.moveOnEvent('AssignedPodDelete');
      return;
    }
    if (e.change === 'bound') {
      this.queue.delete(pod);
    } else if ((e.change === 'phase' && e.nodeName && isTerminal(pod)) || e.change === 'deleting') {
      if (e.nodeName) this.moveOnEvent('AssignedPodDelete');
      else this.queue.delete(pod);
    } else if (e.change === 'ungated' && this.queue.has(pod)) {
      this.queue.activateGated(pod, this.engine.now);
      this.kick();
    }
  }

  private onNodeEvent(e: NodeEvent): void {
    if (e.type === 'add') this.moveOnEvent('NodeAdd');
    else if (e.type === 'update') this.moveOnEvent('NodeUpdate');
    else this.moveOnEvent('NodeDelete');
  }

  private enqueue(pod: SimPod): void {
    const fw = this.frameworkFor(pod);
    if (!fw) return;
    const gate = fw.runPreEnqueue(pod);
    this.queue.add(pod, this.engine.now, gate !== null);
    if (gate) return;
    this.kick();
  }

  private moveOnEvent(event: ClusterEventKind): void {
    const moved = this.queue.moveOnEvent(event, this.engine.now, (info, ev) =>
      this.interested(info, ev),
    );
    if (moved) this.afterQueueChange();
  }

  private readonly interestedFn = (info: QueuedPodInfo, event: ClusterEventKind): boolean =>
    this.interested(info, event);

  /** QueueingHints: does any plugin that rejected the pod care about this event? */
  private interested(info: QueuedPodInfo, event: ClusterEventKind): boolean {
    const fw = this.frameworkFor(info.pod);
    if (!fw || info.unschedulablePlugins.size === 0) return true;
    for (const plugin of info.unschedulablePlugins) {
      const events = fw.eventsByPlugin.get(plugin);
      if (!events || events.has(event)) return true;
      if (event === 'AssignedPodDelete' && events.has('PodDelete')) return true;
    }
    return false;
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
    if (!fw || pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined) {
      this.queue.done(pod);
      return;
    }
    pod.attempts++;
    this.stats.cycles++;
    const result = scheduleCycle(fw, pod, this.store.nodes(), this.ctx);
    this.stats.nodesEvaluated += result.evaluatedNodes;
    const cost = this.config.cycleCost;
    this.busyUntilUs += cost.baseMicros + cost.perNodeMicros * result.evaluatedNodes;
    const decidedAt = Math.ceil(this.busyUntilUs / 1000);

    if (result.kind === 'unschedulable') {
      this.stats.failedAttempts++;
      info.unschedulablePlugins = result.diagnosis.unschedulablePlugins;
      // PostFilter nominates a node ('' clears an earlier nomination, as upstream).
      const nominated = result.nominatedNodeName;
      if (nominated !== undefined && nominated !== (pod.status.nominatedNodeName ?? '')) {
        pod.status.nominatedNodeName = nominated || undefined;
        this.store.updatePod(pod, 'nominated');
      }
      this.recordFailure(pod, fitErrorMessage(result.diagnosis, result.numAllNodes));
      this.queue.requeueUnschedulable(info, this.engine.now, true, this.interestedFn);
      this.armFlushTimer();
      return;
    }

    const nodeName = result.node.name;
    const state = result.state;
    // Assume: the node's resources are taken from now on, before the binding is written;
    // a nomination no longer reserves anything (DeleteNominatedPodIfExists).
    this.store.assumePod(pod, nodeName);
    this.nominator.remove(pod);
    const reserve = fw.runReserve(state, pod, nodeName);
    const permit = reserve ? { status: reserve, waitMs: 0 } : fw.runPermit(state, pod, nodeName);
    if (permit.status) {
      fw.runUnreserve(state, pod, nodeName);
      this.store.forgetPod(pod, nodeName);
      this.stats.failedAttempts++;
      this.events.record('Pod', pod.key, 'FailedScheduling', permit.status.message());
      this.queue.requeueUnschedulable(info, this.engine.now, true, this.interestedFn);
      return;
    }
    this.queue.done(pod);
    // The binding cycle runs asynchronously: the next pod is scheduled meanwhile.
    const bindAt = Math.max(decidedAt, this.engine.now) + permit.waitMs;
    this.engine.scheduleAt(bindAt, () => this.bindingCycle(fw, info, nodeName, state));
  }

  private bindingCycle(
    fw: Framework,
    info: QueuedPodInfo,
    nodeName: string,
    state: ReturnType<typeof scheduleCycle>['state'],
  ): void {
    const pod = info.pod;
    if (this.store.getPod(pod.key) !== pod || pod.metadata.deletionTimestamp !== undefined) {
      // Deleted while binding: forget the assumption.
      fw.runUnreserve(state, pod, nodeName);
      this.store.forgetPod(pod, nodeName);
      return;
    }
    if (!this.store.getNodeInfo(nodeName)) {
      fw.runUnreserve(state, pod, nodeName);
      this.store.forgetPod(pod, nodeName);
      this.failBinding(info, `node "${nodeName}" not found`);
      return;
    }
    const preBind = fw.runPreBind(state, pod, nodeName);
    const bind = preBind ?? fw.runBind(state, pod, nodeName);
    if (bind) {
      fw.runUnreserve(state, pod, nodeName);
      this.store.forgetPod(pod, nodeName);
      this.failBinding(info, bind.message());
      return;
    }
    // The binding request may hang in etcd (up to its request timeout): the pod stays
    // assumed meanwhile, and a failure is handled when it is known, as the binding goroutine
    // does.
    this.api.write('binding', 'scheduler', (ok) => {
      const alive =
        this.store.getPod(pod.key) === pod && pod.metadata.deletionTimestamp === undefined;
      const node = this.store.getNodeInfo(nodeName) !== undefined;
      if (ok && alive && node) return this.bound(fw, pod, nodeName, state);
      fw.runUnreserve(state, pod, nodeName);
      this.store.forgetPod(pod, nodeName);
      if (alive)
        this.failBinding(
          info,
          ok ? `node "${nodeName}" not found` : 'apiserver refused the binding',
        );
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
    this.store.bindPod(pod, nodeName);
    this.events.record(
      'Pod',
      pod.key,
      'Scheduled',
      `Successfully assigned ${pod.key} to ${nodeName}`,
    );
    fw.runPostBind(state, pod, nodeName);
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

  private failBinding(info: QueuedPodInfo, message: string): void {
    this.stats.bindFailures++;
    this.events.record('Pod', info.pod.key, 'FailedScheduling', `Binding rejected: ${message}`);
    this.queue.requeueAfterBindFailure(info, this.engine.now);
    this.armBackoffTimer();
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

function isTerminal(pod: SimPod): boolean {
  return pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
}
