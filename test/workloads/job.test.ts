import { describe, expect, it } from '@jest/globals';
import type { SimContext } from '../../src/components/context.js';
import {
  DEFAULT_JOB_CONTROLLER_CONFIG,
  JOB_KIND,
  podFailureBackoffMs,
  type Job,
} from '../../src/controllers/job.js';
import { INSTANT_SCHEDULER, eventsWith, podsOf, runYaml, simulation } from './batch-helpers.js';

const nodes = `  nodePools:
    - name: n
      count: 2
      template: {status: {allocatable: {cpu: '8', memory: 16Gi}}}
`;

function job(name: string, spec: string, annotations: string, restartPolicy = 'Never'): string {
  return `---
apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${spec}
  template:
    metadata: {annotations: {${annotations}}}
    spec:
      restartPolicy: ${restartPolicy}
      containers: [{name: w, image: w, resources: {requests: {cpu: '1'}}}]
`;
}

/** Keeps the Job object as it was when the run ended (or when it was deleted). */
function watchJob(name: string, sink: { job?: Job; deletedAt?: number }) {
  return (ctx: SimContext): void => {
    ctx.store.onObject(JOB_KIND, (e) => {
      if (e.obj.metadata.name !== name) return;
      sink.job = e.obj as Job;
      if (e.type === 'delete') sink.deletedAt = ctx.engine.now;
    });
  };
}

describe('pod failure back-off', () => {
  it.each([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [6, 320_000],
    [7, 600_000],
    [20, 600_000],
  ])('after %i failures waits %i ms (10 s doubling, MaxJobPodFailureBackOff 10 min)', (n, ms) => {
    expect(podFailureBackoffMs(n, DEFAULT_JOB_CONTROLLER_CONFIG)).toBe(ms);
  });
});

