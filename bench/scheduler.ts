// Scheduler throughput against its own baseline, measured in the same process.
//
// ksim: the upstream default profile (every default plugin, default weights, adaptive
// percentageOfNodesToScore) run by the real Scheduler — queue, cycle, assume, Reserve/Permit,
// binding, events — on Deployment-like pods (labels + an ownerReference to a ReplicaSet in the
// store, so PodTopologySpread's default constraints are active), on a cluster pre-filled with
// running pods of the same Deployments.
//
// bare: a struct-of-arrays loop doing only NodeResourcesFit + TaintToleration filters and
// TaintToleration + LeastAllocated + BalancedAllocation scores with the same adaptive node
// sampling (numFeasibleNodesToFind, round-robin start), over the same nodes and pods.
//
//   node dist-bench/bench/scheduler.js [pods-per-round] [node counts, comma-separated]
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Engine } from '../src/engine/engine.js';
import { ALWAYS_WRITABLE } from '../src/model/api.js';
import { EventLog } from '../src/model/events.js';
import type { SimNode, SimPod } from '../src/model/objects.js';
import { ClusterStore } from '../src/model/store.js';
import { makeNode, makePod } from '../src/model/testing.js';
import { resolveSchedulerConfiguration, type ConfigIssue } from '../src/scheduler/config.js';
import { ZERO_CYCLE_COST } from '../src/scheduler/cycle-cost.js';
import { Framework } from '../src/scheduler/framework/framework.js';
import type { Handle } from '../src/scheduler/framework/interfaces.js';
import { DEFAULT_SCHEDULER_CONFIG, Scheduler } from '../src/scheduler/scheduler.js';
import { numFeasibleNodesToFind } from '../src/scheduler/schedule-one.js';
import { PodCountIndex } from '../src/scheduler-plugins/helpers/pod-count-index.js';
import { inTreeRegistry } from '../src/scheduler-plugins/registry.js';

const PODS = Number(process.argv[2] ?? 10_000);
const NODE_COUNTS = (process.argv[3] ?? '500,5000').split(',').map(Number);
const ROUNDS = 3;
const DEPLOYMENTS = 50;
/** Running pods per node before the measured pods arrive. */
const PREFILL_PER_NODE = 4;
const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const GI = 1024 ** 3;

/** Numerical Recipes LCG: the same workload in both loops, independent of the simulator's RNG. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

interface PodShape {
  deployment: number;
  cpu: number;
  memory: number;
}

/** Pod shapes drawn once per size, shared by both loops. */
function podShapes(n: number, seed: number): PodShape[] {
  const r = lcg(seed);
  const cpus = [100, 250, 500, 1000];
  const mems = [256, 512, 1024, 2048].map((m) => m * 1024 * 1024);
  const out: PodShape[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      deployment: Math.floor(r() * DEPLOYMENTS),
      cpu: cpus[Math.floor(r() * cpus.length)]!,
      memory: mems[Math.floor(r() * mems.length)]!,
    });
  }
  return out;
}

/** Every tenth node carries a NoSchedule taint the pods do not tolerate. */
const isTainted = (i: number): boolean => i % 10 === 9;

function nodes(n: number): SimNode[] {
  const out: SimNode[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      makeNode(`node-${i}`, {
        labels: { 'topology.kubernetes.io/zone': ZONES[i % ZONES.length]! },
        allocatable: { cpu: 32_000, memory: 128 * GI, pods: 110 },
        taints: isTainted(i) ? [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] : [],
      }),
    );
  }
  return out;
}

