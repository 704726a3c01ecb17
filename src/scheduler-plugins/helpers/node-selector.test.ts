import { describe, expect, it } from '@jest/globals';
import type { NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import { makeNode, makePod } from '../../model/testing.js';
import {
  nodeMatchesNodeSelector,
  nodeMatchesNodeSelectorTerms,
  nodeSelectorErrors,
  nodeSelectorTermMatches,
  parseInt64,
  podMatchesNodeSelectorAndAffinityTerms,
  preferredSchedulingTermsScore,
} from './node-selector.js';

const node = makeNode('node-1', { labels: { zone: 'a', gpus: '4', disk: 'ssd', bad: 'x4' } });
const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({
  key,
  operator,
  values,
});

describe('nodeSelectorTermMatches', () => {
  const cases: Array<{ name: string; term: NodeSelectorTerm; want: boolean }> = [
    {
      name: 'In matches a listed value',
      term: { matchExpressions: [expr('zone', 'In', ['a', 'b'])] },
      want: true,
    },
    {
      name: 'In does not match an unlisted value',
      term: { matchExpressions: [expr('zone', 'In', ['b'])] },
      want: false,
    },
    {
      name: 'NotIn matches an unlisted value',
      term: { matchExpressions: [expr('zone', 'NotIn', ['b'])] },
      want: true,
    },
    {
      name: 'NotIn matches a missing key',
      term: { matchExpressions: [expr('rack', 'NotIn', ['r1'])] },
      want: true,
    },
    {
      name: 'NotIn does not match a listed value',
      term: { matchExpressions: [expr('zone', 'NotIn', ['a'])] },
      want: false,
    },
    {
      name: 'Exists matches a present key',
      term: { matchExpressions: [expr('disk', 'Exists')] },
      want: true,
    },
    {
      name: 'DoesNotExist matches a missing key',
      term: { matchExpressions: [expr('rack', 'DoesNotExist')] },
      want: true,
    },
    {
      name: 'DoesNotExist does not match a present key',
      term: { matchExpressions: [expr('disk', 'DoesNotExist')] },
      want: false,
    },
    // 4 > 3.
    {
      name: 'Gt compares integers',
      term: { matchExpressions: [expr('gpus', 'Gt', ['3'])] },
      want: true,
    },
    // 4 > 4 is false.
    { name: 'Gt is strict', term: { matchExpressions: [expr('gpus', 'Gt', ['4'])] }, want: false },
    // 4 < 10 numerically although "4" > "10" as strings.
    {
      name: 'Lt compares numerically, not as strings',
      term: { matchExpressions: [expr('gpus', 'Lt', ['10'])] },
      want: true,
    },
    {
      name: 'Gt accepts a signed bound',
      term: { matchExpressions: [expr('gpus', 'Gt', ['-1'])] },
      want: true,
    },
    {
      name: 'Gt does not match a missing key',
      term: { matchExpressions: [expr('rack', 'Gt', ['0'])] },
      want: false,
    },
    {
      name: 'Gt does not match a non-integer label',
      term: { matchExpressions: [expr('bad', 'Gt', ['0'])] },
      want: false,
    },
    {
      name: 'Gt with two values never matches (parse error)',
      term: { matchExpressions: [expr('gpus', 'Gt', ['1', '2'])] },
      want: false,
    },
    {
      name: 'Lt with a non-integer bound never matches (parse error)',
      term: { matchExpressions: [expr('gpus', 'Lt', ['ten'])] },
      want: false,
    },
    {
      name: 'expressions in a term are ANDed',
      term: { matchExpressions: [expr('zone', 'In', ['a']), expr('disk', 'In', ['hdd'])] },
      want: false,
    },
    {
      name: 'an invalid requirement fails the whole term',
      term: { matchExpressions: [expr('zone', 'In', ['a']), expr('disk', 'Like', ['ssd'])] },
      want: false,
    },
    { name: 'an empty term matches nothing', term: {}, want: false },
    {
      name: 'a term with empty lists matches nothing',
      term: { matchExpressions: [], matchFields: [] },
      want: false,
    },
    {
      name: 'matchFields metadata.name In matches the node name',
      term: { matchFields: [expr('metadata.name', 'In', ['node-1'])] },
      want: true,
    },
    {
      name: 'matchFields metadata.name In another name does not match',
      term: { matchFields: [expr('metadata.name', 'In', ['node-2'])] },
      want: false,
    },
    {
      name: 'matchFields metadata.name NotIn another name matches',
      term: { matchFields: [expr('metadata.name', 'NotIn', ['node-2'])] },
      want: true,
    },
    {
      name: 'matchFields with two values never matches (parse error)',
      term: { matchFields: [expr('metadata.name', 'In', ['node-1', 'node-2'])] },
      want: false,
    },
    {
      name: 'matchFields Exists is not a field selector operator',
      term: { matchFields: [expr('metadata.name', 'Exists')] },
      want: false,
    },
    {
      name: 'matchExpressions and matchFields are ANDed',
      term: {
        matchExpressions: [expr('zone', 'In', ['a'])],
        matchFields: [expr('metadata.name', 'In', ['node-2'])],
      },
      want: false,
    },
  ];
  it.each(cases)('$name', ({ term, want }) => {
    expect(nodeSelectorTermMatches(term, node)).toBe(want);
  });
});

describe('nodeMatchesNodeSelectorTerms', () => {
  it('ORs the terms', () => {
    const terms = [
      { matchExpressions: [expr('zone', 'In', ['b'])] },
      { matchExpressions: [expr('disk', 'In', ['ssd'])] },
    ];
    expect(nodeMatchesNodeSelectorTerms(terms, node)).toBe(true);
  });
  it('lets a valid term match although another term does not parse', () => {
    const terms = [
      { matchExpressions: [expr('zone', 'In', [])] },
      { matchExpressions: [expr('zone', 'In', ['a'])] },
    ];
    expect(nodeMatchesNodeSelectorTerms(terms, node)).toBe(true);
  });
  it('matches nothing without terms', () => {
    expect(nodeMatchesNodeSelectorTerms([], node)).toBe(false);
  });
});

describe('nodeMatchesNodeSelector', () => {
  it('matches when every key has the value', () => {
    expect(nodeMatchesNodeSelector({ zone: 'a', disk: 'ssd' }, node)).toBe(true);
  });
  it('does not match when one value differs', () => {
    expect(nodeMatchesNodeSelector({ zone: 'a', disk: 'hdd' }, node)).toBe(false);
  });
  it('matches any node without a selector', () => {
    expect(nodeMatchesNodeSelector(undefined, node)).toBe(true);
  });
});

describe('podMatchesNodeSelectorAndAffinityTerms', () => {
  const required = (terms: NodeSelectorTerm[]) => ({
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
      },
    },
    containers: [{ name: 'c' }],
  });
  it('requires both the nodeSelector and the required affinity', () => {
    const pod = makePod('p', {
      spec: {
        ...required([{ matchExpressions: [expr('zone', 'In', ['a'])] }]),
        nodeSelector: { disk: 'hdd' },
      },
    });
    expect(podMatchesNodeSelectorAndAffinityTerms(pod, node)).toBe(false);
  });
  it('passes when both match', () => {
    const pod = makePod('p', {
      spec: {
        ...required([{ matchExpressions: [expr('zone', 'In', ['a'])] }]),
        nodeSelector: { disk: 'ssd' },
      },
    });
    expect(podMatchesNodeSelectorAndAffinityTerms(pod, node)).toBe(true);
  });
  it('rejects every node when required affinity has no terms', () => {
    expect(podMatchesNodeSelectorAndAffinityTerms(makePod('p', { spec: required([]) }), node)).toBe(
      false,
    );
  });
  it('passes a pod with neither', () => {
    expect(podMatchesNodeSelectorAndAffinityTerms(makePod('p'), node)).toBe(true);
  });
});

