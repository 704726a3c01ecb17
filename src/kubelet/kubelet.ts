/**
 * The kubelets of all nodes, as one component. A pod bound to a node is acknowledged
 * (status.startTime), becomes Running and Ready after its sampled startup latency, runs
 * for its sampled duration (if any) and exits, freeing its resources. Crashing starts
 * restart with CrashLoopBackOff. A pod being deleted is stopped and its object removed.
 *
 * Each kubelet keeps its pods' status itself (pkg/kubelet/status/status_manager.go): what
 * happens on the node changes that local status, and the status manager posts the latest
 * one to the apiserver when it can. The API (the store) therefore changes only when the
 * kubelet can write — its node reachable and the apiserver accepting writes:
 * - a node that cannot reach the apiserver (partition, stopped kubelet) posts nothing; its
 *   pods' latest status is posted the moment it is back (intermediate ones are never seen);
 * - a refused write is retried on the status manager's 10 s sync period (syncBatch), on a
 *   per-node grid whose phase comes from the stream `kubelet/<node>`;
 * - a Ready condition someone else wrote (node lifecycle's MarkPodsNotReady) is put back at
 *   the next sync when it differs from the kubelet's (needsReconcile).
 * Local truth goes on meanwhile: on a partitioned node the containers run, exit and restart
 * as usual; where the kubelet itself is down (stopped kubelet) or its container runtime is,
 * containers run and exit, and what needs the kubelet and the runtime (starting, restarting,
 * observing an exit) waits until both are back.
 * A crashed node's containers die with it: its status cache is lost too.
 *
 * Each pod costs a handful of events over its life; nothing polls.
 */
import type { Engine, Timer } from '../engine/engine.js';
import type { RngStreams } from '../engine/rng.js';
import type { WriteGate } from '../model/api.js';
import type { EventLog } from '../model/events.js';
import { podIsTerminal, setPodReady, type PodPhase, type SimPod } from '../model/objects.js';
import type { ClusterStore, PodEvent } from '../model/store.js';
import { parseDuration } from '../model/duration.js';
import { admissionRejection } from './admission.js';
import { nextOnGrid } from './node-health.js';

/** How long a container takes to exit after SIGTERM (default 0s: most exit promptly). */
export const ANNOTATION_SHUTDOWN = 'ksim.dev/shutdown';
/** pod.spec.terminationGracePeriodSeconds default. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

export interface KubeletConfig {
  /**
   * CrashLoopBackOff (kubelet.go: flowcontrol.NewBackOff(containerBackOffPeriod,
   * MaxContainerBackOff)): the first back-off and its cap. The cap is the KubeletConfiguration
   * field crashLoopBackOff.maxContainerRestartPeriod (feature KubeletCrashLoopBackOffMax);
   * a cap below the initial 10 s also lowers the initial back-off to it, as kubelet.go does.
   */
  crashBackoffInitialMs: number;
  crashBackoffMaxMs: number;
  /**
   * A container that ran longer than this since its last restart starts the back-off over
   * (kubelet.go sets backOff.HasExpiredFunc to `eventTime − lastUpdate > 600 s`, where
   * eventTime is the exit and lastUpdate the restart; hard-coded upstream, not a flag).
   */
  crashBackoffResetMs: number;
  /** Status manager syncPeriod: refused pod-status writes are retried this often (10 s). */
  statusSyncPeriodMs: number;
  /** --node-status-update-frequency: how often the kubelet computes and posts its node status. */
  nodeStatusUpdateFrequencyMs: number;
  /** updateRuntimeUp runs every 5 s (kubelet.go, a constant upstream). */
  runtimeProbePeriodMs: number;
  /**
   * maxWaitForContainerRuntime (30 s, a constant upstream): "container runtime is down" once
   * the last successful runtime status check is this old.
   */
  runtimeDownThresholdMs: number;
}

export const DEFAULT_KUBELET_CONFIG: KubeletConfig = {
  crashBackoffInitialMs: 10_000,
  crashBackoffMaxMs: 300_000,
  crashBackoffResetMs: 600_000,
  statusSyncPeriodMs: 10_000,
  nodeStatusUpdateFrequencyMs: 10_000,
  runtimeProbePeriodMs: 5_000,
  runtimeDownThresholdMs: 30_000,
};