function deploymentPod(name: string, s: PodShape, nodeName?: string): SimPod {
  const app = `web-${s.deployment}`;
  const pod = makePod(name, {
    labels: { app, 'pod-template-hash': 'abc123' },
    requests: { cpu: s.cpu, memory: s.memory },
    topOwner: `Deployment/default/${app}`,
    nodeName,
    spec: { containers: [{ name: 'app', image: `registry.local/${app}:1.0` }] },
  });
  pod.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-abc123`, controller: true },
  ];
  return pod;
}

interface KsimRound {
  /** Wall-clock ms of the timed part. */
  ms: number;
  /** CPU ms (user + system) of the process over the same part: robust to a busy machine. */
  cpuMs: number;
  scheduled: number;
  nodesEvaluated: number;
}

function ksimRound(numNodes: number, shapes: PodShape[], prefill: PodShape[]): KsimRound {
  const engine = new Engine();
  const store = new ClusterStore();
  const events = new EventLog(() => engine.now);
  for (let d = 0; d < DEPLOYMENTS; d++) {
    store.putObject({
      kind: 'ReplicaSet',
      metadata: { name: `web-${d}-abc123`, namespace: 'default' },
      spec: { selector: { matchLabels: { app: `web-${d}`, 'pod-template-hash': 'abc123' } } },
    });
  }
  for (const n of nodes(numNodes)) store.addNode(n);
  prefill.forEach((s, i) => {
    let node = i % numNodes;
    if (isTainted(node)) node = (node + 1) % numNodes;
    store.addPod(deploymentPod(`pre-${i}`, s, `node-${node}`));
  });

  const registry = inTreeRegistry();
  const issues: ConfigIssue[] = [];
  const probeHandle = handleFor(store, engine, () => 0);
  const cfg = resolveSchedulerConfiguration(
    undefined,
    registry,
    (name) => registry.get(name)?.(undefined, probeHandle),
    issues,
  );
  if (issues.length) throw new Error(JSON.stringify(issues));
  const random = lcg(7);
  const handle: Handle & { framework?: Framework } = handleFor(store, engine, random);
  const fw = new Framework(cfg.profiles[0]!, registry, handle);
  handle.framework = fw;
  const scheduler = new Scheduler(
    engine,
    store,
    ALWAYS_WRITABLE,
    events,
    [fw],
    { ...DEFAULT_SCHEDULER_CONFIG, cycleCost: ZERO_CYCLE_COST, clientQPS: -1 },
    random,
  );
  const pods = shapes.map((s, i) => deploymentPod(`pod-${i}`, s));
  // The scheduler's cache is synced before measuring, as scheduler_perf measures after its
  // initial pods are placed: the pod count index over the prefilled pods (built on the first
  // cycle otherwise, once per run) is not part of the per-pod cost.
  PodCountIndex.of(store);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (const p of pods) store.addPod(p);
  engine.run();
  return {
    ms: performance.now() - start,
    cpuMs: cpuMsSince(cpu0),
    scheduled: scheduler.stats.scheduled,
    nodesEvaluated: scheduler.stats.nodesEvaluated,
  };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function handleFor(store: ClusterStore, engine: Engine, random: () => number): Handle {
  return {
    store,
    now: () => engine.now,
    random,
    recordEvent: () => undefined,
    parallelism: 16,
  };
}

/**
 * The baseline: node state in flat typed arrays, one pass of filter and one of score per pod.
 * Same formulas as the plugins (integer arithmetic, DefaultNormalizeScore for the taint score).
 */
function bareRound(numNodes: number, shapes: PodShape[], prefill: PodShape[]): KsimRound {
  const allocCpu = new Float64Array(numNodes).fill(32_000);
  const allocMem = new Float64Array(numNodes).fill(128 * GI);
  const allocPods = new Int32Array(numNodes).fill(110);
  const reqCpu = new Float64Array(numNodes);
  const reqMem = new Float64Array(numNodes);
  const nzCpu = new Float64Array(numNodes);
  const nzMem = new Float64Array(numNodes);
  const podCount = new Int32Array(numNodes);
  const untolerated = new Uint8Array(numNodes);
  /** Intolerable PreferNoSchedule taints (TaintToleration's score); none in this cluster. */
  const preferTaints = new Int32Array(numNodes);
  for (let i = 0; i < numNodes; i++) untolerated[i] = isTainted(i) ? 1 : 0;
  const place = (node: number, s: PodShape): void => {
    reqCpu[node]! += s.cpu;
    reqMem[node]! += s.memory;
    nzCpu[node]! += s.cpu;
    nzMem[node]! += s.memory;
    podCount[node]!++;
  };
  prefill.forEach((s, i) => {
    let node = i % numNodes;
    if (isTainted(node)) node = (node + 1) % numNodes;
    place(node, s);
  });

  const feasible = new Int32Array(numNodes);
  const taintRaw = new Int32Array(numNodes);
  const totals = new Float64Array(numNodes);
  const random = lcg(7);
  let next = 0;
  let scheduled = 0;
  let evaluated = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (const s of shapes) {
    const toFind = numFeasibleNodesToFind(0, numNodes);
    let found = 0;
    let processed = 0;
    const from = next % numNodes;
    for (let k = 0; k < numNodes && found < toFind; k++) {
      let i = from + k;
      if (i >= numNodes) i -= numNodes;
      processed++;
      if (untolerated[i]) continue;
      if (podCount[i]! + 1 > allocPods[i]!) continue;
      if (reqCpu[i]! + s.cpu > allocCpu[i]!) continue;
      if (reqMem[i]! + s.memory > allocMem[i]!) continue;
      feasible[found++] = i;
    }
    next = (from + processed) % numNodes;
    evaluated += processed;
    if (found === 0) continue;
    let maxTaint = 0;
    for (let j = 0; j < found; j++) {
      const t = preferTaints[feasible[j]!]!;
      taintRaw[j] = t;
      if (t > maxTaint) maxTaint = t;
    }
    let best = -1;
    let bestScore = -1;
    let ties = 0;
    for (let j = 0; j < found; j++) {
      const i = feasible[j]!;
      // TaintToleration: DefaultNormalizeScore(100, reverse=true), weight 3.
      const taint = maxTaint === 0 ? 100 : 100 - Math.trunc((taintRaw[j]! * 100) / maxTaint);
      const ac = allocCpu[i]!;
      const am = allocMem[i]!;
      const rc = nzCpu[i]! + s.cpu;
      const rm = nzMem[i]! + s.memory;
      // LeastAllocated: Σ ((alloc − req) × 100 / alloc) × w / Σ w, integer division.
      const lc = rc > ac ? 0 : Math.trunc(((ac - rc) * 100) / ac);
      const lm = rm > am ? 0 : Math.trunc(((am - rm) * 100) / am);
      const least = Math.trunc((lc + lm) / 2);
      // BalancedAllocation (two resources): (1 − |fc − fm| / 2) × 100.
      const fc = Math.min(rc / ac, 1);
      const fm = Math.min(rm / am, 1);
      const balanced = Math.trunc((1 - Math.abs(fc - fm) / 2) * 100);
      const total = taint * 3 + least + balanced;
      totals[j] = total;
      if (total > bestScore) {
        bestScore = total;
        best = i;
        ties = 1;
      } else if (total === bestScore) {
        ties++;
        if (random() * ties < 1) best = i;
      }
    }
    place(best, s);
    scheduled++;
  }
  return {
    ms: performance.now() - start,
    cpuMs: cpuMsSince(cpu0),
    scheduled,
    nodesEvaluated: evaluated,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

const cpu = os.cpus()[0]?.model ?? 'unknown';
const cores = os.cpus().length;
// A busy machine slows the wall clock of both loops alike; the load average says how busy.
const load = os.loadavg()[0]!.toFixed(1);
console.log(
  `node ${process.version}, ${cpu}, ${cores} cores, ${Math.round(os.totalmem() / GI)} GiB, load ${load}; ` +
    `${PODS} pods per round, ${DEPLOYMENTS} Deployments, ${PREFILL_PER_NODE} running pods per node, median of ${ROUNDS}`,
);
const results: Array<Record<string, number>> = [];
for (const numNodes of NODE_COUNTS) {
  const shapes = podShapes(PODS, numNodes);
  const prefill = podShapes(numNodes * PREFILL_PER_NODE, numNodes + 1);
  // Warm-up: both loops optimised before timing.
  ksimRound(numNodes, shapes.slice(0, Math.min(2000, PODS)), prefill);
  bareRound(numNodes, shapes, prefill);
  const ksimRounds: KsimRound[] = [];
  const bareRounds: KsimRound[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ksimRounds.push(ksimRound(numNodes, shapes, prefill));
    bareRounds.push(bareRound(numNodes, shapes, prefill));
  }
  const rate = (rounds: KsimRound[], key: 'ms' | 'cpuMs'): number =>
    rounds[0]!.scheduled / (median(rounds.map((x) => x[key])) / 1000);
  const ksimRate = rate(ksimRounds, 'ms');
  const bareRate = rate(bareRounds, 'ms');
  const ksimCpuRate = rate(ksimRounds, 'cpuMs');
  const bareCpuRate = rate(bareRounds, 'cpuMs');
  const ratio = ksimRate / bareRate;
  const perPod = Math.round(ksimRounds[0]!.nodesEvaluated / PODS);
  console.log(
    `${String(numNodes).padStart(5)} nodes: ksim ${Math.round(ksimRate)} pods/s, ` +
      `bare ${Math.round(bareRate)} pods/s, ksim/bare ${(ratio * 100).toFixed(1)}% ` +
      `(per CPU-second: ksim ${Math.round(ksimCpuRate)}, bare ${Math.round(bareCpuRate)}; ` +
      `${ksimRounds[0]!.scheduled} scheduled, ${perPod} nodes evaluated per pod)`,
  );
  results.push({
    nodes: numNodes,
    ksimPodsPerSec: Math.round(ksimRate),
    barePodsPerSec: Math.round(bareRate),
    ratio: Number(ratio.toFixed(3)),
    ksimPodsPerCpuSec: Math.round(ksimCpuRate),
    barePodsPerCpuSec: Math.round(bareCpuRate),
    nodesEvaluatedPerPod: perPod,
  });
}
console.log(
  JSON.stringify({
    bench: 'scheduler',
    node: process.version,
    cpu,
    cores,
    loadAverage: Number(load),
    pods: PODS,
    deployments: DEPLOYMENTS,
    prefillPerNode: PREFILL_PER_NODE,
    results,
  }),
);
