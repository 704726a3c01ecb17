import { describe, it, expect } from '@jest/globals';
import {
  BucketAccumulator,
  computeHeatmap,
  MAX_ROWS,
  NOT_APPLICABLE,
  type HeatmapNode,
  type HeatmapPod,
} from './heatmap.js';

const node = (
  name: string,
  cpu: number,
  createdS: number | null = 0,
  removedS: number | null = null,
  extra: Partial<HeatmapNode> = {},
): HeatmapNode => ({
  node: name,
  pool: 'general',
  allocatable: { cpu, memory: 1000 },
  createdS,
  removedS,
  ...extra,
});
const pod = (
  nodeName: string,
  cpu: number,
  fromS: number,
  toS: number | null,
  requests: Record<string, number> = {},
): HeatmapPod => ({
  node: nodeName,
  requests: { cpu, memory: 0, ...requests },
  fromS,
  toS,
});

const cpuOf = (h: ReturnType<typeof computeHeatmap>) => h!.resources.find((r) => r.name === 'cpu')!;

describe('computeHeatmap: one node', () => {
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
      row: [0, 0, 500, 500, 250, 0],
    },
    {
      name: 'an unfinished pod holds its request until the end of the run',
      nodes: [node('n1', 2000)],
      pods: [pod('n1', 1000, 3, null), pod('n1', 500, 0, 1)],
      endS: 5,
      row: [250, 0, 0, 500, 500],
    },
    {
      // Bucket 2 has the node for 0.5 s with 1000m requested: average 1000m over 0.5 s = 100 %.
      name: 'buckets before a node exists and after it is removed are null, and a partial bucket averages over presence',
      nodes: [node('n1', 1000, 1, 2.5)],
      pods: [pod('n1', 1000, 1, null)],
      endS: 4,
      row: [null, 1000, 1000, null],
    },
    {
      name: 'a pod on a node missing from nodes.csv is ignored',
      nodes: [node('n1', 1000)],
      pods: [pod('ghost', 1000, 0, null)],
      endS: 2,
      row: [0, 0],
    },
    {
      name: 'a pod inside one bucket counts its own share of it',
      nodes: [node('n1', 1000)],
      pods: [pod('n1', 1000, 0.25, 0.5)],
      endS: 2,
      row: [250, 0],
    },
    {
      name: 'a node with zero allocatable CPU is not applicable, not absent',
      nodes: [node('n1', 0)],
      pods: [],
      endS: 2,
      row: [NOT_APPLICABLE, NOT_APPLICABLE],
    },
  ];

  it.each(cases)('$name', ({ nodes, pods, endS, row }) => {
    const h = computeHeatmap(nodes, pods, endS)!;
    expect(h.bucketSeconds).toBe(1);
    expect(cpuOf(h).mean[0]).toEqual(row);
  });

  it('uses at most 200 buckets, so a 1000 s run gets 5 s buckets', () => {
    const h = computeHeatmap([node('n1', 1000)], [pod('n1', 1000, 0, 5)], 1000)!;
    expect(cpuOf(h).mean[0]).toHaveLength(200);
    expect(h.bucketSeconds).toBe(5);
    expect(cpuOf(h).mean[0]!.slice(0, 2)).toEqual([1000, 0]);
  });

  it('returns null when there are no nodes or the run has no duration', () => {
    expect(computeHeatmap([], [], 10)).toBeNull();
    expect(computeHeatmap([node('n1', 1000)], [], 0)).toBeNull();
  });
});

