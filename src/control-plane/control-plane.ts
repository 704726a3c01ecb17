/**
 * Wires one run's control plane: the etcd raft group, the apiserver replicas (installed as the
 * apiserver gate everybody writes through), leader election for kube-scheduler and
 * kube-controller-manager, the executors of the control-plane timeline actions, and the
 * measures of what failures cost (summary.json, and timeseries columns when the scenario fails
 * the control plane).
 */
import type { ActionExecutor, ComponentFactory, SimContext } from '../components/context.js';
import type { Issues } from '../scenario/source.js';
import type { TimelineEntry } from '../scenario/types.js';
import type {
  ControlPlaneActionParsed,
  ControlPlaneTarget,
} from '../scenario/actions/control-plane-actions.js';
import { ApiServers } from './apiserver.js';
import { ETCD_CALIBRATION, EtcdCluster } from './etcd.js';
import { CLIENT_GO_JITTER_FACTOR, LeaderElection } from './leader-election.js';
import { ControlPlaneMeasures } from './measures.js';
import { startStochasticControlPlaneFaults } from './stochastic-faults.js';

/** The control plane of one run, for tests and for other components that fail it. */
export interface ControlPlane {
  etcd: EtcdCluster;
  apiservers: ApiServers;
  scheduler: LeaderElection;
  controllerManager: LeaderElection;
  measures: ControlPlaneMeasures;
}

export const CONTROL_PLANE_ACTIONS = [
  'etcd-member-down',
  'apiserver-down',
  'scheduler-down',
  'controller-manager-down',
  'control-plane-down',
] as const;

/** One fault-able group of replicas: who is up, who leads, how to stop and start one. */
export interface Group {
  noun: string;
  size: number;
  isUp(i: number): boolean;
  leader(): number | undefined;
  name(i: number): string;
  down(i: number): void;
  up(i: number): void;
}

const lastRun = new WeakMap<SimContext, ControlPlane>();

/** The control plane started for a run (undefined before start). */
export function controlPlaneOf(ctx: SimContext): ControlPlane | undefined {
  return lastRun.get(ctx);
}

