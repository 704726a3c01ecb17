/**
 * End-to-end placement through runSimulation: the positions and messages the upstream
 * formulas predict, worked out by hand in each case's comment.
 */
import { describe, expect, it } from '@jest/globals';
import { runSimulation, type RunResult } from '../../src/simulation.js';
import { SIM_HEAD, scenarioFrom } from './harness.js';

/** Node of each pod, by pod name, from pods.csv rows. */
function placements(result: RunResult): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of result.metrics.podRows()) out.set(String(row[0]), String(row[2]));
  return out;
}

function eventsOf(result: RunResult, reason: string): Array<{ object: string; message: string }> {
  return result.metrics.events
    .filter((e) => e.reason === reason)
    .map((e) => ({ object: e.object, message: e.message }));
}

describe('NodeResourcesFit scoring strategies on unequal nodes', () => {
  // Nodes: small-0/1 with 5 cpu / 20Gi, big-0/1 with 16 cpu / 64Gi. Pods of 1 cpu / 4Gi, one a
  // minute. The pod's ratio equals every node's, so BalancedAllocation is 100 everywhere and
  // only NodeResourcesFit separates the nodes.
  // LeastAllocated: big with k pods scores ⌊(15−k)·100/16⌋ = 93, 87, 81, 75…; an empty small
  // one ⌊4·100/5⌋ = 80. So the bigs take three pods each (93, 87, 81 > 80), then a small one.
  // MostAllocated: small scores (k+1)·20, big ⌊(k+1)·100/16⌋: the first small node fills up
  // (20…100), then the second.
  const yaml = (strategy: string): string => `${SIM_HEAD('fit', '20m')}
  nodePools:
    - name: small
      count: 2
      zones: [zone-a]
      template:
        status: { allocatable: { cpu: '5', memory: 20Gi, pods: '110' } }
    - name: big
      count: 2
      zones: [zone-a]
      template:
        status: { allocatable: { cpu: '16', memory: 64Gi, pods: '110' } }
  workloads:
    - name: app
      arrivals: { constant: { rate: 1/m }, until: 9m }
      template:
        kind: Pod
        spec:
          containers:
            - { name: c, image: app, resources: { requests: { cpu: '1', memory: 4Gi } } }
---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: least
  - schedulerName: most
    pluginConfig:
      - name: NodeResourcesFit
        args: { scoringStrategy: { type: ${strategy} } }
`;

  it('places the first six pods three to a big node under LeastAllocated, the seventh on a small one', () => {
    const result = runSimulation(scenarioFrom(yaml('MostAllocated')), { profile: 'least' });
    const at = placements(result);
    const nodes = [...Array(9).keys()].map((i) => at.get(`default/app-${i}`)!);
    expect(nodes.slice(0, 6).every((n) => n.startsWith('big-'))).toBe(true);
    expect(nodes.slice(0, 6).filter((n) => n === 'big-0')).toHaveLength(3);
    expect(nodes[6]).toMatch(/^small-/);
    expect(result.profile).toBe('least');
  });

  it('fills one small node with five pods under MostAllocated, then the other', () => {
    const result = runSimulation(scenarioFrom(yaml('MostAllocated')), { profile: 'most' });
    const at = placements(result);
    const nodes = [...Array(9).keys()].map((i) => at.get(`default/app-${i}`)!);
    const first = nodes[0]!;
    expect(first).toMatch(/^small-/);
    expect(nodes.slice(0, 5)).toEqual(Array(5).fill(first));
    const second = first === 'small-0' ? 'small-1' : 'small-0';
    expect(nodes.slice(5)).toEqual(Array(4).fill(second));
  });

  it('refuses a --profile the configuration does not have, naming the ones it has', () => {
    expect(() =>
      runSimulation(scenarioFrom(yaml('MostAllocated')), { profile: 'fastest' }),
    ).toThrow('no scheduling profile named "fastest"; the configuration has "least", "most"');
  });
});

