/**
 * Executors of the node maintenance actions (what an operator does with kubectl and a
 * cloud console): cordon/uncordon set `spec.unschedulable`; drain cordons, then evicts
 * every pod on the node except DaemonSet pods (`kubectl drain --ignore-daemonsets`) through
 * the Eviction API, retrying each refused eviction every 5 s as kubectl does, until the
 * pods are gone or the timeout passes; add-nodes stamps `<pool>-<next index>` nodes from the
 * pool's template (booting for `readyAfter` first, if given); remove-nodes deletes Node objects (the machines are gone; their pods are
 * left to PodGC). Not leader-gated: kubectl is a client, but every write needs the apiserver.
 */
import type { ActionExecutor, SimContext } from '../components/context.js';
import { LABEL_ZONE, type SimNode, type SimPod } from '../model/objects.js';
import type {
  AddNodesParsed,
  CordonParsed,
  DrainParsed,
  MaintenanceTarget,
  RemoveNodesParsed,
} from '../scenario/actions/node-actions.js';
import { buildNode, LABEL_POOL } from '../scenario/nodes.js';
import { ANNOTATION_READY_AFTER } from '../kubelet/node-health.js';
import { evictPodWithReason } from './eviction.js';
import { DAEMONSET_KIND } from './daemonset.js';

/** kubectl drain: a refused eviction (429) is retried after 5 s. */
export const DRAIN_EVICTION_RETRY_MS = 5_000;
/** A client retries a write the apiserver refused after 1 s. */
const CLIENT_RETRY_MS = 1_000;

export function startNodeMaintenance(ctx: SimContext): void {
  const nextIndex = new Map<string, number>();
  for (const pool of ctx.scenario.pools ?? []) nextIndex.set(pool.name, pool.count);
  ctx.actions.set('cordon', (entry) =>
    forTargets(ctx, entry.parsed as unknown as CordonParsed, true),
  );
  ctx.actions.set('uncordon', (entry) =>
    forTargets(ctx, entry.parsed as unknown as CordonParsed, false),
  );
  ctx.actions.set('drain', drainExecutor);
  ctx.actions.set('add-nodes', (entry) =>
    addNodes(ctx, entry.parsed as unknown as AddNodesParsed, nextIndex),
  );
  ctx.actions.set('remove-nodes', (entry) =>
    removeNodes(ctx, entry.parsed as unknown as RemoveNodesParsed),
  );
}

const drainExecutor: ActionExecutor = (entry, ctx) => {
  const p = entry.parsed as unknown as DrainParsed;
  const nodes = targetNodes(ctx, p.target);
  const deadline = p.timeoutMs === undefined ? undefined : ctx.engine.now + p.timeoutMs;
  for (const node of nodes) {
    setUnschedulable(ctx, node, true);
    drainNode(ctx, node.metadata.name, deadline);
  }
};

/** Nodes a target names, in cluster order; an unknown name is reported as a warning event. */
export function targetNodes(ctx: SimContext, t: MaintenanceTarget): SimNode[] {
  const all = ctx.store.nodes().map((i) => i.node);
  const out =
    'node' in t
      ? all.filter((n) => n.metadata.name === t.node)
      : 'pool' in t
        ? all.filter((n) => n.pool === t.pool || n.metadata.labels[LABEL_POOL] === t.pool)
        : all.filter((n) => n.metadata.labels[LABEL_ZONE] === t.zone);
  if (out.length === 0) {
    ctx.events.record(
      'Simulation',
      JSON.stringify(t),
      'NoSuchTarget',
      'the target matches no node',
    );
  }
  return out;
}

function forTargets(ctx: SimContext, p: CordonParsed, unschedulable: boolean): void {
  for (const node of targetNodes(ctx, p.target)) setUnschedulable(ctx, node, unschedulable);
}

function setUnschedulable(ctx: SimContext, node: SimNode, value: boolean): void {
  if (node.spec.unschedulable === value) return;
  if (!ctx.api.tryWrite('object', 'kubectl')) {
    ctx.engine.schedule(CLIENT_RETRY_MS, () => {
      const n = ctx.store.getNode(node.metadata.name);
      if (n) setUnschedulable(ctx, n, value);
    });
    return;
  }
  node.spec.unschedulable = value;
  const name = node.metadata.name;
  ctx.events.record(
    'Node',
    name,
    value ? 'NodeNotSchedulable' : 'NodeSchedulable',
    `Node ${name} status is now: ${value ? 'NodeNotSchedulable' : 'NodeSchedulable'}`,
  );
  ctx.store.updateNode(node, 'unschedulable');
}

function isDaemonSetPod(pod: SimPod): boolean {
  return (
    pod.metadata.ownerReferences?.some((r) => r.controller && r.kind === DAEMONSET_KIND) ?? false
  );
}

