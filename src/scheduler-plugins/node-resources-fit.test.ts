import { describe, expect, it } from '@jest/globals';
import { makeNode, makeNodeInfo, makePod, type ResourceSpec as Req } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { PluginArgsError } from '../scheduler/framework/interfaces.js';
import { Code } from '../scheduler/framework/status.js';
import { mulDivTrunc } from './helpers/resource-allocation.js';
import {
  defaultNodeResourcesFitArgs,
  factory,
  Name,
  NodeResourcesFit,
  type NodeResourcesFitArgsInput,
} from './node-resources-fit.js';

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;
const GPU = 'example.com/gpu';
let seq = 0;
const pod = (requests: Req = {}) => makePod(`p${seq++}`, { requests });

/** Like upstream fit_test's makeResources(10, 20, 32, 5, 20, 5): cpu 10m, memory 20, 32 pods… */
const smallNode = () =>
  makeNode('n', {
    allocatable: {
      cpu: 10,
      memory: 20,
      pods: 32,
      ephemeralStorage: 20,
      scalar: { [GPU]: 5, 'hugepages-2Mi': 5 },
    },
  });

function plugin(args?: NodeResourcesFitArgsInput): NodeResourcesFit {
  return factory(args as never, undefined as never) as NodeResourcesFit;
}

describe('NodeResourcesFit filter', () => {
  const cases: Array<{
    name: string;
    pod: Req;
    existing: Req[];
    args?: NodeResourcesFitArgsInput;
    allowedPods?: number;
    want: Code;
    reasons?: string[];
  }> = [
    {
      name: 'no resources requested always fits',
      pod: {},
      existing: [{ cpu: 10, memory: 20 }],
      want: Code.Success,
    },
    {
      // cpu 1 > 10−10 = 0; memory 1 > 20−20 = 0; both fit the whole node → resolvable.
      name: 'too many resources fails and lists every insufficient resource',
      pod: { cpu: 1, memory: 1 },
      existing: [{ cpu: 10, memory: 20 }],
      want: Code.Unschedulable,
      reasons: ['Insufficient cpu', 'Insufficient memory'],
    },
    {
      // cpu 2 > 10−9 = 1 fails; memory 1 ≤ 20−19 = 1 fits.
      name: 'only the insufficient resource is reported',
      pod: { cpu: 2, memory: 1 },
      existing: [{ cpu: 9, memory: 19 }],
      want: Code.Unschedulable,
      reasons: ['Insufficient cpu'],
    },
    // cpu 5 ≤ 10−5; memory 19 ≤ 20−1: equality fits.
    {
      name: 'equal edge case fits',
      pod: { cpu: 5, memory: 19 },
      existing: [{ cpu: 5, memory: 1 }],
      want: Code.Success,
    },
    {
      // cpu 11 > allocatable 10: no eviction can make room.
      name: 'a request larger than the whole allocatable is unresolvable',
      pod: { cpu: 11, memory: 1 },
      existing: [],
      want: Code.UnschedulableAndUnresolvable,
      reasons: ['Insufficient cpu'],
    },
    {
      name: 'insufficient ephemeral-storage is reported',
      pod: { ephemeralStorage: 25 },
      existing: [],
      want: Code.UnschedulableAndUnresolvable,
      reasons: ['Insufficient ephemeral-storage'],
    },
    {
      // gpu 1 > 5−5 = 0, but 1 ≤ 5 so resolvable.
      name: 'an extended resource is enforced against what is left',
      pod: { scalar: { [GPU]: 1 } },
      existing: [{ scalar: { [GPU]: 5 } }],
      want: Code.Unschedulable,
      reasons: ['Insufficient example.com/gpu'],
    },
    {
      name: 'an extended resource the node does not have counts as allocatable 0',
      pod: { scalar: { 'example.com/fpga': 1 } },
      existing: [],
      want: Code.UnschedulableAndUnresolvable,
      reasons: ['Insufficient example.com/fpga'],
    },
    {
      name: 'an ignored extended resource is not checked',
      pod: { scalar: { [GPU]: 10 } },
      existing: [],
      args: { ignoredResources: [GPU] },
      want: Code.Success,
    },
    {
      name: 'an extended resource of an ignored group is not checked',
      pod: { scalar: { [GPU]: 10 } },
      existing: [],
      args: { ignoredResourceGroups: ['example.com'] },
      want: Code.Success,
    },
    {
      name: 'hugepages are not extended resources and cannot be ignored',
      pod: { scalar: { 'hugepages-2Mi': 6 } },
      existing: [],
      args: { ignoredResources: ['hugepages-2Mi'] },
      want: Code.UnschedulableAndUnresolvable,
      reasons: ['Insufficient hugepages-2Mi'],
    },
    {
      name: 'too many pods fails even for a pod requesting nothing',
      pod: {},
      existing: [{}],
      allowedPods: 1,
      want: Code.Unschedulable,
      reasons: ['Too many pods'],
    },
    {
      // Order: pods, cpu, memory, ephemeral-storage, then scalars by name.
      name: 'every failure is listed in upstream order',
      pod: { cpu: 11, memory: 1, ephemeralStorage: 1, scalar: { [GPU]: 1, 'a.example/x': 1 } },
      existing: [{ memory: 20, ephemeralStorage: 20, scalar: { [GPU]: 5 } }],
      allowedPods: 1,
      want: Code.UnschedulableAndUnresolvable,
      reasons: [
        'Too many pods',
        'Insufficient cpu',
        'Insufficient memory',
        'Insufficient ephemeral-storage',
        'Insufficient a.example/x',
        'Insufficient example.com/gpu',
      ],
    },
  ];
  it.each(cases)('$name', ({ pod: req, existing, args, allowedPods, want, reasons }) => {
    const node = smallNode();
    if (allowedPods !== undefined) node.status.allocatable.allowedPodNumber = allowedPods;
    const nodeInfo = makeNodeInfo(
      node,
      existing.map((r) => pod(r)),
    );
    const p = plugin(args);
    const state = new CycleState();
    const p0 = pod(req);
    expect(p.preFilter(state, p0).status).toBeNull();
    const status = p.filter(state, p0, nodeInfo);
    expect(status?.code ?? Code.Success).toBe(want);
    if (reasons) expect(status?.reasons).toEqual(reasons);
  });

  it('returns an error when Filter runs without PreFilter state', () => {
    expect(
      plugin().filter(new CycleState(), pod({ cpu: 1 }), makeNodeInfo(smallNode()))?.code,
    ).toBe(Code.Error);
  });
});

