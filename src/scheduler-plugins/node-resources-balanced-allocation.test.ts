import { describe, expect, it } from '@jest/globals';
import { makeNode, makeNodeInfo, makePod, type ResourceSpec as Req } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { PluginArgsError } from '../scheduler/framework/interfaces.js';
import { Code } from '../scheduler/framework/status.js';
import {
  balancedResourceScorer,
  defaultBalancedAllocationArgs,
  factory,
  Name,
  NodeResourcesBalancedAllocation,
} from './node-resources-balanced-allocation.js';

let seq = 0;
const pod = (requests: Req = {}) => makePod(`p${seq++}`, { requests });

describe('NodeResourcesBalancedAllocation score', () => {
  const cases: Array<{
    name: string;
    resources?: Array<{ name: string; weight: number }>;
    pod: Req;
    nodes: Req[];
    existing?: Req[][];
    want: number[];
  }> = [
    {
      // node0: cpu 3000/4000 = .75, memory 5000/10000 = .5 → std |.75−.5|/2 = .125 → trunc(87.5) = 87.
      // node1: cpu 3000/6000 = .5, memory .5 → std 0 → 100.
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: { cpu: 3000, memory: 5000 },
      nodes: [
        { cpu: 4000, memory: 10000 },
        { cpu: 6000, memory: 10000 },
      ],
      want: [87, 100],
    },
    {
      // Existing 1000m/2000 + pod: cpu 4000/4000 = 1, memory 7000/10000 = .7 → std .15 → 85.
      name: 'existing pods count with their real requests',
      pod: { cpu: 3000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      existing: [[{ cpu: 1000, memory: 2000 }]],
      want: [85],
    },
    {
      // Existing request-less pod adds nothing (no 100m/200Mi defaults here): .5 and .5 → 100.
      name: 'existing pods without requests add nothing (no non-zero defaults)',
      pod: { cpu: 2000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      existing: [[{}, {}]],
      want: [100],
    },
    {
      // cpu 5000/4000 capped at 1, memory .5 → std .25 → 75.
      name: 'a fraction over capacity is capped at 1',
      pod: { cpu: 5000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [75],
    },
    {
      // memory allocatable 0 → skipped; one fraction → std 0 → 100.
      name: 'a resource with zero allocatable is skipped',
      pod: { cpu: 1000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 0 }],
      want: [100],
    },
    {
      // Go order: |(0.6 − 0.5)/2| = 0.04999999999999999 → (1 − that)·100 = 95.00000000000001 → 95.
      name: 'float steps follow the Go order of operations',
      pod: { cpu: 600, memory: 500 },
      nodes: [{ cpu: 1000, memory: 1000 }],
      want: [95],
    },
    {
      // Three resources: .2, .5, .8 → mean .5 → var (.09+0+.09)/3 = .06 → std .2449 → 75 (75.5).
      name: 'more than two resources use the population standard deviation',
      resources: [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
        { name: 'ephemeral-storage', weight: 1 },
      ],
      pod: { cpu: 1000, memory: 5000, ephemeralStorage: 8000 },
      nodes: [{ cpu: 5000, memory: 10000, ephemeralStorage: 10000 }],
      want: [75],
    },
    {
      // gpu not requested → skipped; cpu .5 and memory .5 → 100.
      name: 'an extended resource the pod does not request is skipped',
      resources: [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
        { name: 'example.com/gpu', weight: 1 },
      ],
      pod: { cpu: 2000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000, scalar: { 'example.com/gpu': 4 } }],
      want: [100],
    },
  ];
  it.each(cases)('$name', ({ resources, pod: req, nodes, existing, want }) => {
    const plugin = new NodeResourcesBalancedAllocation(resources ? { resources } : undefined);
    const state = new CycleState();
    const p = pod(req);
    const infos = nodes.map((alloc, i) =>
      makeNodeInfo(
        makeNode(`node${i}`, { allocatable: alloc }),
        (existing?.[i] ?? []).map((r) => pod(r)),
      ),
    );
    expect(plugin.preScore(state, p)).toBeNull();
    expect(infos.map((ni) => plugin.score(state, p, ni))).toEqual(want);
    const batch = infos.map(() => -1);
    plugin.scoreNodes(state, p, infos, batch);
    expect(batch).toEqual(want);
  });

  it('skips a best-effort pod at PreScore', () => {
    const plugin = new NodeResourcesBalancedAllocation();
    expect(plugin.preScore(new CycleState(), pod())?.code).toBe(Code.Skip);
  });

  it('scores a best-effort pod 0 when PreScore did not run', () => {
    const plugin = new NodeResourcesBalancedAllocation();
    expect(
      plugin.score(
        new CycleState(),
        pod(),
        makeNodeInfo(makeNode('n', { allocatable: { cpu: 1000, memory: 1000 } })),
      ),
    ).toBe(0);
  });

  it('decides best-effort on the configured resources only', () => {
    // Only ephemeral-storage requested, resources cpu/memory → still best-effort for this plugin.
    const plugin = new NodeResourcesBalancedAllocation();
    expect(plugin.preScore(new CycleState(), pod({ ephemeralStorage: 100 }))?.code).toBe(Code.Skip);
  });

  it('gives 100 with fewer than two fractions', () => {
    expect(balancedResourceScorer([1], [2])).toBe(100);
    expect(balancedResourceScorer([0, 0], [0, 0])).toBe(100);
  });
});

describe('NodeResourcesBalancedAllocation args', () => {
  it('defaults to cpu and memory with weight 1', () => {
    expect(defaultBalancedAllocationArgs()).toEqual({
      resources: [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
      ],
    });
  });
  it('defaults a missing weight to 1', () => {
    expect(
      defaultBalancedAllocationArgs({ resources: [{ name: 'example.com/gpu' }] }).resources,
    ).toEqual([{ name: 'example.com/gpu', weight: 1 }]);
  });

  const cases = [
    {
      name: 'rejects a weight other than 1',
      args: { resources: [{ name: 'cpu', weight: 2 }] },
      message:
        'NodeResourcesBalancedAllocation args: resources[0].weight: Invalid value: 2: must be 1',
    },
    {
      name: 'rejects a duplicate resource',
      args: { resources: [{ name: 'cpu' }, { name: 'cpu' }] },
      message: 'NodeResourcesBalancedAllocation args: resources[1].name: Duplicate value: "cpu"',
    },
  ];
  it.each(cases)('$name', ({ args, message }) => {
    expect(() => factory(args as never, undefined as never)).toThrow(PluginArgsError);
    expect(() => factory(args as never, undefined as never)).toThrow(message);
  });

  it('is built by its factory under the upstream name', () => {
    expect(factory(undefined, undefined as never).name).toBe(Name);
    expect(Name).toBe('NodeResourcesBalancedAllocation');
  });
});
