/**
 * A controller's work queue (client-go workqueue, simplified for virtual time): keys are
 * deduplicated and processed in insertion order by one drain event at the current instant,
 * so every watch notification of one instant is handled by a single sync, after the
 * notifying component has finished — as an informer handler that only enqueues.
 *
 * The queue is gated by the controller-manager's leader election: without a leader nothing
 * is processed (keys wait), and when leadership returns the owner resyncs everything.
 *
 * A sync that failed (the apiserver refused a write) is retried with a per-key exponential
 * backoff: 1 s doubling to 60 s, reset by a successful sync. Upstream's default controller
 * rate limiter starts at 5 ms and caps at 1000 s; with writes refused for whole outages the
 * coarser 1 s … 60 s keeps the event count low while recovering within a minute of the
 * apiserver coming back.
 *
 * A sync whose write hangs in etcd (ApiGate.blocking) blocks its key until the write
 * resolves, as the worker waits on its request: committed → the key syncs again at once;
 * failed → the backoff counts from the failure. Adds meanwhile mark it dirty (synced again
 * right after), as client-go's processing set does.
 */
import type { Timer } from '../engine/engine.js';
import type { SimContext } from '../components/context.js';
import type { PendingWrite } from '../model/api.js';
import { scheduleEarliest } from './sync-queue.js';

export type SyncResult = 'done' | 'retry';

export const RETRY_INITIAL_MS = 1000;
export const RETRY_MAX_MS = 60_000;
/** A sync that keeps re-adding itself within one instant is a controller bug, not a workload. */
const MAX_SYNCS_PER_INSTANT = 100_000;

export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly later = new Map<string, Timer>();
  /** Keys whose sync waits on a hanging write → whether they were added meanwhile. */
  private readonly blocked = new Map<string, boolean>();
  private drainTimer: Timer | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly sync: (key: string) => SyncResult,
    /** Enqueues every object the controller owns (called when leadership returns). */
    resyncAll: () => void,
  ) {
    ctx.leaders.controllerManager.onChange((active) => {
      if (active) resyncAll();
    });
  }

  get active(): boolean {
    return this.ctx.leaders.controllerManager.active;
  }

  add(key: string): void {
    if (this.blocked.has(key)) {
      this.blocked.set(key, true);
      return;
    }
    this.queued.add(key);
    this.arm();
  }

  /** Processes the key at now + delayMs (keeps the earliest of several requests). */
  addAfter(key: string, delayMs: number): void {
    const at = this.ctx.engine.now + Math.max(0, Math.ceil(delayMs));
    scheduleEarliest(this.ctx.engine, this.later, key, at, () => this.add(key));
  }

  private arm(): void {
    if (this.drainTimer || this.queued.size === 0 || !this.active) return;
    this.drainTimer = this.ctx.engine.schedule(0, () => this.drain());
  }

  private drain(): void {
    this.drainTimer = undefined;
    let n = 0;
    while (this.queued.size > 0 && this.active) {
      if (++n > MAX_SYNCS_PER_INSTANT) {
        throw new Error(`work queue did not settle at ${this.ctx.engine.now} ms`);
      }
      const key = this.queued.values().next().value as string;
      this.queued.delete(key);
      const { result, hang } = this.ctx.api.blocking(() => this.sync(key));
      if (hang) this.blockOn(key, hang);
      else if (result === 'done') this.failures.delete(key);
      else this.failed(key);
    }
  }

  private failed(key: string): void {
    const k = this.failures.get(key) ?? 0;
    this.failures.set(key, k + 1);
    this.addAfter(key, Math.min(RETRY_INITIAL_MS * 2 ** k, RETRY_MAX_MS));
  }

  private blockOn(key: string, hang: PendingWrite): void {
    // The sync may have re-added its own key: that waits for the write too.
    this.blocked.set(key, this.queued.delete(key));
    hang.then((ok) => {
      const dirty = this.blocked.get(key) === true;
      this.blocked.delete(key);
      if (!ok) this.failed(key);
      if (ok || dirty) this.add(key);
    });
  }
}
