import { describe, expect, it } from '@jest/globals';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { findUntoleratedTaint, isDoNotScheduleTaint, toleratesTaint } from './taints.js';

describe('toleratesTaint', () => {
  const taint: Taint = { key: 'dedicated', value: 'user1', effect: 'NoSchedule' };
  const cases: Array<{ name: string; toleration: Toleration; taint?: Taint; want: boolean }> = [
    {
      name: 'Equal with the same key, value and effect tolerates',
      toleration: { key: 'dedicated', operator: 'Equal', value: 'user1', effect: 'NoSchedule' },
      want: true,
    },
    {
      name: 'an empty operator means Equal',
      toleration: { key: 'dedicated', value: 'user1', effect: 'NoSchedule' },
      want: true,
    },
    {
      name: 'Equal with a different value does not tolerate',
      toleration: { key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' },
      want: false,
    },
    {
      name: 'Exists tolerates any value of the key',
      toleration: { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' },
      want: true,
    },
    {
      name: 'Exists with a different key does not tolerate',
      toleration: { key: 'other', operator: 'Exists' },
      want: false,
    },
    {
      name: 'an empty key with Exists tolerates every taint',
      toleration: { operator: 'Exists' },
      want: true,
    },
    {
      name: 'an empty effect matches every effect',
      toleration: { key: 'dedicated', operator: 'Equal', value: 'user1' },
      want: true,
    },
    {
      name: 'a different non-empty effect does not tolerate',
      toleration: { key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' },
      want: false,
    },
    {
      name: 'an empty key with Equal still compares the value',
      toleration: { operator: 'Equal', value: 'user1' },
      want: true,
    },
    {
      name: 'an empty key with Equal and another value does not tolerate',
      toleration: { operator: 'Equal', value: 'x' },
      want: false,
    },
    {
      name: 'a missing value equals an empty taint value',
      toleration: { key: 'k', effect: 'NoExecute' },
      taint: { key: 'k', effect: 'NoExecute' },
      want: true,
    },
    {
      name: 'the alpha Gt operator tolerates nothing (feature gate off)',
      toleration: { key: 'dedicated', operator: 'Gt', value: '0' },
      want: false,
    },
    {
      name: 'an unknown operator tolerates nothing',
      toleration: { key: 'dedicated', operator: 'Bogus', value: 'user1' },
      want: false,
    },
  ];
  it.each(cases)('$name', ({ toleration, taint: t, want }) => {
    expect(toleratesTaint(toleration, t ?? taint)).toBe(want);
  });
});

describe('findUntoleratedTaint', () => {
  const a: Taint = { key: 'a', value: '1', effect: 'PreferNoSchedule' };
  const b: Taint = { key: 'b', value: '2', effect: 'NoSchedule' };
  const c: Taint = { key: 'c', effect: 'NoExecute' };

  it('returns the first taint no toleration tolerates', () => {
    expect(findUntoleratedTaint([a, b, c], [])).toBe(a);
  });
  it('skips taints the filter excludes', () => {
    expect(findUntoleratedTaint([a, b, c], [], isDoNotScheduleTaint)).toBe(b);
  });
  it('moves past tolerated taints', () => {
    expect(
      findUntoleratedTaint([b, c], [{ key: 'b', operator: 'Exists' }], isDoNotScheduleTaint),
    ).toBe(c);
  });
  it('returns undefined when everything is tolerated', () => {
    expect(findUntoleratedTaint([b, c], [{ operator: 'Exists' }])).toBeUndefined();
  });
  it('returns undefined for a node without taints', () => {
    expect(findUntoleratedTaint(undefined, undefined)).toBeUndefined();
  });
});