/**
 * What a node failure does to its kubelet: `crash` kills the machine (containers and the
 * kubelet's memory), `kubelet-stop` stops the kubelet (containers keep running), `partition`
 * cuts it off from the apiserver (it keeps managing its containers), `runtime-down` leaves
 * the kubelet running and reachable but unable to start, restart or observe containers
 * (those running keep running: the shims outlive the runtime daemon); `booting`: the machine
 * of a node that just joined has not started its kubelet yet.
 */
export type KubeletOutage = 'crash' | 'kubelet-stop' | 'partition' | 'runtime-down' | 'booting';

/** Phases of a kubelet's periodic loops (ms within their period), from `kubelet/<node>`. */
export interface KubeletPhases {
  statusSync: number;
  runtimeProbe: number;
  nodeStatus: number;
}

/** The kubelet's own copy of a pod's status: what it would post. */
interface LocalStatus {
  phase: PodPhase;
  ready: boolean;
  /**
   * When `ready` last changed here: the Ready condition's lastTransitionTime is set when the
   * kubelet generates the status (status_manager.go updateLastTransitionTime against its own
   * cache), so a status posted late still carries it.
   */
  readySince?: number;
  reason?: string;
  restartCount: number;
}

/** A flowcontrol.Backoff entry: the current back-off and when it last advanced (a restart). */
interface BackoffEntry {
  delayMs: number;
  lastUpdate: number;
}

interface PodRuntime {
  timer?: Timer;
  /** Remaining crashing starts before a start that succeeds. */
  crashesLeft: number;
  /** The container's back-off entry; none until its first restart. */
  backoff?: BackoffEntry;
  /** The status the kubelet holds for the pod (its status manager's cache). */
  status: LocalStatus;
  /** The API has not seen `status` yet: the store change to announce when it does. */
  unsynced?: string;
  /** Work a timer could not do while the kubelet was down, done when it is back. */
  deferred?: 'start' | 'restart' | 'exit';
}

/** Which store change a post announces when several local changes wait for one sync. */
const CHANGE_RANK: Record<string, number> = { status: 0, ready: 1, phase: 2, delete: 3 };

function mergeChange(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  return (CHANGE_RANK[b] ?? 0) >= (CHANGE_RANK[a] ?? 0) ? b : a;
}

function isTerminal(phase: PodPhase): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

export class Kubelets {
  private readonly runtimes = new Map<SimPod, PodRuntime>();
  /** Outages per node (a node can be partitioned and have its kubelet stopped, …). */
  private readonly outages = new Map<string, Set<KubeletOutage>>();
  /** Per node: the status manager's next sync (only while a refused write waits). */
  private readonly syncTimers = new Map<string, Timer>();
  private readonly loopPhases = new Map<string, KubeletPhases>();
  /** Set while a kubelet writes a pod, so its own writes are not taken for someone else's. */
  private posting = false;

  constructor(
    private readonly engine: Engine,
    private readonly store: ClusterStore,
    private readonly api: WriteGate,
    private readonly events: EventLog,
    readonly config: KubeletConfig,
    /** Number of crashing starts before a good one, sampled per pod (common random numbers). */
    private readonly crashesFor: (pod: SimPod) => number,
    private readonly rng?: RngStreams,
  ) {
    store.onPod((e) => this.onPodEvent(e));
  }

  private onPodEvent(e: PodEvent): void {
    const pod = e.pod;
    if (e.type === 'add' && pod.spec.nodeName) {
      // Described as already running on its node at time 0 — if the node admits it.
      if (!this.rejectIfNoRoom(pod)) this.adoptRunning(pod);
    } else if (e.type === 'update' && e.change === 'bound') {
      this.admit(pod);
    } else if (e.type === 'update' && e.change === 'deleting') {
      this.terminate(pod);
    } else if (e.type === 'update' && e.change === 'ready' && !this.posting) {
      this.reconcile(pod);
    } else if (e.type === 'delete') {
      this.stop(pod);
    }
  }

  // ---- node state --------------------------------------------------------------------------

  /** Whether the node's kubelet can reach the apiserver (it runs and the network reaches it). */
  reachable(node: string): boolean {
    const o = this.outages.get(node);
    return (
      !o || !(o.has('crash') || o.has('kubelet-stop') || o.has('partition') || o.has('booting'))
    );
  }

  /** Whether the node's kubelet runs and can start, restart and observe containers. */
  private acting(node: string): boolean {
    const o = this.outages.get(node);
    return (
      !o || !(o.has('crash') || o.has('kubelet-stop') || o.has('runtime-down') || o.has('booting'))
    );
  }

