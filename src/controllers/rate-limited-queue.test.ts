import { describe, expect, it } from '@jest/globals';
import { RateLimitedTimedQueue, TokenBucket } from './rate-limited-queue.js';

/** Drains the queue at each instant, returning [instant, node] for every node taken. */
function drain(q: RateLimitedTimedQueue, instants: number[]): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (const t of instants)
    q.try(t, (n) => {
      out.push([t, n]);
      return true;
    });
  return out;
}

describe('TokenBucket (burst 1)', () => {
  it.each([
    { qps: 0.1, at: [0, 9_999, 10_000, 15_000, 20_000], want: [true, false, true, false, true] },
    { qps: 0.01, at: [5, 99_999, 100_005], want: [true, false, true] },
    { qps: 0, at: [0, 1e9], want: [false, false] },
  ])('at $qps/s accepts one token per 1/qps seconds, starting full', ({ qps, at, want }) => {
    const b = new TokenBucket(qps);
    expect(at.map((t) => b.tryAccept(t))).toEqual(want);
  });
});

describe('RateLimitedTimedQueue', () => {
  it('takes one node per token in the order they were added', () => {
    const q = new RateLimitedTimedQueue(0.1);
    for (const n of ['a', 'b', 'c']) q.add(n);
    expect(drain(q, [0, 5_000, 10_000, 20_000])).toEqual([
      [0, 'a'],
      [10_000, 'b'],
      [20_000, 'c'],
    ]);
  });

  it('does not queue a node again until it is removed (UniqueQueue set semantics)', () => {
    const q = new RateLimitedTimedQueue(1);
    expect(q.add('a')).toBe(true);
    drain(q, [0]);
    expect(q.add('a')).toBe(false);
    q.remove('a');
    expect(q.add('a')).toBe(true);
  });

  it('keeps a node whose action failed at the head, spending the token', () => {
    const q = new RateLimitedTimedQueue(0.1);
    q.add('a');
    q.add('b');
    q.try(0, () => false);
    expect(drain(q, [10_000])).toEqual([[10_000, 'a']]);
  });

  it.each([
    { name: 'a drained old bucket gives a drained new one', spendFirst: true, want: 101_000 },
    { name: 'a full old bucket gives a full new one', spendFirst: false, want: -Infinity },
  ])('SwapLimiter: $name', ({ spendFirst, want }) => {
    const q = new RateLimitedTimedQueue(0.1);
    if (spendFirst) q.limiter.tryAccept(0);
    q.swapLimiter(0.01, 1_000);
    expect(q.limiter.nextTokenAt()).toBe(want);
  });

  it('SwapLimiter to 0 never accepts, and back from 0 starts drained', () => {
    const q = new RateLimitedTimedQueue(0.1);
    q.swapLimiter(0, 0);
    q.add('a');
    expect(drain(q, [0, 1e6])).toEqual([]);
    q.swapLimiter(0.1, 2e6);
    expect(drain(q, [2e6, 2e6 + 10_000])).toEqual([[2e6 + 10_000, 'a']]);
  });
});
