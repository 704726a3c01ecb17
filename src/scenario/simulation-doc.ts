/**
 * The ksim `Simulation` document: seed, duration, metrics, control plane, node pools,
 * workloads, timeline and faults — validated and defaulted.
 */
import { DEFAULT_CYCLE_COST } from '../scheduler/cycle-cost.js';
import { dirname, resolve } from 'node:path';
import type { Path } from './errors.js';
import { LIMITS } from './limits.js';
import { formatDuration } from '../model/duration.js';
import type { Obj, Reader } from './fields.js';
import type { ArrivalSpec } from '../workloads/arrivals.js';
import type { ControlPlaneSpec, KubeletSpec, Origin } from './types.js';

export const SIMULATION_KIND = 'Simulation';
export const SIMULATION_API_VERSION = 'ksim.dev/v1alpha1';

export { LIMITS } from './limits.js';

export const DEFAULT_CONTROL_PLANE: ControlPlaneSpec = {
  apiServers: 1,
  // etcd 3.6 (what Kubernetes v1.35 ships): --pre-vote defaults to true.
  etcd: { members: 1, electionTimeoutMs: 1000, heartbeatIntervalMs: 100, preVote: true },
  scheduler: { replicas: 1, cycleCost: DEFAULT_CYCLE_COST },
  controllerManager: { replicas: 1 },
  leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  defaultNotReadyTolerationSeconds: 300,
  defaultUnreachableTolerationSeconds: 300,
  evictionRate: {
    normal: 0.1,
    secondary: 0.01,
    unhealthyZoneThreshold: 0.55,
    largeClusterSize: 50,
  },
};

export const DEFAULT_KUBELET: KubeletSpec = {
  nodeLeaseDurationSeconds: 40,
  nodeStatusUpdateFrequencyMs: 10_000,
};

const SPEC_FIELDS = [
  'seed',
  'duration',
  'metrics',
  'controlPlane',
  'kubelet',
  'nodePools',
  'workloads',
  'timeline',
  'faults',
  'schedulerPlugins',
] as const;

export interface SimulationDoc {
  /** metadata.name; the loader falls back to the file (or directory) name. */
  name: string | undefined;
  seed: number;
  durationMs: number;
  /** False when spec.duration was missing or wrong (durationMs is then a stand-in). */
  durationValid: boolean;
  sampleIntervalMs: number;
  /** spec.metrics.sampleInterval was written (size messages point at it). */
  sampleIntervalGiven: boolean;
  /** metrics.throughputWindow: the window of the pre-failure scheduling rate. */
  throughputWindowMs: number;
  controlPlane: ControlPlaneSpec;
  kubelet: KubeletSpec;
  nodePools: Array<{ raw: Obj; path: Path }>;
  workloads: Array<{ raw: Obj; path: Path }>;
  timeline: Array<{ raw: Obj; path: Path }>;
  faults: Array<{ raw: Obj; path: Path }>;
  /** Custom scheduler plugin modules: absolute path, and where the scenario names it. */
  schedulerPlugins: Array<{ absPath: string; path: Path }>;
}

/**
 * Reads the Simulation document. A `spec` that is not a map is reported and read as empty, so
 * the loader still checks every other document.
 */