/**
 * Evicts the node's pods, each refused one again every 5 s; reports `Drained` once none is
 * left (DaemonSet pods aside) or `DrainTimeout` at the deadline.
 */
function drainNode(ctx: SimContext, node: string, deadline: number | undefined): void {
  const { store, engine } = ctx;
  let done = false;
  const remaining = (): SimPod[] => {
    const out: SimPod[] = [];
    for (const p of store.pods()) if (p.spec.nodeName === node && !isDaemonSetPod(p)) out.push(p);
    return out;
  };
  const finishIfEmpty = (): void => {
    if (done || remaining().length > 0) return;
    done = true;
    ctx.events.record('Node', node, 'Drained', `node/${node} drained`);
  };
  const attempt = (pod: SimPod): void => {
    if (done || store.getPod(pod.key) !== pod || pod.metadata.deletionTimestamp !== undefined)
      return;
    if (deadline !== undefined && engine.now >= deadline) return;
    const outcome = evictPodWithReason(ctx, pod, `Evicted by drain of node ${node}`);
    if (outcome === 'Evicted') return;
    if (outcome === 'TooManyRequests') {
      ctx.events.record(
        'Pod',
        pod.key,
        'EvictionRefused',
        "Cannot evict pod as it would violate the pod's disruption budget.",
      );
    }
    const retry = outcome === 'Unavailable' ? CLIENT_RETRY_MS : DRAIN_EVICTION_RETRY_MS;
    engine.schedule(retry, () => attempt(pod));
  };
  store.onPod((e) => {
    if (!done && e.type === 'delete' && e.nodeName === node) finishIfEmpty();
  });
  if (deadline !== undefined) {
    engine.scheduleAt(deadline, () => {
      if (done) return;
      done = true;
      ctx.events.record(
        'Node',
        node,
        'DrainTimeout',
        `drain of node/${node} timed out with ${remaining().length} pod(s) left`,
      );
    });
  }
  for (const pod of remaining()) attempt(pod);
  finishIfEmpty();
}

function addNodes(ctx: SimContext, p: AddNodesParsed, nextIndex: Map<string, number>): void {
  const pool = (ctx.scenario.pools ?? []).find((x) => x.name === p.pool);
  if (!pool?.shape) {
    ctx.events.record(
      'Simulation',
      p.pool,
      'NoSuchPool',
      pool ? `pool ${p.pool} has no template to add nodes from` : `no node pool named ${p.pool}`,
    );
    return;
  }
  if (!ctx.api.tryWrite('node-status', 'cloud-provider')) {
    ctx.engine.schedule(CLIENT_RETRY_MS, () => addNodes(ctx, p, nextIndex));
    return;
  }
  for (let k = 0; k < p.count; k++) {
    const i = nextIndex.get(pool.name) ?? pool.count;
    nextIndex.set(pool.name, i + 1);
    const extra: Record<string, string> = { [LABEL_POOL]: pool.name };
    if (pool.zones.length) extra[LABEL_ZONE] = pool.zones[i % pool.zones.length]!;
    const node = buildNode(`${pool.name}-${i}`, pool.shape, pool.name, extra);
    node.metadata.creationTimestamp = ctx.engine.now;
    if (p.readyAfterMs) {
      // The machine is still booting: no Ready condition until its kubelet posts one.
      node.metadata.annotations[ANNOTATION_READY_AFTER] = `${p.readyAfterMs}ms`;
      node.status.ready = 'Unknown';
      node.status.neverPosted = true;
    }
    ctx.store.addNode(node);
    ctx.events.record(
      'Node',
      node.metadata.name,
      'RegisteredNode',
      `Node ${node.metadata.name} event: Registered Node ${node.metadata.name} in Controller`,
    );
  }
}

function removeNodes(ctx: SimContext, p: RemoveNodesParsed): void {
  const t = p.target;
  const all = ctx.store.nodes().map((i) => i.node);
  const victims =
    'node' in t
      ? all.filter((n) => n.metadata.name === t.node)
      : all
          .filter((n) => n.pool === t.pool)
          .reverse()
          .slice(0, t.count);
  if (victims.length === 0) {
    ctx.events.record(
      'Simulation',
      JSON.stringify(t),
      'NoSuchTarget',
      'the target matches no node',
    );
    return;
  }
  if (!ctx.api.tryWrite('node-status', 'cloud-provider')) {
    ctx.engine.schedule(CLIENT_RETRY_MS, () => removeNodes(ctx, p));
    return;
  }
  for (const node of victims) {
    const name = node.metadata.name;
    ctx.kubelets.killContainersOnNode(name);
    ctx.store.removeNode(name);
    ctx.events.record(
      'Node',
      name,
      'RemovingNode',
      `Node ${name} event: Removing Node ${name} from Controller`,
    );
  }
}
