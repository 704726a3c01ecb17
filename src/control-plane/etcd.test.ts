import { describe, expect, it } from '@jest/globals';
import { Engine } from '../engine/engine.js';
import { RngStreams } from '../engine/rng.js';
import { ApiGate } from '../components/context.js';
import { ApiServers } from './apiserver.js';
import { ETCD_CALIBRATION, EtcdCluster, etcdRequestTimeoutMs } from './etcd.js';

/** The calibration cluster was etcd 3.4, pre-vote off unless a row says otherwise. */
function cluster(members: number, seed: number, electionTimeoutMs = 1000, preVote = false) {
  const engine = new Engine();
  const etcd = new EtcdCluster(engine, new RngStreams(seed).stream('etcd'), {
    members,
    electionTimeoutMs,
    heartbeatIntervalMs: 100,
    preVote,
    ...ETCD_CALIBRATION,
  });
  return { engine, etcd };
}

/** ms from `kill` (at t = 10 s) until etcd is writable again, probing every ms. */
function writeGap(
  members: number,
  seed: number,
  kill: (etcd: EtcdCluster) => void,
  et = 1000,
): number {
  const { engine, etcd } = cluster(members, seed, et);
  engine.scheduleAt(10_000, () => kill(etcd));
  engine.run({ until: 10_000 });
  let t = 10_000;
  while (!etcd.writable) {
    engine.run({ until: ++t });
    if (t > 60_000) throw new Error('no leader within 50 s');
  }
  return t - 10_000;
}

const quantiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
};

const seeds = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('etcd quorum', () => {
  it.each([
    [1, 1, 0],
    [2, 2, 0],
    [3, 2, 1],
    [4, 3, 1],
    [5, 3, 2],
    [6, 4, 2],
    [7, 4, 3],
  ])('%i members need a quorum of %i and tolerate %i failures', (members, quorum, tolerated) => {
    const { etcd } = cluster(members, 1);
    expect(etcd.quorum).toBe(quorum);
    for (let i = members - 1; i >= members - tolerated; i--) etcd.memberDown(i);
    expect(etcd.writable).toBe(true);
    etcd.memberDown(members - tolerated - 1);
    expect(etcd.hasQuorum).toBe(false);
    expect(etcd.writable).toBe(false);
  });

  it('a follower dying costs nothing: no election, writes never refused', () => {
    const { engine, etcd } = cluster(3, 7);
    const changes: string[] = [];
    etcd.onChange((c) => changes.push(c));
    etcd.memberDown(2);
    expect(etcd.writable).toBe(true);
    engine.run({ until: 60_000 });
    expect(changes).toEqual([]);
    expect(etcd.leader).toBe(0);
  });

  it('five members lose two followers and nothing is visible', () => {
    const { engine, etcd } = cluster(5, 3);
    etcd.memberDown(4);
    etcd.memberDown(3);
    engine.run({ until: 60_000 });
    expect(etcd.writable).toBe(true);
    expect(etcd.leader).toBe(0);
  });

  it('five members with three down accept no write until one returns', () => {
    const { engine, etcd } = cluster(5, 3);
    for (const m of [4, 3, 2]) etcd.memberDown(m);
    engine.run({ until: 600_000 });
    expect(etcd.writable).toBe(false);
    expect(etcd.leader).toBeUndefined();
    etcd.memberUp(2);
    engine.run({ until: 600_000 + 1300 });
    expect(etcd.writable).toBe(true);
  });
});

