/**
 * etcd as a raft group, at the grain Kubernetes feels: which members are up, whether a quorum
 * (⌊N/2⌋+1) is, and whether there is a leader — because a write commits only through a leader
 * that reaches a quorum. Elections are drawn, not simulated message by message, on the
 * calibration in reference/etcd-calibration.md (measured on etcd 3.4):
 *
 * - Leader dies: each surviving follower's election timer fires uniformly in
 *   [ET − heartbeat, 2·ET) after the death (raft draws [ET, 2·ET) from the last heartbeat,
 *   which came up to one heartbeat earlier); the first timeout campaigns. A campaign before
 *   ET may be ignored by followers still in lease (raft.Step: `inLease` ignores MsgVote and
 *   MsgPreVote alike). Without pre-vote the ignored candidate has bumped its term, the others
 *   time out into a split vote and a second round follows (1.9–3 ET, ~1 in 11 elections with 3
 *   members). With pre-vote (etcd 3.6's default, server/embed/config.go NewConfig
 *   `PreVote: true`) the ignored pre-candidate keeps its term and has dropped its leader
 *   (becomePreCandidate sets `lead = None`), so it grants the next member's pre-vote: the
 *   election ends at the next timeout, never a second round (see drawLeaderLossElection).
 * - A follower dies: nothing happens while a quorum is left.
 * - Quorum lost: no write commits; a surviving leader steps down after its CheckQuorum round,
 *   measured 1.37–1.45 s at ET 1 s.
 * - Quorum restored by a returning member: a leader after 0.2–1.3 ET (measured 232 ms –
 *   1.3 s after the process starts: process start-up plus the survivors' running timers).
 *
 * What a write sent meanwhile meets (`writeMode`, raft node.go and etcdserver v3_server.go):
 * while the members still believe in a dead leader (until the first campaign) a proposal is
 * forwarded to it and lost — it fails after etcd's request timeout (ReqTimeout, 5 s + 2·ET,
 * `etcdserver: request timed out`). Once a member knows it has no leader, node.run stops
 * reading proposals (`propc = nil`): Propose blocks until a leader is known again and then
 * commits, or fails at the request timeout. A leader without quorum appends but cannot commit
 * (the same: it commits if quorum returns in time).
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
  /** etcd --pre-vote (default true since etcd 3.5; Kubernetes v1.35 ships etcd 3.6). */
  preVote: boolean;
}

export const ETCD_CALIBRATION: Pick<
  EtcdConfig,
  'inLeaseRejectionProbability' | 'stepDownEt' | 'quorumRestoredEt'
> = {
  inLeaseRejectionProbability: 0.5,
  stepDownEt: [1.37, 1.45],
  quorumRestoredEt: [0.2, 1.3],
};

/**
 * etcd's request timeout (server/config ServerConfig.ReqTimeout: "5s for queue waiting,
 * computation and disk IO delay + 2 * election timeout for possible leader election"): a
 * proposal that has not committed by then fails with `etcdserver: request timed out`.
 */
export function etcdRequestTimeoutMs(electionTimeoutMs: number): number {
  return 5000 + 2 * electionTimeoutMs;
}

/** One drawn election: when it ends, who wins, how many rounds it took. */
export interface ElectionOutcome {
  /** ms after the election started. */
  afterMs: number;
  winner: number;
  /** Terms used: 1, or 2 after a split vote (never with pre-vote). */
  rounds: number;
  /** ms after the start when the first member campaigns and so knows it has no leader. */
  noticedAfterMs: number;
}

export type EtcdChange =
  | 'leader-elected'
  | 'leader-lost'
  /** The survivors campaign: from now on a proposal waits for the next leader. */
  | 'leader-loss-noticed'
  | 'quorum-lost'
  | 'quorum-restored';

/**
 * What a write sent now meets: committed; no member to send it to (refused at once); sent
 * towards a dead leader (lost: fails after the request timeout); or held until a leader with a
 * quorum commits it (or the request timeout fails it).
 */
export type EtcdWriteMode = 'accepting' | 'refusing' | 'losing' | 'holding';

export class EtcdCluster {
  private readonly up: boolean[];
  private leaderIndex: number | undefined = 0;
  private term = 1;
  private election: { timer: Timer; winner: number } | undefined;
  private stepDown: Timer | undefined;
  /** Set from a leader's death until the survivors campaign (proposals are forwarded to it). */
  private lossUnnoticed = false;
  private noticeTimer: Timer | undefined;
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

  /** What a write proposed now meets (see the file comment). */
  get writeMode(): EtcdWriteMode {
    if (this.writable) return 'accepting';
    if (this.membersUp === 0) return 'refusing';
    return this.lossUnnoticed ? 'losing' : 'holding';
  }

