/** The failure example scenarios run and show what their headers promise. */
import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';
import type { RecoveryRow } from '../../src/faults/recovery-measures.js';
import type { ServiceAvailabilityRow } from '../../src/faults/service-availability.js';

function runExample(name: string) {
  const r = runSimulation(loadScenario(`scenarios/${name}.yaml`));
  const m = r.metrics.summaryMetrics();
  return {
    r,
    recovery: m.recovery as RecoveryRow[],
    services: m.serviceAvailability as ServiceAvailabilityRow[],
    outcomes: m.outcomes as Record<string, number>,
  };
}

describe('failure examples', () => {
  it('node-failure: the crashed node is detected within 40–55 s and its 2 pods replaced about 350 s after the crash', () => {
    const { recovery, services, outcomes } = runExample('node-failure');
    expect(recovery).toHaveLength(1);
    const [row] = recovery;
    expect(row!.failure).toBe('fail-node general-4 (crash)');
    expect(row!.detect_s).toBeGreaterThanOrEqual(40);
    expect(row!.detect_s).toBeLessThanOrEqual(55);
    // Queued at the next monitor pass (5 s), tainted on the next 100 ms tainting loop, then
    // DefaultTolerationSeconds 300.
    expect(row!.evict_s! - row!.detect_s!).toBeCloseTo(305.013, 3);
    expect(row!.replace_s! - row!.evict_s!).toBeLessThan(0.1);
    // Replacements Ready after their 5 s startup.
    expect(row!.recover_s! - row!.replace_s!).toBeCloseTo(5, 3);
    expect(outcomes).toEqual({ Evicted: 2, Running: 24 });
    // 22 of 24 endpoints served throughout: the Service never went dark.
    expect(services).toEqual([
      expect.objectContaining({ service: 'default/web', available: 1, unavailable_s: 0 }),
    ]);
    expect(services[0]!.meanReadyFraction).toBeLessThan(1);
  });

  it('zone-outage: zone-b is tainted one node per 10 s, 30 pods evicted and replaced in the other zones', () => {
    const { r, recovery, services, outcomes } = runExample('zone-outage');
    const [row] = recovery;
    expect(row!.nodes).toBe(20);
    // 20 nodes at 0.1 nodes/s: 190 s between the first and last taint (and eviction).
    expect(row!.evict_last_s! - row!.evict_s!).toBeCloseTo(190, 3);
    expect(outcomes).toEqual({ Evicted: 30, Running: 90 });
    const evicted = r.metrics.pods.filter((p) => p.outcome === 'Evicted');
    const zoneOf = (node: string) =>
      r.scenario.nodes.find((n) => n.metadata.name === node)!.metadata.labels[
        'topology.kubernetes.io/zone'
      ];
    expect(new Set(evicted.map((p) => zoneOf(p.spec.nodeName!)))).toEqual(new Set(['zone-b']));
    expect(row!.recover_s).not.toBeNull();
    expect(services[0]!.available).toBe(1);
  });

  it('chaos: a week of random failures runs in seconds, each failure detected within 40–55 s', () => {
    const started = process.hrtime.bigint();
    const { recovery, services } = runExample('chaos');
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    expect(wallS).toBeLessThan(20);
    expect(recovery.length).toBeGreaterThan(50);
    for (const row of recovery) {
      expect(row.detect_s === null || (row.detect_s >= 40 && row.detect_s <= 55)).toBe(true);
    }
    // Crashes outlast the 300 s toleration and are evicted; short partitions mostly are not.
    const crashes = recovery.filter((row) => row.failure.startsWith('node-crash'));
    expect(crashes.filter((row) => row.evict_s !== null).length).toBeGreaterThan(
      crashes.length / 2,
    );
    expect(services[0]!.available).toBe(1);
    expect(services[0]!.meanReadyFraction).toBeGreaterThan(0.99);
  });
});
