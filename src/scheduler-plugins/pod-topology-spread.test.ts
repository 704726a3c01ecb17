import { describe, expect, it } from '@jest/globals';
import type { Taint, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Labels, SimNode, SimPod } from '../model/objects.js';
import { ClusterStore } from '../model/store.js';
import { makeNode, makePod, type PodOptions } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  PluginArgsError,
  type Handle,
  type PluginArgs,
} from '../scheduler/framework/interfaces.js';
import { Code, type Status } from '../scheduler/framework/status.js';
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  PodTopologySpread,
  defaultSelectorForPod,
  factory,
} from './pod-topology-spread.js';
import { labelSelectorMatches } from './helpers/label-selector.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'zone';
/** The zone key of the system default constraints. */
const TZ = 'topology.kubernetes.io/zone';
const fooSelector: LabelSelector = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
const barSelector: LabelSelector = { matchExpressions: [{ key: 'bar', operator: 'Exists' }] };

function handle(store: ClusterStore): Handle {
  return { store, now: () => 0, random: () => 0, recordEvent: () => {}, parallelism: 1 };
}

function plugin(store: ClusterStore, args?: PluginArgs): PodTopologySpread {
  return factory(args, handle(store)) as PodTopologySpread;
}

function node(name: string, labels: Labels = {}, taints: Taint[] = []): SimNode {
  return makeNode(name, { labels, taints });
}

/** a, b in zone1; x, y in zone2 (upstream's node-a/b/x/y). */
function fourNodes(): SimNode[] {
  return [
    node('a', { [ZONE]: 'zone1' }),
    node('b', { [ZONE]: 'zone1' }),
    node('x', { [ZONE]: 'zone2' }),
    node('y', { [ZONE]: 'zone2' }),
  ];
}

let podSeq = 0;
/** `count` pods with `labels` bound to `nodeName`. */
function podsOn(
  nodeName: string,
  count: number,
  labels: Labels = { foo: '' },
  opts: PodOptions = {},
): SimPod[] {
  return Array.from({ length: count }, () =>
    makePod(`p${++podSeq}`, { labels, nodeName, ...opts }),
  );
}

function cluster(nodes: SimNode[], pods: SimPod[] = []): ClusterStore {
  const store = new ClusterStore();
  for (const n of nodes) store.addNode(n);
  for (const p of pods) store.addPod(p);
  return store;
}

function spread(
  maxSkew: number,
  topologyKey: string,
  whenUnsatisfiable: string,
  labelSelector: LabelSelector | undefined = fooSelector,
  extra: Partial<TopologySpreadConstraint> = {},
): TopologySpreadConstraint {
  return { maxSkew, topologyKey, whenUnsatisfiable, labelSelector, ...extra };
}

function incoming(constraints: TopologySpreadConstraint[], opts: PodOptions = {}): SimPod {
  return makePod('incoming', {
    labels: { foo: '' },
    ...opts,
    spec: { containers: [{ name: 'c' }], topologySpreadConstraints: constraints, ...opts.spec },
  });
}

const codeName = (s: Status | null): string => (s === null ? 'Success' : Code[s.code]!);

/** PreFilter over every node, then Filter each: node name → status code name. */
function runFilter(store: ClusterStore, pod: SimPod, args?: PluginArgs): Record<string, string> {
  const pl = plugin(store, args);
  const state = new CycleState();
  const pre = pl.preFilter(state, pod, store.nodes());
  const out: Record<string, string> = {};
  for (const n of store.nodes()) {
    out[n.name] = pre.status?.isSkip() ? 'Skip' : codeName(pl.filter(state, pod, n));
  }
  return out;
}

/** PreScore over `candidates` (default: all nodes), Score each, NormalizeScore. */
function runScore(
  store: ClusterStore,
  pod: SimPod,
  candidates?: string[],
  args?: PluginArgs,
): number[] | 'Skip' {
  const pl = plugin(store, args);
  const nodes = candidates ? candidates.map((n) => store.getNodeInfo(n)!) : [...store.nodes()];
  const state = new CycleState();
  const status = pl.preScore(state, pod, nodes);
  if (status?.isSkip()) return 'Skip';
  expect(status).toBeNull();
  const scores = nodes.map((n) => pl.score(state, pod, n));
  // The batch form (the framework's path, over the index's domain tables) agrees node by node.
  const batch = nodes.map(() => -1);
  pl.scoreNodes(state, pod, nodes, batch);
  expect(batch).toEqual(scores);
  expect(pl.normalizeScore(state, pod, nodes, scores)).toBeNull();
  return scores;
}

