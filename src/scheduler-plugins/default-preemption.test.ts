import { describe, expect, it } from '@jest/globals';
import type { NodeInfo } from '../model/node-info.js';
import type { Labels, SimPod } from '../model/objects.js';
import { ClusterStore } from '../model/store.js';
import { makeNode, makePod } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { Framework, type ProfileConfig } from '../scheduler/framework/framework.js';
import {
  PluginArgsError,
  type FilterPlugin,
  type Handle,
  type PluginArgs,
  type PluginFactory,
  type PreFilterPlugin,
} from '../scheduler/framework/interfaces.js';
import { Code, Status } from '../scheduler/framework/status.js';
import * as DefaultBinder from './default-binder.js';
import {
  DefaultPreemption,
  factory,
  Name,
  pickOneNodeForPreemption,
  type Candidate,
  type PreemptionFramework,
} from './default-preemption.js';
import {
  computeDisruptionsAllowed,
  filterPodsWithPDBViolation,
  type PDBView,
  type PodDisruptionBudget,
} from './helpers/pdb.js';
import * as NodeResourcesFit from './node-resources-fit.js';
import * as PrioritySort from './priority-sort.js';

const NOW = 1_000_000;

// ---- a tiny cluster with a real Framework --------------------------------------------------

/** A PreFilter/Filter plugin that logs the dry run's AddPod/RemovePod on a clonable state. */
class Counter {
  constructor(public n: number) {}
  clone(): Counter {
    return new Counter(this.n);
  }
}
const RECORDER = 'Recorder';
function recorderFactory(log: string[], skip: boolean): PluginFactory {
  const plugin: PreFilterPlugin & FilterPlugin = {
    name: RECORDER,
    preFilter: (state) => {
      state.write(RECORDER, new Counter(0));
      return { status: skip ? Status.skip() : null };
    },
    addPod: (state, _pod, added) => {
      log.push(`+${added.metadata.name}`);
      state.read<Counter>(RECORDER)!.n++;
      return null;
    },
    removePod: (state, _pod, removed) => {
      log.push(`-${removed.metadata.name}`);
      state.read<Counter>(RECORDER)!.n--;
      return null;
    },
    filter: () => null,
  };
  return () => plugin;
}

interface Cluster {
  store: ClusterStore;
  fw: Framework;
  plugin: DefaultPreemption;
  /** Keys of the pods the plugin asked the apiserver to preempt, in order. */
  preempted: string[];
  log: string[];
}

interface ClusterOptions {
  nodes: Array<{ name: string; cpu: number }>;
  pods?: SimPod[];
  args?: PluginArgs;
  random?: () => number;
  recorder?: 'on' | 'skip';
  refuse?: boolean;
}

function cluster(o: ClusterOptions): Cluster {
  const store = new ClusterStore();
  for (const n of o.nodes) store.addNode(makeNode(n.name, { allocatable: { cpu: n.cpu } }));
  for (const p of o.pods ?? []) store.addPod(p);
  const preempted: string[] = [];
  const log: string[] = [];
  const handle: Handle & { framework?: PreemptionFramework } = {
    store,
    now: () => NOW,
    random: o.random ?? (() => 0),
    recordEvent: () => {},
    parallelism: 16,
    preemptPod: (victim) => {
      if (o.refuse) return false;
      preempted.push(victim.key);
      return true;
    },
  };
  const extra = o.recorder ? [RECORDER] : [];
  const profile: ProfileConfig = {
    schedulerName: 'default-scheduler',
    plugins: {
      preEnqueue: [],
      queueSort: [PrioritySort.Name],
      preFilter: [NodeResourcesFit.Name, ...extra],
      filter: [NodeResourcesFit.Name, ...extra],
      postFilter: [Name],
      preScore: [],
      score: [],
      reserve: [],
      permit: [],
      preBind: [],
      bind: [DefaultBinder.Name],
      postBind: [],
    },
    pluginConfig: new Map(o.args ? [[Name, o.args]] : []),
  };
  const registry = new Map<string, PluginFactory>([
    [PrioritySort.Name, PrioritySort.factory],
    [NodeResourcesFit.Name, NodeResourcesFit.factory],
    [DefaultBinder.Name, DefaultBinder.factory],
    [Name, factory],
    [RECORDER, recorderFactory(log, o.recorder === 'skip')],
  ]);
  const fw = new Framework(profile, registry, handle);
  handle.framework = fw;
  return { store, fw, plugin: fw.plugin(Name) as DefaultPreemption, preempted, log };
}

