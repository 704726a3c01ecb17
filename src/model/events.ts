/**
 * Kubernetes-style events (events.csv): what `kubectl get events` would show, plus the
 * simulator's own `Simulation` rows for scripted actions and failures (report markers).
 */
export interface ClusterEvent {
  /** Virtual ms. */
  time: number;
  /** Kind of the involved object: Pod, Node, Deployment, …, or Simulation. */
  kind: string;
  /** namespace/name (or name for cluster-scoped objects). */
  object: string;
  reason: string;
  message: string;
}

export type EventListener = (e: ClusterEvent) => void;

export class EventLog {
  private readonly listeners: EventListener[] = [];
  constructor(private readonly now: () => number) {}

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  record(kind: string, object: string, reason: string, message: string): void {
    const e: ClusterEvent = { time: this.now(), kind, object, reason, message };
    for (const l of this.listeners) l(e);
  }
}
