/**
 * What a node's Ready condition does, beyond eviction: MarkPodsNotReady on every pod of the
 * node (event and Service endpoints) and the NoSchedule condition taints, which follow each
 * node update at once (doNodeProcessingPassWorker), unlike the NoExecute ones.
 */
import { describe, expect, it } from '@jest/globals';
import { nextOnGrid } from '../../src/kubelet/node-health.js';
import type { ServiceAvailabilityRow } from '../../src/faults/service-availability.js';
import {
  eventsOf,
  expectedDetection,
  monitorPhase,
  nodeFailsAt,
  pinnedPod,
  run,
  serviceFor,
  taintHistory,
} from './helpers.js';

describe('MarkPodsNotReady', () => {
  it('records a Warning NodeNotReady "Node is not ready" on each pod of the node, at the NotReady instant', () => {
    const seed = 6;
    const t0 = 90_000;
    const r = run(
      nodeFailsAt(t0, { seed }) +
        pinnedPod('a', 'general-0') +
        pinnedPod('b', 'general-0') +
        pinnedPod('elsewhere', 'general-1'),
    );
    const { notReady } = expectedDetection(seed, 'general-0', t0);
    expect(eventsOf(r, 'NodeNotReady').map((e) => [e.time, e.kind, e.object, e.message])).toEqual([
      [notReady, 'Node', 'general-0', 'Node general-0 status is now: NodeNotReady'],
      [notReady, 'Pod', 'default/a', 'Node is not ready'],
      [notReady, 'Pod', 'default/b', 'Node is not ready'],
    ]);
  });

  it('takes the pods of a node whose kubelet stopped out of their Service at that instant', () => {
    // A stopped kubelet's containers keep serving, so the endpoint is ready until node
    // lifecycle marks the pod not Ready: then 1 of 2 endpoints for the rest of the run.
    const seed = 8;
    const t0 = 100_000;
    const end = 600_000;
    const r = run(
      nodeFailsAt(t0, { seed, duration: '10m', mode: 'kubelet-stop' }) +
        pinnedPod('web-0', 'general-0', { labels: { app: 'web' }, tolerationSeconds: 'forever' }) +
        pinnedPod('web-1', 'general-1', { labels: { app: 'web' } }) +
        serviceFor('web'),
    );
    const { notReady } = expectedDetection(seed, 'general-0', t0);
    const [row] = r.metrics.summaryMetrics().serviceAvailability as ServiceAvailabilityRow[];
    expect(row).toEqual({
      service: 'default/web',
      available: 1,
      meanReadyFraction: Math.round(((notReady + (end - notReady) / 2) / end) * 1e6) / 1e6,
      unavailable_s: 0,
    });
  });
});

describe('NoSchedule condition taints', () => {
  it('follow the Ready condition at once; the NoExecute ones wait for the monitor pass', () => {
    const seed = 2;
    const t0 = 60_000;
    const heal = t0 + 180_000;
    const history = taintHistory(
      nodeFailsAt(t0, { seed, mode: 'partition', recoverAfter: '3m' }) +
        pinnedPod('p', 'general-0'),
      'general-0',
    );
    const { notReady, taint } = expectedDetection(seed, 'general-0', t0);
    // Upstream's monitor pass removes the NoExecute taint (markNodeAsReachable) at the first
    // tick at or after the NodeReady the kubelet posted at the heal.
    const reachable = nextOnGrid(monitorPhase(seed), 5_000, heal);
    expect(reachable).toBeGreaterThan(heal);
    expect(history).toEqual([
      `${notReady}: unreachable:NoSchedule`,
      `${taint}: unreachable:NoExecute,unreachable:NoSchedule`,
      `${heal}: unreachable:NoExecute`,
      `${reachable}: `,
    ]);
  });
});