describe('InterPodAffinity spreads replicas with required anti-affinity', () => {
  // Six replicas that repel each other per hostname on five nodes: one per node, and the sixth
  // is rejected everywhere by its own anti-affinity (Unschedulable, so preemption looks, but
  // every pod has priority 0: no victims).
  const yaml = `${SIM_HEAD('anti', '20m')}
  nodePools:
    - name: n
      count: 5
      zones: [zone-a]
      template:
        status: { allocatable: { cpu: '8', memory: 32Gi, pods: '110' } }
  workloads:
    - name: db
      arrivals: { constant: { rate: 1/m }, until: 6m }
      template:
        kind: Pod
        metadata: { labels: { app: db } }
        spec:
          affinity:
            podAntiAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: { matchLabels: { app: db } }
                  topologyKey: kubernetes.io/hostname
          containers:
            - { name: c, image: db, resources: { requests: { cpu: 100m, memory: 128Mi } } }
`;

  it('puts one replica on each node and reports the sixth with the anti-affinity reason', () => {
    const result = runSimulation(scenarioFrom(yaml));
    const at = placements(result);
    const nodes = [...Array(5).keys()].map((i) => at.get(`default/db-${i}`));
    expect(new Set(nodes).size).toBe(5);
    expect(at.get('default/db-5')).toBe('');
    expect(eventsOf(result, 'FailedScheduling')[0]).toEqual({
      object: 'default/db-5',
      message:
        "0/5 nodes are available: 5 node(s) didn't match pod anti-affinity rules. " +
        'preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.',
    });
  });
});

describe('PodTopologySpread keeps the zone skew within maxSkew', () => {
  // zone-a has three nodes, zone-b and zone-c one each. Without the constraint LeastAllocated
  // would favour zone-a's emptier nodes; with maxSkew 1 over zones (DoNotSchedule) the counts
  // per zone may never differ by more than one, after every single placement.
  const yaml = `${SIM_HEAD('spread', '30m')}
  nodePools:
    - { name: a, count: 3, zones: [zone-a], template: { status: { allocatable: { cpu: '8', memory: 32Gi, pods: '110' } } } }
    - { name: b, count: 1, zones: [zone-b], template: { status: { allocatable: { cpu: '8', memory: 32Gi, pods: '110' } } } }
    - { name: c, count: 1, zones: [zone-c], template: { status: { allocatable: { cpu: '8', memory: 32Gi, pods: '110' } } } }
  workloads:
    - name: web
      arrivals: { constant: { rate: 1/m }, until: 12m }
      template:
        kind: Pod
        metadata: { labels: { app: web } }
        spec:
          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: DoNotSchedule
              labelSelector: { matchLabels: { app: web } }
          containers:
            - { name: c, image: web, resources: { requests: { cpu: 250m, memory: 256Mi } } }
`;

  it('never lets one zone run two pods ahead of another, and ends 4/4/4', () => {
    const result = runSimulation(scenarioFrom(yaml));
    const zoneOf = (node: string): string => `zone-${node[0]}`;
    const counts = new Map([
      ['zone-a', 0],
      ['zone-b', 0],
      ['zone-c', 0],
    ]);
    const skews: number[] = [];
    for (const e of eventsOf(result, 'Scheduled')) {
      const node = e.message.slice(e.message.lastIndexOf(' ') + 1);
      const z = zoneOf(node);
      counts.set(z, counts.get(z)! + 1);
      skews.push(Math.max(...counts.values()) - Math.min(...counts.values()));
    }
    expect(skews).toHaveLength(12);
    expect(Math.max(...skews)).toBe(1);
    expect([...counts.values()]).toEqual([4, 4, 4]);
  });
});

