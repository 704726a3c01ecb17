import { join } from 'node:path';
import { Args, Command, Flags } from '@oclif/core';
import { SingleBar } from 'cli-progress';
import { loadScenario } from '../scenario/loader.js';
import { loadSchedulerConfigFile } from '../scenario/scheduler-config.js';
import { loadPluginFiles } from '../scenario/plugin-modules.js';
import { runSimulation } from '../simulation.js';
import { buildSummary, outputInputOf, writeRunOutputs } from '../metrics/output.js';
import { writeRunReport } from '../report/run-report.js';
import {
  checkOutputDirectory,
  ksimVersion,
  reportSkipReason,
  userErrors,
  wallClockMs,
} from '../cli/support.js';
import { ProgressReporter } from '../cli/progress.js';

export default class Run extends Command {
  static override description =
    'Run a scenario in virtual time and write summary.json, timeseries.csv, pods.csv, events.csv and report.html';

  static override examples = [
    '<%= config.bin %> run scenarios/quickstart.yaml',
    '<%= config.bin %> run scenarios/quickstart.yaml --seed 7 --out reports/try',
    '<%= config.bin %> run scenarios/binpacking.yaml --profile most-allocated --explain',
  ];

  static override args = {
    scenario: Args.string({
      description: 'scenario file or directory of YAML files',
      required: true,
    }),
  };

  static override flags = {
    seed: Flags.integer({
      description: 'random seed (overrides spec.seed)',
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    }),
    out: Flags.string({ description: 'output directory (default reports/<scenario>/seed-<N>)' }),
    quiet: Flags.boolean({ char: 'q', description: 'print nothing but errors', default: false }),
    profile: Flags.string({
      description: 'scheduling profile that serves pods of default-scheduler',
    }),
    'scheduler-config': Flags.string({
      description: 'KubeSchedulerConfiguration file (replaces the scenario one)',
    }),
    plugin: Flags.string({
      description:
        'custom scheduler plugin module (.js/.ts) to register; enable it in the KubeSchedulerConfiguration',
      multiple: true,
      multipleNonGreedy: true,
    }),
    explain: Flags.boolean({
      description: 'also write filters.csv and scores.csv',
      default: false,
    }),
    'no-report': Flags.boolean({ description: 'skip report.html', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Run);
    await userErrors(this, async () => {
      const scenario = loadScenario(args.scenario, { seed: flags.seed });
      const plugins = flags.plugin?.length ? loadPluginFiles(flags.plugin) : undefined;
      const schedulerConfig = flags['scheduler-config']
        ? loadSchedulerConfigFile(flags['scheduler-config'])
        : undefined;
      const name = scenario.name;
      const out = flags.out ?? join('reports', name, `seed-${scenario.seed}`);
      // A bad --out is found now, not after the whole simulation.
      checkOutputDirectory(out);
      if (!flags.quiet)
        for (const n of scenario.notices)
          this.logToStderr(`note: ${n.file}:${n.line}: ${n.message}`);

      const progress =
        !flags.quiet && process.stderr.isTTY
          ? new ProgressReporter(
              new SingleBar({
                format:
                  'simulating |{bar}| {percentage}% {value}/{total} s virtual | {eps} events/s',
                stream: process.stderr,
                hideCursor: true,
              }),
              scenario.durationMs,
              wallClockMs,
            )
          : undefined;
      const started = wallClockMs();
      const result = runSimulation(scenario, {
        profile: flags.profile,
        schedulerConfig,
        plugins,
        explain: flags.explain,
        onProgress: progress && ((now, events) => progress.onProgress(now, events)),
      });
      progress?.finish(result.events);
      const wallSeconds = (wallClockMs() - started) / 1000;
      const input = outputInputOf(name, result);
      const summary = buildSummary(input, ksimVersion(), wallSeconds);
      const skipReport = flags['no-report'] || reportSkipReason(result.metrics.pods.length);
      if (typeof skipReport === 'string' && !flags.quiet) this.logToStderr(`note: ${skipReport}`);
      writeRunOutputs(out, input, summary, {
        // report.html before summary.json: summary.json marks the directory complete.
        beforeSummary: skipReport ? undefined : (s) => writeRunReport(out, undefined, s),
      });
      if (!flags.quiet) this.log(summaryTable(summary.metrics, result.events, wallSeconds, out));
    });
  }
}

function summaryTable(
  m: Record<string, unknown>,
  events: number,
  wall: number,
  out: string,
): string {
  const rows: Array<[string, string]> = [
    ['pods created', String(m.podsCreated)],
    ['pods scheduled', String(m.podsScheduled)],
    ['unschedulable', String(m.unschedulable)],
    [
      'scheduling latency p50 / p99',
      `${fmt(m.schedulingLatencyP50)} s / ${fmt(m.schedulingLatencyP99)} s`,
    ],
    ['pending time mean / p99', `${fmt(m.pendingTimeMean)} s / ${fmt(m.pendingTimeP99)} s`],
    ['cpu requested mean / max', `${pct(m.cpuUtilisationMean)} / ${pct(m.cpuUtilisationMax)}`],
    [
      'memory requested mean / max',
      `${pct(m.memoryUtilisationMean)} / ${pct(m.memoryUtilisationMax)}`,
    ],
    ['nodes used mean / max', `${fmt(m.nodesUsedMean)} / ${fmt(m.nodesUsedMax)}`],
    ['preemptions / evictions', `${m.preemptions} / ${m.evictions}`],
    ['events', `${events} in ${wall.toFixed(2)} s wall`],
    ['output', out],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : '-';
}

function pct(v: unknown): string {
  return typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '-';
}