  /** Whether the node's kubelet is down or cut off (anything that stops it posting). */
  isNodeDown(node: string): boolean {
    return !this.reachable(node) || !this.acting(node);
  }

  /** An outage of the node's kubelet begins. */
  nodeDown(node: string, outage: KubeletOutage): void {
    let o = this.outages.get(node);
    if (!o) this.outages.set(node, (o = new Set()));
    o.add(outage);
    if (outage === 'crash') this.loseContainers(node);
    if (!this.reachable(node)) this.cancelSync(node);
  }

  /** An outage ends: the kubelet catches up with what happened meanwhile (`resync`). */
  nodeUp(node: string, outage: KubeletOutage): void {
    const o = this.outages.get(node);
    if (!o?.delete(outage)) return;
    if (o.size === 0) this.outages.delete(node);
    this.resync(node);
  }

  /**
   * The node's machine is gone for good (remove-nodes): like a crash that never reboots.
   * The API still shows its pods until someone deletes them (PodGC).
   */
  killContainersOnNode(node: string): void {
    this.nodeDown(node, 'crash');
  }

  // ---- pods ----------------------------------------------------------------------------------

  private runtime(pod: SimPod): PodRuntime {
    let rt = this.runtimes.get(pod);
    if (!rt) {
      rt = { crashesLeft: this.crashesFor(pod), status: apiStatus(pod) };
      this.runtimes.set(pod, rt);
    }
    return rt;
  }

  private at(pod: SimPod, delay: number, fn: () => void): void {
    const rt = this.runtime(pod);
    if (rt.timer) this.engine.cancel(rt.timer);
    rt.timer = this.engine.schedule(delay, () => {
      rt.timer = undefined;
      fn();
    });
  }

  private adoptRunning(pod: SimPod): void {
    const now = this.engine.now;
    pod.times.scheduled = now;
    pod.times.started = now;
    pod.times.ready = now;
    pod.status.phase = 'Running';
    setPodReady(pod, true, now);
    pod.outcome = 'Running';
    const rt = this.runtime(pod);
    rt.status.phase = 'Running';
    rt.status.ready = true;
    rt.status.readySince = now;
    this.store.updatePod(pod, 'ready');
    this.scheduleExit(pod);
  }

  /**
   * Admission of a pod bound without the scheduler: one the node has no room for fails at
   * once (see admission.ts), its resources never counted against the node.
   */
  private rejectIfNoRoom(pod: SimPod): boolean {
    const info = this.store.getNodeInfo(pod.spec.nodeName!);
    const rejection = info && admissionRejection(pod, info);
    if (!rejection) return false;
    this.events.record('Pod', pod.key, rejection.reason, rejection.message);
    this.finish(pod, 'Failed', rejection.reason);
    return true;
  }

  /** The kubelet sees the binding: pull the image and start the containers. */
  private admit(pod: SimPod): void {
    const node = pod.spec.nodeName!;
    // Cut off, it does not see the binding; with its runtime down it skips pod syncs: resync
    // admits the pod when it can.
    if (!this.reachable(node) || !this.acting(node)) return;
    const rt = this.runtime(pod);
    // status.startTime: the kubelet acknowledges the pod (its first status, folded into the
    // next post when the apiserver refuses it now).
    if (pod.times.started === undefined) {
      if (rt.unsynced === undefined && this.api.tryWrite('pod-status', `kubelet/${node}`))
        pod.times.started = this.engine.now;
      else this.post(pod, rt, 'status', {});
    }
    this.startContainers(pod);
  }

  private startContainers(pod: SimPod): void {
    const rt = this.runtime(pod);
    if (!this.acting(pod.spec.nodeName!)) {
      rt.deferred = 'start';
      return;
    }
    this.at(pod, pod.behaviour.startupMs, () => {
      if (!this.acting(pod.spec.nodeName!)) {
        rt.deferred = 'start';
        return;
      }
      if (rt.crashesLeft > 0) {
        rt.crashesLeft--;
        this.crash(pod, rt);
        return;
      }
      this.post(pod, rt, 'ready', { phase: 'Running', ready: true, reason: undefined });
      this.scheduleExit(pod);
    });
  }

  /** A start that crashed: restarted under CrashLoopBackOff unless restartPolicy is Never. */
  private crash(pod: SimPod, rt: PodRuntime): void {
    const policy = pod.spec.restartPolicy ?? 'Always';
    if (policy === 'Never') {
      this.finish(pod, 'Failed', 'Error');
      return;
    }
    rt.status.phase = 'Running';
    this.restartAfterBackoff(pod, rt);
  }

