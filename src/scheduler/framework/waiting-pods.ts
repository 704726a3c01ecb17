/**
 * Pods waiting at Permit (pkg/scheduler/framework/runtime/waiting_pods_map.go), in virtual
 * time. Each plugin that returned Wait gets its own timer (newWaitingPod); Allow stops that
 * plugin's timer and signals success once no plugin is pending; Reject — or a timer, with
 * "rejected due to timeout after waiting <d> at plugin <p>" — stops every timer and signals
 * Unschedulable from that plugin. Only the first signal counts (upstream's one-slot channel).
 * One map is shared by every profile, as upstream's scheduler.New shares it.
 */
import type { SimPod } from '../../model/objects.js';
import type { Handle, WaitingPod } from './interfaces.js';
import { Status } from './status.js';

/** frameworkImpl's maxTimeout: no Permit plugin may make a pod wait longer. */
export const MAX_PERMIT_TIMEOUT_MS = 15 * 60_000;

/** Sets a virtual-time timer at `atMs`; returns its cancel function. */
export type TimerSource = (atMs: number, fire: () => void) => () => void;

/** Go's time.Duration.String() for whole milliseconds: 500ms, 10s, 1m30s, 15m0s, 1h0m0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const rest = ms % 60_000;
  const whole = Math.floor(rest / 1000);
  const frac = rest % 1000;
  const s =
    frac === 0 ? `${whole}` : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

class WaitingPodImpl implements WaitingPod {
  /** Pending plugin → cancel of its timeout timer. */
  private readonly pending = new Map<string, () => void>();
  private signalled = false;

  constructor(
    private readonly pod: SimPod,
    waits: ReadonlyMap<string, number>,
    startMs: number,
    timers: TimerSource | undefined,
    private readonly onSignal: (status: Status | null) => void,
  ) {
    for (const [plugin, ms] of waits) {
      const message = `rejected due to timeout after waiting ${goDuration(ms)} at plugin ${plugin}`;
      const cancel = timers?.(startMs + ms, () => this.reject(plugin, message));
      this.pending.set(plugin, cancel ?? noop);
    }
  }

  getPod(): SimPod {
    return this.pod;
  }

  getPendingPlugins(): string[] {
    return [...this.pending.keys()];
  }

  allow(pluginName: string): void {
    const cancel = this.pending.get(pluginName);
    if (cancel) {
      cancel();
      this.pending.delete(pluginName);
    }
    if (this.pending.size !== 0) return;
    this.signal(null);
  }

  reject(pluginName: string, msg: string): void {
    for (const cancel of this.pending.values()) cancel();
    this.signal(Status.unschedulable(msg).withPlugin(pluginName));
  }

  private signal(status: Status | null): void {
    if (this.signalled) return;
    this.signalled = true;
    this.onSignal(status);
  }
}

const noop = (): void => undefined;

export class WaitingPodsMap {
  private readonly pods = new Map<string, WaitingPod>();
  /** Set by the Scheduler that owns the clock; without it a wait never times out. */
  timers: TimerSource | undefined;

  /**
   * newWaitingPod + add: `waits` is plugin → timeout in ms (already capped), started at
   * `startMs`; `onSignal` receives null (all allowed) or the rejection, once.
   */
  add(
    pod: SimPod,
    waits: ReadonlyMap<string, number>,
    startMs: number,
    onSignal: (status: Status | null) => void,
  ): WaitingPod {
    const wp = new WaitingPodImpl(pod, waits, startMs, this.timers, onSignal);
    this.pods.set(pod.metadata.uid, wp);
    return wp;
  }

  get(uid: string): WaitingPod | undefined {
    return this.pods.get(uid);
  }

  remove(uid: string): void {
    this.pods.delete(uid);
  }

  /** In the order pods started waiting (a Map's order: deterministic, unlike Go's). */
  iterate(callback: (wp: WaitingPod) => void): void {
    for (const wp of [...this.pods.values()]) callback(wp);
  }

  /** frameworkImpl.RejectWaitingPod: Reject("", "removed"). */
  reject(uid: string): boolean {
    const wp = this.pods.get(uid);
    if (!wp) return false;
    wp.reject('', 'removed');
    return true;
  }

  /** The Handle's waiting-pods calls over this map. */
  handleCalls(): Required<
    Pick<Handle, 'getWaitingPod' | 'iterateOverWaitingPods' | 'rejectWaitingPod'>
  > {
    return {
      getWaitingPod: (uid) => this.get(uid),
      iterateOverWaitingPods: (cb) => this.iterate(cb),
      rejectWaitingPod: (uid) => this.reject(uid),
    };
  }
}
