import { Args, Command, Flags } from '@oclif/core';
import { formatDuration } from '../model/duration.js';
import { ScenarioError } from '../scenario/errors.js';
import { loadScenario } from '../scenario/loader.js';
import { runSimulation } from '../simulation.js';
import { loadSchedulerConfigFile, runProfileNames } from '../scenario/scheduler-config.js';
import type { Scenario } from '../scenario/types.js';

export default class Validate extends Command {
  static override description =
    'Check scenario files (and KubeSchedulerConfiguration files) without running anything: print what each contains, or every error with file:line:col (exit 2)';

  static override examples = [
    '<%= config.bin %> validate scenarios/quickstart.yaml scenarios/binpacking.yaml',
    '<%= config.bin %> validate scenarios/binpacking.yaml --scheduler-config tuned.yaml',
  ];

  // Any number of scenario files.
  static override strict = false;

  static override args = {
    scenario: Args.string({
      description: 'scenario file or directory of YAML files',
      required: true,
    }),
  };

  static override flags = {
    'scheduler-config': Flags.string({
      description: 'also check a KubeSchedulerConfiguration file (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    quiet: Flags.boolean({ char: 'q', description: 'print nothing but errors', default: false }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Validate);
    let failed = 0;
    const check = (file: string, describe: () => string): void => {
      try {
        const what = describe();
        if (!flags.quiet) this.log(`ok: ${file} (${what})`);
      } catch (e) {
        failed++;
        if (e instanceof ScenarioError) this.logToStderr(e.message);
        else if (isFileError(e)) this.logToStderr(`error: ${(e as Error).message}`);
        else throw e;
      }
    };
    for (const file of flags['scheduler-config'] ?? []) {
      check(file, () => {
        const names = runProfileNames(loadSchedulerConfigFile(file));
        return `KubeSchedulerConfiguration, ${plural(names.length, 'profile')}: ${names.join(', ')}`;
      });
    }
    for (const file of argv as string[]) {
      check(file, () => {
        const scenario = loadScenario(file);
        // What the components check as they start (Deployments, HPAs, action targets, …).
        runSimulation(scenario, { checkOnly: true });
        if (!flags.quiet)
          for (const n of scenario.notices)
            this.logToStderr(`note: ${n.file}:${n.line}: ${n.message}`);
        return describeScenario(
          scenario,
          runProfileNames(scenario.schedulerConfig, scenario.schedulerPlugins),
        );
      });
    }
    if (failed > 0) this.exit(2);
  }
}

function isFileError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function describeScenario(s: Scenario, profiles: readonly string[]): string {
  return [
    plural(s.nodes.length, 'node'),
    plural(s.workloads.length, 'workload'),
    plural(s.pods.length, 'pod'),
    plural(s.objects.length, 'object'),
    plural(s.timeline.length, 'timeline action'),
    plural(s.faults.length, 'fault'),
    `${plural(profiles.length, 'profile')}: ${profiles.join(', ')}`,
    `seed ${s.seed}`,
    `duration ${formatDuration(s.durationMs)}`,
  ].join(', ');
}
