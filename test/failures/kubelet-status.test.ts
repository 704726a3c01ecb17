/**
 * The kubelet keeps its pods' status and posts it when it can (status manager): what the
 * API shows — and pods.csv, which records what the API showed — changes only while the
 * kubelet reaches the apiserver and the apiserver accepts writes. Local truth goes on.
 */
import { describe, expect, it } from '@jest/globals';
import type { SimContext } from '../../src/components/context.js';
import { RngStreams } from '../../src/engine/rng.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';
import { nextOnGrid } from '../../src/kubelet/node-health.js';
import { eventsOf, run, runWatching, simulation } from './helpers.js';

const pools = [{ name: 'general', count: 3, zones: ['zone-a', 'zone-b', 'zone-c'] }];

/** A pod pinned to a node that runs `duration` once (restartPolicy Never). */
function batchPod(name: string, node: string, duration: string, tolerateForever = true): string {
  const tol = tolerateForever
    ? '\n  tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}]'
    : '';
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, annotations: {ksim.dev/duration: ${duration}}}
spec:
  nodeName: ${node}
  restartPolicy: Never${tol}
  containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]
`;
}

const podOf = (r: ReturnType<typeof run>, name: string) =>
  r.metrics.pods.find((p) => p.metadata.name === name)!;

describe('pod status from a node that cannot reach the apiserver', () => {
  // general-0 partitioned and general-1's kubelet stopped from 60 s to 660 s; general-2 fine.
  const yaml =
    simulation({
      pools,
      duration: '15m',
      timeline: [
        '{at: 60s, action: fail-node, target: {node: general-0}, mode: partition, recoverAfter: 10m}',
        '{at: 60s, action: fail-node, target: {node: general-1}, mode: kubelet-stop, recoverAfter: 10m}',
      ],
    }) +
    batchPod('cut-off', 'general-0', '2m') +
    batchPod('stopped', 'general-1', '2m') +
    batchPod('healthy', 'general-2', '2m');
  const { r, seen } = runWatching(yaml, [130_000, 659_999], (ctx) =>
    ['cut-off', 'stopped', 'healthy'].map((n) => ctx.store.getPod(`default/${n}`)?.status.phase),
  );

  it('is not seen while the node is unreachable: the pods still show Running after they exited', () => {
    expect(seen).toEqual([
      ['Running', 'Running', 'Succeeded'],
      ['Running', 'Running', 'Succeeded'],
    ]);
  });

  it('is posted when the node is back: Succeeded at 660 s, the instant pods.csv records', () => {
    expect(podOf(r, 'healthy').times.finished).toBe(120_000);
    for (const name of ['cut-off', 'stopped']) {
      const pod = podOf(r, name);
      expect([pod.outcome, pod.status.phase, pod.times.finished]).toEqual([
        'Succeeded',
        'Succeeded',
        660_000,
      ]);
    }
    expect(eventsOf(r, 'NodeReady').map((e) => [e.object, e.time])).toEqual([
      ['general-0', 660_000],
      ['general-1', 660_000],
    ]);
  });
});

describe('pod status while etcd has no quorum', () => {
  // 3 etcd members, 2 down from 60 s to 120 s: every write is refused until a leader is
  // elected again. The pod is bound at once and its container is Ready 70 s later, during
  // the outage; the kubelet's status manager retries on its 10 s sync grid.
  const yaml =
    simulation({
      seed: 4,
      pools,
      duration: '5m',
      timeline: ['{at: 60s, action: etcd-member-down, target: {count: 2}, recoverAfter: 60s}'],
    }).replace('  nodePools:', '  controlPlane: {etcd: {members: 3}}\n  nodePools:') +
    `---
apiVersion: v1
kind: Pod
metadata: {name: slow, annotations: {ksim.dev/startup: 70s}}
spec:
  containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
`;
  const r = run(yaml);
  const pod = podOf(r, 'slow');
  const node = pod.spec.nodeName!;
  const restored = eventsOf(r, 'LeaderElected').find((e) => e.time > 120_000)!.time;
  const phase = Math.floor(new RngStreams(4).stream(`kubelet/${node}`).next() * 10_000);

  it('turns Ready in the API at the first status sync after writes return, not during the loss', () => {
    expect(pod.times.scheduled! + 70_000).toBeGreaterThan(60_000);
    expect(pod.times.scheduled! + 70_000).toBeLessThan(restored);
    expect(pod.times.ready).toBe(nextOnGrid(phase, 10_000, restored));
    expect(pod.times.ready! - restored).toBeLessThan(10_000);
  });

  it('in the etcd-quorum-loss example, no pod starts, turns Ready or finishes while writes are refused', () => {
    const ex = runSimulation(loadScenario('scenarios/etcd-quorum-loss.yaml'));
    const back = eventsOf(ex, 'LeaderElected').find((e) => e.time > 600_000)!.time;
    const inside = (t: number | undefined) => t !== undefined && t > 480_000 && t < back;
    const during = ex.metrics.pods.filter(
      (p) => inside(p.times.started) || inside(p.times.ready) || inside(p.times.finished),
    );
    expect(during.map((p) => p.key)).toEqual([]);
    // The pods that did finish during the loss show up right after it.
    const after = ex.metrics.pods.filter(
      (p) =>
        p.times.finished !== undefined &&
        p.times.finished >= back &&
        p.times.finished < back + 10_000,
    );
    expect(after.length).toBeGreaterThan(0);
  });
});

describe('pods of a crashed node', () => {
  it('stay Running in the API until node lifecycle marks them, and restart when the node reboots', () => {
    const yaml =
      simulation({
        pools,
        duration: '10m',
        timeline: ['{at: 60s, action: fail-node, target: {node: general-0}, recoverAfter: 2m}'],
      }) + batchPod('p', 'general-0', '1h');
    const look = (ctx: SimContext) => {
      const p = ctx.store.getPod('default/p')!;
      return [p.status.phase, p.status.ready, p.status.restartCount];
    };
    const { r, seen } = runWatching(yaml, [60_001, 179_999, 180_001, 182_001], look);
    const notReady = eventsOf(r, 'NodeNotReady', 'general-0')[0]!.time;
    expect(notReady).toBeLessThan(179_999);
    expect(seen).toEqual([
      ['Running', true, 0], // the machine is gone, the API does not know yet
      ['Running', false, 0], // marked not Ready by node lifecycle
      ['Running', false, 1], // rebooted at 180 s: the container restarts
      ['Running', true, 1], // Ready after the default 2 s startup
    ]);
    expect(podOf(r, 'p').times.ready).toBe(0);
  });
});
