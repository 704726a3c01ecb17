import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { SimPod } from '../../model/objects.js';
import { ClusterStore } from '../../model/store.js';
import { makeNode, makePod } from '../../model/testing.js';
import { labelSelectorMatches } from './label-selector.js';
import { PodCountIndex } from './pod-count-index.js';

const NAMESPACES = ['default', 'team'];
const KEYS = ['app', 'tier', 'zone'];
const VALUES = ['a', 'b', ''];
const ZONE = 'topology.kubernetes.io/zone';

const labelsArb = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), {
  maxKeys: 3,
});

/** Selectors of every shape: with an anchor (matchLabels, single-value In) and without. */
const selectorArb: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), {
      maxKeys: 2,
    }),
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({
          key: fc.constantFrom(...KEYS),
          operator: fc.constantFrom('In', 'NotIn'),
          values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }),
        }),
        fc.record({
          key: fc.constantFrom(...KEYS),
          operator: fc.constantFrom('Exists', 'DoesNotExist'),
        }),
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

type Op =
  | { kind: 'add'; ns: number; labels: Record<string, string>; node: number }
  | { kind: 'terminate' | 'delete' | 'deleting'; pod: number }
  | { kind: 'query'; ns: number; selector: LabelSelector }
  | { kind: 'removeNode'; node: number }
  | { kind: 'addNode' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      ns: fc.nat(1),
      labels: labelsArb,
      node: fc.nat(5),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('terminate' as const, 'delete' as const, 'deleting' as const),
      pod: fc.nat(40),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('query' as const),
      ns: fc.nat(1),
      selector: selectorArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('removeNode' as const), node: fc.nat(5) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addNode' as const) }) },
);

/** What the index must agree with: count the pods on each node that are not being deleted. */
function bruteForce(store: ClusterStore, ns: string, selector: LabelSelector) {
  const perNode = new Map<string, number>();
  const perZone = new Map<string, number>();
  for (const info of store.nodes()) {
    let n = 0;
    for (const p of info.pods) {
      if (p.metadata.deletionTimestamp !== undefined) continue;
      if (p.metadata.namespace === ns && labelSelectorMatches(selector, p.metadata.labels)) n++;
    }
    perNode.set(info.name, n);
    if (n > 0) {
      const z = info.node.metadata.labels[ZONE] ?? '';
      perZone.set(z, (perZone.get(z) ?? 0) + n);
    }
  }
  return { perNode, perZone };
}

describe('PodCountIndex counts what a scan of every node counts', () => {
  it('for any history of pods, selectors and node changes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        const store = new ClusterStore();
        let nodeSeq = 0;
        const addNode = (): void => {
          const i = nodeSeq++;
          store.addNode(makeNode(`n${i}`, { labels: { [ZONE]: `z${i % 3}` } }));
        };
        for (let i = 0; i < 4; i++) addNode();
        const index = PodCountIndex.of(store);
        const pods: SimPod[] = [];
        const queried: Array<{ ns: string; selector: LabelSelector }> = [];
        for (const op of ops) {
          if (op.kind === 'add') {
            const nodes = store.nodes();
            if (nodes.length === 0) continue;
            const node = nodes[op.node % nodes.length]!.name;
            const pod = makePod(`p${pods.length}`, {
              namespace: NAMESPACES[op.ns],
              labels: op.labels,
              nodeName: node,
            });
            pods.push(pod);
            store.addPod(pod);
          } else if (op.kind === 'query') {
            // The index counts nothing for an empty selector (its callers decide what {}
            // means); every other selector must match the scan.
            const empty =
              Object.keys(op.selector.matchLabels ?? {}).length === 0 &&
              (op.selector.matchExpressions ?? []).length === 0;
            if (empty) expect(index.counts(NAMESPACES[op.ns]!, op.selector)).toBeUndefined();
            else queried.push({ ns: NAMESPACES[op.ns]!, selector: op.selector });
          } else if (op.kind === 'removeNode') {
            const nodes = store.nodes();
            if (nodes.length === 0) continue;
            store.removeNode(nodes[op.node % nodes.length]!.name);
          } else if (op.kind === 'addNode') {
            addNode();
          } else {
            const pod = pods[op.pod % Math.max(1, pods.length)];
            if (!pod || !store.getPod(pod.key)) continue;
            if (op.kind === 'delete') store.deletePod(pod);
            else if (op.kind === 'deleting') {
              pod.metadata.deletionTimestamp ??= 1;
              store.updatePod(pod, 'deleting');
            } else {
              pod.status.phase = 'Succeeded';
              store.updatePod(pod, 'phase');
            }
          }
          // Every selector queried so far is tracked from then on and must stay right.
          for (const q of queried) {
            const counts = index.counts(q.ns, q.selector);
            const want = bruteForce(store, q.ns, q.selector);
            for (const info of store.nodes()) {
              expect(counts ? counts.countOn(info) : 0).toBe(want.perNode.get(info.name));
            }
            if (counts) {
              const got = new Map([...counts.domainCounts(ZONE)].filter(([, v]) => v > 0));
              expect(got).toEqual(want.perZone);
            }
          }
        }
      }),
      { numRuns: 150, seed: 1 },
    );
  });
});

describe('PodCountIndex past its selector limit', () => {
  it('drops the least recently queried selector and counts it anew when asked again', () => {
    const store = new ClusterStore();
    store.addNode(makeNode('n0'));
    store.addPod(makePod('a0', { labels: { app: 'a' }, nodeName: 'n0' }));
    const index = PodCountIndex.of(store);
    // A frozen selector, as a workload's default spread selector is: found by identity.
    const frozen = Object.freeze({ matchLabels: Object.freeze({ app: 'a' }) }) as LabelSelector;
    const first = index.counts('default', frozen)!;
    expect(first.countOn(store.getNodeInfo('n0')!)).toBe(1);
    expect(index.counts('default', frozen)).toBe(first);
    // 512 other selectors queried since: `frozen` is the oldest and is dropped.
    for (let i = 0; i < 512; i++) index.counts('default', { matchLabels: { app: `x${i}` } });
    expect(first.evicted).toBe(true);
    // A pod added meanwhile is counted by the selector's new entry, not the dropped one.
    store.addPod(makePod('a1', { labels: { app: 'a' }, nodeName: 'n0' }));
    const again = index.counts('default', frozen)!;
    expect(again).not.toBe(first);
    expect(again.countOn(store.getNodeInfo('n0')!)).toBe(2);
    expect(first.countOn(store.getNodeInfo('n0')!)).toBe(1);
    // An equal selector that is not frozen finds the same entry by its key.
    expect(index.counts('default', { matchLabels: { app: 'a' } })).toBe(again);
  });
});
