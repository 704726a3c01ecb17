import { describe, expect, it } from '@jest/globals';
import { defaultNormalizeScore } from './normalize-score.js';

describe('defaultNormalizeScore', () => {
  const cases: Array<{ name: string; reverse: boolean; scores: number[]; want: number[] }> = [
    // 100·s/4 → 25, 50, 75, 100.
    {
      name: 'scales by the maximum',
      reverse: false,
      scores: [1, 2, 3, 4],
      want: [25, 50, 75, 100],
    },
    // 100 − [25, 50, 75, 100].
    {
      name: 'reverse subtracts the scaled score from the maximum',
      reverse: true,
      scores: [1, 2, 3, 4],
      want: [75, 50, 25, 0],
    },
    // The minimum is not subtracted: 100·10/1000 = 1, 100·20/1000 = 2, 100·30/1000 = 3.
    {
      name: 'does not subtract the minimum',
      reverse: false,
      scores: [1000, 10, 20, 30],
      want: [100, 1, 2, 3],
    },
    {
      name: 'reverse without subtracting the minimum',
      reverse: true,
      scores: [1000, 10, 20, 30],
      want: [0, 99, 98, 97],
    },
    // 100·1/1 for every node.
    {
      name: 'equal non-zero scores all become the maximum',
      reverse: false,
      scores: [1, 1, 1, 1],
      want: [100, 100, 100, 100],
    },
    {
      name: 'equal non-zero scores all become 0 when reversed',
      reverse: true,
      scores: [1, 1, 1, 1],
      want: [0, 0, 0, 0],
    },
    // maxCount = 0: left alone, or all set to maxPriority when reversed.
    { name: 'all-zero scores stay zero', reverse: false, scores: [0, 0, 0], want: [0, 0, 0] },
    {
      name: 'all-zero scores become the maximum when reversed',
      reverse: true,
      scores: [0, 0, 0],
      want: [100, 100, 100],
    },
    // 100·1/3 = 33.3 → 33, 100·2/3 = 66.6 → 66 (integer division truncates).
    { name: 'integer division truncates', reverse: false, scores: [1, 2, 3], want: [33, 66, 100] },
    { name: 'an empty list is left empty', reverse: true, scores: [], want: [] },
  ];
  it.each(cases)('$name', ({ reverse, scores, want }) => {
    const got = [...scores];
    defaultNormalizeScore(100, reverse, got);
    expect(got).toEqual(want);
  });

  it('uses the given maximum priority', () => {
    // 10·2/4 = 5, 10·4/4 = 10.
    const got = [2, 4];
    defaultNormalizeScore(10, false, got);
    expect(got).toEqual([5, 10]);
  });
});
