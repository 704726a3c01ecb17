import { describe, expect, it } from '@jest/globals';
import {
  HpaHistory,
  defaultScaleDownRules,
  defaultScaleUpRules,
  normalizeDesired,
  resourceReplicas,
  scaleDownLimitWithRules,
  scaleUpLimitWithRules,
  type Behavior,
  type PodSample,
} from './hpa-calculator.js';

const NOW = 3_600_000;
/** A Running pod started an hour ago, Ready since, requesting 1000m. */
const ready = (usage: number): PodSample => ({
  phase: 'Running',
  ready: true,
  deleting: false,
  startTime: 0,
  readyTransitionTime: 0,
  request: 1000,
  usage,
});
const pending: PodSample = { phase: 'Pending', ready: false, deleting: false, request: 1000 };
const cpu50 = { type: 'Utilization', averageUtilization: 50 } as const;

describe('replica calculator (Resource, Utilization)', () => {
  it.each<[string, number, PodSample[], number]>([
    [
      'ceil(ratio × ready pods): 2 pods at 90 % for a 50 % target → ceil(1.8 × 2) = 4',
      2,
      [ready(900), ready(900)],
      4,
    ],
    [
      'a ratio within the 0.1 tolerance keeps the current count',
      4,
      [ready(540), ready(540), ready(540), ready(540)],
      4,
    ],
    [
      'utilisation is an integer percent: 10 % → ratio 0.2 → ceil(0.8) = 1',
      4,
      [ready(100), ready(100), ready(100), ready(100)],
      1,
    ],
    [
      'a pending pod counts as 0 % on a scale-up: 2 × 90 % + 0 → 60 % → ceil(1.2 × 3) = 4',
      3,
      [ready(900), ready(900), pending],
      4,
    ],
    ['a pending pod is left out of a scale-down', 3, [ready(200), ready(200), pending], 1],
    ['a deleting pod is ignored', 2, [ready(900), { ...ready(0), deleting: true }], 2],
  ])('%s', (_n, current, pods, want) => {
    const p = resourceReplicas(current, cpu50, pods, true, NOW);
    expect('error' in p ? p.error : p.replicas).toBe(want);
  });

  it('a pod Ready for less than one metric window within the CPU initialisation period is not yet counted', () => {
    const young: PodSample = {
      ...ready(900),
      startTime: NOW - 20_000,
      readyTransitionTime: NOW - 14_000,
    };
    expect(resourceReplicas(1, cpu50, [young], true, NOW)).toEqual({
      error: 'did not receive metrics for targeted pods (pods might be unready)',
    });
    expect(
      resourceReplicas(1, cpu50, [{ ...young, readyTransitionTime: NOW - 15_000 }], true, NOW),
    ).toEqual({
      replicas: 2,
      current: 90,
    });
  });
});

