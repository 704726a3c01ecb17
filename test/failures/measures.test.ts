/**
 * The failure measures: recovery to the *desired* ready replicas, node removal as a failure
 * of its own, timeseries columns (pods_unavailable, per-Service endpoints) and availability
 * of standalone ReplicaSets. Expected values are read off the pods' own instants.
 */
import { describe, expect, it } from '@jest/globals';
import type { RecoveryRow } from '../../src/faults/recovery-measures.js';
import type { RunResult } from '../../src/simulation.js';
import {
  expectedDetection,
  replicaSet,
  run,
  serviceFor,
  simulation,
  THREE_NODES,
} from './helpers.js';

const pools = THREE_NODES;
const SPREAD = `
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}`;
const rowsOf = (r: RunResult) => r.metrics.summaryMetrics().recovery as RecoveryRow[];
const column = (r: RunResult, name: string): Array<[number, number]> => {
  const i = r.metrics.timeseriesHeader().indexOf(name);
  expect(i).toBeGreaterThan(0);
  return r.metrics.samples.map((row) => [Number(row[0]), Number(row[i])]);
};

describe('recover_s', () => {
  it('waits for every affected workload to reach its desired ready replicas, not the count it had before the failure', () => {
    // 3 replicas, one per node; general-0 crashes at 90 s and the ReplicaSet is scaled to 5
    // a second later. The two new pods are Ready 2 s after that — as many serving as before
    // the failure — but 5 are only back once the evicted pod's replacement is Ready.
    const t0 = 90_000;
    const r = run(
      simulation({
        seed: 3,
        pools,
        duration: '15m',
        timeline: [
          `{at: ${t0}ms, action: fail-node, target: {node: general-0}}`,
          `{at: ${t0 + 1_000}ms, action: scale, target: {replicaset: default/web}, replicas: 5}`,
        ],
      }) + replicaSet('web', 3, SPREAD),
    );
    const { taint } = expectedDetection(3, 'general-0', t0);
    const web = r.metrics.pods.filter((p) => p.topOwner === 'ReplicaSet/default/web');
    // The scale-up pods Ready 2 s after they were created, except one the scheduler put on
    // the dead node (still Ready in the API): that one is evicted with the original.
    const scaled = web.filter((p) => p.times.created === t0 + 1_000);
    expect(scaled).toHaveLength(2);
    const replacements = web.filter((p) => p.times.created === taint + 300_000);
    expect(replacements.length).toBeGreaterThanOrEqual(1);
    const [row] = rowsOf(r);
    expect(row!.recover_s).toBe((Math.max(...replacements.map((p) => p.times.ready!)) - t0) / 1000);
    expect(row!.recover_s!).toBeGreaterThan(300);
  });
});

describe('node removal', () => {
  it('is a failure with its own recovery row: lost until PodGC frees the pod and the replacement is Ready', () => {
    const at = 120_000;
    const r = run(
      simulation({
        pools,
        duration: '10m',
        timeline: [`{at: ${at}ms, action: remove-nodes, target: {node: general-0}}`],
      }) +
        replicaSet('web', 3, SPREAD) +
        serviceFor('web'),
    );
    const web = r.metrics.pods.filter((p) => p.topOwner === 'ReplicaSet/default/web');
    const orphan = web.find((p) => p.spec.nodeName === 'general-0')!;
    const replacement = web.find((p) => p.times.created > 0)!;
    // PodGC force-deletes the orphan; the ReplicaSet replaces it at that instant.
    expect(replacement.times.created).toBe(orphan.times.finished);
    const recover = (replacement.times.ready! - at) / 1000;
    expect(rowsOf(r)).toEqual([
      {
        failure: 'remove-nodes general-0',
        at_s: at / 1000,
        nodes: 1,
        detect_s: null,
        evict_s: null,
        evict_last_s: null,
        replace_s: (replacement.times.scheduled! - at) / 1000,
        recover_s: recover,
        unavailable_pod_s: recover,
        bindings_lost: 0,
      },
    ]);
    expect(r.metrics.summaryMetrics().podSecondsUnavailable).toBe(recover);
  });
});

