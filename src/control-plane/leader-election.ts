/**
 * Leader election of kube-scheduler / kube-controller-manager replicas on a Lease, as
 * client-go tools/leaderelection does it — computed lazily: a healthy leader's renewals
 * (every retryPeriod) are implied by an anchor time, never scheduled; events exist only when
 * something fails.
 *
 * Upstream rules kept here:
 * - The leader renews every retryPeriod (wait.Until, no jitter). A renewal poll starts
 *   retryPeriod after the last success and retries every retryPeriod; if none succeeds within
 *   renewDeadline the leader logs `leaderelection lost` and the process exits (both binaries
 *   exit on it) and is restarted as a new process with a new identity.
 * - A candidate polls every retryPeriod·(1 + 1.2·U) (wait.JitterUntil, JitterFactor 1.2).
 *   It judges expiry by its own clock: `observedTime` is when it last saw the record change,
 *   and it may take the lease once observedTime + leaseDuration has passed, at a poll where
 *   the apiserver accepts the write. A freshly started process observes at its first poll, so
 *   it waits a full leaseDuration even if the old holder died long ago (the record names
 *   another identity).
 *
 * Approximations (documented in docs/failures.md): a standby's last observation of a renewal
 * is its first poll after that renewal, drawn from the stationary residual of its polling
 * process; a standby's polls while the apiserver refuses requests are not simulated (after
 * writes resume, its next poll is again a stationary residual); reads fail exactly when
 * writes do; a lost leader restarts after `restartDelayMs`.
 */
import type { Engine, Timer } from '../engine/engine.js';
import type { Rng } from '../engine/rng.js';
import type { EventLog } from '../model/events.js';
import type { LeaderGate } from '../components/context.js';

export interface LeaderElectionConfig {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** client-go's JitterFactor for the acquire loop. */
  jitterFactor: number;
  /** A process that lost leadership exits; its supervisor starts it again after this long. */
  restartDelayMs: number;
}

export const CLIENT_GO_JITTER_FACTOR = 1.2;

/** What the electors need to know about the apiserver: whether lease reads/writes work now. */
export interface LeaseBackend {
  readonly writable: boolean;
  onWritableChange(listener: (writable: boolean) => void): void;
}

interface Replica {
  index: number;
  name: string;
  up: boolean;
  /** When this process last saw the lease record change; undefined: has not looked yet. */
  observedAt?: number;
  acquire?: Timer;
  restart?: Timer;
}

type Mode =
  /** A leader renews and the apiserver accepts it: standbys just keep observing. */
  | 'healthy'
  /** The leader's renewals are refused; it gives up renewDeadline after its poll began. */
  | 'failing'
  /** No process leads; candidates wait for the lease to expire from their own view. */
  | 'vacant';

export class LeaderElection {
  private readonly replicas: Replica[];
  private mode: Mode = 'healthy';
  private leading: Replica | undefined;
  /** healthy: a successful renewal; renewals recur every retryPeriod from it. */
  private renewAnchor = 0;
  /** failing / vacant: the last time the record changed. */
  private lastRenew = 0;
  private lossTimer: Timer | undefined;
  private renewTimer: Timer | undefined;
  private transitionCount = 0;

  constructor(
    private readonly engine: Engine,
    private readonly rng: Rng,
    readonly config: LeaderElectionConfig,
    /** The Lease name in kube-system, also the replicas' name prefix. */
    readonly lockName: string,
    replicas: number,
    private readonly gate: LeaderGate,
    private readonly backend: LeaseBackend,
    private readonly events: EventLog,
  ) {
    if (!(Number.isInteger(replicas) && replicas >= 1))
      throw new RangeError(`${lockName} needs at least one replica, got ${replicas}`);
    this.replicas = Array.from({ length: replicas }, (_, index) => ({
      index,
      name: `${lockName}-${index}`,
      up: true,
    }));
    // The cluster exists before time 0: replica 0 holds the lease and has just renewed it.
    this.leading = this.replicas[0];
    gate.set(true);
    backend.onWritableChange((w) => (w ? this.writesResumed() : this.writesStopped()));
  }

