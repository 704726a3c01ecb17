import { describe, expect, it } from '@jest/globals';
import type {
  Affinity,
  PodAffinityTerm,
  WeightedPodAffinityTerm,
} from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Labels, SimNode, SimPod } from '../model/objects.js';
import { ClusterStore } from '../model/store.js';
import { makeNode, makePod } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  PluginArgsError,
  type Handle,
  type PluginArgs,
} from '../scheduler/framework/interfaces.js';
import { Code, type Status } from '../scheduler/framework/status.js';
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
  InterPodAffinity,
  factory,
} from './inter-pod-affinity.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'zone';
const REGION = 'region';

function handle(store: ClusterStore): Handle {
  return { store, now: () => 0, random: () => 0, recordEvent: () => {}, parallelism: 1 };
}

const plugin = (store: ClusterStore, args?: PluginArgs) =>
  factory(args, handle(store)) as InterPodAffinity;

const eq = (key: string, value: string): LabelSelector => ({ matchLabels: { [key]: value } });

function term(
  selector: LabelSelector | undefined,
  topologyKey: string,
  extra: Partial<PodAffinityTerm> = {},
): PodAffinityTerm {
  return { labelSelector: selector, topologyKey, ...extra };
}

function weightedTerm(weight: number, t: PodAffinityTerm): WeightedPodAffinityTerm {
  return { weight, podAffinityTerm: t };
}

interface PodDef {
  name?: string;
  namespace?: string;
  labels?: Labels;
  affinity?: Affinity;
  node?: string;
}

let seq = 0;
function pod(def: PodDef): SimPod {
  return makePod(def.name ?? `p${++seq}`, {
    namespace: def.namespace,
    labels: def.labels ?? {},
    nodeName: def.node,
    spec: { containers: [{ name: 'c' }], affinity: def.affinity },
  });
}

const requiredAffinity = (...terms: PodAffinityTerm[]): Affinity => ({
  podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms },
});
const requiredAntiAffinity = (...terms: PodAffinityTerm[]): Affinity => ({
  podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms },
});

/** n1, n2 in zone z1; n3 in zone z2; n4 has no zone label. */
function filterNodes(): SimNode[] {
  return [
    makeNode('n1', { labels: { [ZONE]: 'z1' } }),
    makeNode('n2', { labels: { [ZONE]: 'z1' } }),
    makeNode('n3', { labels: { [ZONE]: 'z2' } }),
    makeNode('n4'),
  ];
}

function cluster(
  nodes: SimNode[],
  pods: SimPod[],
  namespaces: Record<string, Labels> = {},
): ClusterStore {
  const store = new ClusterStore();
  for (const n of nodes) store.addNode(n);
  for (const p of pods) store.addPod(p);
  for (const [name, labels] of Object.entries(namespaces)) {
    store.putObject({ kind: 'Namespace', metadata: { name, labels } });
  }
  return store;
}

const codeName = (s: Status | null): string => (s === null ? 'Success' : Code[s.code]!);

function runFilter(store: ClusterStore, incoming: SimPod): Record<string, string> {
  const pl = plugin(store);
  const state = new CycleState();
  const pre = pl.preFilter(state, incoming, store.nodes());
  const out: Record<string, string> = {};
  for (const n of store.nodes())
    out[n.name] = pre.status?.isSkip() ? 'Skip' : codeName(pl.filter(state, incoming, n));
  return out;
}

const OK = 'Success';
const UNSCHED = 'Unschedulable';
const UNRES = 'UnschedulableAndUnresolvable';
const scan = eq('service', 'securityscan');

