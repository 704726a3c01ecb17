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

/**
 * Upstream v1 default plugins, all through multiPoint, in this order (v1.35
 * apis/config/v1/default_plugins.go getDefaultPlugins + applyFeatureGates: DynamicResources is
 * inserted before DefaultPreemption, DRA being GA and on since v1.34). The in-tree volume
 * limits EBSLimits, GCEPDLimits and AzureDiskLimits left the defaults in v1.31.
 */
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
  { name: 'NodeVolumeLimits' },
  { name: 'VolumeBinding' },
  { name: 'VolumeZone' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DynamicResources' },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

/**
 * validation.go invalidPluginsByVersion: plugins removed from kube-scheduler, which v1
 * validation rejects in an extension point's enabled list and in pluginConfig.
 */
export const INVALID_PLUGINS_V1: readonly string[] = [
  'AzureDiskLimits',
  'CinderLimits',
  'EBSLimits',
  'GCEPDLimits',
];

const INVALID_PLUGIN_MESSAGE = (name: string): string =>
  `Invalid value: ${JSON.stringify(name)}: was invalid in version "${SCHEDULER_CONFIG_API_VERSION}" ` +
  `(KubeSchedulerConfiguration is version "${SCHEDULER_CONFIG_API_VERSION}")`;

/**
 * Go interface names of the extension points, in frameworkImpl.getExtensionPoints order (the
 * order the framework fills and expands them, hence which one an error names first).
 */
const PLUGIN_TYPES: ReadonlyArray<[ExtensionPoint, string]> = [
  ['preFilter', 'PreFilterPlugin'],
  ['filter', 'FilterPlugin'],
  ['postFilter', 'PostFilterPlugin'],
  ['reserve', 'ReservePlugin'],
  ['preScore', 'PreScorePlugin'],
  ['score', 'ScorePlugin'],
  ['preBind', 'PreBindPlugin'],
  ['bind', 'BindPlugin'],
  ['postBind', 'PostBindPlugin'],
  ['permit', 'PermitPlugin'],
  ['preEnqueue', 'PreEnqueuePlugin'],
  ['queueSort', 'QueueSortPlugin'],
];

/** Defaults of clientConnection (SetDefaults_KubeSchedulerConfiguration: qps 50, burst 100). */
export const DEFAULT_CLIENT_QPS = 50;
export const DEFAULT_CLIENT_BURST = 100;

export interface SchedulerConfiguration {
  profiles: ProfileConfig[];
  percentageOfNodesToScore: number;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
  /** clientConnection.qps (≤ 0: no client-side rate limit, as client-go). */
  clientQPS: number;
  /** clientConnection.burst. */
  clientBurst: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * Resolves a KubeSchedulerConfiguration (undefined = all defaults): defaulting
 * (SetDefaults_KubeSchedulerConfiguration, mergePlugins), ValidateKubeSchedulerConfiguration,
 * and the framework's checks (updatePluginList, expandMultiPointPlugins, getScoreWeights).
 * `probe` gives a plugin instance per name (to learn which extension points it implements);
 * names it does not know are reported.
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
  const percentage = percentageField(cfg, [], issues) ?? 0;
  const parallelism = intField(cfg, 'parallelism', 16, INT32_MIN, INT32_MAX, [], issues);
  if (parallelism <= 0) {
    issues.push({
      path: ['parallelism'],
      message: `Invalid value: ${parallelism}: should be an integer value greater than zero`,
    });
  }
  // int64 seconds; upstream only requires initial > 0 and max ≥ initial.
  const initial = intField(cfg, 'podInitialBackoffSeconds', 1, -Infinity, Infinity, [], issues);
  const max = intField(cfg, 'podMaxBackoffSeconds', 10, -Infinity, Infinity, [], issues);
  if (initial <= 0) {
    issues.push({
      path: ['podInitialBackoffSeconds'],
      message: `Invalid value: ${initial}: must be greater than 0`,
    });
  }
  if (max < initial) {
    issues.push({
      path: ['podMaxBackoffSeconds'],
      message: `Invalid value: ${max}: must be greater than or equal to PodInitialBackoffSeconds`,
    });
  }
  const client = clientConnection(cfg.clientConnection, issues);
  if (isObj(cfg.extenders) || (Array.isArray(cfg.extenders) && cfg.extenders.length)) {
    issues.push({ path: ['extenders'], message: 'scheduler extenders are not simulated' });
  }
  let rawProfiles: unknown[] = [{}];
  if (cfg.profiles !== undefined) {
    if (!Array.isArray(cfg.profiles))
      issues.push({ path: ['profiles'], message: 'expected a list of profiles' });
    else if (cfg.profiles.length) rawProfiles = cfg.profiles;
  }
  // Only a lone profile gets the default scheduler name; otherwise every one must name itself.
  const defaultName = rawProfiles.length === 1 ? DEFAULT_SCHEDULER_NAME : undefined;
  const profiles: ProfileConfig[] = [];
  const queueSorts: string[] = [];
  const names = new Set<string>();
  rawProfiles.forEach((raw, i) => {
    const r = resolveProfile(raw, ['profiles', i], defaultName, registry, probe, issues);
    if (!r) return;
    const p = r.profile;
    if (names.has(p.schedulerName)) {
      issues.push({
        path: ['profiles', i, 'schedulerName'],
        message: `duplicate profile "${p.schedulerName}"`,
      });
    }
    names.add(p.schedulerName);
    profiles.push(p);
    queueSorts.push(r.queueSortSet);
  });
  // validateCommonQueueSort: one queue serves every profile, so the queueSort sets as merged
  // (not as expanded from multiPoint) must be equal.
  queueSorts.forEach((q, i) => {
    if (i > 0 && q !== queueSorts[0]) {
      issues.push({
        path: ['profiles', i, 'plugins', 'queueSort'],
        message: 'must be the same for all profiles',
      });
    }
  });
  return {
    profiles,
    percentageOfNodesToScore: percentage,
    podInitialBackoffMs: initial * 1000,
    podMaxBackoffMs: max * 1000,
    clientQPS: client.qps,
    clientBurst: client.burst,
  };
}

/** ClientConnectionConfiguration: kubeconfig, acceptContentTypes, contentType, qps, burst. */
function clientConnection(v: unknown, issues: ConfigIssue[]): { qps: number; burst: number } {
  const out = { qps: DEFAULT_CLIENT_QPS, burst: DEFAULT_CLIENT_BURST };
  if (v === undefined || v === null) return out;
  const path = ['clientConnection'];
  if (!isObj(v)) {
    issues.push({ path, message: 'expected a map (kubeconfig, contentType, qps, burst)' });
    return out;
  }
  const fields = ['kubeconfig', 'acceptContentTypes', 'contentType', 'qps', 'burst'];
  for (const k of Object.keys(v)) {
    if (!fields.includes(k)) {
      issues.push({
        path: [...path, k],
        message: `unknown field; expected one of ${fields.join(', ')}`,
      });
    }
  }
  if (v.qps !== undefined && v.qps !== null) {
    if (typeof v.qps !== 'number' || !Number.isFinite(v.qps)) {
      issues.push({
        path: [...path, 'qps'],
        message: `expected a number, found ${JSON.stringify(v.qps)}`,
      });
    } else if (v.qps !== 0) out.qps = v.qps; // 0 is defaulted to 50
  }
  if (v.burst !== undefined && v.burst !== null) {
    if (!isInt(v.burst) || v.burst > INT32_MAX || v.burst < INT32_MIN) {
      issues.push({
        path: [...path, 'burst'],
        message: `expected an int32, found ${JSON.stringify(v.burst)}`,
      });
    } else if (v.burst < 0) {
      issues.push({
        path: [...path, 'burst'],
        message: `Invalid value: ${v.burst}: must be non-negative`,
      });
    } else if (v.burst !== 0) out.burst = v.burst; // 0 is defaulted to 100
  }
  return out;
}

/** validatePercentageOfNodesToScore; undefined when the field is absent. */
function percentageField(
  o: Obj,
  base: Array<string | number>,
  issues: ConfigIssue[],
): number | undefined {
  const v = o.percentageOfNodesToScore;
  if (v === undefined || v === null) return undefined;
  const path = [...base, 'percentageOfNodesToScore'];
  if (!isInt(v)) {
    issues.push({ path, message: `expected an integer, found ${JSON.stringify(v)}` });
    return undefined;
  }
  if (v < 0 || v > 100) {
    issues.push({ path, message: `Invalid value: ${v}: not in valid range [0-100]` });
    return undefined;
  }
  return v;
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
  if (!isInt(v) || v < min || v > max) {
    issues.push({
      path: [...base, key],
      message: Number.isFinite(min)
        ? `expected an integer from ${min} to ${max}, found ${JSON.stringify(v)}`
        : `expected an integer, found ${JSON.stringify(v)}`,
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
      if (item.weight !== undefined && item.weight !== null) {
        // The v1 type is *int32; validation sets no range (getScoreWeights turns 0 into 1).
        if (!isInt(item.weight) || item.weight < INT32_MIN || item.weight > INT32_MAX) {
          issues.push({
            path: [...path, which, i, 'weight'],
            message: `expected an int32, found ${JSON.stringify(item.weight)}`,
          });
        } else ref.weight = item.weight;
      }
      set[which].push(ref);
    });
  }
  return set;
}

/**
 * mergePluginSet (default_plugins.go): the defaults minus the disabled ones (all of them with
 * `*`), each default re-configured in place by a custom entry of the same name (the last such
 * entry when there are several), then the custom entries that replaced nothing, in order.
 */
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

/** The merged plugin sets of a profile, as the framework receives them. */
export interface MergedPlugins {
  multiPoint: PluginSet;
  points: Record<ExtensionPoint, PluginSet>;
}

/** What the framework builds from merged plugin sets: plugins per extension point, weights. */
export interface ExpandedPlugins {
  plugins: Record<ExtensionPoint, string[]>;
  weights: Map<string, number>;
}

/**
 * NewFramework's arrangement of merged sets, for names `implements` knows: updatePluginList
 * (each point's enabled list, a duplicate being an error), expandMultiPointPlugins (per point,
 * a name also listed at the point is an override and keeps that point's position — part 1 —,
 * then the multiPoint plugins — part 2 —, then the point's other plugins — part 3; a point
 * that disables `*` takes nothing from multiPoint) and getScoreWeights (a Score weight wins
 * over the multiPoint one; 0 or unset means 1). Problems go to `report` as upstream words
 * them.
 */
export function expandPlugins(
  merged: MergedPlugins,
  implementsPoint: (name: string, point: ExtensionPoint) => boolean | undefined,
  report: (point: ExtensionPoint | 'multiPoint', message: string, index?: number) => void,
): ExpandedPlugins {
  const plugins = {} as Record<ExtensionPoint, string[]>;
  for (const [ep, type] of PLUGIN_TYPES) {
    const seen = new Set<string>();
    const list: string[] = [];
    merged.points[ep].enabled.forEach((p, i) => {
      const impl = implementsPoint(p.name, ep);
      if (impl === undefined) return; // unknown: reported by the caller
      if (!impl) {
        report(ep, `plugin "${p.name}" does not extend ${type} plugin`, i);
        return;
      }
      if (seen.has(p.name)) {
        report(ep, `plugin "${p.name}" already registered as "${type}"`, i);
        return;
      }
      seen.add(p.name);
      list.push(p.name);
    });
    plugins[ep] = list;
  }
  const doubled = new Set<string>();
  for (const [ep, type] of PLUGIN_TYPES) {
    const set = merged.points[ep];
    const disabled = new Set(set.disabled.map((p) => p.name));
    if (disabled.has('*')) continue;
    const enabled = plugins[ep];
    const override = new Set<string>();
    const fromMulti: string[] = [];
    for (const mp of merged.multiPoint.enabled) {
      if (!implementsPoint(mp.name, ep) || disabled.has(mp.name)) continue;
      if (enabled.includes(mp.name)) {
        override.add(mp.name);
        continue;
      }
      if (fromMulti.includes(mp.name)) {
        // Upstream stops at the first: one report per plugin.
        if (!doubled.has(mp.name))
          report('multiPoint', `plugin "${mp.name}" already registered as "${type}"`);
        doubled.add(mp.name);
        continue;
      }
      fromMulti.push(mp.name);
    }
    plugins[ep] = [
      ...enabled.filter((n) => override.has(n)),
      ...fromMulti,
      ...enabled.filter((n) => !override.has(n)),
    ];
  }
  const weights = new Map<string, number>();
  for (const p of [...merged.points.score.enabled, ...merged.multiPoint.enabled]) {
    if (!weights.has(p.name)) weights.set(p.name, p.weight ? p.weight : 1);
  }
  return { plugins, weights };
}

function resolveProfile(
  raw: unknown,
  path: Array<string | number>,
  defaultName: string | undefined,
  registry: ReadonlyMap<string, PluginFactory>,
  probe: (name: string) => Plugin | undefined,
  issues: ConfigIssue[],
): { profile: ProfileConfig; queueSortSet: string } | undefined {
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
  const schedulerName = raw.schedulerName ?? defaultName;
  if (schedulerName === undefined || schedulerName === '') {
    issues.push({ path: [...path, 'schedulerName'], message: 'Required value' });
    return undefined;
  }
  if (typeof schedulerName !== 'string') {
    issues.push({ path: [...path, 'schedulerName'], message: 'expected a scheduler name' });
    return undefined;
  }
  const percentageOfNodesToScore = percentageField(raw, path, issues);
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
  // Validation rejects plugins removed from kube-scheduler in an extension point's enabled
  // list; in multiPoint (not validated) they are unknown to the framework.
  const invalid = new Set(INVALID_PLUGINS_V1);
  const unknown = new Set<string>();
  const known = (name: string, p: Array<string | number>): boolean => {
    if (registry.has(name)) return true;
    if (!unknown.has(name)) {
      issues.push({
        path: p,
        message: `plugin "${name}" is not registered (known: ${[...registry.keys()].sort().join(', ')})`,
      });
    }
    unknown.add(name);
    return false;
  };
  for (const ep of EXTENSION_POINTS) {
    points[ep].enabled.forEach((p, i) => {
      const at = [...path, 'plugins', ep, 'enabled', i];
      if (invalid.has(p.name)) issues.push({ path: at, message: INVALID_PLUGIN_MESSAGE(p.name) });
      else known(p.name, at);
    });
  }
  multiPoint.enabled.forEach((p) => known(p.name, [...path, 'plugins', 'multiPoint']));
  const { plugins, weights } = expandPlugins(
    { multiPoint, points },
    (name, ep) => {
      if (!registry.has(name)) return undefined;
      const inst = probe(name);
      return inst ? GUARDS[ep](inst) : undefined;
    },
    (ep, message, index) =>
      issues.push({
        path: [...path, 'plugins', ep, ...(index === undefined ? [] : ['enabled', index])],
        message,
      }),
  );
  const score: WeightedPlugin[] = plugins.score.map((name) => ({
    name,
    weight: weights.get(name) ?? 1,
  }));
  if (plugins.queueSort.length !== 1) {
    issues.push({
      path: [...path, 'plugins'],
      message: `only one queue sort plugin required for profile with scheduler name "${schedulerName}", but got ${plugins.queueSort.length}`,
    });
  }
  if (plugins.bind.length === 0) {
    issues.push({
      path: [...path, 'plugins'],
      message: `at least one bind plugin is needed for profile with scheduler name "${schedulerName}"`,
    });
  }
  // pluginConfig (validatePluginConfig): unique names, no removed plugins. Args of plugins the
  // profile does not enable are kept and unused, as upstream's NewFramework does.
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
        if (pluginConfig.has(pc.name)) {
          issues.push({ path: pp, message: `Duplicate value: ${JSON.stringify(pc.name)}` });
          return;
        }
        if (invalid.has(pc.name)) {
          issues.push({ path: pp, message: INVALID_PLUGIN_MESSAGE(pc.name) });
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
  const q = points.queueSort;
  const queueSortSet = JSON.stringify([q.enabled, q.disabled.map((p) => p.name)]);
  return {
    profile: {
      schedulerName,
      plugins: { ...plugins, score },
      pluginConfig,
      percentageOfNodesToScore,
    },
    queueSortSet,
  };
}