interface PodOpts {
  cpu: number;
  priority: number;
  node?: string;
  started?: number;
  labels?: Labels;
}
function pod(name: string, o: PodOpts): SimPod {
  const p = makePod(name, {
    requests: { cpu: o.cpu },
    priority: o.priority,
    nodeName: o.node,
    labels: o.labels,
  });
  if (o.started !== undefined) p.times.started = o.started;
  return p;
}

/** One scheduling cycle up to PostFilter: PreFilter, Filter on every node, then preemption. */
function preempt(c: Cluster, preemptor: SimPod) {
  if (!c.store.getPod(preemptor.key)) c.store.addPod(preemptor);
  const state = new CycleState();
  const nodes = c.store.nodes();
  const pre = c.fw.runPreFilter(state, preemptor, nodes);
  const statuses = new Map<string, Status>();
  for (const n of nodes) {
    const s = pre.status ?? c.fw.runFilter(state, preemptor, n);
    if (s) statuses.set(n.name, s);
  }
  const out = c.plugin.postFilter(state, preemptor, statuses);
  return { ...out, state, statuses };
}

function pdb(name: string, matchLabels: Labels, disruptionsAllowed?: number): PodDisruptionBudget {
  return {
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels }, minAvailable: 1 },
    ...(disruptionsAllowed === undefined ? {} : { status: { disruptionsAllowed } }),
  };
}

// ---- tests -----------------------------------------------------------------------------------

describe('DefaultPreemption args', () => {
  const cases: Array<{ name: string; args: PluginArgs; error?: string; want?: [number, number] }> =
    [
      { name: 'defaults are 10 percent and 100 nodes', args: {}, want: [10, 100] },
      {
        name: 'explicit values are kept',
        args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 5 },
        want: [0, 5],
      },
      {
        name: 'a percentage above 100 is rejected',
        args: { minCandidateNodesPercentage: 101 },
        error:
          'DefaultPreemption args: minCandidateNodesPercentage: Invalid value: 101: not in valid range [0, 100]',
      },
      {
        name: 'a negative absolute minimum is rejected',
        args: { minCandidateNodesAbsolute: -1 },
        error:
          'DefaultPreemption args: minCandidateNodesAbsolute: Invalid value: -1: not in valid range [0, inf)',
      },
      {
        name: 'both zero at once is rejected',
        args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 },
        error:
          'DefaultPreemption args: minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute',
      },
    ];
  it.each(cases)('$name', ({ args, error, want }) => {
    const build = () => factory(args, {} as Handle) as DefaultPreemption;
    if (error) {
      expect(build).toThrow(PluginArgsError);
      expect(build).toThrow(error);
    } else {
      const p = build();
      expect([p.args.minCandidateNodesPercentage, p.args.minCandidateNodesAbsolute]).toEqual(want);
    }
  });
});

describe('calculateNumCandidates', () => {
  const cases: Array<{ name: string; pct: number; abs: number; nodes: number; want: number }> = [
    {
      name: 'the absolute minimum wins on a 1000-node cluster at 10%',
      pct: 10,
      abs: 100,
      nodes: 1000,
      want: 100,
    },
    {
      name: 'the percentage wins on a 5000-node cluster at 10%',
      pct: 10,
      abs: 100,
      nodes: 5000,
      want: 500,
    },
    { name: 'never more than the number of nodes', pct: 10, abs: 100, nodes: 50, want: 50 },
    { name: 'a zero percentage leaves the absolute minimum', pct: 0, abs: 5, nodes: 1000, want: 5 },
    { name: 'the percentage truncates: 10 × 15% = 1.5 → 1', pct: 15, abs: 0, nodes: 10, want: 1 },
  ];
  it.each(cases)('$name', ({ pct, abs, nodes, want }) => {
    const p = factory(
      { minCandidateNodesPercentage: pct, minCandidateNodesAbsolute: abs },
      {} as Handle,
    );
    expect((p as DefaultPreemption).calculateNumCandidates(nodes)).toBe(want);
  });
});

