/**
 * Scripted node failures on the timeline: `fail-node` and `fail-zone`
 * (validated in scenario/actions/node-fault-actions.ts). Which nodes of a pool or zone fail
 * is drawn from a stream named after what the entry is, not where it sits in the timeline:
 * `faults/<name>` for an entry with a `name`, otherwise
 * `faults/<action>@<at ms>/<target as JSON>` (with `#k` appended for the k-th identical entry),
 * so inserting or removing another entry never changes this one's choice.
 */
import type { ActionExecutor, ComponentFactory, SimContext } from '../components/context.js';
import type { Rng } from '../engine/rng.js';
import { nodeHealth } from '../controllers/node-lifecycle.js';
import type { NodeFailureMode, NodeFailureToken } from '../kubelet/node-health.js';
import { LABEL_ZONE } from '../model/objects.js';
import type { NodeFaultParsed, NodeTarget } from '../scenario/actions/node-fault-actions.js';
import type { TimelineEntry } from '../scenario/types.js';
import { failureLogOf } from './failure-log.js';

/** `count` distinct items in a random order (partial Fisher–Yates over a copy). */
export function pick<T>(items: readonly T[], count: number, rng: Rng): T[] {
  const a = [...items];
  const n = Math.min(count, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

/**
 * Nodes a target names, among those present now and not already down: a node named by
 * `{node}` may already have a failure of another kind (runtime-down, then a partition); the
 * nodes drawn from a pool or zone have none.
 */
export function resolveTarget(
  ctx: SimContext,
  target: NodeTarget,
  rng: () => Rng,
  allOfZone: boolean,
  mode: NodeFailureMode = 'crash',
): string[] {
  const health = nodeHealth(ctx);
  if ('node' in target) return health.canFail(target.node, mode) ? [target.node] : [];
  const up = ctx.store
    .nodes()
    .map((i) => i.node)
    .filter((n) => !health.failure(n.metadata.name));
  const candidates = (
    'pool' in target
      ? up.filter((n) => n.pool === target.pool)
      : up.filter((n) => n.metadata.labels[LABEL_ZONE] === target.zone)
  ).map((n) => n.metadata.name);
  if ('zone' in target && (allOfZone || target.count === undefined)) {
    return allOfZone ? candidates : pick(candidates, 1, rng());
  }
  return pick(candidates, (target as { count: number }).count, rng());
}

function describe(target: NodeTarget): string {
  if ('node' in target) return target.node;
  if ('pool' in target) return `pool ${target.pool} ×${target.count}`;
  return target.count === undefined
    ? `zone ${target.zone}`
    : `zone ${target.zone} ×${target.count}`;
}

/** Fails the nodes now (one failure for the measures) and recovers them after `recoverAfterMs`. */
export function failNodes(
  ctx: SimContext,
  label: string,
  nodes: string[],
  mode: NodeFailureMode,
  recoverAfterMs?: number,
): NodeFailureToken[] {
  const health = nodeHealth(ctx);
  failureLogOf(ctx).begin(label, ctx.engine.now, nodes, mode);
  const tokens: NodeFailureToken[] = [];
  for (const node of nodes) {
    const t = health.fail(node, mode);
    if (t) tokens.push(t);
  }
  if (recoverAfterMs !== undefined) {
    ctx.engine.schedule(recoverAfterMs, () => {
      for (const t of tokens) health.recover(t);
    });
  }
  return tokens;
}

/** The stream a scripted entry draws its nodes from (see the file comment). */
export function scriptedFaultStream(
  timeline: readonly TimelineEntry[],
  entry: TimelineEntry,
): string {
  const name = (entry.parsed as unknown as NodeFaultParsed).name;
  if (name !== undefined) return `faults/${name}`;
  const keyOf = (e: TimelineEntry): string =>
    `faults/${e.action}@${e.atMs}/${JSON.stringify((e.parsed as unknown as NodeFaultParsed).target)}`;
  const key = keyOf(entry);
  let k = 0;
  for (const e of timeline) {
    if (e === entry) break;
    const named = (e.parsed as unknown as NodeFaultParsed).name !== undefined;
    if ((e.action === 'fail-node' || e.action === 'fail-zone') && !named && keyOf(e) === key) k++;
  }
  return k === 0 ? key : `${key}#${k}`;
}

function rngFor(ctx: SimContext, entry: TimelineEntry): () => Rng {
  return () => ctx.rng.stream(scriptedFaultStream(ctx.scenario.timeline, entry));
}

function nothingToDo(ctx: SimContext, entry: TimelineEntry, what: string): void {
  ctx.events.record('Simulation', entry.action, 'FailedFault', `${what}: no such node that is up`);
}

const failNodeExecutor =
  (allOfZone: boolean): ActionExecutor =>
  (entry, ctx) => {
    const p = entry.parsed as unknown as NodeFaultParsed;
    const nodes = resolveTarget(ctx, p.target, rngFor(ctx, entry), allOfZone, p.mode);
    const what =
      allOfZone && 'zone' in p.target
        ? `${entry.action} ${p.target.zone}`
        : `${entry.action} ${describe(p.target)}`;
    if (nodes.length === 0) return nothingToDo(ctx, entry, what);
    failNodes(ctx, `${what} (${p.mode})`, nodes, p.mode, p.recoverAfterMs);
  };

export const startNodeFaults: ComponentFactory = (ctx) => {
  nodeHealth(ctx);
  ctx.actions.set('fail-node', failNodeExecutor(false));
  ctx.actions.set('fail-zone', failNodeExecutor(true));
};
