/**
 * The cluster store's indexes, kept incrementally as pods come, bind, finish and go: pending
 * pods, pods by top-level owner, pods by label, and each node's aggregates (requests, pod count)
 * — checked against a recount from scratch after every step of random operation sequences.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ClusterStore } from '../../src/model/store.js';
import type { SimPod } from '../../src/model/objects.js';
import { makeNode, makePod } from '../../src/model/testing.js';

const names = (pods: Iterable<SimPod>): string[] => [...pods].map((p) => p.metadata.name);

function storeWithNodes(): ClusterStore {
  const store = new ClusterStore();
  for (const n of ['n1', 'n2'])
    store.addNode(makeNode(n, { allocatable: { cpu: 8000, memory: 2 ** 34 } }));
  return store;
}

describe('pending pods', () => {
  it('unbound pods are pending in creation order; binding, finishing or deleting takes them out', () => {
    const store = storeWithNodes();
    const [a, b, c] = ['a', 'b', 'c'].map((n) => makePod(n));
    for (const p of [a, b, c]) store.addPod(p!);
    expect(names(store.pending())).toEqual(['a', 'b', 'c']);
    store.assumePod(b!, 'n1');
    expect(names(store.pending())).toEqual(['a', 'c']);
    store.forgetPod(b!, 'n1'); // binding failed: pending again (at the end)
    expect(names(store.pending())).toEqual(['a', 'c', 'b']);
    store.assumePod(b!, 'n1');
    store.bindPod(b!, 'n1');
    c!.status.phase = 'Failed';
    store.updatePod(c!, 'phase');
    store.deletePod(a!);
    expect(names(store.pending())).toEqual([]);
  });

  it('a pod created with a nodeName is never pending', () => {
    const store = storeWithNodes();
    store.addPod(makePod('bound', { nodeName: 'n2' }));
    expect(store.pending().size).toBe(0);
    expect(store.getNodeInfo('n2')!.pods.map((p) => p.metadata.name)).toEqual(['bound']);
  });
});

describe('pods by owner and by label', () => {
  it('podsOfOwner follows adds and deletes; finished pods stay until deleted', () => {
    const store = storeWithNodes();
    const rs = 'ReplicaSet/default/web-1';
    const pods = ['w1', 'w2', 'w3'].map((n) => makePod(n, { topOwner: rs }));
    for (const p of pods) store.addPod(p);
    store.addPod(makePod('other', { topOwner: 'Job/default/j' }));
    pods[0]!.status.phase = 'Succeeded';
    store.updatePod(pods[0]!, 'phase');
    store.deletePod(pods[1]!);
    expect(names(store.podsOfOwner(rs))).toEqual(['w1', 'w3']);
    expect(names(store.podsOfOwner('Deployment/default/none'))).toEqual([]);
  });

  it('podsWithLabel indexes on first query, then follows adds and deletes', () => {
    const store = storeWithNodes();
    store.addPod(makePod('a', { labels: { app: 'web', tier: 'front' } }));
    store.addPod(makePod('b', { labels: { app: 'db' } }));
    expect(names(store.podsWithLabel('app', 'web'))).toEqual(['a']);
    store.addPod(makePod('c', { labels: { app: 'web' } }));
    store.addPod(makePod('d', { labels: { tier: 'front' } }));
    store.deletePod(store.getPod('default/a')!);
    expect(names(store.podsWithLabel('app', 'web'))).toEqual(['c']);
    expect(names(store.podsWithLabel('app', 'db'))).toEqual(['b']);
    // A key asked for later is indexed from the pods present then.
    expect(names(store.podsWithLabel('tier', 'front'))).toEqual(['d']);
    expect(names(store.podsWithLabel('app', 'cache'))).toEqual([]);
  });
});

describe('node aggregates under random operations', () => {
  type Op =
    | { op: 'add'; cpu: number; mem: number; node?: 'n1' | 'n2'; owner: number; app: number }
    | { op: 'bind'; i: number; node: 'n1' | 'n2' }
    | { op: 'finish'; i: number }
    | { op: 'delete'; i: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      op: fc.constant('add' as const),
      cpu: fc.integer({ min: 0, max: 2000 }),
      mem: fc.integer({ min: 0, max: 2 ** 30 }),
      node: fc.option(fc.constantFrom('n1' as const, 'n2' as const), { nil: undefined }),
      owner: fc.integer({ min: 0, max: 2 }),
      app: fc.integer({ min: 0, max: 2 }),
    }),
    fc.record({
      op: fc.constant('bind' as const),
      i: fc.nat(),
      node: fc.constantFrom('n1' as const, 'n2' as const),
    }),
    fc.record({ op: fc.constant('finish' as const), i: fc.nat() }),
    fc.record({ op: fc.constant('delete' as const), i: fc.nat() }),
  );

  it('pending, owners, labels and per-node requests always equal a recount', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const store = storeWithNodes();
        store.podsWithLabel('app', 'a0'); // index from the start
        const created: SimPod[] = [];
        for (const o of ops) {
          if (o.op === 'add') {
            const pod = makePod(`p${created.length}`, {
              requests: { cpu: o.cpu, memory: o.mem },
              nodeName: o.node,
              topOwner: `ReplicaSet/default/o${o.owner}`,
              labels: { app: `a${o.app}` },
            });
            created.push(pod);
            store.addPod(pod);
            continue;
          }
          const live = created.filter((p) => store.getPod(p.key));
          const pod = live[o.i % Math.max(1, live.length)];
          if (!pod) continue;
          if (o.op === 'bind' && !pod.spec.nodeName && pod.status.phase === 'Pending') {
            store.assumePod(pod, o.node);
            store.bindPod(pod, o.node);
          } else if (o.op === 'finish' && pod.status.phase !== 'Succeeded') {
            pod.status.phase = 'Succeeded';
            store.updatePod(pod, 'phase');
          } else if (o.op === 'delete') {
            store.deletePod(pod);
          }
        }
        const live = created.filter((p) => store.getPod(p.key));
        const active = live.filter((p) => p.status.phase !== 'Succeeded');
        // Without forgetPod, pending is the unbound active pods in creation order.
        expect(names(store.pending())).toEqual(names(active.filter((p) => !p.spec.nodeName)));
        for (const n of ['n1', 'n2']) {
          const on = active.filter((p) => p.spec.nodeName === n);
          const info = store.getNodeInfo(n)!;
          expect(names(info.pods).sort()).toEqual(names(on).sort());
          expect(info.requested.milliCPU).toBe(on.reduce((s, p) => s + p.requests.milliCPU, 0));
          expect(info.requested.memory).toBe(on.reduce((s, p) => s + p.requests.memory, 0));
        }
        for (let o = 0; o < 3; o++) {
          const owner = `ReplicaSet/default/o${o}`;
          expect(names(store.podsOfOwner(owner))).toEqual(
            names(live.filter((p) => p.topOwner === owner)),
          );
          expect(names(store.podsWithLabel('app', `a${o}`))).toEqual(
            names(live.filter((p) => p.metadata.labels.app === `a${o}`)),
          );
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
