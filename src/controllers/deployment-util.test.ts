import { describe, expect, it } from '@jest/globals';
import type { IntOrPercent } from './apps-objects.js';
import { computeTemplateHash, resolveFenceposts, safeEncodeString } from './deployment-util.js';

const pct = (value: number): IntOrPercent => ({ kind: 'percent', value });
const int = (value: number): IntOrPercent => ({ kind: 'int', value });

describe('ResolveFenceposts', () => {
  it.each<[string, IntOrPercent, IntOrPercent, number, number, number]>([
    ['25 % of 10 surges up to 3 and allows 2 unavailable', pct(25), pct(25), 10, 3, 2],
    ['25 % of 1 surges 1 and allows 0 unavailable', pct(25), pct(25), 1, 1, 0],
    ['0 surge and 10 % of 3 (0) become 1 unavailable', int(0), pct(10), 3, 0, 1],
    ['integers are taken as they are', int(2), int(5), 3, 2, 5],
    ['100 % of 7 surges 7 and allows 7 unavailable', pct(100), pct(100), 7, 7, 7],
    ['33 % of 20 surges 7 (6.6 up) and allows 6 (6.6 down)', pct(33), pct(33), 20, 7, 6],
  ])('%s', (_n, surge, unavail, desired, wantSurge, wantUnavailable) => {
    expect(resolveFenceposts(surge, unavail, desired)).toEqual({
      surge: wantSurge,
      unavailable: wantUnavailable,
    });
  });
});

describe('pod-template-hash', () => {
  it('is safe-encoded decimal, stable, and ignores an existing hash label', () => {
    const t = {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'a' }] },
    };
    const h = computeTemplateHash(t, 0);
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(
      computeTemplateHash(
        { ...t, metadata: { labels: { app: 'web', 'pod-template-hash': h } } },
        0,
      ),
    ).toBe(h);
    expect(computeTemplateHash(t, 1)).not.toBe(h);
    // Digit d maps to alphabet[(48 + d) % 27] (rand.SafeEncodeString).
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
});
