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
import type { Timer } from '../engine/engine.js';

/** Upstream controllers retry failed API calls with rate-limited backoff; we retry after 1 s. */
export const API_RETRY_MS = 1000;

/** What a sync asks for: run again after this many ms, or nothing. */
export type SyncResult = number | undefined;

export class SyncQueue {
  private readonly pending = new Map<string, Timer>();
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
    const existing = this.pending.get(key);
    if (existing && !existing.cancelled && existing.time <= at) return;
    if (existing) engine.cancel(existing);
    this.pending.set(
      key,
      engine.scheduleAt(at, () => {
        this.pending.delete(key);
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
      }),
    );
  }
}

/** The earlier of two optional requeue delays. */
export function sooner(a: SyncResult, b: SyncResult): SyncResult {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