describe('InterPodAffinity Filter', () => {
  const cases: Array<{
    name: string;
    pods: SimPod[];
    incoming: SimPod;
    namespaces?: Record<string, Labels>;
    want: Record<string, string>;
  }> = [
    {
      name: 'a pod without terms skips the filter when no existing pod has required anti-affinity',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n1' })],
      incoming: pod({ labels: { service: 'securityscan' } }),
      want: { n1: 'Skip', n2: 'Skip', n3: 'Skip', n4: 'Skip' },
    },
    {
      name: 'required affinity by hostname admits only the node holding a matching pod',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n1' })],
      incoming: pod({ affinity: requiredAffinity(term(scan, HOST)) }),
      want: { n1: OK, n2: UNRES, n3: UNRES, n4: UNRES },
    },
    {
      name: 'required affinity by zone admits every node of the zone and rejects nodes without the key',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n1' })],
      incoming: pod({ affinity: requiredAffinity(term(scan, ZONE)) }),
      want: { n1: OK, n2: OK, n3: UNRES, n4: UNRES },
    },
    {
      name: 'required affinity that no pod matches rejects every node when the pod does not match itself',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n1' })],
      incoming: pod({
        affinity: requiredAffinity(
          term(
            {
              matchExpressions: [
                { key: 'service', operator: 'In', values: ['antivirusscan', 'value2'] },
              ],
            },
            ZONE,
          ),
        ),
      }),
      want: { n1: UNRES, n2: UNRES, n3: UNRES, n4: UNRES },
    },
    {
      name: 'the first pod of a self-affine group passes on every node carrying the topology key',
      pods: [pod({ labels: { other: 'x' }, node: 'n1' })],
      incoming: pod({
        labels: { service: 'securityscan' },
        affinity: requiredAffinity(term(scan, ZONE)),
      }),
      want: { n1: OK, n2: OK, n3: OK, n4: UNRES },
    },
    {
      name: 'the self-match exception ends once a matching pod runs somewhere',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n3' })],
      incoming: pod({
        labels: { service: 'securityscan' },
        affinity: requiredAffinity(term(scan, ZONE)),
      }),
      want: { n1: UNRES, n2: UNRES, n3: OK, n4: UNRES },
    },
    {
      // The term names namespace ns2: the default-namespace pod neither counts nor lets the
      // incoming pod (also in default) match its own term.
      name: 'affinity terms only see pods in the namespaces they name',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n1' })],
      incoming: pod({
        labels: { service: 'securityscan' },
        affinity: requiredAffinity(term(scan, HOST, { namespaces: ['ns2'] })),
      }),
      want: { n1: UNRES, n2: UNRES, n3: UNRES, n4: UNRES },
    },
    {
      name: 'an empty namespaceSelector matches pods in every namespace',
      pods: [pod({ namespace: 'other', labels: { service: 'securityscan' }, node: 'n1' })],
      incoming: pod({ affinity: requiredAffinity(term(scan, HOST, { namespaceSelector: {} })) }),
      want: { n1: OK, n2: UNRES, n3: UNRES, n4: UNRES },
    },
    {
      name: 'a namespaceSelector selects namespaces by their labels',
      pods: [
        pod({ namespace: 'team-b', labels: { service: 'securityscan' }, node: 'n1' }),
        pod({ namespace: 'team-a', labels: { service: 'securityscan' }, node: 'n3' }),
      ],
      namespaces: { 'team-a': { team: 'a' }, 'team-b': { team: 'b' } },
      incoming: pod({
        affinity: requiredAffinity(term(scan, HOST, { namespaceSelector: eq('team', 'a') })),
      }),
      want: { n1: UNRES, n2: UNRES, n3: OK, n4: UNRES },
    },
    {
      name: 'a namespaceSelector sees the automatic kubernetes.io/metadata.name label',
      pods: [
        pod({ namespace: 'team-b', labels: { service: 'securityscan' }, node: 'n1' }),
        pod({ namespace: 'team-a', labels: { service: 'securityscan' }, node: 'n3' }),
      ],
      namespaces: { 'team-a': {}, 'team-b': {} },
      incoming: pod({
        affinity: requiredAffinity(
          term(scan, HOST, { namespaceSelector: eq('kubernetes.io/metadata.name', 'team-b') }),
        ),
      }),
      want: { n1: OK, n2: UNRES, n3: UNRES, n4: UNRES },
    },
    {
      name: 'required anti-affinity by hostname keeps the pod off the node with a matching pod',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n1' })],
      incoming: pod({ affinity: requiredAntiAffinity(term(scan, HOST)) }),
      want: { n1: UNSCHED, n2: OK, n3: OK, n4: OK },
    },
    {
      name: 'required anti-affinity by zone blocks the whole zone but not nodes without the key',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n1' })],
      incoming: pod({ affinity: requiredAntiAffinity(term(scan, ZONE)) }),
      want: { n1: UNSCHED, n2: UNSCHED, n3: OK, n4: OK },
    },
    {
      name: 'a matching pod on a node without the topology key blocks nothing',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n4' })],
      incoming: pod({ affinity: requiredAntiAffinity(term(scan, ZONE)) }),
      want: { n1: OK, n2: OK, n3: OK, n4: OK },
    },
    {
      name: "an existing pod's required anti-affinity keeps a matching pod out of its zone",
      pods: [pod({ node: 'n1', affinity: requiredAntiAffinity(term(eq('app', 'web'), ZONE)) })],
      incoming: pod({ labels: { app: 'web' } }),
      want: { n1: UNSCHED, n2: UNSCHED, n3: OK, n4: OK },
    },
    {
      name: "an existing pod's anti-affinity only covers its own namespace by default",
      pods: [
        pod({
          namespace: 'other',
          node: 'n1',
          affinity: requiredAntiAffinity(term(eq('app', 'web'), ZONE)),
        }),
      ],
      incoming: pod({ labels: { app: 'web' } }),
      want: { n1: 'Skip', n2: 'Skip', n3: 'Skip', n4: 'Skip' },
    },
    {
      name: "an existing pod's anti-affinity namespaceSelector is matched against the incoming pod's namespace labels",
      pods: [
        pod({
          namespace: 'other',
          node: 'n3',
          affinity: requiredAntiAffinity(
            term(eq('app', 'web'), ZONE, { namespaceSelector: eq('team', 'a') }),
          ),
        }),
      ],
      namespaces: { 'team-a': { team: 'a' } },
      incoming: pod({ namespace: 'team-a', labels: { app: 'web' } }),
      want: { n1: OK, n2: OK, n3: UNSCHED, n4: OK },
    },
    {
      name: 'affinity by zone and anti-affinity by hostname leave the other node of the zone',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n1' })],
      incoming: pod({
        affinity: {
          ...requiredAffinity(term(scan, ZONE)),
          ...requiredAntiAffinity(term(scan, HOST)),
        },
      }),
      want: { n1: UNSCHED, n2: OK, n3: UNRES, n4: UNRES },
    },
    {
      // Neither existing pod matches both terms, so no domain holds a match.
      name: 'a pod must match all required affinity terms to satisfy them',
      pods: [
        pod({ labels: { service: 'securityscan' }, node: 'n1' }),
        pod({ labels: { app: 'db' }, node: 'n3' }),
      ],
      incoming: pod({ affinity: requiredAffinity(term(scan, ZONE), term(eq('app', 'db'), ZONE)) }),
      want: { n1: UNRES, n2: UNRES, n3: UNRES, n4: UNRES },
    },
    {
      name: 'a pod matching all required affinity terms satisfies them for its zone',
      pods: [
        pod({ labels: { service: 'securityscan' }, node: 'n1' }),
        pod({ labels: { service: 'securityscan', app: 'db' }, node: 'n2' }),
      ],
      incoming: pod({ affinity: requiredAffinity(term(scan, ZONE), term(eq('app', 'db'), ZONE)) }),
      want: { n1: OK, n2: OK, n3: UNRES, n4: UNRES },
    },
    {
      // matchLabelKeys adds version In [v2]: only the v2 pod on n2 repels.
      name: 'matchLabelKeys narrow an anti-affinity term to pods sharing the label value',
      pods: [
        pod({ labels: { app: 'web', version: 'v1' }, node: 'n1' }),
        pod({ labels: { app: 'web', version: 'v2' }, node: 'n2' }),
      ],
      incoming: pod({
        labels: { app: 'web', version: 'v2' },
        affinity: requiredAntiAffinity(
          term(eq('app', 'web'), HOST, { matchLabelKeys: ['version'] }),
        ),
      }),
      want: { n1: OK, n2: UNSCHED, n3: OK, n4: OK },
    },
    {
      // mismatchLabelKeys adds tenant NotIn [a]: pods of other tenants repel.
      name: 'mismatchLabelKeys make an anti-affinity term repel pods with a different label value',
      pods: [
        pod({ labels: { tenant: 'b' }, node: 'n1' }),
        pod({ labels: { tenant: 'a' }, node: 'n2' }),
      ],
      incoming: pod({
        labels: { tenant: 'a' },
        affinity: requiredAntiAffinity(
          term({ matchExpressions: [{ key: 'tenant', operator: 'Exists' }] }, HOST, {
            mismatchLabelKeys: ['tenant'],
          }),
        ),
      }),
      want: { n1: UNSCHED, n2: OK, n3: OK, n4: OK },
    },
    {
      name: 'a term without a labelSelector matches no pod',
      pods: [pod({ labels: { service: 'securityscan' }, node: 'n1' })],
      incoming: pod({ affinity: requiredAntiAffinity(term(undefined, HOST)) }),
      want: { n1: OK, n2: OK, n3: OK, n4: OK },
    },
  ];

  it.each(cases)('$name', ({ pods, incoming, namespaces, want }) => {
    expect(runFilter(cluster(filterNodes(), pods, namespaces), incoming)).toEqual(want);
  });

  it('reports the upstream reason for each kind of rejection', () => {
    const store = cluster(filterNodes(), [
      pod({ labels: { service: 'securityscan' }, node: 'n1' }),
      pod({ node: 'n3', affinity: requiredAntiAffinity(term(eq('app', 'web'), ZONE)) }),
    ]);
    const pl = plugin(store);
    const check = (incoming: SimPod, nodeName: string) => {
      const state = new CycleState();
      pl.preFilter(state, incoming, store.nodes());
      return pl.filter(state, incoming, store.getNodeInfo(nodeName)!)!;
    };
    const affinity = check(pod({ affinity: requiredAffinity(term(scan, HOST)) }), 'n2');
    expect([affinity.code, affinity.message()]).toEqual([
      Code.UnschedulableAndUnresolvable,
      ERR_REASON_AFFINITY_RULES_NOT_MATCH,
    ]);
    expect(affinity.message()).toBe("node(s) didn't match pod affinity rules");
    const anti = check(pod({ affinity: requiredAntiAffinity(term(scan, HOST)) }), 'n1');
    expect([anti.code, anti.message()]).toEqual([
      Code.Unschedulable,
      "node(s) didn't match pod anti-affinity rules",
    ]);
    expect(anti.reasons).toEqual([ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH]);
    const existing = check(pod({ labels: { app: 'web' } }), 'n3');
    expect([existing.code, existing.message()]).toEqual([
      Code.Unschedulable,
      "node(s) didn't satisfy existing pods anti-affinity rules",
    ]);
    expect(existing.reasons).toEqual([ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH]);
  });

  it('addPod and removePod update a cloned state for preemption dry runs', () => {
    const scanner = pod({ labels: { service: 'securityscan' }, node: 'n1' });
    const guard = pod({ node: 'n3', affinity: requiredAntiAffinity(term(eq('app', 'web'), ZONE)) });
    const store = cluster(filterNodes(), [scanner, guard]);
    const pl = plugin(store);
    const incoming = pod({ labels: { app: 'web' }, affinity: requiredAffinity(term(scan, HOST)) });
    const state = new CycleState();
    pl.preFilter(state, incoming, store.nodes());
    const all = (s: CycleState) => store.nodes().map((n) => codeName(pl.filter(s, incoming, n)));
    expect(all(state)).toEqual([OK, UNRES, UNRES, UNRES]);

    const dryRun = state.clone((_k, v) => (v as { clone(): unknown }).clone());
    // Without the scanner no pod matches and the incoming pod does not match itself.
    pl.removePod(dryRun, incoming, scanner, store.getNodeInfo('n1')!);
    expect(all(dryRun)).toEqual([UNRES, UNRES, UNRES, UNRES]);
    expect(all(state)).toEqual([OK, UNRES, UNRES, UNRES]);
    // A scanner added on n3 satisfies the affinity there, but the guard's anti-affinity blocks z2.
    pl.addPod(dryRun, incoming, scanner, store.getNodeInfo('n3')!);
    expect(all(dryRun)).toEqual([UNRES, UNRES, UNSCHED, UNRES]);
    // Removing the guard lifts the symmetric anti-affinity.
    pl.removePod(dryRun, incoming, guard, store.getNodeInfo('n3')!);
    expect(all(dryRun)).toEqual([UNRES, UNRES, OK, UNRES]);
  });
});

