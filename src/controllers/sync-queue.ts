/**
 * A controller's work queue, event-driven: `enqueue(key, delay)` keeps at most one pending
 * sync per key (the earliest asked for), so a burst of watch events in one instant costs one
 * sync. A sync returns when it wants to run again (a backoff expiring, minReadySeconds
 * elapsing, a refused write to retry) instead of anybody polling.
 *
 * Leader-gated like kube-controller-manager: while the controller-manager has no leader,
 * due syncs are parked and run when leadership returns.
 *
 * A sync whose write hangs in etcd (ApiGate.blocking) blocks its key as a worker blocks on
 * its request: the key runs again when the write resolves — at once if it committed (the sync
 * then finds its work done or redoes it), after the sync's own retry delay if it failed.
 */
import type { SimContext } from '../components/context.js';
import type { Engine, Timer } from '../engine/engine.js';

/** Upstream controllers retry failed API calls with rate-limited backoff; we retry after 1 s. */
export const API_RETRY_MS = 1000;

/** What a sync asks for: run again after this many ms, or nothing. */
export type SyncResult = number | undefined;

/**
 * Schedules `fire` for `key` at `at`, keeping at most one timer per key in `timers`: an
 * earlier request replaces a later one, a later request is dropped (client-go's delaying queue
 * keeps the earliest ready time of a waiting item the same way).
 */
export function scheduleEarliest(
  engine: Engine,
  timers: Map<string, Timer>,
  key: string,
  at: number,
  fire: () => void,
): void {
  const existing = timers.get(key);
  if (existing && !existing.cancelled && existing.time <= at) return;
  if (existing) engine.cancel(existing);
  timers.set(
    key,
    engine.scheduleAt(at, () => {
      timers.delete(key);
      fire();
    }),
  );
}

export class SyncQueue {
  private readonly pending = new Map<string, Timer>();
  private readonly later = new Map<string, Timer>();
  private readonly parked = new Set<string>();
  /** Keys whose sync waits on a hanging write; `dirty` if enqueued meanwhile. */
  private readonly blocked = new Map<string, { dirty: boolean }>();

  constructor(
    private readonly ctx: SimContext,
    private readonly sync: (key: string) => SyncResult,
  ) {
    ctx.leaders.controllerManager.onChange((active) => {
      if (!active) return;
      const keys = [...this.parked];
      this.parked.clear();
      for (const k of keys) this.enqueue(k);
    });
  }

  enqueue(key: string, delayMs = 0): void {
    const blocked = this.blocked.get(key);
    if (blocked) {
      blocked.dirty = true;
      return;
    }
    const engine = this.ctx.engine;
    const at = engine.now + Math.max(0, Math.ceil(delayMs));
    scheduleEarliest(engine, this.pending, key, at, () => {
      if (!this.ctx.leaders.controllerManager.active) {
        this.parked.add(key);
        return;
      }
      const { result: again, hang } = this.ctx.api.blocking(() => this.sync(key));
      if (!hang) {
        if (again !== undefined) this.enqueue(key, again);
        return;
      }
      const state = { dirty: false };
      this.blocked.set(key, state);
      hang.then((ok) => {
        this.blocked.delete(key);
        if (ok || state.dirty) this.enqueue(key);
        else if (again !== undefined) this.enqueue(key, again);
      });
    });
  }

  /**
   * The delaying queue's AddAfter, as a controller calls it from an event handler or at the
   * end of a sync: a re-check at now + delayMs that an earlier sync of the key does not cancel
   * (unlike the delay a sync returns, which the next sync recomputes). Earliest request wins.
   */
  addAfter(key: string, delayMs: number): void {
    const engine = this.ctx.engine;
    const at = engine.now + Math.max(0, Math.ceil(delayMs));
    scheduleEarliest(engine, this.later, key, at, () => this.enqueue(key));
  }
}

/** The earlier of two optional requeue delays. */
export function sooner(a: SyncResult, b: SyncResult): SyncResult {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
