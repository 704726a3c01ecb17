import { describe, expect, it } from '@jest/globals';
import type { SimNode } from '../../src/model/objects.js';
import { ClusterStore } from '../../src/model/store.js';
import { makeNode, makePod } from '../../src/model/testing.js';
import { inTreeRegistry } from '../../src/scheduler-plugins/registry.js';
import { resolveSchedulerConfiguration, type ConfigIssue } from '../../src/scheduler/config.js';
import { Framework } from '../../src/scheduler/framework/framework.js';
import type { Handle } from '../../src/scheduler/framework/interfaces.js';
import { scheduleCycle, type CycleContext } from '../../src/scheduler/schedule-one.js';

function defaultFramework(store: ClusterStore): Framework {
  const registry = inTreeRegistry();
  const handle: Handle = {
    store,
    now: () => 0,
    random: () => 0.5,
    recordEvent: () => undefined,
    parallelism: 16,
  };
  const issues: ConfigIssue[] = [];
  const cfg = resolveSchedulerConfiguration(
    undefined,
    registry,
    (name) => registry.get(name)?.(undefined, handle),
    issues,
  );
  if (issues.length) throw new Error(JSON.stringify(issues));
  return new Framework(cfg.profiles[0]!, registry, handle);
}

/** Changes made to the node in place, announced with ClusterStore.updateNode as controllers do. */
const changes: Array<{ name: string; change: (n: SimNode) => void; reason: string }> = [
  {
    name: 'cordoned',
    change: (n) => (n.spec.unschedulable = true),
    reason: 'node(s) were unschedulable',
  },
  {
    name: 'tainted NoSchedule',
    change: (n) => (n.spec.taints = [{ key: 'k', value: 'v', effect: 'NoSchedule' }]),
    reason: 'node(s) had untolerated taint(s)',
  },
  {
    name: 'shrunk below the request',
    change: (n) => (n.status.allocatable.milliCPU = 500),
    reason: 'Insufficient cpu',
  },
];

describe('scheduleCycle re-reads a node the fused filter check has seen once it changes', () => {
  for (const c of changes) {
    it(`rejects a node that was ${c.name} after an earlier cycle placed a pod there`, () => {
      const store = new ClusterStore();
      const node = makeNode('n1', { allocatable: { cpu: 4000, memory: 8 << 30 } });
      store.addNode(node);
      const fw = defaultFramework(store);
      const ctx: CycleContext = {
        nextStartNodeIndex: 0,
        percentageOfNodesToScore: 0,
        random: () => 0.5,
      };
      const first = scheduleCycle(
        fw,
        makePod('p1', { requests: { cpu: 1000 } }),
        store.nodes(),
        ctx,
      );
      expect(first.kind).toBe('scheduled');

      c.change(node);
      store.updateNode(node, 'test');
      const second = scheduleCycle(
        fw,
        makePod('p2', { requests: { cpu: 1000 } }),
        store.nodes(),
        ctx,
      );
      expect(second.kind).toBe('unschedulable');
      if (second.kind !== 'unschedulable') return;
      expect(second.diagnosis.nodeToStatus.get('n1')?.reasons).toEqual([c.reason]);
    });
  }

  it('rejects a node once bound pods fill it, with the fit reason', () => {
    const store = new ClusterStore();
    store.addNode(makeNode('n1', { allocatable: { cpu: 4000, memory: 8 << 30 } }));
    const fw = defaultFramework(store);
    const ctx: CycleContext = {
      nextStartNodeIndex: 0,
      percentageOfNodesToScore: 0,
      random: () => 0.5,
    };
    const pod = makePod('p1', { requests: { cpu: 3500 } });
    expect(
      scheduleCycle(fw, makePod('p0', { requests: { cpu: 1000 } }), store.nodes(), ctx).kind,
    ).toBe('scheduled');
    store.addPod(pod);
    store.assumePod(pod, 'n1');
    const r = scheduleCycle(fw, makePod('p2', { requests: { cpu: 1000 } }), store.nodes(), ctx);
    expect(r.kind).toBe('unschedulable');
    if (r.kind !== 'unschedulable') return;
    expect(r.diagnosis.nodeToStatus.get('n1')?.reasons).toEqual(['Insufficient cpu']);
  });
});
