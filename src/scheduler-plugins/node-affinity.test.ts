import { describe, expect, it } from '@jest/globals';
import type {
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodSpec,
  PreferredSchedulingTerm,
} from 'kubernetes-types/core/v1.js';
import type { Labels } from '../model/objects.js';
import { makeNode, makeNodeInfo, makePod } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { PluginArgsError } from '../scheduler/framework/interfaces.js';
import { Code } from '../scheduler/framework/status.js';
import { factory, Name, NodeAffinity, type NodeAffinityArgs } from './node-affinity.js';

const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({
  key,
  operator,
  values,
});
const nodeNameIn = (...names: string[]): NodeSelectorRequirement =>
  expr('metadata.name', 'In', names);

function podSpec(opts: {
  nodeSelector?: Labels;
  required?: NodeSelectorTerm[];
  preferred?: PreferredSchedulingTerm[];
}): PodSpec {
  const nodeAffinity: NonNullable<NonNullable<PodSpec['affinity']>['nodeAffinity']> = {};
  if (opts.required)
    nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
      nodeSelectorTerms: opts.required,
    };
  if (opts.preferred) nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = opts.preferred;
  return {
    containers: [{ name: 'c' }],
    ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}),
    ...(opts.required || opts.preferred ? { affinity: { nodeAffinity } } : {}),
  };
}

describe('NodeAffinity.filter', () => {
  const cases: Array<{
    name: string;
    spec: PodSpec;
    labels: Labels;
    args?: NodeAffinityArgs;
    want: Code;
    reason?: string;
  }> = [
    {
      name: 'a pod without selector or affinity fits any node',
      spec: podSpec({}),
      labels: {},
      want: Code.Success,
    },
    {
      name: 'a nodeSelector matching the node labels fits',
      spec: podSpec({ nodeSelector: { foo: 'bar' } }),
      labels: { foo: 'bar', x: 'y' },
      want: Code.Success,
    },
    {
      name: 'a nodeSelector the node labels do not satisfy is rejected',
      spec: podSpec({ nodeSelector: { foo: 'bar' } }),
      labels: { foo: 'baz' },
      want: Code.UnschedulableAndUnresolvable,
      reason: "node(s) didn't match Pod's node affinity/selector",
    },
    {
      name: 'required terms are ORed: one matching term suffices',
      spec: podSpec({
        required: [
          { matchExpressions: [expr('zone', 'In', ['b'])] },
          { matchExpressions: [expr('foo', 'Exists')] },
        ],
      }),
      labels: { foo: 'bar' },
      want: Code.Success,
    },
    {
      name: 'NotIn rejects a listed value',
      spec: podSpec({ required: [{ matchExpressions: [expr('foo', 'NotIn', ['bar'])] }] }),
      labels: { foo: 'bar' },
      want: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'DoesNotExist admits a node without the key',
      spec: podSpec({ required: [{ matchExpressions: [expr('gpu', 'DoesNotExist')] }] }),
      labels: { foo: 'bar' },
      want: Code.Success,
    },
    {
      name: 'Gt admits a larger integer label',
      spec: podSpec({ required: [{ matchExpressions: [expr('cores', 'Gt', ['8'])] }] }),
      labels: { cores: '16' },
      want: Code.Success,
    },
    {
      name: 'Lt rejects a larger integer label',
      spec: podSpec({ required: [{ matchExpressions: [expr('cores', 'Lt', ['8'])] }] }),
      labels: { cores: '16' },
      want: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'nodeSelector and required affinity must both match',
      spec: podSpec({
        nodeSelector: { foo: 'bar' },
        required: [{ matchExpressions: [expr('zone', 'In', ['a'])] }],
      }),
      labels: { foo: 'bar', zone: 'b' },
      want: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'an empty required term list matches no node',
      spec: podSpec({ required: [] }),
      labels: { foo: 'bar' },
      want: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'an empty required term matches no node',
      spec: podSpec({ required: [{}] }),
      labels: { foo: 'bar' },
      want: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'addedAffinity rejects a node the profile excludes, before looking at the pod',
      spec: podSpec({}),
      labels: { zone: 'b' },
      args: {
        addedAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'In', ['a'])] }],
          },
        },
      },
      want: Code.UnschedulableAndUnresolvable,
      reason: "node(s) didn't match scheduler-enforced node affinity",
    },
    {
      name: 'addedAffinity and the pod affinity are both enforced',
      spec: podSpec({ nodeSelector: { foo: 'bar' } }),
      labels: { zone: 'a', foo: 'baz' },
      args: {
        addedAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'In', ['a'])] }],
          },
        },
      },
      want: Code.UnschedulableAndUnresolvable,
      reason: "node(s) didn't match Pod's node affinity/selector",
    },
  ];
  it.each(cases)('$name', ({ spec, labels, args, want, reason }) => {
    const plugin = new NodeAffinity(args);
    const status = plugin.filter(
      new CycleState(),
      makePod('p', { spec }),
      makeNodeInfo(makeNode('node-1', { labels })),
    );
    expect(status?.code ?? Code.Success).toBe(want);
    if (reason) expect(status?.reasons).toEqual([reason]);
  });
});