describe('DefaultPreemption PostFilter', () => {
  it('picks the node whose most important victim has the lowest priority', () => {
    const c = cluster({
      nodes: [
        { name: 'n1', cpu: 1000 },
        { name: 'n2', cpu: 1000 },
        { name: 'n3', cpu: 1000 },
      ],
      pods: [
        pod('a', { cpu: 1000, priority: 10, node: 'n1' }),
        pod('b', { cpu: 1000, priority: 5, node: 'n2' }),
        pod('c', { cpu: 1000, priority: 20, node: 'n3' }),
      ],
    });
    const r = preempt(c, pod('hi', { cpu: 500, priority: 100 }));
    expect(r.status).toBeNull();
    expect(r.result).toEqual({ nominatedNodeName: 'n2' });
    expect(c.preempted).toEqual(['default/b']);
    // The dry run looked for victims on all three nodes (what the cycle cost model charges).
    expect(r.state.postFilterDryRunNodes).toBe(3);
  });

  it('evicts only the lowest-priority pod when reprieving the others leaves room', () => {
    // 900m of 1000m used; without p1..p3 the 400m pod fits. Reprieve p3 (700m), p2 (1000m):
    // both fit; p1 would make 1300m, so p1 alone is the victim.
    const c = cluster({
      nodes: [{ name: 'n1', cpu: 1000 }],
      pods: [
        pod('p1', { cpu: 300, priority: 1, node: 'n1' }),
        pod('p2', { cpu: 300, priority: 2, node: 'n1' }),
        pod('p3', { cpu: 300, priority: 3, node: 'n1' }),
      ],
    });
    const r = preempt(c, pod('hi', { cpu: 400, priority: 10 }));
    expect(r.result).toEqual({ nominatedNodeName: 'n1' });
    expect(c.preempted).toEqual(['default/p1']);
  });

  it('reprieves PDB-protected pods first, so a less important unprotected pod is evicted instead', () => {
    // p1 is protected (0 disruptions allowed): reprieved first (700m), then p3 (1000m) fits,
    // p2 would make 1300m → the victim is p2, with no PDB violation.
    const c = cluster({
      nodes: [{ name: 'n1', cpu: 1000 }],
      pods: [
        pod('p1', { cpu: 300, priority: 1, node: 'n1', labels: { app: 'db' } }),
        pod('p2', { cpu: 300, priority: 2, node: 'n1' }),
        pod('p3', { cpu: 300, priority: 3, node: 'n1' }),
      ],
    });
    c.store.putObject(pdb('db', { app: 'db' }, 0));
    preempt(c, pod('hi', { cpu: 400, priority: 10 }));
    expect(c.preempted).toEqual(['default/p2']);
  });

  it('prefers a node where no PDB is violated over one with lower-priority victims', () => {
    // n1's victim (priority 1) is protected; n2's (priority 5) is not. numCandidates is 1, so
    // the dry run goes on past the violating n1 until it has a non-violating candidate.
    const c = cluster({
      nodes: [
        { name: 'n1', cpu: 1000 },
        { name: 'n2', cpu: 1000 },
      ],
      pods: [
        pod('db', { cpu: 1000, priority: 1, node: 'n1', labels: { app: 'db' } }),
        pod('web', { cpu: 1000, priority: 5, node: 'n2', labels: { app: 'web' } }),
      ],
      args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 1 },
    });
    c.store.putObject(pdb('db', { app: 'db' }, 0));
    const r = preempt(c, pod('hi', { cpu: 500, priority: 100 }));
    expect(r.result).toEqual({ nominatedNodeName: 'n2' });
    expect(c.preempted).toEqual(['default/web']);
  });

  it('lists victims most important first even when PDB-violating ones were found first', () => {
    const c = cluster({
      nodes: [{ name: 'n1', cpu: 1000 }],
      pods: [
        pod('db', { cpu: 500, priority: 1, node: 'n1', labels: { app: 'db' } }),
        pod('web', { cpu: 500, priority: 2, node: 'n1' }),
      ],
    });
    c.store.putObject(pdb('db', { app: 'db' }, 0));
    preempt(c, pod('hi', { cpu: 1000, priority: 10 }));
    expect(c.preempted).toEqual(['default/web', 'default/db']);
  });

  it('violates a PDB when no node avoids it (best effort)', () => {
    const c = cluster({
      nodes: [{ name: 'n1', cpu: 1000 }],
      pods: [pod('db', { cpu: 1000, priority: 1, node: 'n1', labels: { app: 'db' } })],
    });
    c.store.putObject(pdb('db', { app: 'db' }, 0));
    const r = preempt(c, pod('hi', { cpu: 500, priority: 100 }));
    expect(r.result).toEqual({ nominatedNodeName: 'n1' });
    expect(c.preempted).toEqual(['default/db']);
  });

  it('computes disruptionsAllowed from minAvailable when the PDB has no status', () => {
    // Two Ready db pods, minAvailable 1 → 1 disruption allowed, so evicting db1 violates
    // nothing and n1 (priority-1 victim) beats n2 (priority-5 victim). Were the budget 0,
    // n1 would violate it and n2 would win.
    const ready = (p: SimPod) => ((p.status.ready = true), p);
    const c = cluster({
      nodes: [
        { name: 'n1', cpu: 1000 },
        { name: 'n2', cpu: 1000 },
        { name: 'n3', cpu: 1000 },
      ],
      pods: [
        ready(pod('db1', { cpu: 1000, priority: 1, node: 'n1', labels: { app: 'db' } })),
        pod('web', { cpu: 1000, priority: 5, node: 'n2' }),
        ready(pod('db2', { cpu: 1000, priority: 200, node: 'n3', labels: { app: 'db' } })),
      ],
    });
    c.store.putObject(pdb('db', { app: 'db' }));
    const r = preempt(c, pod('hi', { cpu: 500, priority: 100 }));
    expect(r.result).toEqual({ nominatedNodeName: 'n1' });
  });

  it('among equal priorities evicts the pod that started last', () => {
    const c = cluster({
      nodes: [{ name: 'n1', cpu: 1000 }],
      pods: [
        pod('young', { cpu: 500, priority: 1, node: 'n1', started: 20 }),
        pod('old', { cpu: 500, priority: 1, node: 'n1', started: 10 }),
      ],
    });
    preempt(c, pod('hi', { cpu: 500, priority: 10 }));
    expect(c.preempted).toEqual(['default/young']);
  });

  it('treats nodes missing from the status map as unresolvable, not as candidates', () => {
    // As when a PreFilter result excluded n1: only n2 was rejected as Unschedulable.
    const c = cluster({
      nodes: [
        { name: 'n1', cpu: 1000 },
        { name: 'n2', cpu: 1000 },
      ],
      pods: [
        pod('v1', { cpu: 1000, priority: 1, node: 'n1' }),
        pod('v2', { cpu: 1000, priority: 5, node: 'n2' }),
      ],
    });
    const hi = pod('hi', { cpu: 500, priority: 100 });
    c.store.addPod(hi);
    const state = new CycleState();
    c.fw.runPreFilter(state, hi, c.store.nodes());
    const r = c.plugin.postFilter(
      state,
      hi,
      new Map([['n2', Status.unschedulable('Insufficient cpu')]]),
    );
    expect(r.result).toEqual({ nominatedNodeName: 'n2' });
    const none = c.plugin.postFilter(state, hi, new Map());
    expect(none.status?.message()).toBe(
      'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
  });

  it('does not preempt for a pod with preemptionPolicy Never', () => {
    const c = cluster({
      nodes: [{ name: 'n1', cpu: 1000 }],
      pods: [pod('low', { cpu: 1000, priority: 1, node: 'n1' })],
    });
    const hi = pod('hi', { cpu: 500, priority: 100 });
    hi.spec.preemptionPolicy = 'Never';
    const r = preempt(c, hi);
    expect(r.result).toBeUndefined();
    expect(r.status?.code).toBe(Code.Unschedulable);
    expect(r.status?.message()).toBe('preemption: not eligible due to preemptionPolicy=Never.');
    expect(c.preempted).toEqual([]);
  });

  describe('a pod whose nominated node still has a victim terminating', () => {
    const setup = () => {
      const victim = pod('low', { cpu: 1000, priority: 1, node: 'n1' });
      victim.metadata.deletionTimestamp = NOW - 1;
      victim.outcome = 'Preempted';
      const c = cluster({
        nodes: [
          { name: 'n1', cpu: 1000 },
          { name: 'n2', cpu: 1000 },
        ],
        pods: [victim, pod('other', { cpu: 1000, priority: 1, node: 'n2' })],
      });
      const hi = pod('hi', { cpu: 500, priority: 100 });
      hi.status.nominatedNodeName = 'n1';
      return { c, hi };
    };

    it('waits for the victim instead of preempting again', () => {
      const { c, hi } = setup();
      const r = preempt(c, hi);
      expect(r.result).toBeUndefined();
      expect(r.status?.message()).toBe(
        'preemption: not eligible due to a terminating pod on the nominated node.',
      );
      expect(c.preempted).toEqual([]);
    });

    it('is not held back by a terminating pod of higher priority', () => {
      const { c, hi } = setup();
      c.store.getPod('default/low')!.priority = 1000;
      const r = preempt(c, hi);
      expect(r.result).toEqual({ nominatedNodeName: 'n2' });
    });

    it('preempts again when the nominated node has become UnschedulableAndUnresolvable', () => {
      const { c, hi } = setup();
      c.store.getNode('n1')!.status.allocatable.milliCPU = 100; // 500m can never fit now
      const r = preempt(c, hi);
      expect(r.statuses.get('n1')?.code).toBe(Code.UnschedulableAndUnresolvable);
      expect(r.result).toEqual({ nominatedNodeName: 'n2' });
      expect(c.preempted).toEqual(['default/other']);
    });
  });

  it('explains every node when no candidate exists', () => {
    // n1: only a higher-priority pod → no victims. n2: the pod exceeds allocatable →
    // unresolvable, not tried. n3: even without the priority-1 pod, 600m + 500m > 1000m.
    const c = cluster({
      nodes: [
        { name: 'n1', cpu: 1000 },
        { name: 'n2', cpu: 400 },
        { name: 'n3', cpu: 1000 },
      ],
      pods: [
        pod('top', { cpu: 1000, priority: 200, node: 'n1' }),
        pod('big', { cpu: 600, priority: 200, node: 'n3' }),
        pod('low', { cpu: 300, priority: 1, node: 'n3' }),
      ],
    });
    const r = preempt(c, pod('hi', { cpu: 500, priority: 100 }));
    expect(r.result).toEqual({ nominatedNodeName: '' });
    expect(r.status?.code).toBe(Code.Unschedulable);
    expect(r.status?.message()).toBe(
      'preemption: 0/3 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, ' +
        '1 Preemption is not helpful for scheduling.',
    );
    expect(c.preempted).toEqual([]);
  });

  it('says preemption is not helpful on any node when every node is unresolvable', () => {
    const c = cluster({
      nodes: [
        { name: 'n1', cpu: 100 },
        { name: 'n2', cpu: 100 },
      ],
      pods: [pod('low', { cpu: 100, priority: 1, node: 'n1' })],
    });
    const r = preempt(c, pod('hi', { cpu: 500, priority: 100 }));
    expect(r.status?.message()).toBe(
      'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
  });

  describe('the dry run starts at an offset drawn from handle.random', () => {
    // Four identical nodes, each with one identical victim: every criterion ties, so the
    // first candidate of the dry run — node[⌊random × 4⌋] — wins.
    const cases: Array<{ name: string; random: number; args?: PluginArgs; want: string }> = [
      { name: 'random 0 starts at n1', random: 0, want: 'n1' },
      { name: 'random 0.6 starts at n3', random: 0.6, want: 'n3' },
      { name: 'random 0.99 starts at n4', random: 0.99, want: 'n4' },
      {
        name: 'random 0.3 starts at n2 and one candidate suffices',
        random: 0.3,
        args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 1 },
        want: 'n2',
      },
    ];
    it.each(cases)('$name', ({ random, args, want }) => {
      const names = ['n1', 'n2', 'n3', 'n4'];
      const c = cluster({
        nodes: names.map((name) => ({ name, cpu: 1000 })),
        pods: names.map((n) => pod(`v-${n}`, { cpu: 1000, priority: 1, node: n, started: 0 })),
        args,
        random: () => random,
      });
      const r = preempt(c, pod('hi', { cpu: 500, priority: 100 }));
      expect(r.result).toEqual({ nominatedNodeName: want });
      expect(c.preempted).toEqual([`default/v-${want}`]);
    });
  });

  it('clears lower-priority nominations to the chosen node and keeps higher ones', () => {
    const lowNominee = pod('nominee-low', { cpu: 100, priority: 50 });
    lowNominee.status.nominatedNodeName = 'n1';
    const highNominee = pod('nominee-high', { cpu: 100, priority: 500 });
    highNominee.status.nominatedNodeName = 'n1';
    const c = cluster({
      nodes: [{ name: 'n1', cpu: 1000 }],
      pods: [pod('low', { cpu: 1000, priority: 1, node: 'n1' }), lowNominee, highNominee],
    });
    const changes: string[] = [];
    c.store.onPod((e) => changes.push(`${e.pod.metadata.name}:${e.change}`));
    preempt(c, pod('hi', { cpu: 500, priority: 100 }));
    expect(lowNominee.status.nominatedNodeName).toBeUndefined();
    expect(highNominee.status.nominatedNodeName).toBe('n1');
    expect(changes).toContain('nominee-low:nominated');
  });

  it('does not ask again to delete a victim already being deleted', () => {
    const deleting = pod('deleting', { cpu: 500, priority: 1, node: 'n1' });
    deleting.metadata.deletionTimestamp = NOW - 5;
    const c = cluster({
      nodes: [{ name: 'n1', cpu: 1000 }],
      pods: [deleting, pod('live', { cpu: 500, priority: 1, node: 'n1', started: 0 })],
    });
    const r = preempt(c, pod('hi', { cpu: 1000, priority: 100 }));
    expect(r.result).toEqual({ nominatedNodeName: 'n1' });
    expect(c.preempted).toEqual(['default/live']);
  });

  it('returns an error and nominates nothing when the apiserver refuses a deletion', () => {
    const c = cluster({
      nodes: [{ name: 'n1', cpu: 1000 }],
      pods: [pod('low', { cpu: 1000, priority: 1, node: 'n1' })],
      refuse: true,
    });
    const r = preempt(c, pod('hi', { cpu: 500, priority: 100 }));
    expect(r.result).toBeUndefined();
    expect(r.status?.code).toBe(Code.Error);
    expect(r.status?.message()).toBe(
      'preemption: failed to preempt pod "default/low" on node "n1"',
    );
  });

  describe('dry runs', () => {
    const pods = () => [
      pod('p1', { cpu: 300, priority: 1, node: 'n1' }),
      pod('p2', { cpu: 300, priority: 2, node: 'n1' }),
      pod('p3', { cpu: 300, priority: 3, node: 'n1' }),
    ];

    it('leave the cached NodeInfo and the cycle state untouched', () => {
      const c = cluster({ nodes: [{ name: 'n1', cpu: 1000 }], pods: pods(), recorder: 'on' });
      const info: NodeInfo = c.store.getNodeInfo('n1')!;
      const r = preempt(c, pod('hi', { cpu: 400, priority: 10 }));
      expect(info.pods.map((p) => p.metadata.name)).toEqual(['p1', 'p2', 'p3']);
      expect(info.requested.milliCPU).toBe(900);
      expect(r.state.read<Counter>(RECORDER)!.n).toBe(0);
    });

    it('call RemovePod for every lower-priority pod, then AddPod in importance order', () => {
      const c = cluster({ nodes: [{ name: 'n1', cpu: 1000 }], pods: pods(), recorder: 'on' });
      preempt(c, pod('hi', { cpu: 400, priority: 10 }));
      expect(c.log).toEqual(['-p1', '-p2', '-p3', '+p3', '+p2', '+p1', '-p1']);
    });

    it('skip the extensions of a PreFilter plugin that returned Skip', () => {
      const c = cluster({ nodes: [{ name: 'n1', cpu: 1000 }], pods: pods(), recorder: 'skip' });
      preempt(c, pod('hi', { cpu: 400, priority: 10 }));
      expect(c.log).toEqual([]);
      expect(c.preempted).toEqual(['default/p1']);
    });
  });
});

