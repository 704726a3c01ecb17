/**
 * `runtime-down`: the container runtime dies, the kubelet lives. Its lease keeps renewing; its
 * runtime status check (every 5 s) has failed for maxWaitForContainerRuntime (30 s) and the
 * next node status sync (every 10 s) posts Ready=False ("container runtime is down"). Node
 * lifecycle taints the node `not-ready` — NoSchedule at once, NoExecute at its next pass
 * through the rate limiter — and running pods, which keep running and serving, are evicted by
 * the not-ready toleration (300 s). Instants are worked out from the named streams.
 */
import { describe, expect, it } from '@jest/globals';
import { lastOnGrid, nextOnGrid } from '../../src/kubelet/node-health.js';
import {
  eventsOf,
  expectedDetection,
  kubeletPhases,
  monitorPhase,
  pinnedPod,
  runWatching,
  simulation,
  taintHistory,
} from './helpers.js';

const pools = [{ name: 'general', count: 3, zones: ['zone-a', 'zone-b', 'zone-c'] }];
const seed = 3;
const t0 = 100_000;
const ph = kubeletPhases(seed, 'general-0');
const mp = monitorPhase(seed);
// The last successful runtime check before the failure, + 30 s, to the next node status sync.
const lastOk = lastOnGrid(ph.runtimeProbe, 5_000, t0 - 1);
const falseAt = nextOnGrid(ph.nodeStatus, 10_000, lastOk + 30_000);
// The monitor pass after the kubelet's update queues the node; the 100 ms loop taints it.
const queuedAt = nextOnGrid(mp, 5_000, falseAt);
const taintAt = nextOnGrid(0, 100, queuedAt);

function scenario(timeline: string[], extra = ''): string {
  return (
    simulation({ seed, pools, duration: '15m', timeline }) + pinnedPod('p', 'general-0') + extra
  );
}

describe('a node whose container runtime dies', () => {
  const down = `{at: ${t0}ms, action: fail-node, target: {node: general-0}, mode: runtime-down}`;

  it('is posted Ready=False by its own kubelet 25–40 s later and tainted not-ready', () => {
    expect(falseAt - t0).toBeGreaterThanOrEqual(25_000);
    expect(falseAt - t0).toBeLessThan(40_000);
    expect(taintHistory(scenario([down]), 'general-0')).toEqual([
      `${falseAt}: not-ready:NoSchedule`,
      `${taintAt}: not-ready:NoExecute,not-ready:NoSchedule`,
    ]);
  });

  it('keeps its pods Running and Ready until the not-ready toleration evicts them, 300 s after the taint', () => {
    const { r, seen } = runWatching(scenario([down]), [taintAt + 299_999], (ctx) => {
      const p = ctx.store.getPod('default/p')!;
      return [p.status.phase, p.status.ready, p.metadata.deletionTimestamp];
    });
    expect(seen).toEqual([['Running', true, undefined]]);
    // The kubelet records the node's NotReady; the controller neither (it observed no True →
    // non-True transition) nor MarkPodsNotReady.
    expect(eventsOf(r, 'NodeNotReady').map((e) => [e.time, e.kind, e.object])).toEqual([
      [falseAt, 'Node', 'general-0'],
    ]);
    expect(eventsOf(r, 'TaintManagerEviction').map((e) => [e.time, e.message])).toEqual([
      [taintAt + 300_000, 'Marking for deletion Pod default/p'],
    ]);
    // The lease kept renewing: the node was never Unknown.
    expect(eventsOf(r, 'NodeReady')).toEqual([]);
  });

  it('swaps not-ready for unreachable, NoSchedule at once and NoExecute at the next pass, when it is then partitioned; the eviction keeps its clock', () => {
    const tp = 200_000;
    const yaml = scenario([
      down,
      `{at: ${tp}ms, action: fail-node, target: {node: general-0}, mode: partition}`,
    ]);
    const unknownAt = expectedDetection(seed, 'general-0', tp).notReady;
    expect(taintAt).toBeLessThan(tp);
    expect(taintHistory(yaml, 'general-0')).toEqual([
      `${falseAt}: not-ready:NoSchedule`,
      `${taintAt}: not-ready:NoExecute,not-ready:NoSchedule`,
      `${unknownAt}: not-ready:NoExecute,unreachable:NoSchedule`,
      `${unknownAt + 5_000}: unreachable:NoExecute,unreachable:NoSchedule`,
    ]);
    const { r } = runWatching(yaml, [], () => 0);
    // Not a transition from True: no NodeNotReady from the controller, no pod marked.
    expect(eventsOf(r, 'NodeNotReady').map((e) => [e.time, e.kind])).toEqual([[falseAt, 'Node']]);
    expect(eventsOf(r, 'TaintManagerEviction').map((e) => e.time)).toEqual([taintAt + 300_000]);
  });

  it('that comes back is Ready at the node status sync after its next runtime check; waiting work resumes then', () => {
    const t1 = t0 + 90_000;
    const seenAt = nextOnGrid(ph.runtimeProbe, 5_000, t1);
    const readyAt = nextOnGrid(ph.nodeStatus, 10_000, seenAt);
    const reachableAt = nextOnGrid(mp, 5_000, readyAt);
    const job = `---
apiVersion: v1
kind: Pod
metadata: {name: job, annotations: {ksim.dev/duration: 2m}}
spec:
  nodeName: general-0
  restartPolicy: Never
  containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]
`;
    const yaml = scenario(
      [
        `{at: ${t0}ms, action: fail-node, target: {node: general-0}, mode: runtime-down, recoverAfter: 90s}`,
      ],
      job,
    );
    expect(taintAt).toBeLessThan(t1);
    expect(taintHistory(yaml, 'general-0')).toEqual([
      `${falseAt}: not-ready:NoSchedule`,
      `${taintAt}: not-ready:NoExecute,not-ready:NoSchedule`,
      `${readyAt}: not-ready:NoExecute`,
      `${reachableAt}: `,
    ]);
    const { r } = runWatching(yaml, [], () => 0);
    expect(eventsOf(r, 'NodeReady').map((e) => e.time)).toEqual([readyAt]);
    // The job had finished by then (terminal pods are left alone); p's deletion is cancelled.
    expect(eventsOf(r, 'TaintManagerEviction').map((e) => [e.time, e.message])).toEqual([
      [reachableAt, 'Cancelling deletion of Pod default/p'],
    ]);
    // The job's container exited at 120 s, during the outage; the kubelet saw it at seenAt.
    const jobPod = r.metrics.pods.find((p) => p.metadata.name === 'job')!;
    expect([jobPod.outcome, jobPod.times.finished]).toEqual(['Succeeded', seenAt]);
  });
});

describe('stochastic runtime-down faults', () => {
  it('take nodes of the pool down and up on their own streams; each is posted NotReady 25–40 s in', () => {
    const { r } = runWatching(
      simulation({
        seed: 4,
        pools,
        duration: '6h',
        faults: ['{kind: runtime-down, pool: general, mtbf: {exponential: {mean: 1h}}, mttr: 5m}'],
      }),
      [],
      () => 0,
    );
    const rows = (
      r.metrics.summaryMetrics().recovery as Array<Record<string, number | string>>
    ).filter((row) => String(row.failure).startsWith('runtime-down general-'));
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      expect(row.detect_s).toBeGreaterThanOrEqual(25);
      expect(row.detect_s).toBeLessThan(40);
    }
    // The kubelet posts both transitions; node lifecycle never writes Unknown.
    expect(eventsOf(r, 'NodeReady').length).toBe(eventsOf(r, 'NodeNotReady').length);
  });
});
