/**
 * The framework runners whose results end up in FailedScheduling: PreFilter node subsets and
 * rejections (framework.go RunPreFilterPlugins), PostFilter reasons (RunPostFilterPlugins), and
 * the FitError text (types.go FitError.Error()), with stub plugins.
 */
import { describe, expect, it } from '@jest/globals';
import { ClusterStore } from '../../model/store.js';
import { makeNode, makeNodeInfo, makePod } from '../../model/testing.js';
import { CycleState } from './cycle-state.js';
import { fitErrorMessage } from './fit-error.js';
import { Framework, type ProfileConfig } from './framework.js';
import type {
  Handle,
  Plugin,
  PluginFactory,
  PostFilterResult,
  PreFilterResult,
} from './interfaces.js';
import { Code, Status } from './status.js';

const handle: Handle = {
  store: new ClusterStore(),
  now: () => 0,
  random: () => 0,
  recordEvent: () => undefined,
  parallelism: 16,
};

const sort: Plugin & { less: () => boolean } = { name: 'Sort', less: () => false };
const bind: Plugin & { bind: () => null } = { name: 'Bind', bind: () => null };

function framework(
  preFilters: Array<[string, () => { result?: PreFilterResult; status: Status | null }]>,
  postFilters: Array<[string, () => { result?: PostFilterResult; status: Status | null }]> = [],
): { fw: Framework; calls: string[] } {
  const calls: string[] = [];
  const registry = new Map<string, PluginFactory>([
    ['Sort', () => sort],
    ['Bind', () => bind],
  ]);
  for (const [name, run] of preFilters) {
    registry.set(name, () => ({
      name,
      preFilter: () => {
        calls.push(name);
        return run();
      },
    }));
  }
  for (const [name, run] of postFilters) {
    registry.set(name, () => ({
      name,
      postFilter: () => {
        calls.push(name);
        return run();
      },
    }));
  }
  const profile: ProfileConfig = {
    schedulerName: 'default-scheduler',
    plugins: {
      preEnqueue: [],
      queueSort: ['Sort'],
      preFilter: preFilters.map(([n]) => n),
      filter: [],
      postFilter: postFilters.map(([n]) => n),
      preScore: [],
      score: [],
      reserve: [],
      permit: [],
      preBind: [],
      bind: ['Bind'],
      postBind: [],
    },
    pluginConfig: new Map(),
  };
  return { fw: new Framework(profile, registry, handle), calls };
}

const nodes = ['a', 'b', 'c'].map((n) => makeNodeInfo(makeNode(n)));
const pod = makePod('p');
const subset =
  (...n: string[]) =>
  () => ({ result: { nodeNames: new Set(n) }, status: null });

