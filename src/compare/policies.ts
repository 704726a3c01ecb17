/**
 * The policies of a comparison. A policy is a scheduling profile that serves the scenario's
 * `default-scheduler` pods, taken either from the scenario's own KubeSchedulerConfiguration
 * (`--profile NAME`: the policy is called NAME) or from a KubeSchedulerConfiguration file
 * (`--scheduler-config FILE`: each of the file's profiles is a policy, called after the file —
 * `tuned` for tuned.yaml with one profile, `tuned:NAME` when it has several).
 *
 * Everything is resolved and validated here, before any run starts, so a typo is one message
 * instead of N × seeds failed runs.
 */
import { basename, extname } from 'node:path';
import { ScenarioError } from '../scenario/errors.js';
import { loadSchedulerConfigFile, runProfileNames } from '../scenario/scheduler-config.js';
import type { Scenario } from '../scenario/types.js';

/** One policy source as the user gave it, in command-line order. */
export type PolicySource = { profile: string } | { schedulerConfig: string };

export interface Policy {
  /** Shown in tables and comparison.csv. */
  name: string;
  /** Profile (schedulerName) that serves default-scheduler pods. */
  profile: string;
  /** KubeSchedulerConfiguration file replacing the scenario's; absent for scenario profiles. */
  schedulerConfigFile?: string;
  /** Directory name under runs/: the name with anything unsafe in a path replaced. */
  dir: string;
}

function flagError(flag: string, message: string): ScenarioError {
  return new ScenarioError([{ file: flag, line: 0, column: 0, path: '', message }]);
}

/**
 * Policies in the order given; with no source at all, every profile of the scenario's
 * configuration (in its order). The first policy is the baseline.
 */
export function resolvePolicies(scenario: Scenario, sources: readonly PolicySource[]): Policy[] {
  // Resolved with the scenario's plugin modules registered, as every run resolves them.
  const profileNames = (config: Scenario['schedulerConfig']): string[] =>
    runProfileNames(config, scenario.schedulerPlugins);
  const scenarioProfiles = profileNames(scenario.schedulerConfig);
  const given: PolicySource[] =
    sources.length > 0 ? [...sources] : scenarioProfiles.map((profile) => ({ profile }));
  const policies: Array<Omit<Policy, 'dir'>> = [];
  for (const source of given) {
    if ('profile' in source) {
      if (!scenarioProfiles.includes(source.profile)) {
        throw flagError(
          '--profile',
          `no scheduling profile named "${source.profile}" in ${scenario.file}; it has ${scenarioProfiles.map((n) => `"${n}"`).join(', ')}`,
        );
      }
      policies.push({ name: source.profile, profile: source.profile });
    } else {
      const file = source.schedulerConfig;
      const names = profileNames(loadSchedulerConfigFile(file));
      const base = basename(file, extname(file));
      for (const profile of names) {
        policies.push({
          name: names.length === 1 ? base : `${base}:${profile}`,
          profile,
          schedulerConfigFile: file,
        });
      }
    }
  }
  const seen = new Set<string>();
  for (const p of policies) {
    if (seen.has(p.name)) {
      throw flagError('--profile', `policy "${p.name}" is given twice; each policy runs once`);
    }
    seen.add(p.name);
  }
  return withDirs(policies);
}

/** Unique, path-safe directory names; a clash after sanitising gets the policy's position. */
export function withDirs(policies: ReadonlyArray<Omit<Policy, 'dir'>>): Policy[] {
  const used = new Set<string>();
  return policies.map((p, i) => {
    let dir = p.name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
    if (dir === '' || used.has(dir)) dir = `${dir || 'policy'}-${i + 1}`;
    used.add(dir);
    return { ...p, dir };
  });
}
