/**
 * The scheduling queue (pkg/scheduler/backend/queue): activeQ ordered by the profile's
 * QueueSort plugin, backoffQ ordered by backoff expiry, and unschedulablePods for pods a
 * plugin rejected, moved back on cluster events their rejecting plugins care about, or
 * flushed after podMaxInUnschedulablePodsDuration.
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
}

export const DEFAULT_QUEUE_CONFIG: QueueConfig = {
  podInitialBackoffMs: 1000,
  podMaxBackoffMs: 10_000,
  podMaxInUnschedulablePodsDurationMs: 5 * 60_000,
};

interface Entry {
  info: QueuedPodInfo;
  /** Insertion counter: heaps are not stable, so ties resolve by it. */
  seq: number;
  /** Which structure holds the entry; stale heap entries are skipped on pop. */
  where: 'active' | 'backoff' | 'unschedulable' | 'gated' | 'inflight' | 'gone';
  backoffExpiry: number;
  /** Virtual ms when the pod entered unschedulablePods. */
  unschedulableSince: number;
  /** A relevant event arrived while the pod was being scheduled (upstream's moveRequestCycle). */
  eventWhileInFlight: boolean;
}

export type MoveFilter = (info: QueuedPodInfo, event: ClusterEventKind) => boolean;

export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly activeQ: TinyQueue<Entry>;
  private readonly backoffQ: TinyQueue<Entry>;
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
    this.backoffQ = new TinyQueue<Entry>(
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
      unschedulableSince: 0,
      eventWhileInFlight: false,
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

  /** Pops the next pod to schedule; it stays "in flight" until done/requeued. */
  pop(): QueuedPodInfo | undefined {
    this.dropStale(this.activeQ, 'active');
    const e = this.activeQ.pop();
    if (!e) return undefined;
    e.where = 'inflight';
    this.inflight.add(e);
    e.eventWhileInFlight = false;
    e.info.attempts++;
    return e.info;
  }

  /** Backoff duration after `attempts` attempts: initial × 2^(attempts−1), capped. */
  backoffDuration(attempts: number): number {
    if (attempts <= 0) return 0;
    let d = this.config.podInitialBackoffMs;
    for (let i = 1; i < attempts && d < this.config.podMaxBackoffMs; i++) d *= 2;
    return Math.min(d, this.config.podMaxBackoffMs);
  }

  /**
   * The pod could not be scheduled. Plugin rejections park it in unschedulablePods (or
   * backoffQ if a relevant event arrived meanwhile); errors go to backoffQ.
   */
  requeueUnschedulable(info: QueuedPodInfo, now: number, rejectedByPlugins: boolean): void {
    const e = this.entries.get(info.pod.key);
    if (!e || e.where !== 'inflight') return;
    this.inflight.delete(e);
    info.timestamp = now;
    e.backoffExpiry = now + this.backoffDuration(info.attempts);
    if (!rejectedByPlugins || e.eventWhileInFlight) {
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
        unschedulableSince: 0,
        eventWhileInFlight: false,
      };
      this.entries.set(info.pod.key, e);
    }
    info.timestamp = now;
    e.backoffExpiry = now + this.backoffDuration(info.attempts);
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
    for (const e of this.inflight) e.eventWhileInFlight = true;
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

  /** Moves expired backoff entries to activeQ. Returns the next expiry still pending, if any. */
  flushBackoff(now: number): number | undefined {
    for (;;) {
      this.dropStale(this.backoffQ, 'backoff');
      const top = this.backoffQ.peek();
      if (!top) return undefined;
      if (top.backoffExpiry > now) return top.backoffExpiry;
      this.backoffQ.pop();
      top.where = 'active';
      this.activeQ.push(top);
    }
  }

  /** Moves pods that sat in unschedulablePods longer than the limit (the 30 s flush loop). */
  flushUnschedulableLeftover(now: number): number {
    let moved = 0;
    // Map order is insertion order and entries are (re)inserted at their park time, so the
    // scan can stop at the first pod parked too recently.
    for (const [key, e] of this.unschedulable) {
      if (e.where !== 'unschedulable') continue;
      if (now - e.unschedulableSince < this.config.podMaxInUnschedulablePodsDurationMs) break;
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

  nextBackoffExpiry(): number | undefined {
    this.dropStale(this.backoffQ, 'backoff');
    return this.backoffQ.peek()?.backoffExpiry;
  }

  private toBackoffOrActive(e: Entry, now: number): void {
    if (e.backoffExpiry > now) {
      e.where = 'backoff';
      this.backoffQ.push(e);
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