interface ScoreCase {
  name: string;
  args?: NodeResourcesFitArgsInput;
  pod: Req;
  nodes: Req[];
  existing?: Req[][];
  want: number[];
}

function runScore({ args, pod: req, nodes, existing, want }: ScoreCase): void {
  const p = plugin(args);
  const state = new CycleState();
  const p0 = pod(req);
  const infos = nodes.map((alloc, i) =>
    makeNodeInfo(
      makeNode(`node${i}`, { allocatable: alloc }),
      (existing?.[i] ?? []).map((r) => pod(r)),
    ),
  );
  expect(p.preScore(state, p0)).toBeNull();
  expect(infos.map((ni) => p.score(state, p0, ni))).toEqual(want);
  const batch = infos.map(() => -1);
  p.scoreNodes(state, p0, infos, batch);
  expect(batch).toEqual(want);
}

describe('NodeResourcesFit score: LeastAllocated', () => {
  const cases: ScoreCase[] = [
    {
      // node0: cpu (4000−3000)·100/4000 = 25, memory (10000−5000)·100/10000 = 50 → (25+50)/2 = 37.
      // node1: cpu (6000−3000)·100/6000 = 50, memory 50 → 50.
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: { cpu: 3000, memory: 5000 },
      nodes: [
        { cpu: 4000, memory: 10000 },
        { cpu: 6000, memory: 10000 },
      ],
      want: [37, 50],
    },
    {
      // (25·1 + 50·2)/3 = 125/3 = 41.
      name: 'resource weights weigh the per-resource scores',
      args: {
        scoringStrategy: {
          type: 'LeastAllocated',
          resources: [
            { name: 'cpu', weight: 1 },
            { name: 'memory', weight: 2 },
          ],
        },
      },
      pod: { cpu: 3000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [41],
    },
    {
      // A pod without requests counts 100m and 200Mi: cpu (4000−100)·100/4000 = 97 (97.5);
      // memory (2Gi−200Mi)·100/2Gi = 90.23 → 90; (97+90)/2 = 93 (93.5).
      name: 'a pod without requests is scored with the non-zero defaults',
      pod: {},
      nodes: [{ cpu: 4000, memory: 2 * Gi }],
      want: [93],
    },
    {
      // Existing request-less pod counts 100m/200Mi too: cpu 100+1000 → 2900·100/4000 = 72 (72.5);
      // memory 200Mi+1Gi = 1224Mi → 824Mi·100/2048Mi = 40.23 → 40; (72+40)/2 = 56.
      name: 'existing pods count with their non-zero requests',
      pod: { cpu: 1000, memory: Gi },
      nodes: [{ cpu: 4000, memory: 2 * Gi }],
      existing: [[{}]],
      want: [56],
    },
    {
      // cpu 5000 > 4000 → 0; memory 50 → (0+50)/2 = 25.
      name: 'a resource requested over capacity scores 0',
      pod: { cpu: 5000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [25],
    },
    {
      // memory allocatable 0 → skipped and left out of the weight sum: cpu 25·1/1 = 25.
      name: 'a resource with zero allocatable is skipped',
      pod: { cpu: 3000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 0 }],
      want: [25],
    },
    {
      name: 'a node with zero allocatable everywhere scores 0',
      pod: { cpu: 3000, memory: 5000 },
      nodes: [{}],
      want: [0],
    },
    {
      // Both nodes: cpu 50 (2000/4000 free), memory 50 → 50; a tie stays a tie.
      name: 'identical nodes get equal scores',
      pod: { cpu: 2000, memory: 5000 },
      nodes: [
        { cpu: 4000, memory: 10000 },
        { cpu: 4000, memory: 10000 },
      ],
      want: [50, 50],
    },
    {
      // gpu: (4−1)·100/4 = 75; cpu: (4000−2000)·100/4000 = 50 → (50+75)/2 = 62.
      name: 'a requested extended resource is scored on its real requests',
      args: {
        scoringStrategy: {
          type: 'LeastAllocated',
          resources: [
            { name: 'cpu', weight: 1 },
            { name: GPU, weight: 1 },
          ],
        },
      },
      pod: { cpu: 2000, scalar: { [GPU]: 1 } },
      nodes: [{ cpu: 4000, scalar: { [GPU]: 4 } }],
      want: [62],
    },
    {
      // gpu not requested → (0,0) → skipped: only cpu 50.
      name: 'an extended resource the pod does not request is skipped',
      args: {
        scoringStrategy: {
          type: 'LeastAllocated',
          resources: [
            { name: 'cpu', weight: 1 },
            { name: GPU, weight: 1 },
          ],
        },
      },
      pod: { cpu: 2000 },
      nodes: [{ cpu: 4000, scalar: { [GPU]: 4 } }],
      want: [50],
    },
    {
      // 1 TiB on a 300 TiB node: (299Ti·100)/300Ti = 99.67 → 99 (product above 2^53, exact via BigInt).
      name: 'memory beyond 2^53/100 bytes is scored exactly',
      args: {
        scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'memory', weight: 1 }] },
      },
      pod: { memory: 1024 * Gi },
      nodes: [{ memory: 300 * 1024 * Gi }],
      want: [99],
    },
  ];
  it.each(cases)('$name', (c) => runScore(c));
});

