/**
 * HPA timeline (fixtures/hpa-step.yaml): 4 replicas of 500m using 90 % each, target 60 %,
 * minReplicas 1, maxReplicas 10; startup 2 s (default). Syncs every 15 s from 15 s. Every
 * count the formula gives falls strictly between the clamps (minReplicas 1, the legacy
 * scale-up cap max(2 × current, 4), maxReplicas 10), so each is the formula's own.
 *   15 s  pods Ready since 2 s, less than one 15 s metric window → no usable metric
 *   30 s  90 % / 60 % = 1.5 → ceil(1.5 × 4) = 6 (cap max(2 × 4, 4) = 8): 4 → 6
 *   45 s+ demand 4 × 450m = 1800m shared by 6 pods → 300m = 60 % → ratio 1: stays 6 (at 45 s
 *         only the 4 old pods count — the 2 new ones Ready since 32 s, < one window — and they
 *         read 450m × 4/6 = 300m too)
 *   120 s load × 0.2 → 1800m × 0.2 / 6 = 60m = 12 % → 0.2 → ceil(0.2 × 6) = 2 (> minReplicas
 *         1), but 6 was recommended until 105 s: the highest recommendation of the last 300 s
 *         (inclusive) wins until 405 s
 *   420 s 105 s has left the window → 6 → 2, 300 s after the load dropped.
 */
import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';

describe('HorizontalPodAutoscaler', () => {
  it('scales 4 → 6 at the 30 s sync and waits 300 s of lower load before scaling down to 2', () => {
    const r = runSimulation(loadScenario('test/workloads/fixtures/hpa-step.yaml'));
    const hpaEvents = r.metrics.events
      .filter((e) => e.kind === 'HorizontalPodAutoscaler')
      .map((e) => `t=${e.time / 1000} ${e.reason} ${e.message}`);
    expect(hpaEvents).toEqual([
      't=15 FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: unable to get metrics for resource cpu: did not receive metrics for targeted pods (pods might be unready)',
      't=30 SuccessfulRescale New size: 6; reason: cpu resource utilization (percentage of request) above target',
      't=420 SuccessfulRescale New size: 2; reason: All metrics below target',
    ]);
    const col = (name: string): number => r.metrics.timeseriesHeader().indexOf(name);
    const desired = col('workload:Deployment/default/web:desired');
    const ready = col('workload:Deployment/default/web:ready');
    const at = (s: number): Array<number | string> =>
      r.metrics.samples.find((row) => Number(row[0]) === s)!;
    expect([at(15)[desired], at(45)[desired], at(405)[desired], at(420)[desired]]).toEqual([
      4, 6, 6, 2,
    ]);
    expect(at(45)[ready]).toBe(6);
  });
});