describe('etcd leader election, calibrated on etcd 3.4 (ET 1 s, heartbeat 100 ms)', () => {
  it('one seeded leader loss: writes refused for less than two election timeouts', () => {
    const gap = writeGap(3, 1, (e) => e.memberDown(0));
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThanOrEqual(2000);
  });

  it('the new leader is one of the survivors and the term moves on', () => {
    const { engine, etcd } = cluster(3, 5);
    etcd.memberDown(0);
    engine.run({ until: 5000 });
    expect([1, 2]).toContain(etcd.leader);
    expect(etcd.currentTerm).toBeGreaterThanOrEqual(2);
  });

  it('300 leader losses with 3 members reproduce the measured 915 / 1278 / 2819 ms', () => {
    const gaps = seeds(300).map((s) => writeGap(3, s, (e) => e.memberDown(e.leader!)));
    const q = quantiles(gaps);
    // Model: the earlier of two U[900, 2000) timeouts; an early campaign may need a second round.
    expect(q.min).toBeGreaterThanOrEqual(900);
    expect(q.min).toBeLessThanOrEqual(960);
    expect(q.median).toBeGreaterThanOrEqual(1180);
    expect(q.median).toBeLessThanOrEqual(1380);
    expect(q.max).toBeGreaterThanOrEqual(2400);
    expect(q.max).toBeLessThanOrEqual(3000);
    const secondRounds = gaps.filter((g) => g >= 1900);
    expect(secondRounds.length / gaps.length).toBeGreaterThanOrEqual(0.05);
    expect(secondRounds.length / gaps.length).toBeLessThanOrEqual(0.14);
  });

  it('second rounds land between 1.9 and 2.9 election timeouts, as measured', () => {
    const rounds: number[] = [];
    const durations: number[] = [];
    for (const s of seeds(1000)) {
      const { etcd } = cluster(3, s);
      etcd.memberDown(0);
      const out = etcd.drawLeaderLossElection();
      rounds.push(out.rounds);
      if (out.rounds === 2) durations.push(out.afterMs);
    }
    // 0.5 × P(earlier of two U[0.9, 2) < 1) = 0.5 × (1 − (1/1.1)²) ≈ 0.087.
    expect(rounds.filter((r) => r === 2).length / rounds.length).toBeCloseTo(0.087, 1);
    expect(Math.max(...rounds)).toBe(2);
    const q = quantiles(durations);
    expect(q.min).toBeGreaterThanOrEqual(1900);
    expect(q.max).toBeLessThanOrEqual(3000);
    expect(durations.filter((d) => d > 2900).length / durations.length).toBeLessThan(0.05);
  });

  it.each([
    // ET, measured min / median / max (ms)
    [500, 417, 579, 1292],
    [2000, 2030, 2391, 4802],
  ])('ET %i ms scales the same way (measured %i / %i / %i)', (et, min, median, max) => {
    const gaps = seeds(300).map((s) => writeGap(3, s, (e) => e.memberDown(0), et));
    const q = quantiles(gaps);
    expect(q.min).toBeGreaterThanOrEqual(et - 100);
    expect(q.min).toBeLessThanOrEqual(min * 1.05);
    expect(q.median / median).toBeGreaterThan(0.9);
    expect(q.median / median).toBeLessThan(1.12);
    expect(q.max / max).toBeGreaterThan(0.8);
    expect(q.max / max).toBeLessThan(1.3);
  });

  it('five members losing the leader and a follower: the measured 970 / 1208 / 1959 ms', () => {
    const gaps = seeds(300).map((s) =>
      writeGap(5, s, (e) => {
        e.memberDown(0);
        e.memberDown(4);
      }),
    );
    const q = quantiles(gaps);
    expect(q.min).toBeGreaterThanOrEqual(900);
    expect(q.median).toBeGreaterThanOrEqual(1080);
    expect(q.median).toBeLessThanOrEqual(1300);
    expect(q.max).toBeLessThanOrEqual(3000);
  });
});

