import { describe, expect, it } from '@jest/globals';
import { TokenBucket } from './client-rate-limiter.js';

describe('TokenBucket (client-go token bucket, x/time/rate semantics)', () => {
  it('serves a full burst at once, then one request per 1/qps', () => {
    // qps 50 → a token every 20,000 µs; burst 3: three at t=0, then 20, 40, 60 ms.
    const b = new TokenBucket(50, 3);
    expect([0, 0, 0, 0, 0, 0].map(() => b.reserve(0))).toEqual([0, 0, 0, 20_000, 40_000, 60_000]);
  });

  it('refills while idle, never above the burst', () => {
    const b = new TokenBucket(50, 2);
    expect(b.reserve(0)).toBe(0);
    expect(b.reserve(0)).toBe(0);
    // A second later the bucket is full again (2 tokens, not 50): 1 s, 1 s, then 1.02 s.
    expect([b.reserve(1e6), b.reserve(1e6), b.reserve(1e6)]).toEqual([1e6, 1e6, 1_020_000]);
  });

  it('a request arriving while others wait queues behind them', () => {
    const b = new TokenBucket(100, 1);
    expect(b.reserve(0)).toBe(0);
    expect(b.reserve(0)).toBe(10_000);
    // At 5 ms the earlier waiter holds the 10 ms token: this one gets 20 ms.
    expect(b.reserve(5_000)).toBe(20_000);
    // Long after, a single request passes at once.
    expect(b.reserve(100_000)).toBe(100_000);
  });
});
