/**
 * One node fails with the default configuration (lease 40 s renewed every 10 s, monitor
 * period 5 s, grace 50 s, DefaultTolerationSeconds 300): NotReady, taint, eviction,
 * replacement, recovery — at the instants upstream's formulas give.
 */
import { describe, expect, it } from '@jest/globals';
import {
  eventsOf,
  expectedDetection,
  nodeEventsOf,
  pinnedPod,
  replicaSet,
  run,
  simulation,
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
        pinnedPod('kept', 'general-0', { tolerationSeconds: 'forever' }),
    );
    const heal = t0 + 600_000;
    const evicted = r.metrics.pods.find((p) => p.metadata.name === 'evicted')!;
    const kept = r.metrics.pods.find((p) => p.metadata.name === 'kept')!;
    // Terminating on the unreachable node until the kubelet came back, then removed.
    expect(evicted.outcome).toBe('Evicted');
    expect(evicted.metadata.deletionTimestamp).toBe(
      expectedDetection(seed, 'general-0', t0).taint + 60_000,
    );
    expect(r.metrics.summaryMetrics().outcomes).toEqual({ Evicted: 1, Running: 1 });
    expect([kept.outcome, kept.status.ready]).toEqual(['Running', true]);
    expect(eventsOf(r, 'NodeReady').map((e) => e.time)).toEqual([heal]);
  });

  it('is observed anew by a new controller-manager leader: tolerationSeconds restart from its start', () => {
    const seed = 7;
    const t0 = 120_000;
    const r = run(
      simulation({
        seed,
        pools,
        timeline: [
          `{at: ${t0}ms, action: fail-node, target: {node: general-0}}`,
          '{at: 5m, action: controller-manager-down, target: {leader: true}, recoverAfter: 10m}',
        ],
      }).replace(
        '  nodePools:',
        '  controlPlane: {controllerManager: {replicas: 2}}\n  nodePools:',
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
});