  get replicaCount(): number {
    return this.replicas.length;
  }

  /** The replica whose process currently leads, if any. */
  get leader(): number | undefined {
    return this.leading?.index;
  }

  /** Times a process became leader (acquisitions after the initial one). */
  get transitions(): number {
    return this.transitionCount;
  }

  isUp(replica: number): boolean {
    return this.replicas[replica]?.up === true;
  }

  replicaName(replica: number): string {
    return this.replicas[replica]?.name ?? `${this.lockName}-${replica}`;
  }

  /** The replica's process is killed (crash, node down): no release of the lease. */
  kill(index: number): void {
    const r = this.replica(index);
    this.cancel(r, 'restart');
    if (!r.up) return;
    r.up = false;
    r.observedAt = undefined;
    this.cancel(r, 'acquire');
    if (r !== this.leading) return;
    const now = this.engine.now;
    if (this.mode === 'healthy') {
      this.lastRenew = this.lastRenewalBefore(now);
      this.standbysStopObserving();
    }
    this.cancelLeaderTimers();
    this.leading = undefined;
    this.mode = 'vacant';
    this.gate.set(false);
    if (this.backend.writable) this.scheduleCandidates();
  }

  /** The replica's process starts (again): a new identity that must observe the lease first. */
  start(index: number): void {
    const r = this.replica(index);
    this.cancel(r, 'restart');
    if (r.up) return;
    r.up = true;
    r.observedAt = undefined;
    if (this.mode !== 'healthy' && this.backend.writable)
      this.scheduleAcquisition(r, this.engine.now);
  }

  // ---- writes through the apiserver stop / resume --------------------------------------

  private writesStopped(): void {
    const now = this.engine.now;
    if (this.mode === 'healthy' && this.leading) {
      const s = this.lastRenewalBefore(now);
      this.lastRenew = s;
      this.mode = 'failing';
      this.standbysStopObserving();
      const deadline = s + this.config.retryPeriodMs + this.config.renewDeadlineMs;
      this.lossTimer = this.engine.scheduleAt(Math.max(now, deadline), () => this.lose());
    }
    if (this.renewTimer) this.engine.cancel(this.renewTimer);
    this.renewTimer = undefined;
    for (const r of this.replicas) this.cancel(r, 'acquire');
  }

  private writesResumed(): void {
    const now = this.engine.now;
    if (this.mode === 'failing') {
      const { retryPeriodMs: rp, renewDeadlineMs: rd } = this.config;
      const s = this.lastRenew;
      const k = Math.max(1, Math.ceil((now - s) / rp));
      const attempt = s + k * rp;
      // The poll's attempts fall at s + RP + j·RP for j·RP < renewDeadline.
      if (attempt < s + rp + rd) {
        this.renewTimer = this.engine.scheduleAt(attempt, () => {
          this.renewTimer = undefined;
          if (this.mode !== 'failing' || !this.backend.writable) return;
          this.renewed(attempt);
        });
      }
    }
    if (this.mode !== 'healthy') this.scheduleCandidates(true);
  }

  private renewed(at: number): void {
    this.cancelLeaderTimers();
    this.mode = 'healthy';
    this.renewAnchor = at;
    for (const r of this.replicas) {
      this.cancel(r, 'acquire');
      r.observedAt = undefined;
    }
  }

  /** renewDeadline passed without a successful renewal: `leaderelection lost`, exit. */
  private lose(): void {
    this.lossTimer = undefined;
    const r = this.leading;
    if (!r) return;
    this.stoppedLeading(r);
    this.mode = 'vacant';
    if (this.backend.writable) this.scheduleCandidates();
  }

  private stoppedLeading(r: Replica): void {
    this.cancelLeaderTimers();
    this.leading = undefined;
    this.gate.set(false);
    this.record(`${r.name} stopped leading`);
    // The process exits; its supervisor (kubelet, static pod) starts a new one.
    r.up = false;
    r.observedAt = undefined;
    this.cancel(r, 'acquire');
    const { restartDelayMs } = this.config;
    if (restartDelayMs <= 0) this.start(r.index);
    else
      r.restart = this.engine.schedule(restartDelayMs, () => {
        r.restart = undefined;
        this.start(r.index);
      });
  }

