/**
 * Which cluster events requeue a parked pod, and when (eventhandlers.go and the plugins'
 * QueueingHints, v1.35), on a bare scheduler: times are the cycle cost model's (250 µs + 2 µs
 * per node evaluated, a decision taking effect in the next whole millisecond).
 */
import { describe, expect, it } from '@jest/globals';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { SimPod } from '../../src/model/objects.js';
import { makeNode, makePod, type PodOptions } from '../../src/model/testing.js';
import {
  ActionType,
  type ClusterEventWithHint,
  type Handle,
  type PluginFactory,
  type WaitingPod,
} from '../../src/scheduler/framework/interfaces.js';
import { Status } from '../../src/scheduler/framework/status.js';
import { runSimulation } from '../../src/simulation.js';
import { SIM_HEAD, scenarioFrom, schedulerHarness, type Harness } from './harness.js';

const scheduledAt = (h: Harness, pod: string): number[] =>
  h.events
    .filter((e) => e.reason === 'Scheduled' && e.object === `default/${pod}`)
    .map((e) => e.time);

const withSpec = (name: string, spec: Partial<PodSpec>, opts: PodOptions = {}): SimPod =>
  makePod(name, { ...opts, spec: { containers: [{ name: 'c' }], ...spec } });

/** A pod that needs a pod labelled app=leader on its node. */
const follower = (): SimPod =>
  withSpec('follower', {
    affinity: {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchLabels: { app: 'leader' } },
            topologyKey: 'kubernetes.io/hostname',
          },
        ],
      },
    },
  });

describe('an assigned pod added requeues pods that wait for it (AssignedPodAdd)', () => {
  const nodes = () => [makeNode('n', { allocatable: { cpu: 4000, memory: 8 << 30 } })];

  it('places the follower right after the leader it needs is bound, not at the 5 min flush', () => {
    const h = schedulerHarness(nodes());
    const f = follower();
    h.store.addPod(f);
    h.engine.scheduleAt(10_000, () =>
      h.store.addPod(makePod('leader', { labels: { app: 'leader' } })),
    );
    h.engine.run({ until: 400_000 });
    // follower: rejected by InterPodAffinity at 0 (parked). leader: cycle 10.000 s → bound at
    // 10.001 s; the binding is an AssignedPodAdd whose hint matches the follower's term, and its
    // 1 s backoff (from 0) is long over: activeQ, scheduled in the next cycle, bound at 10.002 s.
    expect(scheduledAt(h, 'leader')).toEqual([10_001]);
    expect(scheduledAt(h, 'follower')).toEqual([10_002]);
    expect(f.attempts).toBe(2);
  });

  it('counts a pod created already bound (spec.nodeName) as an assigned pod added', () => {
    const h = schedulerHarness(nodes());
    h.store.addPod(follower());
    h.engine.scheduleAt(10_000, () =>
      h.store.addPod(makePod('leader', { labels: { app: 'leader' }, nodeName: 'n' })),
    );
    h.engine.run({ until: 20_000 });
    expect(scheduledAt(h, 'follower')).toEqual([10_001]);
  });

  it('leaves the follower parked when the pod bound does not match its term (hint QueueSkip)', () => {
    const h = schedulerHarness(nodes());
    const f = follower();
    h.store.addPod(f);
    h.engine.scheduleAt(10_000, () => h.store.addPod(makePod('other', { labels: { app: 'x' } })));
    h.engine.run({ until: 20_000 });
    expect(scheduledAt(h, 'other')).toEqual([10_001]);
    expect(f.attempts).toBe(1);
    expect(h.scheduler.queue.unschedulablePods().map((i) => i.pod)).toEqual([f]);
  });
});

describe('a preemptor waits for its victim to be gone, not for the victim to start terminating', () => {
  // One node of 2 cpu, held by `low` (priority 0, 20 s to shut down). `urgent` (priority
  // 1000, 2 cpu) arrives at 60 s, is rejected by NodeResourcesFit and preempts low: low gets
  // its deletionTimestamp at 60 s — an assigned-pod update that no plugin registered — and is
  // deleted when it has shut down, at 80 s. Only that deletion (NodeResourcesFit's hint:
  // an assigned pod deleted → Queue) retries urgent, whose 1 s backoff ended long ago.
  const yaml = `${SIM_HEAD('preempt-wait', '5m')}
  nodePools:
    - name: n
      count: 1
      zones: [zone-a]
      template:
        status: { allocatable: { cpu: '2', memory: 16Gi, pods: '110' } }
  workloads:
    - name: urgent
      arrivals: { constant: { rate: 1/m }, from: 1m, until: 2m }
      template:
        kind: Pod
        spec:
          priorityClassName: high
          containers: [{ name: c, image: x, resources: { requests: { cpu: '2', memory: 1Gi } } }]
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: { name: high }
value: 1000
---
apiVersion: v1
kind: Pod
metadata: { name: low, annotations: { ksim.dev/shutdown: 20s } }
spec:
  nodeName: n-0
  containers: [{ name: c, image: x, resources: { requests: { cpu: '2', memory: 1Gi } } }]
`;

  it('retries the preemptor once, when the victim is deleted, and binds it then', () => {
    const result = runSimulation(scenarioFrom(yaml));
    const urgent = [...result.store.pods()].find((p) => p.key === 'default/urgent-0')!;
    const events = result.metrics.events.filter((e) => e.object === 'default/urgent-0');
    expect(events.map((e) => [e.time, e.reason])).toEqual([
      [60_000, 'FailedScheduling'],
      [80_001, 'Scheduled'],
    ]);
    expect(urgent.attempts).toBe(2);
    expect(result.store.getPod('default/low')).toBeUndefined();
  });
});