describe('DefaultPreemption picks the lowest-priority victims and honours PodDisruptionBudgets', () => {
  // n-0: guarded (priority 5, app=guarded) + free (10); n-1: mid-a (50) + mid-b (60); each
  // pod 2 of the node's 4 cpu. A priority-1000 pod of 2 cpu arrives at 60 s.
  // n-0: remove both, reprieve most important first; n-1 likewise. The best node has the
  // lowest highest-priority victim: n-0. Without a budget free (10) is reprieved and guarded
  // (5) goes. With a budget that allows no disruption of guarded, guarded is reprieved first
  // (PDB-violating pods are reprieved before the others) and free goes instead.
  const pod = (name: string, node: string, pc: string, app: string): string => `---
apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: { app: ${app} } }
spec:
  nodeName: ${node}
  priorityClassName: ${pc}
  containers: [{ name: c, image: x, resources: { requests: { cpu: '2', memory: 1Gi } } }]
`;
  const pc = (name: string, value: number): string =>
    `---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: { name: ${name} }\nvalue: ${value}\n`;
  const yaml = (pdb: string): string =>
    `${SIM_HEAD('preempt', '10m')}
  nodePools:
    - name: n
      count: 2
      zones: [zone-a]
      template:
        status: { allocatable: { cpu: '4', memory: 16Gi, pods: '110' } }
  workloads:
    - name: urgent
      arrivals: { constant: { rate: 1/m }, from: 1m, until: 2m }
      template:
        kind: Pod
        spec:
          priorityClassName: p1000
          containers: [{ name: c, image: x, resources: { requests: { cpu: '2', memory: 1Gi } } }]
${pc('p5', 5)}${pc('p10', 10)}${pc('p50', 50)}${pc('p60', 60)}${pc('p1000', 1000)}${pod('guarded', 'n-0', 'p5', 'guarded')}${pod('free', 'n-0', 'p10', 'free')}${pod('mid-a', 'n-1', 'p50', 'mid')}${pod('mid-b', 'n-1', 'p60', 'mid')}${pdb}`;

  const cases: Array<[string, string, string]> = [
    ['without a budget, the lowest-priority pod is the victim', '', 'default/guarded'],
    [
      'with minAvailable 1 over the only guarded pod (status computed), the next one is',
      `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: guarded }
spec: { minAvailable: 1, selector: { matchLabels: { app: guarded } } }
`,
      'default/free',
    ],
  ];
  it.each(cases)('%s', (_name, pdb, victim) => {
    const result = runSimulation(scenarioFrom(yaml(pdb)));
    expect(eventsOf(result, 'Preempted').map((e) => e.object)).toEqual([victim]);
    expect(placements(result).get('default/urgent-0')).toBe('n-0');
  });
});

describe('FailedScheduling tells why no node fits', () => {
  // small-0/1: 2 cpu, 1.5 already taken by a priority-0 pod: 1 more cpu does not fit, but it
  // would on an empty node (Unschedulable, preemption looks and finds no lower priority).
  // gpu-0/1/2: a taint the pod does not tolerate (UnschedulableAndUnresolvable: preemption
  // cannot help).
  const running = (i: number): string => `---
apiVersion: v1
kind: Pod
metadata: { name: busy-${i} }
spec:
  nodeName: small-${i}
  containers: [{ name: c, image: x, resources: { requests: { cpu: 1500m, memory: 1Gi } } }]
`;
  const yaml = `${SIM_HEAD('nowhere', '5m')}
  nodePools:
    - name: small
      count: 2
      zones: [zone-a]
      template:
        status: { allocatable: { cpu: '2', memory: 8Gi, pods: '110' } }
    - name: gpu
      count: 3
      zones: [zone-a]
      template:
        spec:
          taints: [{ key: dedicated, value: gpu, effect: NoSchedule }]
        status: { allocatable: { cpu: '8', memory: 32Gi, pods: '110' } }
  workloads:
    - name: job
      arrivals: { constant: { rate: 1/m }, until: 1m }
      template:
        kind: Pod
        spec:
          containers: [{ name: c, image: x, resources: { requests: { cpu: '1', memory: 1Gi } } }]
${running(0)}${running(1)}`;

  it('counts each reason once per node, sorted, and adds what preemption found', () => {
    const result = runSimulation(scenarioFrom(yaml));
    expect(eventsOf(result, 'FailedScheduling')[0]).toEqual({
      object: 'default/job-0',
      message:
        '0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint(s). ' +
        'preemption: 0/5 nodes are available: 2 No preemption victims found for incoming pod, ' +
        '3 Preemption is not helpful for scheduling.',
    });
  });
});
