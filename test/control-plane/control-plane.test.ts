/**
 * Control-plane failures end to end: etcd members, apiservers, scheduler replicas and the
 * whole control plane failing on the timeline of a small cluster with pods arriving every
 * second, checked against the pods' own creation and binding times.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/loader.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { runSimulation, type RunResult } from '../../src/simulation.js';
import type { SimContext } from '../../src/components/context.js';

const dir = mkdtempSync(join(tmpdir(), 'ksim-control-plane-'));
let n = 0;

interface Opts {
  etcd?: number;
  /** etcd --pre-vote (default: the scenario default, on). */
  preVote?: boolean;
  apiServers?: number;
  schedulers?: number;
  controllerManagers?: number;
  timeline: string[];
  duration?: string;
  seed?: number;
  /** Pod run time (default: forever). */
  podDuration?: string;
}

function scenario(o: Opts): string {
  const file = join(dir, `s${n++}.yaml`);
  writeFileSync(
    file,
    `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: cp}
spec:
  seed: ${o.seed ?? 1}
  duration: ${o.duration ?? '10m'}
  metrics: {sampleInterval: 10s}
  controlPlane:
    apiServers: ${o.apiServers ?? 1}
    etcd: {members: ${o.etcd ?? 3}${o.preVote === undefined ? '' : `, preVote: ${o.preVote}`}}
    scheduler: {replicas: ${o.schedulers ?? 1}}
    controllerManager: {replicas: ${o.controllerManagers ?? 1}}
  nodePools:
    - name: general
      count: 4
      template:
        status: {allocatable: {cpu: "16", memory: 64Gi, pods: "500"}}
  workloads:
    - name: web
      arrivals: {constant: {rate: 1/s}}
      template:
        kind: Pod
        metadata:
          annotations: ${o.podDuration ? `{ksim.dev/duration: ${o.podDuration}}` : '{}'}
        spec:
          restartPolicy: Never
          containers:
            - name: c
              image: nginx
              resources: {requests: {cpu: 10m, memory: 16Mi}}
  timeline:
${o.timeline.map((t) => `    - ${t}`).join('\n')}
`,
  );
  return file;
}

function run(o: Opts, onStart?: (ctx: SimContext) => void): RunResult {
  return runSimulation(loadScenario(scenario(o)), { onStart });
}

const created = (r: RunResult) =>
  r.metrics.pods.map((p) => p.times.created).filter((t): t is number => t !== undefined);
const bound = (r: RunResult) =>
  r.metrics.pods.map((p) => p.times.scheduled).filter((t): t is number => t !== undefined);
const within = (ts: number[], from: number, to: number) => ts.filter((t) => t >= from && t < to);
const firstAfter = (ts: number[], from: number) => Math.min(...ts.filter((t) => t >= from));
const eventTime = (r: RunResult, reason: string, after = 0, object?: string) =>
  r.metrics.events.find(
    (e) => e.reason === reason && e.time >= after && (object === undefined || e.object === object),
  )?.time;
const SCHEDULER_LEASE = 'kube-system/kube-scheduler';
/** A scheduling cycle costs virtual microseconds: the first binding lands within a few ms. */
const CYCLE_SLACK = 5;
const cp = (r: RunResult) => r.metrics.extra.controlPlane as Record<string, number>;
const refused = (r: RunResult) => r.metrics.extra.apiserverWritesRefused as Record<string, number>;

