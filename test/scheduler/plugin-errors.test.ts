/**
 * Failures that are not rejections (schedule_one.go, framework/runtime/framework.go, v1.35): a
 * plugin's Error status fails the attempt with FailedScheduling and the error backoff queue,
 * never the whole run; PreFilter runs on past an Unschedulable plugin, stops on an Error
 * without PostFilter; no nodes, a failed binding, and the round-robin start over all nodes.
 */
import { describe, expect, it } from '@jest/globals';
import { ALWAYS_WRITABLE } from '../../src/model/api.js';
import type { NodeInfo } from '../../src/model/node-info.js';
import type { SimPod } from '../../src/model/objects.js';
import { ClusterStore } from '../../src/model/store.js';
import { makeNode, makePod } from '../../src/model/testing.js';
import type { PluginFactory } from '../../src/scheduler/framework/interfaces.js';
import { Status } from '../../src/scheduler/framework/status.js';
import { numFeasibleNodesToFind, scheduleCycle } from '../../src/scheduler/schedule-one.js';
import { schedulerHarness, type Harness } from './harness.js';

const node = (name: string) => makeNode(name, { allocatable: { cpu: 4000, memory: 8 << 30 } });
const failures = (h: Harness, pod = 'p') =>
  h.events
    .filter((e) => e.reason === 'FailedScheduling' && e.object === `default/${pod}`)
    .map((e) => [e.time, e.message]);
const scheduled = (h: Harness) =>
  h.events.filter((e) => e.reason === 'Scheduled').map((e) => [e.time, e.object]);

/** A profile with the default plugins plus `name` enabled at `point` (weight 1 if a Score). */
const withPlugin = (point: string, name = 'Broken') => ({
  apiVersion: 'kubescheduler.config.k8s.io/v1',
  kind: 'KubeSchedulerConfiguration',
  profiles: [
    {
      schedulerName: 'default-scheduler',
      plugins: { [point]: { enabled: [{ name, weight: 1 }] } },
    },
  ],
});

describe('an Error status from a plugin fails the attempt, not the run', () => {
  const broken =
    (method: string, result: unknown): PluginFactory =>
    () => ({
      name: 'Broken',
      [method]: () => result,
      ...(method === 'score' ? {} : method === 'normalizeScore' ? { score: () => 0 } : {}),
    });
  const cases: Array<[string, string, string, unknown, string]> = [
    ['Filter', 'filter', 'filter', Status.error('boom'), 'running "Broken" filter plugin: boom'],
    [
      'PreFilter',
      'preFilter',
      'preFilter',
      { status: Status.error('boom') },
      'running PreFilter plugin "Broken": boom',
    ],
    [
      'PreScore',
      'preScore',
      'preScore',
      Status.error('boom'),
      'running PreScore plugin "Broken": boom',
    ],
    [
      'NormalizeScore',
      'score',
      'normalizeScore',
      Status.error('boom'),
      'running Normalize on Score plugins: plugin "Broken" failed with: boom',
    ],
    [
      'a Score out of [0, 100]',
      'score',
      'score',
      101,
      'applying score defaultWeights on Score plugins: plugin "Broken" returns an invalid score 101, it should in the range of [0, 100] after normalizing',
    ],
  ];
  it.each(cases)(
    '%s: FailedScheduling with the error, retried from the error backoff queue',
    (_n, point, method, result, message) => {
      // Two nodes, so a cycle scores (one feasible node is taken without scoring).
      const h = schedulerHarness([node('n1'), node('n2')], {
        plugins: [['Broken', broken(method, result)]],
        config: withPlugin(point),
      });
      const p = makePod('p');
      h.store.addPod(p);
      h.engine.run({ until: 10_000 });
      // Attempts at 0, then after 1 s, 2 s and 4 s of error backoff (window-aligned): 2, 5, 10 s.
      expect(p.attempts).toBe(4);
      expect(failures(h)).toEqual([[0, message]]);
      expect(scheduled(h)).toEqual([]);
    },
  );

  it('keeps scheduling the other pods', () => {
    const picky: PluginFactory = () => ({
      name: 'Broken',
      filter: (_s: unknown, pod: SimPod) =>
        pod.metadata.name === 'bad' ? Status.error('boom') : null,
    });
    const h = schedulerHarness([node('n1')], {
      plugins: [['Broken', picky]],
      config: withPlugin('filter'),
    });
    h.store.addPod(makePod('bad'));
    h.store.addPod(makePod('good'));
    h.engine.run({ until: 1000 });
    expect(scheduled(h)).toEqual([[1, 'default/good']]);
  });

  it('names the plugin and the pod when a plugin throws (a bug in it: the run stops)', () => {
    const thrower: PluginFactory = () => ({
      name: 'Thrower',
      filter: () => {
        throw new TypeError('x is undefined');
      },
    });
    const h = schedulerHarness([node('n1')], {
      plugins: [['Thrower', thrower]],
      config: withPlugin('filter', 'Thrower'),
    });
    h.store.addPod(makePod('p'));
    expect(() => h.engine.run({ until: 1000 })).toThrow(
      'plugin "Thrower" threw at Filter for pod default/p on node n1: x is undefined',
    );
  });
});

