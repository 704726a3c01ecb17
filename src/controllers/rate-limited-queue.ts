/**
 * Upstream's scheduler.RateLimitedTimedQueue (pkg/controller/nodelifecycle/scheduler): a
 * set-backed FIFO of node names drained through a token bucket with burst 1
 * (flowcontrol.NewTokenBucketRateLimiter(qps, EvictionRateLimiterBurst = 1)); qps ≤ 0 is the
 * never-accepting limiter. Node lifecycle keeps one per zone for NoExecute tainting.
 */

/** A token bucket with burst 1, in integer virtual ms; starts full as x/time/rate does. */
export class TokenBucket {
  /** Virtual instant at which the bucket was last emptied. */
  private emptiedAt = -Infinity;
  /** ms per token; Infinity for the never-accepting limiter. */
  readonly periodMs: number;

  constructor(readonly qps: number) {
    this.periodMs = qps > 0 ? 1000 / qps : Infinity;
  }

  tryAccept(now: number): boolean {
    if (this.periodMs === Infinity || now - this.emptiedAt < this.periodMs) return false;
    this.emptiedAt = now;
    return true;
  }

  /** The first instant tryAccept can succeed (Infinity for the never limiter). */
  nextTokenAt(): number {
    return this.periodMs === Infinity ? Infinity : this.emptiedAt + this.periodMs;
  }
}

/** What to do with the queue head: true when done (it leaves the queue), false to retry it. */
export type QueueAction = (node: string) => boolean;

export class RateLimitedTimedQueue {
  private queue: string[] = [];
  /** Names queued or already processed since their last Remove (UniqueQueue's set). */
  private readonly set = new Set<string>();
  limiter: TokenBucket;

  constructor(qps: number) {
    this.limiter = new TokenBucket(qps);
  }

  get length(): number {
    return this.queue.length;
  }

  /** Adds unless the name is queued or was processed and not Removed since (UniqueQueue.Add). */
  add(node: string): boolean {
    if (this.set.has(node)) return false;
    this.set.add(node);
    this.queue.push(node);
    return true;
  }

  /** Forgets the name entirely, so a later add queues it again (UniqueQueue.Remove). */
  remove(node: string): void {
    if (!this.set.delete(node)) return;
    this.queue = this.queue.filter((n) => n !== node);
  }

  /** Forgets everything (a new controller-manager leader starts with empty queues). */
  clear(): void {
    this.queue = [];
    this.set.clear();
  }

  /**
   * RateLimitedTimedQueue.Try: every item taken needs a token; an item that is done leaves
   * the queue but stays in the set (RemoveFromQueue), one that failed stays at the head.
   */
  try(now: number, fn: QueueAction): void {
    while (this.queue.length > 0) {
      if (!this.limiter.tryAccept(now)) return;
      const head = this.queue[0]!;
      if (!fn(head)) continue;
      this.queue.shift();
    }
  }

  /**
   * SwapLimiter: a new full bucket at the new rate, drained when the old one had no token
   * (the right thing for burst 1, as upstream's comment says); nothing changes at equal QPS.
   */
  swapLimiter(qps: number, now: number): void {
    if (this.limiter.qps === qps) return;
    const next = new TokenBucket(qps);
    if (qps > 0 && !this.limiter.tryAccept(now)) next.tryAccept(now);
    this.limiter = next;
  }
}