  /**
   * Restarts an exited container as kuberuntime_manager.go doBackOff does with
   * flowcontrol.Backoff. With no entry yet (the first restart), or when the container ran
   * longer than crashBackoffResetMs since its last restart (HasExpiredFunc), the restart is
   * immediate and the entry (re)starts at the initial back-off (Next). Otherwise the restart
   * waits the entry's back-off from the exit (IsInBackOffSince) and then doubles it, capped
   * (Next). Delays after successive exits: 0, 10 s, 20 s, 40 s, … 300 s. The pod is not Ready
   * meanwhile. restartCount counts restarts made: the runtime stamps each new container with
   * the previous one's count + 1 (kuberuntime_container.go startContainer), and the status
   * shows the latest container's, so a container waiting out its back-off is not counted yet.
   */
  private restartAfterBackoff(pod: SimPod, rt: PodRuntime): void {
    const now = this.engine.now;
    const cfg = this.config;
    const initial = Math.min(cfg.crashBackoffInitialMs, cfg.crashBackoffMaxMs);
    const entry = rt.backoff;
    if (!entry || now - entry.lastUpdate > cfg.crashBackoffResetMs) {
      rt.backoff = { delayMs: initial, lastUpdate: now };
      this.restart(pod, rt);
      return;
    }
    this.recordPodEvent(
      pod,
      'BackOff',
      `Back-off ${Math.round(entry.delayMs / 1000)}s restarting failed container`,
    );
    this.post(pod, rt, 'ready', { reason: 'CrashLoopBackOff', ready: false });
    this.at(pod, entry.delayMs, () => {
      entry.delayMs = Math.min(entry.delayMs * 2, cfg.crashBackoffMaxMs);
      entry.lastUpdate = this.engine.now;
      // A kubelet or runtime that is down restarts it when it is back (resync).
      if (!this.acting(pod.spec.nodeName!)) rt.deferred = 'restart';
      else this.restart(pod, rt);
    });
  }

  /** A new container replaces the exited one: restartCount + 1, not Ready until it starts. */
  private restart(pod: SimPod, rt: PodRuntime): void {
    this.post(pod, rt, 'ready', {
      ready: false,
      reason: undefined,
      restartCount: rt.status.restartCount + 1,
    });
    this.startContainers(pod);
  }

  private scheduleExit(pod: SimPod): void {
    const d = pod.behaviour.durationMs;
    if (d === undefined) return;
    this.at(pod, d, () => {
      const rt = this.runtime(pod);
      // The container exits; a stopped kubelet notices when it is back.
      if (!this.acting(pod.spec.nodeName!)) rt.deferred = 'exit';
      else this.exited(pod, rt);
    });
  }

  /** The container exited 0. */
  private exited(pod: SimPod, rt: PodRuntime): void {
    if ((pod.spec.restartPolicy ?? 'Always') === 'Always') {
      // Exit 0 under restartPolicy Always: restarted in place, with the same back-off as
      // a crash (the kubelet does not tell exit codes apart here).
      this.restartAfterBackoff(pod, rt);
      return;
    }
    this.finish(pod, 'Succeeded', 'Completed');
  }

  private finish(pod: SimPod, phase: 'Succeeded' | 'Failed', reason: string): void {
    this.post(pod, this.runtime(pod), 'phase', { phase, ready: false, reason });
  }

  /**
   * Graceful deletion: the containers get SIGTERM and exit after their shutdown time
   * (`ksim.dev/shutdown`, default 0s), killed at terminationGracePeriodSeconds (default 30);
   * then the kubelet confirms and the object is removed. A pod never started goes at once.
   */
  private terminate(pod: SimPod): void {
    const node = pod.spec.nodeName;
    // Nobody to stop it (kubelet down or cut off): the object stays Terminating until the
    // kubelet is back (resync) or the pod is force-deleted.
    if (node && this.isNodeDown(node)) return;
    const rt = this.runtimes.get(pod);
    if (rt?.timer) this.engine.cancel(rt.timer);
    const running =
      node !== undefined &&
      rt !== undefined &&
      rt.deferred !== 'restart' &&
      !isTerminal(rt.status.phase);
    const graceMs = running ? shutdownMs(pod) : 0;
    const confirm = (): void => {
      const r = this.runtime(pod);
      r.timer = undefined;
      r.deferred = undefined;
      r.unsynced = 'delete';
      this.sync(pod, r);
    };
    if (graceMs <= 0) {
      confirm();
      return;
    }
    this.at(pod, graceMs, confirm);
  }