describe('normalisation', () => {
  it('without behavior the highest recommendation of the last 300 s wins and scale-up is capped at max(2×, 4)', () => {
    const h = new HpaHistory();
    h.recordInitial(2, 0);
    expect(normalizeDesired(h, undefined, 2, 10, 1, 20, 15_000)).toBe(4);
    // The unclamped 10 is remembered. Exactly 300 s later it still counts (inclusive cutoff),
    // capped at max(2 × 4, 4) = 8; 15 s after that it has left the window.
    expect(normalizeDesired(h, undefined, 4, 1, 1, 20, 315_000)).toBe(8);
    expect(normalizeDesired(h, undefined, 4, 1, 1, 20, 330_000)).toBe(1);
  });

  it('with the default behavior scale-up adds max(4 pods, 100 %) per 15 s', () => {
    const b = { scaleUp: defaultScaleUpRules(), scaleDown: defaultScaleDownRules() };
    const h = new HpaHistory();
    h.recordInitial(2, 0);
    expect(normalizeDesired(h, b, 2, 20, 1, 50, 15_000)).toBe(6);
    h.storeScaleEvent(b, 2, 6, 15_000);
    // 15 s later the event has left the period: from 6, max(6 + 4, 12) = 12.
    expect(normalizeDesired(h, b, 6, 20, 1, 50, 30_000)).toBe(12);
  });

  /**
   * Runs the controller's per-sync steps (recordInitial, normalizeDesired, storeScaleEvent)
   * for `desired` recommendations at 15 s, 30 s, …; returns the size after each sync.
   */
  function trajectory(b: Behavior, start: number, desired: number[], min = 1, max = 50): number[] {
    const h = new HpaHistory();
    let current = start;
    return desired.map((d, i) => {
      const now = (i + 1) * 15_000;
      h.recordInitial(current, now);
      const next = normalizeDesired(h, b, current, d, min, max, now);
      if (next !== current) h.storeScaleEvent(b, current, next, now);
      current = next;
      return next;
    });
  }

  it('with behavior, a recommendation that drops below the current size holds it for the scale-down window instead of scaling up further', () => {
    // scaleUp: no window, 1 pod per 15 s; scaleDown: the default 300 s window, 100 % per 15 s.
    const b: Behavior = {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 1, periodSeconds: 15 }],
      },
      scaleDown: defaultScaleDownRules(),
    };
    // 15–60 s: 20 wanted, +1 pod per sync: 4 → 5, 6, 7, 8. From 75 s 2 is wanted:
    //   up   = min(2, none in the 0 s up window) = 2
    //   down = max(2, the 20s recommended at 15–60 s) = 20
    //   current 8 is neither below up nor above down → 8 (the pre-1.21 single window took the
    //   max, 20 > 8, and kept scaling up to 9, 10, …).
    // At 360 s the last 20 (60 s) is no longer after the cutoff 360 − 300 = 60 → down = 2;
    // the 100 %-per-15-s limit allows 0, minReplicas 1 → 8 → 2.
    const desired = [20, 20, 20, 20, ...Array<number>(20).fill(2)];
    const sizes = trajectory(b, 4, desired);
    expect(sizes.slice(0, 4)).toEqual([5, 6, 7, 8]);
    expect(sizes.slice(4, 23)).toEqual(Array(19).fill(8)); // 75 s … 345 s
    expect(sizes[23]).toBe(2); // 360 s
  });

  it('with a scale-up window, the lowest recommendation of the window bounds the scale-up', () => {
    const b: Behavior = {
      scaleUp: { ...defaultScaleUpRules(), stabilizationWindowSeconds: 45 },
      scaleDown: defaultScaleDownRules(),
    };
    // The first sync records the current 2 at 15 s, so up = 2 until 15 s leaves the window:
    //   15 s: min(10, 2@15) = 2      30 s: min(5, 2, 10) = 2      45 s: min(8, 2, 10, 5) = 2
    //   60 s: min(12, 5@30, 8@45) = 5 (cutoff 15 s is exclusive)   limit max(2+4, 2×2) = 6
    //   75 s: min(12, 8@45, 12@60) = 8                              limit max(5+4, 5×2) = 10
    //   90 s: min(12, 12@60, 12@75) = 12                            limit max(8+4, 8×2) = 16
    expect(trajectory(b, 2, [10, 5, 8, 12, 12, 12])).toEqual([2, 2, 2, 5, 8, 12]);
  });

  it('with a scale-down window, the highest recommendation of the window bounds the scale-down', () => {
    const b: Behavior = {
      scaleUp: defaultScaleUpRules(),
      scaleDown: { ...defaultScaleDownRules(), stabilizationWindowSeconds: 60 },
    };
    // down = max(desired, recommendations after now − 60 s), the current 10 recorded at 15 s:
    //   15–60 s: 10@15 is in the window → 10
    //   75 s: max(3, 4@30, 6@45, 3@60) = 6 → 10 → 6 (100 % per 15 s allows it)
    //   90 s: max(5, 6@45, 3@60, 3@75) = 6 → stays 6
    //   105 s: max(5, 3@60, 3@75, 5@90) = 5 → 6 → 5
    expect(trajectory(b, 10, [8, 4, 6, 3, 3, 5, 5])).toEqual([10, 10, 10, 10, 6, 6, 5]);
  });

  it('a policy period starts at current − replicas added + replicas deleted within it', () => {
    // At 60 s, 2 pods were added at 50 s and 3 removed at 40 s (both within 60 s):
    // the period started at 6 − 2 + 3 = 7 replicas.
    const h = {
      scaleUpEvents: [{ change: 2, time: 50_000, outdated: false }],
      scaleDownEvents: [{ change: 3, time: 40_000, outdated: false }],
    };
    const pods4 = {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max' as const,
      policies: [{ type: 'Pods' as const, value: 4, periodSeconds: 60 }],
    };
    expect(scaleUpLimitWithRules(6, h, pods4, 60_000)).toBe(11); // 7 + 4
    const half = {
      ...pods4,
      policies: [{ type: 'Percent' as const, value: 50, periodSeconds: 60 }],
    };
    // From 4 now: 4 − 2 + 3 = 5 → trunc(5 × 0.5) = 2.
    expect(scaleDownLimitWithRules(4, h, half, 60_000)).toBe(2);
  });
});

describe('missing metrics', () => {
  it('on a scale-down a pod without a metric counts as max(100 %, target) of its request', () => {
    // Target 200 %: two pods at 30 % → ratio 0.15, a scale-down. The missing pod counts
    // 1000m × 200 % = 2000m: floor((300 + 300 + 2000) × 100 / 3000) = 86 % → 0.43 →
    // ceil(0.43 × 3) = 2 (at 100 % of its request it would have been 53 % → 1).
    const cpu200 = { type: 'Utilization', averageUtilization: 200 } as const;
    const missing: PodSample = { ...ready(0), usage: undefined };
    expect(resourceReplicas(3, cpu200, [ready(300), ready(300), missing], true, NOW)).toEqual({
      replicas: 2,
      current: 30,
    });
  });
});
