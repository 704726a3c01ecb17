/** Builders for failure scenario tests: YAML written to a temp dir, run, events read back. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimContext } from '../../src/components/context.js';
import { RngStreams } from '../../src/engine/rng.js';
import { lastOnGrid, nextOnGrid } from '../../src/kubelet/node-health.js';
import type { ClusterEvent } from '../../src/model/events.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation, type RunOptions, type RunResult } from '../../src/simulation.js';

const dir = mkdtempSync(join(tmpdir(), 'ksim-failures-'));
let n = 0;

export function run(yaml: string, opts: RunOptions = {}): RunResult {
  const file = join(dir, `s${n++}.yaml`);
  writeFileSync(file, yaml);
  return runSimulation(loadScenario(file), opts);
}

/** Runs the scenario, reading `look(ctx)` at each of the given instants (ms). */
export function runWatching<T>(
  yaml: string,
  at: number[],
  look: (ctx: SimContext) => T,
): { r: RunResult; seen: T[] } {
  const seen: T[] = [];
  const r = run(yaml, {
    onStart: (ctx) => {
      for (const t of at) ctx.engine.scheduleAt(t, () => seen.push(look(ctx)));
    },
  });
  return { r, seen };
}

export interface SimOpts {
  seed?: number;
  duration?: string;
  pools: Array<{ name: string; count: number; zones: string[] }>;
  timeline?: string[];
  faults?: string[];
}

export function simulation(o: SimOpts): string {
  const pools = o.pools
    .map(
      (p) => `    - name: ${p.name}
      count: ${p.count}
      zones: [${p.zones.join(', ')}]
      template:
        status: {allocatable: {cpu: "16", memory: 64Gi, pods: "110"}}`,
    )
    .join('\n');
  const list = (key: string, items?: string[]): string =>
    items?.length ? `  ${key}:\n${items.map((i) => `    - ${i}`).join('\n')}\n` : '';
  return `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: failures}
spec:
  seed: ${o.seed ?? 1}
  duration: ${o.duration ?? '30m'}
  metrics: {sampleInterval: 1m}
  nodePools:
${pools}
${list('timeline', o.timeline)}${list('faults', o.faults)}`;
}

/** A pod pinned to a node (running from time 0), with optional unreachable tolerationSeconds. */
export function pinnedPod(
  name: string,
  node: string,
  opts: { labels?: Record<string, string>; tolerationSeconds?: number | 'forever' } = {},
): string {
  const tol =
    opts.tolerationSeconds === undefined
      ? ''
      : `\n  tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute${
          opts.tolerationSeconds === 'forever'
            ? ''
            : `, tolerationSeconds: ${opts.tolerationSeconds}`
        }}]`;
  const labels = opts.labels ? `, labels: ${JSON.stringify(opts.labels)}` : '';
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}${labels}}
spec:
  nodeName: ${node}${tol}
  containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
`;
}

export function replicaSet(name: string, replicas: number, extra = ''): string {
  return `---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:${extra}
      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
`;
}

export function eventsOf(r: RunResult, reason: string, object?: string): ClusterEvent[] {
  return r.metrics.events.filter(
    (e) => e.reason === reason && (object === undefined || e.object === object),
  );
}

/** Events of a reason about nodes (NodeNotReady is also recorded on each pod of the node). */
export function nodeEventsOf(r: RunResult, reason: string): ClusterEvent[] {
  return r.metrics.events.filter((e) => e.reason === reason && e.kind === 'Node');
}

/**
 * Where the default configuration puts a node's NotReady, from the named streams: the
 * lease's last renewal before t0 (10 s grid, phase from `node-lease/<node>`), the monitor
 * tick that saw it (5 s grid, phase from `node-lifecycle`), + 50 s grace; the next monitor
 * pass (5 s later) observes the Unknown and queues the node, and the NoExecute taint follows
 * on the 100 ms tainting loop.
 */
export function expectedDetection(
  seed: number,
  node: string,
  t0: number,
): { lastRenew: number; notReady: number; taint: number } {
  const rng = new RngStreams(seed);
  const leasePhase = Math.floor(rng.stream(`node-lease/${node}`).next() * 10_000);
  const monitorPhase = Math.floor(rng.stream('node-lifecycle').next() * 5_000);
  const lastRenew = lastOnGrid(leasePhase, 10_000, t0);
  const probe = nextOnGrid(monitorPhase, 5_000, lastRenew);
  const notReady = nextOnGrid(monitorPhase, 5_000, probe + 50_000);
  return { lastRenew, notReady, taint: nextOnGrid(0, 100, notReady + 5_000) };
}

/**
 * A kubelet's loop phases from `kubelet/<node>`, drawn in this order: status manager sync
 * (10 s), runtime status check (5 s), node status (10 s).
 */
export function kubeletPhases(
  seed: number,
  node: string,
  nodeStatusPeriodMs = 10_000,
): { statusSync: number; runtimeProbe: number; nodeStatus: number } {
  const rng = new RngStreams(seed).stream(`kubelet/${node}`);
  const statusSync = Math.floor(rng.next() * 10_000);
  const runtimeProbe = Math.floor(rng.next() * 5_000);
  const nodeStatus = Math.floor(rng.next() * nodeStatusPeriodMs);
  return { statusSync, runtimeProbe, nodeStatus };
}

/** The phase of the node lifecycle controller's 5 s monitor loop (its first leader). */
export function monitorPhase(seed: number): number {
  return Math.floor(new RngStreams(seed).stream('node-lifecycle').next() * 5_000);
}

/** Every change of a node's taints, as `time: key:effect,…`. */
export function taintHistory(yaml: string, node: string): string[] {
  const out: string[] = [];
  run(yaml, {
    onStart: (ctx) =>
      ctx.store.onNode((e) => {
        if (e.node.metadata.name !== node || e.type !== 'update' || e.change !== 'taints') return;
        const keys = e.node.spec.taints.map((t) => `${t.key.split('/')[1]}:${t.effect}`).sort();
        out.push(`${ctx.engine.now}: ${keys.join(',')}`);
      }),
  });
  return out;
}

/** Three nodes, one per zone: the cluster most failure tests use. */
export const THREE_NODES = [{ name: 'general', count: 3, zones: ['zone-a', 'zone-b', 'zone-c'] }];

/** Adds a `spec` field (e.g. `controlPlane: {…}` or `kubelet: {…}`) to a simulation() document. */
export function withSpec(yaml: string, field: string): string {
  return yaml.replace('  nodePools:', `  ${field}\n  nodePools:`);
}

/** A Simulation of THREE_NODES where `node` fails at `t0` (crash unless `mode` says otherwise). */
export function nodeFailsAt(
  t0: number,
  o: { seed?: number; node?: string; mode?: string; recoverAfter?: string; duration?: string } = {},
): string {
  const extra = `${o.mode ? `, mode: ${o.mode}` : ''}${o.recoverAfter ? `, recoverAfter: ${o.recoverAfter}` : ''}`;
  return simulation({
    seed: o.seed,
    duration: o.duration,
    pools: THREE_NODES,
    timeline: [
      `{at: ${t0}ms, action: fail-node, target: {node: ${o.node ?? 'general-0'}}${extra}}`,
    ],
  });
}

/** A Service selecting `app: <app>`. */
export function serviceFor(app: string): string {
  return `---
apiVersion: v1
kind: Service
metadata: {name: ${app}}
spec:
  selector: {app: ${app}}
  ports: [{port: 80}]
`;
}