describe('etcd pre-vote (etcd 3.5+ default, Kubernetes v1.35 ships etcd 3.6)', () => {
  const preVoteGap = (members: number, seed: number, kill: (etcd: EtcdCluster) => void) => {
    const { engine, etcd } = cluster(members, seed, 1000, true);
    engine.scheduleAt(10_000, () => kill(etcd));
    engine.run({ until: 10_000 });
    let t = 10_000;
    while (!etcd.writable) engine.run({ until: ++t });
    return { gap: t - 10_000, term: etcd.currentTerm };
  };

  it('300 leader losses with 3 members: the measured 927 / 1076 / 1708 ms, never a second round', () => {
    const runs = seeds(300).map((s) => preVoteGap(3, s, (e) => e.memberDown(e.leader!)));
    const q = quantiles(runs.map((r) => r.gap));
    expect(q.min).toBeGreaterThanOrEqual(900);
    expect(q.min).toBeLessThanOrEqual(960);
    // The ignored pre-candidate kept its term and dropped its leader: the next timeout wins.
    expect(q.max).toBeLessThanOrEqual(2000);
    expect(q.max / 1708).toBeGreaterThan(0.95);
    expect(runs.every((r) => r.term === 2)).toBe(true);
    // Model median ~1.25 s (the earlier of two U[0.9, 2) s timers), above the measured 1076 ms:
    // no code path in raft makes a single-round election faster with pre-vote (docs/failures.md).
    expect(q.median / 1076).toBeGreaterThan(1);
    expect(q.median / 1076).toBeLessThan(1.2);
  });

  it("a campaign ignored by a follower in lease: the election ends at that follower's own timeout", () => {
    /** When the survivors notice the loss and when the leader is elected, and the term. */
    const timeline = (seed: number, preVote: boolean) => {
      const { engine, etcd } = cluster(3, seed, 1000, preVote);
      const at: Partial<Record<string, number>> = {};
      etcd.onChange((c) => (at[c] = engine.now));
      etcd.memberDown(0);
      engine.run({ until: 5000 });
      return {
        noticed: at['leader-loss-noticed'],
        elected: at['leader-elected']!,
        term: etcd.currentTerm,
      };
    };
    let split = 0;
    for (const s of seeds(200)) {
      const off = timeline(s, false);
      if (off.term !== 3) continue;
      split++;
      // Same timers, same ignored first campaign; pre-vote wins at the other survivor's
      // timeout where the split vote needed a whole second round.
      const on = timeline(s, true);
      expect(on.term).toBe(2);
      expect(on.noticed).toBe(off.noticed);
      expect(on.noticed!).toBeLessThanOrEqual(1000);
      expect(on.elected).toBeGreaterThan(on.noticed!);
      expect(on.elected).toBeLessThan(2000);
      expect(on.elected).toBeLessThan(off.elected);
    }
    expect(split).toBeGreaterThan(5);
  });

  it('five members losing the leader and a follower: the measured 970 / 1208 / 1959 ms, all within 2 ET', () => {
    const kill = (e: EtcdCluster) => {
      e.memberDown(0);
      e.memberDown(4);
    };
    const q = quantiles(seeds(300).map((s) => preVoteGap(5, s, kill).gap));
    expect(q.min).toBeGreaterThanOrEqual(900);
    expect(q.median).toBeGreaterThanOrEqual(1080);
    expect(q.median).toBeLessThanOrEqual(1300);
    expect(q.max).toBeLessThanOrEqual(2000);
  });
});

describe('how long a leader loss costs, for any seed (issue 6: "at most 2 × ET")', () => {
  it.each([
    [false, 'single-round elections ≤ 2 ET, second rounds ≤ 3 ET and 5–14 % of them'],
    [true, 'every election ≤ 2 ET: pre-vote never needs a second round'],
  ])('pre-vote %s over 2,000 seeds: %s', (preVote) => {
    let second = 0;
    for (const s of seeds(2000)) {
      const { etcd } = cluster(3, s, 1000, preVote);
      etcd.memberDown(0);
      const out = etcd.drawLeaderLossElection();
      if (out.rounds === 1) expect(out.afterMs).toBeLessThanOrEqual(2000);
      else {
        second++;
        expect(out.afterMs).toBeGreaterThanOrEqual(1900);
        expect(out.afterMs).toBeLessThanOrEqual(3000);
      }
    }
    if (preVote) expect(second).toBe(0);
    else {
      // "About 1 in 10 runs needs a second round" (calibration, n = 25).
      expect(second / 2000).toBeGreaterThanOrEqual(0.05);
      expect(second / 2000).toBeLessThanOrEqual(0.14);
    }
  });
});

