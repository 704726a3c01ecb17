import { describe, expect, it } from '@jest/globals';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { labelSelectorErrors, labelSelectorMatches } from './label-selector.js';

describe('labelSelectorMatches', () => {
  const labels = { app: 'web', tier: 'frontend' };
  const cases: Array<{ name: string; selector: LabelSelector | null | undefined; want: boolean }> =
    [
      { name: 'a nil selector matches nothing', selector: undefined, want: false },
      { name: 'a null selector matches nothing', selector: null, want: false },
      { name: 'an empty selector matches everything', selector: {}, want: true },
      {
        name: 'empty matchLabels and matchExpressions match everything',
        selector: { matchLabels: {}, matchExpressions: [] },
        want: true,
      },
      {
        name: 'matchLabels equal to the labels match',
        selector: { matchLabels: { app: 'web' } },
        want: true,
      },
      {
        name: 'matchLabels with another value do not match',
        selector: { matchLabels: { app: 'db' } },
        want: false,
      },
      {
        name: 'matchLabels on a missing key do not match',
        selector: { matchLabels: { zone: 'a' } },
        want: false,
      },
      {
        name: 'In matches when the value is listed',
        selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'web'] }] },
        want: true,
      },
      {
        name: 'In does not match a missing key',
        selector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
        want: false,
      },
      {
        name: 'NotIn matches when the value is not listed',
        selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] },
        want: true,
      },
      {
        name: 'NotIn matches a missing key',
        selector: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] },
        want: true,
      },
      {
        name: 'NotIn does not match a listed value',
        selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] },
        want: false,
      },
      {
        name: 'Exists matches a present key',
        selector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
        want: true,
      },
      {
        name: 'Exists does not match a missing key',
        selector: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] },
        want: false,
      },
      {
        name: 'DoesNotExist matches a missing key',
        selector: { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] },
        want: true,
      },
      {
        name: 'DoesNotExist does not match a present key',
        selector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
        want: false,
      },
      {
        name: 'matchLabels and matchExpressions are ANDed',
        selector: {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }],
        },
        want: false,
      },
      {
        name: 'an unknown operator matches nothing',
        selector: { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] },
        want: false,
      },
      {
        name: 'In without values matches nothing',
        selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
        want: false,
      },
    ];
  it.each(cases)('$name', ({ selector, want }) => {
    expect(labelSelectorMatches(selector, labels)).toBe(want);
  });
});

describe('labelSelectorErrors', () => {
  it('reports every invalid expression with its field path', () => {
    const errors = labelSelectorErrors(
      {
        matchExpressions: [
          { key: 'a', operator: 'In', values: [] },
          { key: 'b', operator: 'Exists', values: ['x'] },
          { key: 'c', operator: 'Gt', values: ['1'] },
        ],
      },
      'labelSelector',
    );
    expect(errors).toEqual([
      {
        field: 'labelSelector.matchExpressions[0].values',
        message:
          "Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
      },
      {
        field: 'labelSelector.matchExpressions[1].values',
        message:
          'Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
      },
      {
        field: 'labelSelector.matchExpressions[2].operator',
        message:
          'Unsupported value: "Gt": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
      },
    ]);
  });
});