describe('timeseries.csv', () => {
  const t0 = 90_000;
  const r = run(
    simulation({
      seed: 3,
      pools,
      duration: '10m',
      timeline: [`{at: ${t0}ms, action: fail-node, target: {node: general-0}}`],
    }) +
      replicaSet('web', 3, SPREAD) +
      serviceFor('web'),
  );
  const { taint } = expectedDetection(3, 'general-0', t0);
  const back = r.metrics.pods.find((p) => p.times.created === taint + 300_000)!.times.ready!;
  /** The value at each sample: `initial` at 0 (nothing Ready yet), `during` the outage. */
  const expected = (initial: number, during: number, after: number) =>
    r.metrics.samples.map((row): [number, number] => {
      const t = Number(row[0]) * 1000;
      return [Number(row[0]), t === 0 ? initial : t >= t0 && t < back ? during : after];
    });

  it('has pods_unavailable: the workloads’ shortfall of serving pods (the crashed node’s pod from the crash)', () => {
    expect(column(r, 'pods_unavailable')).toEqual(expected(3, 1, 0));
  });

  it('has the ready and all endpoints of each Service', () => {
    expect(column(r, 'service:default/web:ready')).toEqual(expected(0, 2, 3));
    // The dead node's pod is an endpoint until it is evicted (terminating), at the instant
    // its replacement is created: 3 throughout.
    expect(column(r, 'service:default/web:endpoints')).toEqual(expected(3, 3, 3));
  });

  it('reports availability for a standalone ReplicaSet', () => {
    const a = r.metrics.summaryMetrics().availability as Record<string, number>;
    // ∫ ready dt over the pods (Ready in the API from ready_s until node lifecycle marked the
    // crashed node's pod not Ready) ÷ (3 desired × 600 s).
    const notReady = expectedDetection(3, 'general-0', t0).notReady;
    let readyMs = 0;
    for (const p of r.metrics.pods) {
      if (p.times.ready === undefined) continue;
      readyMs += (p.spec.nodeName === 'general-0' ? notReady : 600_000) - p.times.ready;
    }
    expect(a).toEqual({
      'ReplicaSet/default/web': Math.round((readyMs / (3 * 600_000)) * 1e6) / 1e6,
    });
  });
});

describe('scheduling throughput lost', () => {
  it('is the bindings short of the rate of the throughputWindow before the failure, until service is back', () => {
    const yaml = simulation({
      pools,
      duration: '5m',
      timeline: ['{at: 2m, action: scheduler-down, target: {leader: true}, recoverAfter: 30s}'],
    })
      .replace(
        'metrics: {sampleInterval: 1m}',
        'metrics: {sampleInterval: 1m, throughputWindow: 30s}',
      )
      .replace(
        '  nodePools:',
        `  workloads:
    - name: web
      arrivals: {poisson: {rate: 3/s}}
      template:
        kind: Pod
        spec:
          containers: [{name: c, image: nginx, resources: {requests: {cpu: 10m}}}]
  nodePools:`,
      );
    const r = run(yaml);
    const [row] = r.metrics.extra.controlPlaneFailures as Array<Record<string, number>>;
    const restored = 120_000 + row!.restoredAfterSeconds! * 1000;
    const bound = (from: number, to: number) =>
      r.metrics.pods.filter(
        (p) => p.times.created > 0 && p.times.scheduled! >= from && p.times.scheduled! < to,
      ).length;
    const rate = bound(90_000, 120_000) / 30_000;
    const lost = Math.round((rate * (restored - 120_000) - bound(120_000, restored)) * 1000) / 1000;
    expect(bound(120_000, restored)).toBe(0);
    expect(row!.bindingsLost).toBe(lost);
    expect(r.metrics.summaryMetrics().schedulingThroughputLost).toEqual({
      windowSeconds: 30,
      failures: 1,
      bindingsLost: lost,
    });
  });
});
