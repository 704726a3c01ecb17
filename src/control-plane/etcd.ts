/**
 * etcd as a raft group, at the grain Kubernetes feels: which members are up, whether a quorum
 * (⌊N/2⌋+1) is, and whether there is a leader — because a write commits only through a leader
 * that reaches a quorum. Elections are drawn, not simulated message by message, on the
 * calibration in reference/etcd-calibration.md (etcd 3.4, pre-vote off):
 *
 * - Leader dies: each surviving follower's election timer fires uniformly in
 *   [ET − heartbeat, 2·ET) after the death (raft draws [ET, 2·ET) from the last heartbeat,
 *   which came up to one heartbeat earlier); the first timeout campaigns. A campaign before
 *   ET may be ignored by followers still in lease, and then a second round follows
 *   (see drawLeaderLossElection). ET 1 s, 3 members: min ≈ 0.9 s, median ≈ 1.27 s,
 *   ~1 in 11 needs a second round (1.9–2.9 s).
 * - A follower dies: nothing happens while a quorum is left.
 * - Quorum lost: writes fail at once (upstream they hang until the request timeout,
 *   5 s + 2·ET, then fail); a surviving leader steps down after its CheckQuorum round,
 *   measured 1.37–1.45 s at ET 1 s.
 * - Quorum restored by a returning member: a leader after 0.2–1.3 ET (measured 232 ms –
 *   1.3 s after the process starts: process start-up plus the survivors' running timers).
 *
 * Cost follows events: nothing is scheduled while membership does not change.
 */
import type { Engine, Timer } from '../engine/engine.js';
import type { Rng } from '../engine/rng.js';

export interface EtcdConfig {
  members: number;
  electionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /**
   * Chance that a campaign started before ET is ignored by followers still in their leader
   * lease; calibrated to ~1 in 10 elections needing a second round with 3 members.
   */
  inLeaseRejectionProbability: number;
  /** Leader step-down after losing quorum, as multiples of ET. */
  stepDownEt: readonly [number, number];
  /** First leader after a returning member restores quorum, as multiples of ET. */
  quorumRestoredEt: readonly [number, number];
}

export const ETCD_CALIBRATION: Pick<
  EtcdConfig,
  'inLeaseRejectionProbability' | 'stepDownEt' | 'quorumRestoredEt'
> = {
  inLeaseRejectionProbability: 0.5,
  stepDownEt: [1.37, 1.45],
  quorumRestoredEt: [0.2, 1.3],
};

/** A write caught without a leader fails upstream after this long (etcdserver: request timed out). */
export function etcdRequestTimeoutMs(electionTimeoutMs: number): number {
  return 5000 + 2 * electionTimeoutMs;
}

/** One drawn election: when it ends, who wins, how many rounds it took. */
export interface ElectionOutcome {
  /** ms after the election started. */
  afterMs: number;
  winner: number;
  rounds: number;
}

export type EtcdChange = 'leader-elected' | 'leader-lost' | 'quorum-lost' | 'quorum-restored';

export class EtcdCluster {
  private readonly up: boolean[];
  private leaderIndex: number | undefined = 0;
  private term = 1;
  private election: { timer: Timer; winner: number } | undefined;
  private stepDown: Timer | undefined;
  private readonly listeners: Array<(change: EtcdChange, member: number | undefined) => void> = [];

  constructor(
    private readonly engine: Engine,
    private readonly rng: Rng,
    readonly config: EtcdConfig,
  ) {
    if (!(Number.isInteger(config.members) && config.members >= 1))
      throw new RangeError(`etcd needs at least one member, got ${config.members}`);
    this.up = new Array<boolean>(config.members).fill(true);
  }

  get quorum(): number {
    return Math.floor(this.config.members / 2) + 1;
  }

  get membersUp(): number {
    return this.up.filter(Boolean).length;
  }

  get hasQuorum(): boolean {
    return this.membersUp >= this.quorum;
  }

  get leader(): number | undefined {
    return this.leaderIndex;
  }

  get currentTerm(): number {
    return this.term;
  }

  /** A write commits iff a leader reaches a quorum. */
  get writable(): boolean {
    return this.leaderIndex !== undefined && this.hasQuorum;
  }

  isUp(member: number): boolean {
    return this.up[member] === true;
  }

  memberName(member: number): string {
    return `etcd-${member}`;
  }

  onChange(listener: (change: EtcdChange, member: number | undefined) => void): void {
    this.listeners.push(listener);
  }

