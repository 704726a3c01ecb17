import { describe, expect, it } from '@jest/globals';
import { makePod } from '../model/testing.js';
import type { SimPod } from '../model/objects.js';
import { logarithmicBucket, podsToDelete } from './pod-ranking.js';

const NOW = 1_000_000;

interface P {
  node?: string;
  phase?: SimPod['status']['phase'];
  ready?: boolean;
  readyAt?: number;
  cost?: number;
  restarts?: number;
  created?: number;
}

function pod(name: string, uid: string, o: P): SimPod {
  const p = makePod(name, { nodeName: o.node, creationTimestamp: o.created ?? 0 });
  p.metadata.uid = uid;
  p.status.phase = o.phase ?? 'Running';
  p.status.ready = o.ready ?? true;
  p.status.restartCount = o.restarts ?? 0;
  // readyAt is the Ready condition's last transition; the first Ready instant (pods.csv) is
  // always 0, so only the transition can order the pods.
  p.times.ready = p.status.ready ? 0 : undefined;
  p.status.readyTransitionTime = p.status.ready ? (o.readyAt ?? 0) : undefined;
  if (o.cost !== undefined)
    p.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) };
  return p;
}

describe('ReplicaSet scale-down victim order (ActivePodsWithRanks)', () => {
  it.each<[string, [string, string, P][], string]>([
    [
      'an unscheduled pod goes before a scheduled one',
      [
        ['a', 'u1', { node: 'n1' }],
        ['b', 'u2', { phase: 'Pending', ready: false }],
      ],
      'b',
    ],
    [
      'Pending goes before Unknown before Running',
      [
        ['a', 'u1', { node: 'n1' }],
        ['b', 'u2', { node: 'n2', phase: 'Unknown', ready: false }],
        ['c', 'u3', { node: 'n3', phase: 'Pending', ready: false }],
      ],
      'c,b,a',
    ],
    [
      'a not-ready pod goes before a ready one',
      [
        ['a', 'u1', { node: 'n1' }],
        ['b', 'u2', { node: 'n2', ready: false }],
      ],
      'b,a',
    ],
    [
      'lower pod-deletion-cost goes first',
      [
        ['a', 'u1', { node: 'n1', cost: 10 }],
        ['b', 'u2', { node: 'n2', cost: -5 }],
      ],
      'b,a',
    ],
    [
      'a pod doubled up on a node goes before a lone one',
      [
        ['a', 'u1', { node: 'n1' }],
        ['b', 'u2', { node: 'n2' }],
        ['c', 'u3', { node: 'n2' }],
      ],
      'b,c,a',
    ],
    [
      'the more recently ready goes first when buckets differ',
      [
        ['a', 'u1', { node: 'n1', readyAt: 0 }],
        ['b', 'u2', { node: 'n2', readyAt: NOW - 1000 }],
      ],
      'b,a',
    ],
    [
      'a pod Ready again after a restart counts from that transition, not from its first Ready',
      [
        ['a', 'u1', { node: 'n1', readyAt: NOW - 600_000 }],
        ['b', 'u2', { node: 'n2', readyAt: NOW - 2000 }],
      ],
      'b,a',
    ],
    [
      'ready times in the same log2 bucket tie, broken by UID',
      [
        ['a', 'u2', { node: 'n1', readyAt: NOW - 600_000 }],
        ['b', 'u1', { node: 'n2', readyAt: NOW - 700_000 }],
      ],
      'b,a',
    ],
    [
      'more restarts go first',
      [
        ['a', 'u1', { node: 'n1', restarts: 1 }],
        ['b', 'u2', { node: 'n2', restarts: 3 }],
      ],
      'b,a',
    ],
    [
      'the newer pod goes first when creation buckets differ',
      [
        ['a', 'u1', { node: 'n1', created: 0 }],
        ['b', 'u2', { node: 'n2', created: NOW - 10 }],
      ],
      'b,a',
    ],
  ])('%s', (_name, specs, want) => {
    const pods = specs.map(([n, uid, o]) => pod(n, uid, o));
    const order = podsToDelete(pods, pods, pods.length - 1, NOW).map((p) => p.metadata.name);
    // All but the last survivor, in deletion order.
    expect(order.join(',')).toBe(
      want
        .split(',')
        .slice(0, pods.length - 1)
        .join(','),
    );
  });

  it('buckets ages by floor(log2(age in nanoseconds))', () => {
    // 600 s = 6e11 ns → 2^39 = 5.5e11 ≤ 6e11 < 2^40; 700 s = 7e11 ns → also bucket 39.
    expect(logarithmicBucket(NOW - 600_000, NOW)).toBe(39);
    expect(logarithmicBucket(NOW - 700_000, NOW)).toBe(39);
    expect(logarithmicBucket(NOW - 1000, NOW)).toBe(29);
    expect(logarithmicBucket(NOW, NOW)).toBe(-1);
  });
});
