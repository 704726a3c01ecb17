/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) → merged profiles, as
 * upstream's defaulting (apis/config/v1/default_plugins.go mergePlugins) and the framework's
 * MultiPoint expansion (frameworkImpl.expandMultiPointPlugins, getScoreWeights) do it.
 *
 * Pure: problems are returned as {path, message} so the caller can point at file:line:col.
 */
import type { ProfileConfig, WeightedPlugin } from './framework/framework.js';
import type { Plugin, PluginArgs, PluginFactory } from './framework/interfaces.js';
import {
  isBind,
  isFilter,
  isPermit,
  isPostBind,
  isPostFilter,
  isPreBind,
  isPreEnqueue,
  isPreFilter,
  isPreScore,
  isQueueSort,
  isReserve,
  isScore,
} from './framework/interfaces.js';
import { DEFAULT_SCHEDULER_NAME } from './scheduler.js';

export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';

export interface ConfigIssue {
  path: Array<string | number>;
  message: string;
}

interface PluginRef {
  name: string;
  weight?: number;
}
interface PluginSet {
  enabled: PluginRef[];
  disabled: PluginRef[];
}

export const EXTENSION_POINTS = [
  'preEnqueue',
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

const GUARDS: Record<ExtensionPoint, (p: Plugin) => boolean> = {
  preEnqueue: isPreEnqueue,
  queueSort: isQueueSort,
  preFilter: isPreFilter,
  filter: isFilter,
  postFilter: isPostFilter,
  preScore: isPreScore,
  score: isScore,
  reserve: isReserve,
  permit: isPermit,
  preBind: isPreBind,
  bind: isBind,
  postBind: isPostBind,
};

/** Upstream v1 default plugins, all through multiPoint, in this order (default_plugins.go). */
export const DEFAULT_MULTIPOINT: PluginRef[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeRestrictions' },
  { name: 'EBSLimits' },
  { name: 'GCEPDLimits' },
  { name: 'NodeVolumeLimits' },
  { name: 'AzureDiskLimits' },
  { name: 'VolumeBinding' },
  { name: 'VolumeZone' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

export interface SchedulerConfiguration {
  profiles: ProfileConfig[];
  percentageOfNodesToScore: number;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Resolves a KubeSchedulerConfiguration (undefined = all defaults). `probe` gives a plugin
 * instance per name (to learn which extension points it implements); names it does not know
 * are reported.
 */
export function resolveSchedulerConfiguration(
  doc: unknown,
  registry: ReadonlyMap<string, PluginFactory>,
  probe: (name: string) => Plugin | undefined,
  issues: ConfigIssue[],
): SchedulerConfiguration {
  const cfg: Obj = isObj(doc) ? doc : {};
  const known = [
    'apiVersion',
    'kind',
    'profiles',
    'percentageOfNodesToScore',
    'podInitialBackoffSeconds',
    'podMaxBackoffSeconds',
    'parallelism',
    'leaderElection',
    'clientConnection',
    'healthzBindAddress',
    'metricsBindAddress',
    'enableProfiling',
    'enableContentionProfiling',
    'extenders',
    'delayCacheUntilActive',
  ];
  for (const k of Object.keys(cfg)) {
    if (!known.includes(k))
      issues.push({ path: [k], message: `unknown field; expected one of ${known.join(', ')}` });
  }
  if (doc !== undefined && cfg.apiVersion !== SCHEDULER_CONFIG_API_VERSION) {
    issues.push({
      path: ['apiVersion'],
      message: `expected ${SCHEDULER_CONFIG_API_VERSION}, found ${JSON.stringify(cfg.apiVersion)}`,
    });
  }
  const percentage = intField(cfg, 'percentageOfNodesToScore', 0, 0, 100, [], issues);
  const initial = intField(cfg, 'podInitialBackoffSeconds', 1, 1, 3600, [], issues);
  const max = intField(cfg, 'podMaxBackoffSeconds', 10, 1, 3600, [], issues);
  if (max < initial) {
    issues.push({
      path: ['podMaxBackoffSeconds'],
      message: `must be greater than or equal to podInitialBackoffSeconds (${initial})`,
    });
  }
  if (isObj(cfg.extenders) || (Array.isArray(cfg.extenders) && cfg.extenders.length)) {
    issues.push({ path: ['extenders'], message: 'scheduler extenders are not simulated' });
  }
  let rawProfiles: unknown[] = [{}];
  if (cfg.profiles !== undefined) {
    if (!Array.isArray(cfg.profiles))
      issues.push({ path: ['profiles'], message: 'expected a list of profiles' });
    else if (cfg.profiles.length) rawProfiles = cfg.profiles;
  }
  const profiles: ProfileConfig[] = [];
  const names = new Set<string>();
  rawProfiles.forEach((raw, i) => {
    const p = resolveProfile(raw, ['profiles', i], registry, probe, issues);
    if (!p) return;
    if (names.has(p.schedulerName)) {
      issues.push({
        path: ['profiles', i, 'schedulerName'],
        message: `duplicate profile "${p.schedulerName}"`,
      });
    }
    names.add(p.schedulerName);
    profiles.push(p);
  });
  // Upstream: all profiles must use the same queue sort plugin (one queue serves them all).
  const sorts = new Set(profiles.map((p) => p.plugins.queueSort.join(',')));
  if (sorts.size > 1) {
    issues.push({
      path: ['profiles'],
      message: 'all profiles must have the same queueSort plugin',
    });
  }
  return {
    profiles,
    percentageOfNodesToScore: percentage,
    podInitialBackoffMs: initial * 1000,
    podMaxBackoffMs: max * 1000,
  };
}

function intField(
  o: Obj,
  key: string,
  def: number,
  min: number,
  max: number,
  base: Array<string | number>,
  issues: ConfigIssue[],
): number {
  const v = o[key];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    issues.push({
      path: [...base, key],
      message: `expected an integer from ${min} to ${max}, found ${JSON.stringify(v)}`,
    });
    return def;
  }
  return v;
}

function readPluginSet(v: unknown, path: Array<string | number>, issues: ConfigIssue[]): PluginSet {
  const set: PluginSet = { enabled: [], disabled: [] };
  if (v === undefined || v === null) return set;
  if (!isObj(v)) {
    issues.push({ path, message: 'expected a map with enabled/disabled lists' });
    return set;
  }
  for (const k of Object.keys(v)) {
    if (k !== 'enabled' && k !== 'disabled')
      issues.push({
        path: [...path, k],
        message: 'unknown field; expected one of enabled, disabled',
      });
  }
  for (const which of ['enabled', 'disabled'] as const) {
    const list = v[which];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      issues.push({ path: [...path, which], message: 'expected a list of {name, weight}' });
      continue;
    }
    list.forEach((item, i) => {
      if (!isObj(item) || typeof item.name !== 'string' || !item.name) {
        issues.push({ path: [...path, which, i, 'name'], message: 'expected a plugin name' });
        return;
      }
      const ref: PluginRef = { name: item.name };
      if (item.weight !== undefined) {
        if (
          typeof item.weight !== 'number' ||
          !Number.isInteger(item.weight) ||
          item.weight < 0 ||
          item.weight > 100
        ) {
          issues.push({
            path: [...path, which, i, 'weight'],
            message: `expected an integer from 0 to 100, found ${JSON.stringify(item.weight)}`,
          });
        } else ref.weight = item.weight;
      }
      set[which].push(ref);
    });
  }
  return set;
}

/** mergePluginSet: defaults minus disabled, re-configured defaults in place, then custom ones. */
export function mergePluginSet(defaults: PluginSet, custom: PluginSet): PluginSet {
  const disabled = new Set<string>([...custom.disabled, ...defaults.disabled].map((p) => p.name));
  const customIndex = new Map(custom.enabled.map((p, i) => [p.name, i]));
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabled.has('*')) {
    for (const d of defaults.enabled) {
      if (disabled.has(d.name)) continue;
      const ci = customIndex.get(d.name);
      if (ci !== undefined) {
        enabled.push(custom.enabled[ci]!);
        replaced.add(ci);
      } else enabled.push(d);
    }
  }
  custom.enabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push(p);
  });
  return { enabled, disabled: [...custom.disabled, ...defaults.disabled] };
}

