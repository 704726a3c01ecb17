/**
 * The progress bar of `ksim run`: the engine reports every DEFAULT_PROGRESS_EVERY events (often
 * enough to move), the reporter redraws at most every MIN_REDRAW_MS of wall time (a fake clock
 * here), and the final draw is full with the whole run's events/s.
 */
import { describe, expect, it } from '@jest/globals';
import { MIN_REDRAW_MS, ProgressReporter, type ProgressBar } from '../../src/cli/progress.js';
import { DEFAULT_PROGRESS_EVERY, Engine } from '../../src/engine/engine.js';

class FakeBar implements ProgressBar {
  readonly calls: string[] = [];
  start(total: number, value: number, p: { eps: number }): void {
    this.calls.push(`start ${value}/${total} ${p.eps}`);
  }
  update(value: number, p: { eps: number }): void {
    this.calls.push(`update ${value} ${p.eps}`);
  }
  stop(): void {
    this.calls.push('stop');
  }
}

describe('engine progress', () => {
  it('calls onProgress every DEFAULT_PROGRESS_EVERY (2048) events by default', () => {
    expect(DEFAULT_PROGRESS_EVERY).toBe(2048);
    const engine = new Engine();
    for (let i = 0; i < 10_000; i++) engine.schedule(i, () => undefined);
    const seen: number[] = [];
    engine.run({ onProgress: (now) => seen.push(now) });
    expect(seen).toEqual([2047, 4095, 6143, 8191]);
  });
});

describe('ProgressReporter', () => {
  it('redraws at most every MIN_REDRAW_MS of wall time, with events per wall second', () => {
    let wall = 1000;
    const bar = new FakeBar();
    const p = new ProgressReporter(bar, 3_600_000, () => wall);
    wall += MIN_REDRAW_MS - 1;
    p.onProgress(60_000, 2048); // too soon: not drawn
    wall += 1;
    p.onProgress(120_000, 4096); // 100 ms in: 4096 events / 0.1 s
    wall += 50;
    p.onProgress(180_000, 6144); // 50 ms later: not drawn
    wall += 50;
    p.onProgress(240_000, 8192); // 200 ms in
    expect(bar.calls).toEqual(['start 0/3600 0', 'update 120 40960', 'update 240 40960']);
  });

  it('the final draw is the whole run, with its events/s, then the bar stops', () => {
    let wall = 0;
    const bar = new FakeBar();
    const p = new ProgressReporter(bar, 7_200_000, () => wall);
    wall = 2500;
    p.finish(1_000_000);
    expect(bar.calls).toEqual(['start 0/7200 0', 'update 7200 400000', 'stop']);
  });

  it('a run shorter than a millisecond of wall time does not divide by zero', () => {
    const bar = new FakeBar();
    new ProgressReporter(bar, 1000, () => 5).finish(10);
    expect(bar.calls).toEqual(['start 0/1 0', 'update 1 10000', 'stop']);
  });
});
