/**
 * The kubelets of all nodes, as one component. A pod bound to a node is acknowledged
 * (status.startTime), becomes Running and Ready after its sampled startup latency, runs
 * for its sampled duration (if any) and exits, freeing its resources. Crashing starts
 * restart with CrashLoopBackOff. A pod being deleted is stopped and its object removed.
 *
 * Each pod costs a handful of events over its life; nothing polls.
 */
import type { Engine, Timer } from '../engine/engine.js';
import type { WriteGate } from '../model/api.js';
import type { EventLog } from '../model/events.js';
import { podIsTerminal, setPodReady, type SimPod } from '../model/objects.js';
import type { ClusterStore, PodEvent } from '../model/store.js';
import { parseDuration } from '../model/duration.js';

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
}

export const DEFAULT_KUBELET_CONFIG: KubeletConfig = {
  crashBackoffInitialMs: 10_000,
  crashBackoffMaxMs: 300_000,
  crashBackoffResetMs: 600_000,
};

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
}

export class Kubelets {
  private readonly runtimes = new Map<SimPod, PodRuntime>();
  /** Nodes whose kubelet is down (crashed node, stopped kubelet): they act on nothing. */
  private readonly downNodes = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly store: ClusterStore,
    private readonly api: WriteGate,
    private readonly events: EventLog,
    readonly config: KubeletConfig,
    /** Number of crashing starts before a good one, sampled per pod (common random numbers). */
    private readonly crashesFor: (pod: SimPod) => number,
  ) {
    store.onPod((e) => this.onPodEvent(e));
  }

  private onPodEvent(e: PodEvent): void {
    const pod = e.pod;
    if (e.type === 'add' && pod.spec.nodeName) {
      // Described as already running on its node at time 0.
      this.adoptRunning(pod);
    } else if (e.type === 'update' && e.change === 'bound') {
      this.admit(pod);
    } else if (e.type === 'update' && e.change === 'deleting') {
      this.terminate(pod);
    } else if (e.type === 'delete') {
      this.stop(pod);
    }
  }

  setNodeDown(node: string, down: boolean): void {
    if (down) this.downNodes.add(node);
    else this.downNodes.delete(node);
  }

  isNodeDown(node: string): boolean {
    return this.downNodes.has(node);
  }

  private runtime(pod: SimPod): PodRuntime {
    let rt = this.runtimes.get(pod);
    if (!rt) {
      rt = { crashesLeft: this.crashesFor(pod) };
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
    this.store.updatePod(pod, 'ready');
    this.scheduleExit(pod);
  }

  /** The kubelet sees the binding: pull the image and start the containers. */
  private admit(pod: SimPod): void {
    if (this.downNodes.has(pod.spec.nodeName!)) return;
    pod.times.started ??= this.engine.now;
    // The first status the kubelet posts carries the Ready condition, False.
    setPodReady(pod, false, this.engine.now);
    this.startContainers(pod);
  }

  private startContainers(pod: SimPod): void {
    const rt = this.runtime(pod);
    this.at(pod, pod.behaviour.startupMs, () => {
      if (rt.crashesLeft > 0) {
        rt.crashesLeft--;
        this.crash(pod, rt);
        return;
      }
      if (!this.api.tryWrite('pod-status', 'kubelet')) {
        // Status could not be posted; the container runs anyway, the API learns later.
      }
      pod.status.phase = 'Running';
      setPodReady(pod, true, this.engine.now);
      pod.status.reason = undefined;
      pod.times.ready ??= this.engine.now;
      pod.outcome = 'Running';
      this.store.updatePod(pod, 'ready');
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
    pod.status.phase = 'Running';
    pod.outcome = 'Running';
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
    setPodReady(pod, false, now);
    if (!entry || now - entry.lastUpdate > cfg.crashBackoffResetMs) {
      rt.backoff = { delayMs: initial, lastUpdate: now };
      pod.status.reason = undefined;
      pod.status.restartCount++;
      this.store.updatePod(pod, 'ready');
      this.startContainers(pod);
      return;
    }
    pod.status.reason = 'CrashLoopBackOff';
    this.events.record(
      'Pod',
      pod.key,
      'BackOff',
      `Back-off ${Math.round(entry.delayMs / 1000)}s restarting failed container`,
    );
    this.store.updatePod(pod, 'ready');
    this.at(pod, entry.delayMs, () => {
      entry.delayMs = Math.min(entry.delayMs * 2, cfg.crashBackoffMaxMs);
      entry.lastUpdate = this.engine.now;
      pod.status.reason = undefined;
      pod.status.restartCount++;
      this.store.updatePod(pod, 'ready');
      this.startContainers(pod);
    });
  }

  private scheduleExit(pod: SimPod): void {
    const d = pod.behaviour.durationMs;
    if (d === undefined) return;
    this.at(pod, d, () => {
      if ((pod.spec.restartPolicy ?? 'Always') === 'Always') {
        // Exit 0 under restartPolicy Always: restarted in place, with the same back-off as
        // a crash (the kubelet does not tell exit codes apart here).
        this.restartAfterBackoff(pod, this.runtime(pod));
        return;
      }
      this.finish(pod, 'Succeeded', 'Completed');
    });
  }

  private finish(pod: SimPod, phase: 'Succeeded' | 'Failed', reason: string): void {
    pod.status.phase = phase;
    setPodReady(pod, false, this.engine.now);
    pod.status.reason = reason;
    pod.times.finished = this.engine.now;
    pod.outcome = phase;
    this.runtimes.delete(pod);
    this.store.updatePod(pod, 'phase');
  }

  /**
   * Graceful deletion: the containers get SIGTERM and exit after their shutdown time
   * (`ksim.dev/shutdown`, default 0s), killed at terminationGracePeriodSeconds (default 30);
   * then the kubelet confirms and the object is removed. A pod never started goes at once.
   */
  private terminate(pod: SimPod): void {
    const node = pod.spec.nodeName;
    if (node && this.downNodes.has(node)) return; // nobody to confirm: the object stays Terminating
    const running = node !== undefined && pod.times.started !== undefined && !podIsTerminal(pod);
    const graceMs = running ? shutdownMs(pod) : 0;
    this.stop(pod);
    if (graceMs <= 0) {
      this.remove(pod);
      return;
    }
    this.at(pod, graceMs, () => {
      this.runtimes.delete(pod);
      this.remove(pod);
    });
  }

  private remove(pod: SimPod): void {
    pod.times.finished ??= this.engine.now;
    this.store.deletePod(pod);
  }

  private stop(pod: SimPod): void {
    const rt = this.runtimes.get(pod);
    if (rt?.timer) this.engine.cancel(rt.timer);
    this.runtimes.delete(pod);
  }

  // ---- node failure hooks (used by node-health.ts) ----------------------------------------

  /**
   * The node's machine died: its containers are gone, so nothing on it runs, exits or
   * restarts. The API still shows the pods Running until node lifecycle marks them.
   */
  killContainersOnNode(node: string): void {
    this.downNodes.add(node);
    for (const pod of this.podsBoundTo(node)) this.stop(pod);
  }

  /**
   * The kubelet reports again (reboot, restart, healed partition) and syncs the pods bound
   * to it: deletions requested meanwhile are carried out, pods it never started are started,
   * lost containers are restarted, and running ones post Ready again.
   */
  resumeNode(node: string, containersLost: boolean): void {
    this.downNodes.delete(node);
    for (const pod of this.podsBoundTo(node)) {
      if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') continue;
      if (pod.metadata.deletionTimestamp !== undefined) {
        this.terminate(pod);
      } else if (pod.times.started === undefined) {
        this.admit(pod);
      } else if (containersLost) {
        pod.status.restartCount++;
        setPodReady(pod, false, this.engine.now);
        this.store.updatePod(pod, 'ready');
        this.startContainers(pod);
      } else if (
        !pod.status.ready &&
        pod.times.ready !== undefined &&
        pod.status.reason !== 'CrashLoopBackOff'
      ) {
        // Its containers kept running; only the Ready condition node lifecycle wrote is stale.
        // Posting Ready again is a new transition: minReadySeconds counts from here.
        setPodReady(pod, true, this.engine.now);
        this.store.updatePod(pod, 'ready');
      }
    }
  }

  /** Pods bound to the node (a copy: syncing them may remove them). */
  private podsBoundTo(node: string): SimPod[] {
    return (this.store.getNodeInfo(node)?.pods ?? []).filter((p) => p.spec.nodeName === node);
  }
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
