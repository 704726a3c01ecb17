/**
 * Validators of node maintenance actions:
 * - `cordon` / `uncordon`: target {node} | {pool} | {zone} (every node of the pool or zone);
 * - `drain`: the same targets; cordons, then evicts every pod but DaemonSet pods through the
 *   Eviction API (honouring PodDisruptionBudgets), retrying refused evictions every 5 s like
 *   kubectl; optional `timeout` (default: none, as kubectl);
 * - `add-nodes`: {pool, count, readyAfter?}: new nodes `<pool>-<next index>` from the pool's
 *   template; with `readyAfter` their kubelet first posts status that long after the Node
 *   object appears (a booting machine; until then the node has no Ready condition);
 * - `remove-nodes`: target {node} | {pool, count}: Node objects deleted (newest first in a
 *   pool); their pods are left to PodGC.
 * Node, pool and zone names are checked against the cluster when the action runs.
 */
import type { Path } from '../errors.js';
import type { Obj, Reader } from '../fields.js';
import type { ActionParser } from './index.js';

export type MaintenanceTarget = { node: string } | { pool: string } | { zone: string };

export interface CordonParsed {
  target: MaintenanceTarget;
}
export interface DrainParsed {
  target: MaintenanceTarget;
  timeoutMs?: number;
}
export interface AddNodesParsed {
  pool: string;
  count: number;
  /** How long after the Node object appears its kubelet first posts status (default 0). */
  readyAfterMs?: number;
}
export interface RemoveNodesParsed {
  target: { node: string } | { pool: string; count: number };
}

const ENTRY = ['at', 'action'];

function oneOfKeys(r: Reader, o: Obj, path: Path, keys: readonly string[]): string | undefined {
  const given = keys.filter((k) => o[k] !== undefined);
  if (given.length !== 1) {
    r.issues.at(r.src, path, `expected exactly one of ${keys.join(', ')}, found ${given.length}`);
    return undefined;
  }
  return given[0];
}

function readMaintenanceTarget(r: Reader, v: unknown, path: Path): MaintenanceTarget | undefined {
  if (v === undefined) {
    r.issues.expected(r.src, path, 'a target ({node}, {pool} or {zone})', v);
    return undefined;
  }
  const o = r.obj(v, path, ['node', 'pool', 'zone']);
  if (!o) return undefined;
  const kind = oneOfKeys(r, o, path, ['node', 'pool', 'zone']);
  if (!kind) return undefined;
  const name = r.string(o[kind], [...path, kind]);
  if (name === undefined) return undefined;
  return { [kind]: name } as MaintenanceTarget;
}

const parseCordon: ActionParser = (r, raw, path) => {
  r.obj(raw, path, [...ENTRY, 'target']);
  const target = readMaintenanceTarget(r, raw.target, [...path, 'target']);
  return target ? { target } : undefined;
};

const parseDrain: ActionParser = (r, raw, path) => {
  r.obj(raw, path, [...ENTRY, 'target', 'timeout']);
  const target = readMaintenanceTarget(r, raw.target, [...path, 'target']);
  const timeoutMs =
    raw.timeout === undefined ? undefined : r.duration(raw.timeout, [...path, 'timeout']);
  if (!target || (raw.timeout !== undefined && timeoutMs === undefined)) return undefined;
  return timeoutMs === undefined ? { target } : { target, timeoutMs };
};

const parseAddNodes: ActionParser = (r, raw, path) => {
  r.obj(raw, path, [...ENTRY, 'pool', 'count', 'readyAfter']);
  const pool = r.name(raw.pool, [...path, 'pool']);
  const count = r.int(raw.count, [...path, 'count'], 1, 100_000);
  const readyAfterMs =
    raw.readyAfter === undefined ? 0 : r.duration(raw.readyAfter, [...path, 'readyAfter']);
  if (pool === undefined || count === undefined || readyAfterMs === undefined) return undefined;
  return readyAfterMs > 0 ? { pool, count, readyAfterMs } : { pool, count };
};

const parseRemoveNodes: ActionParser = (r, raw, path) => {
  r.obj(raw, path, [...ENTRY, 'target']);
  const tp = [...path, 'target'];
  if (raw.target === undefined) {
    r.issues.expected(r.src, tp, 'a target ({node} or {pool, count})', undefined);
    return undefined;
  }
  const o = r.obj(raw.target, tp, ['node', 'pool', 'count']);
  if (!o) return undefined;
  const kind = oneOfKeys(r, o, tp, ['node', 'pool']);
  if (kind === 'node') {
    if (o.count !== undefined)
      r.issues.at(r.src, [...tp, 'count'], 'count goes with pool, not node');
    const node = r.name(o.node, [...tp, 'node']);
    return node && o.count === undefined ? { target: { node } } : undefined;
  }
  if (kind === 'pool') {
    const pool = r.name(o.pool, [...tp, 'pool']);
    const count =
      o.count === undefined
        ? (r.issues.expected(
            r.src,
            [...tp, 'count'],
            'a number of nodes (an integer ≥ 1)',
            undefined,
          ),
          undefined)
        : r.int(o.count, [...tp, 'count'], 1);
    return pool && count !== undefined ? { target: { pool, count } } : undefined;
  }
  return undefined;
};

export const nodeActionParsers: ReadonlyArray<[string, ActionParser]> = [
  ['cordon', parseCordon],
  ['uncordon', parseCordon],
  ['drain', parseDrain],
  ['add-nodes', parseAddNodes],
  ['remove-nodes', parseRemoveNodes],
];