const OK = 'Success';
const UNSCHED = 'Unschedulable';
const UNRESOLVABLE = 'UnschedulableAndUnresolvable';

describe('PodTopologySpread Filter', () => {
  const cases: Array<{
    name: string;
    nodes: SimNode[];
    pods: SimPod[];
    pod: SimPod;
    want: Record<string, string>;
  }> = [
    {
      name: 'with no existing pods every node fits',
      nodes: fourNodes(),
      pods: [],
      pod: incoming([spread(1, ZONE, 'DoNotSchedule')]),
      want: { a: OK, b: OK, x: OK, y: OK },
    },
    {
      // zone1 = 1+1 = 2, zone2 = 1, min 1: zone1 2+1-1 = 2 > 1; zone2 1+1-1 = 1.
      name: 'pods spread 2/1 across zones leave only the emptier zone',
      nodes: fourNodes(),
      pods: [...podsOn('a', 1), ...podsOn('b', 1), ...podsOn('x', 1)],
      pod: incoming([spread(1, ZONE, 'DoNotSchedule')]),
      want: { a: UNSCHED, b: UNSCHED, x: OK, y: OK },
    },
    {
      // zone1's pods are in namespace "other": zone1 = 0, zone2 = 1, min 0; zone2 1+1-0 = 2 > 1.
      name: 'pods in another namespace are not counted',
      nodes: fourNodes(),
      pods: [
        ...podsOn('a', 1, { foo: '' }, { namespace: 'other' }),
        ...podsOn('b', 1, { foo: '' }, { namespace: 'other' }),
        ...podsOn('x', 1),
      ],
      pod: incoming([spread(1, ZONE, 'DoNotSchedule')]),
      want: { a: OK, b: OK, x: UNSCHED, y: UNSCHED },
    },
    {
      // node-b has no zone label: its pod is not counted, zone1 = 1, zone2 = 2, min 1.
      // a: 1+1-1 = 1 fits; x, y: 2+1-1 = 2 > 1.
      name: 'a node without the topology label is unresolvable and its pods are not counted',
      nodes: [
        node('a', { [ZONE]: 'zone1' }),
        node('b'),
        node('x', { [ZONE]: 'zone2' }),
        node('y', { [ZONE]: 'zone2' }),
      ],
      pods: [...podsOn('a', 1), ...podsOn('b', 1), ...podsOn('x', 1), ...podsOn('y', 1)],
      pod: incoming([spread(1, ZONE, 'DoNotSchedule')]),
      want: { a: OK, b: UNRESOLVABLE, x: UNSCHED, y: UNSCHED },
    },
    {
      name: 'no node has the topology key so every node is unresolvable',
      nodes: fourNodes(),
      pods: [],
      pod: incoming([spread(1, 'rack', 'DoNotSchedule')]),
      want: { a: UNRESOLVABLE, b: UNRESOLVABLE, x: UNRESOLVABLE, y: UNRESOLVABLE },
    },
    {
      // counts 2/1/0/3, min 0: a 3, b 2, x 1, y 4 against maxSkew 1.
      name: 'pods spread 2/1/0/3 over hostnames with maxSkew 1 leave only the empty node',
      nodes: fourNodes(),
      pods: [...podsOn('a', 2), ...podsOn('b', 1), ...podsOn('y', 3)],
      pod: incoming([spread(1, HOST, 'DoNotSchedule')]),
      want: { a: UNSCHED, b: UNSCHED, x: OK, y: UNSCHED },
    },
    {
      // Same counts, maxSkew 2: a 3 > 2, b 2, x 1, y 4 > 2.
      name: 'pods spread 2/1/0/3 over hostnames with maxSkew 2 admit node-b and node-x',
      nodes: fourNodes(),
      pods: [...podsOn('a', 2), ...podsOn('b', 1), ...podsOn('y', 3)],
      pod: incoming([spread(2, HOST, 'DoNotSchedule')]),
      want: { a: UNSCHED, b: OK, x: OK, y: UNSCHED },
    },
    {
      // The selector is "bar exists"; the incoming pod has no bar label so selfMatch = 0:
      // a 2-0 = 2 > 1, b 1, x 0, y 3 > 1.
      name: 'an incoming pod that does not match its own selector adds nothing to the skew',
      nodes: fourNodes(),
      pods: [
        ...podsOn('a', 2, { foo: '', bar: '' }),
        ...podsOn('b', 1, { foo: '', bar: '' }),
        ...podsOn('y', 3, { foo: '', bar: '' }),
      ],
      pod: incoming([spread(1, HOST, 'DoNotSchedule', barSelector)]),
      want: { a: UNSCHED, b: OK, x: OK, y: UNSCHED },
    },
    {
      // a's two pods are terminating: counts 0/1/0/0, min 0; b 1+1-0 = 2 > 1.
      name: 'terminating pods are not counted',
      nodes: fourNodes(),
      pods: [
        ...podsOn('a', 2).map((p) => ((p.metadata.deletionTimestamp = 5), p)),
        ...podsOn('b', 1),
      ],
      pod: incoming([spread(1, HOST, 'DoNotSchedule')]),
      want: { a: OK, b: UNSCHED, x: OK, y: OK },
    },
    {
      // Zones 1/1 but only 2 domains < minDomains 3, so the global minimum is 0: 1+1-0 = 2 > 1.
      name: 'fewer eligible domains than minDomains make the global minimum zero',
      nodes: fourNodes(),
      pods: [...podsOn('a', 1), ...podsOn('x', 1)],
      pod: incoming([spread(1, ZONE, 'DoNotSchedule', fooSelector, { minDomains: 3 })]),
      want: { a: UNSCHED, b: UNSCHED, x: UNSCHED, y: UNSCHED },
    },
    {
      // 2 domains >= minDomains 2: min is 1, skew 1+1-1 = 1 everywhere.
      name: 'enough eligible domains for minDomains keep the real global minimum',
      nodes: fourNodes(),
      pods: [...podsOn('a', 1), ...podsOn('x', 1)],
      pod: incoming([spread(1, ZONE, 'DoNotSchedule', fooSelector, { minDomains: 2 })]),
      want: { a: OK, b: OK, x: OK, y: OK },
    },
    {
      // Honor (default): y fails the pod's node affinity and is left out, min over a,b,x = 1:
      // a, b, x 1+1-1 = 1; y's domain has no count: 0+1-1 = 0.
      name: 'nodeAffinityPolicy Honor leaves nodes outside the pod node affinity out of the minimum',
      nodes: [
        node('a', { [ZONE]: 'zone1', kind: 'fast' }),
        node('b', { [ZONE]: 'zone1', kind: 'fast' }),
        node('x', { [ZONE]: 'zone2', kind: 'fast' }),
        node('y', { [ZONE]: 'zone2' }),
      ],
      pods: [...podsOn('a', 1), ...podsOn('b', 1), ...podsOn('x', 1)],
      pod: incoming([spread(1, HOST, 'DoNotSchedule')], {
        spec: { containers: [], nodeSelector: { kind: 'fast' } },
      }),
      want: { a: OK, b: OK, x: OK, y: OK },
    },
    {
      // Ignore: y counts with 0 pods, min 0: a, b, x 1+1-0 = 2 > 1; y 0+1 = 1.
      name: 'nodeAffinityPolicy Ignore counts every node',
      nodes: [
        node('a', { [ZONE]: 'zone1', kind: 'fast' }),
        node('b', { [ZONE]: 'zone1', kind: 'fast' }),
        node('x', { [ZONE]: 'zone2', kind: 'fast' }),
        node('y', { [ZONE]: 'zone2' }),
      ],
      pods: [...podsOn('a', 1), ...podsOn('b', 1), ...podsOn('x', 1)],
      pod: incoming(
        [spread(1, HOST, 'DoNotSchedule', fooSelector, { nodeAffinityPolicy: 'Ignore' })],
        {
          spec: { containers: [], nodeSelector: { kind: 'fast' } },
        },
      ),
      want: { a: UNSCHED, b: UNSCHED, x: UNSCHED, y: OK },
    },
    {
      // Ignore (default): the tainted empty node y counts, min 0: a, b, x 2 > 1.
      name: 'nodeTaintsPolicy Ignore counts a tainted node',
      nodes: [
        ...fourNodes().slice(0, 3),
        node('y', { [ZONE]: 'zone2' }, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]),
      ],
      pods: [...podsOn('a', 1), ...podsOn('b', 1), ...podsOn('x', 1)],
      pod: incoming([spread(1, HOST, 'DoNotSchedule')]),
      want: { a: UNSCHED, b: UNSCHED, x: UNSCHED, y: OK },
    },
    {
      // Honor: y's NoSchedule taint is not tolerated, so y is left out and min is 1.
      name: 'nodeTaintsPolicy Honor leaves untolerated tainted nodes out',
      nodes: [
        ...fourNodes().slice(0, 3),
        node('y', { [ZONE]: 'zone2' }, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]),
      ],
      pods: [...podsOn('a', 1), ...podsOn('b', 1), ...podsOn('x', 1)],
      pod: incoming([spread(1, HOST, 'DoNotSchedule', fooSelector, { nodeTaintsPolicy: 'Honor' })]),
      want: { a: OK, b: OK, x: OK, y: OK },
    },
    {
      // A PreferNoSchedule taint never excludes a node: y counts, min 0 again.
      name: 'nodeTaintsPolicy Honor ignores PreferNoSchedule taints',
      nodes: [
        ...fourNodes().slice(0, 3),
        node('y', { [ZONE]: 'zone2' }, [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }]),
      ],
      pods: [...podsOn('a', 1), ...podsOn('b', 1), ...podsOn('x', 1)],
      pod: incoming([spread(1, HOST, 'DoNotSchedule', fooSelector, { nodeTaintsPolicy: 'Honor' })]),
      want: { a: UNSCHED, b: UNSCHED, x: UNSCHED, y: OK },
    },
    {
      // matchLabelKeys [version] narrows "foo exists" to version=v2: counts 0/0/1/0, min 0;
      // only x (1+1 = 2) fails. Without it a's two v1 pods would block a.
      name: 'matchLabelKeys count only pods sharing the incoming pod label values',
      nodes: fourNodes(),
      pods: [
        ...podsOn('a', 2, { foo: '', version: 'v1' }),
        ...podsOn('x', 1, { foo: '', version: 'v2' }),
      ],
      pod: incoming(
        [spread(1, HOST, 'DoNotSchedule', fooSelector, { matchLabelKeys: ['version'] })],
        {
          labels: { foo: '', version: 'v2' },
        },
      ),
      want: { a: OK, b: OK, x: UNSCHED, y: OK },
    },
    {
      // zone: zone1 = 1, zone2 = 0 so zone1 nodes get 1+1-0 = 2 > 1; hostname: a 2 > 1.
      name: 'every constraint must hold when a pod has a zone and a hostname constraint',
      nodes: fourNodes(),
      pods: [...podsOn('a', 1)],
      pod: incoming([spread(1, ZONE, 'DoNotSchedule'), spread(1, HOST, 'DoNotSchedule')]),
      want: { a: UNSCHED, b: UNSCHED, x: OK, y: OK },
    },
    {
      // v1.35 countPodsMatchSelector returns 0 for an Everything selector (upstream bug
      // kubernetes#141339, fixed after v1.35): counts 0/0/0/0, selfMatch 1, skew 1 everywhere.
      name: 'an empty labelSelector counts no pods in v1.35',
      nodes: fourNodes(),
      pods: [...podsOn('a', 3)],
      pod: incoming([spread(1, HOST, 'DoNotSchedule', {})]),
      want: { a: OK, b: OK, x: OK, y: OK },
    },
    {
      name: 'a pod with only ScheduleAnyway constraints skips the filter',
      nodes: fourNodes(),
      pods: [...podsOn('a', 5)],
      pod: incoming([spread(1, HOST, 'ScheduleAnyway')]),
      want: { a: 'Skip', b: 'Skip', x: 'Skip', y: 'Skip' },
    },
  ];

  it.each(cases)('$name', ({ nodes, pods, pod, want }) => {
    expect(runFilter(cluster(nodes, pods), pod)).toEqual(want);
  });

  it('reports upstream reasons for a skew violation and a missing label', () => {
    const store = cluster([node('a', { [ZONE]: 'zone1' }), node('b')], podsOn('a', 2));
    const pl = plugin(store);
    const pod = incoming([spread(1, ZONE, 'DoNotSchedule')]);
    const state = new CycleState();
    pl.preFilter(state, pod, store.nodes());
    // zone1 = 2, the only domain, so min = 2 and skew = 2+1-2 = 1: a fits.
    expect(pl.filter(state, pod, store.getNodeInfo('a')!)).toBeNull();
    const missing = pl.filter(state, pod, store.getNodeInfo('b')!)!;
    expect(missing.reasons).toEqual([ERR_REASON_NODE_LABEL_NOT_MATCH]);
    expect(missing.message()).toBe(
      "node(s) didn't match pod topology spread constraints (missing required label)",
    );

    const tight = incoming([spread(1, HOST, 'DoNotSchedule')]);
    pl.preFilter(state, tight, store.nodes());
    // hostname counts a = 2 (b has no zone, but this constraint only needs the hostname): 2+1-0 = 3.
    const status = pl.filter(state, tight, store.getNodeInfo('a')!)!;
    expect(status.code).toBe(Code.Unschedulable);
    expect(status.reasons).toEqual([ERR_REASON_CONSTRAINTS_NOT_MATCH]);
  });

  it('addPod and removePod update the counts of a cloned state for preemption dry runs', () => {
    const victim = makePod('victim', { labels: { foo: '' }, nodeName: 'a' });
    const store = cluster(fourNodes(), [
      victim,
      ...podsOn('b', 1),
      ...podsOn('x', 1),
      ...podsOn('y', 1),
    ]);
    const pl = plugin(store);
    const pod = incoming([spread(1, HOST, 'DoNotSchedule')]);
    const state = new CycleState();
    pl.preFilter(state, pod, store.nodes());
    const filterAll = (s: CycleState) => store.nodes().map((n) => codeName(pl.filter(s, pod, n)));
    // 1/1/1/1, min 1: every node 1+1-1 = 1.
    expect(filterAll(state)).toEqual([OK, OK, OK, OK]);

    const dryRun = state.clone((_k, v) => (v as { clone(): unknown }).clone());
    pl.removePod(dryRun, pod, victim, store.getNodeInfo('a')!);
    // 0/1/1/1, min 0: a 0+1 = 1 fits, the others 1+1-0 = 2 > 1.
    expect(filterAll(dryRun)).toEqual([OK, UNSCHED, UNSCHED, UNSCHED]);
    // The original state is untouched.
    expect(filterAll(state)).toEqual([OK, OK, OK, OK]);

    pl.addPod(dryRun, pod, victim, store.getNodeInfo('a')!);
    expect(filterAll(dryRun)).toEqual([OK, OK, OK, OK]);
    // A pod in another namespace changes nothing.
    pl.removePod(
      dryRun,
      pod,
      makePod('elsewhere', { namespace: 'other', labels: { foo: '' } }),
      store.getNodeInfo('a')!,
    );
    expect(filterAll(dryRun)).toEqual([OK, OK, OK, OK]);
  });

  it('List defaulting applies the configured default constraints to pods without their own', () => {
    const store = cluster(fourNodes(), podsOn('a', 1, { app: 'web' }));
    store.putObject({
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' } },
    });
    const pod = makePod('incoming', { labels: { app: 'web' } });
    const args = {
      defaultingType: 'List',
      defaultConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule' }],
    };
    // Service selector app=web: zone1 = 1, zone2 = 0, min 0; zone1 1+1 = 2 > 1.
    expect(runFilter(store, pod, args)).toEqual({ a: UNSCHED, b: UNSCHED, x: OK, y: OK });
    // A pod nothing selects gets no default constraints.
    expect(runFilter(store, makePod('lonely', { labels: { app: 'db' } }), args)).toEqual({
      a: 'Skip',
      b: 'Skip',
      x: 'Skip',
      y: 'Skip',
    });
  });
});

