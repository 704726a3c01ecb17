import { describe, it, expect } from '@jest/globals';
import { computeHeatmap, sampleIndexes, type HeatmapNode, type HeatmapPod } from './heatmap.js';

const node = (
  name: string,
  cpu: number,
  createdS: number | null = 0,
  removedS: number | null = null,
): HeatmapNode => ({
  node: name,
  cpuAllocatableMilli: cpu,
  createdS,
  removedS,
});
const pod = (nodeName: string, cpu: number, fromS: number, toS: number | null): HeatmapPod => ({
  node: nodeName,
  cpuRequestMilli: cpu,
  fromS,
  toS,
});

describe('computeHeatmap', () => {
  const cases: Array<{
    name: string;
    nodes: HeatmapNode[];
    pods: HeatmapPod[];
    endS: number;
    row: (number | null)[];
  }> = [
    {
      // 500m of 1000m: full buckets 2 and 3, half of bucket 4.
      name: 'a pod holding half the CPU from 2 s to 4.5 s fills buckets 2–3 at 50 % and bucket 4 at 25 %',
      nodes: [node('n1', 1000)],
      pods: [pod('n1', 500, 2, 4.5)],
      endS: 6,
      row: [0, 0, 0.5, 0.5, 0.25, 0],
    },
    {
      name: 'an unfinished pod holds its request until the end of the run',
      nodes: [node('n1', 2000)],
      pods: [pod('n1', 1000, 3, null), pod('n1', 500, 0, 1)],
      endS: 5,
      row: [0.25, 0, 0, 0.5, 0.5],
    },
    {
      // Bucket 2 has the node for 0.5 s with 1000m requested: average 1000m over 0.5 s = 100 %.
      name: 'buckets before a node exists and after it is removed are null, and a partial bucket averages over presence',
      nodes: [node('n1', 1000, 1, 2.5)],
      pods: [pod('n1', 1000, 1, null)],
      endS: 4,
      row: [null, 1, 1, null],
    },
    {
      name: 'a pod on a node missing from nodes.csv is ignored',
      nodes: [node('n1', 1000)],
      pods: [pod('ghost', 1000, 0, null)],
      endS: 2,
      row: [0, 0],
    },
    {
      name: 'a node with zero allocatable CPU has no utilisation at all',
      nodes: [node('n1', 0)],
      pods: [],
      endS: 2,
      row: [null, null],
    },
  ];

  it.each(cases)('$name', ({ nodes, pods, endS, row }) => {
    const h = computeHeatmap(nodes, pods, endS)!;
    expect(h.bucketSeconds).toBe(1);
    expect(h.values[0]).toEqual(row);
  });

  it('uses at most 200 buckets, so a 1000 s run gets 5 s buckets', () => {
    const h = computeHeatmap([node('n1', 1000)], [pod('n1', 1000, 0, 5)], 1000)!;
    expect(h.values[0]).toHaveLength(200);
    expect(h.bucketSeconds).toBe(5);
    expect(h.values[0]!.slice(0, 2)).toEqual([1, 0]);
  });

  it('samples 301 nodes down to 300 rows evenly and reports the total', () => {
    const nodes = Array.from({ length: 301 }, (_, i) => node(`n${i}`, 1000));
    const h = computeHeatmap(nodes, [], 10)!;
    expect(h.nodes).toHaveLength(300);
    expect(h.totalNodes).toBe(301);
    expect(h.nodes[0]).toBe('n0');
    expect(h.nodes[299]).toBe('n299');
  });

  it('returns null when there are no nodes or the run has no duration', () => {
    expect(computeHeatmap([], [], 10)).toBeNull();
    expect(computeHeatmap([node('n1', 1000)], [], 0)).toBeNull();
  });
});

describe('sampleIndexes', () => {
  it.each([
    [10, 4, [0, 2, 5, 7]],
    [3, 300, [0, 1, 2]],
    [0, 300, []],
  ])('picks from %i items at most %i evenly spaced indexes', (total, limit, expected) => {
    expect(sampleIndexes(total, limit)).toEqual(expected);
  });
});
