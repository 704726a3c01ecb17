import { describe, expect, it } from '@jest/globals';
import { LeaderGate } from '../components/context.js';
import { Engine } from '../engine/engine.js';
import { RngStreams } from '../engine/rng.js';
import { EventLog, type ClusterEvent } from '../model/events.js';
import { CLIENT_GO_JITTER_FACTOR, LeaderElection, type LeaseBackend } from './leader-election.js';

const LD = 15_000;
const RD = 10_000;
const RP = 2_000;
/** The longest acquire poll period: RP · (1 + 1.2). */
const MAX_POLL = RP * (1 + CLIENT_GO_JITTER_FACTOR);

class FakeApiserver implements LeaseBackend {
  writable = true;
  private readonly listeners: Array<(w: boolean) => void> = [];
  onWritableChange(l: (w: boolean) => void): void {
    this.listeners.push(l);
  }
  set(w: boolean): void {
    if (w === this.writable) return;
    this.writable = w;
    for (const l of this.listeners) l(w);
  }
}

function setup(replicas: number, seed = 1) {
  const engine = new Engine();
  const gate = new LeaderGate();
  const api = new FakeApiserver();
  const log: ClusterEvent[] = [];
  const events = new EventLog(() => engine.now);
  events.onEvent((e) => log.push(e));
  const le = new LeaderElection(
    engine,
    new RngStreams(seed).stream('leader-election/kube-scheduler'),
    {
      leaseDurationMs: LD,
      renewDeadlineMs: RD,
      retryPeriodMs: RP,
      jitterFactor: CLIENT_GO_JITTER_FACTOR,
      restartDelayMs: 0,
    },
    'kube-scheduler',
    replicas,
    gate,
    api,
    events,
  );
  const changes: Array<[number, boolean]> = [];
  gate.onChange((a) => changes.push([engine.now, a]));
  const at = (t: number, fn: () => void) => engine.scheduleAt(t, fn);
  return { engine, gate, api, log, le, changes, at };
}

/** When the gate next turned active after `from`. */
function activeAgainAt(changes: Array<[number, boolean]>, from: number): number | undefined {
  return changes.find(([t, a]) => a && t >= from)?.[0];
}

describe('leader election: nothing fails', () => {
  it('a healthy leader costs no events at all', () => {
    const { engine, gate, le } = setup(3);
    engine.run({ until: 3_600_000 });
    expect(engine.eventsProcessed).toBe(0);
    expect(gate.active).toBe(true);
    expect(le.leader).toBe(0);
  });

  it('killing a standby changes nothing', () => {
    const { engine, gate, at, log, le } = setup(2);
    at(60_000, () => le.kill(1));
    engine.run({ until: 600_000 });
    expect(gate.active).toBe(true);
    expect(le.leader).toBe(0);
    expect(le.isUp(1)).toBe(false);
    expect(log).toEqual([]);
    expect(engine.eventsProcessed).toBe(1);
  });
});

describe('leader election: the leader replica is killed', () => {
  it('with 2 replicas the standby takes over about one lease duration later', () => {
    const { engine, le, changes, log, at } = setup(2);
    at(60_000, () => le.kill(0));
    engine.run({ until: 200_000 });
    const back = activeAgainAt(changes, 60_000)!;
    expect(changes[0]).toEqual([60_000, false]);
    expect(le.leader).toBe(1);
    // Last renewal at 58 s; the standby observes it at its next poll (≤ 4.4 s later), then
    // waits leaseDuration and acquires at its first poll after that (≤ 4.4 s more).
    expect(back - 58_000).toBeGreaterThanOrEqual(LD);
    expect(back - 58_000).toBeLessThanOrEqual(LD + 2 * MAX_POLL);
    expect(log).toEqual([
      {
        time: back,
        kind: 'Lease',
        object: 'kube-system/kube-scheduler',
        reason: 'LeaderElection',
        message: 'kube-scheduler-1 became leader',
      },
    ]);
  });

  it('over 300 seeds the failover takes 13–24 s, median about 17 s', () => {
    const gaps = Array.from({ length: 300 }, (_, i) => {
      const { engine, le, changes, at } = setup(2, i + 1);
      at(61_234, () => le.kill(0));
      engine.run({ until: 200_000 });
      return activeAgainAt(changes, 61_234)! - 61_234;
    }).sort((a, b) => a - b);
    const median = gaps[150]!;
    expect(gaps[0]).toBeGreaterThanOrEqual(LD - RP);
    expect(gaps[gaps.length - 1]).toBeLessThanOrEqual(LD + 2 * MAX_POLL);
    expect(median).toBeGreaterThanOrEqual(16_000);
    expect(median).toBeLessThanOrEqual(18_500);
  });

  it('with 1 replica nothing leads until it restarts, then it waits a full lease duration', () => {
    const { engine, le, changes, at, gate } = setup(1);
    at(60_000, () => le.kill(0));
    at(300_000, () => le.start(0));
    engine.run({ until: 299_999 });
    expect(gate.active).toBe(false);
    engine.run({ until: 400_000 });
    const back = activeAgainAt(changes, 60_000)!;
    // The new process observes the old holder's record at once and must see it unchanged for LD.
    expect(back - 300_000).toBeGreaterThanOrEqual(LD);
    expect(back - 300_000).toBeLessThanOrEqual(LD + MAX_POLL);
    expect(le.leader).toBe(0);
  });

  it('three replicas: exactly one standby wins, the other stays standby', () => {
    const { engine, le, log, at } = setup(3, 9);
    at(10_000, () => le.kill(0));
    engine.run({ until: 100_000 });
    expect([1, 2]).toContain(le.leader);
    expect(log.filter((e) => e.message.endsWith('became leader'))).toHaveLength(1);
  });
});