describe('computeHeatmap: rows for many nodes', () => {
  it('gives every used node its own row, by pool in nodes.csv order, and one band per pool of the never-used', () => {
    const nodes = [
      node('a-0', 1000),
      node('a-1', 1000),
      node('b-0', 1000, 0, null, { pool: 'gpu' }),
      node('a-2', 1000),
      node('b-1', 1000, 0, null, { pool: 'gpu' }),
      node('a-3', 1000),
    ];
    const h = computeHeatmap(
      nodes,
      [pod('a-2', 500, 0, null), pod('b-1', 1000, 0, null), pod('a-0', 100, 0, 1)],
      2,
    )!;
    expect(h.rows.map((r) => [r.label, r.nodes])).toEqual([
      ['a-0', 1],
      ['a-2', 1],
      ['b-1', 1],
      ['general: 2 nodes never used', 2],
      ['gpu: 1 node never used', 1],
    ]);
    expect(h.rows[3]).toMatchObject({ first: 'a-1', last: 'a-3' });
    expect([h.totalNodes, h.usedNodes]).toEqual([6, 3]);
    expect(cpuOf(h).mean).toEqual([
      [100, 0],
      [500, 500],
      [1000, 1000],
      [0, 0],
      [0, 0],
    ]);
  });

  it('shows a band’s capacity-weighted mean and, apart, its busiest node', () => {
    // Above MAX_ROWS used nodes, pairs of consecutive used nodes share a row.
    const nodes = Array.from({ length: MAX_ROWS * 2 }, (_, i) =>
      node(`n-${i}`, i === 1 ? 3000 : 1000),
    );
    const pods = nodes.map((n, i) => pod(n.node, i === 1 ? 3000 : 100, 0, null));
    const h = computeHeatmap(nodes, pods, 1)!;
    expect(h.rows).toHaveLength(MAX_ROWS);
    expect(h.rows[0]).toMatchObject({
      label: 'n-0 … n-1 (2 nodes)',
      nodes: 2,
      first: 'n-0',
      last: 'n-1',
    });
    // n-0: 100m of 1000m, n-1: 3000m of 3000m → mean (3100 / 4000) = 77.5 %, max 100 %.
    expect(cpuOf(h).mean[0]).toEqual([775]);
    expect(cpuOf(h).max[0]).toEqual([1000]);
  });

  it('never mixes pools in a band, and stays within MAX_ROWS however the pools interleave', () => {
    const nodes = Array.from({ length: MAX_ROWS * 3 }, (_, i) =>
      node(`n-${i}`, 1000, 0, null, { pool: i % 2 === 1 ? 'other' : 'general' }),
    );
    const h = computeHeatmap(
      nodes,
      nodes.map((n) => pod(n.node, 100, 0, null)),
      1,
    )!;
    expect(h.rows.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(h.rows.reduce((n, r) => n + r.nodes, 0)).toBe(MAX_ROWS * 3);
    expect(h.rows.slice(0, 2).map((r) => r.label)).toEqual([
      'n-0 … n-4 (3 nodes)',
      'n-6 … n-10 (3 nodes)',
    ]);
    expect(h.rows.every((r) => r.label.startsWith('n-') && r.pool !== undefined)).toBe(true);
    expect(h.rows.find((r) => r.first === 'n-1')!.pool).toBe('other');
  });

  it('has a view per resource: cpu, memory, then extended resources, n/a where a node offers none', () => {
    const nodes = [
      node('cpu-0', 1000),
      node('gpu-0', 1000, 0, null, {
        allocatable: { cpu: 1000, memory: 1000, 'nvidia.com/gpu': 4 },
      }),
    ];
    const pods = [
      pod('gpu-0', 500, 0, null, { 'nvidia.com/gpu': 1, memory: 250 }),
      pod('cpu-0', 500, 0, null),
    ];
    const h = computeHeatmap(nodes, pods, 1)!;
    expect(h.resources.map((r) => r.name)).toEqual(['cpu', 'memory', 'nvidia.com/gpu']);
    const gpu = h.resources[2]!;
    expect(gpu.mean).toEqual([[NOT_APPLICABLE], [250]]);
    expect(h.resources[1]!.mean).toEqual([[0], [250]]);
  });
});

describe('BucketAccumulator', () => {
  it('sums the same as adding every bucket’s overlap one by one', () => {
    const buckets = 17;
    const width = 0.75;
    const acc = new BucketAccumulator(buckets, width);
    const naive = new Float64Array(buckets);
    const intervals: Array<[number, number, number]> = [
      [0, 12.75, 3],
      [0.1, 0.2, 5],
      [2.2, 9.31, 0.5],
      [7.5, 40, 2],
      [-3, 1, 1],
      [5, 5, 9],
    ];
    for (const [from, to, w] of intervals) {
      acc.add(from, to, w);
      for (let b = 0; b < buckets; b++) {
        const overlap = Math.min(to, (b + 1) * width) - Math.max(from, b * width);
        if (overlap > 0) naive[b]! += w * overlap;
      }
    }
    const got = acc.values();
    for (let b = 0; b < buckets; b++) expect(got[b]).toBeCloseTo(naive[b]!, 9);
  });
});
