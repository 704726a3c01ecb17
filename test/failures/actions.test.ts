/** Node fault actions and stochastic faults are validated with located messages. */
import { describe, expect, it } from '@jest/globals';
import { run, simulation } from './helpers.js';

const pools = [{ name: 'general', count: 3, zones: ['zone-a'] }];

describe('node fault validation', () => {
  it.each([
    {
      entry: '{at: 1m, action: fail-node, target: {node: general-0}, mode: reboot}',
      error: /mode: expected one of crash, kubelet-stop, partition, runtime-down, found "?reboot/,
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

describe('fault random streams are named after the entry, not its position', () => {
  const pool10 = [
    { name: 'general', count: 10, zones: ['zone-a'] },
    { name: 'other', count: 2, zones: ['zone-a'] },
  ];
  /** Which nodes went NotReady when (the failed nodes and instants), for nodes matching `only`. */
  const failures = (yaml: string, only = /./) =>
    run(yaml)
      .metrics.events.filter(
        (e) => e.kind === 'Node' && e.reason === 'NodeNotReady' && only.test(e.object),
      )
      .map((e) => `${e.object}@${e.time}`);

  it('keeps a pool pick when an earlier, unrelated timeline entry is inserted', () => {
    const pick = '{at: 10m, action: fail-node, target: {pool: general, count: 2}}';
    const alone = failures(simulation({ seed: 3, pools: pool10, timeline: [pick] }));
    const withEarlier = failures(
      simulation({
        seed: 3,
        pools: pool10,
        timeline: [
          '{at: 1m, action: fail-node, target: {node: other-0}, recoverAfter: 1m}',
          '{at: 2m, action: fail-node, target: {pool: other, count: 1}, recoverAfter: 1m}',
          pick,
        ],
      }),
      /general/,
    );
    expect(alone).toHaveLength(2);
    expect(withEarlier).toEqual(alone);
    // A named entry draws from `faults/<name>`, just as stable.
    const named = pick.replace('}}', '}, name: web-loss}');
    const namedAlone = failures(simulation({ seed: 3, pools: pool10, timeline: [named] }));
    const namedLater = failures(
      simulation({
        seed: 3,
        pools: pool10,
        timeline: ['{at: 1m, action: fail-node, target: {node: other-0}, recoverAfter: 1m}', named],
      }),
      /general/,
    );
    expect(namedLater).toEqual(namedAlone);
  });

  it('keeps a stochastic fault’s failure instants when a second fault of the same kind is added to the pool', () => {
    const crash =
      '{kind: node-crash, pool: general, mtbf: {exponential: {mean: 20m}}, mttr: {exponential: {mean: 2m}}}';
    // Draws once per node at time 0 and almost surely never fires within the run.
    const rare =
      '{kind: node-crash, pool: general, mtbf: {exponential: {mean: 100000h}}, mttr: 1m}';
    const partition = '{kind: partition, pool: other, mtbf: {exponential: {mean: 10m}}, mttr: 1m}';
    const base = failures(simulation({ seed: 5, pools: pool10, duration: '2h', faults: [crash] }));
    const more = failures(
      simulation({ seed: 5, pools: pool10, duration: '2h', faults: [crash, rare, partition] }),
      /^general-/,
    );
    expect(base.length).toBeGreaterThan(3);
    expect(more).toEqual(base);
  });

  it('refuses the same fault name twice', () => {
    expect(() =>
      run(
        simulation({
          pools,
          timeline: ['{at: 1m, action: fail-node, target: {node: general-0}, name: a}'],
          faults: ['{kind: partition, pool: general, mtbf: 1h, mttr: 1m, name: a}'],
        }),
      ),
    ).toThrow(/faults\[0\]\.name: the fault name "a" is used twice/);
  });
});

describe('stochastic node faults on nodes that join later', () => {
  it('fail a node added with add-nodes from the moment it joins, on its own stream', () => {
    const yaml = simulation({
      seed: 2,
      duration: '3h',
      pools: [{ name: 'general', count: 1, zones: ['zone-a'] }],
      timeline: ['{at: 30m, action: add-nodes, pool: general, count: 1}'],
      faults: ['{kind: partition, pool: general, mtbf: {exponential: {mean: 20m}}, mttr: 2m}'],
    });
    const r = run(yaml);
    const rows = r.metrics.summaryMetrics().recovery as Array<{ failure: string; at_s: number }>;
    const joined = rows.filter((row) => row.failure === 'partition general-1');
    expect(joined.length).toBeGreaterThan(0);
    expect(Math.min(...joined.map((row) => row.at_s))).toBeGreaterThan(30 * 60);
    // The first node's failures are those it has without the newcomer.
    const alone = run(yaml.replace(/ {4}- \{at: 30m, action: add-nodes[^\n]*\n/, ''));
    const rowsAlone = alone.metrics.summaryMetrics().recovery as Array<{ failure: string }>;
    expect(rowsAlone.some((row) => row.failure === 'partition general-1')).toBe(false);
    expect(rows.filter((row) => row.failure === 'partition general-0')).toEqual(
      rowsAlone.filter((row) => row.failure === 'partition general-0'),
    );
  });
});