export const startControlPlane: ComponentFactory = (ctx) => {
  const { engine, scenario, events } = ctx;
  const spec = scenario.controlPlane;
  const etcd = new EtcdCluster(engine, ctx.rng.stream('etcd'), {
    members: spec.etcd.members,
    electionTimeoutMs: spec.etcd.electionTimeoutMs,
    heartbeatIntervalMs: spec.etcd.heartbeatIntervalMs,
    preVote: spec.etcd.preVote,
    ...ETCD_CALIBRATION,
  });
  const apiservers = new ApiServers(spec.apiServers, etcd);
  ctx.api.inner = apiservers;
  const le = { ...spec.leaderElection, jitterFactor: CLIENT_GO_JITTER_FACTOR, restartDelayMs: 0 };
  const scheduler = new LeaderElection(
    engine,
    ctx.rng.stream('leader-election/kube-scheduler'),
    le,
    'kube-scheduler',
    spec.scheduler.replicas,
    ctx.leaders.scheduler,
    apiservers,
    events,
  );
  const controllerManager = new LeaderElection(
    engine,
    ctx.rng.stream('leader-election/kube-controller-manager'),
    le,
    'kube-controller-manager',
    spec.controllerManager.replicas,
    ctx.leaders.controllerManager,
    apiservers,
    events,
  );
  const measures = new ControlPlaneMeasures(
    engine,
    () => ({
      etcdHasLeader: etcd.leader !== undefined,
      writable: apiservers.writable,
      schedulerLeader: ctx.leaders.scheduler.active,
      controllerManagerLeader: ctx.leaders.controllerManager.active,
    }),
    ctx.api.refused,
  );
  const cp: ControlPlane = { etcd, apiservers, scheduler, controllerManager, measures };
  lastRun.set(ctx, cp);

  etcd.onChange((change, member) => {
    const name = member === undefined ? 'etcd' : etcd.memberName(member);
    if (change === 'leader-elected')
      events.record(
        'Etcd',
        name,
        'LeaderElected',
        `${name} elected leader at term ${etcd.currentTerm}`,
      );
    else if (change === 'leader-lost')
      events.record('Etcd', name, 'LeaderLost', `${name} is no longer leader`);
    else if (change === 'leader-loss-noticed')
      return; // only the write mode changes
    else if (change === 'quorum-lost')
      events.record(
        'Etcd',
        name,
        'QuorumLost',
        `${etcd.membersUp} of ${spec.etcd.members} members up, quorum is ${etcd.quorum}`,
      );
    else
      events.record(
        'Etcd',
        name,
        'QuorumRestored',
        `${etcd.membersUp} of ${spec.etcd.members} members up`,
      );
    measures.update();
  });
  apiservers.onWritableChange(() => measures.update());
  ctx.leaders.scheduler.onChange(() => measures.update());
  ctx.leaders.controllerManager.onChange(() => measures.update());

  const groups: Record<string, Group> = {
    etcd: {
      noun: 'etcd-member',
      size: spec.etcd.members,
      isUp: (i) => etcd.isUp(i),
      leader: () => etcd.leader,
      name: (i) => etcd.memberName(i),
      down: (i) => etcd.memberDown(i),
      up: (i) => etcd.memberUp(i),
    },
    apiserver: {
      noun: 'apiserver',
      size: spec.apiServers,
      isUp: (i) => apiservers.isUp(i),
      leader: () => undefined,
      name: (i) => apiservers.replicaName(i),
      down: (i) => apiservers.down(i),
      up: (i) => apiservers.restore(i),
    },
    scheduler: electedGroup('scheduler', scheduler),
    controllerManager: electedGroup('controller-manager', controllerManager),
  };

  validateTargets(scenario.timeline, groups, ctx.startupIssues);

  /** Takes the replicas down now (one failure in the measures), back after recoverAfterMs. */
  const fail = (action: string, taken: Array<[Group, number[]]>, recoverAfterMs?: number) => {
    const names = taken.flatMap(([g, idx]) => idx.map((i) => g.name(i)));
    for (const [g, idx] of taken) for (const i of idx) g.down(i);
    const record = measures.failure(
      action,
      names.join(' ') || 'nothing',
      recoverAfterMs !== undefined,
    );
    if (recoverAfterMs === undefined) return;
    engine.schedule(recoverAfterMs, () => {
      const reason =
        action === 'control-plane-down'
          ? 'control-plane-up'
          : `${taken[0]?.[0].noun ?? 'control-plane'}-up`;
      // The marker first, so that what the recovery causes follows it in events.csv.
      events.record('Simulation', action, reason, names.join(' ') || 'nothing to recover');
      // Start in dependency order: etcd, apiservers, then the elected components.
      for (const [g, idx] of taken) for (const i of idx) g.up(i);
      measures.recovered(record);
    });
  };

  const single =
    (group: Group): ActionExecutor =>
    (entry) => {
      const p = entry.parsed as ControlPlaneActionParsed;
      fail(entry.action, [[group, pick(group, p.target ?? {})]], p.recoverAfterMs);
    };
  ctx.actions.set('etcd-member-down', single(groups.etcd!));
  ctx.actions.set('apiserver-down', single(groups.apiserver!));
  ctx.actions.set('scheduler-down', single(groups.scheduler!));
  ctx.actions.set('controller-manager-down', single(groups.controllerManager!));
  ctx.actions.set('control-plane-down', (entry) => {
    const all = (g: Group): [Group, number[]] => [g, pick(g, { count: g.size })];
    fail(
      entry.action,
      [
        all(groups.etcd!),
        all(groups.apiserver!),
        all(groups.scheduler!),
        all(groups.controllerManager!),
      ],
      (entry.parsed as ControlPlaneActionParsed).recoverAfterMs,
    );
  });

  startStochasticControlPlaneFaults(
    ctx,
    (kind) => groups[GROUP_OF_ACTION[kind] ?? ''],
    (kind, group, replica, downMs, label) => {
      // A marker like a timeline action's, then the failure and its recovery.
      events.record('Simulation', kind, kind, `${group.name(replica)} (${label})`);
      fail(kind, [[group, [replica]]], downMs);
    },
  );

  Object.defineProperty(ctx.metrics.extra, 'apiserverWritesRefused', {
    enumerable: true,
    get: () => (measures.eventful ? Object.fromEntries(ctx.api.refused) : undefined),
  });
  Object.defineProperty(ctx.metrics.extra, 'controlPlane', {
    enumerable: true,
    get: () => (measures.eventful ? measures.summary() : undefined),
  });
  Object.defineProperty(ctx.metrics.extra, 'controlPlaneFailures', {
    enumerable: true,
    get: () => (measures.eventful ? measures.failureRows() : undefined),
  });

  if (failsControlPlane(ctx)) {
    ctx.metrics.addSeries({
      columns: () => [
        'etcd_leader',
        'apiserver_writable',
        'scheduler_leader',
        'controller_manager_leader',
      ],
      values: () => [
        etcd.leader === undefined ? 0 : 1,
        apiservers.writable ? 1 : 0,
        ctx.leaders.scheduler.active ? 1 : 0,
        ctx.leaders.controllerManager.active ? 1 : 0,
      ],
    });
  }
};