describe('pickOneNodeForPreemption', () => {
  let seq = 0;
  const v = (priority: number, started = 0) => pod(`v${seq++}`, { cpu: 0, priority, started });
  const cand = (nodeName: string, victims: SimPod[], numPDBViolations = 0): Candidate => ({
    nodeName,
    victims,
    numPDBViolations,
  });
  const MIN_INT32 = -2147483648;
  const cases: Array<{ name: string; candidates: Candidate[]; want: string }> = [
    {
      name: 'fewest PDB violations first, whatever the priorities',
      candidates: [cand('a', [v(1)], 1), cand('b', [v(1000)], 0)],
      want: 'b',
    },
    {
      name: 'then the lowest highest-priority victim',
      candidates: [cand('a', [v(10), v(1)]), cand('b', [v(5), v(5), v(5)])],
      want: 'b',
    },
    {
      // a: 12 + 3 × 2^31, b: 15 + 2 × 2^31 — the offset makes the extra victim count.
      name: 'then the smallest sum of priorities, each offset by MaxInt32 + 1',
      candidates: [cand('a', [v(10), v(1), v(1)]), cand('b', [v(10), v(5)])],
      want: 'b',
    },
    {
      // a: (0 + 2^31) + (−2^31 + 2^31) = 2^31 = b's sum; b has one victim fewer.
      name: 'then the fewest victims',
      candidates: [cand('a', [v(0), v(MIN_INT32)]), cand('b', [v(0)])],
      want: 'b',
    },
    {
      // Earliest start among the highest-priority victims: a 100, b 200 → b started later.
      name: 'then the latest start time of the highest-priority victims',
      candidates: [cand('a', [v(5, 300), v(5, 100)]), cand('b', [v(5, 200), v(5, 200)])],
      want: 'b',
    },
    {
      name: 'then the first candidate',
      candidates: [cand('a', [v(5, 100)]), cand('b', [v(5, 100)]), cand('c', [v(5, 100)])],
      want: 'a',
    },
    {
      name: 'a candidate needing no victims wins at once',
      candidates: [cand('a', [v(1)]), cand('b', [])],
      want: 'b',
    },
  ];
  it.each(cases)('$name', ({ candidates, want }) => {
    expect(pickOneNodeForPreemption(candidates, NOW)).toBe(want);
  });
});

