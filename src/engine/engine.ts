// The discrete-event core, after SimPy's Environment: a binary heap of events keyed by
// (time, seq). A binary heap is not stable, so `seq` — a per-engine insertion counter —
// breaks ties: events scheduled for the same millisecond run in the order they were
// scheduled, which makes every run reproducible.
import TinyQueue from 'tinyqueue';

export type Handler = () => void;

/** A scheduled event; pass it to `Engine.cancel` to keep it from running. */
export interface Timer {
  readonly time: number;
  readonly seq: number;
  cancelled: boolean;
}

export interface RunOptions {
  /** Process events with time <= until, then leave the clock at `until`. */
  until?: number;
  /** Called every `progressEvery` processed events (for a progress bar). */
  onProgress?: (now: number) => void;
  progressEvery?: number;
}

/** Often enough for a smooth bar at millions of events/s; the check is one decrement. */
export const DEFAULT_PROGRESS_EVERY = 2048;

/**
 * The heap entry is the Timer itself: one small object per event with a fixed shape, so the
 * comparator stays monomorphic and cancelling is a flag write (O(1)); cancelled entries are
 * dropped when they reach the top of the heap, never searched for.
 */
class Entry implements Timer {
  cancelled = false;
  constructor(
    readonly time: number,
    readonly seq: number,
    public fn: Handler,
  ) {}
}

function byTimeThenSeq(a: Entry, b: Entry): number {
  return a.time - b.time || a.seq - b.seq;
}

function noop(): void {}

export class Engine {
  private readonly queue = new TinyQueue<Entry>([], byTimeThenSeq);
  private clock = 0;
  private nextSeq = 0;
  private processed = 0;
  private stopRequested = false;
  private running = false;

  /** Virtual time in integer milliseconds since the start of the simulation. */
  get now(): number {
    return this.clock;
  }

  /** Handlers actually run; cancelled events are not counted. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Entries in the heap, including cancelled ones not yet popped. */
  get queued(): number {
    return this.queue.length;
  }

  schedule(delayMs: number, fn: Handler): Timer {
    if (!Number.isInteger(delayMs)) {
      throw new RangeError(`Delay must be an integer number of ms, got ${delayMs}`);
    }
    if (delayMs < 0) throw new RangeError(`Negative delay ${delayMs}`);
    const entry = new Entry(this.clock + delayMs, this.nextSeq++, fn);
    this.queue.push(entry);
    return entry;
  }

  scheduleAt(timeMs: number, fn: Handler): Timer {
    if (!Number.isInteger(timeMs)) {
      throw new RangeError(`Time must be an integer number of ms, got ${timeMs}`);
    }
    if (timeMs < this.clock)
      throw new RangeError(`Time ${timeMs} is in the past (now ${this.clock})`);
    const entry = new Entry(timeMs, this.nextSeq++, fn);
    this.queue.push(entry);
    return entry;
  }

  /** O(1). Cancelling an event that already ran, or twice, does nothing. */
  cancel(timer: Timer): void {
    timer.cancelled = true;
    // Let the handler's closure be collected while the entry waits in the heap.
    if (timer instanceof Entry) timer.fn = noop;
  }

  /** Runs the next event that is not cancelled; false when there is none. */
  step(): boolean {
    const entry = this.popLive();
    if (entry === undefined) return false;
    this.fire(entry);
    return true;
  }

  /**
   * Processes events in (time, seq) order until the queue is empty, the next event is later
   * than `until`, or a handler calls `stop()`. A handler that throws propagates out of run(),
   * with the clock at that event's time.
   */
  run(opts: RunOptions = {}): void {
    const { until, onProgress } = opts;
    const progressEvery = opts.progressEvery ?? DEFAULT_PROGRESS_EVERY;
    if (until !== undefined) {
      if (!Number.isInteger(until)) {
        throw new RangeError(`until must be an integer number of ms, got ${until}`);
      }
      if (until < this.clock)
        throw new RangeError('until must be greater than or equal to the current time');
    }
    if (!(Number.isInteger(progressEvery) && progressEvery > 0)) {
      throw new RangeError(`progressEvery must be a positive integer, got ${progressEvery}`);
    }
    if (this.running) throw new Error('run() called from inside a handler');

    const limit = until ?? Infinity;
    const queue = this.queue;
    let untilProgress = progressEvery;
    this.stopRequested = false;
    this.running = true;
    try {
      while (queue.length > 0) {
        const entry = queue.peek() as Entry;
        if (entry.cancelled) {
          queue.pop();
          continue;
        }
        if (entry.time > limit) break;
        queue.pop();
        this.fire(entry);
        if (this.stopRequested) return;
        if (--untilProgress === 0) {
          untilProgress = progressEvery;
          if (onProgress !== undefined) onProgress(this.clock);
        }
      }
      if (until !== undefined) this.clock = until;
    } finally {
      this.running = false;
    }
  }

  /** Called from a handler: run() returns once that handler finishes, the clock left at its time. */
  stop(): void {
    this.stopRequested = true;
  }

  private popLive(): Entry | undefined {
    let entry = this.queue.pop();
    while (entry !== undefined && entry.cancelled) entry = this.queue.pop();
    return entry;
  }

  private fire(entry: Entry): void {
    this.clock = entry.time;
    this.processed++;
    entry.fn();
  }
}