describe('Job controller', () => {
  it('retries a crashing pod at the upstream back-off instants and fails after backoffLimit', () => {
    const sink: { job?: Job } = {};
    const r = runYaml(
      simulation('10m', nodes) + job('crash', '  backoffLimit: 3', 'ksim.dev/crash: "1"'),
      { onStart: watchJob('crash', sink) },
    );
    // Each pod: bound 1 ms after creation, fails when its container starts 2 s later;
    // the next is created 10 s, 20 s, 40 s after the previous failure.
    expect(podsOf(r, 'crash-').map((p) => [p.times.created, p.times.finished, p.outcome])).toEqual([
      [0, 2_001, 'Failed'],
      [12_001, 14_002, 'Failed'],
      [34_002, 36_003, 'Failed'],
      [76_003, 78_004, 'Failed'],
    ]);
    expect(eventsWith(r, 'BackoffLimitExceeded', 'default/crash').map((e) => e.time)).toEqual([
      78_004,
    ]);
    expect(sink.job!.status.failed).toBe(4);
    expect(sink.job!.status.conditions!.map((c) => [c.type, c.reason])).toEqual([
      ['Failed', 'BackoffLimitExceeded'],
    ]);
  });

  it.each([
    // The pod is bound at 0 and every start crashes 5 s after it began; the kubelet restarts
    // it at once after the first crash, then after 10 s, 20 s (CrashLoopBackOff):
    //   crash 5 s → restart 5 (restartCount 1); crash 10 → restart 20 (2); crash 25 → 45 (3).
    // The Job fails at the sync that sees the restarts reach backoffLimit (any restart for 0).
    [0, 5_000, 1],
    [2, 20_000, 2],
    [3, 45_000, 3],
  ])(
    'restartPolicy OnFailure with backoffLimit %i fails the Job at %i ms, once the container restarts of its pods reach the limit',
    (limit, failedAt, restarts) => {
      const sink: { job?: Job } = {};
      const r = runYaml(
        simulation(
          '5m',
          `  controlPlane:
    ${INSTANT_SCHEDULER}
${nodes}`,
        ) +
          job(
            'onfail',
            `  backoffLimit: ${limit}`,
            'ksim.dev/crash: "1", ksim.dev/startup: 5s',
            'OnFailure',
          ),
        { onStart: watchJob('onfail', sink) },
      );
      expect(
        sink.job!.status.conditions!.map((c) => [c.type, c.reason, c.lastTransitionTime]),
      ).toEqual([['Failed', 'BackoffLimitExceeded', failedAt]]);
      // One pod, restarted in place, deleted when the Job fails.
      const pods = podsOf(r, 'onfail-');
      expect(pods.map((p) => [p.status.restartCount, p.times.finished])).toEqual([
        [restarts, failedAt],
      ]);
    },
  );

  it('runs an Indexed Job two at a time and completes when every index has succeeded', () => {
    const sink: { job?: Job } = {};
    const r = runYaml(
      simulation('10m', nodes) +
        job(
          'idx',
          '  completions: 3\n  parallelism: 2\n  completionMode: Indexed',
          'ksim.dev/duration: 30s',
        ),
      { onStart: watchJob('idx', sink) },
    );
    const pods = podsOf(r, 'idx-');
    expect(
      pods.map((p) => [
        p.metadata.labels['batch.kubernetes.io/job-completion-index'],
        p.metadata.annotations['batch.kubernetes.io/job-completion-index'],
        p.times.created,
        p.times.finished,
      ]),
    ).toEqual([
      ['0', '0', 0, 32_001],
      ['1', '1', 0, 32_001],
      ['2', '2', 32_001, 64_002],
    ]);
    expect(pods.map((p) => p.metadata.name)).toEqual(['idx-0-00000', 'idx-1-00001', 'idx-2-00002']);
    expect(eventsWith(r, 'Completed', 'default/idx').map((e) => e.time)).toEqual([64_002]);
    expect(sink.job!.status.completedIndexes).toBe('0-2');
    expect(sink.job!.status.succeeded).toBe(3);
  });

  it('fails a Job active longer than activeDeadlineSeconds and terminates its pod', () => {
    const r = runYaml(
      simulation('10m', nodes) +
        job('slow', '  activeDeadlineSeconds: 60', 'ksim.dev/duration: 5m'),
    );
    expect(eventsWith(r, 'DeadlineExceeded', 'default/slow').map((e) => e.time)).toEqual([60_000]);
    expect(podsOf(r, 'slow-').map((p) => [p.times.finished, p.outcome])).toEqual([
      [60_000, 'Deleted'],
    ]);
  });

  it('deletes a finished Job ttlSecondsAfterFinished after it completed', () => {
    const sink: { job?: Job; deletedAt?: number } = {};
    runYaml(
      simulation('10m', nodes) +
        job('ttl', '  ttlSecondsAfterFinished: 30', 'ksim.dev/duration: 10s'),
      { onStart: watchJob('ttl', sink) },
    );
    // Completes at 12 001 (bound at 1, started at 2 001, ran 10 s); deleted 30 s later.
    expect(sink.job!.status.completionTime).toBe(12_001);
    expect(sink.deletedAt).toBe(42_001);
  });

  it('creates one Job per arrival of a workload whose template is a Job', () => {
    const r = runYaml(
      simulation(
        '3m30s',
        `${nodes}  workloads:
    - name: batch
      arrivals: {constant: {rate: 1/m}}
      template:
        kind: Job
        spec:
          completions: 2
          template:
            metadata: {annotations: {ksim.dev/duration: 20s}}
            spec:
              restartPolicy: Never
              containers: [{name: w, image: w}]
`,
      ),
    );
    const created = eventsWith(r, 'Completed').map((e) => [e.object, e.time]);
    // Each Job runs its two completions one after the other: 2 × (1 ms + 2 s + 20 s).
    expect(created).toEqual([
      ['default/batch-0', 44_002],
      ['default/batch-1', 104_002],
      ['default/batch-2', 164_002],
    ]);
  });
});