describe('PreEnqueue runs again on every move, and gated pods wait for their gate’s events', () => {
  /** A PreEnqueue plugin gating pods until the cluster has `min` nodes; it registers NodeAdd. */
  const waitForNodes =
    (min: number, calls: number[]): PluginFactory =>
    (_args, handle) => ({
      name: 'WaitForNodes',
      preEnqueue(): Status | null {
        calls.push(handle.now());
        return handle.store.nodeCount >= min
          ? null
          : Status.unresolvable(`waiting for ${min} nodes`);
      },
      eventsToRegister: (): ClusterEventWithHint[] => [
        { event: { resource: 'Node', actionType: ActionType.Add } },
      ],
    });
  const config = (plugin: string) => ({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [
      {
        schedulerName: 'default-scheduler',
        plugins: { preEnqueue: { enabled: [{ name: plugin }] } },
      },
    ],
  });
  const node = (name: string) => makeNode(name, { allocatable: { cpu: 4000, memory: 8 << 30 } });

  it('re-checks a gated pod on its gate’s events only, and lets it in once PreEnqueue passes', () => {
    const calls: number[] = [];
    const h = schedulerHarness([node('n1')], {
      plugins: [['WaitForNodes', waitForNodes(3, calls)]],
      config: config('WaitForNodes'),
    });
    const p = makePod('p');
    h.store.addPod(p);
    // A pod bound at 2 s is not an event WaitForNodes registered: the gate is not re-run.
    h.engine.scheduleAt(2000, () => h.store.addPod(makePod('bound', { nodeName: 'n1' })));
    h.engine.scheduleAt(3000, () => h.store.addNode(node('n2')));
    h.engine.scheduleAt(6000, () => h.store.addNode(node('n3')));
    h.engine.run({ until: 10_000 });
    // PreEnqueue at the add (gated), at 3 s (2 nodes: still gated), at 6 s (passes).
    expect(calls).toEqual([0, 3000, 6000]);
    expect(scheduledAt(h, 'p')).toEqual([6001]);
    expect(p.attempts).toBe(1);
  });

  it('re-runs PreEnqueue when an event moves a rejected pod, parking it gated if it now fails', () => {
    let closed = false;
    const gate: PluginFactory = () => ({
      name: 'Gate',
      preEnqueue: (): Status | null => (closed ? Status.unresolvable('closed') : null),
      eventsToRegister: (): ClusterEventWithHint[] => [
        { event: { resource: 'Pod', actionType: ActionType.Delete } },
      ],
    });
    const h = schedulerHarness([makeNode('n1', { allocatable: { cpu: 1000, memory: 8 << 30 } })], {
      plugins: [['Gate', gate]],
      config: config('Gate'),
    });
    const big = makePod('big', { requests: { cpu: 2000 } });
    h.store.addPod(big);
    h.engine.scheduleAt(1000, () => (closed = true));
    // A node that fits: NodeResourcesFit's hint says Queue, but PreEnqueue now gates the pod.
    h.engine.scheduleAt(5000, () =>
      h.store.addNode(makeNode('n2', { allocatable: { cpu: 4000, memory: 8 << 30 } })),
    );
    h.engine.run({ until: 8000 });
    expect(big.attempts).toBe(1);
    expect(h.scheduler.queue.isGated(big)).toBe(true);
    // Gate registered pod deletions: one opens the gate again.
    h.engine.scheduleAt(9000, () => {
      closed = false;
      const other = makePod('other', { nodeName: 'n1' });
      h.store.addPod(other);
      h.store.deletePod(other);
    });
    h.engine.run({ until: 12_000 });
    expect(scheduledAt(h, 'big')).toEqual([9001]);
  });

  it('lets a pod in when its scheduling gates are removed (SchedulingGates’ hint)', () => {
    const h = schedulerHarness([node('n1')]);
    const p = withSpec('gated', { schedulingGates: [{ name: 'example.com/wait' }] });
    h.store.addPod(p);
    h.engine.scheduleAt(7000, () => {
      const old = { ...p, spec: { ...p.spec } };
      p.spec.schedulingGates = [];
      h.store.updatePod(p, 'spec', old);
    });
    h.engine.run({ until: 6999 });
    expect(h.scheduler.queue.isGated(p)).toBe(true);
    h.engine.run({ until: 10_000 });
    expect(scheduledAt(h, 'gated')).toEqual([7001]);
    expect(p.attempts).toBe(1);
  });
});