export function readSimulationDoc(r: Reader, doc: Obj): SimulationDoc {
  r.obj(doc, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  if (doc.apiVersion !== SIMULATION_API_VERSION) {
    r.issues.expected(r.src, ['apiVersion'], SIMULATION_API_VERSION, doc.apiVersion);
  }
  const metadata = doc.metadata === undefined ? undefined : r.obj(doc.metadata, ['metadata']);
  const name =
    metadata?.name === undefined ? undefined : r.name(metadata.name, ['metadata', 'name']);
  const specMap = r.obj(doc.spec ?? {}, ['spec'], SPEC_FIELDS);
  const spec = specMap ?? {};

  const seed =
    spec.seed === undefined ? 1 : r.int(spec.seed, ['spec', 'seed'], 0, Number.MAX_SAFE_INTEGER);
  let sampleIntervalMs = DEFAULT_SAMPLE_INTERVAL_MS;
  let intervalGiven = false;
  let throughputWindowMs = DEFAULT_THROUGHPUT_WINDOW_MS;
  if (spec.metrics !== undefined) {
    const m = r.obj(spec.metrics, ['spec', 'metrics'], ['sampleInterval', 'throughputWindow']);
    if (m?.throughputWindow !== undefined) {
      const p = ['spec', 'metrics', 'throughputWindow'];
      const v = r.duration(m.throughputWindow, p);
      if (v !== undefined && v <= 0)
        r.issues.expected(r.src, p, 'a positive duration', m.throughputWindow);
      else if (v !== undefined) throughputWindowMs = v;
    }
    if (m?.sampleInterval !== undefined) {
      const v = r.duration(m.sampleInterval, ['spec', 'metrics', 'sampleInterval']);
      if (v !== undefined && v <= 0) {
        r.issues.expected(
          r.src,
          ['spec', 'metrics', 'sampleInterval'],
          'a positive duration',
          m.sampleInterval,
        );
      } else if (v !== undefined) {
        sampleIntervalMs = v;
        intervalGiven = true;
      }
    }
  }
  let durationMs: number | undefined;
  if (spec.duration === undefined) {
    if (specMap)
      r.issues.expected(
        r.src,
        ['spec', 'duration'],
        'a duration (how long to simulate, e.g. 6h)',
        undefined,
      );
  } else {
    durationMs = r.duration(spec.duration, ['spec', 'duration']);
    if (durationMs !== undefined)
      durationMs = checkDuration(r, durationMs, spec, sampleIntervalMs, intervalGiven);
  }
  const controlPlane = readControlPlane(r, spec.controlPlane, ['spec', 'controlPlane']);
  const kubelet = readKubelet(r, spec.kubelet, ['spec', 'kubelet']);
  const listOf = (field: string): Array<{ raw: Obj; path: Path }> => {
    const v = spec[field];
    if (v === undefined || v === null) return [];
    const items = r.list(v, ['spec', field]) ?? [];
    const out: Array<{ raw: Obj; path: Path }> = [];
    items.forEach((item, i) => {
      const o = r.obj(item, ['spec', field, i]);
      if (o) out.push({ raw: o, path: ['spec', field, i] });
    });
    return out;
  };
  const nodePools = listOf('nodePools');
  const workloads = listOf('workloads');
  const timeline = listOf('timeline');
  const faults = listOf('faults');
  const schedulerPlugins: SimulationDoc['schedulerPlugins'] = [];
  for (const p of listOf('schedulerPlugins')) {
    r.obj(p.raw, p.path, ['path']);
    const file = r.string(p.raw.path, [...p.path, 'path'], 'a module path (.js or .ts)');
    // Relative to the scenario file, like every other path in it.
    if (file)
      schedulerPlugins.push({
        absPath: resolve(dirname(r.src.absFile), file),
        path: [...p.path, 'path'],
      });
  }
  // With issues recorded the loader fails at the end; fallbacks let it check the rest first.
  return {
    name,
    seed: seed ?? 1,
    durationMs: durationMs ?? 3600_000,
    durationValid: durationMs !== undefined,
    sampleIntervalMs,
    sampleIntervalGiven: intervalGiven,
    throughputWindowMs,
    controlPlane,
    kubelet,
    nodePools,
    workloads,
    timeline,
    faults,
    schedulerPlugins,
  };
}

function readKubelet(r: Reader, v: unknown, path: Path): KubeletSpec {
  const k: KubeletSpec = { ...DEFAULT_KUBELET };
  if (v === undefined || v === null) return k;
  const o = r.obj(v, path, [
    'nodeLeaseDurationSeconds',
    'nodeStatusUpdateFrequency',
    'crashLoopBackOff',
  ]);
  if (!o) return k;
  if (o.nodeLeaseDurationSeconds !== undefined) {
    const x = r.int(o.nodeLeaseDurationSeconds, [...path, 'nodeLeaseDurationSeconds'], 1);
    if (x !== undefined) k.nodeLeaseDurationSeconds = x;
  }
  if (o.nodeStatusUpdateFrequency !== undefined) {
    const p = [...path, 'nodeStatusUpdateFrequency'];
    const x = r.duration(o.nodeStatusUpdateFrequency, p);
    if (x !== undefined && x <= 0)
      r.issues.expected(r.src, p, 'a positive duration', o.nodeStatusUpdateFrequency);
    else if (x !== undefined) k.nodeStatusUpdateFrequencyMs = x;
  }
  const c =
    o.crashLoopBackOff === undefined
      ? undefined
      : r.obj(o.crashLoopBackOff, [...path, 'crashLoopBackOff'], ['maxContainerRestartPeriod']);
  if (c?.maxContainerRestartPeriod !== undefined) {
    const mp = [...path, 'crashLoopBackOff', 'maxContainerRestartPeriod'];
    const ms = r.duration(c.maxContainerRestartPeriod, mp);
    if (ms !== undefined && (ms < 1000 || ms > 300_000))
      r.issues.expected(r.src, mp, 'a duration from 1s to 300s', c.maxContainerRestartPeriod);
    else if (ms !== undefined) k.maxContainerRestartPeriodMs = ms;
  }
  return k;
}

/** What the loader checks the other documents against when there is no readable Simulation. */
export function defaultSimulationDoc(): SimulationDoc {
  return {
    name: undefined,
    seed: 1,
    durationMs: 3600_000,
    durationValid: false,
    sampleIntervalMs: DEFAULT_SAMPLE_INTERVAL_MS,
    sampleIntervalGiven: false,
    throughputWindowMs: DEFAULT_THROUGHPUT_WINDOW_MS,
    controlPlane: structuredClone(DEFAULT_CONTROL_PLANE),
    kubelet: { ...DEFAULT_KUBELET },
    nodePools: [],
    workloads: [],
    timeline: [],
    faults: [],
    schedulerPlugins: [],
  };
}

const DEFAULT_SAMPLE_INTERVAL_MS = 10_000;
/** metrics.throughputWindow default: the 10 minutes before a failure set its rate. */
const DEFAULT_THROUGHPUT_WINDOW_MS = 600_000;
const DAY_MS = 86_400_000;

/**
 * The duration within what one run can hold: at most LIMITS.durationMs, and at most
 * LIMITS.samples samples. Which field is blamed follows what the user can change: the
 * sampleInterval they wrote, else the duration (the message names the real bound).
 */
function checkDuration(
  r: Reader,
  durationMs: number,
  spec: Obj,
  sampleIntervalMs: number,
  intervalGiven: boolean,
): number | undefined {
  const bySamples = LIMITS.samples * sampleIntervalMs;
  const max = Math.min(LIMITS.durationMs, bySamples);
  if (durationMs > 0 && durationMs <= max) return durationMs;
  if (durationMs > 0 && durationMs <= LIMITS.durationMs && intervalGiven) {
    const minInterval = Math.ceil(durationMs / LIMITS.samples);
    const metrics = spec.metrics as Obj;
    r.issues.expected(
      r.src,
      ['spec', 'metrics', 'sampleInterval'],
      `a sampleInterval of at least ${formatDuration(minInterval)} for a duration of ${formatDays(durationMs)} (at most ${LIMITS.samples} samples per run)`,
      metrics.sampleInterval,
    );
    return undefined;
  }
  const why =
    max < LIMITS.durationMs
      ? ` (at most ${LIMITS.samples} samples of ${intervalGiven ? '' : 'the default '}sampleInterval ${formatDuration(sampleIntervalMs)}; a longer sampleInterval allows up to ${formatDays(LIMITS.durationMs)})`
      : '';
  r.issues.expected(
    r.src,
    ['spec', 'duration'],
    `a duration from 1ms to ${formatDays(max)}${why}`,
    spec.duration,
  );
  return undefined;
}

/** Go-style with days first: 115d17h46m40s, 366d. */
function formatDays(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const rest = ms % DAY_MS;
  if (days === 0) return formatDuration(ms);
  return rest === 0 ? `${days}d` : `${days}d${formatDuration(rest)}`;
}

function readControlPlane(r: Reader, v: unknown, path: Path): ControlPlaneSpec {
  const cp = structuredClone(DEFAULT_CONTROL_PLANE);
  if (v === undefined) return cp;
  const o = r.obj(v, path, [
    'apiServers',
    'etcd',
    'scheduler',
    'controllerManager',
    'leaderElection',
    'nodeMonitorPeriod',
    'nodeMonitorGracePeriod',
    'nodeStartupGracePeriod',
    'defaultTolerationSeconds',
    'defaultNotReadyTolerationSeconds',
    'defaultUnreachableTolerationSeconds',
    'evictionRate',
  ]);
  if (!o) return cp;
  const set = <T>(value: T | undefined, assign: (x: T) => void): void => {
    if (value !== undefined) assign(value);
  };
  if (o.apiServers !== undefined)
    set(r.int(o.apiServers, [...path, 'apiServers'], 1, 99), (x) => (cp.apiServers = x));
  if (o.etcd !== undefined) {
    const e = r.obj(
      o.etcd,
      [...path, 'etcd'],
      ['members', 'electionTimeout', 'heartbeatInterval', 'preVote'],
    );
    if (e?.members !== undefined)
      set(r.int(e.members, [...path, 'etcd', 'members'], 1, 99), (x) => (cp.etcd.members = x));
    if (e?.electionTimeout !== undefined)
      set(
        r.duration(e.electionTimeout, [...path, 'etcd', 'electionTimeout']),
        (x) => (cp.etcd.electionTimeoutMs = x),
      );
    if (e?.heartbeatInterval !== undefined)
      set(
        r.duration(e.heartbeatInterval, [...path, 'etcd', 'heartbeatInterval']),
        (x) => (cp.etcd.heartbeatIntervalMs = x),
      );
    if (e?.preVote !== undefined)
      set(r.bool(e.preVote, [...path, 'etcd', 'preVote']), (x) => (cp.etcd.preVote = x));
  }
  if (o.scheduler !== undefined) {
    const s = r.obj(o.scheduler, [...path, 'scheduler'], ['replicas', 'cycleCost']);
    if (s?.replicas !== undefined)
      set(
        r.int(s.replicas, [...path, 'scheduler', 'replicas'], 1, 99),
        (x) => (cp.scheduler.replicas = x),
      );
    if (s?.cycleCost !== undefined) {
      const cc = [...path, 'scheduler', 'cycleCost'];
      const c = r.obj(s.cycleCost, cc, [
        'baseMicros',
        'perNodeMicros',
        'pluginMicros',
        'clusterScanMicros',
        'preemptionPerNodeMicros',
      ]);
      const cost = cp.scheduler.cycleCost;
      for (const key of ['baseMicros', 'perNodeMicros', 'preemptionPerNodeMicros'] as const) {
        if (c?.[key] !== undefined)
          set(r.number(c[key], [...cc, key], 0, 1e9), (x) => (cost[key] = x));
      }
      // Per-plugin maps merge over the defaults (a plugin set to 0 costs nothing extra).
      for (const key of ['pluginMicros', 'clusterScanMicros'] as const) {
        if (c?.[key] === undefined) continue;
        const m = r.obj(c[key], [...cc, key]);
        const merged: Record<string, number> = { ...cost[key] };
        for (const [name, v] of Object.entries(m ?? {})) {
          const x = r.number(v, [...cc, key, name], 0, 1e9);
          if (x !== undefined) merged[name] = x;
        }
        cost[key] = merged;
      }
    }
  }
  if (o.controllerManager !== undefined) {
    const c = r.obj(o.controllerManager, [...path, 'controllerManager'], ['replicas']);
    if (c?.replicas !== undefined)
      set(
        r.int(c.replicas, [...path, 'controllerManager', 'replicas'], 1, 99),
        (x) => (cp.controllerManager.replicas = x),
      );
  }
  if (o.leaderElection !== undefined) {
    const le = r.obj(
      o.leaderElection,
      [...path, 'leaderElection'],
      ['leaseDuration', 'renewDeadline', 'retryPeriod'],
    );
    if (le?.leaseDuration !== undefined)
      set(
        r.duration(le.leaseDuration, [...path, 'leaderElection', 'leaseDuration']),
        (x) => (cp.leaderElection.leaseDurationMs = x),
      );
    if (le?.renewDeadline !== undefined)
      set(
        r.duration(le.renewDeadline, [...path, 'leaderElection', 'renewDeadline']),
        (x) => (cp.leaderElection.renewDeadlineMs = x),
      );
    if (le?.retryPeriod !== undefined)
      set(
        r.duration(le.retryPeriod, [...path, 'leaderElection', 'retryPeriod']),
        (x) => (cp.leaderElection.retryPeriodMs = x),
      );
  }
  if (o.nodeMonitorPeriod !== undefined)
    set(
      r.duration(o.nodeMonitorPeriod, [...path, 'nodeMonitorPeriod']),
      (x) => (cp.nodeMonitorPeriodMs = x),
    );
  if (o.nodeMonitorGracePeriod !== undefined)
    set(
      r.duration(o.nodeMonitorGracePeriod, [...path, 'nodeMonitorGracePeriod']),
      (x) => (cp.nodeMonitorGracePeriodMs = x),
    );
  if (o.nodeStartupGracePeriod !== undefined)
    set(
      r.duration(o.nodeStartupGracePeriod, [...path, 'nodeStartupGracePeriod']),
      (x) => (cp.nodeStartupGracePeriodMs = x),
    );
  // defaultTolerationSeconds sets both flags; either flag given on its own wins over it.
  if (o.defaultTolerationSeconds !== undefined)
    set(r.int(o.defaultTolerationSeconds, [...path, 'defaultTolerationSeconds'], 0), (x) => {
      cp.defaultNotReadyTolerationSeconds = x;
      cp.defaultUnreachableTolerationSeconds = x;
    });
  if (o.defaultNotReadyTolerationSeconds !== undefined)
    set(
      r.int(o.defaultNotReadyTolerationSeconds, [...path, 'defaultNotReadyTolerationSeconds'], 0),
      (x) => (cp.defaultNotReadyTolerationSeconds = x),
    );
  if (o.defaultUnreachableTolerationSeconds !== undefined)
    set(
      r.int(
        o.defaultUnreachableTolerationSeconds,
        [...path, 'defaultUnreachableTolerationSeconds'],
        0,
      ),
      (x) => (cp.defaultUnreachableTolerationSeconds = x),
    );
  if (o.evictionRate !== undefined) {
    const e = r.obj(
      o.evictionRate,
      [...path, 'evictionRate'],
      ['normal', 'secondary', 'unhealthyZoneThreshold', 'largeClusterSize'],
    );
    if (e?.normal !== undefined)
      set(
        r.number(e.normal, [...path, 'evictionRate', 'normal'], 0),
        (x) => (cp.evictionRate.normal = x),
      );
    if (e?.secondary !== undefined)
      set(
        r.number(e.secondary, [...path, 'evictionRate', 'secondary'], 0),
        (x) => (cp.evictionRate.secondary = x),
      );
    if (e?.unhealthyZoneThreshold !== undefined)
      set(
        r.number(
          e.unhealthyZoneThreshold,
          [...path, 'evictionRate', 'unhealthyZoneThreshold'],
          0,
          1,
        ),
        (x) => (cp.evictionRate.unhealthyZoneThreshold = x),
      );
    if (e?.largeClusterSize !== undefined)
      set(
        r.int(e.largeClusterSize, [...path, 'evictionRate', 'largeClusterSize'], 0),
        (x) => (cp.evictionRate.largeClusterSize = x),
      );
  }
  return cp;
}

const ARRIVAL_KINDS = ['poisson', 'constant', 'diurnal', 'bursts'] as const;

/**
 * `{poisson: {rate: 2/s}, from: 0s, until: 5h}` and friends → an arrival process spec;
 * bounds default to the whole run.
 */
export function readArrivals(
  r: Reader,
  v: unknown,
  path: Path,
  durationMs: number,
  /** False when durationMs is a stand-in for a wrong duration: no "after the end" errors. */
  durationValid = true,
): ArrivalSpec | undefined {
  const before = r.issues.count;
  const o = r.obj(v, path, [...ARRIVAL_KINDS, 'from', 'until']);
  if (!o) return undefined;
  const kinds = ARRIVAL_KINDS.filter((k) => o[k] !== undefined);
  if (kinds.length !== 1) {
    r.issues.expected(
      r.src,
      path,
      `exactly one of ${ARRIVAL_KINDS.join(', ')}`,
      kinds.length ? kinds.join(' and ') : 'none',
    );
    return undefined;
  }
  const kind = kinds[0]!;
  const fromMs = o.from === undefined ? 0 : r.duration(o.from, [...path, 'from']);
  if (fromMs !== undefined && fromMs > durationMs) {
    if (durationValid) r.issues.expected(r.src, [...path, 'from'], withinRun(durationMs), o.from);
    return undefined;
  }
  const untilRaw = o.until === undefined ? durationMs : r.duration(o.until, [...path, 'until']);
  if (fromMs !== undefined && untilRaw !== undefined && untilRaw < fromMs) {
    r.issues.expected(r.src, [...path, 'until'], `a time after from (${o.from ?? '0s'})`, o.until);
    return undefined;
  }
  const untilMs = untilRaw === undefined ? undefined : Math.min(untilRaw, durationMs);
  const kp = [...path, kind];
  let spec: ArrivalSpec | undefined;
  if (kind === 'poisson' || kind === 'constant') {
    const p = r.obj(o[kind], kp, ['rate']);
    const rate = p && r.rate(p.rate, [...kp, 'rate']);
    if (rate !== undefined && rate !== null) spec = { kind, rate, fromMs, untilMs };
  } else if (kind === 'diurnal') {
    const p = r.obj(o[kind], kp, ['period', 'peak', 'trough', 'phase']);
    if (p) {
      const periodMs =
        p.period === undefined ? 86_400_000 : r.duration(p.period, [...kp, 'period']);
      const peak = r.rate(p.peak, [...kp, 'peak']);
      const trough = r.rate(p.trough, [...kp, 'trough'], true);
      const phaseMs = p.phase === undefined ? 0 : r.duration(p.phase, [...kp, 'phase']);
      if (periodMs !== undefined && periodMs <= 0)
        r.issues.expected(r.src, [...kp, 'period'], 'a positive duration', p.period);
      else if (peak !== undefined && trough !== undefined && trough > peak) {
        r.issues.expected(r.src, [...kp, 'trough'], 'a rate no higher than peak', p.trough);
      } else if (
        periodMs !== undefined &&
        peak !== undefined &&
        trough !== undefined &&
        phaseMs !== undefined
      ) {
        spec = { kind, periodMs, peak, trough, phaseMs, fromMs, untilMs };
      }
    }
  } else {
    const p = r.obj(o[kind], kp, ['rate', 'on', 'off']);
    if (p) {
      const rate = r.rate(p.rate, [...kp, 'rate']);
      const on = r.durationDistribution(p.on, [...kp, 'on']);
      const off = r.durationDistribution(p.off, [...kp, 'off']);
      // On windows that are all empty would never let an arrival through.
      if (on && !(on.mean() > 0))
        r.issues.expected(r.src, [...kp, 'on'], 'a duration greater than 0 (on average)', p.on);
      else if (rate !== undefined && on && off) spec = { kind, rate, on, off, fromMs, untilMs };
    }
  }
  return r.issues.count === before ? spec : undefined;
}

/** "expected …" for an offset after the end of the run. */
export function withinRun(durationMs: number): string {
  return `a time within the run (duration ${formatDays(durationMs)})`;
}

/** Expected number of arrivals (for the size limit): the peak rate over the window. */
export function expectedArrivals(a: ArrivalSpec): number {
  const span = Math.max(0, (a.untilMs ?? 0) - (a.fromMs ?? 0));
  const rate = a.kind === 'diurnal' ? a.peak : a.rate;
  return rate * span;
}

export function originOf(r: Reader, path: Path): Origin {
  return { src: r.src, path };
}