function resolveProfile(
  raw: unknown,
  path: Array<string | number>,
  registry: ReadonlyMap<string, PluginFactory>,
  probe: (name: string) => Plugin | undefined,
  issues: ConfigIssue[],
): ProfileConfig | undefined {
  if (!isObj(raw)) {
    issues.push({
      path,
      message: 'expected a profile (a map with schedulerName, plugins, pluginConfig)',
    });
    return undefined;
  }
  for (const k of Object.keys(raw)) {
    if (!['schedulerName', 'plugins', 'pluginConfig', 'percentageOfNodesToScore'].includes(k)) {
      issues.push({
        path: [...path, k],
        message:
          'unknown field; expected one of schedulerName, plugins, pluginConfig, percentageOfNodesToScore',
      });
    }
  }
  const schedulerName =
    raw.schedulerName === undefined ? DEFAULT_SCHEDULER_NAME : raw.schedulerName;
  if (typeof schedulerName !== 'string' || !schedulerName) {
    issues.push({ path: [...path, 'schedulerName'], message: 'expected a scheduler name' });
    return undefined;
  }
  let percentageOfNodesToScore: number | undefined;
  if (raw.percentageOfNodesToScore !== undefined && raw.percentageOfNodesToScore !== null) {
    percentageOfNodesToScore = intField(raw, 'percentageOfNodesToScore', 0, 0, 100, path, issues);
  }
  const pluginsRaw = raw.plugins === undefined || raw.plugins === null ? {} : raw.plugins;
  if (!isObj(pluginsRaw)) {
    issues.push({ path: [...path, 'plugins'], message: 'expected a map of extension points' });
    return undefined;
  }
  for (const k of Object.keys(pluginsRaw)) {
    if (k !== 'multiPoint' && !(EXTENSION_POINTS as readonly string[]).includes(k)) {
      issues.push({
        path: [...path, 'plugins', k],
        message: `unknown extension point; expected one of multiPoint, ${EXTENSION_POINTS.join(', ')}`,
      });
    }
  }
  // Defaulting: merge the user's sets onto the defaults (only multiPoint has defaults in v1).
  const multiPoint = mergePluginSet(
    { enabled: DEFAULT_MULTIPOINT, disabled: [] },
    readPluginSet(pluginsRaw.multiPoint, [...path, 'plugins', 'multiPoint'], issues),
  );
  const points = {} as Record<ExtensionPoint, PluginSet>;
  for (const ep of EXTENSION_POINTS) {
    points[ep] = mergePluginSet(
      { enabled: [], disabled: [] },
      readPluginSet(pluginsRaw[ep], [...path, 'plugins', ep], issues),
    );
  }
  const unknown = new Set<string>();
  const check = (name: string, p: Array<string | number>): boolean => {
    if (name === '*') return false;
    if (!registry.has(name)) {
      if (!unknown.has(name)) {
        issues.push({
          path: p,
          message: `plugin "${name}" is not registered (known: ${[...registry.keys()].sort().join(', ')})`,
        });
      }
      unknown.add(name);
      return false;
    }
    return true;
  };
  const expanded = {} as Record<ExtensionPoint, string[]>;
  for (const ep of EXTENSION_POINTS) {
    const set = points[ep];
    const enabledSet = set.enabled
      .map((p) => p.name)
      .filter((n, i) => check(n, [...path, 'plugins', ep, 'enabled', i]));
    for (const n of enabledSet) {
      const inst = probe(n);
      if (inst && !GUARDS[ep](inst)) {
        issues.push({
          path: [...path, 'plugins', ep],
          message: `plugin "${n}" does not extend ${ep} extension point`,
        });
      }
    }
    const disabledSet = new Set(set.disabled.map((p) => p.name));
    if (disabledSet.has('*')) {
      expanded[ep] = enabledSet;
      continue;
    }
    const override: string[] = [];
    const fromMulti: string[] = [];
    for (const mp of multiPoint.enabled) {
      if (!check(mp.name, [...path, 'plugins', 'multiPoint'])) continue;
      const inst = probe(mp.name);
      if (!inst || !GUARDS[ep](inst)) continue;
      if (disabledSet.has(mp.name)) continue;
      if (enabledSet.includes(mp.name)) {
        override.push(mp.name);
        continue;
      }
      if (fromMulti.includes(mp.name)) {
        issues.push({
          path: [...path, 'plugins', 'multiPoint'],
          message: `plugin "${mp.name}" already registered as ${ep}`,
        });
        continue;
      }
      fromMulti.push(mp.name);
    }
    const part1 = enabledSet.filter((n) => override.includes(n));
    const part3 = enabledSet.filter((n) => !override.includes(n));
    expanded[ep] = [...part1, ...fromMulti, ...part3];
  }
  // getScoreWeights: Score.enabled weights win over multiPoint's; 0 means 1.
  const weights = new Map<string, number>();
  for (const p of [...points.score.enabled, ...multiPoint.enabled]) {
    if (!weights.has(p.name)) weights.set(p.name, p.weight ? p.weight : 1);
  }
  const score: WeightedPlugin[] = expanded.score.map((name) => ({
    name,
    weight: weights.get(name) ?? 1,
  }));
  if (expanded.queueSort.length !== 1) {
    issues.push({
      path: [...path, 'plugins'],
      message: `one queue sort plugin required for profile with schedulerName "${schedulerName}"`,
    });
  }
  if (expanded.bind.length === 0) {
    issues.push({
      path: [...path, 'plugins'],
      message: `at least one bind plugin is needed for profile with schedulerName "${schedulerName}"`,
    });
  }
  // pluginConfig: unique names, known plugins.
  const pluginConfig = new Map<string, PluginArgs>();
  if (raw.pluginConfig !== undefined && raw.pluginConfig !== null) {
    if (!Array.isArray(raw.pluginConfig)) {
      issues.push({ path: [...path, 'pluginConfig'], message: 'expected a list of {name, args}' });
    } else {
      raw.pluginConfig.forEach((pc, i) => {
        const pp = [...path, 'pluginConfig', i];
        if (!isObj(pc) || typeof pc.name !== 'string') {
          issues.push({ path: [...pp, 'name'], message: 'expected a plugin name' });
          return;
        }
        if (!check(pc.name, [...pp, 'name'])) return;
        if (pluginConfig.has(pc.name)) {
          issues.push({
            path: [...pp, 'name'],
            message: `repeated config for plugin "${pc.name}"`,
          });
          return;
        }
        const args = pc.args === undefined || pc.args === null ? {} : pc.args;
        if (!isObj(args)) {
          issues.push({ path: [...pp, 'args'], message: 'expected a map of plugin arguments' });
          return;
        }
        const { apiVersion: _a, kind: _k, ...rest } = args;
        pluginConfig.set(pc.name, rest);
      });
    }
  }
  return {
    schedulerName,
    plugins: { ...expanded, score },
    pluginConfig,
    percentageOfNodesToScore,
  };
}