describe('Permit: waiting pods, allowed by every plugin or rejected at their timeout', () => {
  /** Permit plugins `names`; `reserve` also at Reserve. */
  const permitConfig = (names: string[], reserve: string[] = []) => ({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [
      {
        schedulerName: 'default-scheduler',
        plugins: {
          permit: { enabled: names.map((name) => ({ name })) },
          reserve: { enabled: reserve.map((name) => ({ name })) },
        },
      },
    ],
  });
  const big = () => [makeNode('n', { allocatable: { cpu: 8000, memory: 16 << 30 } })];
  const failures = (h: Harness, pod: string) =>
    h.events
      .filter((e) => e.reason === 'FailedScheduling' && e.object === `default/${pod}`)
      .map((e) => [e.time, e.message]);

  /**
   * A coscheduling-like gate: a pod waits (up to `timeoutMs`) until `size` pods of its group
   * have reached Permit; the last one allows the others. Unreserve calls are recorded.
   */
  const gang =
    (size: number, timeoutMs: number, unreserved: string[]): PluginFactory =>
    (_a, handle) => ({
      name: 'Gang',
      reserve: (): Status | null => null,
      unreserve: (_s: unknown, pod: SimPod) => void unreserved.push(pod.metadata.name),
      permit(_s: unknown, pod: SimPod): { status: Status | null; timeoutMs?: number } {
        const group = pod.metadata.labels.group;
        const waiting: WaitingPod[] = [];
        handle.iterateOverWaitingPods!((wp) => {
          if (wp.getPod().metadata.labels.group === group) waiting.push(wp);
        });
        if (waiting.length + 1 < size) return { status: Status.wait(), timeoutMs };
        for (const wp of waiting) wp.allow('Gang');
        return { status: null };
      },
      // A new member of a gang may complete it (the coscheduling plugin's Pod/Add).
      eventsToRegister: (): ClusterEventWithHint[] => [
        { event: { resource: 'Pod', actionType: ActionType.Add } },
      ],
    });
  const member = (name: string) =>
    makePod(name, { labels: { group: 'g' }, requests: { cpu: 1000 } });

  it('binds the whole gang when its last member reaches Permit', () => {
    const h = schedulerHarness(big(), {
      plugins: [['Gang', gang(3, 30_000, [])]],
      config: permitConfig(['Gang'], ['Gang']),
    });
    h.engine.scheduleAt(0, () => h.store.addPod(member('a')));
    h.engine.scheduleAt(5000, () => h.store.addPod(member('b')));
    h.engine.scheduleAt(10_000, () => h.store.addPod(member('c')));
    h.engine.run({ until: 9999 });
    expect(h.events.filter((e) => e.reason === 'Scheduled')).toEqual([]);
    // a and b waited from 1 ms and 5.001 s; c's cycle (10.000 → 10.001 s) allows them.
    h.engine.run({ until: 60_000 });
    expect(h.events.filter((e) => e.reason === 'Scheduled').map((e) => [e.time, e.object])).toEqual(
      [
        [10_001, 'default/a'],
        [10_001, 'default/b'],
        [10_001, 'default/c'],
      ],
    );
  });

  it('rejects a waiting pod at its plugin’s timeout: Unreserve, resources freed, FailedScheduling, parked', () => {
    const unreserved: string[] = [];
    const h = schedulerHarness(big(), {
      plugins: [['Gang', gang(3, 10_000, unreserved)]],
      config: permitConfig(['Gang'], ['Gang']),
    });
    h.engine.scheduleAt(0, () => h.store.addPod(member('a')));
    h.engine.scheduleAt(5000, () => h.store.addPod(member('b')));
    h.engine.run({ until: 10_000 });
    // Both assumed while waiting: their cpu is taken on the node.
    expect(h.store.getNodeInfo('n')!.requested.milliCPU).toBe(2000);
    h.engine.run({ until: 20_000 });
    const message = (d: string) =>
      `0/1 nodes are available: 1 rejected due to timeout after waiting ${d} at plugin Gang.`;
    expect(failures(h, 'a')).toEqual([[10_001, message('10s')]]);
    expect(failures(h, 'b')).toEqual([[15_001, message('10s')]]);
    expect(unreserved).toEqual(['a', 'b']);
    expect(h.store.getNodeInfo('n')!.requested.milliCPU).toBe(0);
    // Rejected by Gang: parked until an event Gang registered (a pod added).
    expect(h.scheduler.queue.unschedulablePods().map((i) => i.pod.metadata.name)).toEqual([
      'a',
      'b',
    ]);
    expect(h.events.filter((e) => e.reason === 'Scheduled')).toEqual([]);
  });

  it('binds a pod two plugins made wait only once both allowed it', () => {
    const handles: Handle[] = [];
    const waiter =
      (name: string): PluginFactory =>
      (_a, handle) => {
        handles.push(handle);
        return { name, permit: () => ({ status: Status.wait(), timeoutMs: 60_000 }) };
      };
    const h = schedulerHarness(big(), {
      plugins: [
        ['A', waiter('A')],
        ['B', waiter('B')],
      ],
      config: permitConfig(['A', 'B']),
    });
    const p = makePod('p');
    h.store.addPod(p);
    const waiting = () => handles.at(-1)!.getWaitingPod!(p.metadata.uid);
    h.engine.scheduleAt(5000, () => waiting()!.allow('A'));
    h.engine.scheduleAt(8000, () => {
      expect(waiting()!.getPendingPlugins()).toEqual(['B']);
      waiting()!.allow('B');
    });
    h.engine.run({ until: 7999 });
    expect(scheduledAt(h, 'p')).toEqual([]);
    h.engine.run({ until: 10_000 });
    expect(scheduledAt(h, 'p')).toEqual([8000]);
    expect(waiting()).toBeUndefined();
  });

  it('caps a wait at 15 minutes (maxTimeout)', () => {
    const slow: PluginFactory = () => ({
      name: 'Slow',
      permit: () => ({ status: Status.wait(), timeoutMs: 3_600_000 }),
    });
    const h = schedulerHarness(big(), {
      plugins: [['Slow', slow]],
      config: permitConfig(['Slow']),
    });
    h.store.addPod(makePod('p'));
    h.engine.run({ until: 1_000_000 });
    expect(failures(h, 'p')).toEqual([
      [
        900_001,
        '0/1 nodes are available: 1 rejected due to timeout after waiting 15m0s at plugin Slow.',
      ],
    ]);
  });

  it('rejects a waiting pod that is deleted, freeing its node at once', () => {
    const slow: PluginFactory = () => ({
      name: 'Slow',
      permit: () => ({ status: Status.wait(), timeoutMs: 60_000 }),
    });
    const h = schedulerHarness(big(), {
      plugins: [['Slow', slow]],
      config: permitConfig(['Slow']),
    });
    const p = makePod('p', { requests: { cpu: 1000 } });
    h.store.addPod(p);
    h.engine.scheduleAt(3000, () => h.store.deletePod(p));
    h.engine.run({ until: 3000 });
    expect(h.store.getNodeInfo('n')!.requested.milliCPU).toBe(0);
    h.engine.run({ until: 100_000 });
    expect(failures(h, 'p')).toEqual([]);
    expect(h.scheduler.queue.has(p)).toBe(false);
  });
});