describe('Framework.runPreFilter', () => {
  it('intersects node subsets and names the plugins that made them', () => {
    const { fw } = framework([
      ['ZPlugin', subset('a', 'b')],
      ['APlugin', subset('b', 'c')],
      ['Other', () => ({ status: null })],
    ]);
    const r = fw.runPreFilter(new CycleState(), pod, nodes);
    expect([...r.nodeNames!]).toEqual(['b']);
    expect([...r.pluginsWithNodes]).toEqual(['ZPlugin', 'APlugin']);
    expect(r.status).toBeNull();
  });

  it('an empty subset from one plugin: "plugin X", unresolvable, naming no plugin', () => {
    const { fw } = framework([['NodeAffinity', subset()]]);
    const r = fw.runPreFilter(new CycleState(), pod, nodes);
    expect(r.status?.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(r.status?.reasons).toEqual(["node(s) didn't satisfy plugin NodeAffinity"]);
    expect(r.status?.plugin).toBe('');
  });

  it('an empty intersection of several: "plugin(s) [A B] simultaneously", Go-sorted', () => {
    const { fw } = framework([
      ['NodeAffinity', subset('a')],
      ['Custom', subset('b')],
    ]);
    const r = fw.runPreFilter(new CycleState(), pod, nodes);
    expect(r.status?.reasons).toEqual([
      "node(s) didn't satisfy plugin(s) [Custom NodeAffinity] simultaneously",
    ]);
  });

  it('an Unschedulable rejection lets the later PreFilters run, then is returned', () => {
    const { fw, calls } = framework([
      ['First', () => ({ status: Status.unschedulable('first says no') })],
      ['Second', () => ({ status: null })],
    ]);
    const r = fw.runPreFilter(new CycleState(), pod, nodes);
    expect(calls).toEqual(['First', 'Second']);
    expect(r.status?.reasons).toEqual(['first says no']);
    expect(r.status?.plugin).toBe('First');
  });

  it('an UnschedulableAndUnresolvable rejection stops the PreFilters', () => {
    const { fw, calls } = framework([
      ['First', () => ({ status: Status.unresolvable('never') })],
      ['Second', () => ({ status: null })],
    ]);
    expect(fw.runPreFilter(new CycleState(), pod, nodes).status?.plugin).toBe('First');
    expect(calls).toEqual(['First']);
  });
});

describe('Framework.runPostFilter', () => {
  it('joins the Unschedulable reasons with ", " and keeps the last nomination', () => {
    const { fw, calls } = framework(
      [],
      [
        ['DRA', () => ({ status: Status.unschedulable('no new claims to deallocate') })],
        [
          'Preempt',
          () => ({
            result: { nominatedNodeName: '' },
            status: Status.unschedulable('preemption: 0/3 nodes are available.'),
          }),
        ],
      ],
    );
    const r = fw.runPostFilter(new CycleState(), pod, new Map());
    expect(calls).toEqual(['DRA', 'Preempt']);
    expect(r.message).toBe('no new claims to deallocate, preemption: 0/3 nodes are available.');
    expect(r.result).toEqual({ nominatedNodeName: '' });
    expect(r.status?.plugin).toBe('DRA');
  });

  it('stops at an Error, whose message is the whole PostFilter message', () => {
    const { fw, calls } = framework(
      [],
      [
        ['DRA', () => ({ status: Status.error('not found') })],
        ['Preempt', () => ({ status: Status.unschedulable('never reached') })],
      ],
    );
    const r = fw.runPostFilter(new CycleState(), pod, new Map());
    expect(calls).toEqual(['DRA']);
    expect(r.message).toBe('not found');
    expect(r.status?.code).toBe(Code.Error);
  });

  it('stops at an UnschedulableAndUnresolvable one', () => {
    const { fw, calls } = framework(
      [],
      [
        ['A', () => ({ status: Status.unresolvable('hopeless') })],
        ['B', () => ({ status: Status.unschedulable('never reached') })],
      ],
    );
    expect(fw.runPostFilter(new CycleState(), pod, new Map()).message).toBe('hopeless');
    expect(calls).toEqual(['A']);
  });

  it('returns at the first success with its nomination', () => {
    const { fw } = framework(
      [],
      [
        ['A', () => ({ status: Status.unschedulable('no') })],
        ['B', () => ({ result: { nominatedNodeName: 'b' }, status: null })],
      ],
    );
    expect(fw.runPostFilter(new CycleState(), pod, new Map())).toEqual({
      result: { nominatedNodeName: 'b' },
      status: null,
      message: '',
    });
  });
});

describe('fitErrorMessage (FitError.Error())', () => {
  const cpu = Status.unschedulable('Insufficient cpu');
  const both = Status.unschedulable('Insufficient cpu', 'Insufficient memory');
  const taint = Status.unresolvable('node(s) had untolerated taint(s)');
  const statuses = (...s: Status[]) => new Map(s.map((x, i) => [`n${i}`, x]));

  it('counts each reason once per node, sorted as strings, then the PostFilter message after a space', () => {
    expect(
      fitErrorMessage({
        numAllNodes: 4,
        nodeToStatus: statuses(both, cpu, taint, cpu),
        postFilterMsg: 'preemption: 0/4 nodes are available: 4 Preemption is not helpful.',
      }),
    ).toBe(
      '0/4 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint(s), 3 Insufficient cpu. ' +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful.',
    );
  });

  it('sorts "10 x" before "9 y", as strings', () => {
    const many = new Map<string, Status>();
    for (let i = 0; i < 10; i++) many.set(`a${i}`, taint);
    for (let i = 0; i < 9; i++) many.set(`b${i}`, cpu);
    expect(fitErrorMessage({ numAllNodes: 19, nodeToStatus: many })).toBe(
      '0/19 nodes are available: 10 node(s) had untolerated taint(s), 9 Insufficient cpu.',
    );
  });

  it('adds the nodes without a status under the absent-nodes reason', () => {
    expect(
      fitErrorMessage({
        numAllNodes: 5,
        nodeToStatus: statuses(cpu),
        absentStatus: Status.unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]"),
      }),
    ).toBe(
      "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
  });

  it('without an absent-nodes status the others add nothing', () => {
    expect(fitErrorMessage({ numAllNodes: 5, nodeToStatus: statuses(cpu) })).toBe(
      '0/5 nodes are available: 1 Insufficient cpu.',
    );
  });

  it('a PreFilter message replaces the histogram', () => {
    expect(
      fitErrorMessage({
        numAllNodes: 3,
        nodeToStatus: statuses(cpu, cpu, cpu),
        preFilterMsg: 'pod has unbound immediate PersistentVolumeClaims',
        postFilterMsg: 'not found',
      }),
    ).toBe('0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. not found');
  });
});
