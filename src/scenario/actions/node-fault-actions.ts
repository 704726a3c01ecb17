/**
 * Validators of node failure actions and stochastic node faults:
 * - `fail-node`: target {node} | {pool, count} | {zone, count?}, mode crash (default) |
 *   kubelet-stop | partition | runtime-down, optional recoverAfter and name;
 * - `fail-zone`: target {zone}, optional mode, recoverAfter and name (every node of the zone);
 * - spec.faults[] kinds node-crash | kubelet-stop | partition | runtime-down:
 *   {pool, mtbf, mttr, name?} with duration distributions (each node alternates up mtbf /
 *   down mttr, from its own stream).
 * `name` (unique among the node faults of a scenario) names the random stream the entry
 * draws from. Node, pool and zone names are checked against the cluster when the action runs.
 */
import type { Distribution } from '../../engine/distributions.js';
import type { Path } from '../errors.js';
import type { Obj, Reader } from '../fields.js';
import type { ActionParser } from './index.js';
import { readUpDown } from './fault-distributions.js';

export type NodeFaultMode = 'crash' | 'kubelet-stop' | 'partition' | 'runtime-down';
const MODES: readonly NodeFaultMode[] = ['crash', 'kubelet-stop', 'partition', 'runtime-down'];

export type NodeTarget =
  { node: string } | { pool: string; count: number } | { zone: string; count?: number };

/** `parsed` of fail-node / fail-zone. */
export interface NodeFaultParsed {
  target: NodeTarget;
  mode: NodeFaultMode;
  recoverAfterMs?: number;
  /** Names the entry's random stream (`faults/<name>`). */
  name?: string;
}

/** `parsed` of a stochastic node fault. */
export interface StochasticNodeFaultParsed {
  mode: NodeFaultMode;
  pool: string;
  mtbf: Distribution;
  mttr: Distribution;
  /** Names the entry's random streams (`faults/<name>/<node>`). */
  name?: string;
}

function readTarget(
  r: Reader,
  v: unknown,
  path: Path,
  allowed: ReadonlyArray<'node' | 'pool' | 'zone'>,
  zoneCountOptional: boolean,
): NodeTarget | undefined {
  if (v === undefined) {
    r.issues.expected(r.src, path, `a target (one of ${allowed.join(', ')})`, v);
    return undefined;
  }
  const keys = [...allowed, ...(allowed.length > 1 || allowed[0] !== 'node' ? ['count'] : [])];
  const o = r.obj(v, path, keys);
  if (!o) return undefined;
  const given = allowed.filter((k) => o[k] !== undefined);
  if (given.length !== 1) {
    r.issues.at(
      r.src,
      path,
      `expected exactly one of ${allowed.join(', ')}, found ${given.length}`,
    );
    return undefined;
  }
  const kind = given[0]!;
  if (kind === 'node') {
    if (o.count !== undefined)
      r.issues.at(r.src, [...path, 'count'], 'count goes with pool or zone, not node');
    const node = r.name(o.node, [...path, 'node']);
    return node === undefined || o.count !== undefined ? undefined : { node };
  }
  const name = r.string(o[kind], [...path, kind]);
  let count: number | undefined;
  if (o.count === undefined) {
    if (kind === 'pool' || !zoneCountOptional) {
      r.issues.expected(r.src, [...path, 'count'], 'a number of nodes (an integer ≥ 1)', undefined);
      return undefined;
    }
  } else {
    count = r.int(o.count, [...path, 'count'], 1);
    if (count === undefined) return undefined;
  }
  if (name === undefined) return undefined;
  if (kind === 'pool') return { pool: name, count: count! };
  return count === undefined ? { zone: name } : { zone: name, count };
}

/** The optional `name`: ok (possibly absent), or false when it is malformed. */
function readName(r: Reader, raw: Obj, path: Path): { ok: boolean; name?: string } {
  if (raw.name === undefined) return { ok: true };
  const name = r.name(raw.name, [...path, 'name']);
  return name === undefined ? { ok: false } : { ok: true, name };
}

function readCommon(r: Reader, raw: Obj, path: Path): Omit<NodeFaultParsed, 'target'> | undefined {
  const mode = raw.mode === undefined ? 'crash' : r.oneOf(raw.mode, [...path, 'mode'], MODES);
  let recoverAfterMs: number | undefined;
  if (raw.recoverAfter !== undefined) {
    recoverAfterMs = r.duration(raw.recoverAfter, [...path, 'recoverAfter']);
    if (recoverAfterMs === undefined) return undefined;
  }
  const { ok, name } = readName(r, raw, path);
  if (mode === undefined || !ok) return undefined;
  return {
    mode,
    ...(recoverAfterMs === undefined ? {} : { recoverAfterMs }),
    ...(name === undefined ? {} : { name }),
  };
}

const ENTRY_FIELDS = ['at', 'action', 'target', 'mode', 'recoverAfter', 'name'];

const failNode: ActionParser = (r, raw, path) => {
  r.obj(raw, path, ENTRY_FIELDS);
  const target = readTarget(r, raw.target, [...path, 'target'], ['node', 'pool', 'zone'], true);
  const common = readCommon(r, raw, path);
  if (!target || !common) return undefined;
  const parsed: NodeFaultParsed = { target, ...common };
  return parsed as unknown as Record<string, unknown>;
};

const failZone: ActionParser = (r, raw, path) => {
  r.obj(raw, path, ENTRY_FIELDS);
  let target: NodeTarget | undefined;
  const tp = [...path, 'target'];
  if (raw.target === undefined) r.issues.expected(r.src, tp, 'a target {zone: name}', undefined);
  else {
    const o = r.obj(raw.target, tp, ['zone']);
    const zone = o && r.string(o.zone, [...tp, 'zone'], 'a zone name');
    if (zone) target = { zone };
  }
  const common = readCommon(r, raw, path);
  if (!target || !common) return undefined;
  const parsed: NodeFaultParsed = { target, ...common };
  return parsed as unknown as Record<string, unknown>;
};

function stochastic(mode: NodeFaultMode): ActionParser {
  return (r, raw, path) => {
    r.obj(raw, path, ['kind', 'pool', 'mtbf', 'mttr', 'name']);
    const pool = r.string(raw.pool, [...path, 'pool'], 'a node pool name');
    const times = readUpDown(r, raw, path);
    const { ok, name } = readName(r, raw, path);
    if (!pool || !times || !ok) return undefined;
    const parsed: StochasticNodeFaultParsed = {
      mode,
      pool,
      ...times,
      ...(name === undefined ? {} : { name }),
    };
    return parsed as unknown as Record<string, unknown>;
  };
}

export const nodeFaultActionParsers: ReadonlyArray<[string, ActionParser]> = [
  ['fail-node', failNode],
  ['fail-zone', failZone],
];

export const nodeFaultSpecParsers: ReadonlyArray<[string, ActionParser]> = [
  ['node-crash', stochastic('crash')],
  ['kubelet-stop', stochastic('kubelet-stop')],
  ['partition', stochastic('partition')],
  ['runtime-down', stochastic('runtime-down')],
];