describe('PreFilter', () => {
  const spies = (calls: string[]): Array<[string, PluginFactory]> => [
    [
      'Refuses',
      () => ({
        name: 'Refuses',
        preFilter: () => (calls.push('Refuses'), { status: Status.unschedulable('no') }),
      }),
    ],
    [
      'Fails',
      () => ({
        name: 'Fails',
        preFilter: () => (calls.push('Fails'), { status: Status.error('boom') }),
      }),
    ],
    ['Later', () => ({ name: 'Later', preFilter: () => (calls.push('Later'), { status: null }) })],
    [
      'Spy',
      () => ({
        name: 'Spy',
        postFilter: () => (calls.push('PostFilter'), { status: Status.unschedulable() }),
      }),
    ],
  ];
  const config = (...preFilters: string[]) => ({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [
      {
        schedulerName: 'default-scheduler',
        plugins: {
          preFilter: { enabled: preFilters.map((name) => ({ name })) },
          postFilter: { enabled: [{ name: 'Spy' }], disabled: [{ name: 'DefaultPreemption' }] },
        },
      },
    ],
  });

  it('runs the plugins after an Unschedulable one (#119770), then PostFilter', () => {
    const calls: string[] = [];
    const h = schedulerHarness([node('n1')], {
      plugins: spies(calls),
      config: config('Refuses', 'Later'),
    });
    h.store.addPod(makePod('p'));
    h.engine.run({ until: 0 });
    expect(calls).toEqual(['Refuses', 'Later', 'PostFilter']);
    expect(failures(h)).toEqual([[0, '0/1 nodes are available: no.']]);
  });

  it('stops at an Error, without PostFilter, and sends the pod to the error backoff queue', () => {
    const calls: string[] = [];
    const h = schedulerHarness([node('n1')], {
      plugins: spies(calls),
      config: config('Fails', 'Later'),
    });
    h.store.addPod(makePod('p'));
    h.engine.run({ until: 0 });
    expect(calls).toEqual(['Fails']);
    expect(failures(h)).toEqual([[0, 'running PreFilter plugin "Fails": boom']]);
    expect(h.scheduler.queue.sizes()).toEqual({
      active: 0,
      backoff: 1,
      unschedulable: 0,
      inflight: 0,
    });
    expect(h.scheduler.queue.hasPoppable()).toBe(false);
  });
});

describe('no nodes at all (ErrNoNodesAvailable)', () => {
  it('says "no nodes available to schedule pods" and retries from the error backoff queue', () => {
    const h = schedulerHarness([]);
    const p = makePod('p');
    h.store.addPod(p);
    h.engine.run({ until: 10_000 });
    expect(failures(h)).toEqual([[0, 'no nodes available to schedule pods']]);
    expect(p.attempts).toBe(4);
  });
});

