/**
 * The node failures of a run (scripted or stochastic), as the measures see them: when, which
 * nodes, and a label for summary.json. Fault sources record here before they fail the nodes,
 * so the measures can take their "before" picture first.
 */
import type { SimContext } from '../components/context.js';
import type { NodeFailureMode } from '../kubelet/node-health.js';

export interface NodeFailureEvent {
  id: number;
  /** e.g. `fail-zone zone-b (crash)`, `node-crash general-7`. */
  label: string;
  at: number;
  nodes: string[];
  mode: NodeFailureMode;
}

export type FailureListener = (f: NodeFailureEvent) => void;

export class FailureLog {
  readonly failures: NodeFailureEvent[] = [];
  private readonly listeners: FailureListener[] = [];

  onFailure(l: FailureListener): void {
    this.listeners.push(l);
  }

  /** Announces a failure about to happen now (its nodes are still up). */
  begin(label: string, at: number, nodes: string[], mode: NodeFailureMode): NodeFailureEvent {
    const f: NodeFailureEvent = { id: this.failures.length, label, at, nodes, mode };
    this.failures.push(f);
    for (const l of this.listeners) l(f);
    return f;
  }
}

const logs = new WeakMap<SimContext, FailureLog>();

export function failureLogOf(ctx: SimContext): FailureLog {
  let log = logs.get(ctx);
  if (!log) logs.set(ctx, (log = new FailureLog()));
  return log;
}
