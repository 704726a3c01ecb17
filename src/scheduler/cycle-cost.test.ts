import { describe, expect, it } from '@jest/globals';
import { CycleState } from './framework/cycle-state.js';
import type { Framework } from './framework/framework.js';
import { CycleCostModel, DEFAULT_CYCLE_COST, type CycleWork } from './cycle-cost.js';

/** Just the plugin lists the model reads. */
const fw = (lists: Partial<Record<'filter' | 'score' | 'preFilter' | 'preScore', string[]>>) =>
  ({
    filterPlugins: (lists.filter ?? []).map((name) => ({ name })),
    scorePlugins: (lists.score ?? []).map((name) => ({ name })),
    preFilterPlugins: (lists.preFilter ?? []).map((name) => ({ name })),
    preScorePlugins: (lists.preScore ?? []).map((name) => ({ name })),
  }) as unknown as Framework;

const work = (o: Partial<CycleWork> = {}): CycleWork => ({
  state: new CycleState(),
  evaluatedNodes: 500,
  scoredNodes: 500,
  stoppedInPreFilter: false,
  numAllNodes: 5000,
  ...o,
});

const profile = fw({
  filter: ['Fit', 'InterPodAffinity', 'PodTopologySpread'],
  score: ['Fit', 'InterPodAffinity', 'PodTopologySpread'],
  preFilter: ['Fit', 'InterPodAffinity', 'PodTopologySpread'],
  preScore: ['InterPodAffinity', 'PodTopologySpread'],
});

describe('CycleCostModel', () => {
  const model = new CycleCostModel(DEFAULT_CYCLE_COST);

  it('a cycle where the spreading and affinity plugins Skip: 250 + 2 × 500 = 1,250 µs', () => {
    const state = new CycleState();
    for (const p of ['InterPodAffinity', 'PodTopologySpread']) {
      state.skipFilterPlugins.add(p);
      state.skipScorePlugins.add(p);
    }
    expect(model.micros(profile, work({ state }))).toBe(1250);
  });

  it('PodTopologySpread scoring (soft spread): + 0.12 × 5,000 nodes = 1,850 µs', () => {
    const state = new CycleState();
    state.skipFilterPlugins.add('InterPodAffinity').add('PodTopologySpread');
    state.skipScorePlugins.add('InterPodAffinity');
    expect(model.micros(profile, work({ state }))).toBe(1850);
  });

  it('InterPodAffinity filtering: + 2.6 × 5,000 = 14,250 µs, charged once though it scores too', () => {
    const state = new CycleState();
    state.skipFilterPlugins.add('PodTopologySpread');
    state.skipScorePlugins.add('PodTopologySpread');
    expect(model.micros(profile, work({ state }))).toBe(14_250);
  });

  it('the PreScore scan is not charged when scoring did not run', () => {
    const state = new CycleState();
    state.skipFilterPlugins.add('InterPodAffinity').add('PodTopologySpread');
    expect(model.micros(profile, work({ state, scoredNodes: 0 }))).toBe(1250);
  });

  it('a cycle that stopped in PreFilter charges no scan', () => {
    expect(
      model.micros(profile, work({ evaluatedNodes: 0, scoredNodes: 0, stoppedInPreFilter: true })),
    ).toBe(250);
  });

  it('preemption dry runs: 2 µs per node victims were looked for on', () => {
    const state = new CycleState();
    state.skipFilterPlugins.add('InterPodAffinity').add('PodTopologySpread');
    state.postFilterDryRunNodes = 300;
    expect(model.micros(profile, work({ state, evaluatedNodes: 5000, scoredNodes: 0 }))).toBe(
      250 + 2 * 5000 + 2 * 300,
    );
  });

  it('pluginMicros: per node filtered while the plugin filters, per node scored while it scores', () => {
    const custom = new CycleCostModel({
      ...DEFAULT_CYCLE_COST,
      pluginMicros: { Fit: 3 },
      clusterScanMicros: {},
    });
    expect(custom.micros(profile, work({ evaluatedNodes: 400, scoredNodes: 100 }))).toBe(
      250 + 2 * 400 + 3 * 400 + 3 * 100,
    );
    const skipped = new CycleState();
    skipped.skipScorePlugins.add('Fit');
    expect(
      custom.micros(profile, work({ state: skipped, evaluatedNodes: 400, scoredNodes: 100 })),
    ).toBe(250 + 2 * 400 + 3 * 400);
  });
});
