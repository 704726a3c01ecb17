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
import type { SimPod } from '../model/objects.js';
import type { ClusterStore, PodEvent } from '../model/store.js';

export interface KubeletConfig {
  /** CrashLoopBackOff: first restart delay, doubling up to the max (kubelet 10 s / 300 s). */
  crashBackoffInitialMs: number;
  crashBackoffMaxMs: number;
  /** A container that ran this long without crashing resets its backoff (10 min). */
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
      rt.backoffMs = 0;
      if (!this.api.tryWrite('pod-status', 'kubelet')) {
        // Status could not be posted; the container runs anyway, the API learns later.
      }
      pod.status.phase = 'Running';
      pod.status.ready = true;
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
    rt.backoffMs = rt.backoffMs
      ? Math.min(rt.backoffMs * 2, this.config.crashBackoffMaxMs)
      : this.config.crashBackoffInitialMs;
    pod.status.phase = 'Running';
    pod.status.reason = 'CrashLoopBackOff';
    this.events.record(
      'Pod',
      pod.key,
      'BackOff',
      `Back-off ${Math.round(rt.backoffMs / 1000)}s restarting failed container`,
    );
    this.store.updatePod(pod, 'status');
    this.at(pod, rt.backoffMs, () => this.startContainers(pod));
  }

  private scheduleExit(pod: SimPod): void {
    const d = pod.behaviour.durationMs;
    if (d === undefined) return;
    this.at(pod, d, () => {
      if (pod.spec.restartPolicy === 'Always') {
        // Exit 0 under restartPolicy Always: the container is restarted in place.
        pod.status.restartCount++;
        this.startContainers(pod);
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

  /** Graceful deletion: containers are stopped, then the object is removed. */
  private terminate(pod: SimPod): void {
    const node = pod.spec.nodeName;
    if (node && this.downNodes.has(node)) return; // nobody to confirm: the object stays Terminating
    this.stop(pod);
    pod.times.finished ??= this.engine.now;
    this.store.deletePod(pod);
  }

  private stop(pod: SimPod): void {
    const rt = this.runtimes.get(pod);
    if (rt?.timer) this.engine.cancel(rt.timer);
    this.runtimes.delete(pod);
  }
}
