/**
 * Node-failure settings with their upstream names and defaults: nodeStartupGracePeriod for
 * a node that never posted a Ready condition, the two DefaultTolerationSeconds flags (and the
 * shorthand for both), and the kubelet's nodeLeaseDurationSeconds and
 * nodeStatusUpdateFrequency. Expected instants are worked out from the named streams.
 */
import { describe, expect, it } from '@jest/globals';
import { RngStreams } from '../../src/engine/rng.js';
import { lastOnGrid, nextOnGrid } from '../../src/kubelet/node-health.js';
import {
  eventsOf,
  expectedDetection,
  kubeletPhases,
  monitorPhase,
  nodeEventsOf,
  nodeFailsAt,
  pinnedPod,
  run,
  simulation,
  taintHistory,
  THREE_NODES,
  withSpec,
} from './helpers.js';

const pools = THREE_NODES;

describe('nodeStartupGracePeriod (60 s)', () => {
  const seed = 5;
  const addAt = 300_000;
  const yaml = (readyAfter: string) =>
    simulation({
      seed,
      pools,
      duration: '15m',
      timeline: [
        `{at: ${addAt}ms, action: add-nodes, pool: general, count: 1, readyAfter: ${readyAfter}}`,
      ],
    });
  const mp = monitorPhase(seed);

  it('marks a joining node whose kubelet has not posted status 60 s after it appeared Unknown and taints it, until the kubelet posts Ready', () => {
    const unknownAt = nextOnGrid(mp, 5_000, addAt + 60_000);
    const bootedAt = addAt + 120_000;
    const reachableAt = nextOnGrid(mp, 5_000, bootedAt);
    expect(reachableAt).toBeGreaterThan(bootedAt);
    expect(taintHistory(yaml('2m'), 'general-3')).toEqual([
      `${unknownAt}: unreachable:NoSchedule`,
      `${nextOnGrid(0, 100, unknownAt)}: unreachable:NoExecute,unreachable:NoSchedule`,
      `${bootedAt}: unreachable:NoExecute`,
      `${reachableAt}: `,
    ]);
    const r = run(yaml('2m'));
    // Never Ready before: no NodeNotReady; the kubelet's Ready is a transition from Unknown.
    expect(nodeEventsOf(r, 'NodeNotReady')).toEqual([]);
    expect(nodeEventsOf(r, 'NodeReady').map((e) => [e.time, e.object])).toEqual([
      [bootedAt, 'general-3'],
    ]);
  });

  it('leaves a node that boots within the grace alone; its first Ready is no transition', () => {
    expect(taintHistory(yaml('50s'), 'general-3')).toEqual([]);
    const r = run(yaml('50s'));
    expect(nodeEventsOf(r, 'NodeNotReady')).toEqual([]);
    expect(nodeEventsOf(r, 'NodeReady')).toEqual([]);
  });

  it('uses the configured startup grace', () => {
    const custom = withSpec(yaml('2m'), 'controlPlane: {nodeStartupGracePeriod: 90s}');
    expect(taintHistory(custom, 'general-3')[0]).toBe(
      `${nextOnGrid(mp, 5_000, addAt + 90_000)}: unreachable:NoSchedule`,
    );
  });
});

describe('DefaultTolerationSeconds flags', () => {
  const tolerations = (cp: string) => {
    const r = run(
      withSpec(simulation({ pools, duration: '1m' }), cp) + pinnedPod('p', 'general-0'),
    );
    return Object.fromEntries(
      r.metrics.pods[0]!.spec.tolerations!.map((t) => [t.key!.split('/')[1], t.tolerationSeconds]),
    );
  };

  it('default both to 300', () => {
    expect(tolerations('controlPlane: {}')).toEqual({
      'not-ready': 300,
      unreachable: 300,
    });
  });

  it('are set one by one, or both by defaultTolerationSeconds; a flag given wins over the shorthand', () => {
    expect(tolerations('controlPlane: {defaultNotReadyTolerationSeconds: 60}')).toEqual({
      'not-ready': 60,
      unreachable: 300,
    });
    expect(tolerations('controlPlane: {defaultUnreachableTolerationSeconds: 120}')).toEqual({
      'not-ready': 300,
      unreachable: 120,
    });
    expect(
      tolerations(
        'controlPlane: {defaultUnreachableTolerationSeconds: 90, defaultTolerationSeconds: 30}',
      ),
    ).toEqual({ 'not-ready': 30, unreachable: 90 });
  });

  it('time the evictions: unreachable for a crashed node', () => {
    const seed = 2;
    const t0 = 60_000;
    const r = run(
      withSpec(
        nodeFailsAt(t0, { seed }),
        'controlPlane: {defaultNotReadyTolerationSeconds: 10, defaultUnreachableTolerationSeconds: 120}',
      ) + pinnedPod('p', 'general-0'),
    );
    expect(eventsOf(r, 'TaintManagerEviction').map((e) => e.time)).toEqual([
      expectedDetection(seed, 'general-0', t0).taint + 120_000,
    ]);
  });
});

describe('kubelet settings', () => {
  it('nodeLeaseDurationSeconds: a 20 s lease renews every 5 s, so detection follows the last 5 s renewal', () => {
    const seed = 9;
    const t0 = 123_456;
    const r = run(withSpec(nodeFailsAt(t0, { seed }), 'kubelet: {nodeLeaseDurationSeconds: 20}'));
    const leasePhase = Math.floor(
      new RngStreams(seed).stream('node-lease/general-0').next() * 5_000,
    );
    const mp = monitorPhase(seed);
    const lastRenew = lastOnGrid(leasePhase, 5_000, t0);
    const notReady = nextOnGrid(mp, 5_000, nextOnGrid(mp, 5_000, lastRenew) + 50_000);
    expect(t0 - lastRenew).toBeLessThan(5_000);
    expect(nodeEventsOf(r, 'NodeNotReady').map((e) => e.time)).toEqual([notReady]);
  });

  it('nodeStatusUpdateFrequency: a kubelet with a 4 s status period posts Ready=False on its 4 s grid', () => {
    const seed = 3;
    const t0 = 100_000;
    const r = run(
      withSpec(
        nodeFailsAt(t0, { seed, mode: 'runtime-down' }),
        'kubelet: {nodeStatusUpdateFrequency: 4s}',
      ),
    );
    const ph = kubeletPhases(seed, 'general-0', 4_000);
    const falseAt = nextOnGrid(
      ph.nodeStatus,
      4_000,
      lastOnGrid(ph.runtimeProbe, 5_000, t0 - 1) + 30_000,
    );
    expect(nodeEventsOf(r, 'NodeNotReady').map((e) => e.time)).toEqual([falseAt]);
  });

  it('rejects a bad value with its path', () => {
    expect(() =>
      run(withSpec(simulation({ pools }), 'kubelet: {nodeLeaseDurationSeconds: 0}')),
    ).toThrow(/spec\.kubelet\.nodeLeaseDurationSeconds/);
  });
});