describe('NodeAffinity.preFilter', () => {
  const cases: Array<{
    name: string;
    spec: PodSpec;
    args?: NodeAffinityArgs;
    wantCode: Code;
    wantNodeNames?: string[];
  }> = [
    {
      name: 'skips a pod without nodeSelector or required affinity',
      spec: podSpec({}),
      wantCode: Code.Skip,
    },
    {
      name: 'does not skip a pod with a nodeSelector',
      spec: podSpec({ nodeSelector: { a: 'b' } }),
      wantCode: Code.Success,
    },
    {
      name: 'does not skip when the profile adds required affinity',
      spec: podSpec({}),
      args: {
        addedAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [expr('a', 'Exists')] }],
          },
        },
      },
      wantCode: Code.Success,
    },
    {
      name: 'narrows to the node named by matchFields metadata.name In',
      spec: podSpec({ required: [{ matchFields: [nodeNameIn('node-1')] }] }),
      wantCode: Code.Success,
      wantNodeNames: ['node-1'],
    },
    {
      name: 'takes the union over terms that all name nodes',
      spec: podSpec({
        required: [
          { matchFields: [nodeNameIn('node-1')] },
          { matchFields: [nodeNameIn('node-2')] },
        ],
      }),
      wantCode: Code.Success,
      wantNodeNames: ['node-1', 'node-2'],
    },
    {
      name: 'intersects the name requirements within one term',
      spec: podSpec({
        required: [
          { matchFields: [nodeNameIn('node-1', 'node-2'), nodeNameIn('node-2', 'node-3')] },
        ],
      }),
      wantCode: Code.Success,
      wantNodeNames: ['node-2'],
    },
    {
      name: 'does not narrow when one term has no metadata.name requirement',
      spec: podSpec({
        required: [
          { matchFields: [nodeNameIn('node-1')] },
          { matchExpressions: [expr('zone', 'Exists')] },
        ],
      }),
      wantCode: Code.Success,
    },
    {
      name: 'does not narrow on metadata.name NotIn',
      spec: podSpec({ required: [{ matchFields: [expr('metadata.name', 'NotIn', ['node-1'])] }] }),
      wantCode: Code.Success,
    },
    {
      name: 'rejects every node when each term names conflicting nodes',
      spec: podSpec({ required: [{ matchFields: [nodeNameIn('node-1'), nodeNameIn('node-2')] }] }),
      wantCode: Code.UnschedulableAndUnresolvable,
    },
  ];
  it.each(cases)('$name', ({ spec, args, wantCode, wantNodeNames }) => {
    const { result, status } = new NodeAffinity(args).preFilter(
      new CycleState(),
      makePod('p', { spec }),
    );
    expect(status?.code ?? Code.Success).toBe(wantCode);
    if (wantCode === Code.UnschedulableAndUnresolvable)
      expect(status?.reasons).toEqual(['pod affinity terms conflict']);
    expect(result?.nodeNames ? [...result.nodeNames].sort() : undefined).toEqual(wantNodeNames);
  });
});