  // ---- candidates -------------------------------------------------------------------------

  /**
   * Schedules every up, non-leading replica's acquisition. After writes resume a candidate's
   * next poll is a residual of its polling process; a fresh process polls at once.
   */
  private scheduleCandidates(afterResume = false): void {
    const now = this.engine.now;
    for (const r of this.replicas) {
      if (!r.up || r === this.leading || r.acquire) continue;
      // A standby's polls continue from the one that observed the last renewal.
      const firstPoll = afterResume ? now + this.residual() : (r.observedAt ?? now);
      this.scheduleAcquisition(r, firstPoll);
    }
  }

  /**
   * The first poll at or after `firstPoll` … that finds the lease expired from this process's
   * own view (observedAt + leaseDuration) — computed directly, drawing the jittered periods.
   */
  private scheduleAcquisition(r: Replica, firstPoll: number): void {
    let t = firstPoll;
    if (r.observedAt === undefined) r.observedAt = t;
    const expiry = r.observedAt + this.config.leaseDurationMs;
    while (t < expiry) t += this.interval();
    t = Math.max(t, this.engine.now);
    r.acquire = this.engine.scheduleAt(t, () => {
      r.acquire = undefined;
      this.acquired(r, t);
    });
  }

  private acquired(r: Replica, at: number): void {
    if (!r.up || !this.backend.writable) return;
    // An old leader still polling finds the record taken at its next renewal and exits.
    if (this.leading && this.leading !== r) this.stoppedLeading(this.leading);
    this.cancelLeaderTimers();
    this.leading = r;
    this.mode = 'healthy';
    this.renewAnchor = at;
    this.transitionCount++;
    for (const other of this.replicas) {
      this.cancel(other, 'acquire');
      other.observedAt = undefined;
    }
    this.gate.set(true);
    this.record(`${r.name} became leader`);
  }

  /**
   * The leader stopped renewing (killed, or its writes refused): each standby has observed
   * the last renewal at its first poll after it.
   */
  private standbysStopObserving(): void {
    for (const r of this.replicas) {
      if (r.up && r !== this.leading) r.observedAt = this.lastRenew + this.residual();
    }
  }

  // ---- time helpers -----------------------------------------------------------------------

  /** The last renewal strictly before `t` (a renewal at the same ms as a failure fails). */
  private lastRenewalBefore(t: number): number {
    const rp = this.config.retryPeriodMs;
    if (t <= this.renewAnchor) return this.renewAnchor;
    return this.renewAnchor + Math.floor((t - this.renewAnchor - 1) / rp) * rp;
  }

  /** One jittered acquire period: retryPeriod·(1 + jitterFactor·U). */
  private interval(): number {
    const { retryPeriodMs: rp, jitterFactor: j } = this.config;
    return Math.round(rp * (1 + j * this.rng.next()));
  }

  /**
   * Time from an arbitrary instant to the next poll of a stationary polling process: draw the
   * covering period length-biased (density ∝ length on [RP, RP·(1+J)]), then a uniform point in it.
   */
  private residual(): number {
    const { retryPeriodMs: rp, jitterFactor: j } = this.config;
    const a = rp;
    const b = rp * (1 + j);
    const covering = Math.sqrt(a * a + this.rng.next() * (b * b - a * a));
    return Math.round(covering * this.rng.next());
  }

  private cancelLeaderTimers(): void {
    if (this.lossTimer) this.engine.cancel(this.lossTimer);
    if (this.renewTimer) this.engine.cancel(this.renewTimer);
    this.lossTimer = undefined;
    this.renewTimer = undefined;
  }

  private cancel(r: Replica, which: 'acquire' | 'restart'): void {
    const t = r[which];
    if (t) this.engine.cancel(t);
    r[which] = undefined;
  }

  private replica(index: number): Replica {
    const r = this.replicas[index];
    if (!r) throw new RangeError(`no ${this.lockName} replica ${index}`);
    return r;
  }

  private record(message: string): void {
    this.events.record('Lease', `kube-system/${this.lockName}`, 'LeaderElection', message);
  }
}
