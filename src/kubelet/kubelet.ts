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
import { podIsTerminal, type SimPod } from '../model/objects.js';
import type { ClusterStore, PodEvent } from '../model/store.js';
import { parseDuration } from '../model/duration.js';
import { admissionRejection } from './admission.js';

/** How long a container takes to exit after SIGTERM (default 0s: most exit promptly). */
export const ANNOTATION_SHUTDOWN = 'ksim.dev/shutdown';
/** pod.spec.terminationGracePeriodSeconds default. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

export interface KubeletConfig {
  /** CrashLoopBackOff: first restart delay, doubling up to the max (kubelet 10 s / 300 s). */
  crashBackoffInitialMs: number;
  crashBackoffMaxMs: number;
  /**
   * A restart this long after the previous back-off starts over at the initial delay
   * (client-go flowcontrol.Backoff: an entry expires after 2 × max = 10 min).
   */
  crashBackoffResetMs: number;
}

export const DEFAULT_KUBELET_CONFIG: KubeletConfig = {
  crashBackoffInitialMs: 10_000,
  crashBackoffMaxMs: 300_000,
  crashBackoffResetMs: 600_000,
};

interface PodRuntime {
  timer?: Timer;
  /** Remaining crashing starts before a start that succeeds. */
  crashesLeft: number;
  backoffMs: number;
  /** When the back-off was last advanced (its reset clock). */
  backoffAt?: number;
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
      // Described as already running on its node at time 0 — if the node admits it.
      if (!this.rejectIfNoRoom(pod)) this.adoptRunning(pod);
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
      rt = { crashesLeft: this.crashesFor(pod), backoffMs: 0 };
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
    pod.status.ready = true;
    pod.outcome = 'Running';
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
    if (this.downNodes.has(pod.spec.nodeName!)) return;
    pod.times.started ??= this.engine.now;
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
      pod.status.ready = true;
      pod.status.reason = undefined;
      pod.times.ready ??= this.engine.now;
      pod.outcome = 'Running';
      this.store.updatePod(pod, 'ready');
      this.scheduleExit(pod);
    });
  }

  /** A start that crashed: restart after CrashLoopBackOff (10 s doubling, capped at 300 s). */
  private crash(pod: SimPod, rt: PodRuntime): void {
    pod.status.restartCount++;
    const policy = pod.spec.restartPolicy ?? 'Always';
    if (policy === 'Never') {
      this.finish(pod, 'Failed', 'Error');
      return;
    }
    pod.status.phase = 'Running';
    this.restartAfterBackoff(pod, rt);
  }

  /**
   * Restart after CrashLoopBackOff: 10 s doubling to 300 s; the back-off starts over when
   * the previous one is older than crashBackoffResetMs. The pod is not Ready meanwhile.
   */
  private restartAfterBackoff(pod: SimPod, rt: PodRuntime): void {
    const now = this.engine.now;
    const expired =
      rt.backoffAt === undefined || now - rt.backoffAt > this.config.crashBackoffResetMs;
    rt.backoffMs =
      expired || !rt.backoffMs
        ? this.config.crashBackoffInitialMs
        : Math.min(rt.backoffMs * 2, this.config.crashBackoffMaxMs);
    rt.backoffAt = now;
    pod.status.reason = 'CrashLoopBackOff';
    pod.status.ready = false;
    this.events.record(
      'Pod',
      pod.key,
      'BackOff',
      `Back-off ${Math.round(rt.backoffMs / 1000)}s restarting failed container`,
    );
    this.store.updatePod(pod, 'ready');
    this.at(pod, rt.backoffMs, () => this.startContainers(pod));
  }

  private scheduleExit(pod: SimPod): void {
    const d = pod.behaviour.durationMs;
    if (d === undefined) return;
    this.at(pod, d, () => {
      if ((pod.spec.restartPolicy ?? 'Always') === 'Always') {
        // Exit 0 under restartPolicy Always: restarted in place, with the same back-off as
        // a crash (the kubelet does not tell exit codes apart here).
        pod.status.restartCount++;
        this.restartAfterBackoff(pod, this.runtime(pod));
        return;
      }
      this.finish(pod, 'Succeeded', 'Completed');
    });
  }

  private finish(pod: SimPod, phase: 'Succeeded' | 'Failed', reason: string): void {
    pod.status.phase = phase;
    pod.status.ready = false;
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
        pod.status.ready = false;
        this.store.updatePod(pod, 'ready');
        this.startContainers(pod);
      } else if (
        !pod.status.ready &&
        pod.times.ready !== undefined &&
        pod.status.reason !== 'CrashLoopBackOff'
      ) {
        // Its containers kept running; only the Ready condition node lifecycle wrote is stale.
        pod.status.ready = true;
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
