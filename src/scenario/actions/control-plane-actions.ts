/**
 * Validators of control-plane failure actions: etcd-member-down, apiserver-down,
 * scheduler-down, controller-manager-down (target {count} | {member} | {leader: true}) and
 * control-plane-down (everything), each with an optional recoverAfter.
 * Indices are checked against the control plane's size when the run starts.
 *
 * The same four kinds as stochastic faults (`spec.faults[]`): {kind, mtbf, mttr} fails every
 * replica on its own up/down cycle; with `leader: true` (not for apiservers, which have no
 * leader) one cycle fails whoever leads when the failure strikes.
 */
import type { Path } from '../errors.js';
import type { Obj, Reader } from '../fields.js';
import type { ActionParser } from './index.js';
import { readUpDown, type UpDown } from './fault-distributions.js';

/** Which replicas an action takes down: `count` picks up replicas from the highest index. */
export interface ControlPlaneTarget {
  count?: number;
  member?: number;
  leader?: boolean;
}

/** `parsed` of a control-plane action (control-plane-down has no target). */
export interface ControlPlaneActionParsed {
  target?: ControlPlaneTarget;
  recoverAfterMs?: number;
}

function readTarget(
  r: Reader,
  v: unknown,
  path: Path,
  leaderAllowed: boolean,
): ControlPlaneTarget | undefined {
  const keys = leaderAllowed ? ['count', 'member', 'leader'] : ['count', 'member'];
  if (v === undefined) {
    r.issues.expected(r.src, path, `a target (one of ${keys.join(', ')})`, v);
    return undefined;
  }
  const o = r.obj(v, path, keys);
  if (!o) return undefined;
  const given = keys.filter((k) => o[k] !== undefined);
  // Only unknown fields (already reported): one message is enough.
  if (given.length === 0 && Object.keys(o).length > 0) return undefined;
  if (given.length !== 1) {
    r.issues.at(r.src, path, `expected exactly one of ${keys.join(', ')}, found ${given.length}`);
    return undefined;
  }
  if (o.count !== undefined) {
    const count = r.int(o.count, [...path, 'count'], 1, 99);
    return count === undefined ? undefined : { count };
  }
  if (o.member !== undefined) {
    const member = r.int(o.member, [...path, 'member'], 0, 98);
    return member === undefined ? undefined : { member };
  }
  if (o.leader !== true) {
    r.issues.expected(r.src, [...path, 'leader'], 'true', o.leader);
    return undefined;
  }
  return { leader: true };
}

function readRecoverAfter(r: Reader, raw: Obj, path: Path): number | undefined | false {
  if (raw.recoverAfter === undefined) return undefined;
  const ms = r.duration(raw.recoverAfter, [...path, 'recoverAfter']);
  return ms === undefined ? false : ms;
}

function targeted(leaderAllowed: boolean): ActionParser {
  return (r, raw, path) => {
    r.obj(raw, path, ['at', 'action', 'target', 'recoverAfter']);
    const target = readTarget(r, raw.target, [...path, 'target'], leaderAllowed);
    const recoverAfterMs = readRecoverAfter(r, raw, path);
    if (!target || recoverAfterMs === false) return undefined;
    const parsed: ControlPlaneActionParsed = { target, recoverAfterMs };
    return parsed as Record<string, unknown>;
  };
}

const controlPlaneDown: ActionParser = (r, raw, path) => {
  r.obj(raw, path, ['at', 'action', 'recoverAfter']);
  const recoverAfterMs = readRecoverAfter(r, raw, path);
  if (recoverAfterMs === false) return undefined;
  const parsed: ControlPlaneActionParsed = { recoverAfterMs };
  return parsed as Record<string, unknown>;
};

/** `parsed` of a stochastic control-plane fault. */
export interface StochasticControlPlaneFaultParsed extends UpDown {
  /** One failure cycle for whoever leads, instead of one per replica. */
  leader: boolean;
}

function stochastic(leaderAllowed: boolean): ActionParser {
  return (r, raw, path) => {
    r.obj(raw, path, leaderAllowed ? ['kind', 'mtbf', 'mttr', 'leader'] : ['kind', 'mtbf', 'mttr']);
    let leader = false;
    if (leaderAllowed && raw.leader !== undefined) {
      const v = r.bool(raw.leader, [...path, 'leader']);
      if (v === undefined) return undefined;
      leader = v;
    }
    const times = readUpDown(r, raw, path);
    if (!times) return undefined;
    const parsed: StochasticControlPlaneFaultParsed = { ...times, leader };
    return parsed as unknown as Record<string, unknown>;
  };
}

export const controlPlaneFaultSpecParsers: ReadonlyArray<[string, ActionParser]> = [
  ['etcd-member-down', stochastic(true)],
  ['apiserver-down', stochastic(false)],
  ['scheduler-down', stochastic(true)],
  ['controller-manager-down', stochastic(true)],
];

export const controlPlaneActionParsers: ReadonlyArray<[string, ActionParser]> = [
  ['etcd-member-down', targeted(true)],
  ['apiserver-down', targeted(false)],
  ['scheduler-down', targeted(true)],
  ['controller-manager-down', targeted(true)],
  ['control-plane-down', controlPlaneDown],
];
