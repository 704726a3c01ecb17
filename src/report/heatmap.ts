/**
 * Node × time utilisation per resource (cpu, memory, and each extended resource such as
 * nvidia.com/gpu that nodes.csv lists): what the pods bound to a node request of the resource,
 * averaged over each time bucket, divided by the node's allocatable amount. Requests, not usage —
 * the simulator has no usage model, and requests are what the scheduler packs.
 *
 * Rows scale to thousands of nodes: every node that ever held a pod gets its own row (grouped
 * by pool, in nodes.csv order), and the nodes of a pool that never held one share a single band
 * row. Above MAX_ROWS rows, consecutive used nodes of a pool are banded too. A band shows the
 * capacity-weighted mean (requested ÷ allocatable over its nodes) and, separately, the busiest
 * node's utilisation (max), so one full node in a band of idle ones is not averaged away.
 *
 * Values are integers in per mille of allocatable (0–1000, above 1000 if over-committed) so the
 * embedded JSON stays small; null = node absent in that bucket; NOT_APPLICABLE = the node offers
 * none of the resource (a CPU-only node on the GPU view).
 *
 * Cost: O(pods + rows × buckets) per resource (difference arrays, not one step per bucket).
 */

export const MAX_BUCKETS = 200;
/** Rows drawn at most; beyond it, used nodes are banded. */
export const MAX_ROWS = 400;
export const NOT_APPLICABLE = -1;

export interface HeatmapNode {
  node: string;
  pool: string;
  /** Allocatable per resource name (cpu in millicores, memory in bytes, extended in units). */
  allocatable: Record<string, number>;
  createdS: number | null;
  removedS: number | null;
}

export interface HeatmapPod {
  node: string;
  /** When the pod started holding its request on the node (scheduled, else started). */
  fromS: number;
  /** When it stopped (finished); null = still holding at the end of the run. */
  toS: number | null;
  /** Requests per resource name, in the units of HeatmapNode.allocatable. */
  requests: Record<string, number>;
}

export interface HeatmapRow {
  /** A node name, or for a band e.g. `openb: 1,447 nodes never used`. */
  label: string;
  /** Nodes in the row: 1 for a node row. */
  nodes: number;
  pool: string;
  /** First and last node of a band (its nodes are consecutive in nodes.csv within one pool). */
  first?: string;
  last?: string;
}

export interface HeatmapResource {
  /** Resource name as Kubernetes spells it: cpu, memory, nvidia.com/gpu. */
  name: string;
  /** mean[row][bucket] in per mille; for a node row its own utilisation. */
  mean: (number | null)[][];
  /** max[row][bucket]: the busiest node of a band; null for node rows (same as mean). */
  max: Array<(number | null)[] | null>;
}

export interface Heatmap {
  totalNodes: number;
  /** Nodes that held at least one pod during the run. */
  usedNodes: number;
  bucketSeconds: number;
  buckets: number;
  rows: HeatmapRow[];
  resources: HeatmapResource[];
}

/**
 * How nodes map onto rows: per pool (in order of first appearance), its used nodes in nodes.csv
 * order — one row each while they fit in MAX_ROWS, else bands of `per` consecutive ones — then
 * one band per pool of the nodes never used.
 */
function layoutRows(
  nodes: readonly HeatmapNode[],
  used: ReadonlySet<string>,
): { rows: HeatmapRow[]; members: number[][] } {
  const pools = [...new Set(nodes.map((n) => n.pool))];
  const byPool = (pool: string, isUsed: boolean) =>
    nodes.flatMap((n, i) => (n.pool === pool && used.has(n.node) === isUsed ? [i] : []));
  const usedByPool = pools.map((p) => byPool(p, true));
  const idleByPool = pools.map((p) => byPool(p, false)).filter((idle) => idle.length > 0);
  const room = MAX_ROWS - idleByPool.length;
  // The smallest band size whose rows fit: Σ over pools ⌈used_p / per⌉ ≤ room.
  const rowsFor = (per: number) => usedByPool.reduce((n, u) => n + Math.ceil(u.length / per), 0);
  let per = Math.max(1, Math.ceil(used.size / Math.max(1, room)));
  while (rowsFor(per) > Math.max(1, room) && per < used.size) per++;
  const rows: HeatmapRow[] = [];
  const members: number[][] = [];
  const band = (group: number[], label: string): void => {
    const a = nodes[group[0]!]!;
    const b = nodes[group[group.length - 1]!]!;
    rows.push({ label, nodes: group.length, pool: a.pool, first: a.node, last: b.node });
    members.push(group);
  };
  for (const usedNodes of usedByPool) {
    for (let k = 0; k < usedNodes.length; k += per) {
      const group = usedNodes.slice(k, k + per);
      const a = nodes[group[0]!]!;
      if (group.length === 1) {
        rows.push({ label: a.node, nodes: 1, pool: a.pool });
        members.push(group);
      } else {
        band(group, `${a.node} … ${nodes[group[group.length - 1]!]!.node} (${group.length} nodes)`);
      }
    }
  }
  for (const idle of idleByPool) {
    const n = idle.length;
    band(
      idle,
      `${nodes[idle[0]!]!.pool}: ${thousands(n)} ${n === 1 ? 'node' : 'nodes'} never used`,
    );
  }
  return { rows, members };
}