  memberDown(member: number): void {
    this.checkIndex(member);
    if (!this.up[member]) return;
    this.up[member] = false;
    const quorate = this.hasQuorum;
    const justLost = this.membersUp === this.quorum - 1;
    if (member === this.leaderIndex) {
      this.leaderIndex = undefined;
      this.cancelStepDown();
      this.emit('leader-lost', member);
      if (quorate) this.startElection(this.drawLeaderLossElection());
      else if (justLost) this.emit('quorum-lost', undefined);
      return;
    }
    if (this.election && !quorate) {
      this.cancelElection();
    } else if (this.election?.winner === member) {
      // The candidate about to win is gone; the others campaign afresh.
      this.cancelElection();
      this.startElection(this.drawLeaderLossElection());
    }
    if (quorate) return;
    if (justLost) this.emit('quorum-lost', undefined);
    if (this.leaderIndex !== undefined && !this.stepDown) {
      const [lo, hi] = this.config.stepDownEt;
      this.stepDown = this.engine.schedule(this.etMs(lo + (hi - lo) * this.rng.next()), () => {
        this.stepDown = undefined;
        const old = this.leaderIndex;
        this.leaderIndex = undefined;
        this.emit('leader-lost', old);
      });
    }
  }

  memberUp(member: number): void {
    this.checkIndex(member);
    if (this.up[member]) return;
    this.up[member] = true;
    if (this.membersUp !== this.quorum) return;
    this.emit('quorum-restored', undefined);
    if (this.leaderIndex !== undefined) {
      // The old leader had not stepped down yet: it simply commits again.
      this.cancelStepDown();
      return;
    }
    const [lo, hi] = this.config.quorumRestoredEt;
    const afterMs = this.etMs(lo + (hi - lo) * this.rng.next());
    const candidates = this.upMembers();
    this.startElection({
      afterMs,
      winner: candidates[this.rng.int(candidates.length)]!,
      rounds: 1,
    });
  }

  /**
   * Draws the election after a leader's death among the members up now. Each candidate's
   * election timer fires uniformly in [ET − heartbeat, 2·ET) after the death; the earliest
   * campaigns. A campaign before ET can reach followers still inside their leader lease
   * (CheckQuorum), which ignore it — whether they are depends on their tick phase, calibrated
   * as `inLeaseRejectionProbability`. Then every candidate campaigns once more, each
   * uniformly [ET, 2·ET) after its own first timeout, and the earliest of those wins. After a
   * failed round nobody is in lease, so a third round does not happen.
   */
  drawLeaderLossElection(): ElectionOutcome {
    const { electionTimeoutMs: et, heartbeatIntervalMs: hb } = this.config;
    const candidates = this.upMembers();
    const lo = Math.max(0, et - hb);
    const firsts = candidates.map(() => lo + (2 * et - lo) * this.rng.next());
    const earliest = argmin(firsts);
    const first = firsts[earliest]!;
    if (!(first < et && this.rng.next() < this.config.inLeaseRejectionProbability))
      return { afterMs: Math.round(first), winner: candidates[earliest]!, rounds: 1 };
    const seconds = firsts.map((t) => t + et * (1 + this.rng.next()));
    const next = argmin(seconds);
    return { afterMs: Math.round(seconds[next]!), winner: candidates[next]!, rounds: 2 };
  }

  private startElection(outcome: ElectionOutcome): void {
    this.cancelElection();
    const timer = this.engine.schedule(outcome.afterMs, () => {
      this.election = undefined;
      this.term += outcome.rounds;
      this.leaderIndex = outcome.winner;
      this.emit('leader-elected', outcome.winner);
    });
    this.election = { timer, winner: outcome.winner };
  }

  private cancelElection(): void {
    if (this.election) this.engine.cancel(this.election.timer);
    this.election = undefined;
  }

  private cancelStepDown(): void {
    if (this.stepDown) this.engine.cancel(this.stepDown);
    this.stepDown = undefined;
  }

  private upMembers(): number[] {
    const out: number[] = [];
    this.up.forEach((u, i) => {
      if (u) out.push(i);
    });
    return out;
  }

  private etMs(factor: number): number {
    return Math.round(factor * this.config.electionTimeoutMs);
  }

  private checkIndex(member: number): void {
    if (!(Number.isInteger(member) && member >= 0 && member < this.config.members))
      throw new RangeError(`no etcd member ${member} (members 0..${this.config.members - 1})`);
  }

  private emit(change: EtcdChange, member: number | undefined): void {
    for (const l of this.listeners) l(change, member);
  }
}

function argmin(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[best]!) best = i;
  return best;
}