describe('the affinity follower in a whole simulation (kubelets, controllers)', () => {
  // The follower is listed at 0 s and needs a pod app=leader on its node; the leader Pod
  // arrives at 10 s. Before AssignedPodAdd was raised, the follower waited for the 5 min flush
  // (330 s). Now the leader's binding at 10.001 s requeues it: bound at 10.002 s.
  const yaml = `${SIM_HEAD('follower', '10m')}
  nodePools:
    - name: n
      count: 2
      zones: [zone-a]
      template:
        status: { allocatable: { cpu: '4', memory: 16Gi, pods: '110' } }
  workloads:
    - name: leader
      arrivals: { constant: { rate: 1/m }, from: 10s, until: 11s }
      template:
        kind: Pod
        metadata: { labels: { app: leader } }
        spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: '1', memory: 1Gi } } }] }
---
apiVersion: v1
kind: Pod
metadata: { name: follower }
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector: { matchLabels: { app: leader } }
          topologyKey: kubernetes.io/hostname
  containers: [{ name: c, image: x, resources: { requests: { cpu: '1', memory: 1Gi } } }]
`;

  it('places the follower on the leader’s node 1 ms after the leader binds', () => {
    const result = runSimulation(scenarioFrom(yaml));
    const scheduled = result.metrics.events
      .filter((e) => e.reason === 'Scheduled')
      .map((e) => [e.time, e.object]);
    expect(scheduled).toEqual([
      [10_001, 'default/leader-0'],
      [10_002, 'default/follower'],
    ]);
    const nodeOf = (key: string) => result.store.getPod(key)?.spec.nodeName;
    expect(nodeOf('default/follower')).toBe(nodeOf('default/leader-0'));
  });
});
