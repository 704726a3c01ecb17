/**
 * The scheduling queue (pkg/scheduler/backend/queue, v1.35): activeQ ordered by the profile's
 * QueueSort plugin; backoffQ as two heaps ordered by backoff expiry — podBackoffQ for pods a
 * plugin rejected and podErrorBackoffQ for errors (bind failures); and unschedulablePods for
 * pods a plugin rejected, moved back on cluster events their rejecting plugins care about
 * (QueueingHints, from eventsToRegister), or flushed after podMaxInUnschedulablePodsDuration
 * by the 30 s loop (strictly longer than the limit, as upstream).
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
import type { ClusterEventKind, QueuedPodInfo } from './framework/interfaces.js';

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

interface Entry {
  info: QueuedPodInfo;
  /** Insertion counter: heaps are not stable, so ties resolve by it. */
  seq: number;
  /** Which structure holds the entry; stale heap entries are skipped on pop. */
  where: 'active' | 'backoff' | 'unschedulable' | 'gated' | 'inflight' | 'gone';
  /** Virtual ms at which the pod stops backing off (a whole second; 0 = no backoff). */
  backoffExpiry: number;
  /** Failed with an error, not a plugin rejection: podErrorBackoffQ, never popped early. */
  errorBackoff: boolean;
  /** Virtual ms when the pod entered unschedulablePods. */
  unschedulableSince: number;
  /** Cluster events received while the pod was being scheduled (in-flight events). */
  inFlightEvents: ClusterEventKind[];
}

export type MoveFilter = (info: QueuedPodInfo, event: ClusterEventKind) => boolean;

