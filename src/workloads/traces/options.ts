// What every trace replay can ask for, whatever the reader: a slice of trace time, a faster or
// slower clock, more or fewer jobs, and trace time moved to the simulation's time 0.
import type { Rng } from '../../engine/rng.js';
import type { TraceJob } from './record.js';

export interface TraceWindow {
  /** Keep jobs submitted at or after this trace time (ms). */
  fromMs?: number;
  /** Keep jobs submitted before this trace time (ms). */
  untilMs?: number;
}

/**
 * `window-start` (default): trace time `window.fromMs` becomes 0, or the first kept job's submit
 * time when there is no `fromMs`; `first-job`: the first kept job arrives at 0 even when the
 * window starts earlier; `none`: trace times are kept.
 */
export type TraceRebase = 'window-start' | 'first-job' | 'none';

export interface TraceOptions {
  window?: TraceWindow;
  /**
   * Multiplies submit offsets and durations: 0.5 replays the trace twice as fast, every job also
   * running half as long, so the offered load (work per unit time) is the same as in the trace.
   */
  timeScale?: number;
  /**
   * Expected copies of each job: 0.3 keeps each job with probability 0.3, 2.5 makes two copies
   * plus a third with probability 0.5. Needs `rng` whenever it has a fractional part.
   */
  loadScale?: number;
  rng?: Rng;
  rebase?: TraceRebase;
}

function requireTime(name: string, v: number | undefined): void {
  if (v !== undefined && !Number.isSafeInteger(v)) {
    throw new RangeError(`${name} must be an integer number of ms, got ${v}`);
  }
}

/**
 * Returns the jobs to replay, sorted by (submitMs, original order); copies made by `loadScale`
 * follow their original and are named `<id>-copy-<k>` (k ≥ 2). Random draws happen in that sorted
 * order, one per job inside the window, so a seed always selects the same jobs. O(n log n).
 */
export function applyTraceOptions(jobs: readonly TraceJob[], opts: TraceOptions = {}): TraceJob[] {
  const { fromMs, untilMs } = opts.window ?? {};
  const timeScale = opts.timeScale ?? 1;
  const loadScale = opts.loadScale ?? 1;
  const rebase = opts.rebase ?? 'window-start';
  requireTime('window.fromMs', fromMs);
  requireTime('window.untilMs', untilMs);
  if (fromMs !== undefined && untilMs !== undefined && untilMs <= fromMs) {
    throw new RangeError(`window.untilMs (${untilMs}) must be after window.fromMs (${fromMs})`);
  }
  if (!(Number.isFinite(timeScale) && timeScale > 0)) {
    throw new RangeError(`timeScale must be a number greater than 0, got ${timeScale}`);
  }
  if (!(Number.isFinite(loadScale) && loadScale >= 0)) {
    throw new RangeError(`loadScale must be a number at least 0, got ${loadScale}`);
  }
  const whole = Math.floor(loadScale);
  const fraction = loadScale - whole;
  if (fraction > 0 && opts.rng === undefined) {
    throw new RangeError(`loadScale ${loadScale} has a fractional part and needs an rng`);
  }

  const inWindow = jobs
    .map((job, order) => ({ job, order }))
    .filter(
      ({ job }) =>
        (fromMs === undefined || job.submitMs >= fromMs) &&
        (untilMs === undefined || job.submitMs < untilMs),
    )
    .sort((a, b) => a.job.submitMs - b.job.submitMs || a.order - b.order);

  const kept: TraceJob[] = [];
  for (const { job } of inWindow) {
    // Drawing only when there is a fraction keeps whole scales from consuming the stream.
    const copies = whole + (fraction > 0 && opts.rng!.next() < fraction ? 1 : 0);
    for (let k = 1; k <= copies; k++)
      kept.push(k === 1 ? job : { ...job, id: `${job.id}-copy-${k}` });
  }
  if (kept.length === 0) return [];

  let base = 0;
  if (rebase === 'first-job') base = kept[0].submitMs;
  else if (rebase === 'window-start') base = fromMs ?? kept[0].submitMs;

  return kept.map((job) => {
    const out: TraceJob = { ...job, submitMs: Math.round((job.submitMs - base) * timeScale) };
    if (job.durationMs !== undefined) out.durationMs = Math.round(job.durationMs * timeScale);
    return out;
  });
}