describe('leader election: the apiserver refuses lease writes', () => {
  // Renewals at every 2 s from 0; writes stop at 30.001 s, so the last renewal is at 30 s,
  // the renewal poll starts at 32 s and gives up at 32 + 10 = 42 s.
  it.each([
    ['resumes at 39.999 s: the attempt at 40 s renews, leadership kept', 39_999, false],
    ['resumes at 40.001 s: no attempt before the 42 s deadline, leadership lost', 40_001, true],
    ['resumes at 41 s: the next attempt would be at 42 s, too late', 41_000, true],
  ])('%s', (_name, resumeAt, lost) => {
    const { engine, le, api, log, at, gate } = setup(2);
    at(30_001, () => api.set(false));
    at(resumeAt, () => api.set(true));
    engine.run({ until: 41_999 });
    expect(gate.active).toBe(true);
    engine.run({ until: 42_000 });
    expect(gate.active).toBe(!lost);
    expect(log.some((e) => e.message === 'kube-scheduler-0 stopped leading')).toBe(lost);
    if (lost) expect(log[0]!.time).toBe(42_000);
    engine.run({ until: 120_000 });
    expect(gate.active).toBe(true);
    if (!lost) expect(le.leader).toBe(0);
  });

  it('a long outage: the leader exits after renewDeadline, the standby takes the lease at its first poll after writes resume', () => {
    const { engine, le, api, changes, at } = setup(2);
    at(30_001, () => api.set(false));
    at(90_000, () => api.set(true));
    engine.run({ until: 200_000 });
    expect(changes[0]).toEqual([42_000, false]);
    const back = activeAgainAt(changes, 42_000)!;
    expect(back - 90_000).toBeGreaterThanOrEqual(0);
    expect(back - 90_000).toBeLessThanOrEqual(MAX_POLL);
    // The restarted replica 0 is a new identity: it would have had to wait a lease duration.
    expect(le.leader).toBe(1);
  });

  it('a long outage with 1 replica: the restarted process waits a lease duration after writes resume', () => {
    const { engine, api, changes, at } = setup(1);
    at(30_001, () => api.set(false));
    at(90_000, () => api.set(true));
    engine.run({ until: 200_000 });
    const back = activeAgainAt(changes, 42_000)!;
    expect(back - 90_000).toBeGreaterThanOrEqual(LD);
    expect(back - 90_000).toBeLessThanOrEqual(LD + 2 * MAX_POLL);
  });

  it('writes flapping during a vacancy only delay the acquisition', () => {
    const { engine, le, api, changes, at } = setup(2, 3);
    at(10_000, () => le.kill(0));
    at(20_000, () => api.set(false));
    at(40_000, () => api.set(true));
    engine.run({ until: 100_000 });
    const back = activeAgainAt(changes, 10_000)!;
    expect(back).toBeGreaterThanOrEqual(40_000);
    expect(back).toBeLessThanOrEqual(40_000 + MAX_POLL);
    expect(le.leader).toBe(1);
  });
});