describe('PodTopologySpread Score', () => {
  const fourHosts = () => [node('a'), node('b'), node('c'), node('d')];
  const cases: Array<{
    name: string;
    nodes: SimNode[];
    pods: SimPod[];
    pod: SimPod;
    candidates?: string[];
    want: number[] | 'Skip';
  }> = [
    {
      name: 'a pod with only DoNotSchedule constraints skips scoring',
      nodes: fourNodes(),
      pods: [],
      pod: incoming([spread(1, ZONE, 'DoNotSchedule')]),
      want: 'Skip',
    },
    {
      // raw 0 and 0: max = 0 so every node gets 100.
      name: 'with no matching pods every node scores 100',
      nodes: [node('a'), node('b')],
      pods: [],
      pod: incoming([spread(1, HOST, 'ScheduleAnyway')]),
      want: [100, 100],
    },
    {
      // w = ln(4+2) = 1.7918; raw = round(6w)=11, round(4w)=7, round(2w)=4, 0.
      // 100*(11+0-raw)/11: 0, 36, 63, 100.
      name: 'hostname spreading over pods 6/4/2/0 ranks the emptiest node first',
      nodes: fourHosts(),
      pods: [...podsOn('a', 6), ...podsOn('b', 4), ...podsOn('c', 2)],
      pod: incoming([spread(1, HOST, 'ScheduleAnyway')]),
      want: [0, 36, 63, 100],
    },
    {
      // maxSkew 3 adds 2: raw 13, 9, 6, 2; min 2, max 13: 100*(15-raw)/13 = 15, 46, 69, 100.
      name: 'a larger maxSkew waters down the differences',
      nodes: fourHosts(),
      pods: [...podsOn('a', 6), ...podsOn('b', 4), ...podsOn('c', 2)],
      pod: incoming([spread(3, HOST, 'ScheduleAnyway')]),
      want: [15, 46, 69, 100],
    },
    {
      // 2 zones: w = ln 4 = 1.3863; zone1 = 3 → round(4.159) = 4, zone2 = 1 → 1.
      // min 1, max 4: zone1 100*(5-4)/4 = 25, zone2 100.
      name: 'zone spreading scores every node of a zone alike',
      nodes: fourNodes(),
      pods: [...podsOn('a', 1), ...podsOn('b', 2), ...podsOn('x', 1)],
      pod: incoming([spread(1, ZONE, 'ScheduleAnyway')]),
      want: [25, 25, 100, 100],
    },
    {
      // Only a and x are candidates, but pods on b and y still count toward their zones.
      name: 'zone counts include pods on nodes that did not pass the filters',
      nodes: fourNodes(),
      pods: [...podsOn('a', 1), ...podsOn('b', 2), ...podsOn('x', 1)],
      pod: incoming([spread(1, ZONE, 'ScheduleAnyway')]),
      candidates: ['a', 'x'],
      want: [25, 100],
    },
    {
      // b lacks the zone label: ignored (0). 2 zones, w = ln 4: a round(1.386) = 1,
      // x round(2.773) = 3; min 1, max 3: a 100*(4-1)/3 = 100, x 100*(4-3)/3 = 33.
      name: 'a candidate without the topology label is ignored and scores 0',
      nodes: [node('a', { [ZONE]: 'zone1' }), node('b'), node('x', { [ZONE]: 'zone2' })],
      pods: [...podsOn('a', 1), ...podsOn('b', 5), ...podsOn('x', 2)],
      pod: incoming([spread(1, ZONE, 'ScheduleAnyway')]),
      want: [100, 0, 33],
    },
    {
      // zone w = ln 4 = 1.3863 (2 zones), hostname w = ln 5 = 1.6094 (3 candidates).
      // a: 2·1.3863 + 2·1.6094 = 5.991 → 6; b: 2·1.3863 + 0 = 2.773 → 3; x: 1.3863 + 1.6094 = 2.996 → 3.
      // min 3, max 6: a 100*(9-6)/6 = 50, b and x 100.
      name: 'zone and hostname constraints add their weighted counts',
      nodes: [
        node('a', { [ZONE]: 'zone1' }),
        node('b', { [ZONE]: 'zone1' }),
        node('x', { [ZONE]: 'zone2' }),
      ],
      pods: [...podsOn('a', 2), ...podsOn('x', 1)],
      pod: incoming([spread(1, ZONE, 'ScheduleAnyway'), spread(1, HOST, 'ScheduleAnyway')]),
      want: [50, 100, 100],
    },
  ];

  it.each(cases)('$name', ({ nodes, pods, pod, candidates, want }) => {
    expect(runScore(cluster(nodes, pods), pod, candidates)).toEqual(want);
  });

  it('system default constraints spread a ReplicaSet pod by hostname and zone', () => {
    const web = { app: 'web' };
    const nodes = [
      node('a', { [TZ]: 'zone1' }),
      node('b', { [TZ]: 'zone1' }),
      node('x', { [TZ]: 'zone2' }),
      node('c'), // no zone: still spread by hostname under system defaults
    ];
    const store = cluster(nodes, [
      ...podsOn('a', 2, web),
      ...podsOn('b', 1, { app: 'other' }),
      ...podsOn('x', 1, web),
      ...podsOn('c', 1, web),
    ]);
    store.putObject({
      kind: 'ReplicaSet',
      metadata: { name: 'rs1', namespace: 'default' },
      spec: { selector: { matchLabels: web } },
    });
    const pod = makePod('incoming', { labels: web });
    pod.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1', controller: true },
    ];
    // hostname maxSkew 3: w_h = ln(4+2) = 1.7918; zone maxSkew 5: c registers the "" zone, so
    // 3 values, w_z = ln(3+2) = 1.6094. Zone counts: zone1 = 2, zone2 = 1, "" = 1.
    // a: 2·1.6094+4 + 2·1.7918+2 = 12.80 → 13;  b: 2·1.6094+4 + 0+2 = 9.22 → 9;
    // x: 1.6094+4 + 1.7918+2 = 9.40 → 9;       c (no zone key): 1.7918+2 = 3.79 → 4.
    // min 4, max 13: a 100*(17-13)/13 = 30, b and x 100*(17-9)/13 = 61, c 100.
    expect(runScore(store, pod)).toEqual([30, 61, 61, 100]);
    // With DoNotSchedule defaults absent, the filter has nothing to do.
    expect(runFilter(store, pod)).toEqual({ a: 'Skip', b: 'Skip', x: 'Skip', c: 'Skip' });
  });

  it('a pod without constraints and without selecting owners skips scoring', () => {
    const store = cluster(fourNodes(), podsOn('a', 1, { app: 'web' }));
    expect(runScore(store, makePod('bare', { labels: { app: 'web' } }))).toBe('Skip');
  });

  it('List defaulting with no default constraints gives pods no constraints', () => {
    const tzNodes = [
      node('a', { [TZ]: 'zone1' }),
      node('b', { [TZ]: 'zone1' }),
      node('x', { [TZ]: 'zone2' }),
      node('y', { [TZ]: 'zone2' }),
    ];
    const store = cluster(tzNodes, podsOn('a', 1, { app: 'web' }));
    store.putObject({
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' } },
    });
    const pod = makePod('incoming', { labels: { app: 'web' } });
    expect(runScore(store, pod, undefined, { defaultingType: 'List' })).toBe('Skip');
    // The same pod under System defaulting is scored: zone1 = 1 (w_z = ln 4), hostname a = 1 (w_h = ln 6).
    // a: 1.3863+4 + 1.7918+2 = 9.18 → 9; b: 1.3863+4 + 2 = 7.39 → 7; x, y: 4+2 = 6.
    // min 6, max 9: a 100*(15-9)/9 = 66, b 100*(15-7)/9 = 88, x, y 100.
    expect(runScore(store, pod)).toEqual([66, 88, 100, 100]);
  });
});