describe('NodeResourcesFit score: MostAllocated', () => {
  const most = (
    resources = [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ],
  ) => ({
    scoringStrategy: { type: 'MostAllocated', resources },
  });
  const cases: ScoreCase[] = [
    {
      // node0: cpu 3000·100/4000 = 75, memory 5000·100/10000 = 50 → 62 (62.5).
      // node1: cpu 3000·100/6000 = 50, memory 50 → 50.
      name: 'nothing scheduled, resources requested, differently sized nodes',
      args: most(),
      pod: { cpu: 3000, memory: 5000 },
      nodes: [
        { cpu: 4000, memory: 10000 },
        { cpu: 6000, memory: 10000 },
      ],
      want: [62, 50],
    },
    {
      // cpu clamped to capacity → 100; memory 50 → 75.
      name: 'a resource requested over capacity is clamped, not zeroed',
      args: most(),
      pod: { cpu: 5000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [75],
    },
    {
      // cpu 75·2 + memory 50·1 = 200 / 3 = 66.
      name: 'weights apply',
      args: most([
        { name: 'cpu', weight: 2 },
        { name: 'memory', weight: 1 },
      ]),
      pod: { cpu: 3000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [66],
    },
    {
      // Existing 1000m/2000 + pod 2000m/3000: cpu 3000·100/4000 = 75, memory 5000·100/10000 = 50 → 62.
      name: 'existing pods add to the requested amounts',
      args: most(),
      pod: { cpu: 2000, memory: 3000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      existing: [[{ cpu: 1000, memory: 2000 }]],
      want: [62],
    },
  ];
  it.each(cases)('$name', (c) => runScore(c));
});

describe('NodeResourcesFit score: RequestedToCapacityRatio', () => {
  const rtcr = (
    shape: Array<{ utilization: number; score: number }>,
    resources = [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ],
  ) => ({
    scoringStrategy: {
      type: 'RequestedToCapacityRatio',
      resources,
      requestedToCapacityRatio: { shape },
    },
  });
  const leastLike = [
    { utilization: 0, score: 10 },
    { utilization: 100, score: 0 },
  ];
  const mostLike = [
    { utilization: 0, score: 0 },
    { utilization: 100, score: 10 },
  ];
  const cases: ScoreCase[] = [
    {
      // Shape ×10 → (0,100),(100,0). cpu util 3000·100/4000 = 75 → 100 − 75 = 25;
      // memory util 50 → 50. round((25+50)/2) = round(37.5) = 38 (rounded, not truncated).
      name: 'the weighted mean is rounded',
      args: rtcr(leastLike),
      pod: { cpu: 3000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [38],
    },
    {
      // cpu util 75 → 75, memory 50 → 50 → round(62.5) = 63.
      name: 'a rising shape favours fuller nodes',
      args: rtcr(mostLike),
      pod: { cpu: 3000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [63],
    },
    {
      // cpu over capacity → f(100) = 0 → left out of the mean; memory 50·1/1 = 50 (not 25).
      name: 'resources scoring 0 do not enter the mean',
      args: rtcr(leastLike),
      pod: { cpu: 5000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [50],
    },
    {
      // (25·3 + 50·1)/4 = 31.25 → 31.
      name: 'weights apply before rounding',
      args: rtcr(leastLike, [
        { name: 'cpu', weight: 3 },
        { name: 'memory', weight: 1 },
      ]),
      pod: { cpu: 3000, memory: 5000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [31],
    },
    {
      // Shape (0,0),(30,10),(100,10) ×10: cpu util 10 → 0 + 100·10/30 = 33 (33.3);
      // memory util 60 → 100. round((33+100)/2) = round(66.5) = 67.
      name: 'interpolation between shape points truncates per resource',
      args: rtcr([
        { utilization: 0, score: 0 },
        { utilization: 30, score: 10 },
        { utilization: 100, score: 10 },
      ]),
      pod: { cpu: 400, memory: 6000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [67],
    },
    {
      // Both at 100% utilization → f(100) = 0 for each → weight sum 0 → 0.
      name: 'all resource scores zero gives 0',
      args: rtcr(leastLike),
      pod: { cpu: 4000, memory: 10000 },
      nodes: [{ cpu: 4000, memory: 10000 }],
      want: [0],
    },
    {
      // Non-zero defaults: cpu 100m of 4000 → util 2 (2.5) → 2; memory 200Mi of 2Gi → util 9
      // (9.77) → 9; round((2+9)/2) = round(5.5) = 6.
      name: 'a pod without requests is scored with the non-zero defaults',
      args: rtcr(mostLike),
      pod: {},
      nodes: [{ cpu: 4000, memory: 2 * Gi }],
      want: [6],
    },
  ];
  it.each(cases)('$name', (c) => runScore(c));
});

describe('NodeResourcesFit args', () => {
  it('defaults to LeastAllocated on cpu and memory with weight 1', () => {
    expect(defaultNodeResourcesFitArgs()).toEqual({
      ignoredResources: [],
      ignoredResourceGroups: [],
      scoringStrategy: {
        type: 'LeastAllocated',
        resources: [
          { name: 'cpu', weight: 1 },
          { name: 'memory', weight: 1 },
        ],
      },
    });
  });
  it('defaults an empty resource list and zero weights', () => {
    expect(
      defaultNodeResourcesFitArgs({ scoringStrategy: { type: 'MostAllocated', resources: [] } })
        .scoringStrategy.resources,
    ).toEqual([
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ]);
    expect(
      defaultNodeResourcesFitArgs({
        scoringStrategy: {
          type: 'MostAllocated',
          resources: [{ name: 'cpu', weight: 0 }, { name: GPU }],
        },
      }).scoringStrategy.resources,
    ).toEqual([
      { name: 'cpu', weight: 1 },
      { name: GPU, weight: 1 },
    ]);
  });

  const cases: Array<{
    name: string;
    args: NodeResourcesFitArgsInput;
    field: string;
    message: string;
  }> = [
    {
      name: 'rejects a weight above 100',
      args: {
        scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 101 }] },
      },
      field: 'scoringStrategy.resources[0].weight',
      message: 'Invalid value: 101: resource weight of cpu not in valid range (0, 100]',
    },
    {
      name: 'rejects a negative weight',
      args: {
        scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'memory', weight: -1 }] },
      },
      field: 'scoringStrategy.resources[0].weight',
      message: 'Invalid value: -1: resource weight of memory not in valid range (0, 100]',
    },
    {
      name: 'rejects an unknown strategy type',
      args: { scoringStrategy: { type: 'Fancy' } },
      field: 'scoringStrategy.type',
      message:
        'Unsupported value: "Fancy": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
    },
    {
      name: 'rejects a strategy without type',
      args: { scoringStrategy: {} },
      field: 'scoringStrategy.type',
      message:
        'Unsupported value: "": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
    },
    {
      name: 'requires requestedToCapacityRatio for that type',
      args: { scoringStrategy: { type: 'RequestedToCapacityRatio' } },
      field: 'scoringStrategy.requestedToCapacityRatio',
      message: 'Required value: must be specified when type is RequestedToCapacityRatio',
    },
    {
      name: 'requires at least one shape point',
      args: {
        scoringStrategy: {
          type: 'RequestedToCapacityRatio',
          requestedToCapacityRatio: { shape: [] },
        },
      },
      field: 'scoringStrategy.requestedToCapacityRatio.shape',
      message: 'Required value: at least one point must be specified',
    },
    {
      name: 'requires increasing utilization',
      args: {
        scoringStrategy: {
          type: 'RequestedToCapacityRatio',
          requestedToCapacityRatio: {
            shape: [
              { utilization: 50, score: 1 },
              { utilization: 50, score: 2 },
            ],
          },
        },
      },
      field: 'scoringStrategy.requestedToCapacityRatio.shape[1].utilization',
      message: 'Invalid value: 50: values must be sorted in increasing order',
    },
    {
      name: 'rejects a shape score above 10',
      args: {
        scoringStrategy: {
          type: 'RequestedToCapacityRatio',
          requestedToCapacityRatio: { shape: [{ utilization: 0, score: 11 }] },
        },
      },
      field: 'scoringStrategy.requestedToCapacityRatio.shape[0].score',
      message: 'Invalid value: 11: not in valid range [0, 10]',
    },
    {
      name: 'rejects a utilization above 100',
      args: {
        scoringStrategy: {
          type: 'RequestedToCapacityRatio',
          requestedToCapacityRatio: { shape: [{ utilization: 101, score: 1 }] },
        },
      },
      field: 'scoringStrategy.requestedToCapacityRatio.shape[0].utilization',
      message: 'Invalid value: 101: not in valid range [0, 100]',
    },
    {
      name: 'forbids a shape for another strategy',
      args: {
        scoringStrategy: {
          type: 'LeastAllocated',
          requestedToCapacityRatio: { shape: [{ utilization: 0, score: 1 }] },
        },
      },
      field: 'scoringStrategy.requestedToCapacityRatio',
      message: 'Forbidden: must be nil when type is not RequestedToCapacityRatio',
    },
    {
      name: "rejects a resource group containing '/'",
      args: { ignoredResourceGroups: ['example.com/gpu'] },
      field: 'ignoredResourceGroups[0]',
      message: `Invalid value: "example.com/gpu": resource group name can't contain '/'`,
    },
    {
      name: 'rejects an ignored resource that is not a qualified name',
      args: { ignoredResources: ['-bad'] },
      field: 'ignoredResources[0]',
      message:
        `Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character` +
        ` (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    },
  ];
  it.each(cases)('$name', ({ args, field, message }) => {
    let error: unknown;
    try {
      factory(args as never, undefined as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PluginArgsError);
    expect((error as Error).message).toBe(`NodeResourcesFit args: ${field}: ${message}`);
  });

  it('is built by its factory under the upstream name', () => {
    expect(plugin().name).toBe(Name);
    expect(Name).toBe('NodeResourcesFit');
  });
});

describe('mulDivTrunc', () => {
  it('stays exact where the float product would round', () => {
    // (2^53 − 1)·100 is not representable; BigInt keeps the exact quotient.
    expect(mulDivTrunc(Number.MAX_SAFE_INTEGER, 100, 100)).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('truncates like Go integer division', () => {
    expect(mulDivTrunc(3900, 100, 4000)).toBe(97);
  });
});
