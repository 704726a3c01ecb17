/**
 * Stochastic per-pool node faults (spec.faults kinds node-crash, kubelet-stop, partition,
 * runtime-down):
 * every node of the pool alternates up for a time drawn from `mtbf` and down for one drawn
 * from `mttr`, until the end of the run — nodes present at the start from time 0, nodes that
 * join later (add-nodes) from the instant they join, until they are removed.
 *
 * Each node draws from its own stream, named after the entry, never after its position:
 * `faults/<name>/<node>` for an entry with a `name`; otherwise `faults/<kind>/<node>` for the
 * first entry of that kind on the pool and `faults/<kind>#<k>/<node>` for the k-th further one.
 * So the same node fails at the same instants under every policy (common random numbers), and
 * adding a fault entry of another kind or pool — or a later one of the same kind — never moves
 * an existing entry's failures. Two events per failure; nothing polls.
 */
import type { ComponentFactory, SimContext } from '../components/context.js';
import { nodeHealth } from '../controllers/node-lifecycle.js';
import type { Issues } from '../scenario/source.js';
import type { FaultSpec, TimelineEntry } from '../scenario/types.js';
import type { StochasticNodeFaultParsed } from '../scenario/actions/node-fault-actions.js';
import { failNodes } from './node-faults.js';

export const STOCHASTIC_NODE_FAULT_KINDS: readonly string[] = [
  'node-crash',
  'kubelet-stop',
  'partition',
  'runtime-down',
];

/** A positive whole number of ms from a duration sample (a draw of 0 would repeat forever). */
function ms(v: number): number {
  return Math.max(1, Math.round(v));
}

/** The stream prefix of every node fault entry (see the file comment), in `faults` order. */
export function stochasticFaultStreams(faults: readonly FaultSpec[]): Map<FaultSpec, string> {
  const out = new Map<FaultSpec, string>();
  const seen = new Map<string, number>();
  for (const f of faults) {
    if (!STOCHASTIC_NODE_FAULT_KINDS.includes(f.kind)) continue;
    const p = f.parsed as unknown as StochasticNodeFaultParsed;
    if (p.name !== undefined) {
      out.set(f, `faults/${p.name}`);
      continue;
    }
    const group = `${f.kind}\u0000${p.pool}`;
    const k = seen.get(group) ?? 0;
    seen.set(group, k + 1);
    out.set(f, k === 0 ? `faults/${f.kind}` : `faults/${f.kind}#${k}`);
  }
  return out;
}

/** `name` must be unique among the node faults (timeline entries and spec.faults). */
export function checkFaultNames(
  timeline: readonly TimelineEntry[],
  faults: readonly FaultSpec[],
  issues: Issues,
): void {
  const seen = new Set<string>();
  const check = (name: unknown, origin: TimelineEntry['origin']): void => {
    if (typeof name !== 'string') return;
    if (seen.has(name))
      issues.at(origin.src, [...origin.path, 'name'], `the fault name "${name}" is used twice`);
    seen.add(name);
  };
  for (const e of timeline)
    if (e.action === 'fail-node' || e.action === 'fail-zone') check(e.parsed.name, e.origin);
  for (const f of faults)
    if (STOCHASTIC_NODE_FAULT_KINDS.includes(f.kind)) check(f.parsed.name, f.origin);
}

export function startStochasticNodeFault(
  ctx: SimContext,
  kind: string,
  p: StochasticNodeFaultParsed,
  stream: string,
): void {
  const end = ctx.scenario.durationMs;
  const health = nodeHealth(ctx);
  const alternate = (name: string, from: number): void => {
    const rng = ctx.rng.stream(`${stream}/${name}`);
    const up = (after: number): void => {
      const at = after + ms(p.mtbf.sample(rng));
      if (at > end) return;
      ctx.engine.scheduleAt(at, () => {
        // A removed node stops drawing; one already down (another fault holds it) skips this
        // failure but keeps its rhythm.
        if (!ctx.store.getNode(name)) return;
        const down = ms(p.mttr.sample(rng));
        if (!health.failure(name)) failNodes(ctx, `${kind} ${name}`, [name], p.mode, down);
        up(at + down);
      });
    };
    up(from);
  };
  const started = new Set<string>();
  const start = (name: string, from: number): void => {
    if (started.has(name)) return;
    started.add(name);
    alternate(name, from);
  };
  for (const node of ctx.scenario.nodes) if (node.pool === p.pool) start(node.metadata.name, 0);
  ctx.store.onNode((e) => {
    if (e.type === 'add' && e.node.pool === p.pool) start(e.node.metadata.name, ctx.engine.now);
  });
}

export const startStochasticNodeFaults: ComponentFactory = (ctx) => {
  checkFaultNames(ctx.scenario.timeline, ctx.scenario.faults, ctx.startupIssues);
  for (const [f, stream] of stochasticFaultStreams(ctx.scenario.faults))
    startStochasticNodeFault(ctx, f.kind, f.parsed as unknown as StochasticNodeFaultParsed, stream);
};
