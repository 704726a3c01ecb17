import { describe, it, expect } from '@jest/globals';
import { latencyDistribution, niceStep } from './latency.js';

describe('niceStep', () => {
  it.each([
    [0.03, 0.05],
    [0.1, 0.1],
    [0.7, 1],
    [1.1833, 2],
    [12, 20],
    [0.3 / 3, 0.1],
    [0, 1],
  ])('rounds %p up to the 1-2-5 step %p', (raw, expected) => {
    expect(niceStep(raw)).toBeCloseTo(expected, 12);
  });
});

describe('latencyDistribution', () => {
  it('bins the fixture latencies with a 2 s step (35.5 s / 30 bins → 2) and builds the CDF', () => {
    const d = latencyDistribution([0.012, 0.025, 0.031, 35.5, 0.2, 0.4, 0.05])!;
    expect(d.n).toBe(7);
    expect(d.binSeconds).toBe(2);
    expect(d.counts).toHaveLength(18);
    expect(d.counts[0]).toBe(6);
    expect(d.counts[17]).toBe(1);
    expect(d.counts.reduce((a, b) => a + b, 0)).toBe(7);
    expect(d.cdf.map((p) => p.x)).toEqual([0.012, 0.025, 0.031, 0.05, 0.2, 0.4, 35.5]);
    expect(d.cdf[2]!.y).toBeCloseTo(3 / 7, 12);
    expect(d.cdf[6]!.y).toBe(1);
  });

  it('puts a latency exactly on a bin edge into the bin that starts there', () => {
    // 3 s / 30 = 0.1 s bins; 0.3 / 0.1 is 2.9999999999999996 in floating point but belongs to bin 3.
    const d = latencyDistribution([0, 0.3, 3])!;
    expect(d.binSeconds).toBeCloseTo(0.1, 12);
    expect(d.counts).toHaveLength(31);
    expect(d.counts[0]).toBe(1);
    expect(d.counts[3]).toBe(1);
    expect(d.counts[30]).toBe(1);
  });

  it('thins the CDF of 2500 pods to at most 1000 points that still end at (max, 1)', () => {
    const values = Array.from({ length: 2500 }, (_, i) => i / 1000);
    const d = latencyDistribution(values)!;
    expect(d.cdf.length).toBeLessThanOrEqual(1000);
    expect(d.cdf[d.cdf.length - 1]).toEqual({ x: 2.499, y: 1 });
  });

  it('returns null when no pod was scheduled', () => {
    expect(latencyDistribution([])).toBeNull();
  });
});
