/**
 * The `ksim run` progress bar: virtual seconds done of the total, and events per wall second.
 * The simulation reports often (every DEFAULT_PROGRESS_EVERY events, a counter check); drawing
 * is throttled here by wall time, which only the CLI layer may read.
 */

/** What the reporter needs of a bar (cli-progress's SingleBar has it). */
export interface ProgressBar {
  start(total: number, value: number, payload: { eps: number }): void;
  update(value: number, payload: { eps: number }): void;
  stop(): void;
}

/** At most one redraw per this many wall ms (a terminal cannot show more). */
export const MIN_REDRAW_MS = 100;

export class ProgressReporter {
  private readonly started: number;
  private lastDraw: number;

  constructor(
    private readonly bar: ProgressBar,
    private readonly totalMs: number,
    /** Wall clock in ms. */
    private readonly clock: () => number,
    private readonly minRedrawMs = MIN_REDRAW_MS,
  ) {
    this.started = clock();
    this.lastDraw = this.started;
    bar.start(seconds(totalMs), 0, { eps: 0 });
  }

  /** Called by the simulation with virtual time and events processed so far. */
  onProgress(nowMs: number, events: number): void {
    const now = this.clock();
    if (now - this.lastDraw < this.minRedrawMs) return;
    this.lastDraw = now;
    this.bar.update(seconds(nowMs), { eps: this.eventsPerSecond(events, now) });
  }

  /** The end of the run: the bar full, with the events/s of the whole run. */
  finish(events: number): void {
    this.bar.update(seconds(this.totalMs), { eps: this.eventsPerSecond(events, this.clock()) });
    this.bar.stop();
  }

  private eventsPerSecond(events: number, now: number): number {
    return Math.round(events / Math.max((now - this.started) / 1000, 1e-3));
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}
