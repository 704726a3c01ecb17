import { describe, expect, it } from '@jest/globals';
import type { SimNode, SimPod } from '../../model/objects.js';
import { makeNode, makePod, resource } from '../../model/testing.js';
import {
  ActionType,
  EventUnschedulableTimeout,
  matchClusterEvents,
  nodeSchedulingPropertiesChange,
  podSchedulingPropertiesChange,
  snapshotNode,
  type ClusterEvent,
} from './events.js';
import { goDuration } from './waiting-pods.js';

const A = ActionType;

describe('matchClusterEvents (registered, incoming)', () => {
  const cases: Array<[string, ClusterEvent, ClusterEvent, boolean]> = [
    [
      'Pod registrations cover assigned pods',
      { resource: 'Pod', actionType: A.Add },
      { resource: 'AssignedPod', actionType: A.Add },
      true,
    ],
    [
      'Pod registrations cover unscheduled pods',
      { resource: 'Pod', actionType: A.UpdatePodLabel },
      { resource: 'UnscheduledPod', actionType: A.UpdatePodLabel },
      true,
    ],
    [
      'another action does not match',
      { resource: 'Pod', actionType: A.Delete | A.UpdatePodScaleDown },
      { resource: 'AssignedPod', actionType: A.Add },
      false,
    ],
    [
      'a specific update matches the general Update',
      { resource: 'Node', actionType: A.Update },
      { resource: 'Node', actionType: A.UpdateNodeLabel },
      true,
    ],
    [
      'the general Update does not match a specific update registration',
      { resource: 'Pod', actionType: A.Delete | A.UpdatePodScaleDown },
      { resource: 'AssignedPod', actionType: A.Update },
      false,
    ],
    [
      'another resource does not match',
      { resource: 'Node', actionType: A.All },
      { resource: 'AssignedPod', actionType: A.Add },
      false,
    ],
    [
      'a wildcard incoming event matches only a wildcard registration',
      { resource: 'Pod', actionType: A.All },
      EventUnschedulableTimeout,
      false,
    ],
    [
      'a wildcard registration matches everything',
      { resource: '*', actionType: A.All },
      { resource: 'PersistentVolume', actionType: A.Delete },
      true,
    ],
  ];
  it.each(cases)('%s', (_name, registered, incoming, want) => {
    expect(matchClusterEvents(registered, incoming)).toBe(want);
  });
});

describe('podSchedulingPropertiesChange', () => {
  const base = (): SimPod =>
    makePod('p', {
      labels: { app: 'a' },
      requests: { cpu: 1000, memory: 1 << 30 },
      spec: { containers: [{ name: 'c' }], schedulingGates: [{ name: 'g' }] },
    });
  const copy = (p: SimPod, change: (c: SimPod) => void): SimPod => {
    const c: SimPod = {
      ...p,
      metadata: { ...p.metadata, labels: { ...p.metadata.labels } },
      spec: { ...p.spec },
    };
    change(c);
    return c;
  };
  const cases: Array<[string, (c: SimPod) => void, ClusterEvent[]]> = [
    [
      'a label changed',
      (c) => (c.metadata.labels.app = 'b'),
      [{ resource: 'UnscheduledPod', actionType: A.UpdatePodLabel }],
    ],
    [
      'cpu was scaled down',
      (c) => (c.requests = resource({ cpu: 500, memory: 1 << 30 })),
      [{ resource: 'UnscheduledPod', actionType: A.UpdatePodScaleDown }],
    ],
    [
      'cpu was scaled up (not a scale-down)',
      (c) => (c.requests = resource({ cpu: 2000, memory: 1 << 30 })),
      [{ resource: 'UnscheduledPod', actionType: A.Update }],
    ],
    [
      'every gate was removed',
      (c) => (c.spec.schedulingGates = []),
      [{ resource: 'UnscheduledPod', actionType: A.UpdatePodSchedulingGatesEliminated }],
    ],
    [
      'a toleration was added',
      (c) => (c.spec.tolerations = [{ key: 'k', operator: 'Exists' }]),
      [{ resource: 'UnscheduledPod', actionType: A.UpdatePodToleration }],
    ],
    [
      'the pod was bound and relabelled: AssignedPod, in extractor order',
      (c) => {
        c.spec.nodeName = 'n';
        c.metadata.labels.app = 'b';
        c.spec.schedulingGates = [];
      },
      [
        { resource: 'AssignedPod', actionType: A.UpdatePodLabel },
        { resource: 'AssignedPod', actionType: A.UpdatePodSchedulingGatesEliminated },
      ],
    ],
    [
      'only the status changed: the general Update',
      (c) => (c.status = { ...c.status, ready: true }),
      [{ resource: 'UnscheduledPod', actionType: A.Update }],
    ],
  ];
  it.each(cases)('%s', (_name, change, want) => {
    const old = base();
    expect(podSchedulingPropertiesChange(copy(old, change), old)).toEqual(want);
  });
});

describe('nodeSchedulingPropertiesChange', () => {
  const cases: Array<[string, (n: SimNode) => void, number[]]> = [
    ['uncordoned: a taint change', (n) => (n.spec.unschedulable = false), [A.UpdateNodeTaint]],
    ['allocatable grew', (n) => (n.status.allocatable.milliCPU = 8000), [A.UpdateNodeAllocatable]],
    ['a label was added', (n) => (n.metadata.labels.x = 'y'), [A.UpdateNodeLabel]],
    [
      'a taint was added',
      (n) => n.spec.taints.push({ key: 'k', effect: 'NoSchedule' }),
      [A.UpdateNodeTaint],
    ],
    ['Ready changed', (n) => (n.status.ready = 'False'), [A.UpdateNodeCondition]],
    ['an annotation was added', (n) => (n.metadata.annotations.a = 'b'), [A.UpdateNodeAnnotation]],
    [
      'uncordoned and a taint removed: two taint events, as upstream',
      (n) => {
        n.spec.unschedulable = false;
        n.spec.taints = [];
      },
      [A.UpdateNodeTaint, A.UpdateNodeTaint],
    ],
    ['nothing the scheduler looks at changed', (n) => (n.pool = 'other'), []],
  ];
  it.each(cases)('%s', (_name, change, want) => {
    const node = makeNode('n', {
      allocatable: { cpu: 4000 },
      unschedulable: true,
      taints: [{ key: 'old', effect: 'NoSchedule' }],
    });
    const old = snapshotNode(node);
    change(node);
    expect(nodeSchedulingPropertiesChange(node, old).map((e) => e.actionType)).toEqual(want);
  });

  it('cordoning raises nothing (only becoming schedulable is a taint change)', () => {
    const node = makeNode('n');
    const old = snapshotNode(node);
    node.spec.unschedulable = true;
    expect(nodeSchedulingPropertiesChange(node, old)).toEqual([]);
  });
});

describe('goDuration prints like Go time.Duration.String', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [500, '500ms'],
    [10_000, '10s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [15 * 60_000, '15m0s'],
    [3_600_000, '1h0m0s'],
    [3_661_000, '1h1m1s'],
  ];
  it.each(cases)('%p ms → %p', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});