describe('defaultSelectorForPod', () => {
  const store = new ClusterStore();
  store.putObject({
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' } },
  });
  store.putObject({
    kind: 'Service',
    metadata: { name: 'all', namespace: 'default' },
    spec: { selector: {} },
  });
  store.putObject({
    kind: 'Service',
    metadata: { name: 'headless', namespace: 'default' },
    spec: {},
  });
  store.putObject({
    kind: 'Service',
    metadata: { name: 'elsewhere', namespace: 'other' },
    spec: { selector: { team: 'x' } },
  });
  store.putObject({
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: { selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] } },
  });
  store.putObject({
    kind: 'ReplicationController',
    metadata: { name: 'rc', namespace: 'default' },
    spec: { selector: { rc: 'yes' } },
  });

  const pod = (
    labels: Labels,
    owner?: { kind: string; name: string; apiVersion?: string },
  ): SimPod => {
    const p = makePod('p', { labels });
    if (owner) p.metadata.ownerReferences = [{ ...owner, controller: true }];
    return p;
  };

  it('merges the selectors of the services selecting the pod', () => {
    expect(defaultSelectorForPod(pod({ app: 'web', team: 'x' }), store)).toEqual({
      matchLabels: { app: 'web' },
    });
  });

  it('adds the controller selector requirements of a StatefulSet owner', () => {
    const sel = defaultSelectorForPod(
      pod({ app: 'web', tier: 'fe' }, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }),
      store,
    );
    expect(labelSelectorMatches(sel, { app: 'web', tier: 'fe' })).toBe(true);
    expect(labelSelectorMatches(sel, { app: 'web', tier: 'be' })).toBe(false);
    expect(labelSelectorMatches(sel, { tier: 'fe' })).toBe(false);
  });

  it('merges a ReplicationController label map', () => {
    expect(
      defaultSelectorForPod(
        pod({ rc: 'yes' }, { kind: 'ReplicationController', name: 'rc' }),
        store,
      ),
    ).toEqual({
      matchLabels: { rc: 'yes' },
    });
  });

  it('ignores an owner with the wrong apiVersion or missing from the store', () => {
    expect(
      defaultSelectorForPod(
        pod({ tier: 'fe' }, { apiVersion: 'v1', kind: 'StatefulSet', name: 'db' }),
        store,
      ),
    ).toEqual({
      matchLabels: {},
    });
    expect(
      defaultSelectorForPod(pod({ tier: 'fe' }, { kind: 'ReplicaSet', name: 'gone' }), store),
    ).toEqual({ matchLabels: {} });
  });
});

