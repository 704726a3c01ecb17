import { describe, expect, it } from '@jest/globals';
import { buildBrokenLinearFunction } from './broken-linear.js';

describe('buildBrokenLinearFunction', () => {
  const rising = buildBrokenLinearFunction([
    { utilization: 10, score: 1 },
    { utilization: 90, score: 9 },
  ]);
  const falling = buildBrokenLinearFunction([
    { utilization: 0, score: 10 },
    { utilization: 30, score: 0 },
  ]);
  const cases: Array<{ name: string; f: (p: number) => number; p: number; want: number }> = [
    { name: 'is flat before the first point', f: rising, p: 0, want: 1 },
    { name: 'returns the first score at the first point', f: rising, p: 10, want: 1 },
    // 1 + (9−1)·(15−10)/(90−10) = 1 + 40/80 = 1 + 0 (truncated).
    { name: 'truncates the interpolation', f: rising, p: 15, want: 1 },
    // 1 + 8·40/80 = 1 + 4.
    { name: 'interpolates linearly between points', f: rising, p: 50, want: 5 },
    { name: 'returns the last score at the last point', f: rising, p: 90, want: 9 },
    { name: 'is flat after the last point', f: rising, p: 100, want: 9 },
    // 10 + (0−10)·10/30 = 10 + trunc(−3.33) = 10 − 3 (toward zero, not floor's −4).
    { name: 'truncates a falling slope toward zero', f: falling, p: 10, want: 7 },
    { name: 'reaches the falling end exactly', f: falling, p: 30, want: 0 },
  ];
  it.each(cases)('$name', ({ f, p, want }) => {
    expect(f(p)).toBe(want);
  });

  it('returns the single score everywhere for a one-point shape', () => {
    const f = buildBrokenLinearFunction([{ utilization: 50, score: 7 }]);
    expect([0, 50, 100].map(f)).toEqual([7, 7, 7]);
  });
});
