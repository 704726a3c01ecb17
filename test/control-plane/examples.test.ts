/** The control-plane example scenarios run and show what their comments promise. */
import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation, type RunResult } from '../../src/simulation.js';

const runExample = (name: string): RunResult =>
  runSimulation(loadScenario(`scenarios/${name}.yaml`));

const times = (r: RunResult, which: 'created' | 'scheduled') =>
  r.metrics.pods.map((p) => p.times[which]).filter((t): t is number => t !== undefined);
const within = (ts: number[], from: number, to: number) => ts.filter((t) => t >= from && t < to);
const leaseEvents = (r: RunResult, lease: string) =>
  r.metrics.events.filter((e) => e.reason === 'LeaderElection' && e.object === lease);

describe('example scenarios', () => {
  it('etcd-quorum-loss: no pod created or bound from the loss until a member returns, then the backlog is scheduled', () => {
    const r = runExample('etcd-quorum-loss');
    const elected = r.metrics.events.find((e) => e.reason === 'LeaderElected')!.time;
    expect(elected - 600_000).toBeGreaterThanOrEqual(200);
    expect(elected - 600_000).toBeLessThanOrEqual(1300);
    expect(within(times(r, 'created'), 480_000, elected)).toEqual([]);
    expect(within(times(r, 'scheduled'), 480_000, elected)).toEqual([]);
    expect(r.metrics.pods.every((p) => p.times.scheduled !== undefined)).toBe(true);
    expect(leaseEvents(r, 'kube-system/kube-scheduler').map((e) => e.message)).toEqual([
      'kube-scheduler-0 stopped leading',
      'kube-scheduler-1 became leader',
    ]);
  });

  it('scheduler-failover: each leader kill stops scheduling for about a lease duration', () => {
    const r = runExample('scheduler-failover');
    const became = leaseEvents(r, 'kube-system/kube-scheduler');
    expect(became.map((e) => e.message)).toEqual([
      'kube-scheduler-1 became leader',
      'kube-scheduler-0 became leader',
    ]);
    for (const [kill, e] of [
      [300_000, became[0]!],
      [720_000, became[1]!],
    ] as const) {
      expect(e.time - kill).toBeGreaterThanOrEqual(13_000);
      expect(e.time - kill).toBeLessThanOrEqual(22_000);
      expect(within(times(r, 'scheduled'), kill, e.time)).toEqual([]);
    }
    expect(r.metrics.pods.every((p) => p.times.scheduled !== undefined)).toBe(true);
  });

  it('control-plane-outage: running pods keep running, nothing is created or bound, the backlog drains', () => {
    const r = runExample('control-plane-outage');
    const writable = r.metrics.events.find((e) => e.reason === 'LeaderElected')!.time;
    expect(within(times(r, 'created'), 360_000, writable)).toEqual([]);
    expect(within(times(r, 'scheduled'), 360_000, writable)).toEqual([]);
    const running = r.metrics.pods.filter(
      (p) => p.times.started !== undefined && p.times.started < 360_000,
    );
    // Pods that were running only end by finishing their own work, never by the outage.
    expect(running.every((p) => p.outcome === 'Running' || p.outcome === 'Succeeded')).toBe(true);
    expect(running.filter((p) => p.outcome === 'Running').length).toBeGreaterThan(0);
    expect(r.metrics.pods.every((p) => p.times.scheduled !== undefined)).toBe(true);
    const rows = r.metrics.extra.controlPlaneFailures as Array<Record<string, number>>;
    expect(rows[0]!.restoredAfterSeconds).toBeGreaterThan(180 + 15);
  });
  it('chaos: a week of control-plane failures too — etcd members and the scheduler leader, each failure restored within seconds', () => {
    const r = runExample('chaos');
    const rows = r.metrics.extra.controlPlaneFailures as Array<Record<string, number | string>>;
    const kinds = new Set(rows.map((x) => x.action));
    expect(kinds).toEqual(new Set(['etcd-member-down', 'scheduler-down']));
    for (const row of rows) {
      // A follower costs nothing; a leader costs one election (≤ 2 ET with pre-vote); a
      // scheduler leader costs a standby's takeover (13.8–21.5 s).
      if (row.action === 'etcd-member-down')
        expect(row.restoredAfterSeconds).toBeLessThanOrEqual(2);
      else expect(row.restoredAfterSeconds).toBeLessThanOrEqual(21.5);
      expect(row.recoveredAtSeconds).not.toBeNull();
    }
    expect(rows.filter((x) => x.action === 'scheduler-down').length).toBeGreaterThan(0);
    expect(
      rows.some((x) => x.action === 'etcd-member-down' && Number(x.restoredAfterSeconds) > 0),
    ).toBe(true);
    // Writes are lost only during the elections: seconds in a week.
    const leaderLosses = rows.filter(
      (x) => x.action === 'etcd-member-down' && Number(x.restoredAfterSeconds) > 0,
    ).length;
    const cp = r.metrics.extra.controlPlane as Record<string, number>;
    expect(cp.writesUnavailableSeconds).toBeGreaterThan(0);
    expect(cp.writesUnavailableSeconds).toBeLessThanOrEqual(2 * leaderLosses);
  });
});
