/**
 * One node fails with the default configuration (lease 40 s renewed every 10 s, monitor
 * period 5 s, grace 50 s, DefaultTolerationSeconds 300): NotReady, taint, eviction,
 * replacement, recovery — at the instants upstream's formulas give.
 */
import { describe, expect, it } from '@jest/globals';
import { RngStreams } from '../../src/engine/rng.js';
import { nextOnGrid } from '../../src/kubelet/node-health.js';
import type { SimPod } from '../../src/model/objects.js';
import {
  eventsOf,
  expectedDetection,
  nodeEventsOf,
  nodeFailsAt,
  pinnedPod,
  replicaSet,
  run,
  simulation,
  withSpec,
} from './helpers.js';

const pools = [{ name: 'general', count: 3, zones: ['zone-a', 'zone-b', 'zone-c'] }];

describe('a node that dies', () => {
  it.each([
    { seed: 1, t0: 120_000 },
    { seed: 7, t0: 120_000 },
    { seed: 42, t0: 300_000 },
    { seed: 3, t0: 61_234 },
  ])(
    'is NotReady within [lastRenew + grace, lastRenew + grace + monitor period) (seed $seed, t0 $t0 ms)',
    ({ seed, t0 }) => {
      const r = run(
        simulation({
          seed,
          pools,
          timeline: [`{at: ${t0}ms, action: fail-node, target: {node: general-0}}`],
        }) + pinnedPod('p', 'general-0'),
      );
      const exp = expectedDetection(seed, 'general-0', t0);
      const nr = nodeEventsOf(r, 'NodeNotReady');
      expect(nr.map((e) => [e.object, e.time])).toEqual([['general-0', exp.notReady]]);
      expect(exp.lastRenew).toBeLessThanOrEqual(t0);
      expect(exp.lastRenew).toBeGreaterThan(t0 - 10_000);
      expect(exp.notReady).toBeGreaterThanOrEqual(exp.lastRenew + 50_000);
      expect(exp.notReady).toBeLessThan(exp.lastRenew + 55_000);
      // The default 300 s toleration runs from the NoExecute taint.
      expect(eventsOf(r, 'TaintManagerEviction').map((e) => [e.object, e.time])).toEqual([
        ['default/p', exp.taint + 300_000],
      ]);
    },
  );

  it('evicts a pod tolerating 30 s earlier, and never one tolerating without seconds (DaemonSet-style)', () => {
    const seed = 5;
    const t0 = 100_000;
    const r = run(
      simulation({
        seed,
        pools,
        timeline: [`{at: ${t0}ms, action: fail-node, target: {node: general-0}}`],
      }) +
        pinnedPod('default-tol', 'general-0') +
        pinnedPod('thirty', 'general-0', { tolerationSeconds: 30 }) +
        pinnedPod('forever', 'general-0', { tolerationSeconds: 'forever' }) +
        pinnedPod('elsewhere', 'general-1'),
    );
    const { taint } = expectedDetection(seed, 'general-0', t0);
    expect(eventsOf(r, 'TaintManagerEviction').map((e) => [e.object, e.time])).toEqual([
      ['default/thirty', taint + 30_000],
      ['default/default-tol', taint + 300_000],
    ]);
    const outcome = Object.fromEntries(r.metrics.pods.map((p) => [p.metadata.name, p.outcome]));
    expect(outcome).toEqual({
      'default-tol': 'Evicted',
      thirty: 'Evicted',
      forever: 'Running',
      elsewhere: 'Running',
    });
  });

  it('gets its ReplicaSet pods replaced as soon as they are evicted, and the replacements scheduled at once', () => {
    const seed = 11;
    const t0 = 90_000;
    const r = run(
      simulation({
        seed,
        pools,
        timeline: [`{at: ${t0}ms, action: fail-node, target: {node: general-0}}`],
      }) +
        replicaSet(
          'web',
          3,
          `
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}`,
        ),
    );
    const { taint } = expectedDetection(seed, 'general-0', t0);
    const evicted = eventsOf(r, 'TaintManagerEviction');
    expect(evicted.map((e) => e.time)).toEqual([taint + 300_000]);
    const replacement = r.metrics.pods.find((p) => p.times.created > 0)!;
    expect(replacement.times.created).toBe(taint + 300_000);
    expect(replacement.spec.nodeName).not.toBe('general-0');
    expect(replacement.times.scheduled! - replacement.times.created).toBeLessThan(100);
    const [row] = r.metrics.summaryMetrics().recovery as Array<Record<string, number>>;
    expect(row).toMatchObject({
      at_s: t0 / 1000,
      detect_s: (expectedDetection(seed, 'general-0', t0).notReady - t0) / 1000,
      evict_s: (taint + 300_000 - t0) / 1000,
      replace_s: (replacement.times.scheduled! - t0) / 1000,
      recover_s: (replacement.times.ready! - t0) / 1000,
    });
  });

  it('that comes back before tolerationSeconds keeps its pods: taints go, deletions are cancelled', () => {
    const seed = 2;
    const t0 = 60_000;
    const r = run(
      simulation({
        seed,
        pools,
        timeline: [
          `{at: ${t0}ms, action: fail-node, target: {node: general-0}, mode: partition, recoverAfter: 3m}`,
        ],
      }) + pinnedPod('p', 'general-0'),
    );
    expect(eventsOf(r, 'NodeReady').map((e) => e.time)).toEqual([t0 + 180_000]);
    expect(eventsOf(r, 'TaintManagerEviction').map((e) => e.message)).toEqual([
      'Cancelling deletion of Pod default/p',
    ]);
    const pod = r.metrics.pods[0]!;
    expect([pod.outcome, pod.status.ready]).toEqual(['Running', true]);
  });

  it('healed from a partition after eviction kills the evicted pods and keeps the others', () => {
    const seed = 4;
    const t0 = 60_000;
    const heal = t0 + 600_000;
    // The object of every pod, and when it left the API (the kubelet confirmed the deletion).
    const removedAt = new Map<string, number>();
    const r = run(
      simulation({
        seed,
        duration: '20m',
        pools,
        timeline: [
          `{at: ${t0}ms, action: fail-node, target: {node: general-0}, mode: partition, recoverAfter: 10m}`,
        ],
      }) +
        pinnedPod('evicted', 'general-0', { tolerationSeconds: 60 }) +
        pinnedPod('kept', 'general-0', { tolerationSeconds: 'forever' }) +
        pinnedPod('slow', 'general-0', { tolerationSeconds: 60 }).replace(
          'metadata: {name: slow}',
          'metadata: {name: slow, annotations: {ksim.dev/shutdown: 7s}}',
        ),
      {
        onStart: (ctx) =>
          ctx.store.onPod((e) => {
            if (e.type === 'delete') removedAt.set(e.pod.metadata.name, ctx.engine.now);
          }),
      },
    );
    const evicted = r.metrics.pods.find((p) => p.metadata.name === 'evicted')!;
    const kept = r.metrics.pods.find((p) => p.metadata.name === 'kept')!;
    expect(evicted.outcome).toBe('Evicted');
    expect(evicted.metadata.deletionTimestamp).toBe(
      expectedDetection(seed, 'general-0', t0).taint + 60_000,
    );
    // Terminating on the unreachable node until the kubelet came back, then stopped and
    // removed after its shutdown time: at once, and 7 s later for `slow`.
    expect(Object.fromEntries(removedAt)).toEqual({ evicted: heal, slow: heal + 7_000 });
    expect([kept.outcome, kept.status.ready]).toEqual(['Running', true]);
    expect(r.store.getPod('default/kept')).toBe(kept);
    expect(eventsOf(r, 'NodeReady').map((e) => e.time)).toEqual([heal]);
  });

  it('healed from a partition after eviction: the Deployment replaced its pod at the eviction, the StatefulSet only once the kubelet removed the old one', () => {
    const seed = 4;
    const t0 = 60_000;
    const heal = t0 + 600_000;
    // One web and one db pod on every node (required anti-affinity, as many replicas as nodes).
    const antiAffinity = (app: string) => `
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - {labelSelector: {matchLabels: {app: ${app}}}, topologyKey: kubernetes.io/hostname}`;
    const workload = (kind: string, app: string) => `---
apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${app}}
spec:
  replicas: 3
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:${antiAffinity(app)}
      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
`;
    const removed = new Map<string, SimPod>();
    const removedAt = new Map<SimPod, number>();
    const r = run(
      simulation({
        seed,
        duration: '20m',
        pools,
        timeline: [
          `{at: ${t0}ms, action: fail-node, target: {node: general-0}, mode: partition, recoverAfter: 10m}`,
        ],
      }) +
        workload('Deployment', 'web') +
        workload('StatefulSet', 'db'),
      {
        onStart: (ctx) =>
          ctx.store.onPod((e) => {
            if (e.type !== 'delete') return;
            removed.set(e.pod.topOwner, e.pod);
            removedAt.set(e.pod, ctx.engine.now);
          }),
      },
    );
    const { taint } = expectedDetection(seed, 'general-0', t0);
    const evictedAt = taint + 300_000;
    // The workload's first pod on general-0 (the one the partition caught).
    const onNode = (owner: string) =>
      r.metrics.pods.find(
        (p) => p.topOwner === owner && p.spec.nodeName === 'general-0' && p.times.created < t0,
      )!;
    const web = onNode('Deployment/default/web');
    const db = onNode('StatefulSet/default/db');
    for (const p of [web, db]) {
      expect([p.outcome, p.metadata.deletionTimestamp]).toEqual(['Evicted', evictedAt]);
      expect(removedAt.get(p)).toBe(heal);
    }
    // The Deployment's ReplicaSet replaced the terminating pod at once.
    const webReplacement = r.metrics.pods.filter(
      (p) => p.topOwner === 'Deployment/default/web' && p.times.created > 0,
    );
    expect(webReplacement.map((p) => p.times.created)).toEqual([evictedAt]);
    // db-N keeps its identity: recreated only once the old object was gone, at the heal.
    const dbAgain = r.metrics.pods.filter((p) => p.key === db.key && p !== db);
    expect(dbAgain).toHaveLength(1);
    expect(dbAgain[0]!.times.created).toBeGreaterThanOrEqual(heal);
    expect(removed.size).toBe(2);
  });

  it('is observed anew by a new controller-manager leader: tolerationSeconds restart from its start', () => {
    const seed = 7;
    const t0 = 120_000;
    const r = run(
      withSpec(
        simulation({
          seed,
          pools,
          timeline: [
            `{at: ${t0}ms, action: fail-node, target: {node: general-0}}`,
            '{at: 5m, action: controller-manager-down, target: {leader: true}, recoverAfter: 10m}',
          ],
        }),
        'controlPlane: {controllerManager: {replicas: 2}}',
      ) + pinnedPod('p', 'general-0'),
    );
    const { taint } = expectedDetection(seed, 'general-0', t0);
    const takeover = eventsOf(r, 'LeaderElection').filter(
      (e) => e.object.endsWith('kube-controller-manager') && e.time > 300_000,
    )[0]!;
    // The old leader would have evicted at taint + 300 s; the new one starts its own clock.
    expect(takeover.time).toBeLessThan(taint + 300_000);
    expect(eventsOf(r, 'TaintManagerEviction').map((e) => e.time)).toEqual([
      takeover.time + 300_000,
    ]);
  });

  it('hand-worked: seed 1, general-0 crashing at 120 s is NotReady at 165.287 s and evicted at 470.3 s', () => {
    // Seed 1: the stream node-lease/general-0 draws 0.46306…, so the lease renews at
    // 4 630 ms + k·10 s; node-lifecycle draws 0.05756…, so the monitor ticks at 287 ms + k·5 s.
    // Crash at 120 000: last renewal 114 630; the tick that saw it 115 287; NotReady at the
    // first tick ≥ 115 287 + 50 000 = 165 287. The next pass (170 287) queues the node, the
    // 100 ms tainting loop taints it at 170 300, and the 300 s toleration ends at 470 300.
    const r = run(nodeFailsAt(120_000, { seed: 1 }) + pinnedPod('p', 'general-0'));
    expect(nodeEventsOf(r, 'NodeNotReady').map((e) => e.time)).toEqual([165_287]);
    expect(eventsOf(r, 'TaintManagerEviction').map((e) => e.time)).toEqual([470_300]);
  });

  it.each([1, 2, 3, 5, 8, 13, 21, 34, 55, 89])(
    'is NotReady within (t0 + grace − renew interval, t0 + grace + monitor period] (seed %i)',
    (seed) => {
      const t0 = 60_000 + seed * 7_919;
      const r = run(nodeFailsAt(t0, { seed, node: 'general-1' }));
      const [nr] = nodeEventsOf(r, 'NodeNotReady').map((e) => e.time);
      expect(nr).toBeGreaterThan(t0 + 50_000 - 10_000);
      expect(nr).toBeLessThanOrEqual(t0 + 50_000 + 5_000);
    },
  );

  it('is observed anew by a new controller-manager leader: the grace period restarts from its first pass', () => {
    // Two controller-manager replicas; the leader dies at 60 s, the node at 61 s. The standby
    // takes over later and starts from nothing: its monitor loop has its own phase (the second
    // draw of the stream node-lifecycle) and its first pass is the probe timestamp of every
    // node, so NotReady comes at that first pass + 50 s — not 50 s after the last renewal.
    const seed = 7;
    const r = run(
      withSpec(
        simulation({
          seed,
          pools,
          timeline: [
            '{at: 60s, action: controller-manager-down, target: {leader: true}}',
            '{at: 61s, action: fail-node, target: {node: general-0}}',
          ],
        }),
        'controlPlane: {controllerManager: {replicas: 2}}',
      ),
    );
    const takeover = r.metrics.events.find(
      (e) =>
        e.reason === 'LeaderElection' && e.message.endsWith('became leader') && e.time > 60_000,
    )!.time;
    const phases = new RngStreams(seed).stream('node-lifecycle');
    phases.next(); // the first leader's
    const newPhase = Math.floor(phases.next() * 5_000);
    const firstPass = nextOnGrid(newPhase, 5_000, takeover);
    expect(nodeEventsOf(r, 'NodeNotReady').map((e) => e.time)).toEqual([firstPass + 50_000]);
    // The old leader would have said: last renewal + ≤ 55 s.
    expect(firstPass + 50_000).toBeGreaterThan(
      expectedDetection(seed, 'general-0', 61_000).notReady,
    );
  });

  it.each([1, 2])(
    'is not marked NotReady after a control-plane outage longer than the grace period, nor is anything evicted (%i controller-manager replicas)',
    (replicas) => {
      const r = run(
        simulation({
          seed: 3,
          pools,
          duration: '15m',
          timeline: ['{at: 2m, action: control-plane-down, recoverAfter: 3m}'],
        }).replace(
          '  nodePools:',
          `  controlPlane: {etcd: {members: 3}, apiServers: 2, controllerManager: {replicas: ${replicas}}}\n  nodePools:`,
        ) +
          pinnedPod('a', 'general-0') +
          pinnedPod('b', 'general-1') +
          pinnedPod('c', 'general-2'),
      );
      expect(eventsOf(r, 'NodeNotReady')).toEqual([]);
      expect(eventsOf(r, 'TaintManagerEviction')).toEqual([]);
      expect(r.store.nodes().map((i) => i.node.spec.taints)).toEqual([[], [], []]);
      expect(r.metrics.pods.map((p) => [p.outcome, p.status.ready])).toEqual([
        ['Running', true],
        ['Running', true],
        ['Running', true],
      ]);
      // The outage did happen: no writes for 3 minutes, leases included.
      expect(
        (r.metrics.extra.controlPlane as Record<string, number>).writesUnavailableSeconds,
      ).toBeGreaterThanOrEqual(180);
    },
  );
});