export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly activeQ: TinyQueue<Entry>;
  private readonly backoffQ: TinyQueue<Entry>;
  private readonly errorBackoffQ: TinyQueue<Entry>;
  private readonly unschedulable = new Map<string, Entry>();
  /** Entries popped and not yet done or requeued (usually one). */
  private readonly inflight = new Set<Entry>();
  private seq = 0;

  constructor(
    less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean,
    readonly config: QueueConfig = DEFAULT_QUEUE_CONFIG,
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

  /** New pod (or one re-created): straight to activeQ, or gated if PreEnqueue rejects. */
  add(pod: SimPod, now: number, gated = false): void {
    const existing = this.entries.get(pod.key);
    if (existing && existing.where !== 'gone') return;
    const entry: Entry = {
      info: {
        pod,
        timestamp: now,
        attempts: 0,
        initialAttemptTimestamp: now,
        unschedulablePlugins: new Set(),
      },
      seq: this.seq++,
      where: 'active',
      backoffExpiry: 0,
      errorBackoff: false,
      unschedulableSince: 0,
      inFlightEvents: [],
    };
    this.entries.set(pod.key, entry);
    if (gated) {
      entry.where = 'gated';
      this.unschedulable.set(pod.key, entry);
    } else {
      this.activeQ.push(entry);
    }
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
   * activeQ and SchedulerPopFromBackoffQ, the head of podBackoffQ, backing off or not.
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
   * The pod could not be scheduled. Plugin rejections park it in unschedulablePods, or
   * backoffQ if an event its rejecting plugins care about (`interested`; any event when not
   * given) arrived while it was in flight; errors go to podErrorBackoffQ.
   */
  requeueUnschedulable(
    info: QueuedPodInfo,
    now: number,
    rejectedByPlugins: boolean,
    interested?: MoveFilter,
  ): void {
    const e = this.entries.get(info.pod.key);
    if (!e || e.where !== 'inflight') return;
    this.inflight.delete(e);
    info.timestamp = now;
    e.backoffExpiry = this.backoffCompletes(now, info.attempts);
    e.errorBackoff = !rejectedByPlugins;
    const events = e.inFlightEvents;
    e.inFlightEvents = [];
    const relevant = interested ? events.some((ev) => interested(info, ev)) : events.length > 0;
    if (!rejectedByPlugins || relevant) {
      this.toBackoffOrActive(e, now);
    } else {
      e.where = 'unschedulable';
      e.unschedulableSince = now;
      this.unschedulable.set(info.pod.key, e);
    }
  }

  /** Binding failed (API refused or PreBind failed): to backoffQ. */
  requeueAfterBindFailure(info: QueuedPodInfo, now: number): void {
    let e = this.entries.get(info.pod.key);
    if (!e) {
      // done() already removed it when the binding cycle started; bring it back.
      e = {
        info,
        seq: this.seq++,
        where: 'gone',
        backoffExpiry: 0,
        errorBackoff: true,
        unschedulableSince: 0,
        inFlightEvents: [],
      };
      this.entries.set(info.pod.key, e);
    }
    info.timestamp = now;
    e.backoffExpiry = this.backoffCompletes(now, info.attempts);
    e.errorBackoff = true;
    this.inflight.delete(e);
    this.unschedulable.delete(info.pod.key);
    this.toBackoffOrActive(e, now);
  }

  /** Scheduling succeeded (assumed + bound): the pod leaves the queue. */
  done(pod: SimPod): void {
    this.delete(pod);
  }

  /**
   * A cluster event happened: pods whose rejecting plugins care about it move to
   * backoffQ/activeQ (QueueingHints); in-flight pods remember it.
   */
  moveOnEvent(event: ClusterEventKind, now: number, interested: MoveFilter): number {
    let moved = 0;
    for (const e of this.inflight) e.inFlightEvents.push(event);
    for (const [key, e] of this.unschedulable) {
      if (e.where !== 'unschedulable') continue;
      if (!interested(e.info, event)) continue;
      this.unschedulable.delete(key);
      this.toBackoffOrActive(e, now);
      moved++;
    }
    return moved;
  }

  /** Ungates a pod whose PreEnqueue now passes. */
  activateGated(pod: SimPod, now: number): void {
    const e = this.entries.get(pod.key);
    if (!e || e.where !== 'gated') return;
    this.unschedulable.delete(pod.key);
    e.info.timestamp = now;
    e.where = 'active';
    this.activeQ.push(e);
  }

  /** Moves entries done backing off to activeQ (flushBackoffQCompleted), both heaps. */
  flushBackoff(now: number): void {
    for (const q of [this.backoffQ, this.errorBackoffQ]) {
      for (;;) {
        this.dropStale(q, 'backoff');
        const top = q.peek();
        if (!top || top.backoffExpiry > now) break;
        q.pop();
        top.where = 'active';
        this.activeQ.push(top);
      }
    }
  }

  /**
   * Moves pods that sat in unschedulablePods strictly longer than the limit
   * (flushUnschedulablePodsLeftover, run by the 30 s loop).
   */
  flushUnschedulableLeftover(now: number): number {
    let moved = 0;
    // Map order is insertion order and entries are (re)inserted at their park time, so the
    // scan can stop at the first pod parked too recently.
    for (const [key, e] of this.unschedulable) {
      if (e.where !== 'unschedulable') continue;
      if (now - e.unschedulableSince <= this.config.podMaxInUnschedulablePodsDurationMs) break;
      this.unschedulable.delete(key);
      this.toBackoffOrActive(e, now);
      moved++;
    }
    return moved;
  }

  /** Park time of the pod parked longest in unschedulablePods, if any. */
  earliestUnschedulableSince(): number | undefined {
    for (const e of this.unschedulable.values()) {
      if (e.where === 'unschedulable') return e.unschedulableSince;
    }
    return undefined;
  }

  /** Pods currently parked in unschedulablePods (not gated). */
  unschedulablePods(): QueuedPodInfo[] {
    return [...this.unschedulable.values()]
      .filter((e) => e.where === 'unschedulable')
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

  private toBackoffOrActive(e: Entry, now: number): void {
    if (e.backoffExpiry > now) {
      e.where = 'backoff';
      (e.errorBackoff ? this.errorBackoffQ : this.backoffQ).push(e);
    } else {
      e.where = 'active';
      this.activeQ.push(e);
    }
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