function electedGroup(noun: string, le: LeaderElection): Group {
  return {
    noun,
    size: le.replicaCount,
    isUp: (i) => le.isUp(i),
    leader: () => le.leader,
    name: (i) => le.replicaName(i),
    down: (i) => le.kill(i),
    up: (i) => le.start(i),
  };
}

/** The replicas a target names that are up now; `count` takes them from the highest index. */
function pick(g: Group, target: ControlPlaneTarget): number[] {
  if (target.leader) {
    const l = g.leader();
    return l === undefined ? [] : [l];
  }
  if (target.member !== undefined) return g.isUp(target.member) ? [target.member] : [];
  const out: number[] = [];
  for (let i = g.size - 1; i >= 0 && out.length < (target.count ?? 0); i--)
    if (g.isUp(i)) out.push(i);
  return out;
}

const GROUP_OF_ACTION: Record<string, string> = {
  'etcd-member-down': 'etcd',
  'apiserver-down': 'apiserver',
  'scheduler-down': 'scheduler',
  'controller-manager-down': 'controllerManager',
};

/** Member indices and counts must fit the control plane's size (known only with the scenario). */
function validateTargets(
  timeline: readonly TimelineEntry[],
  groups: Record<string, Group>,
  issues: Issues,
): void {
  for (const entry of timeline) {
    const key = GROUP_OF_ACTION[entry.action];
    const target = (entry.parsed as ControlPlaneActionParsed).target;
    if (key === undefined || !target) continue;
    const g = groups[key]!;
    const path = [...entry.origin.path, 'target'];
    if (target.member !== undefined && target.member >= g.size)
      issues.at(
        entry.origin.src,
        [...path, 'member'],
        `no ${g.noun} ${target.member}: there are ${g.size} (0..${g.size - 1})`,
      );
    if (target.count !== undefined && target.count > g.size)
      issues.at(
        entry.origin.src,
        [...path, 'count'],
        `only ${g.size} ${g.noun} replicas exist, found count ${target.count}`,
      );
  }
}

function failsControlPlane(ctx: SimContext): boolean {
  const names: readonly string[] = CONTROL_PLANE_ACTIONS;
  return (
    ctx.scenario.timeline.some((e) => names.includes(e.action)) ||
    ctx.scenario.faults.some((f) =>
      /etcd|apiserver|scheduler|controller-manager|control-plane/.test(f.kind),
    )
  );
}