describe('NodeAffinity score + normalizeScore', () => {
  const affinity1: PreferredSchedulingTerm[] = [
    { weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } },
  ];
  const affinity2: PreferredSchedulingTerm[] = [
    { weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } },
    { weight: 4, preference: { matchExpressions: [expr('key', 'In', ['value'])] } },
    {
      weight: 5,
      preference: {
        matchExpressions: [
          expr('foo', 'In', ['bar']),
          expr('key', 'In', ['value']),
          expr('az', 'In', ['az1']),
        ],
      },
    },
  ];
  const label1 = { foo: 'bar' };
  const label2 = { key: 'value' };
  const label3 = { az: 'az1' };
  const label4 = { abc: 'az11', def: 'az22' };
  const label5 = { foo: 'bar', key: 'value', az: 'az1' };

  const cases: Array<{
    name: string;
    preferred: PreferredSchedulingTerm[];
    nodes: Labels[];
    args?: NodeAffinityArgs;
    raw: number[];
    want: number[];
  }> = [
    // All raw 0 → max 0 → left at 0 (not reversed).
    {
      name: 'no node matches the preferred terms',
      preferred: affinity1,
      nodes: [label4, label2, label3],
      raw: [0, 0, 0],
      want: [0, 0, 0],
    },
    // raw [2, 0, 0] → 100·2/2 = 100.
    {
      name: 'only node1 matches the preferred scheduling requirements of pod',
      preferred: affinity1,
      nodes: [label1, label2, label3],
      raw: [2, 0, 0],
      want: [100, 0, 0],
    },
    // raw: label1 = 2; label5 = 2+4+5 = 11; label2 = 4 → 100·2/11 = 18, 100, 100·4/11 = 36.
    {
      name: 'all nodes match with different priorities',
      preferred: affinity2,
      nodes: [label1, label5, label2],
      raw: [2, 11, 4],
      want: [18, 100, 36],
    },
    // Added weight 3 on key=value plus the pod's weight 2 on foo=bar:
    // label1 = 2, label2 = 3, label5 = 2+3 = 5 → 100·2/5 = 40, 100·3/5 = 60, 100.
    {
      name: 'addedAffinity preferred terms add to the pod preferred terms',
      preferred: affinity1,
      nodes: [label1, label2, label5],
      args: {
        addedAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 3, preference: { matchExpressions: [expr('key', 'In', ['value'])] } },
          ],
        },
      },
      raw: [2, 3, 5],
      want: [40, 60, 100],
    },
    // Equal raw [4, 4] → 100 each.
    {
      name: 'equal scores all normalize to the maximum',
      preferred: [{ weight: 4, preference: { matchExpressions: [expr('foo', 'Exists')] } }],
      nodes: [label1, label5],
      raw: [4, 4],
      want: [100, 100],
    },
  ];
  it.each(cases)('$name', ({ preferred, nodes, args, raw, want }) => {
    const plugin = new NodeAffinity(args);
    const state = new CycleState();
    const pod = makePod('p', { spec: podSpec({ preferred }) });
    const infos = nodes.map((labels, i) => makeNodeInfo(makeNode(`node-${i}`, { labels })));
    expect(plugin.preScore(state, pod)).toBeNull();
    const scores = infos.map((ni) => plugin.score(state, pod, ni));
    expect(scores).toEqual(raw);
    plugin.normalizeScore(state, pod, infos, scores);
    expect(scores).toEqual(want);
  });

  it('skips scoring a pod without preferred terms when the profile adds none', () => {
    expect(new NodeAffinity().preScore(new CycleState(), makePod('p'))?.code).toBe(Code.Skip);
  });

  it('scores a pod without preferred terms when the profile adds some', () => {
    const plugin = new NodeAffinity({
      addedAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 7, preference: { matchExpressions: [expr('foo', 'Exists')] } },
        ],
      },
    });
    const pod = makePod('p');
    expect(plugin.preScore(new CycleState(), pod)).toBeNull();
    expect(
      plugin.score(new CycleState(), pod, makeNodeInfo(makeNode('n', { labels: label1 }))),
    ).toBe(7);
  });

  it('reports a preferred term that does not parse as an error', () => {
    const pod = makePod('p', {
      spec: podSpec({
        preferred: [{ weight: 1, preference: { matchExpressions: [expr('foo', 'In', [])] } }],
      }),
    });
    const status = new NodeAffinity().preScore(new CycleState(), pod);
    expect(status?.code).toBe(Code.Error);
    expect(status?.reasons).toEqual([
      "[0].matchExpressions[0].values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    ]);
  });
});

describe('NodeAffinity factory', () => {
  it('builds the plugin without args', () => {
    expect(factory(undefined, undefined as never).name).toBe(Name);
    expect(Name).toBe('NodeAffinity');
  });

  const cases: Array<{ name: string; args: NodeAffinityArgs; field: string; message: string }> = [
    {
      name: 'rejects an added required term with an unsupported operator',
      args: {
        addedAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [expr('a', 'Near', ['b'])] }],
          },
        },
      },
      field:
        'addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator',
      message:
        'Unsupported value: "Near": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
    },
    {
      name: 'rejects an added preferred term with an Exists requirement carrying values',
      args: {
        addedAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, preference: { matchExpressions: [expr('a', 'Exists', ['b'])] } },
          ],
        },
      },
      field:
        'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].matchExpressions[0].values',
      message:
        'Invalid value: []string{"b"}: values set must be empty for exists and does not exist',
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
    expect(error).toMatchObject({ plugin: 'NodeAffinity', field });
    expect((error as Error).message).toBe(`NodeAffinity args: ${field}: ${message}`);
  });
});
