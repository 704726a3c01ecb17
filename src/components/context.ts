/**
 * What a simulation component (kubelets, controllers, control plane, fault injectors) is
 * given: the engine, named random streams, the store and event log, the apiserver gate,
 * leader-election gates, the loaded scenario and the metrics collector. Components talk to
 * each other only through the store and these gates — never by calling each other.
 */
import type { Engine } from '../engine/engine.js';
import type { RngStreams } from '../engine/rng.js';
import type { WriteGate, WriteKind } from '../model/api.js';
import type { EventLog } from '../model/events.js';
import type { ClusterStore } from '../model/store.js';
import type { MetricsCollector } from '../metrics/collector.js';
import type { Scenario, TimelineEntry } from '../scenario/types.js';
import type { Kubelets } from '../kubelet/kubelet.js';

/** The apiserver gate everybody writes through; the control plane installs the real one. */
export class ApiGate implements WriteGate {
  inner: WriteGate = { tryWrite: () => true };
  /** Refused writes by kind (summary: apiserver writes refused). */
  readonly refused = new Map<WriteKind, number>();

  tryWrite(kind: WriteKind, actor: string): boolean {
    if (this.inner.tryWrite(kind, actor)) return true;
    this.refused.set(kind, (this.refused.get(kind) ?? 0) + 1);
    return false;
  }
}

/** Whether a leader-elected component (scheduler, controller-manager) may work now. */
export class LeaderGate {
  private activeNow = true;
  private readonly listeners: Array<(active: boolean) => void> = [];

  get active(): boolean {
    return this.activeNow;
  }

  set(active: boolean): void {
    if (active === this.activeNow) return;
    this.activeNow = active;
    for (const l of this.listeners) l(active);
  }

  onChange(listener: (active: boolean) => void): void {
    this.listeners.push(listener);
  }
}

/** Executes a timeline action at its time (validated earlier by the scenario layer). */
export type ActionExecutor = (entry: TimelineEntry, ctx: SimContext) => void;

export interface SimContext {
  engine: Engine;
  rng: RngStreams;
  store: ClusterStore;
  events: EventLog;
  api: ApiGate;
  leaders: { scheduler: LeaderGate; controllerManager: LeaderGate };
  scenario: Scenario;
  metrics: MetricsCollector;
  seed: number;
  /** The kubelets of all nodes (node failures stop and restart them). */
  kubelets: Kubelets;
  /** Timeline action executors by action name; components register theirs at start. */
  actions: Map<string, ActionExecutor>;
}

/** A component is started once, before virtual time begins. */
export type ComponentFactory = (ctx: SimContext) => void;
