import { describe, expect, it } from '@jest/globals';
import {
  HpaHistory,
  defaultScaleDownRules,
  defaultScaleUpRules,
  normalizeDesired,
  resourceReplicas,
  type PodSample,
} from './hpa-calculator.js';

const NOW = 3_600_000;
/** A Running pod started an hour ago, Ready since, requesting 1000m. */
const ready = (usage: number): PodSample => ({
  phase: 'Running',
  ready: true,
  deleting: false,
  startTime: 0,
  readyTime: 0,
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
    const young: PodSample = { ...ready(900), startTime: NOW - 20_000, readyTime: NOW - 14_000 };
    expect(resourceReplicas(1, cpu50, [young], true, NOW)).toEqual({
      error: 'did not receive metrics for any ready pods',
    });
    expect(resourceReplicas(1, cpu50, [{ ...young, readyTime: NOW - 15_000 }], true, NOW)).toEqual({
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
});
