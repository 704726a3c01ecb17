import { describe, it, expect } from '@jest/globals';
import { buildComparison, comparableMetrics, comparisonCsv } from './comparison.js';
import { withDirs } from './policies.js';

describe('comparableMetrics', () => {
  const cases: Array<[string, Record<string, unknown>, Array<[string, number | null]>]> = [
    [
      'keeps numbers and nulls and skips objects it has no rule for',
      { nodesUsedMean: 3.5, schedulingLatencyP99: null, outcomes: { Succeeded: 4 }, name: 'x' },
      [
        ['nodesUsedMean', 3.5],
        ['schedulingLatencyP99', null],
      ],
    ],
    [
      'averages availability over workloads',
      { availability: { 'Deployment/default/web': 0.9, 'Deployment/default/api': 1 } },
      [['availabilityMean', 0.95]],
    ],
    [
      'gives no availability mean for a run without workloads',
      { availability: {} },
      [['availabilityMean', null]],
    ],
    [
      'takes time to recover from the recovery rows, leaving out failures that never recovered',
      {
        recovery: [
          { failure: 'fail-node a', recover_s: 40 },
          { failure: 'fail-node b', recover_s: 100 },
          { failure: 'fail-zone z', recover_s: null },
        ],
      },
      [
        ['timeToRecoverMean', 70],
        ['timeToRecoverMax', 100],
      ],
    ],
    [
      'averages Service availability over Services',
      {
        serviceAvailability: [
          { service: 'default/web', available: 1, meanReadyFraction: 0.9 },
          { service: 'default/api', available: 0.5, meanReadyFraction: 0.4 },
        ],
      },
      [['serviceAvailabilityMean', 0.75]],
    ],
    [
      'prefers a component’s own availabilityMean to the derived one',
      { availabilityMean: 0.5, availability: { a: 1 } },
      [['availabilityMean', 0.5]],
    ],
  ];
  it.each(cases)('%s', (_name, metrics, expected) => {
    expect([...comparableMetrics(metrics)]).toEqual(expected);
  });
});

describe('buildComparison', () => {
  // Three seeds; "pack" uses 2, 2.5 and 1.5 fewer nodes than "spread": Δ mean −2, sd 0.5.
  const c = buildComparison({
    scenario: 'demo',
    seeds: [1, 2, 3],
    policies: ['spread', 'pack'],
    metrics: [
      [{ nodesUsedMean: 1 }, { nodesUsedMean: 2 }, { nodesUsedMean: 3 }],
      [{ nodesUsedMean: -1 }, { nodesUsedMean: -0.5 }, { nodesUsedMean: 1.5 }],
    ],
    dirs: [
      ['runs/spread/seed-1', 'runs/spread/seed-2', 'runs/spread/seed-3'],
      ['runs/pack/seed-1', 'runs/pack/seed-2', 'runs/pack/seed-3'],
    ],
  });

  it('summarizes the baseline with a Student-t interval: mean 2 ± t(0.975, 2)·1/√3', () => {
    expect(c.rows[0]).toEqual({
      metric: 'nodesUsedMean',
      label: 'Nodes used mean',
      unit: 'nodes',
      policy: 'spread',
      n: 3,
      mean: 2,
      sd: 1,
      ciLow: -0.4841377118,
      ciHigh: 4.484137712,
    });
  });

  it('pairs the other policy with the baseline by seed: Δ −2 ± t(0.975, 2)·0.5/√3 excludes zero', () => {
    expect(c.rows[1]).toMatchObject({
      policy: 'pack',
      mean: 0,
      diffMean: -2,
      diffSd: 0.5,
      diffCiLow: -3.242068856,
      diffCiHigh: -0.7579311441,
      excludesZero: true,
    });
  });

  it('keeps every run’s value and links every run directory in policy × seed order', () => {
    expect(c.values).toEqual({
      nodesUsedMean: { spread: [1, 2, 3], pack: [-1, -0.5, 1.5] },
    });
    expect(c.runs.map((r) => `${r.policy}/${r.seed}=${r.dir}`)).toEqual([
      'spread/1=runs/spread/seed-1',
      'spread/2=runs/spread/seed-2',
      'spread/3=runs/spread/seed-3',
      'pack/1=runs/pack/seed-1',
      'pack/2=runs/pack/seed-2',
      'pack/3=runs/pack/seed-3',
    ]);
    expect(c.baseline).toBe('spread');
    expect(c.keyMetrics).toEqual(['nodesUsedMean']);
  });

  it('writes comparison.csv with empty difference cells on the baseline row', () => {
    expect(comparisonCsv(c.rows)).toBe(
      'metric,policy,n,mean,sd,ci_low,ci_high,diff_mean,diff_sd,diff_ci_low,diff_ci_high,diff_excludes_zero\n' +
        'nodesUsedMean,spread,3,2,1,-0.4841377118,4.484137712,,,,,\n' +
        'nodesUsedMean,pack,3,0,1.322875656,-3.286205304,3.286205304,-2,0.5,-3.242068856,-0.7579311441,true\n',
    );
  });

  it('orders metrics as the catalogue does, takes a run’s missing metric as null and leaves out metrics undefined in every run', () => {
    const d = buildComparison({
      scenario: 'demo',
      seeds: [1, 2],
      policies: ['a', 'b'],
      metrics: [
        [
          { zeta: 1, evictions: 0, schedulingLatencyP99: 2, recovery: [] },
          { zeta: 1, evictions: 1, schedulingLatencyP99: 3, recovery: [] },
        ],
        [{ evictions: 0, schedulingLatencyP99: 2, timeToRecoverMean: null }, { evictions: 2 }],
      ],
      dirs: [
        ['a1', 'a2'],
        ['b1', 'b2'],
      ],
    });
    expect([...new Set(d.rows.map((r) => r.metric))]).toEqual([
      'schedulingLatencyP99',
      'evictions',
      'zeta',
    ]);
    expect(d.values.schedulingLatencyP99).toEqual({ a: [2, 3], b: [2, null] });
    // One pair left: no spread, so no interval and no verdict.
    expect(d.rows[1]).toMatchObject({ policy: 'b', n: 1, diffMean: 0, diffCiLow: null });
    expect(d.rows[1]!.excludesZero).toBe(false);
  });
});

describe('withDirs', () => {
  it('makes policy names safe as directory names and keeps them unique', () => {
    const dirs = withDirs([
      { name: 'most-allocated', profile: 'most-allocated' },
      {
        name: 'tuned:most-allocated',
        profile: 'most-allocated',
        schedulerConfigFile: 'tuned.yaml',
      },
      { name: 'tuned/most-allocated', profile: 'most-allocated', schedulerConfigFile: 'x.yaml' },
      { name: '..', profile: 'p' },
    ]).map((p) => p.dir);
    expect(dirs).toEqual(['most-allocated', 'tuned_most-allocated', 'tuned_most-allocated-3', '_']);
  });
});
