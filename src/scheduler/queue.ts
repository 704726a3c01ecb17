/**
 * The scheduling queue (pkg/scheduler/backend/queue/scheduling_queue.go, v1.35): activeQ ordered
 * by the profile's QueueSort plugin; backoffQ as two heaps ordered by backoff expiry —
 * podBackoffQ for pods a plugin rejected and podErrorBackoffQ for pods that failed with no
 * rejecting plugin (errors, bind failures); and unschedulablePods for pods a plugin rejected
 * and pods a PreEnqueue plugin gates.
 *
 * QueueingHints (SchedulerQueueingHints, on since v1.32): a cluster event moves a parked pod only
 * if a hint of one of its rejecting plugins answers Queue (isPodWorthRequeuing) — to activeQ
 * at once when the plugin was Pending, else to backoffQ while it is still backing off. Events
 * that arrive while a pod is being scheduled are kept and judged the same way when it comes
 * back rejected (determineSchedulingHintForInFlightPod). A gated pod is looked at only on the
 * events its gating plugin registered; PreEnqueue runs again on every move to activeQ, and
 * (SchedulerPopFromBackoffQ) to backoffQ instead of when it leaves backoffQ. Pods parked
 * strictly longer than podMaxInUnschedulablePodsDuration are moved by the 30 s loop
 * (flushUnschedulablePodsLeftover, a wildcard event that never ungates a pod).
 *
 * Backoff is initial × 2^(attempts−1), capped (1 s … 10 s by default). With the
 * SchedulerPopFromBackoffQ feature (beta and on since v1.33) the expiry is truncated to its
 * 1 s ordering window and a pod stays backing off while that window is not over, so it
 * leaves at ⌊(t + backoff) / 1 s⌋ + 1 s; podBackoffQ orders one window like activeQ; and an
 * idle scheduler (empty activeQ) pops the head of podBackoffQ without waiting. Without the
 * feature a pod leaves on the first 1 s flush tick at or after its expiry. Leaving times are
 * whole seconds either way, so an event-driven timer at the next one equals the ticker.
 *
 * Time is virtual ms passed in by the caller; the queue never reads a clock.
 */
import TinyQueue from 'tinyqueue';
import type { SimPod } from '../model/objects.js';
import {
  EventUnschedulableTimeout,
  isWildCard,
  matchAnyClusterEvent,
  matchClusterEvents,
  QueueingHint,
  type ClusterEvent,
  type ClusterEventWithHint,
} from './framework/events.js';
import type { QueuedPodInfo } from './framework/interfaces.js';
import type { Status } from './framework/status.js';

export interface QueueConfig {
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
  podMaxInUnschedulablePodsDurationMs: number;
  /** Feature gate SchedulerPopFromBackoffQ (see the file comment). */
  popFromBackoffQ: boolean;
}

export const DEFAULT_QUEUE_CONFIG: QueueConfig = {
  podInitialBackoffMs: 1000,
  podMaxBackoffMs: 10_000,
  podMaxInUnschedulablePodsDurationMs: 5 * 60_000,
  popFromBackoffQ: true,
};

/** backoffQOrderingWindowDuration, also the backoff flush period. */
export const BACKOFF_ORDERING_WINDOW_MS = 1000;

/** What the queue needs of a pod's profile (a Framework). */
export interface QueueProfile {
  /** PreEnqueue, `first` (the plugin that gated the pod before) first. */
  runPreEnqueue(pod: SimPod, first: string): Status | null;
  /** QueueingHint registrations by plugin. */
  readonly queueingHints: ReadonlyMap<string, readonly ClusterEventWithHint[]>;
}

/** queueingStrategy: what an event (or the events of a pod's attempt) mean for a pod. */
export enum QueueingStrategy {
  Skip = 0,
  AfterBackoff = 1,
  Immediately = 2,
}

interface InFlightEvent {
  event: ClusterEvent;
  oldObj: unknown;
  newObj: unknown;
}

