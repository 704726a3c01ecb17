import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';

describe('scenarios/batch-trace.yaml', () => {
  const scenario = loadScenario('scenarios/batch-trace.yaml');
  const r = runSimulation(scenario);
  const pods = r.metrics.pods;

  it('builds the 1,523 openb machines from the trace node list', () => {
    expect(scenario.nodes).toHaveLength(1523);
    expect(scenario.pools).toEqual([{ name: 'openb', zones: ['zone-a', 'zone-b'], count: 1523 }]);
  });

  it('replays the 452 pods of the window, the first 104.3 s in and the last at 11 101.95 s', () => {
    // openb-pod-0048 was created at trace second 9 992 086: (9 992 086 − 9 990 000) × 0.05 s.
    expect(pods).toHaveLength(452);
    expect([pods[0]!.metadata.name, pods[0]!.times.created]).toEqual([
      'openb-openb-pod-0048',
      104_300,
    ]);
    const last = pods[pods.length - 1]!;
    expect([last.metadata.name, last.times.created]).toEqual(['openb-openb-pod-0499', 11_101_950]);
  });

  it('schedules every pod on the trace cluster', () => {
    expect(pods.filter((p) => p.spec.nodeName === undefined)).toEqual([]);
  });
});