  /** The object is gone from the API: nothing is left to run or post. */
  private stop(pod: SimPod): void {
    const rt = this.runtimes.get(pod);
    if (rt?.timer) this.engine.cancel(rt.timer);
    this.runtimes.delete(pod);
  }

  // ---- the status manager -----------------------------------------------------------------

  /** A local status change; posted now if the kubelet can write, otherwise later. */
  private post(pod: SimPod, rt: PodRuntime, change: string, patch: Partial<LocalStatus>): void {
    if (patch.ready !== undefined && patch.ready !== rt.status.ready)
      rt.status.readySince = this.engine.now;
    Object.assign(rt.status, patch);
    rt.unsynced = mergeChange(rt.unsynced, change);
    this.sync(pod, rt);
  }

  /**
   * Posts the pod's latest local status (or confirms its deletion) if the kubelet can
   * write now; returns false if it could not (unreachable node, or the write was refused:
   * retried on the next sync period).
   */
  private sync(pod: SimPod, rt: PodRuntime): boolean {
    const change = rt.unsynced;
    if (change === undefined) return true;
    if (this.store.getPod(pod.key) !== pod) {
      this.stop(pod); // deleted meanwhile: the status has nobody to go to
      return true;
    }
    const node = pod.spec.nodeName!;
    if (!this.reachable(node)) return false;
    if (!this.api.tryWrite(change === 'delete' ? 'pod-delete' : 'pod-status', `kubelet/${node}`)) {
      this.armSync(node);
      return false;
    }
    rt.unsynced = undefined;
    const now = this.engine.now;
    if (change === 'delete') {
      pod.times.finished ??= now;
      this.stop(pod);
      this.store.deletePod(pod);
      return true;
    }
    const s = rt.status;
    pod.status.phase = s.phase;
    setPodReady(pod, s.ready, s.readySince ?? now);
    pod.status.reason = s.reason;
    pod.status.restartCount = s.restartCount;
    // pods.csv shows what the API showed, and when: these are the instants of the posts.
    pod.times.started ??= now;
    if (s.ready) pod.times.ready ??= now;
    // Running once its containers ran, Ready or not (a crash-looping pod is Running).
    if ((s.ready || s.phase === 'Running') && pod.outcome === 'Pending') pod.outcome = 'Running';
    if (s.phase === 'Succeeded' || s.phase === 'Failed') {
      pod.times.finished ??= now;
      if (pod.outcome === 'Pending' || pod.outcome === 'Running') pod.outcome = s.phase;
      if (!rt.timer) this.runtimes.delete(pod); // nothing left to run: the cache entry goes
    }
    this.posting = true;
    try {
      this.store.updatePod(pod, change);
    } finally {
      this.posting = false;
    }
    return true;
  }

  /** Someone else changed the pod's Ready condition: the kubelet puts its own back. */
  private reconcile(pod: SimPod): void {
    const rt = this.runtimes.get(pod);
    if (!rt || rt.unsynced !== undefined || pod.status.ready === rt.status.ready) return;
    if (!pod.spec.nodeName || this.store.getPod(pod.key) !== pod) return;
    rt.unsynced = 'ready';
    if (this.reachable(pod.spec.nodeName)) this.armSync(pod.spec.nodeName);
  }

  /** The status manager's next periodic sync on the node (syncBatch every syncPeriod). */
  private armSync(node: string): void {
    if (this.syncTimers.has(node)) return;
    const period = this.config.statusSyncPeriodMs;
    const at = nextOnGrid(this.phases(node).statusSync, period, this.engine.now + 1);
    this.syncTimers.set(
      node,
      this.engine.scheduleAt(at, () => {
        this.syncTimers.delete(node);
        this.syncNode(node);
      }),
    );
  }

  private cancelSync(node: string): void {
    const t = this.syncTimers.get(node);
    if (t) this.engine.cancel(t);
    this.syncTimers.delete(node);
  }

