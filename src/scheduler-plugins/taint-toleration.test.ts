import { describe, expect, it } from '@jest/globals';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { makeNode, makeNodeInfo, makePod } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { Code } from '../scheduler/framework/status.js';
import { factory, Name, TaintToleration } from './taint-toleration.js';

const podWithTolerations = (tolerations: Toleration[] = []) =>
  makePod('p', { spec: { containers: [{ name: 'c' }], tolerations } });
const nodeWithTaints = (name: string, taints: Taint[] = []) =>
  makeNodeInfo(makeNode(name, { taints }));

describe('TaintToleration.filter', () => {
  const plugin = new TaintToleration();
  const cases: Array<{
    name: string;
    tolerations?: Toleration[];
    taints: Taint[];
    want: Code;
    reason?: string;
  }> = [
    {
      name: "a pod having no tolerations can't be scheduled onto a node with nonempty taints",
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      want: Code.UnschedulableAndUnresolvable,
      reason: 'node(s) had untolerated taint(s)',
    },
    {
      name: 'a pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule',
      tolerations: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      want: Code.Success,
    },
    {
      name: "a pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      want: Code.UnschedulableAndUnresolvable,
      reason: 'node(s) had untolerated taint(s)',
    },
    {
      name: 'a pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node',
      tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      want: Code.Success,
    },
    {
      name: 'a pod has multiple tolerations, node has multiple taints, all the taints are tolerated',
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
      ],
      taints: [
        { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', effect: 'NoSchedule' },
      ],
      want: Code.Success,
    },
    {
      name: "a toleration whose key and value match but whose non-empty effect differs can't be scheduled",
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      want: Code.UnschedulableAndUnresolvable,
      reason: 'node(s) had untolerated taint(s)',
    },
    {
      name: 'a toleration with an empty effect tolerates a matching NoSchedule taint',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      want: Code.Success,
    },
    {
      name: 'a PreferNoSchedule taint never filters, even untolerated',
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }],
      want: Code.Success,
    },
    {
      name: 'an untolerated NoExecute taint without value rejects the node',
      taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }],
      want: Code.UnschedulableAndUnresolvable,
      reason: 'node(s) had untolerated taint(s)',
    },
    {
      name: 'several untolerated taints are one reason that names no key or value (PR #134740)',
      tolerations: [{ key: 'a', operator: 'Exists' }],
      taints: [
        { key: 'a', value: '1', effect: 'NoSchedule' },
        { key: 'p', value: '0', effect: 'PreferNoSchedule' },
        { key: 'b', value: '2', effect: 'NoExecute' },
        { key: 'c', value: '3', effect: 'NoSchedule' },
      ],
      want: Code.UnschedulableAndUnresolvable,
      reason: 'node(s) had untolerated taint(s)',
    },
    {
      name: 'an empty key with operator Exists tolerates every taint',
      tolerations: [{ operator: 'Exists' }],
      taints: [
        { key: 'x', value: '1', effect: 'NoSchedule' },
        { key: 'y', effect: 'NoExecute' },
      ],
      want: Code.Success,
    },
  ];
  it.each(cases)('$name', ({ tolerations, taints, want, reason }) => {
    const status = plugin.filter(
      new CycleState(),
      podWithTolerations(tolerations),
      nodeWithTaints('n', taints),
    );
    expect(status?.code ?? Code.Success).toBe(want);
    if (reason) expect(status?.reasons).toEqual([reason]);
  });
});

describe('TaintToleration score + normalizeScore', () => {
  const plugin = new TaintToleration();
  const cases: Array<{
    name: string;
    tolerations: Toleration[];
    nodes: Taint[][];
    raw: number[];
    want: number[];
  }> = [
    {
      // raw [0, 1]; max 1 → 100 − 100·0/1, 100 − 100·1/1.
      name: 'a node with tolerated taints scores higher than a node with intolerable taints',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      nodes: [
        [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }],
        [{ key: 'foo', value: 'blah', effect: 'PreferNoSchedule' }],
      ],
      raw: [0, 1],
      want: [100, 0],
    },
    {
      // raw all 0 → reverse → 100 each.
      name: 'nodes whose taints are all tolerated score the same, however many taints they have',
      tolerations: [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
      ],
      nodes: [
        [],
        [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }],
        [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ],
      ],
      raw: [0, 0, 0],
      want: [100, 100, 100],
    },
    {
      // raw [0, 1, 2]; max 2 → 100 − 0, 100 − 50, 100 − 100.
      name: 'the more intolerable taints a node has, the lower score it gets',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      nodes: [
        [],
        [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }],
        [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ],
      ],
      raw: [0, 1, 2],
      want: [100, 50, 0],
    },
    {
      // NoSchedule tolerations are dropped at PreScore; NoSchedule taints are not counted:
      // raw [0, 0, 2] → [100, 100, 0].
      name: 'only taints and tolerations with effect PreferNoSchedule are counted',
      tolerations: [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' },
      ],
      nodes: [
        [],
        [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }],
        [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ],
      ],
      raw: [0, 0, 2],
      want: [100, 100, 0],
    },
    {
      // A toleration with empty effect covers PreferNoSchedule: raw [0, 1] → [100, 0].
      name: 'a toleration with an empty effect counts for PreferNoSchedule taints',
      tolerations: [{ key: 'cpu-type', operator: 'Exists' }],
      nodes: [
        [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }],
        [{ key: 'gpu', value: 'x', effect: 'PreferNoSchedule' }],
      ],
      raw: [0, 1],
      want: [100, 0],
    },
    {
      name: 'default behaviour: no taints and no tolerations score 100 everywhere',
      tolerations: [],
      nodes: [[], []],
      raw: [0, 0],
      want: [100, 100],
    },
  ];
  it.each(cases)('$name', ({ tolerations, nodes, raw, want }) => {
    const state = new CycleState();
    const pod = podWithTolerations(tolerations);
    const infos = nodes.map((taints, i) => nodeWithTaints(`n${i}`, taints));
    expect(plugin.preScore(state, pod)).toBeNull();
    const scores = infos.map((ni) => plugin.score(state, pod, ni));
    expect(scores).toEqual(raw);
    expect(plugin.normalizeScore(state, pod, infos, scores)).toBeNull();
    expect(scores).toEqual(want);
  });

  it('scores without PreScore state the same as with it', () => {
    const pod = podWithTolerations([{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }]);
    const ni = nodeWithTaints('n', [{ key: 'a', effect: 'PreferNoSchedule' }]);
    expect(plugin.score(new CycleState(), pod, ni)).toBe(1);
  });

  it('is built by its factory under the upstream name', () => {
    expect(factory(undefined, undefined as never).name).toBe(Name);
    expect(Name).toBe('TaintToleration');
  });
});
