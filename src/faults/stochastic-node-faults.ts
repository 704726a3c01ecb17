/**
 * Stochastic per-pool node faults (spec.faults kinds node-crash, kubelet-stop, partition):
 * every node of the pool alternates up for a time drawn from `mtbf` and down for one drawn
 * from `mttr`, until the end of the run. Each node draws from its own stream
 * `faults/<kind>/<node>`, so the same node fails at the same instants under every policy
 * (common random numbers). Two events per failure; nothing polls.
 */
import type { ComponentFactory, SimContext } from '../components/context.js';
import { nodeHealth } from '../controllers/node-lifecycle.js';
import type { StochasticNodeFaultParsed } from '../scenario/actions/node-fault-actions.js';
import { failNodes } from './node-faults.js';

/** A positive whole number of ms from a duration sample (a draw of 0 would repeat forever). */
function ms(v: number): number {
  return Math.max(1, Math.round(v));
}

export function startStochasticNodeFault(
  ctx: SimContext,
  kind: string,
  p: StochasticNodeFaultParsed,
): void {
  const end = ctx.scenario.durationMs;
  const health = nodeHealth(ctx);
  for (const node of ctx.scenario.nodes) {
    if (node.pool !== p.pool) continue;
    const name = node.metadata.name;
    const rng = ctx.rng.stream(`faults/${kind}/${name}`);
    const up = (from: number): void => {
      const at = from + ms(p.mtbf.sample(rng));
      if (at > end) return;
      ctx.engine.scheduleAt(at, () => {
        const down = ms(p.mttr.sample(rng));
        // A node gone or already down (another fault holds it) skips this failure.
        if (ctx.store.getNode(name) && !health.failure(name))
          failNodes(ctx, `${kind} ${name}`, [name], p.mode, down);
        up(at + down);
      });
    };
    up(0);
  }
}

export const startStochasticNodeFaults: ComponentFactory = (ctx) => {
  for (const f of ctx.scenario.faults) {
    const p = f.parsed as unknown as StochasticNodeFaultParsed;
    if (f.kind === 'node-crash' || f.kind === 'kubelet-stop' || f.kind === 'partition')
      startStochasticNodeFault(ctx, f.kind, p);
  }
};
