import { describe, expect, it } from '@jest/globals';
import { RngStreams, type Rng } from '../../engine/rng.js';
import { applyTraceOptions, type TraceOptions } from './options.js';
import type { TraceJob } from './record.js';

function job(id: string, submitMs: number, durationMs?: number): TraceJob {
  const j: TraceJob = {
    id,
    submitMs,
    cpuMilli: 1000,
    memoryBytes: 1024,
    gpu: 0,
    gpuMilli: 0,
    count: 1,
    line: 2,
  };
  if (durationMs !== undefined) j.durationMs = durationMs;
  return j;
}

/** Hands out the given uniforms in order and fails the test if asked for more. */
function scripted(values: number[]): Rng {
  let i = 0;
  return {
    next() {
      if (i >= values.length) throw new Error(`rng asked for draw ${i + 1} of ${values.length}`);
      return values[i++];
    },
    int: () => {
      throw new Error('int() is not used here');
    },
  };
}

const times = (jobs: TraceJob[]) => jobs.map((j) => [j.id, j.submitMs]);

describe('applyTraceOptions', () => {
  const jobs = [job('a', 0), job('b', 1000), job('c', 2000), job('d', 3000)];

  it.each<[string, TraceOptions, (string | number)[][]]>([
    [
      'keeps all jobs and starts at the first one by default',
      {},
      [
        ['a', 0],
        ['b', 1000],
        ['c', 2000],
        ['d', 3000],
      ],
    ],
    [
      'keeps jobs submitted in [from, until) and starts at from',
      { window: { fromMs: 1000, untilMs: 3000 } },
      [
        ['b', 0],
        ['c', 1000],
      ],
    ],
    [
      'keeps the gap between the window start and the first job',
      { window: { fromMs: 500 } },
      [
        ['b', 500],
        ['c', 1500],
        ['d', 2500],
      ],
    ],
    [
      'moves the first kept job to 0 with rebase first-job',
      { window: { fromMs: 500 }, rebase: 'first-job' },
      [
        ['b', 0],
        ['c', 1000],
        ['d', 2000],
      ],
    ],
    [
      'keeps trace times with rebase none',
      { window: { fromMs: 500, untilMs: 2500 }, rebase: 'none' },
      [
        ['b', 1000],
        ['c', 2000],
      ],
    ],
    ['returns nothing for a window with no job', { window: { fromMs: 3001 } }, []],
  ])('%s', (_name, opts, expected) => {
    expect(times(applyTraceOptions(jobs, opts))).toEqual(expected);
  });

  it('sorts by submit time and keeps the original order among equal times', () => {
    const out = applyTraceOptions([job('x', 2000), job('y', 1000), job('z', 1000)]);
    expect(times(out)).toEqual([
      ['y', 0],
      ['z', 0],
      ['x', 1000],
    ]);
  });

  it('scales submit offsets and durations by timeScale, rounding to whole ms', () => {
    const out = applyTraceOptions([job('a', 100, 3), job('b', 1101), job('c', 2100, 5000)], {
      timeScale: 0.5,
    });
    expect(out.map((j) => [j.id, j.submitMs, j.durationMs])).toEqual([
      ['a', 0, 2],
      ['b', 501, undefined],
      ['c', 1000, 2500],
    ]);
    expect('durationMs' in out[1]).toBe(false);
  });

  it('keeps a job when its draw is below a loadScale under 1', () => {
    const out = applyTraceOptions(jobs, { loadScale: 0.5, rng: scripted([0.2, 0.7, 0.49, 0.5]) });
    expect(times(out)).toEqual([
      ['a', 0],
      ['c', 2000],
    ]);
  });

  it('makes whole copies plus one more when the draw is below the fraction', () => {
    const out = applyTraceOptions([job('a', 0), job('b', 10)], {
      loadScale: 2.5,
      rng: scripted([0.4, 0.6]),
    });
    expect(times(out)).toEqual([
      ['a', 0],
      ['a-copy-2', 0],
      ['a-copy-3', 0],
      ['b', 10],
      ['b-copy-2', 10],
    ]);
  });

  it('draws nothing for a whole loadScale', () => {
    const out = applyTraceOptions([job('a', 0)], { loadScale: 2, rng: scripted([]) });
    expect(times(out)).toEqual([
      ['a', 0],
      ['a-copy-2', 0],
    ]);
    expect(applyTraceOptions(jobs, { loadScale: 0 })).toEqual([]);
  });

  it('draws only for jobs inside the window', () => {
    const out = applyTraceOptions(jobs, {
      window: { fromMs: 2000 },
      loadScale: 0.5,
      rng: scripted([0.9, 0.1]),
    });
    expect(times(out)).toEqual([['d', 1000]]);
  });

  it('selects the same jobs for the same seed and leaves its input alone', () => {
    const many = Array.from({ length: 200 }, (_, i) => job(`j${i}`, i * 10));
    const pick = (seed: number) =>
      applyTraceOptions(many, { loadScale: 0.3, rng: new RngStreams(seed).stream('trace') }).map(
        (j) => j.id,
      );
    expect(pick(7)).toEqual(pick(7));
    expect(pick(7)).not.toEqual(pick(8));
    expect(many[100]).toEqual(job('j100', 1000));
  });

  it.each<[string, TraceOptions, string]>([
    [
      'an empty window',
      { window: { fromMs: 10, untilMs: 10 } },
      'window.untilMs (10) must be after window.fromMs (10)',
    ],
    [
      'a fractional window bound',
      { window: { fromMs: 0.5 } },
      'window.fromMs must be an integer number of ms, got 0.5',
    ],
    ['a timeScale of 0', { timeScale: 0 }, 'timeScale must be a number greater than 0, got 0'],
    ['a negative loadScale', { loadScale: -1 }, 'loadScale must be a number at least 0, got -1'],
    [
      'a fractional loadScale without an rng',
      { loadScale: 0.5 },
      'loadScale 0.5 has a fractional part and needs an rng',
    ],
  ])('rejects %s', (_name, opts, message) => {
    expect(() => applyTraceOptions(jobs, opts)).toThrow(message);
  });
});
