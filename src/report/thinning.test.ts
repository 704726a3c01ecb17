import { describe, it, expect } from '@jest/globals';
import { thinningBuckets, thinTimes, thinValues } from './thinning.js';

describe('thinning a time series for a chart', () => {
  it('leaves a series that fits as it is', () => {
    const buckets = thinningBuckets(5, 10);
    expect(thinTimes([0, 1, 2, 3, 4], buckets)).toEqual([0, 1, 2, 3, 4]);
    expect(thinValues([3, null, 1, 2, 5], buckets)).toEqual([3, null, 1, 2, 5]);
  });

  it('keeps a one-sample dip that evenly spaced sampling would step over', () => {
    // 10 000 samples of 30 ready nodes with one sample of 29, thinned to 2000 points.
    const values = Array<number>(10_000).fill(30);
    values[4567] = 29;
    const buckets = thinningBuckets(values.length, 2000);
    const thinned = thinValues(values, buckets);
    expect(thinned).toHaveLength(2000);
    expect(thinned.filter((v) => v === 29)).toHaveLength(1);
    // …at a time inside the dip's bucket.
    const times = thinTimes(
      values.map((_, i) => i * 10),
      buckets,
    );
    const at = times[thinned.indexOf(29)]!;
    expect(Math.abs(at - 45_670)).toBeLessThanOrEqual(50);
    // Every fifth sample, as before, misses it.
    expect(values.filter((_, i) => i % 5 === 0)).not.toContain(29);
  });

  it('keeps a one-sample spike too, and the first and last sample times', () => {
    const values = Array<number>(4001).fill(0);
    values[17] = 8;
    const buckets = thinningBuckets(values.length, 2000);
    const times = thinTimes(
      values.map((_, i) => i),
      buckets,
    );
    expect(times[0]).toBe(0);
    expect(times[times.length - 1]).toBe(4000);
    expect(times).toHaveLength(2000);
    expect(Math.max(...(thinValues(values, buckets) as number[]))).toBe(8);
  });

  it('puts each bucket’s minimum and maximum in the order they occurred', () => {
    const buckets = thinningBuckets(8, 4); // two buckets of four
    expect(buckets).toEqual([
      [0, 4],
      [4, 8],
    ]);
    expect(thinValues([5, 9, 1, 5, 2, 2, 7, 3], buckets)).toEqual([9, 1, 2, 7]);
    expect(thinTimes([0, 1, 2, 3, 4, 5, 6, 7], buckets)).toEqual([0, 3, 4, 7]);
  });

  it('skips nulls and gives an all-null bucket null twice', () => {
    const buckets = thinningBuckets(6, 4); // two buckets of three
    expect(thinValues([null, 4, null, null, null, null], buckets)).toEqual([4, 4, null, null]);
  });
});