describe('etcd failures seen from the cluster', () => {
  it('3 members, one follower down: not a single write refused, pods keep being bound', () => {
    const r = run({ timeline: ['{at: 2m, action: etcd-member-down, target: {member: 2}}'] });
    expect(refused(r)).toEqual({});
    expect(within(bound(r), 120_000, 180_000)).toHaveLength(60);
    expect(r.metrics.events.filter((e) => e.kind === 'Etcd')).toEqual([]);
  });

  // Seed 23 draws a split vote without pre-vote (term 3, 2,333 ms).
  it.each(
    [1, 2, 3, 4, 5, 6, 7, 8, 23].flatMap((seed) => [[seed, true] as const, [seed, false] as const]),
  )(
    '3 members, leader down (seed %i, pre-vote %s): no write until the new leader, ≤ 2 ET for a single-round election, ≤ 3 ET for two',
    (seed, preVote) => {
      const r = run({
        seed,
        preVote,
        timeline: ['{at: 2m, action: etcd-member-down, target: {leader: true}}'],
      });
      const event = r.metrics.events.find((e) => e.reason === 'LeaderElected')!;
      const gap = event.time - 120_000;
      const term = Number(/at term (\d+)/.exec(event.message)![1]);
      expect(gap).toBeGreaterThanOrEqual(900);
      if (term === 2) expect(gap).toBeLessThanOrEqual(2000);
      else {
        // A split vote (only without pre-vote): one more round of [ET, 2 ET).
        expect(preVote).toBe(false);
        expect(term).toBe(3);
        expect(gap).toBeGreaterThanOrEqual(1900);
        expect(gap).toBeLessThanOrEqual(3000);
      }
      expect(cp(r).writesUnavailableSeconds).toBe(gap / 1000);
      expect(within(created(r), 120_000, event.time)).toEqual([]);
      expect(within(bound(r), 120_000, event.time)).toEqual([]);
      // The pod arriving at 2m (just after the death) is sent towards the dead leader: the
      // client learns of the failure at etcd's request timeout (+7 s) and retries 1 s later.
      expect(r.metrics.pods.find((p) => p.metadata.name === 'web-120')!.times.created).toBe(
        128_000,
      );
      // A leader loss of a few seconds is shorter than renewDeadline: no leader election.
      expect(r.metrics.events.filter((e) => e.reason === 'LeaderElection')).toEqual([]);
    },
  );

  it('a binding issued just after the etcd leader dies hangs until the request timeout: bound 7 s later than if refused at once', () => {
    // The pod arriving at 119 s is scheduled in a 258 µs cycle: its binding goes out at
    // 119 001 ms, the instant the leader dies (the timeline runs first in that ms).
    const o: Opts = {
      timeline: ['{at: 119001ms, action: etcd-member-down, target: {leader: true}}'],
    };
    const hung = run(o);
    const pod = (r: RunResult) => r.metrics.pods.find((p) => p.metadata.name === 'web-119')!;
    const elected = eventTime(hung, 'LeaderElected')!;
    expect(elected).toBeLessThanOrEqual(121_001); // pre-vote: within 2 ET
    expect(pod(hung).times.created).toBe(119_000);
    // Lost towards the dead leader: fails at 119 001 + 7 000 = 126 001; the pod backs off 1 s,
    // to the next whole second after 127 001 (SchedulerPopFromBackoffQ): 128 000; bound at
    // the end of that 258 µs cycle, 128 001.
    expect(pod(hung).times.scheduled).toBe(128_001);
    expect(
      hung.metrics.events
        .filter((e) => e.object === 'default/web-119')
        .map((e) => [e.time, e.reason]),
    ).toEqual([
      [126_001, 'FailedScheduling'],
      [128_001, 'Scheduled'],
    ]);
    // The same run with writes refused at once (a backend without write modes): refused at
    // 119 001, back off to 121 000, bound at 121 001 — the new leader is there by then.
    const immediate = run(o, (ctx) => {
      const inner = ctx.api.inner;
      ctx.api.inner = { tryWrite: (kind, actor) => inner.tryWrite(kind, actor) };
    });
    expect(eventTime(immediate, 'LeaderElected')).toBe(elected);
    expect(pod(immediate).times.scheduled).toBe(121_001);
    expect(pod(hung).times.scheduled! - pod(immediate).times.scheduled!).toBe(7000);
  });

  it.each([
    [1, 'the restarted single scheduler must wait a lease duration', 15_000, 15_000 + 2 * 4400],
    [2, 'the standby scheduler takes the lease at its first poll', 0, 4400],
  ])(
    '3 members, 2 down for 2 minutes, %i scheduler replica(s): nothing created or bound until a member returns; %s',
    (schedulers, _what, minDelay, maxDelay) => {
      const r = run({
        schedulers,
        timeline: ['{at: 2m, action: etcd-member-down, target: {count: 2}, recoverAfter: 2m}'],
      });
      const writable = eventTime(r, 'LeaderElected')!;
      // The returning member restores quorum; a leader 0.2–1.3 ET later.
      expect(writable - 240_000).toBeGreaterThanOrEqual(200);
      expect(writable - 240_000).toBeLessThanOrEqual(1300);
      expect(within(created(r), 120_000, writable)).toEqual([]);
      expect(within(bound(r), 120_000, writable)).toEqual([]);
      expect(refused(r)['pod-create']).toBeGreaterThan(0);
      // The scheduler leader gave up renewDeadline after its poll began (last renewal ≤ 2 m).
      const lost = eventTime(r, 'LeaderElection', 120_000, SCHEDULER_LEASE)!;
      expect(lost).toBe(130_000);
      const resumed = firstAfter(bound(r), writable);
      expect(resumed - writable).toBeGreaterThanOrEqual(minDelay);
      expect(resumed - writable).toBeLessThanOrEqual(maxDelay + 1000);
      // The backlog: every pod that arrived is eventually created and bound.
      const pods = r.metrics.pods;
      expect(pods.length).toBeGreaterThanOrEqual(599);
      expect(pods.every((p) => p.times.scheduled !== undefined)).toBe(true);
    },
  );

  it('5 members, 2 down: harmless — no refused write, no gap in bindings', () => {
    const r = run({
      etcd: 5,
      timeline: ['{at: 2m, action: etcd-member-down, target: {count: 2}, recoverAfter: 5m}'],
    });
    expect(refused(r)).toEqual({});
    expect(cp(r).etcdNoLeaderSeconds).toBe(0);
    for (let t = 120_000; t < 420_000; t += 10_000)
      expect(within(bound(r), t, t + 10_000).length).toBe(10);
  });
});

