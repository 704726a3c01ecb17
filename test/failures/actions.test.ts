/** Node fault actions and stochastic faults are validated with located messages. */
import { describe, expect, it } from '@jest/globals';
import { run, simulation } from './helpers.js';

const pools = [{ name: 'general', count: 3, zones: ['zone-a'] }];

describe('node fault validation', () => {
  it.each([
    {
      entry: '{at: 1m, action: fail-node, target: {node: general-0}, mode: reboot}',
      error: /mode: expected one of crash, kubelet-stop, partition, found "?reboot/,
    },
    {
      entry: '{at: 1m, action: fail-node, target: {pool: general}}',
      error: /target\.count: expected a number of nodes/,
    },
    {
      entry: '{at: 1m, action: fail-node, target: {node: general-0, zone: zone-a}}',
      error: /target: expected exactly one of node, pool, zone, found 2/,
    },
    {
      entry: '{at: 1m, action: fail-zone, target: {zone: zone-a}, recoverAfter: soon}',
      error: /recoverAfter/,
    },
  ])('rejects $entry', ({ entry, error }) => {
    expect(() => run(simulation({ pools, timeline: [entry] }))).toThrow(error);
  });

  it('rejects a stochastic fault without mttr', () => {
    expect(() =>
      run(
        simulation({
          pools,
          faults: ['{kind: node-crash, pool: general, mtbf: {exponential: {mean: 1h}}}'],
        }),
      ),
    ).toThrow(/faults\[0\]\.mttr: expected a duration distribution/);
  });

  it('fails the drawn nodes of a pool, the same ones for the same seed', () => {
    const yaml = simulation({
      seed: 9,
      pools: [{ name: 'general', count: 10, zones: ['zone-a'] }],
      timeline: ['{at: 1m, action: fail-node, target: {pool: general, count: 3}}'],
    });
    const failed = () =>
      run(yaml)
        .metrics.events.filter((e) => e.reason === 'NodeNotReady')
        .map((e) => e.object)
        .sort();
    const first = failed();
    expect(first).toHaveLength(3);
    expect(failed()).toEqual(first);
  });
});
