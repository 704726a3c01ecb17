import { describe, expect, it } from '@jest/globals';
import { NodeFlag, rowsOf } from './node-table.js';
import { ClusterStore } from './store.js';
import { makeNode, makePod } from './testing.js';

const GI = 1024 ** 3;

/** The columns of one row, as a plain object for comparison. */
function rowOf(store: ClusterStore, name: string): Record<string, number> {
  const t = store.nodeTable;
  const r = store.getNodeInfo(name)!.row;
  return {
    allocCpu: t.allocCpu[r]!,
    allocMemory: t.allocMemory[r]!,
    allocPods: t.allocPods[r]!,
    reqCpu: t.reqCpu[r]!,
    reqMemory: t.reqMemory[r]!,
    nonZeroCpu: t.nonZeroCpu[r]!,
    nonZeroMemory: t.nonZeroMemory[r]!,
    podCount: t.podCount[r]!,
    flags: t.flags[r]!,
  };
}

describe('NodeTable mirrors the store nodes as columns', () => {
  it('writes a new node row from its allocatable, and its pods from assume/bind/terminate', () => {
    const store = new ClusterStore();
    store.addNode(makeNode('n1', { allocatable: { cpu: 4000, memory: 8 * GI, pods: 10 } }));
    expect(rowOf(store, 'n1')).toEqual({
      allocCpu: 4000,
      allocMemory: 8 * GI,
      allocPods: 10,
      reqCpu: 0,
      reqMemory: 0,
      nonZeroCpu: 0,
      nonZeroMemory: 0,
      podCount: 0,
      flags: 0,
    });
    const p = makePod('p', { requests: { cpu: 500 } });
    store.addPod(p);
    store.assumePod(p, 'n1');
    // No memory request: the non-zero default 200Mi counts for scoring only.
    expect(rowOf(store, 'n1')).toMatchObject({
      reqCpu: 500,
      reqMemory: 0,
      nonZeroCpu: 500,
      nonZeroMemory: 200 * 1024 * 1024,
      podCount: 1,
    });
    store.bindPod(p, 'n1');
    p.status.phase = 'Succeeded';
    store.updatePod(p, 'phase');
    expect(rowOf(store, 'n1')).toMatchObject({ reqCpu: 0, nonZeroMemory: 0, podCount: 0 });
  });

  it('re-reads cordon, taints and allocatable when a node change is announced', () => {
    const store = new ClusterStore();
    const node = makeNode('n1', { allocatable: { cpu: 4000 } });
    store.addNode(node);
    node.spec.unschedulable = true;
    node.spec.taints = [{ key: 'k', effect: 'PreferNoSchedule' }];
    node.status.allocatable.milliCPU = 2000;
    store.updateNode(node, 'test');
    expect(rowOf(store, 'n1')).toMatchObject({
      allocCpu: 2000,
      flags: NodeFlag.Unschedulable | NodeFlag.Tainted | NodeFlag.PreferNoScheduleTaint,
    });
  });

  it('reuses a removed node row for the next node, with fresh figures', () => {
    const store = new ClusterStore();
    store.addNode(makeNode('a', { allocatable: { cpu: 1000 } }));
    store.addNode(makeNode('b', { allocatable: { cpu: 2000 } }));
    const rowA = store.getNodeInfo('a')!.row;
    const p = makePod('p', { requests: { cpu: 100 }, nodeName: 'a' });
    store.addPod(p);
    store.deletePod(p);
    store.removeNode('a');
    store.addNode(makeNode('c', { allocatable: { cpu: 3000 } }));
    expect(store.getNodeInfo('c')!.row).toBe(rowA);
    expect(rowOf(store, 'c')).toMatchObject({ allocCpu: 3000, reqCpu: 0, podCount: 0 });
    expect(Array.from(store.nodeRows())).toEqual(store.nodes().map((n) => n.row));
  });

  it('gives snapshot copies no row, so rowsOf refuses a list holding one', () => {
    const store = new ClusterStore();
    for (let i = 0; i < 100; i++) store.addNode(makeNode(`n${i}`));
    const nodes = store.nodes();
    expect(rowsOf(nodes)?.rows.length).toBe(100);
    expect(Array.from(rowsOf(nodes)!.rows)).toEqual(nodes.map((_, i) => i));
    const copy = nodes[3]!.snapshot();
    expect(copy.row).toBe(-1);
    expect(rowsOf([nodes[0]!, copy])).toBeUndefined();
  });
});
