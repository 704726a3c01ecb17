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
      'takes time to recover from the recovery rows and counts the failures',
      {
        recovery: [
          { failure: 'fail-node a', at_s: 600, recover_s: 40 },
          { failure: 'fail-node b', at_s: 1200, recover_s: 100 },
        ],
      },
      [
        ['timeToRecoverMean', 70],
        ['timeToRecoverMax', 100],
        ['unrecoveredFailures', 0],
      ],
    ],
    [
      'has no time to recover nor unrecovered count for a run without failures',
      { recovery: [] },
      [
        ['timeToRecoverMean', null],
        ['timeToRecoverMax', null],
        ['unrecoveredFailures', null],
      ],
    ],
    [
      'gives no time to recover when a failure never recovered and the run’s end is unknown',
      {
        recovery: [
          { failure: 'fail-node a', at_s: 600, recover_s: 40 },
          { failure: 'fail-zone z', at_s: 3000, recover_s: null },
        ],
      },
      [
        ['timeToRecoverMean', null],
        ['timeToRecoverMax', null],
        ['unrecoveredFailures', 1],
      ],
    ],
  ];
  it.each(cases)('%s', (_name, metrics, expected) => {
    expect([...comparableMetrics(metrics)]).toEqual(expected);
  });

  it('censors a failure that never recovered at the run’s end: a lower bound, never left out', () => {
    const metrics = {
      recovery: [
        { failure: 'fail-node a', at_s: 600, recover_s: 40 },
        { failure: 'fail-zone z', at_s: 3000, recover_s: null },
      ],
    };
    // Run end 3600 s: the zone failure counts 600 s, so mean (40 + 600) / 2.
    expect([...comparableMetrics(metrics, 3600)]).toEqual([
      ['timeToRecoverMean', 320],
      ['timeToRecoverMax', 600],
      ['unrecoveredFailures', 1],
    ]);
    // A policy under which the zone never recovers cannot look faster than one where it takes
    // 500 s: dropping the failure would give it a mean of 40.
    const recovered = {
      recovery: [
        { failure: 'fail-node a', at_s: 600, recover_s: 40 },
        { failure: 'fail-zone z', at_s: 3000, recover_s: 500 },
      ],
    };
    expect(comparableMetrics(metrics, 3600).get('timeToRecoverMean')!).toBeGreaterThan(
      comparableMetrics(recovered, 3600).get('timeToRecoverMean')!,
    );
  });
});

describe('comparableMetrics, other objects', () => {
  const cases: Array<[string, Record<string, unknown>, Array<[string, number | null]>]> = [
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
      'metric,label,unit,policy,n,mean,sd,ci_low,ci_high,diff_n,diff_mean,diff_sd,diff_ci_low,diff_ci_high,diff_excludes_zero\n' +
        'nodesUsedMean,Nodes used mean,nodes,spread,3,2,1,-0.4841377118,4.484137712,,,,,,\n' +
        'nodesUsedMean,Nodes used mean,nodes,pack,3,0,1.322875656,-3.286205304,3.286205304,3,-2,0.5,-3.242068856,-0.7579311441,true\n',
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
    expect(d.rows[1]).toMatchObject({ policy: 'b', n: 1, diffN: 1, diffMean: 0, diffCiLow: null });
    expect(d.rows[1]!.excludesZero).toBe(false);
  });
});

describe('buildComparison with failures', () => {
  it('censors unrecovered failures at each run’s own end, so never recovering costs time', () => {
    const fail = (recover_s: number | null) => ({
      recovery: [{ failure: 'fail-zone z', at_s: 1000, recover_s }],
    });
    const c = buildComparison({
      scenario: 'demo',
      seeds: [1, 2],
      policies: ['recovers', 'stuck'],
      metrics: [
        [fail(300), fail(400)],
        [fail(null), fail(null)],
      ],
      dirs: [
        ['r1', 'r2'],
        ['s1', 's2'],
      ],
      endSeconds: [
        [3600, 7200],
        [3600, 7200],
      ],
    });
    expect(c.values.timeToRecoverMean).toEqual({ recovers: [300, 400], stuck: [2600, 6200] });
    expect(c.values.unrecoveredFailures).toEqual({ recovers: [0, 0], stuck: [1, 1] });
    const stuck = c.rows.find((r) => r.metric === 'timeToRecoverMean' && r.policy === 'stuck')!;
    expect(stuck.diffMean).toBe(4050);
    expect(c.keyMetrics).toEqual(['timeToRecoverMean', 'unrecoveredFailures']);
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
