/**
 * What control-plane failures cost: time without an etcd leader, without writes, without a
 * scheduler or controller-manager leader; writes refused (by kind); and, per failure, the same
 * figures from the failure until the control plane serves again (etcd leader, writes, both
 * leaders) once its recovery has run; `restoredAfterSeconds` is when service came back, which
 * can precede the recovery of the failed replicas (a standby took over).
 */
import type { Engine } from '../engine/engine.js';
import type { WriteKind } from '../model/api.js';

/** Accumulates the time a condition holds. */
export class Downtime {
  private since: number | undefined;
  private totalMs = 0;

  set(down: boolean, now: number): void {
    if (down && this.since === undefined) this.since = now;
    if (!down && this.since !== undefined) {
      this.totalMs += now - this.since;
      this.since = undefined;
    }
  }

  get down(): boolean {
    return this.since !== undefined;
  }

  totalAt(now: number): number {
    return this.totalMs + (this.since === undefined ? 0 : now - this.since);
  }
}

/** The control plane's state as the measures see it. */
export interface ControlPlaneState {
  etcdHasLeader: boolean;
  writable: boolean;
  schedulerLeader: boolean;
  controllerManagerLeader: boolean;
}

interface Counters {
  etcdNoLeader: number;
  writesUnavailable: number;
  schedulerNoLeader: number;
  controllerManagerNoLeader: number;
  writesRefused: number;
  bindingsRefused: number;
  podCreationsRefused: number;
}

interface FailureRecord {
  action: string;
  target: string;
  atMs: number;
  recoveredAtMs?: number;
  /** Whether its recovery has run (or none is scheduled). */
  awaitingWhole: boolean;
  /** When service (writes, etcd and both leaders) was last restored before the record closed. */
  wholeAtMs?: number;
  start: Counters;
  end?: Counters;
}

const s = (ms: number): number => Math.round(ms) / 1000;

/** Scheduling throughput lost over [from, to) (set by the failure measures). */
export type BindingsLost = (fromMs: number, toMs: number) => number;

export class ControlPlaneMeasures {
  /** Per failure, bindings short of the pre-failure rate until service was restored. */
  bindingsLost?: BindingsLost;
  readonly etcdNoLeader = new Downtime();
  readonly writesUnavailable = new Downtime();
  readonly schedulerNoLeader = new Downtime();
  readonly controllerManagerNoLeader = new Downtime();
  private readonly failures: FailureRecord[] = [];
  private touched = false;
  /** Since when the control plane serves again (writes and both leaders); undefined: it does not. */
  private wholeSince: number | undefined = 0;

  constructor(
    private readonly engine: Engine,
    private readonly state: () => ControlPlaneState,
    private readonly refused: ReadonlyMap<WriteKind, number>,
  ) {}

  /** Call after every change of the control plane's state. */
  update(): void {
    const now = this.engine.now;
    const st = this.state();
    this.etcdNoLeader.set(!st.etcdHasLeader, now);
    this.writesUnavailable.set(!st.writable, now);
    this.schedulerNoLeader.set(!st.schedulerLeader, now);
    this.controllerManagerNoLeader.set(!st.controllerManagerLeader, now);
    if (this.etcdNoLeader.down || this.writesUnavailable.down) this.touched = true;
    if (this.schedulerNoLeader.down || this.controllerManagerNoLeader.down) this.touched = true;
    if (!this.whole(st)) {
      this.wholeSince = undefined;
      return;
    }
    this.wholeSince ??= now;
    for (const f of this.failures) {
      if (f.awaitingWhole && f.wholeAtMs === undefined) {
        // Service may have come back before the failed replicas did (a standby took over).
        f.wholeAtMs = Math.max(f.atMs, this.wholeSince);
        f.end = this.counters();
      }
    }
  }

  /** A failure action ran; `recovers` says whether a recovery is scheduled. */
  failure(action: string, target: string, recovers: boolean): FailureRecord {
    this.touched = true;
    const f: FailureRecord = {
      action,
      target,
      atMs: this.engine.now,
      awaitingWhole: !recovers,
      start: this.counters(),
    };
    this.failures.push(f);
    this.update();
    return f;
  }

  recovered(f: FailureRecord): void {
    f.recoveredAtMs = this.engine.now;
    f.awaitingWhole = true;
    this.update();
  }

  /** Whether anything happened worth reporting. */
  get eventful(): boolean {
    return this.touched || [...this.refused.values()].some((n) => n > 0);
  }

  summary(): Record<string, number> {
    const c = this.counters();
    return {
      etcdNoLeaderSeconds: s(c.etcdNoLeader),
      writesUnavailableSeconds: s(c.writesUnavailable),
      schedulerNoLeaderSeconds: s(c.schedulerNoLeader),
      controllerManagerNoLeaderSeconds: s(c.controllerManagerNoLeader),
      writesRefused: c.writesRefused,
      bindingsRefused: c.bindingsRefused,
      podCreationsRefused: c.podCreationsRefused,
      failures: this.failures.length,
      failuresUnrecovered: this.failures.filter((f) => f.wholeAtMs === undefined).length,
    };
  }

  /** One row per failure; an unfinished one is measured up to now (the end of the run). */
  failureRows(): Array<Record<string, string | number | null>> {
    return this.failures.map((f) => {
      const end = f.end ?? this.counters();
      const d = (k: keyof Counters): number => end[k] - f.start[k];
      return {
        action: f.action,
        target: f.target,
        atSeconds: s(f.atMs),
        recoveredAtSeconds: f.recoveredAtMs === undefined ? null : s(f.recoveredAtMs),
        restoredAfterSeconds: f.wholeAtMs === undefined ? null : s(f.wholeAtMs - f.atMs),
        writesUnavailableSeconds: s(d('writesUnavailable')),
        etcdNoLeaderSeconds: s(d('etcdNoLeader')),
        schedulerNoLeaderSeconds: s(d('schedulerNoLeader')),
        controllerManagerNoLeaderSeconds: s(d('controllerManagerNoLeader')),
        writesRefused: d('writesRefused'),
        bindingsRefused: d('bindingsRefused'),
        podCreationsRefused: d('podCreationsRefused'),
        ...(this.bindingsLost ? { bindingsLost: this.lostOver(f) } : {}),
      };
    });
  }

  /** The failures and Σ of their bindingsLost (0 without a bindingsLost function). */
  throughputLoss(): { failures: number; bindingsLost: number } {
    let n = 0;
    for (const f of this.failures) n += this.lostOver(f);
    return { failures: this.failures.length, bindingsLost: n };
  }

  /** From the failure until service came back (or the end of the run). */
  private lostOver(f: FailureRecord): number {
    return this.bindingsLost?.(f.atMs, f.wholeAtMs ?? this.engine.now) ?? 0;
  }

  private whole(st: ControlPlaneState): boolean {
    return st.etcdHasLeader && st.writable && st.schedulerLeader && st.controllerManagerLeader;
  }

  private counters(): Counters {
    const now = this.engine.now;
    let total = 0;
    for (const n of this.refused.values()) total += n;
    return {
      etcdNoLeader: this.etcdNoLeader.totalAt(now),
      writesUnavailable: this.writesUnavailable.totalAt(now),
      schedulerNoLeader: this.schedulerNoLeader.totalAt(now),
      controllerManagerNoLeader: this.controllerManagerNoLeader.totalAt(now),
      writesRefused: total,
      bindingsRefused: this.refused.get('binding') ?? 0,
      podCreationsRefused: this.refused.get('pod-create') ?? 0,
    };
  }
}