interface Entry {
  info: QueuedPodInfo;
  /** Insertion counter: heaps are not stable, so ties resolve by it. */
  seq: number;
  /** Which structure holds the entry; stale heap entries are skipped on pop. */
  where: 'active' | 'backoff' | 'unschedulable' | 'inflight' | 'gone';
  /** Virtual ms at which the pod stops backing off (a whole second; 0 = no backoff). */
  backoffExpiry: number;
  /** Cluster events received while the pod was being scheduled (in-flight events). */
  inFlightEvents: InFlightEvent[];
}

/** Which queue a requeue put the pod in. */
export type QueueName = 'active' | 'backoff' | 'unschedulable';

const noProfile = (): QueueProfile | undefined => undefined;

export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly activeQ: TinyQueue<Entry>;
  private readonly backoffQ: TinyQueue<Entry>;
  private readonly errorBackoffQ: TinyQueue<Entry>;
  /** unschedulablePods, gated pods included; Map order is the order pods were parked. */
  private readonly unschedulable = new Map<string, Entry>();
  /** Entries popped and not yet done or requeued (usually one). */
  private readonly inflight = new Set<Entry>();
  /** registrationsFor's memo: profile → event kind → matching registrations. */
  private readonly matching = new Map<
    QueueProfile,
    Map<string, Array<[string, ClusterEventWithHint]>>
  >();
  private seq = 0;

  /**
   * `profileOf` gives a pod's profile (PreEnqueue, hints); `profiles` all of them, for
   * isEventOfInterest and the gating plugins' events. Without profiles nothing gates and
   * every event requeues every parked pod.
   */
  constructor(
    less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean,
    readonly config: QueueConfig = DEFAULT_QUEUE_CONFIG,
    private readonly profileOf: (pod: SimPod) => QueueProfile | undefined = noProfile,
    private readonly profiles: readonly QueueProfile[] = [],
  ) {
    this.activeQ = new TinyQueue<Entry>([], (a, b) => {
      if (less(a.info, b.info)) return -1;
      if (less(b.info, a.info)) return 1;
      return a.seq - b.seq;
    });
    // lessBackoffCompletedWithPriority: by window, then as activeQ orders (with the feature).
    const ordered = config.popFromBackoffQ;
    this.backoffQ = new TinyQueue<Entry>([], (a, b) => {
      const d = a.backoffExpiry - b.backoffExpiry;
      if (d !== 0 || !ordered) return d || a.seq - b.seq;
      if (less(a.info, b.info)) return -1;
      if (less(b.info, a.info)) return 1;
      return a.seq - b.seq;
    });
    this.errorBackoffQ = new TinyQueue<Entry>(
      [],
      (a, b) => a.backoffExpiry - b.backoffExpiry || a.seq - b.seq,
    );
  }

  /** Add: a new pod goes to activeQ, or is parked gated if a PreEnqueue plugin rejects it. */
  add(pod: SimPod, now: number): void {
    const existing = this.entries.get(pod.key);
    if (existing && existing.where !== 'gone') return;
    const entry: Entry = {
      info: {
        pod,
        timestamp: now,
        attempts: 0,
        initialAttemptTimestamp: now,
        unschedulablePlugins: new Set(),
        pendingPlugins: new Set(),
        gatingPlugin: '',
        gatingPluginEvents: [],
      },
      seq: this.seq++,
      where: 'gone',
      backoffExpiry: 0,
      inFlightEvents: [],
    };
    this.entries.set(pod.key, entry);
    this.moveToActiveQ(entry, false);
  }

  /** Removes a pod that was deleted or bound by someone else. */
  delete(pod: SimPod): void {
    const e = this.entries.get(pod.key);
    if (!e) return;
    e.where = 'gone';
    this.inflight.delete(e);
    this.entries.delete(pod.key);
    this.unschedulable.delete(pod.key);
  }

  has(pod: SimPod): boolean {
    return this.entries.has(pod.key);
  }

  /** Whether the pod waits gated by a PreEnqueue plugin. */
  isGated(pod: SimPod): boolean {
    const e = this.entries.get(pod.key);
    return e !== undefined && e.where === 'unschedulable' && e.info.gatingPlugin !== '';
  }

  get activeCount(): number {
    this.dropStale(this.activeQ, 'active');
    return this.activeQ.length;
  }

  /** Whether pop() would return a pod: activeQ, or podBackoffQ when popping from it is on. */
  hasPoppable(): boolean {
    if (this.activeCount > 0) return true;
    if (!this.config.popFromBackoffQ) return false;
    this.dropStale(this.backoffQ, 'backoff');
    return this.backoffQ.length > 0;
  }

  /** Counts by structure, for metrics and tests. */
  sizes(): { active: number; backoff: number; unschedulable: number; inflight: number } {
    let active = 0;
    let backoff = 0;
    let inflight = 0;
    for (const e of this.entries.values()) {
      if (e.where === 'active') active++;
      else if (e.where === 'backoff') backoff++;
      else if (e.where === 'inflight') inflight++;
    }
    return { active, backoff, unschedulable: this.unschedulable.size, inflight };
  }

  /**
   * Pops the next pod to schedule; it stays "in flight" until done/requeued. With an empty
   * activeQ and SchedulerPopFromBackoffQ, the head of podBackoffQ, backing off or not. The
   * rejecting plugins of the last attempt are forgotten (activeQueue.unlockedPop).
   */
  pop(): QueuedPodInfo | undefined {
    this.dropStale(this.activeQ, 'active');
    let e = this.activeQ.pop();
    if (!e && this.config.popFromBackoffQ) {
      this.dropStale(this.backoffQ, 'backoff');
      e = this.backoffQ.pop();
    }
    if (!e) return undefined;
    e.where = 'inflight';
    this.inflight.add(e);
    e.inFlightEvents = [];
    e.info.attempts++;
    e.info.unschedulablePlugins.clear();
    e.info.pendingPlugins.clear();
    return e.info;
  }

  /** calculateBackoffDuration: initial × 2^(attempts−1), capped; 0 before any attempt. */
  backoffDuration(attempts: number): number {
    if (attempts <= 0) return 0;
    const max = this.config.podMaxBackoffMs;
    let d = this.config.podInitialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      if (d > max - d) return max;
      d += d;
    }
    return d;
  }

  /**
   * When a pod last tried at `timestamp` stops backing off: the end of the ordering window
   * holding its expiry (feature on), else the first flush tick at or after the expiry.
   */
  backoffCompletes(timestamp: number, attempts: number): number {
    if (attempts <= 0) return 0;
    const expiry = timestamp + this.backoffDuration(attempts);
    const w = BACKOFF_ORDERING_WINDOW_MS;
    return this.config.popFromBackoffQ ? Math.floor(expiry / w) * w + w : Math.ceil(expiry / w) * w;
  }

  /**
   * AddUnschedulableIfNotPresent: the pod's attempt failed. Its rejecting plugins
   * (info.unschedulablePlugins/pendingPlugins, both empty for an error) decide, with the
   * events seen while it was in flight, whether it waits in unschedulablePods or goes to
   * backoffQ/activeQ. A pod whose binding failed after it left the queue is taken back.
   */
  requeue(info: QueuedPodInfo, now: number): QueueName {
    let e = this.entries.get(info.pod.key);
    if (!e || e.info !== info) {
      e = { info, seq: this.seq++, where: 'gone', backoffExpiry: 0, inFlightEvents: [] };
      this.entries.set(info.pod.key, e);
    }
    this.inflight.delete(e);
    this.unschedulable.delete(info.pod.key);
    info.timestamp = now;
    e.backoffExpiry = this.backoffCompletes(now, info.attempts);
    const strategy = this.hintForInFlightPod(e);
    e.inFlightEvents = [];
    return this.requeueWithStrategy(e, strategy, now);
  }

  /** Scheduling succeeded (assumed, permitted): the pod leaves the queue. */
  done(pod: SimPod): void {
    this.delete(pod);
  }

  /**
   * MoveAllToActiveOrBackoffQueue: a cluster event happened. Each parked pod whose rejecting
   * plugins' hints say Queue moves (gated pods only on their gating plugin's events); pods in
   * flight remember the event. `preCheck` narrows the pods looked at. Returns how many moved.
   */
  moveAllToActiveOrBackoffQueue(
    event: ClusterEvent,
    oldObj: unknown,
    newObj: unknown,
    now: number,
    preCheck?: (pod: SimPod) => boolean,
  ): number {
    if (!this.isEventOfInterest(event)) return 0;
    let moved = 0;
    // A copy: a pod moved may be parked again (gated), which re-inserts it.
    for (const e of this.unschedulable.size ? [...this.unschedulable.values()] : []) {
      if (preCheck && !preCheck(e.info.pod)) continue;
      if (this.moveOnEvent(e, event, oldObj, newObj, now) !== 'unschedulable') moved++;
    }
    for (const e of this.inflight) e.inFlightEvents.push({ event, oldObj, newObj });
    return moved;
  }

  /**
   * Update of an unscheduled pod (PriorityQueue.Update): in flight, the update events are
   * remembered; in activeQ/backoffQ nothing moves; parked, each update event is judged by the
   * hints like a cluster event, and the pod leaves on the first that moves it. Returns
   * whether it moved to activeQ or backoffQ.
   */
  update(oldPod: SimPod, newPod: SimPod, events: readonly ClusterEvent[], now: number): boolean {
    const e = this.entries.get(newPod.key);
    if (!e) return false;
    if (e.where === 'inflight') {
      for (const event of events) e.inFlightEvents.push({ event, oldObj: oldPod, newObj: newPod });
      return false;
    }
    if (e.where !== 'unschedulable') return false;
    for (const event of events) {
      const strategy = this.worthRequeuing(e.info, event, oldPod, newPod);
      if (strategy === QueueingStrategy.Skip) continue;
      this.unschedulable.delete(newPod.key);
      if (this.requeueWithStrategy(e, strategy, now) !== 'unschedulable') return true;
    }
    return false;
  }

  /** Moves entries done backing off to activeQ (flushBackoffQCompleted), both heaps. */
  flushBackoff(now: number): void {
    for (const q of [this.backoffQ, this.errorBackoffQ]) {
      for (;;) {
        this.dropStale(q, 'backoff');
        const top = q.peek();
        if (!top || top.backoffExpiry > now) break;
        q.pop();
        top.where = 'gone';
        this.moveToActiveQ(top, true);
      }
    }
  }

  /**
   * flushUnschedulablePodsLeftover (the 30 s loop): pods whose last attempt is strictly older
   * than the limit move, as on a wildcard event, which a gated pod's gating plugin never
   * registered.
   */
  flushUnschedulableLeftover(now: number): number {
    const limit = this.config.podMaxInUnschedulablePodsDurationMs;
    const due: Entry[] = [];
    // Non-gated entries are parked in the order of their last attempt, so the scan can stop
    // at the first one parked too recently.
    for (const e of this.unschedulable.values()) {
      if (e.info.gatingPlugin !== '') continue;
      if (now - e.info.timestamp <= limit) break;
      due.push(e);
    }
    let moved = 0;
    for (const e of due) {
      if (
        this.moveOnEvent(e, EventUnschedulableTimeout, undefined, undefined, now) !==
        'unschedulable'
      )
        moved++;
    }
    return moved;
  }

  /** Last-attempt time of the pod parked longest in unschedulablePods (not gated), if any. */
  earliestUnschedulableSince(): number | undefined {
    for (const e of this.unschedulable.values()) {
      if (e.info.gatingPlugin === '') return e.info.timestamp;
    }
    return undefined;
  }

  /** Pods currently parked in unschedulablePods (not gated). */
  unschedulablePods(): QueuedPodInfo[] {
    return [...this.unschedulable.values()]
      .filter((e) => e.info.gatingPlugin === '')
      .map((e) => e.info);
  }

  /** The earliest instant a pod in either backoff heap stops backing off. */
  nextBackoffExpiry(): number | undefined {
    this.dropStale(this.backoffQ, 'backoff');
    this.dropStale(this.errorBackoffQ, 'backoff');
    const a = this.backoffQ.peek()?.backoffExpiry;
    const b = this.errorBackoffQ.peek()?.backoffExpiry;
    if (a === undefined) return b;
    return b === undefined ? a : Math.min(a, b);
  }

  // ---- moving pods -----------------------------------------------------------------------

  /** One parked pod and one event: movePodsToActiveOrBackoffQueue's loop body. */
  private moveOnEvent(
    e: Entry,
    event: ClusterEvent,
    oldObj: unknown,
    newObj: unknown,
    now: number,
  ): QueueName {
    const info = e.info;
    if (info.gatingPlugin !== '' && !matchAnyClusterEvent(event, info.gatingPluginEvents))
      return 'unschedulable';
    const strategy = this.worthRequeuing(info, event, oldObj, newObj);
    if (strategy === QueueingStrategy.Skip) return 'unschedulable';
    this.unschedulable.delete(info.pod.key);
    return this.requeueWithStrategy(e, strategy, now);
  }

  /** requeuePodWithQueueingStrategy. */
  private requeueWithStrategy(e: Entry, strategy: QueueingStrategy, now: number): QueueName {
    if (strategy === QueueingStrategy.Skip) {
      this.park(e);
      return 'unschedulable';
    }
    if (strategy === QueueingStrategy.AfterBackoff && e.backoffExpiry > now) {
      return this.moveToBackoffQ(e) ? 'backoff' : 'unschedulable';
    }
    return this.moveToActiveQ(e, false) ? 'active' : 'unschedulable';
  }

  /**
   * moveToActiveQ: PreEnqueue first (not again for a pod leaving backoffQ when it ran on the
   * way in, SchedulerPopFromBackoffQ); a gated pod is parked instead.
   */
  private moveToActiveQ(e: Entry, fromBackoff: boolean): boolean {
    if (!(this.config.popFromBackoffQ && fromBackoff)) this.runPreEnqueue(e);
    if (e.info.gatingPlugin !== '') {
      this.park(e);
      return false;
    }
    this.unschedulable.delete(e.info.pod.key);
    e.where = 'active';
    this.activeQ.push(e);
    return true;
  }

  /** moveToBackoffQ: with SchedulerPopFromBackoffQ PreEnqueue runs here; errors to their heap. */
  private moveToBackoffQ(e: Entry): boolean {
    if (this.config.popFromBackoffQ) {
      this.runPreEnqueue(e);
      if (e.info.gatingPlugin !== '') {
        this.park(e);
        return false;
      }
    }
    this.unschedulable.delete(e.info.pod.key);
    e.where = 'backoff';
    const error = e.info.unschedulablePlugins.size === 0 && e.info.pendingPlugins.size === 0;
    (error ? this.errorBackoffQ : this.backoffQ).push(e);
    return true;
  }

  private park(e: Entry): void {
    e.where = 'unschedulable';
    if (!this.unschedulable.has(e.info.pod.key)) this.unschedulable.set(e.info.pod.key, e);
  }

  /** runPreEnqueuePlugins: records the gating plugin (a rejector) and the events it waits for. */
  private runPreEnqueue(e: Entry): void {
    const info = e.info;
    const s = this.profileOf(info.pod)?.runPreEnqueue(info.pod, info.gatingPlugin) ?? null;
    if (!s) {
      info.gatingPlugin = '';
      info.gatingPluginEvents = [];
      return;
    }
    info.unschedulablePlugins.add(s.plugin);
    if (info.gatingPlugin !== s.plugin) {
      info.gatingPlugin = s.plugin;
      info.gatingPluginEvents = this.pluginEvents(s.plugin);
    }
  }

  /** pluginToEventsMap: what a plugin registered, over every profile. */
  private pluginEvents(plugin: string): ClusterEvent[] {
    const out: ClusterEvent[] = [];
    for (const p of this.profiles) {
      for (const h of p.queueingHints.get(plugin) ?? []) out.push(h.event);
    }
    return out;
  }

  /** isEventOfInterest: a wildcard, or an event some plugin of some profile registered. */
  private isEventOfInterest(event: ClusterEvent): boolean {
    if (isWildCard(event) || this.profiles.length === 0) return true;
    return this.profiles.some((p) => this.registrationsFor(p, event).length > 0);
  }

  /**
   * The profile's registrations matching an event, with their plugin: the QueueingHintMap
   * entries MatchClusterEvents selects, computed once per kind of event (they never change).
   */
  private registrationsFor(
    profile: QueueProfile,
    event: ClusterEvent,
  ): ReadonlyArray<[string, ClusterEventWithHint]> {
    let byEvent = this.matching.get(profile);
    if (!byEvent) this.matching.set(profile, (byEvent = new Map()));
    const key = `${event.resource}/${event.actionType}`;
    let regs = byEvent.get(key);
    if (!regs) {
      regs = [];
      for (const [plugin, hints] of profile.queueingHints) {
        for (const h of hints) if (matchClusterEvents(h.event, event)) regs.push([plugin, h]);
      }
      byEvent.set(key, regs);
    }
    return regs;
  }

  /**
   * isPodWorthRequeuing: only the hints of the plugins that rejected the pod count. A Pending
   * plugin's Queue skips the backoff; an Unschedulable plugin's Queue respects it; no plugin
   * (an error) or a wildcard event always requeues after the backoff. A hint that throws
   * counts as Queue (upstream: a hint error), so a pod is never stuck on a broken hint.
   */
  worthRequeuing(
    info: QueuedPodInfo,
    event: ClusterEvent,
    oldObj: unknown,
    newObj: unknown,
  ): QueueingStrategy {
    const pending = info.pendingPlugins;
    if (info.unschedulablePlugins.size === 0 && pending.size === 0)
      return QueueingStrategy.AfterBackoff;
    if (isWildCard(event)) return QueueingStrategy.AfterBackoff;
    const profile = this.profileOf(info.pod);
    if (!profile) return QueueingStrategy.AfterBackoff;
    let strategy = QueueingStrategy.Skip;
    for (const [plugin, h] of this.registrationsFor(profile, event)) {
      if (!info.unschedulablePlugins.has(plugin) && !pending.has(plugin)) continue;
      if (callHint(h, info.pod, oldObj, newObj) === QueueingHint.QueueSkip) continue;
      if (pending.has(plugin)) return QueueingStrategy.Immediately;
      if (pending.size === 0) return QueueingStrategy.AfterBackoff;
      strategy = QueueingStrategy.AfterBackoff;
    }
    return strategy;
  }

  /** determineSchedulingHintForInFlightPod. */
  private hintForInFlightPod(e: Entry): QueueingStrategy {
    const info = e.info;
    if (info.unschedulablePlugins.size === 0 && info.pendingPlugins.size === 0)
      return QueueingStrategy.AfterBackoff;
    let strategy = QueueingStrategy.Skip;
    for (const { event, oldObj, newObj } of e.inFlightEvents) {
      const s = this.worthRequeuing(info, event, oldObj, newObj);
      if (s === QueueingStrategy.Immediately) return s;
      if (s === QueueingStrategy.AfterBackoff) {
        strategy = s;
        if (info.pendingPlugins.size === 0) return s;
      }
    }
    return strategy;
  }

  /** Heap entries whose pod moved elsewhere are skipped lazily, never searched for. */
  private dropStale(q: TinyQueue<Entry>, where: Entry['where']): void {
    while (q.length) {
      const top = q.peek()!;
      if (top.where === where && this.entries.get(top.info.pod.key) === top) return;
      q.pop();
    }
  }
}

function callHint(
  h: ClusterEventWithHint,
  pod: SimPod,
  oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  if (!h.queueingHintFn) return QueueingHint.Queue;
  try {
    return h.queueingHintFn(pod, oldObj, newObj);
  } catch {
    return QueueingHint.Queue;
  }
}