  /** etcd's request timeout for this cluster's election timeout. */
  get requestTimeoutMs(): number {
    return etcdRequestTimeoutMs(this.config.electionTimeoutMs);
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
      if (quorate) {
        const outcome = this.drawLeaderLossElection();
        this.startElection(outcome);
        // Until the first campaign proposals go to the dead leader (if that campaign wins at
        // once, the election itself ends it).
        if (outcome.noticedAfterMs < outcome.afterMs) this.noticeAfter(outcome.noticedAfterMs);
        else this.lossUnnoticed = true;
      } else if (this.membersUp > 0) {
        // No election can succeed, but the survivors still campaign when their timers fire.
        this.noticeAfter(Math.round(Math.min(...this.upMembers().map(() => this.drawTimeout()))));
      }
      this.emit('leader-lost', member);
      if (!quorate && justLost) this.emit('quorum-lost', undefined);
      return;
    }
    if (this.election && !quorate) {
      // The campaign still starts when its timer fires; it just cannot win any more.
      if (this.lossUnnoticed) this.noticeAfter(this.election.timer.time - this.engine.now);
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
      noticedAfterMs: 0,
    });
  }

  /**
   * Draws the election after a leader's death among the members up now. Each candidate's
   * election timer fires uniformly in [ET − heartbeat, 2·ET) after the death; the earliest
   * campaigns. A campaign before ET can reach followers still inside their leader lease
   * (CheckQuorum), which ignore it — whether they are depends on their tick phase, calibrated
   * as `inLeaseRejectionProbability`.
   *
   * Without pre-vote the ignored candidate is at a higher term, so every candidate campaigns
   * once more, each uniformly [ET, 2·ET) after its own first timeout, and the earliest of
   * those wins (after a failed round nobody is in lease: no third round). With pre-vote the
   * campaigns go on in timer order: a member that has campaigned grants (its lead is None);
   * one whose timer has not fired grants once ET has passed; the first campaign to gather a
   * quorum wins. (The ignored pre-candidate's own retry, a whole timeout later, always comes
   * after that.)
   */
  drawLeaderLossElection(): ElectionOutcome {
    const { electionTimeoutMs: et } = this.config;
    const candidates = this.upMembers();
    const firsts = candidates.map(() => this.drawTimeout());
    const earliest = argmin(firsts);
    const first = firsts[earliest]!;
    const noticedAfterMs = Math.round(first);
    if (!(first < et && this.rng.next() < this.config.inLeaseRejectionProbability))
      return { afterMs: noticedAfterMs, winner: candidates[earliest]!, rounds: 1, noticedAfterMs };
    if (this.config.preVote) {
      const order = candidates.map((_, i) => i).sort((a, b) => firsts[a]! - firsts[b]!);
      const needed = this.quorum - 1;
      for (let j = 1; j < order.length; j++) {
        const t = firsts[order[j]!]!;
        const grants = j + (t >= et ? order.length - 1 - j : 0);
        if (grants >= needed)
          return {
            afterMs: Math.round(t),
            winner: candidates[order[j]!]!,
            rounds: 1,
            noticedAfterMs,
          };
      }
    }
    const seconds = firsts.map((t) => t + et * (1 + this.rng.next()));
    const next = argmin(seconds);
    return {
      afterMs: Math.round(seconds[next]!),
      winner: candidates[next]!,
      rounds: 2,
      noticedAfterMs,
    };
  }

  /** One member's election timer after the leader's last heartbeat: U[ET − heartbeat, 2·ET). */
  private drawTimeout(): number {
    const { electionTimeoutMs: et, heartbeatIntervalMs: hb } = this.config;
    const lo = Math.max(0, et - hb);
    return lo + (2 * et - lo) * this.rng.next();
  }

  /** The survivors keep believing in the dead leader for this long. */
  private noticeAfter(ms: number): void {
    if (this.noticeTimer) return; // their timers were already running
    this.lossUnnoticed = true;
    this.noticeTimer = this.engine.schedule(ms, () => {
      this.noticeTimer = undefined;
      this.lossUnnoticed = false;
      this.emit('leader-loss-noticed', undefined);
    });
  }

  private startElection(outcome: ElectionOutcome): void {
    this.cancelElection();
    const timer = this.engine.schedule(outcome.afterMs, () => {
      this.election = undefined;
      this.term += outcome.rounds;
      this.leaderIndex = outcome.winner;
      if (this.noticeTimer) this.engine.cancel(this.noticeTimer);
      this.noticeTimer = undefined;
      this.lossUnnoticed = false;
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