describe('etcd quorum loss and return', () => {
  it('a surviving leader steps down 1.37–1.45 s after quorum is lost; no write commits meanwhile', () => {
    for (const s of seeds(50)) {
      const { engine, etcd } = cluster(3, s);
      let stepDown: number | undefined;
      etcd.onChange((c) => {
        if (c === 'leader-lost') stepDown = engine.now;
      });
      engine.run({ until: 1000 });
      etcd.memberDown(1);
      etcd.memberDown(2);
      expect(etcd.writable).toBe(false);
      expect(etcd.leader).toBe(0);
      engine.run({ until: 10_000 });
      expect(etcd.leader).toBeUndefined();
      expect(stepDown! - 1000).toBeGreaterThanOrEqual(1370);
      expect(stepDown! - 1000).toBeLessThanOrEqual(1450);
    }
  });

  it('a member returning before the step-down restores writes at once', () => {
    const { engine, etcd } = cluster(3, 4);
    etcd.memberDown(1);
    etcd.memberDown(2);
    engine.run({ until: 1000 });
    etcd.memberUp(2);
    expect(etcd.writable).toBe(true);
    expect(etcd.leader).toBe(0);
    engine.run({ until: 10_000 });
    expect(etcd.leader).toBe(0);
  });

  it('the first write after a member restores quorum comes 232 ms – 1.3 s later (median ~570–780)', () => {
    const gaps = seeds(300).map((s) => {
      const { engine, etcd } = cluster(3, s);
      etcd.memberDown(1);
      etcd.memberDown(2);
      engine.run({ until: 60_000 });
      etcd.memberUp(1);
      let t = 60_000;
      while (!etcd.writable) engine.run({ until: ++t });
      return t - 60_000;
    });
    const q = quantiles(gaps);
    expect(q.min).toBeGreaterThanOrEqual(200);
    expect(q.min).toBeLessThanOrEqual(240);
    expect(q.median).toBeGreaterThanOrEqual(569);
    expect(q.median).toBeLessThanOrEqual(800);
    expect(q.max).toBeLessThanOrEqual(1300);
    expect(q.max).toBeGreaterThanOrEqual(1250);
  });

  it('etcd request timeout is 5 s + 2 × ET (7,000 ms at ET 1 s)', () => {
    expect(etcdRequestTimeoutMs(1000)).toBe(7000);
  });
});

describe('apiserver gate', () => {
  it('writes need at least one apiserver up and an etcd leader with quorum', () => {
    const { engine, etcd } = cluster(3, 2);
    const api = new ApiServers(2, etcd);
    const flips: boolean[] = [];
    api.onWritableChange((w) => flips.push(w));
    expect(api.tryWrite('binding', 'scheduler')).toBe(true);
    api.down(0);
    expect(api.tryWrite('binding', 'scheduler')).toBe(true);
    api.down(1);
    expect(api.tryWrite('binding', 'scheduler')).toBe(false);
    api.restore(1);
    etcd.memberDown(0);
    expect(api.tryWrite('pod-create', 'client')).toBe(false);
    engine.run({ until: 5000 });
    expect(api.tryWrite('pod-create', 'client')).toBe(true);
    expect(flips).toEqual([false, true, false, true]);
  });

  it('probing writes every 10 ms after a leader loss, the first succeeds after the measured 953 / 1435 / 2856 ms', () => {
    const gaps = seeds(300).map((s) => {
      const { engine, etcd } = cluster(3, s);
      const api = new ApiServers(3, etcd);
      let first: number | undefined;
      const probe = (): void => {
        if (api.tryWrite('object', 'probe')) first = engine.now;
        else engine.schedule(10, probe);
      };
      engine.scheduleAt(5000, () => {
        etcd.memberDown(etcd.leader!);
        probe();
      });
      engine.run({ until: 20_000 });
      return first! - 5000;
    });
    const q = quantiles(gaps);
    expect(q.min).toBeGreaterThanOrEqual(900);
    expect(q.min).toBeLessThanOrEqual(1000);
    expect(q.median).toBeGreaterThanOrEqual(1200);
    expect(q.median).toBeLessThanOrEqual(1450);
    expect(q.max).toBeGreaterThanOrEqual(2400);
    expect(q.max).toBeLessThanOrEqual(3010);
  });
});