describe('scheduler leader election seen from the cluster', () => {
  it('2 replicas, leader killed: no scheduling for about one lease duration, then the standby schedules the queue', () => {
    const r = run({
      schedulers: 2,
      timeline: ['{at: 2m, action: scheduler-down, target: {leader: true}}'],
    });
    const became = eventTime(r, 'LeaderElection', 0, SCHEDULER_LEASE)!;
    expect(r.metrics.events.find((e) => e.reason === 'LeaderElection')!.message).toBe(
      'kube-scheduler-1 became leader',
    );
    expect(became - 120_000).toBeGreaterThanOrEqual(13_000);
    expect(became - 120_000).toBeLessThanOrEqual(24_000);
    expect(within(bound(r), 120_000, became)).toEqual([]);
    // Pods created meanwhile were queued and are bound as soon as the standby leads.
    expect(firstAfter(bound(r), 120_000) - became).toBeLessThanOrEqual(CYCLE_SLACK);
    expect(cp(r).schedulerNoLeaderSeconds).toBe((became - 120_000) / 1000);
    expect(refused(r)).toEqual({});
  });

  it('1 replica killed for 3 minutes: none scheduled until it is back and has waited a lease duration', () => {
    const r = run({
      timeline: ['{at: 2m, action: scheduler-down, target: {leader: true}, recoverAfter: 3m}'],
    });
    const became = eventTime(r, 'LeaderElection', 0, SCHEDULER_LEASE)!;
    expect(became - 300_000).toBeGreaterThanOrEqual(15_000);
    expect(became - 300_000).toBeLessThanOrEqual(15_000 + 4400);
    expect(within(bound(r), 120_000, became)).toEqual([]);
    expect(within(created(r), 120_000, became)).toHaveLength(Math.ceil((became - 120_000) / 1000));
    expect(eventTime(r, 'scheduler-up')).toBe(300_000);
    // Throughput lost: the 10 min before the failure reach back to the start (120 s), whose
    // bindings give the rate (those of pods created at time 0 aside: the pod arriving at 0);
    // none were made until the new leader came.
    const before = r.metrics.pods.filter(
      (p) => p.times.created > 0 && p.times.scheduled! < 120_000,
    ).length;
    const lost = Math.round(((before * (became - 120_000)) / 120_000) * 1000) / 1000;
    expect(before).toBe(119);
    const rows = r.metrics.extra.controlPlaneFailures as Array<Record<string, unknown>>;
    expect(rows).toEqual([
      {
        action: 'scheduler-down',
        target: 'kube-scheduler-0',
        atSeconds: 120,
        recoveredAtSeconds: 300,
        restoredAfterSeconds: (became - 120_000) / 1000,
        writesUnavailableSeconds: 0,
        etcdNoLeaderSeconds: 0,
        schedulerNoLeaderSeconds: (became - 120_000) / 1000,
        controllerManagerNoLeaderSeconds: 0,
        writesRefused: 0,
        bindingsRefused: 0,
        podCreationsRefused: 0,
        bindingsLost: lost,
      },
    ]);
    expect(r.metrics.summaryMetrics().schedulingThroughputLost).toEqual({
      windowSeconds: 600,
      failures: 1,
      bindingsLost: lost,
    });
  });
});

