/**
 * Ready vs desired for DaemonSets and Jobs in timeseries.csv (controllers/workload-status-series.ts),
 * on a real run: the DaemonSet wants a pod on each added node at once and has it Ready only after
 * its startup; a failed node, tainted unreachable:NoSchedule, no longer counts as desired (as
 * upstream's desiredNumberScheduled). The Job wants `parallelism` pods until its last
 * completions, then none.
 */
import { describe, it, expect } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countIndexes, jobDesired } from '../../src/controllers/workload-status-series.js';
import type { Job } from '../../src/controllers/job.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';

const SCENARIO = `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: status-series}
spec:
  seed: 1
  duration: 30m
  metrics: {sampleInterval: 1m}
  nodePools:
    - name: n
      count: 4
      zones: [zone-a]
      template:
        status: {allocatable: {cpu: "16", memory: 64Gi, pods: "110"}}
  timeline:
    - {at: 15m, action: add-nodes, pool: n, count: 2}
    - {at: 25m, action: fail-node, target: {node: n-0}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: default}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata:
      labels: {app: agent}
      annotations: {ksim.dev/startup: 3m}
    spec:
      containers: [{name: a, image: agent, resources: {requests: {cpu: 100m, memory: 100Mi}}}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: crunch, namespace: default}
spec:
  completions: 6
  parallelism: 3
  template:
    metadata:
      annotations: {ksim.dev/duration: 4m, ksim.dev/startup: 2s}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: crunch, resources: {requests: {cpu: "1", memory: 1Gi}}}]
`;

function runColumns(): (name: string) => number[] {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-status-series-'));
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, SCENARIO);
  const r = runSimulation(loadScenario(file));
  const header = r.metrics.timeseriesHeader();
  return (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name} in ${header.join(',')}`);
    return r.metrics.samples.map((row) => Number(row[i]));
  };
}

describe('DaemonSet and Job ready vs desired in timeseries.csv', () => {
  const column = runColumns();
  const minute = (values: number[], m: number) => values[m]!;

  it('charts the DaemonSet: a pod wanted per node, Ready after its startup; a failed node no longer desired', () => {
    const ready = column('workload:DaemonSet/default/agent:ready');
    const desired = column('workload:DaemonSet/default/agent:desired');
    // 3 min startup: nothing Ready at 1 min, all four at 5 min.
    expect([minute(desired, 1), minute(ready, 1)]).toEqual([4, 0]);
    expect([minute(desired, 5), minute(ready, 5)]).toEqual([4, 4]);
    // Two nodes added at 15 min: wanted at once, Ready 3 min later.
    expect([minute(desired, 16), minute(ready, 16)]).toEqual([6, 4]);
    expect([minute(desired, 20), minute(ready, 20)]).toEqual([6, 6]);
    // n-0 fails at 25 min: NotReady after the 50 s grace and tainted, so out of desired.
    expect([minute(desired, 28), minute(ready, 28)]).toEqual([5, 5]);
  });

  it('charts the Job: parallelism 3 wanted and ready until the last completions, then nothing', () => {
    const ready = column('workload:Job/default/crunch:ready');
    const desired = column('workload:Job/default/crunch:desired');
    // Two waves of three 4-minute pods: both running at 2 min and at 6 min.
    expect([minute(desired, 2), minute(ready, 2)]).toEqual([3, 3]);
    expect([minute(desired, 6), minute(ready, 6)]).toEqual([3, 3]);
    // Complete after about 8 min: desired 0.
    expect([minute(desired, 12), minute(ready, 12)]).toEqual([0, 0]);
  });
});

describe('jobDesired', () => {
  const job = (spec: Job['spec'], status: Partial<Job['status']> = {}) =>
    ({ spec, status }) as unknown as Job;

  it.each([
    [
      'min(parallelism, completions − succeeded)',
      job({ completions: 5, parallelism: 3 }, { succeeded: 3 }),
      2,
    ],
    ['one pod for a Job with neither field', job({}), 1],
    [
      'parallelism for a work queue before any success',
      job({ completions: null, parallelism: 4 }),
      4,
    ],
    [
      'the active pods for a work queue once one succeeded',
      job({ completions: null, parallelism: 4 }, { succeeded: 1, active: 2 }),
      2,
    ],
    ['nothing while suspended', job({ completions: 5, parallelism: 3, suspend: true }), 0],
    [
      'nothing once Complete',
      job(
        { completions: 5, parallelism: 3 },
        { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: 0 }] },
      ),
      0,
    ],
    [
      'completed indexes for an Indexed Job',
      job(
        { completions: 8, parallelism: 4, completionMode: 'Indexed' },
        { completedIndexes: '0,2-6' },
      ),
      2,
    ],
  ])('wants %s', (_name, j, want) => {
    expect(jobDesired(j)).toBe(want);
  });

  it('counts completed index lists', () => {
    expect([countIndexes(''), countIndexes('3'), countIndexes('1,3-5,7')]).toEqual([0, 1, 5]);
  });
});
