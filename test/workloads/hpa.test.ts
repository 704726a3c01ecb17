/**
 * HPA timeline (fixtures/hpa-step.yaml): 2 replicas of 500m using 90 % each, target 50 %;
 * startup 2 s (default). Syncs every 15 s from 15 s.
 *   15 s  pods Ready since 2 s, less than one 15 s metric window → no usable metric
 *   30 s  90 % / 50 % = 1.8 → ceil(1.8 × 2) = 4 (legacy cap max(2 × 2, 4) = 4): 2 → 4
 *   45 s+ demand 900m shared by 4 pods → 45 % → 0.9, within tolerance: stays 4
 *   120 s load × 0.1 → 4 % → recommendation 1, but 4 was recommended until 105 s: the
 *         highest recommendation of the last 300 s (inclusive) wins until 405 s
 *   420 s 105 s has left the window → 4 → 1, 300 s after the load dropped.
 */
import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';

describe('HorizontalPodAutoscaler', () => {
  it('scales 2 → 4 at the 30 s sync and waits 300 s of lower load before scaling down to 1', () => {
    const r = runSimulation(loadScenario('test/workloads/fixtures/hpa-step.yaml'));
    const hpaEvents = r.metrics.events
      .filter((e) => e.kind === 'HorizontalPodAutoscaler')
      .map((e) => `t=${e.time / 1000} ${e.reason} ${e.message}`);
    expect(hpaEvents).toEqual([
      't=15 FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: unable to get metrics for resource cpu: did not receive metrics for any ready pods',
      't=30 SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target',
      't=420 SuccessfulRescale New size: 1; reason: All metrics below target',
    ]);
    const col = (name: string): number => r.metrics.timeseriesHeader().indexOf(name);
    const desired = col('workload:Deployment/default/web:desired');
    const ready = col('workload:Deployment/default/web:ready');
    const at = (s: number): Array<number | string> =>
      r.metrics.samples.find((row) => Number(row[0]) === s)!;
    expect([at(15)[desired], at(45)[desired], at(405)[desired], at(420)[desired]]).toEqual([
      2, 4, 4, 1,
    ]);
    expect(at(45)[ready]).toBe(4);
  });
});