describe('apiservers and the whole control plane', () => {
  it('2 of 3 apiservers down changes nothing; all 3 down refuses every write', () => {
    const some = run({
      apiServers: 3,
      timeline: ['{at: 2m, action: apiserver-down, target: {count: 2}, recoverAfter: 1m}'],
    });
    expect(refused(some)).toEqual({});
    const all = run({
      apiServers: 3,
      timeline: ['{at: 2m, action: apiserver-down, target: {count: 3}, recoverAfter: 5s}'],
    });
    expect(within(created(all), 120_000, 125_000)).toEqual([]);
    expect(cp(all).writesUnavailableSeconds).toBe(5);
    // Shorter than renewDeadline: the leaders keep their leases.
    expect(cp(all).schedulerNoLeaderSeconds).toBe(0);
  });

  it('whole control plane down: running pods keep running, nothing created or scheduled, the backlog drains after', () => {
    const r = run({
      schedulers: 2,
      controllerManagers: 2,
      apiServers: 3,
      timeline: ['{at: 2m, action: control-plane-down, recoverAfter: 3m}'],
    });
    const runningBefore = r.metrics.pods.filter(
      (p) => p.times.started !== undefined && p.times.started < 120_000,
    );
    expect(runningBefore.length).toBeGreaterThan(100);
    expect(
      runningBefore.every((p) => p.outcome === 'Running' && p.times.finished === undefined),
    ).toBe(true);
    const writable = eventTime(r, 'LeaderElected', 300_000)!;
    expect(within(created(r), 120_000, writable)).toEqual([]);
    expect(within(bound(r), 120_000, writable)).toEqual([]);
    // Both scheduler processes were restarted: a lease duration after they could read again.
    const became = eventTime(r, 'LeaderElection', 300_000, SCHEDULER_LEASE)!;
    expect(became - writable).toBeGreaterThanOrEqual(15_000);
    expect(firstAfter(bound(r), writable) - became).toBeLessThanOrEqual(CYCLE_SLACK);
    expect(r.metrics.pods.every((p) => p.times.scheduled !== undefined)).toBe(true);
    expect(eventTime(r, 'control-plane-up')).toBe(300_000);
  });

  it('a member index beyond the control plane is a scenario error with its location', () => {
    const file = scenario({
      timeline: ['{at: 2m, action: etcd-member-down, target: {member: 3}}'],
    });
    expect(() => runSimulation(loadScenario(file))).toThrow(ScenarioError);
    try {
      runSimulation(loadScenario(file));
    } catch (e) {
      expect((e as ScenarioError).issues.map((i) => `${i.line}:${i.path}: ${i.message}`)).toEqual([
        '32:spec.timeline[0].target.member: no etcd-member 3: there are 3 (0..2)',
      ]);
    }
  });
});
