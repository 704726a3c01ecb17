/**
 * Node × time CPU utilisation: the CPU requested by the pods bound to a node, averaged over each
 * time bucket, divided by the node's allocatable CPU. Requests, not usage — the simulator has no
 * usage model, and requests are what the scheduler packs.
 */

export const MAX_BUCKETS = 200;
export const MAX_NODES = 300;

export interface HeatmapNode {
  node: string;
  cpuAllocatableMilli: number;
  createdS: number | null;
  removedS: number | null;
}

export interface HeatmapPod {
  node: string;
  /** When the pod started holding its request on the node (scheduled, else started). */
  fromS: number;
  /** When it stopped (finished); null = still holding at the end of the run. */
  toS: number | null;
  cpuRequestMilli: number;
}

export interface Heatmap {
  /** Node names, one per row, in nodes.csv order (evenly sampled when there are too many). */
  nodes: string[];
  totalNodes: number;
  bucketSeconds: number;
  /** values[row][bucket]: utilisation (0–1, may exceed 1 if over-committed); null = node absent. */
  values: (number | null)[][];
}

/** Evenly spaced indexes 0..total−1, at most `limit` of them; the first is always 0. */
export function sampleIndexes(total: number, limit: number): number[] {
  const count = Math.min(total, limit);
  return Array.from({ length: count }, (_, i) => Math.floor((i * total) / count));
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
  const shown = sampleIndexes(nodes.length, MAX_NODES).map((i) => nodes[i]!);
  const rowOf = new Map(shown.map((n, row) => [n.node, row]));
  // Requested millicore-seconds per row and bucket.
  const load = shown.map(() => new Float64Array(buckets));
  for (const pod of pods) {
    const row = rowOf.get(pod.node);
    if (row === undefined || pod.cpuRequestMilli <= 0) continue;
    // A pod cannot hold a request on a node that does not exist (a pod left unfinished on a
    // removed node would otherwise push utilisation past 100 %).
    const node = shown[row]!;
    const from = Math.max(pod.fromS, node.createdS ?? 0);
    const to = Math.min(pod.toS ?? endS, node.removedS ?? endS);
    addInterval(load[row]!, from, to, pod.cpuRequestMilli, bucketSeconds);
  }
  const values = shown.map((n, row) => {
    const presence = new Float64Array(buckets);
    addInterval(presence, n.createdS ?? 0, n.removedS ?? endS, 1, bucketSeconds);
    return Array.from(load[row]!, (milliSeconds, b) => {
      const presentSeconds = presence[b]!;
      if (presentSeconds <= 0 || n.cpuAllocatableMilli <= 0) return null;
      return round(milliSeconds / (presentSeconds * n.cpuAllocatableMilli), 4);
    });
  });
  return { nodes: shown.map((n) => n.node), totalNodes: nodes.length, bucketSeconds, values };
}

/** Adds weight × (seconds of [from, to) inside each bucket). */
function addInterval(
  target: Float64Array,
  from: number,
  to: number,
  weight: number,
  bucketSeconds: number,
): void {
  const end = Math.min(to, target.length * bucketSeconds);
  const start = Math.max(0, from);
  if (!(end > start)) return;
  const first = Math.floor(start / bucketSeconds);
  const last = Math.min(target.length - 1, Math.floor(end / bucketSeconds));
  for (let b = first; b <= last; b++) {
    const overlap = Math.min(end, (b + 1) * bucketSeconds) - Math.max(start, b * bucketSeconds);
    if (overlap > 0) target[b]! += weight * overlap;
  }
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
