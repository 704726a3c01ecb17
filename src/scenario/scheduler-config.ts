/**
 * The scheduler configuration of a run: the scenario's KubeSchedulerConfiguration document
 * or a `--scheduler-config FILE`, resolved into profiles, with plugin args validated by
 * instantiating each plugin once — so a bad config is a ScenarioError naming the field,
 * before anything runs.
 */
import { Framework } from '../scheduler/framework/framework.js';
import {
  PluginArgsError,
  type Handle,
  type Plugin,
  type PluginFactory,
} from '../scheduler/framework/interfaces.js';
import {
  resolveSchedulerConfiguration,
  type ConfigIssue,
  type SchedulerConfiguration,
} from '../scheduler/config.js';
import { ClusterStore } from '../model/store.js';
import { inTreeRegistry, type Registry } from '../scheduler-plugins/registry.js';
import type { Path } from './errors.js';
import { Issues, readScenarioSources, type SourceDoc } from './source.js';
import { SCHEDULER_CONFIG_KIND } from './loader.js';
import type { KubeObject } from './types.js';

/** A handle good enough to construct plugins for validation (they only store it). */
export function validationHandle(): Handle {
  return {
    store: new ClusterStore(),
    now: () => 0,
    random: () => 0,
    recordEvent: () => undefined,
    parallelism: 16,
  };
}

export function loadSchedulerConfigFile(path: string): KubeObject {
  const docs = readScenarioSources(path);
  const issues = new Issues();
  const found = docs.filter(
    (d) => (d.value as { kind?: unknown } | null)?.kind === SCHEDULER_CONFIG_KIND,
  );
  if (found.length !== 1) {
    issues.file(
      docs[0]?.file ?? path,
      `expected exactly one ${SCHEDULER_CONFIG_KIND} document, found ${found.length}`,
    );
    issues.throwIfAny();
  }
  const d = found[0]!;
  return {
    kind: SCHEDULER_CONFIG_KIND,
    apiVersion: String((d.value as Record<string, unknown>).apiVersion ?? ''),
    manifest: d.value as Record<string, unknown>,
    origin: { src: d, path: [] },
  };
}

/**
 * The plugins whose args validation.go validatePluginConfig checks for every pluginConfig entry
 * (its validator map; NodeResourcesFit's key there is "NodeResourcesFitArgs", so its args are
 * only checked when the plugin is built).
 */
const ARGS_VALIDATED_BY_CONFIG: ReadonlySet<string> = new Set([
  'DefaultPreemption',
  'InterPodAffinity',
  'NodeAffinity',
  'NodeResourcesBalancedAllocation',
  'PodTopologySpread',
  'VolumeBinding',
  'DynamicResources',
]);

/** Splits `scoringStrategy.resources[0].weight` into path segments. */
function fieldPath(field: string): Path {
  const out: Array<string | number> = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

export function resolveRunSchedulerConfig(
  config: KubeObject | undefined,
  registry: ReadonlyMap<string, PluginFactory>,
): SchedulerConfiguration {
  const handle = validationHandle();
  const probes = new Map<string, Plugin | undefined>();
  const probe = (name: string): Plugin | undefined => {
    if (!probes.has(name)) {
      let p: Plugin | undefined;
      try {
        p = registry.get(name)?.(undefined, handle);
      } catch {
        p = undefined;
      }
      probes.set(name, p);
    }
    return probes.get(name);
  };
  const raw: ConfigIssue[] = [];
  const resolved = resolveSchedulerConfiguration(config?.manifest, registry, probe, raw);
  const issues = new Issues();
  const src = config?.origin.src;
  const base = config?.origin.path ?? [];
  const report = (path: Path, message: string): void => {
    if (src) issues.at(src as SourceDoc, [...base, ...path], message);
    else issues.file('(default scheduler configuration)', `${path.join('.')}: ${message}`);
  };
  for (const i of raw) report(i.path, i.message);
  if (raw.length === 0) {
    // Instantiate every profile once: factories validate their args. Args of the plugins
    // validatePluginConfig knows are validated even when the profile does not enable them.
    resolved.profiles.forEach((profile, pi) => {
      const fail = (e: unknown): void => {
        if (e instanceof PluginArgsError) {
          const cfgIndex = pluginConfigIndex(config, pi, e.plugin);
          const path: Path =
            cfgIndex === undefined
              ? ['profiles', pi, 'pluginConfig']
              : ['profiles', pi, 'pluginConfig', cfgIndex, 'args', ...fieldPath(e.field)];
          report(path, `${e.plugin}: ${e.field}: ${e.message.replace(/^.*?args: [^:]*: /, '')}`);
        } else {
          report(['profiles', pi], (e as Error).message);
        }
      };
      let fw: Framework | undefined;
      try {
        fw = new Framework(profile, registry, validationHandle());
      } catch (e) {
        fail(e);
      }
      for (const [name, args] of profile.pluginConfig) {
        if (!ARGS_VALIDATED_BY_CONFIG.has(name) || fw?.plugin(name)) continue;
        try {
          registry.get(name)?.(args, validationHandle());
        } catch (e) {
          fail(e);
        }
      }
    });
  }
  issues.throwIfAny();
  return resolved;
}

/**
 * The registry a run of a scenario uses: every in-tree plugin plus the scenario's own plugin
 * modules (`spec.schedulerPlugins`), which may not reuse an in-tree name (the loader checks).
 */
export function scenarioRegistry(plugins?: ReadonlyMap<string, PluginFactory>): Registry {
  const registry = inTreeRegistry();
  for (const [name, factory] of plugins ?? []) registry.set(name, factory);
  return registry;
}

/**
 * The profile names (schedulerName) of a scheduler configuration resolved as a run resolves it,
 * with the scenario's plugin modules registered — so a profile enabling a custom plugin is valid
 * here exactly when `ksim run` accepts it. Throws the ScenarioError a run would.
 */
export function runProfileNames(
  config: KubeObject | undefined,
  plugins?: ReadonlyMap<string, PluginFactory>,
): string[] {
  return resolveRunSchedulerConfig(config, scenarioRegistry(plugins)).profiles.map(
    (p) => p.schedulerName,
  );
}

function pluginConfigIndex(
  config: KubeObject | undefined,
  profile: number,
  plugin: string,
): number | undefined {
  const profiles = (config?.manifest.profiles as Array<Record<string, unknown>> | undefined) ?? [];
  const pcs = (profiles[profile]?.pluginConfig as Array<{ name?: string }> | undefined) ?? [];
  const i = pcs.findIndex((pc) => pc.name === plugin);
  return i < 0 ? undefined : i;
}