/** n1 {r1, z1}, n2 {r1, z2}, n3 {r2, z3}. */
function scoreNodes(): SimNode[] {
  return [
    makeNode('n1', { labels: { [REGION]: 'r1', [ZONE]: 'z1' } }),
    makeNode('n2', { labels: { [REGION]: 'r1', [ZONE]: 'z2' } }),
    makeNode('n3', { labels: { [REGION]: 'r2', [ZONE]: 'z3' } }),
  ];
}

function runScore(store: ClusterStore, incoming: SimPod, args?: PluginArgs): number[] | 'Skip' {
  const pl = plugin(store, args);
  const nodes = [...store.nodes()];
  const state = new CycleState();
  const status = pl.preScore(state, incoming, nodes);
  if (status?.isSkip()) return 'Skip';
  expect(status).toBeNull();
  const scores = nodes.map((n) => pl.score(state, incoming, n));
  expect(pl.normalizeScore(state, incoming, nodes, scores)).toBeNull();
  return scores;
}

const preferred = (
  kind: 'podAffinity' | 'podAntiAffinity',
  ...terms: WeightedPodAffinityTerm[]
): Affinity => ({
  [kind]: { preferredDuringSchedulingIgnoredDuringExecution: terms },
});
const s1 = eq('security', 'S1');
const s2 = eq('security', 'S2');