describe('preferredSchedulingTermsScore', () => {
  it('sums the weights of matching terms and skips weight-0 and empty terms', () => {
    // 2 (zone=a) + 5 (disk=ssd); the weight-0 term and the empty term add nothing; zone=b fails.
    const score = preferredSchedulingTermsScore(
      [
        { weight: 2, preference: { matchExpressions: [expr('zone', 'In', ['a'])] } },
        { weight: 3, preference: { matchExpressions: [expr('zone', 'In', ['b'])] } },
        { weight: 5, preference: { matchExpressions: [expr('disk', 'Exists')] } },
        { weight: 0, preference: { matchExpressions: [expr('disk', 'Exists')] } },
        { weight: 7, preference: {} },
      ],
      node,
    );
    expect(score).toBe(7);
  });
});

describe('nodeSelectorErrors', () => {
  it('reports parse errors with upstream paths and messages', () => {
    const errors = nodeSelectorErrors(
      [
        {},
        {
          matchExpressions: [expr('a', 'Gt', ['1', 'x']), expr('b', 'Near', [])],
          matchFields: [expr('metadata.name', 'In', [])],
        },
      ],
      'spec',
    );
    expect(errors).toEqual([
      {
        field: 'spec.nodeSelectorTerms[1].matchExpressions[0].values',
        message: `Invalid value: []string{"1", "x"}: for 'Gt', 'Lt' operators, exactly one value is required`,
      },
      {
        field: 'spec.nodeSelectorTerms[1].matchExpressions[0].values[1]',
        message: `Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
      },
      {
        field: 'spec.nodeSelectorTerms[1].matchExpressions[1].operator',
        message:
          'Unsupported value: "Near": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
      },
      {
        field: 'spec.nodeSelectorTerms[1].matchFields[0].values',
        message: 'Invalid value: []string{}: must have one element',
      },
    ]);
  });
});

describe('parseInt64', () => {
  it.each([
    ['42', 42n],
    ['+7', 7n],
    ['-9223372036854775808', -9223372036854775808n],
    ['9223372036854775808', undefined],
    ['1.5', undefined],
    ['', undefined],
    [' 1', undefined],
  ])('parses %p as %p', (s, want) => {
    expect(parseInt64(s)).toBe(want);
  });
});