  /**
   * Phases of the node's kubelet loops — status manager sync, runtime status check, node
   * status — drawn together, in that order, from `kubelet/<node>` the first time any is needed.
   */
  phases(node: string): KubeletPhases {
    let p = this.loopPhases.get(node);
    if (!p) {
      const rng = this.rng?.stream(`kubelet/${node}`);
      const draw = (period: number): number => Math.floor((rng?.next() ?? 0) * period);
      p = {
        statusSync: draw(this.config.statusSyncPeriodMs),
        runtimeProbe: draw(this.config.runtimeProbePeriodMs),
        nodeStatus: draw(this.config.nodeStatusUpdateFrequencyMs),
      };
      this.loopPhases.set(node, p);
    }
    return p;
  }

  /** Posts every unsynced status of the node; stops at the first refusal (retried later). */
  private syncNode(node: string): void {
    for (const pod of this.podsBoundTo(node)) {
      const rt = this.runtimes.get(pod);
      if (rt && !this.sync(pod, rt)) return;
    }
  }

  private recordPodEvent(pod: SimPod, reason: string, message: string): void {
    // Events go through the apiserver like statuses; a kubelet cut off loses them.
    if (this.reachable(pod.spec.nodeName ?? ''))
      this.events.record('Pod', pod.key, reason, message);
  }

  // ---- node failures ------------------------------------------------------------------------

  /**
   * The node's machine died: its containers are gone, so nothing on it runs, exits or
   * restarts, and the kubelet's status cache is lost. The API still shows the pods as they
   * were until node lifecycle marks them; after a reboot the kubelet restarts them.
   */
  private loseContainers(node: string): void {
    this.cancelSync(node);
    for (const pod of this.podsBoundTo(node)) {
      const rt = this.runtimes.get(pod);
      if (!rt) continue;
      if (rt.timer) this.engine.cancel(rt.timer);
      rt.timer = undefined;
      rt.unsynced = undefined;
      rt.status = apiStatus(pod);
      if (isTerminal(rt.status.phase)) this.runtimes.delete(pod);
      else rt.deferred = 'restart';
    }
  }

  /**
   * The kubelet catches up after an outage, with what it can do now: once it reaches the
   * apiserver it carries out deletions requested meanwhile, admits pods bound while it
   * could not see them and posts its pods' latest status; once it runs again it starts
   * what waited (lost containers restart with restartCount + 1, exits are observed).
   */
  private resync(node: string): void {
    const reachable = this.reachable(node);
    const acting = this.acting(node);
    for (const pod of this.podsBoundTo(node)) {
      if (this.store.getPod(pod.key) !== pod) continue;
      const rt = this.runtimes.get(pod);
      if (reachable && rt) this.sync(pod, rt);
      if (reachable && pod.metadata.deletionTimestamp !== undefined) {
        if (acting) this.terminate(pod);
        continue;
      }
      if (!rt) {
        if (reachable && acting && !podIsTerminal(pod)) this.admit(pod);
        continue;
      }
      if (acting && rt.deferred !== undefined) {
        const work = rt.deferred;
        rt.deferred = undefined;
        if (work === 'exit') this.exited(pod, rt);
        else if (work === 'start') this.startContainers(pod);
        else this.restart(pod, rt);
      }
      if (reachable && rt.unsynced === undefined && pod.status.ready !== rt.status.ready) {
        // Its containers kept running; only the Ready condition node lifecycle wrote is stale.
        this.post(pod, rt, 'ready', {});
      }
    }
  }

  /** Pods bound to the node (a copy: syncing them may remove them). */
  private podsBoundTo(node: string): SimPod[] {
    return (this.store.getNodeInfo(node)?.pods ?? []).filter((p) => p.spec.nodeName === node);
  }
}

/** The pod's status as the API shows it: where the kubelet's cache starts (or starts over). */
function apiStatus(pod: SimPod): LocalStatus {
  return {
    phase: pod.status.phase,
    ready: pod.status.ready,
    readySince: pod.status.readyTransitionTime,
    reason: pod.status.reason,
    restartCount: pod.status.restartCount,
  };
}

/** min(terminationGracePeriodSeconds, ksim.dev/shutdown) in ms; a bad annotation reads as 0. */
export function shutdownMs(pod: SimPod): number {
  const grace =
    (pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS) * 1000;
  const raw = pod.metadata.annotations[ANNOTATION_SHUTDOWN];
  let wanted = 0;
  if (raw !== undefined) {
    try {
      wanted = Math.max(0, parseDuration(raw));
    } catch {
      wanted = 0;
    }
  }
  return Math.max(0, Math.min(grace, wanted));
}