describe('writes caught in flight (ApiGate over the apiservers and etcd)', () => {
  function gate(seed: number, preVote = true) {
    const { engine, etcd } = cluster(3, seed, 1000, preVote);
    const servers = new ApiServers(2, etcd);
    const api = new ApiGate(engine);
    api.inner = servers;
    const changes: Array<[string, number]> = [];
    etcd.onChange((c) => changes.push([c, engine.now]));
    /** Sends a write at `at`; records when its caller hears the outcome. */
    const send = (at: number) => {
      const out: { ok?: boolean; at?: number } = {};
      engine.scheduleAt(at, () =>
        api.write('binding', 'scheduler', (ok) => {
          out.ok = ok;
          out.at = engine.now;
        }),
      );
      return out;
    };
    return { engine, etcd, servers, api, changes, send };
  }
  /** Both followers die at `at`: the leader keeps leading, without a quorum. */
  const loseQuorumAt = (g: ReturnType<typeof gate>, at: number) =>
    g.engine.scheduleAt(at, () => {
      g.etcd.memberDown(1);
      g.etcd.memberDown(2);
    });
  const when = (changes: Array<[string, number]>, c: string) =>
    changes.find((x) => x[0] === c)?.[1];

  it('a write sent just after the leader dies is lost: it fails 7 s later, although a leader is back in ~1 s', () => {
    const g = gate(1);
    g.engine.scheduleAt(10_000, () => g.etcd.memberDown(g.etcd.leader!));
    const w = g.send(10_000);
    g.engine.run({ until: 10_000 });
    expect(g.api.mode).toBe('losing');
    g.engine.run({ until: 20_000 });
    expect(when(g.changes, 'leader-elected')!).toBeLessThan(12_000);
    expect(w).toEqual({ ok: false, at: 17_000 });
    expect(g.api.refused.get('binding')).toBe(1);
  });

  it('a write held while quorum is lost commits the moment a returning member restores it', () => {
    const g = gate(4);
    loseQuorumAt(g, 20_000);
    g.engine.scheduleAt(23_000, () => g.etcd.memberUp(2));
    const w = g.send(20_000);
    g.engine.run({ until: 30_000 });
    const elected = when(g.changes, 'leader-elected')!;
    // Step-down 1.37–1.45 s after the loss, a leader 0.2–1.3 s after the member returns.
    expect(elected).toBeGreaterThanOrEqual(23_200);
    expect(elected).toBeLessThanOrEqual(24_300);
    expect(w).toEqual({ ok: true, at: elected });
    expect(g.api.refused.size).toBe(0);
  });

  it('a held write with no leader in time fails at the request timeout, counted then', () => {
    const g = gate(4);
    loseQuorumAt(g, 20_000);
    const w = g.send(20_000);
    g.engine.run({ until: 26_999 });
    expect(g.api.refused.size).toBe(0);
    g.engine.run({ until: 60_000 });
    expect(w).toEqual({ ok: false, at: 27_000 });
    expect(g.api.refused.get('binding')).toBe(1);
  });

  it('the apiservers going away fail a hanging write at once; with none up writes fail at once', () => {
    const g = gate(4);
    loseQuorumAt(g, 20_000);
    g.engine.scheduleAt(21_000, () => {
      g.servers.down(0);
      g.servers.down(1);
    });
    const held = g.send(20_000);
    const refused = g.send(22_000);
    g.engine.run({ until: 60_000 });
    expect(held).toEqual({ ok: false, at: 21_000 });
    expect(refused).toEqual({ ok: false, at: 22_000 });
  });

  it('outside `blocking` a hanging write is refused at once; inside, the caller gets the hang', () => {
    const g = gate(1);
    g.engine.scheduleAt(10_000, () => g.etcd.memberDown(g.etcd.leader!));
    let immediate: boolean | undefined;
    let blocked: { result: boolean; at?: number; ok?: boolean } | undefined;
    g.engine.scheduleAt(10_000, () => {
      immediate = g.api.tryWrite('object', 'kubelet');
      const { result, hang } = g.api.blocking(() => g.api.tryWrite('object', 'controller'));
      blocked = { result };
      hang!.then((ok) => Object.assign(blocked!, { ok, at: g.engine.now }));
    });
    g.engine.run({ until: 20_000 });
    expect(immediate).toBe(false);
    expect(blocked).toEqual({ result: false, ok: false, at: 17_000 });
    expect(g.api.refused.get('object')).toBe(2);
  });
});