describe('a failed binding frees the node for the others (ForgetPod as an AssignedPodDelete)', () => {
  it('retries the pod the assumed one crowded out as soon as the binding fails', () => {
    let refused = 0;
    const h = schedulerHarness([makeNode('n', { allocatable: { cpu: 2000, memory: 8 << 30 } })], {
      api: {
        ...ALWAYS_WRITABLE,
        write: (kind, _actor, done) => done(!(kind === 'binding' && refused++ === 0)),
      },
    });
    const a = makePod('a', { requests: { cpu: 2000 } });
    const b = makePod('b', { requests: { cpu: 2000 } });
    h.store.addPod(a);
    h.store.addPod(b);
    h.engine.run({ until: 1000 });
    // 0 ms: a assumed on n, b rejected (Insufficient cpu) and parked. 1 ms: a's binding is
    // refused; forgetting a is an assigned pod deleted, NodeResourcesFit's hint says Queue for b,
    // which (activeQ empty, SchedulerPopFromBackoffQ) is tried at once and bound at 2 ms.
    expect(failures(h, 'a')).toEqual([[1, 'Binding rejected: apiserver refused the binding']]);
    expect(scheduled(h)).toEqual([[2, 'default/b']]);
  });
});

describe('percentageOfNodesToScore and the round-robin start', () => {
  it.each([
    [1000, 420],
    [5000, 500],
    [5624, 337],
    [5625, 281],
    [10_000, 500],
  ])('the adaptive default looks for numFeasibleNodesToFind(%p nodes) = %p', (n, want) => {
    // p = max(50 − n/125, 5) %, at least 100 nodes: 42 % of 1000; 10 % of 5000; 6 % of 5624
    // (5624/125 = 44.99); 5 % from 5625 on.
    expect(numFeasibleNodesToFind(0, n)).toBe(want);
  });

  /** Default profile, `count` empty nodes in a store. */
  const cluster = (count: number) => {
    const store = new ClusterStore();
    for (let i = 0; i < count; i++) store.addNode(node(`n${i}`));
    const h = schedulerHarness([]);
    return { store, fw: h.scheduler.frameworkFor(makePod('x'))! };
  };

  it('advances the start by the nodes each cycle processed, over all nodes', () => {
    // 1000 nodes: each cycle finds 420 feasible nodes from where the last one stopped.
    const { store, fw } = cluster(1000);
    const ctx = { nextStartNodeIndex: 0, percentageOfNodesToScore: 0, random: () => 0.5 };
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      scheduleCycle(fw, makePod(`p${i}`), store.nodes(), ctx);
      starts.push(ctx.nextStartNodeIndex);
    }
    expect(starts).toEqual([420, 840, 260, 680]);
  });

  it('takes the start modulo all nodes even when PreFilter narrows the cycle to a few', () => {
    // The pod may only go to n5 or n7 (a metadata.name In term each): 2 nodes processed per cycle, but the
    // index wraps at the 10 nodes of the cluster: 0 → 2 → 4 → … → 8 → 0.
    const { store, fw } = cluster(10);
    const pinned = (name: string): SimPod =>
      makePod(name, {
        spec: {
          containers: [{ name: 'c' }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: ['n5', 'n7'].map((n) => ({
                  matchFields: [{ key: 'metadata.name', operator: 'In', values: [n] }],
                })),
              },
            },
          },
        },
      });
    const ctx = { nextStartNodeIndex: 0, percentageOfNodesToScore: 0, random: () => 0.5 };
    const starts: number[] = [];
    const placed: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = scheduleCycle(fw, pinned(`p${i}`), store.nodes(), ctx);
      placed.push(r.kind === 'scheduled' ? (r.node as NodeInfo).name : r.kind);
      starts.push(ctx.nextStartNodeIndex);
    }
    expect(starts).toEqual([2, 4, 6, 8, 0, 2]);
    // Both empty nodes score alike; with random() = 0.5 the tie goes to the first.
    expect(placed).toEqual(Array(6).fill('n5'));
  });
});