/** Resources in the view order: cpu, memory, then the extended ones nodes offer, sorted. */
function resourceNames(nodes: readonly HeatmapNode[]): string[] {
  const extended = new Set<string>();
  for (const n of nodes)
    for (const [name, v] of Object.entries(n.allocatable))
      if (name !== 'cpu' && name !== 'memory' && v > 0) extended.add(name);
  return ['cpu', 'memory', ...[...extended].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
}

export function computeHeatmap(
  nodes: readonly HeatmapNode[],
  pods: readonly HeatmapPod[],
  endS: number,
): Heatmap | null {
  if (nodes.length === 0 || !(endS > 0)) return null;
  // One bucket per second at least, so a 30 s run shows 30 columns rather than 200 slivers.
  const buckets = Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(endS)));
  const bucketSeconds = endS / buckets;
  const indexOf = new Map(nodes.map((n, i) => [n.node, i]));
  const held = pods.filter((p) => indexOf.has(p.node));
  const used = new Set(held.map((p) => p.node));
  const { rows, members } = layoutRows(nodes, used);

  // Seconds each node is present in each bucket.
  const presence = nodes.map((n) => {
    const acc = new BucketAccumulator(buckets, bucketSeconds);
    acc.add(n.createdS ?? 0, n.removedS ?? endS, 1);
    return acc.values();
  });

  const resources = resourceNames(nodes).map((name): HeatmapResource => {
    // Requested amount × seconds per node and bucket; nodes never used stay zero.
    const load = new Map<number, BucketAccumulator>();
    for (const pod of held) {
      const amount = pod.requests[name] ?? 0;
      if (amount <= 0) continue;
      const i = indexOf.get(pod.node)!;
      const n = nodes[i]!;
      let acc = load.get(i);
      if (!acc) load.set(i, (acc = new BucketAccumulator(buckets, bucketSeconds)));
      // A pod cannot hold a request on a node that does not exist (a pod left unfinished on a
      // removed node would otherwise push utilisation past 100 %).
      const from = Math.max(pod.fromS, n.createdS ?? 0);
      const to = Math.min(pod.toS ?? endS, n.removedS ?? endS);
      acc.add(from, to, amount);
    }
    const loads = new Map([...load].map(([i, acc]) => [i, acc.values()]));
    const mean: (number | null)[][] = [];
    const max: Array<(number | null)[] | null> = [];
    members.forEach((group) => {
      const meanRow: (number | null)[] = [];
      const maxRow: (number | null)[] = [];
      for (let b = 0; b < buckets; b++) {
        let requested = 0;
        let capacity = 0;
        let present = false;
        let offered = false;
        let busiest: number | null = null;
        for (const i of group) {
          const seconds = presence[i]![b]!;
          if (seconds <= 0) continue;
          present = true;
          const alloc = nodes[i]!.allocatable[name] ?? 0;
          if (alloc <= 0) continue;
          offered = true;
          const r = loads.get(i)?.[b] ?? 0;
          requested += r;
          capacity += seconds * alloc;
          const u = r / (seconds * alloc);
          if (busiest === null || u > busiest) busiest = u;
        }
        if (!present) {
          meanRow.push(null);
          maxRow.push(null);
        } else if (!offered) {
          meanRow.push(NOT_APPLICABLE);
          maxRow.push(NOT_APPLICABLE);
        } else {
          meanRow.push(perMille(requested / capacity));
          maxRow.push(perMille(busiest!));
        }
      }
      mean.push(meanRow);
      max.push(group.length > 1 ? maxRow : null);
    });
    return { name, mean, max };
  });
  return {
    totalNodes: nodes.length,
    usedNodes: used.size,
    bucketSeconds,
    buckets,
    rows,
    resources,
  };
}

/** 1447 → "1,447" (locale-free, so the page is the same on every machine). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

function perMille(u: number): number {
  return Math.round(u * 1000);
}

/**
 * Sums weight × (seconds of [from, to) inside each bucket) for many intervals in O(1) each: the
 * partial first and last buckets directly, the full buckets between through a difference array
 * resolved once by values().
 */
export class BucketAccumulator {
  private readonly direct: Float64Array;
  private readonly diff: Float64Array;

  constructor(
    private readonly buckets: number,
    private readonly bucketSeconds: number,
  ) {
    this.direct = new Float64Array(buckets);
    this.diff = new Float64Array(buckets + 1);
  }

  add(from: number, to: number, weight: number): void {
    const w = this.bucketSeconds;
    const end = Math.min(to, this.buckets * w);
    const start = Math.max(0, from);
    if (!(end > start)) return;
    const first = Math.floor(start / w);
    const last = Math.min(this.buckets - 1, Math.floor(end / w));
    if (first === last) {
      this.direct[first]! += weight * (end - start);
      return;
    }
    this.direct[first]! += weight * ((first + 1) * w - start);
    const tail = end - last * w;
    if (tail > 0) this.direct[last]! += weight * tail;
    // Buckets first+1 … last−1 are fully covered.
    if (last - first > 1) {
      this.diff[first + 1]! += weight * w;
      this.diff[last]! -= weight * w;
    }
  }

  values(): Float64Array {
    const out = new Float64Array(this.buckets);
    let running = 0;
    for (let b = 0; b < this.buckets; b++) {
      running += this.diff[b]!;
      out[b] = this.direct[b]! + running;
    }
    return out;
  }
}
