import { describe, expect, it } from '@jest/globals';
import { leaseRenewedAt, requestOutcome, type ModeSpan } from './lease-retry.js';

const RT = 7000; // etcd's request timeout at ET 1 s

describe('one request against the apiserver write-mode history', () => {
  const spans: ModeSpan[] = [
    { from: 0, mode: 'accepting' },
    { from: 1000, mode: 'losing' },
    { from: 2300, mode: 'holding' },
    { from: 4000, mode: 'accepting' },
    { from: 10_000, mode: 'holding' },
    { from: 12_000, mode: 'refusing' },
    { from: 30_000, mode: 'holding' },
  ];

  it.each([
    [500, true, 500, 'accepted at once'],
    [1500, false, 8500, 'sent towards the dead leader: lost, fails at the request timeout'],
    [3000, true, 4000, 'held: commits when writes are accepted again'],
    [11_000, false, 12_000, 'held, then the apiserver goes away: fails at that instant'],
    [20_000, false, 20_000, 'refused at once'],
    [31_000, false, 38_000, 'held and no leader in time: fails at the request timeout'],
  ])('sent at %i ms: ok %s at %i ms (%s)', (t, ok, at) => {
    expect(requestOutcome(t, spans, RT)).toEqual({ ok, at });
  });

  it('a held write whose timeout falls exactly when writes return still fails (the timeout wins)', () => {
    const s: ModeSpan[] = [
      { from: 0, mode: 'holding' },
      { from: 7000, mode: 'accepting' },
    ];
    expect(requestOutcome(0, s, RT)).toEqual({ ok: false, at: 7000 });
    expect(requestOutcome(1, s, RT)).toEqual({ ok: true, at: 7000 });
  });
});

describe("a kubelet's lease retries (component-helpers lease controller)", () => {
  it('apiserver refusing for 2 minutes: 5 updates and a Get fail at once, then Gets 200, 400, … 7 s apart', () => {
    // Renewal due at 300 000 fails; Gets at 300 000, +200 → 300 200, +400 → 300 600,
    // +800 → 301 400, +1 600 → 303 000, +3 200 → 306 200, +6 400 → 312 600, then every 7 s:
    // 312 600 + 16 × 7 000 = 424 600 is the first at or after 420 000.
    const spans: ModeSpan[] = [
      { from: 295_000, mode: 'refusing' },
      { from: 420_000, mode: 'accepting' },
    ];
    expect(leaseRenewedAt(300_000, spans, RT)).toBe(424_600);
  });

  it('etcd holding every request for 2 minutes: each attempt hangs 7 s; the one in flight commits with the new leader', () => {
    // Updates 300 000 → 307 000 → … → 335 000 (5 × 7 s); Gets fail at +7 s then sleep:
    // 335 000→342 000 (+200) 342 200→349 200 (+400) 349 600→356 600 (+800) 357 400→364 400
    // (+1 600) 366 000→373 000 (+3 200) 376 200→383 200 (+6 400) 389 600→396 600 (+7 000)
    // 403 600→410 600 (+7 000) 417 600: held until the leader at 421 234 (< 424 600).
    const spans: ModeSpan[] = [
      { from: 295_000, mode: 'holding' },
      { from: 421_234, mode: 'accepting' },
    ];
    expect(leaseRenewedAt(300_000, spans, RT)).toBe(421_234);
  });

  it('a leader loss caught in flight: the update is lost, the next one goes through', () => {
    const spans: ModeSpan[] = [
      { from: 1000, mode: 'losing' },
      { from: 2300, mode: 'accepting' },
    ];
    expect(leaseRenewedAt(1500, spans, RT)).toBe(8500);
  });

  it('a renewal due after writes came back simply happens', () => {
    const spans: ModeSpan[] = [
      { from: 1000, mode: 'refusing' },
      { from: 2000, mode: 'accepting' },
    ];
    expect(leaseRenewedAt(2500, spans, RT)).toBe(2500);
  });

  it('a week of refusals is crossed in one step, to the same instant as retry by retry', () => {
    // Gets at 0, 200, 600, 1 400, 3 000, 6 200, 12 600, then 12 600 + 7 000 k:
    // k = ⌈(604 800 000 − 12 600) / 7 000⌉ = 86 399 → 604 805 600.
    const spans: ModeSpan[] = [
      { from: 0, mode: 'refusing' },
      { from: 604_800_000, mode: 'accepting' },
    ];
    expect(leaseRenewedAt(0, spans, RT)).toBe(604_805_600);
  });

  it('still retrying while writes have not come back', () => {
    expect(leaseRenewedAt(0, [{ from: 0, mode: 'refusing' }], RT)).toBe(Infinity);
  });
});
