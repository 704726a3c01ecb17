/**
 * The store's nodes as columns (struct of arrays): the figures the scheduler reads for every
 * candidate node in every cycle — allocatable, requested, non-zero requested, pod count,
 * cordon and taint flags — in flat typed arrays indexed by a row per node (NodeInfo.row).
 *
 * Why: a cycle on a 5,000-node cluster visits ~550 nodes in Filter and ~500 in Score. Read
 * from NodeInfo objects, each visit chases node → spec → taints, status → allocatable,
 * requested …: a handful of cache misses per node, which dominated the cycle. Read from
 * columns, the same loop streams through a few contiguous arrays.
 *
 * The columns mirror NodeInfo and the Node object; they are written only by NodeInfo (pods
 * added or removed, assumed pods included) and by the store (node added, updated in place
 * and announced with updateNode, removed). Rows of removed nodes are reused. Snapshot copies
 * of a NodeInfo (preemption dry runs, nominated pods) have no row and are never in the table.
 */
import type { NodeInfo } from './node-info.js';

/** Bits of NodeTable.flags. */
export const NodeFlag = {
  /** spec.unschedulable (cordoned). */
  Unschedulable: 1,
  /** spec.taints is not empty. */
  Tainted: 2,
  /** Some taint has effect PreferNoSchedule (TaintToleration's score). */
  PreferNoScheduleTaint: 4,
  /** status.images is not empty (ImageLocality). */
  HasImages: 8,
} as const;

const INITIAL_ROWS = 64;

export class NodeTable {
  /** Row → the store's NodeInfo in that row; undefined for a free row. */
  readonly infos: Array<NodeInfo | undefined> = [];
  private readonly freeRows: number[] = [];
  private capacity = INITIAL_ROWS;

  // Columns. Arrays are replaced when the table grows: read them afresh in each cycle.
  allocCpu = new Float64Array(INITIAL_ROWS);
  allocMemory = new Float64Array(INITIAL_ROWS);
  allocStorage = new Float64Array(INITIAL_ROWS);
  allocPods = new Float64Array(INITIAL_ROWS);
  reqCpu = new Float64Array(INITIAL_ROWS);
  reqMemory = new Float64Array(INITIAL_ROWS);
  reqStorage = new Float64Array(INITIAL_ROWS);
  /** Σ non-zero requests (100m / 200Mi for containers that declare none), for scoring. */
  nonZeroCpu = new Float64Array(INITIAL_ROWS);
  nonZeroMemory = new Float64Array(INITIAL_ROWS);
  podCount = new Float64Array(INITIAL_ROWS);
  flags = new Uint8Array(INITIAL_ROWS);

  /** Number of rows ever allocated (free ones included): the length of per-row arrays. */
  get rowCount(): number {
    return this.infos.length;
  }

  /** Gives the node a row and writes all its columns. */
  add(info: NodeInfo): void {
    const row = this.freeRows.pop() ?? this.infos.length;
    if (row >= this.capacity) this.grow(row + 1);
    this.infos[row] = info;
    info.row = row;
    info.table = this;
    this.syncNode(info);
    this.syncUsage(info);
  }

  /** Frees the node's row; it keeps no link to the table. */
  remove(info: NodeInfo): void {
    const row = info.row;
    if (row < 0 || this.infos[row] !== info) return;
    this.infos[row] = undefined;
    this.freeRows.push(row);
    info.row = -1;
    info.table = undefined;
  }

  /** Re-reads what comes from the Node object: allocatable, cordon, taints, images. */
  syncNode(info: NodeInfo): void {
    const row = info.row;
    const node = info.node;
    const alloc = node.status.allocatable;
    this.allocCpu[row] = alloc.milliCPU;
    this.allocMemory[row] = alloc.memory;
    this.allocStorage[row] = alloc.ephemeralStorage;
    this.allocPods[row] = alloc.allowedPodNumber;
    let f = 0;
    if (node.spec.unschedulable) f |= NodeFlag.Unschedulable;
    const taints = node.spec.taints;
    if (taints.length > 0) {
      f |= NodeFlag.Tainted;
      for (const t of taints)
        if (t.effect === 'PreferNoSchedule') f |= NodeFlag.PreferNoScheduleTaint;
    }
    if (node.status.images.length > 0) f |= NodeFlag.HasImages;
    this.flags[row] = f;
  }

  /** Re-reads the pod aggregates of the node (after a pod was added or removed). */
  syncUsage(info: NodeInfo): void {
    const row = info.row;
    const req = info.requested;
    this.reqCpu[row] = req.milliCPU;
    this.reqMemory[row] = req.memory;
    this.reqStorage[row] = req.ephemeralStorage;
    this.nonZeroCpu[row] = info.nonZeroRequested.milliCPU;
    this.nonZeroMemory[row] = info.nonZeroRequested.memory;
    this.podCount[row] = info.pods.length;
  }

  private grow(min: number): void {
    let cap = this.capacity;
    while (cap < min) cap *= 2;
    const f64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.allocCpu = f64(this.allocCpu);
    this.allocMemory = f64(this.allocMemory);
    this.allocStorage = f64(this.allocStorage);
    this.allocPods = f64(this.allocPods);
    this.reqCpu = f64(this.reqCpu);
    this.reqMemory = f64(this.reqMemory);
    this.reqStorage = f64(this.reqStorage);
    this.nonZeroCpu = f64(this.nonZeroCpu);
    this.nonZeroMemory = f64(this.nonZeroMemory);
    this.podCount = f64(this.podCount);
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
    this.capacity = cap;
  }
}

/**
 * The rows of `nodes` when every one is a row of the same table (the store's nodes), else
 * undefined (a dry-run copy is among them). Written into `out` when it is long enough.
 */
export function rowsOf(
  nodes: readonly NodeInfo[],
  out?: Int32Array,
): { table: NodeTable; rows: Int32Array } | undefined {
  const first = nodes[0];
  const table = first?.table;
  if (!table) return undefined;
  const rows = out && out.length >= nodes.length ? out : new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const info = nodes[i]!;
    if (info.table !== table) return undefined;
    rows[i] = info.row;
  }
  return { table, rows };
}