describe('PodTopologySpread args', () => {
  const store = new ClusterStore();
  const err = (args: PluginArgs): string => {
    try {
      factory(args, handle(store));
    } catch (e) {
      expect(e).toBeInstanceOf(PluginArgsError);
      return (e as Error).message;
    }
    return 'no error';
  };
  const c = (extra: Record<string, unknown> = {}) => ({
    maxSkew: 1,
    topologyKey: ZONE,
    whenUnsatisfiable: 'DoNotSchedule',
    ...extra,
  });

  it.each([
    {
      name: 'System defaulting with default constraints is rejected',
      args: { defaultConstraints: [c()] },
      want: 'PodTopologySpread args: defaultingType: Invalid value: "System": when .defaultConstraints are not empty',
    },
    {
      name: 'an unknown defaulting type is rejected',
      args: { defaultingType: 'Sometimes' },
      want: 'PodTopologySpread args: defaultingType: Unsupported value: "Sometimes": supported values: "System", "List"',
    },
    {
      name: 'a non-positive maxSkew is rejected',
      args: { defaultingType: 'List', defaultConstraints: [c({ maxSkew: 0 })] },
      want: 'PodTopologySpread args: defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)',
    },
    {
      name: 'a default constraint with a selector is rejected',
      args: { defaultingType: 'List', defaultConstraints: [c({ labelSelector: {} })] },
      want: 'PodTopologySpread args: defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod',
    },
    {
      name: 'an unknown whenUnsatisfiable is rejected',
      args: { defaultingType: 'List', defaultConstraints: [c({ whenUnsatisfiable: 'Never' })] },
      want: 'PodTopologySpread args: defaultConstraints[0].whenUnsatisfiable: Unsupported value: "Never": supported values: "DoNotSchedule", "ScheduleAnyway"',
    },
    {
      name: 'a repeated topologyKey and whenUnsatisfiable pair is rejected',
      args: { defaultingType: 'List', defaultConstraints: [c(), c({ maxSkew: 2 })] },
      want: 'PodTopologySpread args: defaultConstraints[1]: Duplicate value: "{zone, DoNotSchedule}"',
    },
    {
      name: 'a topologyKey that is not a label name is rejected as ValidateLabelName words it',
      args: { defaultingType: 'List', defaultConstraints: [c({ topologyKey: 'zone!' })] },
      want:
        'PodTopologySpread args: defaultConstraints[0].topologyKey: Invalid value: "zone!": name part must consist of ' +
        "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    },
    {
      name: 'an empty topologyKey is rejected',
      args: { defaultingType: 'List', defaultConstraints: [c({ topologyKey: '' })] },
      want: 'PodTopologySpread args: defaultConstraints[0].topologyKey: Required value: can not be empty',
    },
  ])('$name', ({ args, want }) => {
    expect(err(args)).toBe(want);
  });

  it('valid List args and absent args build the plugin', () => {
    expect(
      err({
        defaultingType: 'List',
        defaultConstraints: [c(), c({ whenUnsatisfiable: 'ScheduleAnyway' })],
      }),
    ).toBe('no error');
    expect(factory(undefined, handle(store)).name).toBe('PodTopologySpread');
  });
});