describe('InterPodAffinity Score', () => {
  const cases: Array<{
    name: string;
    pods: SimPod[];
    incoming: SimPod;
    args?: PluginArgs;
    want: number[] | 'Skip';
  }> = [
    {
      name: 'no pod with affinity and no preferred terms skips scoring',
      pods: [pod({ labels: { security: 'S1' }, node: 'n1' })],
      incoming: pod({ labels: { security: 'S1' } }),
      want: 'Skip',
    },
    {
      // region r1 += 5: raw 5, 5, 0; min 0, max 5.
      name: 'preferred affinity by region favours every node of the matching region',
      pods: [pod({ labels: { security: 'S1' }, node: 'n1' })],
      incoming: pod({ affinity: preferred('podAffinity', weightedTerm(5, term(s1, REGION))) }),
      want: [100, 100, 0],
    },
    {
      // region r2 += 8 (S1 on n3), zone z1 += 2 (S2 on n1): raw 2, 0, 8; 100·2/8 = 25.
      name: 'preferred terms add their own weights per topology key',
      pods: [
        pod({ labels: { security: 'S1' }, node: 'n3' }),
        pod({ labels: { security: 'S2' }, node: 'n1' }),
      ],
      incoming: pod({
        affinity: preferred(
          'podAffinity',
          weightedTerm(8, term(s1, REGION)),
          weightedTerm(2, term(s2, ZONE)),
        ),
      }),
      want: [25, 0, 100],
    },
    {
      // S1 on n1 and n3: region r1 += 5, r2 += 5, zone z1 += 3, z3 += 3: raw 8, 5, 8.
      // The real minimum 5 maps to 0 (a minimum fixed at 0 would give n2 100·5/8 = 62).
      name: 'normalization subtracts the real minimum score',
      pods: [
        pod({ labels: { security: 'S1' }, node: 'n1' }),
        pod({ labels: { security: 'S1' }, node: 'n3' }),
      ],
      incoming: pod({
        affinity: preferred(
          'podAffinity',
          weightedTerm(5, term(s1, REGION)),
          weightedTerm(3, term(s1, ZONE)),
        ),
      }),
      want: [100, 0, 100],
    },
    {
      // zone z2 += 5 (S1 on n2), region r1 −= 10 (S2 on n1): raw −10, −5, 0; min −10, max 0:
      // n2 100·(−5+10)/10 = 50.
      name: 'preferred anti-affinity subtracts its weight and negative scores normalize from the minimum',
      pods: [
        pod({ labels: { security: 'S1' }, node: 'n2' }),
        pod({ labels: { security: 'S2' }, node: 'n1' }),
      ],
      incoming: pod({
        affinity: {
          ...preferred('podAffinity', weightedTerm(5, term(s1, ZONE))),
          ...preferred('podAntiAffinity', weightedTerm(10, term(s2, REGION))),
        },
      }),
      want: [0, 50, 100],
    },
    {
      // The existing pod's required affinity matches the incoming pod: zone z1 += 1.
      name: "an existing pod's required affinity adds hardPodAffinityWeight to its domain",
      pods: [pod({ node: 'n1', affinity: requiredAffinity(term(eq('app', 'web'), ZONE)) })],
      incoming: pod({ labels: { app: 'web' } }),
      want: [100, 0, 0],
    },
    {
      // Weight 5: zone z1 += 5 and hostname n3 += 5: raw 5, 0, 5.
      name: 'hardPodAffinityWeight scales the contribution of existing required affinity',
      pods: [
        pod({ node: 'n1', affinity: requiredAffinity(term(eq('app', 'web'), ZONE)) }),
        pod({ node: 'n3', affinity: requiredAffinity(term(eq('app', 'web'), HOST)) }),
      ],
      incoming: pod({ labels: { app: 'web' } }),
      args: { hardPodAffinityWeight: 5 },
      want: [100, 0, 100],
    },
    {
      name: 'hardPodAffinityWeight 0 ignores existing required affinity',
      pods: [pod({ node: 'n1', affinity: requiredAffinity(term(eq('app', 'web'), ZONE)) })],
      incoming: pod({ labels: { app: 'web' } }),
      args: { hardPodAffinityWeight: 0 },
      want: 'Skip',
    },
    {
      // zone z1 += 3 (preferred affinity of the pod on n1), region r2 −= 7 (preferred
      // anti-affinity of the pod on n3): raw 3, 0, −7; n2 100·7/10 = 70.
      name: "existing pods' preferred terms count toward the incoming pod they match",
      pods: [
        pod({
          node: 'n1',
          affinity: preferred('podAffinity', weightedTerm(3, term(eq('app', 'web'), ZONE))),
        }),
        pod({
          node: 'n3',
          affinity: preferred('podAntiAffinity', weightedTerm(7, term(eq('app', 'web'), REGION))),
        }),
      ],
      incoming: pod({ labels: { app: 'web' } }),
      want: [100, 70, 0],
    },
    {
      name: 'ignorePreferredTermsOfExistingPods skips scoring a pod without preferred terms',
      pods: [
        pod({
          node: 'n1',
          affinity: preferred('podAffinity', weightedTerm(3, term(eq('app', 'web'), ZONE))),
        }),
      ],
      incoming: pod({ labels: { app: 'web' } }),
      args: { ignorePreferredTermsOfExistingPods: true },
      want: 'Skip',
    },
    {
      // The S1 pod in namespace "other" is outside the term's (default) namespace; only the
      // default-namespace S1 pod on n3 counts: region r2 += 4.
      name: 'preferred terms only see pods in the incoming pod namespace by default',
      pods: [
        pod({ namespace: 'other', labels: { security: 'S1' }, node: 'n1' }),
        pod({ labels: { security: 'S1' }, node: 'n3' }),
      ],
      incoming: pod({ affinity: preferred('podAffinity', weightedTerm(4, term(s1, REGION))) }),
      want: [0, 0, 100],
    },
    {
      // +5 and −5 on region r1 cancel: the bucket exists, every raw score is 0, max = min.
      name: 'equal raw scores normalize to 0',
      pods: [pod({ labels: { security: 'S1' }, node: 'n1' })],
      incoming: pod({
        affinity: {
          ...preferred('podAffinity', weightedTerm(5, term(s1, REGION))),
          ...preferred('podAntiAffinity', weightedTerm(5, term(s1, REGION))),
        },
      }),
      want: [0, 0, 0],
    },
  ];

  it.each(cases)('$name', ({ pods, incoming, args, want }) => {
    expect(runScore(cluster(scoreNodes(), pods), incoming, args)).toEqual(want);
  });
});

describe('InterPodAffinity args', () => {
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

  it('defaults hardPodAffinityWeight to 1 and ignorePreferredTermsOfExistingPods to false', () => {
    expect((factory(undefined, handle(store)) as InterPodAffinity).args).toEqual({
      hardPodAffinityWeight: 1,
      ignorePreferredTermsOfExistingPods: false,
    });
  });

  it.each([
    {
      w: 101,
      want: 'InterPodAffinity args: hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]',
    },
    {
      w: -1,
      want: 'InterPodAffinity args: hardPodAffinityWeight: Invalid value: -1: not in valid range [0, 100]',
    },
    { w: 100, want: 'no error' },
    { w: 0, want: 'no error' },
  ])('hardPodAffinityWeight $w gives: $want', ({ w, want }) => {
    expect(err({ hardPodAffinityWeight: w })).toBe(want);
  });
});
