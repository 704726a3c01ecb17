/**
 * The node failures of a run (scripted or stochastic faults, and Node removals), as the
 * measures see them: when, which nodes, and a label for summary.json. Fault sources record
 * here before they fail the nodes, so the measures can take their "before" picture first; a
 * removal is recorded as its Node objects go (nodes removed at one instant are one failure).
 */
import type { SimContext } from '../components/context.js';
import type { NodeFailureMode } from '../kubelet/node-health.js';

export interface NodeFailureEvent {
  id: number;
  /** e.g. `fail-zone zone-b (crash)`, `node-crash general-7`, `remove-nodes general-3`. */
  label: string;
  at: number;
  nodes: string[];
  mode: NodeFailureMode | 'removal';
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
    return this.announce({ id: this.failures.length, label, at, nodes, mode });
  }

  /**
   * A Node object was deleted now (remove-nodes): a failure of its own, or one more node of
   * the removal that began at this same instant (announced again, grown).
   */
  removal(node: string, at: number): NodeFailureEvent {
    const last = this.failures[this.failures.length - 1];
    if (last && last.mode === 'removal' && last.at === at) {
      last.nodes.push(node);
      last.label = `remove-nodes ${last.nodes.length <= 3 ? last.nodes.join(' ') : `×${last.nodes.length}`}`;
      for (const l of this.listeners) l(last);
      return last;
    }
    const f: NodeFailureEvent = {
      id: this.failures.length,
      label: `remove-nodes ${node}`,
      at,
      nodes: [node],
      mode: 'removal',
    };
    return this.announce(f);
  }

  private announce(f: NodeFailureEvent): NodeFailureEvent {
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