describe('PodDisruptionBudget helpers', () => {
  const labelled = (name: string, labels: Labels, namespace = 'default') =>
    makePod(name, { labels, namespace, nodeName: 'n1' });
  const view = (
    spec: PodDisruptionBudget['spec'],
    disruptionsAllowed: number,
    disruptedPods = {},
  ): PDBView => ({
    namespace: 'default',
    spec,
    disruptionsAllowed,
    disruptedPods,
  });

  const filterCases: Array<{ name: string; pods: SimPod[]; pdbs: PDBView[]; violating: string[] }> =
    [
      {
        name: 'one allowed disruption covers the first matching pod, not the second',
        pods: [labelled('a', { app: 'db' }), labelled('b', { app: 'db' })],
        pdbs: [view({ selector: { matchLabels: { app: 'db' } } }, 1)],
        violating: ['b'],
      },
      {
        name: 'an empty selector protects nothing in preemption',
        pods: [labelled('a', { app: 'db' })],
        pdbs: [view({ selector: {} }, 0)],
        violating: [],
      },
      {
        name: 'a budget in another namespace does not apply',
        pods: [labelled('a', { app: 'db' }, 'other')],
        pdbs: [view({ selector: { matchLabels: { app: 'db' } } }, 0)],
        violating: [],
      },
      {
        name: 'a pod already in disruptedPods is not counted again',
        pods: [labelled('a', { app: 'db' }), labelled('b', { app: 'db' })],
        pdbs: [view({ selector: { matchLabels: { app: 'db' } } }, 1, { a: 0 })],
        violating: [],
      },
    ];
  it.each(filterCases)('$name', ({ pods, pdbs, violating }) => {
    const r = filterPodsWithPDBViolation(pods, pdbs);
    expect(r.violating.map((p) => p.metadata.name)).toEqual(violating);
    expect(r.violating.length + r.nonViolating.length).toBe(pods.length);
  });

  const computeCases: Array<{
    name: string;
    spec: PodDisruptionBudget['spec'];
    ready: number;
    notReady: number;
    owner?: number;
    want: number;
  }> = [
    {
      name: 'minAvailable 2 of 3 Ready pods allows 1',
      spec: { minAvailable: 2 },
      ready: 3,
      notReady: 0,
      want: 1,
    },
    {
      name: 'unready pods are not healthy',
      spec: { minAvailable: 2 },
      ready: 2,
      notReady: 2,
      want: 0,
    },
    {
      // 4 replicas, ⌈25% × 4⌉ = 1 unavailable → 3 desired healthy; 4 Ready → 1 allowed.
      name: 'maxUnavailable 25% of the owner scale rounds up',
      spec: { maxUnavailable: '25%' },
      ready: 4,
      notReady: 0,
      owner: 4,
      want: 1,
    },
    {
      // ⌈50% × 5⌉ = 3 desired healthy; 5 Ready → 2 allowed.
      name: 'minAvailable 50% of the owner scale rounds up',
      spec: { minAvailable: '50%' },
      ready: 5,
      notReady: 0,
      owner: 5,
      want: 2,
    },
    {
      name: 'a percentage without an owner scale fails safe to 0',
      spec: { maxUnavailable: '50%' },
      ready: 4,
      notReady: 0,
      want: 0,
    },
  ];
  it.each(computeCases)('$name', ({ spec, ready, notReady, owner, want }) => {
    const store = new ClusterStore();
    store.addNode(makeNode('n1'));
    const topOwner = owner === undefined ? '' : 'Deployment/default/db';
    if (owner !== undefined) {
      store.putObject({
        kind: 'Deployment',
        metadata: { name: 'db', namespace: 'default' },
        spec: { replicas: owner },
      });
    }
    for (let i = 0; i < ready + notReady; i++) {
      const p = makePod(`db-${i}`, { labels: { app: 'db' }, nodeName: 'n1', topOwner });
      p.status.ready = i < ready;
      store.addPod(p);
    }
    const budget: PodDisruptionBudget = {
      kind: 'PodDisruptionBudget',
      metadata: { name: 'db', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'db' } }, ...spec },
    };
    expect(computeDisruptionsAllowed(budget, store)).toBe(want);
  });
});
